"""Every write to progress reports: what a unit says, its evidence, and each step of the review.

Status changes go through `transition` only: it locks the report row, checks that the report is still in the
status the person saw (two reviewers clicking at once produce exactly one step; the second is told it
changed), checks the workflow table and the person's right to the step, saves, and writes the step into the
thread.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.docparse import DocumentError, safety
from fazhi.plans.models import Plan

from . import access, files
from .models import (
    Evidence,
    Progress,
    Report,
    ReportEvent,
    ReportStatus,
    Round,
    SupervisionRules,
    TargetValue,
)
from .rounds import open_round
from .workflow import EDITABLE, HEAD_STEPS, NEEDS_COMMENT, REVIEW_STEPS, TRANSITIONS, UNIT_STEPS, Step

# Listeners run after a step commits (notifications): fazhi.supervision.chasing.connect() adds one.
after_step: list[Callable[[Report, str, Any, str], None]] = []


@contextmanager
def listeners_paused() -> Iterator[None]:
    """Take steps without telling anyone: for loading history (the demo's past year is not news). Only for
    commands, never inside a web request (the list is shared by the process's threads)."""
    saved = after_step[:]
    after_step.clear()
    try:
        yield
    finally:
        after_step[:] = saved


class StaleReport(ValidationError):
    """The report changed since the person looked at it (someone else acted first)."""


def _snapshot(report: Report) -> dict[str, Any]:
    return {
        "progress": report.progress,
        "text": report.text,
        "values": {str(v.target_id): str(v.value) for v in report.values.all()},
        "evidence": [e.sha256 for e in report.evidence.all()],
    }


def _check_right(user: Any, report: Report, step: str) -> None:
    if step in UNIT_STEPS:
        access.require(access.is_member(user, report))
    elif step in HEAD_STEPS:
        access.require(access.is_head(user, report))
    elif step in REVIEW_STEPS:
        access.require(access.can_review(user, report))
    else:  # pragma: no cover - the table and the sets above name the same steps
        raise PermissionDenied


@transaction.atomic
def transition(
    report: Report, step: str, user: Any, seen_status: str, comment: str = "", quality: int | None = None
) -> Report:
    """Take one workflow step; `seen_status` is the status the person saw when they chose it."""
    locked = Report.objects.select_for_update().select_related("plan__region", "unit").get(pk=report.pk)
    if locked.status != seen_status:
        raise StaleReport(
            _("This report has just been changed by someone else (it is now “%(status)s”). Reload the page.")
            % {"status": locked.get_status_display()}
        )
    if (locked.status, step) not in TRANSITIONS:
        raise ValidationError(_("This step is not possible while the report is “%(status)s”.") % {
            "status": locked.get_status_display()
        })  # fmt: skip
    _check_right(user, locked, step)
    comment = comment.strip()
    if step in NEEDS_COMMENT and not comment:
        raise ValidationError(_("Say why, so the unit knows what to change."))
    if step in (Step.SUBMIT, Step.SUBMIT_FOR_APPROVAL) and not locked.text.strip():
        raise ValidationError(_("Write what was done before submitting."))
    new_status, event = TRANSITIONS[(locked.status, step)]
    before = locked.status
    now = timezone.now()
    locked.status = new_status
    if new_status == ReportStatus.SUBMITTED:
        locked.submitted_at = now
        locked.first_submitted_at = locked.first_submitted_at or now
    if step == Step.RETURN:
        locked.times_returned += 1
    if step == Step.ACCEPT:
        locked.accepted_at = now
        if quality is not None:
            if not 1 <= quality <= 5:
                raise ValidationError(_("Rate the report from 1 to 5."))
            locked.quality = quality
    locked.save()
    ReportEvent.objects.create(
        report=locked, kind=event, from_status=before, to_status=new_status, comment=comment,
        actor=user if getattr(user, "is_authenticated", False) else None, snapshot=_snapshot(locked),
    )  # fmt: skip
    for listener in after_step:
        transaction.on_commit(functools.partial(listener, locked, step, user, comment))
    return locked


def submit_step(report: Report, user: Any) -> str:
    """Submitting goes to the unit head first when the region asks for it (unless the head submits)."""
    rules = SupervisionRules.for_region(report.plan.region, timezone.localdate())
    if rules.require_head_approval and not access.is_head(user, report):
        return Step.SUBMIT_FOR_APPROVAL
    return Step.SUBMIT


@transaction.atomic
def save_report(report: Report, user: Any, text: str, progress: str, values: dict[int, str]) -> Report:
    """Save what the unit says about the task (and its target values) as a draft."""
    locked = Report.objects.select_for_update().select_related("plan__region", "unit").get(pk=report.pk)
    access.require(access.is_member(user, locked))
    if locked.status not in EDITABLE:
        raise ValidationError(
            _("The report has left the unit: it can be changed again only if it is returned.")
        )
    if progress not in Progress.values:
        raise ValidationError(_("Choose a progress: not started, in progress or completed."))
    targets = {t.pk: t for t in locked.task.targets.all()}
    parsed: dict[int, Decimal | None] = {}
    for target_id, raw in values.items():
        if target_id not in targets:
            continue
        raw = (raw or "").strip().rstrip("%")
        try:
            parsed[target_id] = Decimal(raw) if raw else None
        except InvalidOperation:
            raise ValidationError(
                _("“%(value)s” is not a number (target: %(target)s).")
                % {"value": raw, "target": targets[target_id]}
            ) from None
    locked.text, locked.progress = text.strip(), progress
    locked.save()
    for target_id, value in parsed.items():
        if value is None:
            TargetValue.objects.filter(report=locked, target_id=target_id).delete()
        else:
            TargetValue.objects.update_or_create(
                report=locked, target_id=target_id, defaults={"value": value}
            )
    if locked.status == ReportStatus.PENDING:
        # The first save starts the draft (a step in the thread); later saves only change the content.
        return transition(locked, Step.SAVE, user, locked.status)
    return locked


EVIDENCE_KINDS = {"pdf", "docx", "xlsx", "jpg", "png"}


def evidence_kind(data: bytes) -> str:
    """What an evidence file is, from its bytes: pdf, docx, xlsx, jpg or png (anything else is refused)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    kind = safety.sniff(data)
    if kind in ("docx", "xlsx"):
        safety.check_zip(data)
        safety.check_zip_xml(data)
    return kind


@transaction.atomic
def add_evidence(report: Report, user: Any, name: str, data: bytes) -> Evidence:
    """Attach a file: checked for size and kind (from its content, not its name), hashed, stored."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    access.require(access.is_member(user, locked))
    if locked.status not in EDITABLE:
        raise ValidationError(
            _("The report has left the unit: evidence can be added again only if it is returned.")
        )
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
    evidence = Evidence(
        report=locked, name=name[:255], kind=kind, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )  # fmt: skip
    files.store_with_file(evidence, data, kind)
    return evidence


@transaction.atomic
def remove_evidence(evidence: Evidence, user: Any) -> None:
    report = Report.objects.select_for_update().get(pk=evidence.report_id)
    access.require(access.is_member(user, report))
    if report.status not in EDITABLE:
        raise ValidationError(_("The report has left the unit: its evidence can no longer be removed."))
    storage, path = evidence.file.storage, str(evidence.file.name)
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(path))


def open_manual_round(
    plan: Plan,
    user: Any,
    name: str,
    due: datetime.date,
    task_ids: Iterable[int] | None = None,
    note: str = "",
) -> Round:
    """A round the office opens by hand, for all of the plan's tasks or some."""
    if Round.objects.filter(plan=plan, kind="manual", name=name).exists():
        raise ValidationError(_("This plan already has a round called “%(name)s”.") % {"name": name})
    if task_ids is None:
        task_ids = plan.tasks.filter(kind="task").values_list("pk", flat=True)
    return open_round(plan, "manual", name, due, list(task_ids), user=user, note=note)
