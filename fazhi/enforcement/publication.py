"""The 公示 of decisions (事后公示): every write to a Publication, and the questions asked of them.

- `on_decided(case)` makes the pending publication once a case is decided, due N days after the decision by
  the PublicationRule in force (working days on the region's calendar). It is idempotent: the decision step
  calls it, and calling it again returns the same row.
- `publish(case, user)` freezes the masked text and shows it on the portal;
  `withdraw(publication, user, note)` takes the decision text down when the decision is revoked (the note
  says why, and stays public).
- `overdue_publications(region, today)`: pending past their due day, with the working days overdue.

Each write locks the publication row, so two people publishing at once produce one publication and one error.
The audit trail records each save (fazhi.audit's signal handlers).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.lib.workdays import Calendar
from fazhi.orgs.access import get_or_404, path_q, scope_for
from fazhi.orgs.actions import apply_fields
from fazhi.orgs.models import Region

from . import masking
from .deadlines import calendar_for
from .models import (
    Case,
    CaseStep,
    Officer,
    Publication,
    PublicationQuerySet,
    PublicationRule,
    PublicationStatus,
)


def staff_unit_ids(user: Any) -> set[int]:
    """The bodies whose publications `user` manages: units where they are head or liaison, and the body of
    the officer record linked to their account."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    found = set(scope_for(user).unit_ids)
    found.update(Officer.objects.filter(user=user, is_active=True).values_list("unit_id", flat=True))
    return found


def can_manage(user: Any, publication: Publication) -> bool:
    """The body's own staff (and administrators) publish and withdraw. `None` is the system itself."""
    if user is None:
        return True
    return scope_for(user).is_admin or publication.unit_id in staff_unit_ids(user)


def _check_right(user: Any, publication: Publication) -> None:
    if not can_manage(user, publication):
        raise PermissionDenied


# --- writes -------------------------------------------------------------------------------------------------


@transaction.atomic
def save_rule(rule: PublicationRule | None, **fields: Any) -> PublicationRule:
    """Add or change a rule of publication (which kinds, how many days, from when, where)."""
    return apply_fields(rule or PublicationRule(), fields)


def due_day(rule: PublicationRule, decided_on: datetime.date, calendar: Calendar) -> datetime.date:
    """The last day to publish: the decision day is not counted; a calendar-day period ending on a day off
    ends on the next working day (as the statutory periods are counted)."""
    if rule.working_days:
        return calendar.add_workdays(decided_on, rule.days)
    return calendar.next_workday(decided_on + datetime.timedelta(days=rule.days))


@transaction.atomic
def on_decided(case: Case) -> Publication | None:
    """The pending publication of a decided case (None if decisions of its kind are not published there).

    Call it inside the transaction that records the decision (actions.advance, after the DECIDE step).
    """
    existing = Publication.objects.filter(case_id=case.pk).first()
    if existing is not None:
        return existing
    if case.decided_on is None:
        raise ValidationError(_("The case has not been decided yet: nothing to publish."))
    region = case.unit.region
    rule = PublicationRule.for_case(case.kind, region, case.decided_on)
    if rule is None:
        return None
    publication = Publication(
        case=case,
        unit_id=case.unit_id,
        rule=rule,
        case_kind=case.kind,
        decided_on=case.decided_on,
        due_on=due_day(rule, case.decided_on, calendar_for(region)),
    )
    try:
        with transaction.atomic():
            publication.save()
    except IntegrityError:
        # Two decisions of the same case at once cannot happen (advance locks the case); a retried call can.
        return Publication.objects.get(case_id=case.pk)
    return publication


def decision_notes(case: Case) -> str:
    event = case.events.filter(step=CaseStep.DECIDE).order_by("-on", "-pk").first()
    return event.notes if event is not None else ""


def party_of(case: Case) -> masking.Party:
    return masking.Party(
        name=case.party_name,
        type=case.party_type,
        id_number=case.party_id_number,
        phone=case.party_phone,
        address=case.party_address,
    )


@dataclass(frozen=True)
class Preview:
    """What the portal will show, masked: staff read it before they publish."""

    body_name: str
    case_number: str
    party: masking.MaskedParty
    facts: str
    legal_basis: str
    decision: str


def preview(case: Case, facts: str | None = None, decision: str | None = None) -> Preview:
    """The masked text of a case's decision. `facts` and `decision` replace the case's own (its cause and the
    notes of the decision step) when staff write a summary for the public."""
    party = party_of(case)
    raw_facts = case.cause if facts is None else facts
    raw_decision = decision_notes(case) if decision is None else decision
    return Preview(
        body_name=case.unit.name,
        case_number=case.number,
        party=masking.mask_party(party),
        facts=masking.mask_text(raw_facts.strip(), party),
        legal_basis=masking.mask_text(case.power.legal_basis.strip(), party) if case.power else "",
        decision=masking.mask_text(raw_decision.strip(), party),
    )


def freeze(publication: Publication, case: Case, shown: Preview) -> None:
    """Copy the masked text into the publication, as it will stay whatever the case file says later (for
    `publish`, and for the generator of benchmark data, which publishes in bulk)."""
    publication.body_name = shown.body_name
    publication.case_number = shown.case_number
    publication.party_name = shown.party.name
    publication.party_type = case.party_type
    publication.party_id_number = shown.party.id_number
    publication.party_address = shown.party.address
    publication.facts = shown.facts
    publication.legal_basis = shown.legal_basis
    publication.decision = shown.decision
    publication.penalty_amount = case.penalty_amount
    publication.decided_on = case.decided_on or publication.decided_on


@transaction.atomic
def publish(case: Case, user: Any, *, facts: str | None = None, decision: str | None = None) -> Publication:
    """Publish a decided case's decision, masked, now. Raises ValidationError if it is not pending."""
    publication = (
        Publication.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(case_id=case.pk)
        .first()
    )
    if publication is None:
        created = on_decided(case)
        if created is None:
            raise ValidationError(_("Decisions of this kind are not published in this region."))
        publication = Publication.objects.select_for_update(of=("self",)).get(pk=created.pk)
    _check_right(user, publication)
    if publication.status != PublicationStatus.PENDING:
        raise ValidationError(
            _("This decision is already “%(status)s”: reload the page.")
            % {"status": publication.get_status_display()}
        )
    case = Case.objects.select_related("unit", "power").get(pk=case.pk)
    freeze(publication, case, preview(case, facts, decision))
    publication.status = PublicationStatus.PUBLISHED
    publication.published_at = timezone.now()
    publication.published_by = user if getattr(user, "is_authenticated", False) else None
    publication.full_clean()
    publication.save()
    return publication


@transaction.atomic
def withdraw(publication: Publication, user: Any, note: str) -> Publication:
    """Withdraw a publication when its decision is revoked: the decision text leaves the portal, the note
    (why, and by which act) takes its place."""
    locked = Publication.objects.select_for_update(of=("self",)).select_related("unit").get(pk=publication.pk)
    _check_right(user, locked)
    note = note.strip()
    if not note:
        raise ValidationError(_("Say why the publication is withdrawn (for example, which act revoked it)."))
    if locked.status == PublicationStatus.WITHDRAWN:
        raise ValidationError(_("This publication has already been withdrawn: reload the page."))
    locked.status = PublicationStatus.WITHDRAWN
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = user if getattr(user, "is_authenticated", False) else None
    locked.withdrawal_note = masking.mask_text(note, party_of(locked.case))
    locked.full_clean()
    locked.save()
    return locked


# --- questions ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overdue:
    publication: Publication
    days_overdue: int  # working days after the due day, today included


def with_days_overdue(publications: Iterable[Publication], today: datetime.date) -> list[Overdue]:
    """Each publication with the working days it is overdue (pass rows with `unit__region` selected)."""
    calendars: dict[int, Calendar] = {}
    found = []
    for publication in publications:
        region = publication.unit.region
        if region.pk not in calendars:
            calendars[region.pk] = calendar_for(region)
        days = calendars[region.pk].workdays_between(publication.due_on, today)
        found.append(Overdue(publication, max(days, 0)))
    return found


def overdue_publications(region: Region, today: datetime.date) -> list[Overdue]:
    """Decisions of `region` and the regions below it not published by their due day, the oldest first."""
    rows = (
        Publication.objects.overdue(today)
        .in_region(region)
        .select_related("unit__region", "case")
        .order_by("unit__name", "due_on", "pk")
    )
    return with_days_overdue(rows, today)


# --- access -------------------------------------------------------------------------------------------------


def office_paths(user: Any) -> tuple[str, ...]:
    """The regions whose publications the user oversees: as their coordinator or their leader."""
    scope = scope_for(user)
    return (*scope.managed_paths, *scope.leader_paths)


def readable_publications(user: Any) -> PublicationQuerySet:
    """Publications the user may see before they are public: their own bodies', and those of the regions
    they coordinate or lead."""
    scope = scope_for(user)
    if scope.is_admin:
        return Publication.objects.all()
    return Publication.objects.filter(
        Q(unit_id__in=staff_unit_ids(user)) | path_q(office_paths(user), "unit__region__path")
    )


def get_publication_for_user(user: Any, pk: Any, write: bool = False) -> Publication:
    """404 outside the user's reach; 403 on write for those who only read (the office, the leader)."""
    publication: Publication = get_or_404(
        readable_publications(user).select_related("unit__region", "case__unit", "case__power"), pk
    )
    if write and not can_manage(user, publication):
        raise PermissionDenied
    return publication
