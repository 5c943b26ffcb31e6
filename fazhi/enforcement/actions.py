"""Every write to the enforcement registers and cases.

Each function runs in a transaction and validates the whole row; the audit trail records each save through
fazhi.audit's signal handlers, attributed to whoever `fazhi.audit.recorder.acting_as` names.

A case changes status only through `advance`: it locks the case row (two people taking a step at once produce
exactly one step), checks the workflow table (fazhi.enforcement.workflow) and the guards below, saves, and
writes a CaseEvent. The web, the API, the importer and the commands all call it, so no path skips a guard.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.orgs.actions import apply_fields
from fazhi.orgs.models import Unit

from . import publication
from .access import check_right
from .deadlines import calendar_for, period_end
from .models import (
    Case,
    CaseEvent,
    CaseStatus,
    CaseStep,
    DiscretionStandard,
    EnforcementBody,
    EnforcementRules,
    LegalReview,
    Officer,
    PeriodCode,
    Power,
    ReviewResult,
    StatutoryPeriod,
    TrainingRecord,
)
from .workflow import (
    CLEARED_BY_NOTICE,
    FINE_KINDS,
    MAJOR_KINDS,
    NEEDS_NOTES,
    STEP_DATE_FIELDS,
    TRANSITIONS,
    allowed,
)


@transaction.atomic
def save_officer(officer: Officer | None, **fields: Any) -> Officer:
    return apply_fields(officer or Officer(), fields)


@transaction.atomic
def save_training(record: TrainingRecord | None, **fields: Any) -> TrainingRecord:
    return apply_fields(record or TrainingRecord(), fields)


@transaction.atomic
def save_power(power: Power | None, **fields: Any) -> Power:
    return apply_fields(power or Power(), fields)


@transaction.atomic
def save_body(body: EnforcementBody | None, **fields: Any) -> EnforcementBody:
    return apply_fields(body or EnforcementBody(), fields)


@transaction.atomic
def save_rules(rules: EnforcementRules | None, **fields: Any) -> EnforcementRules:
    return apply_fields(rules or EnforcementRules(), fields)


# --- cases --------------------------------------------------------------------------------------------------

# What open_case and save_case may set; status, dates and the decision change only through `advance`.
CASE_FIELDS = {
    "number", "kind", "power", "cause", "party_name", "party_type", "party_id_number", "party_phone",
    "party_address", "is_major",
}  # fmt: skip


class StaleCase(ValidationError):
    """The case changed since the person looked at it (someone else took a step first)."""


def _check_right(user: Any, case: Case, step: str | None = None) -> None:
    """The rules of fazhi.enforcement.access: the body's own people (or an administrator) take its cases'
    steps; only a legal reviewer who did not investigate records the legal review. `None` is the system
    itself: commands and the importer, attributed through fazhi.audit.recorder.acting_as."""
    if user is None:
        return
    check_right(user, case, step)


def _check_case_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - CASE_FIELDS
    if unknown:
        raise TypeError(f"not case fields (or not changed here): {sorted(unknown)}")


def _check_major(case: Case) -> None:
    if case.is_major and case.kind not in MAJOR_KINDS:
        raise ValidationError(
            {
                "is_major": _(
                    "Only an ordinary-procedure penalty or a coercive measure can be a major enforcement "
                    "decision: change the kind of case or unmark it as major."
                )
            }
        )


@transaction.atomic
def open_case(
    user: Any,
    *,
    unit: Unit,
    on: datetime.date | None = None,
    notes: str = "",
    evidence_sha256: Iterable[str] = (),
    **fields: Any,
) -> Case:
    """Register (立案) a case: the case row in status "registered" and its first CaseEvent."""
    _check_case_fields(fields)
    day = _step_day(on, None)
    case = Case(unit=unit, registered_on=day, status=CaseStatus.REGISTERED)
    _check_right(user, case, CaseStep.REGISTER)
    for name, value in fields.items():
        setattr(case, name, value)
    _check_major(case)
    case.full_clean()
    case.save()
    _write_event(case, CaseStep.REGISTER, "", user, day, [], notes, evidence_sha256)
    return case


@transaction.atomic
def save_case(case: Case, user: Any, **fields: Any) -> Case:
    """Change a case's details (number, party, power, major or not) while it is undecided."""
    _check_case_fields(fields)
    locked = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
    _check_right(user, locked)
    if locked.decided_on is not None or locked.status in (CaseStatus.CLOSED, CaseStatus.ARCHIVED):
        # The decision was taken on these facts (major or not, which power): they are part of the record now.
        raise ValidationError(_("The case has been decided or closed: its details can no longer be changed."))
    if "kind" in fields and fields["kind"] != locked.kind and locked.status != CaseStatus.REGISTERED:
        raise ValidationError(_("The kind of case can be changed only before the investigation starts."))
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_major(locked)
    locked.full_clean()
    locked.save()
    return locked


def _step_day(on: datetime.date | None, last: datetime.date | None) -> datetime.date:
    today = timezone.localdate()
    day = on or today
    if day > today:
        raise ValidationError(
            _("The date %(day)s is in the future: record a step once it has been taken.")
            % {"day": day.isoformat()}
        )
    if last is not None and day < last:
        raise ValidationError(
            _(
                "The date %(day)s is before the case's last step (%(last)s): steps are recorded in the order "
                "they happened."
            )
            % {"day": day.isoformat(), "last": last.isoformat()}
        )
    return day


def _write_event(
    case: Case,
    step: str,
    before: str,
    user: Any,
    day: datetime.date,
    officers: list[Officer],
    notes: str,
    evidence_sha256: Iterable[str],
) -> CaseEvent:
    hashes = [h.strip().lower() for h in evidence_sha256]
    bad = [h for h in hashes if not _SHA256.fullmatch(h)]
    if bad:
        raise ValidationError(
            _("“%(value)s” is not a SHA-256 hash (64 hexadecimal characters).") % {"value": bad[0]}
        )
    event = CaseEvent.objects.create(
        case=case, step=step, from_status=before, to_status=case.status, on=day, notes=notes,
        by=user if getattr(user, "is_authenticated", False) else None, evidence_sha256=hashes,
    )  # fmt: skip
    if officers:
        event.officers.set(officers)
    return event


_SHA256 = re.compile(r"[0-9a-f]{64}")


@transaction.atomic
def advance(
    case: Case,
    step: str,
    user: Any,
    *,
    on: datetime.date | None = None,
    seen_status: str | None = None,
    officers: Iterable[Officer] = (),
    notes: str = "",
    evidence_sha256: Iterable[str] = (),
    reviewer: Officer | None = None,
    penalty_amount: Decimal | None = None,
    discretion_standard: DiscretionStandard | None = None,
    discretion_reason: str = "",
) -> Case:
    """Take one step of a case on the day `on` (today if not given).

    `seen_status` is the status the person saw when they chose the step (the web passes it; a second click
    is then told the case changed). Locks the case row, checks the workflow table and the guards, saves, and
    writes the CaseEvent (and a LegalReview for the review steps). Raises ValidationError saying what is
    wrong and what to do.
    """
    locked = (
        Case.objects.select_for_update(of=("self",)).select_related("unit__region", "power").get(pk=case.pk)
    )
    _check_right(user, locked, step)
    if seen_status is not None and locked.status != seen_status:
        raise StaleCase(
            _("This case has just been changed by someone else (it is now “%(status)s”). Reload the page.")
            % {"status": locked.get_status_display()}
        )
    if not allowed(locked.kind, locked.status, step):
        raise ValidationError(
            _("The step “%(step)s” is not possible while the case is “%(status)s”.")
            % {"step": CaseStep(step).label if step in CaseStep.values else step,
               "status": locked.get_status_display()}
        )  # fmt: skip
    last = locked.events.order_by("-on").values_list("on", flat=True).first()
    day = _step_day(on, last)
    notes = notes.strip()
    if step in NEEDS_NOTES and not notes:
        raise ValidationError(_("Write down what was said or decided (the notes of this step)."))
    crew = _distinct(officers)
    data = _StepData(crew, reviewer, notes, penalty_amount, discretion_standard, discretion_reason.strip())
    guard = _GUARDS.get(step)
    if guard is not None:
        guard(locked, day, data)
    before = locked.status
    locked.status = TRANSITIONS[locked.kind][(before, step)]
    if step == CaseStep.NOTIFY:
        for name in CLEARED_BY_NOTICE:
            setattr(locked, name, None)
    if step in STEP_DATE_FIELDS:
        setattr(locked, STEP_DATE_FIELDS[step], day)
    if step == CaseStep.DECIDE:
        locked.penalty_amount = data.penalty_amount
        locked.discretion_standard = data.standard
        locked.discretion_reason = data.reason
    locked.full_clean()
    locked.save()
    if step == CaseStep.INVESTIGATE:
        locked.investigators.add(*crew)
    if step in (CaseStep.REVIEW_PASS, CaseStep.REVIEW_RETURN):
        assert reviewer is not None  # checked by the guard
        LegalReview.objects.create(
            case=locked,
            reviewer=reviewer,
            result=ReviewResult.PASSED if step == CaseStep.REVIEW_PASS else ReviewResult.RETURNED,
            opinion=notes,
            on=day,
        )
    reviewing = step in (CaseStep.REVIEW_PASS, CaseStep.REVIEW_RETURN)
    involved = [*crew, reviewer] if reviewing and reviewer is not None else crew
    _write_event(locked, step, before, user, day, involved, notes, evidence_sha256)
    if step == CaseStep.DECIDE:
        # The decision is due on the portal within the period of its publication rule (公示).
        publication.on_decided(locked)
    return locked


def _distinct(officers: Iterable[Officer]) -> list[Officer]:
    seen: dict[int, Officer] = {}
    for officer in officers:
        seen.setdefault(officer.pk, officer)
    return list(seen.values())


# --- the guards: each raises ValidationError saying what is wrong and what to do ----------------------------


@dataclass
class _StepData:
    officers: list[Officer]
    reviewer: Officer | None
    notes: str
    penalty_amount: Decimal | None
    standard: DiscretionStandard | None
    reason: str


def _names(officers: Iterable[Officer]) -> str:
    return "、".join(o.name for o in officers)


def guard_investigation(case: Case, day: datetime.date, data: _StepData) -> None:
    """行政处罚法第四十二条, 行政强制法第十八条: two or more of the body's officers, certified on the day."""
    if len(data.officers) < 2:
        raise ValidationError(
            _(
                "An investigation needs at least two enforcement officers: add the officers who took part "
                "(two different people)."
            )
        )
    outside = [o for o in data.officers if o.unit_id != case.unit_id]
    if outside:
        raise ValidationError(
            _("%(names)s do not belong to %(unit)s: only the body's own officers investigate its cases.")
            % {"names": _names(outside), "unit": case.unit.name}
        )
    invalid = [o for o in data.officers if not (o.is_active and o.certified_on(day))]
    if invalid:
        raise ValidationError(
            _(
                "%(names)s had no valid enforcement certificate on %(day)s (expired, not yet valid or "
                "inactive): choose officers whose certificates were valid that day, or renew the certificate "
                "in the officer register first."
            )
            % {"names": _names(invalid), "day": day.isoformat()}
        )


def _check_reviewer(case: Case, reviewer: Officer | None) -> None:
    if reviewer is None:
        raise ValidationError(_("Choose the legal reviewer who reviewed the case."))
    if not (reviewer.is_legal_reviewer and reviewer.is_active):
        raise ValidationError(
            _(
                "%(name)s is not an active legal reviewer: choose an officer marked as a legal reviewer in "
                "the officer register."
            )
            % {"name": reviewer.name}
        )
    if case.investigators.filter(pk=reviewer.pk).exists():
        # 第五十八条 and the separation of investigation and review: nobody reviews their own case.
        raise ValidationError(
            _(
                "%(name)s investigated this case and cannot also review it: choose a legal reviewer who "
                "took no part in the investigation."
            )
            % {"name": reviewer.name}
        )


def guard_review(case: Case, day: datetime.date, data: _StepData) -> None:
    _check_reviewer(case, data.reviewer)
    if not data.notes:
        raise ValidationError(_("Write the reviewer's opinion."))


def guard_discussion(case: Case, day: datetime.date, data: _StepData) -> None:
    if case.is_major and case.reviewed_on is None:
        raise ValidationError(
            _(
                "A major case goes to the legal review before the collective discussion: record a passed "
                "legal review first."
            )
        )


def guard_hearing_request(case: Case, day: datetime.date, data: _StepData) -> None:
    if case.rights_waived_on is not None:
        raise ValidationError(
            _("The party waived the hearing on %(day)s: a request can no longer be recorded for this notice.")
            % {"day": case.rights_waived_on.isoformat()}
        )
    window = notice_window_end(case)
    if window is not None and day > window:
        raise ValidationError(
            _(
                "The party could ask for a hearing until %(end)s (within the period after the notice): a "
                "later request cannot be recorded; record it as a statement instead."
            )
            % {"end": window.isoformat()}
        )


def guard_hearing(case: Case, day: datetime.date, data: _StepData) -> None:
    if case.hearing_requested_on is None:
        raise ValidationError(_("The party has not asked for a hearing: record the request first."))


def guard_decision(case: Case, day: datetime.date, data: _StepData) -> None:
    _guard_notice_period(case, day)
    if case.is_major:
        _guard_major(case)
    _guard_amount(case, day, data)


def _guard_notice_period(case: Case, day: datetime.date) -> None:
    """第四十四条, 第六十二条 and 第六十四条: the party is heard before the decision."""
    if case.hearing_requested_on is not None and case.hearing_held_on is None:
        raise ValidationError(
            _("The party asked for a hearing on %(day)s: hold the hearing and record it before deciding.")
            % {"day": case.hearing_requested_on.isoformat()}
        )
    if case.rights_waived_on is not None or case.hearing_held_on is not None:
        return
    window = notice_window_end(case)
    if window is not None and day <= window:
        raise ValidationError(
            _(
                "The party may still make a statement or ask for a hearing until %(end)s: decide after that "
                "day, or record the party's written waiver first."
            )
            % {"end": window.isoformat()}
        )


def _guard_major(case: Case) -> None:
    """第五十八条 法制审核 and 第五十七条 集体讨论 before a 重大执法决定."""
    review = case.legal_reviews.select_related("reviewer").order_by("-on", "-pk").first()
    if review is None or review.result != ReviewResult.PASSED:
        raise ValidationError(
            _(
                "This is a major enforcement decision: it needs a passed legal review before it is taken. "
                "Send the case to a legal reviewer first."
            )
        )
    investigator_ids = set(case.investigators.values_list("pk", flat=True))
    if review.reviewer_id in investigator_ids or not review.reviewer.is_legal_reviewer:
        raise ValidationError(
            _(
                "The legal review of this major case was done by %(name)s, who investigated it or is not a "
                "legal reviewer: have it reviewed again by a legal reviewer who took no part in the "
                "investigation."
            )
            % {"name": review.reviewer.name}
        )
    if case.discussed_on is None:
        raise ValidationError(
            _(
                "This is a major enforcement decision: the heads of the body discuss it collectively before "
                "it is taken. Record the collective discussion first."
            )
        )


def _guard_amount(case: Case, day: datetime.date, data: _StepData) -> None:
    amount = data.penalty_amount
    if case.kind not in FINE_KINDS:
        if amount is not None:
            raise ValidationError(_("Only a penalty decision imposes a fine: leave the amount empty."))
        return
    if amount is None:
        if data.standard is not None or data.reason:
            raise ValidationError(_("Enter the fine the decision imposes (0 for a penalty without a fine)."))
        return
    if amount < 0:
        raise ValidationError(_("The fine cannot be negative."))
    if case.power is None:
        raise ValidationError(
            _("Choose the power (the enforcement matter) the penalty is based on before deciding a fine.")
        )
    in_force = list(case.power.discretion_standards.in_force(day))
    standard = data.standard
    if standard is None:
        if not in_force:
            return  # no discretion standard published for this power: nothing to compare with
        if len(in_force) > 1:
            raise ValidationError(
                _(
                    "The power has several discretion standards in force on %(day)s: choose the "
                    "circumstance that applies."
                )
                % {"day": day.isoformat()}
            )
        standard = in_force[0]
    elif standard not in in_force:
        raise ValidationError(
            _(
                "The discretion standard “%(standard)s” is not one of this power's standards in force on "
                "%(day)s: choose one that is."
            )
            % {"standard": standard.circumstance, "day": day.isoformat()}
        )
    if not standard.allows(amount) and not data.reason:
        raise ValidationError(
            _(
                "A fine of %(amount)s yuan is outside the discretion standard (%(min)s to %(max)s yuan for "
                "“%(circumstance)s”): keep within it, or write down the reason for departing from it."
            )
            % {"amount": amount, "min": standard.min_amount, "max": standard.max_amount,
               "circumstance": standard.circumstance}
        )  # fmt: skip
    data.standard = standard  # kept with the case: the standard the fine was measured against


_GUARDS: dict[str, Callable[[Case, datetime.date, _StepData], None]] = {
    CaseStep.INVESTIGATE: guard_investigation,
    CaseStep.REVIEW_PASS: guard_review,
    CaseStep.REVIEW_RETURN: guard_review,
    CaseStep.DISCUSS: guard_discussion,
    CaseStep.REQUEST_HEARING: guard_hearing_request,
    CaseStep.HOLD_HEARING: guard_hearing,
    CaseStep.DECIDE: guard_decision,
}


def notice_window_end(case: Case) -> datetime.date | None:
    """The last day the party may ask for a hearing (or be heard) after the notice, if a period applies."""
    if case.notified_on is None:
        return None
    period = StatutoryPeriod.for_case(case.kind, case.unit.region, case.notified_on).get(
        PeriodCode.HEARING_REQUEST
    )
    if period is None:
        return None
    return period_end(period, case.notified_on, calendar_for(case.unit.region))


@transaction.atomic
def save_discretion_standard(standard: DiscretionStandard | None, **fields: Any) -> DiscretionStandard:
    return apply_fields(standard or DiscretionStandard(), fields)


@transaction.atomic
def save_statutory_period(period: StatutoryPeriod | None, **fields: Any) -> StatutoryPeriod:
    return apply_fields(period or StatutoryPeriod(), fields)
