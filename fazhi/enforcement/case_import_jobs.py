"""Importing an uploaded file of cases in the background, run by `fazhi worker` (the database as the queue).

The import itself is case_import.import_cases: one transaction, so nothing of a bad file is written. The page
follows the job's row (fazhi.enforcement.models.CaseImport). Progress written inside that transaction would
stay invisible until it ends, so on PostgreSQL it is written through a connection of its own, in autocommit.
SQLite (the one-machine trial) admits one writer at a time: there the page shows the stage until the end.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.db import connection, connections
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.audit.recorder import acting_as

from . import case_import
from .models import CaseImport, ImportStatus


class _Progress:
    """The progress callback of one job: counts and percent onto its row, visible at once where possible."""

    def __init__(self, job: CaseImport) -> None:
        self.job = job
        self.side: Any = None
        if connection.vendor == "postgresql":
            self.side = connections.create_connection("default")

    def __call__(self, rows: int, cases: int, share: float | None) -> None:
        job = self.job
        job.rows_read, job.cases_checked = rows, cases
        # Never 100 before the outcome is saved: the writing of the last batch and the commit come after.
        job.percent = None if share is None else min(int(share * 100), 99)
        if self.side is None:
            return
        table = connection.ops.quote_name(CaseImport._meta.db_table)
        with self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET rows_read = %s, cases_checked = %s, percent = %s WHERE id = %s",  # noqa: S608
                [rows, cases, job.percent, job.pk],
            )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


@task()
def import_case_file(job_id: int) -> int:
    """Check and import one uploaded file; returns the number of cases created."""
    job = CaseImport.objects.select_related("region", "created_by").get(pk=job_id)
    if job.finished:
        return job.created_cases  # a retried job does not import twice
    job.status, job.stage = ImportStatus.RUNNING, _("Checking every case and writing them")
    job.save(update_fields=["status", "stage"])
    progress = _Progress(job)
    try:
        with acting_as(job.created_by, "worker"), _local_copy(str(job.source_file.name)) as path:
            result = case_import.import_cases(
                job.region, path, job.source_name, progress=progress,
                max_bytes=case_import.MAX_FILE_BYTES,
            )  # fmt: skip
    except Exception:
        # Rolled back: nothing of the file is in the database. The page says so instead of waiting forever.
        job.status, job.stage, job.percent, job.finished_at = ImportStatus.FAILED, "", 100, timezone.now()
        job.error_count = 1
        message = _(
            "The import stopped on an unexpected error; nothing was imported. Ask the administrator to look "
            "at the worker's log, then upload the file again."
        )
        job.errors = [[case_import.SHEET, None, "", message]]
        job.save()
        raise
    finally:
        progress.close()
    job.rows_read, job.sha256 = result.rows, result.sha256
    job.created_cases, job.skipped_cases, job.created_events = result.created, result.skipped, result.events
    job.error_count = result.error_count
    job.errors = [[e.sheet, e.row, e.column, e.message] for e in result.errors]
    job.status = ImportStatus.DONE if result.applied else ImportStatus.FAILED
    job.stage = _("Done") if result.applied else _("Nothing was imported")
    job.percent, job.finished_at = 100, timezone.now()
    # The cases are in the database (or refused); the uploaded copy is not kept.
    job.source_file.delete(save=False)
    job.save()
    return job.created_cases


@contextlib.contextmanager
def _local_copy(name: str) -> Iterator[Path]:
    """The stored upload as a file on local disk (the importer streams from a path): the file itself when the
    storage is the local disk, else a temporary copy (S3-compatible storage)."""
    try:
        local: Path | None = Path(default_storage.path(name))
    except NotImplementedError:
        local = None
    if local is not None:
        yield local
        return
    with (
        tempfile.NamedTemporaryFile(suffix=Path(name).suffix) as copy,
        default_storage.open(name, "rb") as source,
    ):
        shutil.copyfileobj(source, copy, 1 << 20)
        copy.flush()
        yield Path(copy.name)
