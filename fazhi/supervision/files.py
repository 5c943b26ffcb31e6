"""Evidence files on disk that no row points at (an upload whose transaction rolled back) are removed."""

from __future__ import annotations

import datetime

from django.core.files.storage import default_storage
from django.utils import timezone

from .models import Evidence

GRACE = datetime.timedelta(hours=1)


def _walk(folder: str) -> list[str]:
    directories, files = default_storage.listdir(folder)
    found = [f"{folder}/{name}" for name in files]
    for directory in directories:
        found += _walk(f"{folder}/{directory}")
    return found


def sweep_orphans(now: datetime.datetime | None = None) -> int:
    """Delete evidence files older than an hour that no Evidence row refers to; return how many."""
    now = now or timezone.now()
    if not default_storage.exists("evidence"):
        return 0
    known = set(Evidence.objects.values_list("file", flat=True))
    removed = 0
    for path in _walk("evidence"):
        if path in known:
            continue
        if now - default_storage.get_modified_time(path) > GRACE:
            default_storage.delete(path)
            removed += 1
    return removed
