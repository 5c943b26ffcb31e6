"""Evidence files on disk that no row points at (an upload whose transaction rolled back) are removed."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils import timezone

from .models import Evidence

GRACE = datetime.timedelta(hours=1)


def _walk(folder: str) -> list[str]:
    directories, files = default_storage.listdir(folder)
    found = [f"{folder}/{name}" for name in files]
    for directory in directories:
        found += _walk(f"{folder}/{directory}")
    return found


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def file_response(row: Any, inline: bool = False) -> FileResponse:
    """An evidence file (a row with `file`, `name`, `kind`) as the response of an access-checked view: never
    served from a public folder, cached only privately."""
    response = FileResponse(
        row.file.open("rb"),
        as_attachment=not inline,
        filename=row.name,
        content_type=CONTENT_TYPES.get(row.kind, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


def store_with_file(row: Any, data: bytes, kind: str, then: Callable[[], None] | None = None) -> None:
    """Save `row` (an evidence model with `file` and `sha256`) with `data` stored under a name from its hash;
    if the row, or `then`, fails, the stored file is deleted again. A rollback of a surrounding transaction
    after this returns leaves the file without a row: `sweep_folder` removes it (Django has no rollback
    hook)."""
    row.file.save(f"{row.sha256[:16]}.{kind}", ContentFile(data), save=False)
    storage, path = row.file.storage, str(row.file.name)
    try:
        row.save()
        if then is not None:
            then()
    except Exception:
        storage.delete(path)
        raise


def sweep_orphans(now: datetime.datetime | None = None) -> int:
    """Delete evidence files older than an hour that no Evidence row refers to; return how many."""
    return sweep_folder("evidence", lambda: set(Evidence.objects.values_list("file", flat=True)), now)


def sweep_folder(
    folder: str, known_files: Callable[[], set[str]], now: datetime.datetime | None = None
) -> int:
    """Delete the files under `folder` older than an hour that are not among `known_files()` (the paths the
    rows of the folder's model refer to); return how many. Shared by every kind of uploaded evidence."""
    now = now or timezone.now()
    if not default_storage.exists(folder):
        return 0
    known = known_files()
    removed = 0
    for path in _walk(folder):
        if path in known:
            continue
        if now - default_storage.get_modified_time(path) > GRACE:
            default_storage.delete(path)
            removed += 1
    return removed
