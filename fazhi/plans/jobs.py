"""Background work for plans, run by `fazhi worker` (Django's tasks framework, the database as the queue)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.tasks import task
from django.utils.translation import gettext as _

from fazhi.audit.recorder import acting_as
from fazhi.docparse import DocumentError, parse_plan_document

from . import actions
from .models import ImportStatus, PlanImport

# Uploads are parsed within this limit (the page refuses larger files before they reach the queue).
MAX_SOURCE_BYTES = 50 * 1024 * 1024


def _progress(job: PlanImport, stage: str, percent: int) -> None:
    job.stage, job.percent = stage, percent
    # Only progress fields: the audit trail leaves these out, and the page polling the job sees them at once.
    job.save(update_fields=["stage", "percent"])


@task()
def read_plan(job_id: int) -> int | None:
    """Read an uploaded plan into a draft, reporting progress on the import row; returns the plan's id."""
    job = PlanImport.objects.select_related("region", "created_by").get(pk=job_id)
    if job.finished:
        return job.plan_id  # a retried job does not import twice
    job.status = ImportStatus.RUNNING
    job.save(update_fields=["status"])
    with acting_as(job.created_by, "worker"):
        try:
            _progress(job, _("Reading the document"), 10)
            with job.source_file.open("rb") as handle:
                data = handle.read()
            document = parse_plan_document(
                data, filename=job.source_name, year=job.year, max_bytes=MAX_SOURCE_BYTES
            )
            _progress(job, _("Recognising the outline and tasks"), 50)
            source = actions.Source(job.source_name, data)
            plan = actions.create_draft(
                job.region, document, source, user=job.created_by, year=job.year,
                progress=lambda stage, percent: _progress(job, stage, percent),
            )  # fmt: skip
        except DocumentError as error:
            _fail(job, error.message)
            return None
        except ValidationError as error:
            _fail(job, " ".join(error.messages))
            return None
    job.plan = plan
    job.status, job.stage, job.percent = ImportStatus.DONE, _("Done"), 100
    _save_outcome(job)
    return plan.pk


def _fail(job: PlanImport, message: str) -> None:
    job.status, job.error, job.percent = ImportStatus.FAILED, message, 100
    # A refused file is not kept: the row keeps the reason for the page, nothing else stays behind.
    job.source_file.delete(save=False)
    _save_outcome(job)


def _save_outcome(job: PlanImport) -> None:
    with transaction.atomic():
        job.save()
