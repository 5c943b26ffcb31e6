"""Evidence files of case steps (全过程记录): checked like a progress report's evidence, stored by their hash.

A step's CaseEvent keeps the SHA-256 of each file (fazhi.enforcement.models.CaseEvent.evidence_sha256); the
file itself is stored under "case-evidence/" with its hash as its name, so the same content is stored once
and the name proves the content. Files are never served from a public folder: only the access-checked view
`enforcement:case_evidence` reads them, for someone who may read the case whose step names the hash.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from fazhi.docparse import DocumentError, safety
from fazhi.supervision.actions import EVIDENCE_KINDS, evidence_kind
from fazhi.supervision.files import sweep_folder

from .models import CaseEvent

FOLDER = "case-evidence"

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    data: bytes
    kind: str
    sha256: str


def check_file(name: str, data: bytes) -> CheckedFile:
    """The same checks as a progress report's evidence: size, then the kind read from the content."""
    try:
        safety.check_size(data, settings.FAZHI_UPLOAD_MAX_BYTES)
        kind = evidence_kind(data)
    except DocumentError as error:
        raise ValidationError(error.message) from None
    if kind not in EVIDENCE_KINDS:
        raise ValidationError(
            _("“%(name)s” is a %(kind)s: attach PDF, Word (.docx), Excel (.xlsx), JPG or PNG files.")
            % {"name": name, "kind": safety.KIND_NAMES.get(kind, kind)}
        )
    return CheckedFile(name, data, kind, hashlib.sha256(data).hexdigest())


def _path(sha256: str, kind: str) -> str:
    return f"{FOLDER}/{sha256[:2]}/{sha256}.{kind}"


def store(checked: CheckedFile) -> str:
    """Store the file (once per content) and return its path. Call it inside the transaction that writes
    the step, after the step: a refused step stores nothing."""
    path = _path(checked.sha256, checked.kind)
    if not default_storage.exists(path):
        saved = default_storage.save(path, ContentFile(checked.data))
        if saved != path:  # a concurrent upload of the same content won the name: one copy is enough
            default_storage.delete(saved)
    return path


def find(sha256: str) -> tuple[str, str] | None:
    """The stored path and kind of the file with this hash, if it is stored."""
    for kind in sorted(EVIDENCE_KINDS):
        path = _path(sha256, kind)
        if default_storage.exists(path):
            return path, kind
    return None


def known_paths() -> set[str]:
    """Every path a CaseEvent's hashes may name (for sweeping files left by a rolled-back step)."""
    hashes = {h for row in CaseEvent.objects.values_list("evidence_sha256", flat=True) for h in row or ()}
    return {_path(h, kind) for h in hashes for kind in EVIDENCE_KINDS}


def sweep_orphans(now: datetime.datetime | None = None) -> int:
    """Delete stored case evidence older than an hour that no step names; return how many."""
    return sweep_folder(FOLDER, known_paths, now)
