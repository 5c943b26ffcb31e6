"""The report workflow as a table: which step may be taken from which status, and where it leads.

Every status change goes through `fazhi.supervision.actions.transition`, which locks the report row, checks
this table and the person's right to take the step, saves, and writes the step into the report's thread.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import EventKind, ReportStatus

S = ReportStatus


class Step(models.TextChoices):
    SAVE = "save", _("save")
    SUBMIT = "submit", _("submit")
    SUBMIT_FOR_APPROVAL = "submit_for_approval", _("submit to the unit head")
    APPROVE = "approve", _("approve")
    SEND_BACK = "send_back", _("send back")
    ACCEPT = "accept", _("accept")
    RETURN = "return", _("return")


# (status before, step) → (status after, what the thread records)
TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    (S.PENDING, Step.SAVE): (S.DRAFT, EventKind.SAVED),
    (S.DRAFT, Step.SAVE): (S.DRAFT, EventKind.SAVED),
    (S.RETURNED, Step.SAVE): (S.RETURNED, EventKind.SAVED),
    (S.PENDING, Step.SUBMIT): (S.SUBMITTED, EventKind.SUBMITTED),
    (S.DRAFT, Step.SUBMIT): (S.SUBMITTED, EventKind.SUBMITTED),
    (S.RETURNED, Step.SUBMIT): (S.SUBMITTED, EventKind.SUBMITTED),
    (S.PENDING, Step.SUBMIT_FOR_APPROVAL): (S.AWAITING_APPROVAL, EventKind.SUBMITTED),
    (S.DRAFT, Step.SUBMIT_FOR_APPROVAL): (S.AWAITING_APPROVAL, EventKind.SUBMITTED),
    (S.RETURNED, Step.SUBMIT_FOR_APPROVAL): (S.AWAITING_APPROVAL, EventKind.SUBMITTED),
    (S.AWAITING_APPROVAL, Step.APPROVE): (S.SUBMITTED, EventKind.APPROVED),
    (S.AWAITING_APPROVAL, Step.SEND_BACK): (S.DRAFT, EventKind.SENT_BACK),
    (S.SUBMITTED, Step.ACCEPT): (S.ACCEPTED, EventKind.ACCEPTED),
    (S.SUBMITTED, Step.RETURN): (S.RETURNED, EventKind.RETURNED),
}

# Who may take each step: the unit that reports, its head, or a reviewer (the office or the task's lead unit).
UNIT_STEPS = {Step.SAVE, Step.SUBMIT, Step.SUBMIT_FOR_APPROVAL}
HEAD_STEPS = {Step.APPROVE, Step.SEND_BACK}
REVIEW_STEPS = {Step.ACCEPT, Step.RETURN}
# Steps that need a comment saying why.
NEEDS_COMMENT = {Step.RETURN, Step.SEND_BACK}
# While a report is in these statuses its unit may change what it says and its evidence.
EDITABLE = {S.PENDING, S.DRAFT, S.RETURNED}


def allowed(status: str, step: str) -> bool:
    return (status, step) in TRANSITIONS
