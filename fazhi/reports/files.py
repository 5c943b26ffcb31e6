"""Entered values' evidence files on disk that no row points at (an upload whose transaction rolled back) are
removed, as fazhi.supervision.files does for progress reports' evidence."""

from __future__ import annotations

import datetime

from fazhi.supervision.files import sweep_folder

from .models import IndicatorEvidence

FOLDER = "indicator-evidence"


def sweep_orphans(now: datetime.datetime | None = None) -> int:
    """Delete evidence files older than an hour that no IndicatorEvidence row refers to; return how many."""
    return sweep_folder(FOLDER, lambda: set(IndicatorEvidence.objects.values_list("file", flat=True)), now)
