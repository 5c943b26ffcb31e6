"""Who reads which enforcement register, what the register pages list, and an item's change history.

Reading the registers (bodies, officers and their training, powers and their discretion standards):
- the office (coordinators of a region or of a region above it) and the leaders of those regions read every
  body's registers there: they supervise enforcement (行政执法监督);
- a body's own staff (its unit head, its liaison officers, its officers with an account) read their body's;
- the administrator reads everything; anybody else, another region's office included, gets 404 for an item
  and 403 for the lists.
Importing a register into a region is for those who manage the region (fazhi.orgs.access.can_manage_region:
its coordinators and the administrator); the importer (fazhi.enforcement.importing) does the writing.

A record's page shows its change history from the audit trail to whoever reads the record: who (by full
name), when, and which fields changed from what to what — not the address or channel of the write, which stay
in the audit trail for the office. Training hours and the legal reviewer flag are the office's business; the
public portal shows its own subset (fazhi.portal.enforcement_views).
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from fazhi.audit.models import AuditEntry
from fazhi.orgs.access import get_or_404, managed_regions, path_q, scope_for
from fazhi.orgs.models import Region, Unit, User

from . import access
from .models import (
    DiscretionStandard,
    DiscretionStandardQuerySet,
    EnforcementBody,
    EnforcementRules,
    Officer,
    Power,
)

HISTORY_LIMIT = 200
EXPIRING_DAYS = 90  # a certificate ending within this many days shows as expiring


# --- who reaches what ---------------------------------------------------------------------------------------


def _office_paths(user: Any) -> tuple[str, ...]:
    scope = scope_for(user)
    return (*scope.managed_paths, *scope.leader_paths)


def _unit_q(user: Any, field: str) -> Q:
    """Rows whose body (`field` names the Unit) the user reads; everything for the administrator."""
    if scope_for(user).is_admin:
        return Q()
    own = Q(**{f"{field}_id__in": access.staff_unit_ids(user)})
    return own | path_q(_office_paths(user), f"{field}__region__path")


def has_register_reach(user: Any) -> bool:
    """Whether the user reads any register at all (the lists answer 403 otherwise)."""
    scope = scope_for(user)
    if scope.is_admin or _office_paths(user):
        return True
    return Unit.objects.filter(pk__in=access.staff_unit_ids(user), is_enforcement_body=True).exists()


def check_reach(user: Any) -> None:
    if not has_register_reach(user):
        raise PermissionDenied


def bodies_for(user: Any) -> QuerySet[Unit]:
    """The enforcement bodies whose registers the user reads (units marked as enforcement bodies, or that
    still have a register entry after the mark was removed)."""
    marked = Q(is_enforcement_body=True) | Q(enforcement_body__isnull=False)
    if scope_for(user).is_admin:
        return Unit.objects.filter(marked)
    mine = Q(pk__in=access.staff_unit_ids(user)) | path_q(_office_paths(user), "region__path")
    return Unit.objects.filter(marked).filter(mine)


def officers_for(user: Any) -> QuerySet[Officer]:
    return Officer.objects.filter(_unit_q(user, "unit"))


def powers_for(user: Any) -> QuerySet[Power]:
    return Power.objects.filter(_unit_q(user, "unit"))


def standards_for(user: Any) -> DiscretionStandardQuerySet:
    return DiscretionStandard.objects.filter(_unit_q(user, "power__unit"))


def filter_regions(user: Any) -> QuerySet[Region]:
    """The regions a list may be narrowed to: those the user supervises (none for a body's staff)."""
    if scope_for(user).is_admin:
        return Region.objects.all()
    return Region.objects.filter(path_q(_office_paths(user), "path"))


def import_regions(user: Any) -> QuerySet[Region]:
    """The regions the user may import registers into."""
    return managed_regions(user)


def get_body_for_user(user: Any, pk: Any) -> Unit:
    unit: Unit = get_or_404(bodies_for(user).select_related("region"), pk)
    return unit


def get_officer_for_user(user: Any, pk: Any) -> Officer:
    officer: Officer = get_or_404(officers_for(user).select_related("unit__region", "user"), pk)
    return officer


def get_power_for_user(user: Any, pk: Any) -> Power:
    power: Power = get_or_404(powers_for(user).select_related("unit__region"), pk)
    return power


# --- what the lists show ------------------------------------------------------------------------------------


def year_hours(officers: QuerySet[Officer], year: int) -> QuerySet[Officer]:
    """Each officer with `year_hours`: the training hours of `year` (None without any)."""
    return officers.annotate(
        year_hours=Sum(
            "training__hours",
            filter=Q(
                training__date__gte=datetime.date(year, 1, 1), training__date__lte=datetime.date(year, 12, 31)
            ),
        )
    )


@dataclass(frozen=True)
class OfficerRow:
    officer: Officer
    hours: Decimal
    required: Decimal
    certificate: str  # valid, expiring, expired, not_yet
    ends_in: int | None  # days until the certificate ends, when it is expiring

    @property
    def short(self) -> bool:
        return self.officer.is_active and self.hours < self.required


def certificate_state(officer: Officer, today: datetime.date) -> tuple[str, int | None]:
    if officer.valid_from > today:
        return "not_yet", None
    if officer.valid_to is None:
        return "valid", None
    if officer.valid_to < today:
        return "expired", None
    left = (officer.valid_to - today).days
    return ("expiring", left) if left <= EXPIRING_DAYS else ("valid", None)


def officer_rows(officers: Iterable[Officer], today: datetime.date) -> list[OfficerRow]:
    """Officers (annotated by `year_hours`) with this year's hours against their region's requirement."""
    officers = list(officers)
    rules = EnforcementRules.in_force_for(_regions(o.unit for o in officers), today)
    rows = []
    for officer in officers:
        state, left = certificate_state(officer, today)
        hours = getattr(officer, "year_hours", None) or Decimal(0)
        required = rules[officer.unit.region_id].training_hours
        rows.append(OfficerRow(officer, hours, required, state, left))
    return rows


def _regions(units: Iterable[Unit]) -> list[Region]:
    return list({unit.region_id: unit.region for unit in units}.values())


def valid_on(day: datetime.date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def filter_officers(officers: QuerySet[Officer], state: str, today: datetime.date) -> QuerySet[Officer]:
    if state == "valid":
        return officers.filter(valid_on(today), is_active=True)
    if state == "expiring":
        soon = today + datetime.timedelta(days=EXPIRING_DAYS)
        return officers.filter(valid_on(today), is_active=True, valid_to__lte=soon)
    if state == "expired":
        return officers.filter(valid_to__lt=today)
    if state == "inactive":
        return officers.filter(is_active=False)
    return officers


@dataclass(frozen=True)
class StandardRow:
    standard: DiscretionStandard
    status: str  # a FilingStatus value
    due: datetime.date | None
    in_force: bool


def standard_rows(standards: Iterable[DiscretionStandard], today: datetime.date) -> list[StandardRow]:
    """Standards (with power__unit__region selected) and their filing status under their region's rules."""
    standards = list(standards)
    rules = EnforcementRules.in_force_for(_regions(s.power.unit for s in standards), today)
    rows = []
    for standard in standards:
        days = rules[standard.power.unit.region_id].standard_filing_days
        in_force = standard.effective_from <= today and (
            standard.effective_to is None or standard.effective_to >= today
        )
        rows.append(
            StandardRow(standard, standard.filing_status(today, days), standard.filing_due(days), in_force)
        )
    return rows


def body_counts(units: QuerySet[Unit]) -> QuerySet[Unit]:
    """Each body with its active officers and its powers counted (distinct: two joins multiply rows)."""
    return units.annotate(
        officer_count=Count("officers", filter=Q(officers__is_active=True), distinct=True),
        power_count=Count("powers", distinct=True),
    )


@dataclass(frozen=True)
class Reviewers:
    """A body's legal reviewers against the ratio of its region (法制审核人员, default 5% of its officers)."""

    reviewers: int
    officers: int
    required: int
    ratio: Decimal

    @property
    def meets(self) -> bool:
        return self.reviewers >= self.required


def body_reviewers(unit: Unit, today: datetime.date) -> Reviewers:
    active = Officer.objects.filter(unit=unit, is_active=True)
    officers = active.count()
    reviewers = active.filter(is_legal_reviewer=True).count()
    ratio = EnforcementRules.in_force(unit.region, today).legal_reviewer_ratio
    return Reviewers(reviewers, officers, math.ceil(ratio * officers), ratio)


def body_entry(unit: Unit) -> EnforcementBody | None:
    try:
        return unit.enforcement_body
    except EnforcementBody.DoesNotExist:
        return None


# --- change history -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    entry: AuditEntry
    who: str  # the account's full name, or the system
    what: str  # the kind of record (officer, training record …)
    changes: list[Change]


def history(items: Iterable[models.Model]) -> list[HistoryEntry]:
    """The audit trail of some register records, newest first: who changed which field from what to what.

    The caller has reached the records through the chokepoints above; their entries come with them."""
    targets: dict[str, list[str]] = defaultdict(list)
    models_by_label: dict[str, type[models.Model]] = {}
    for item in items:
        label = item._meta.label_lower
        targets[label].append(str(item.pk))
        models_by_label[label] = type(item)
    if not targets:
        return []
    condition = reduce(or_, (Q(target_type=label, target_id__in=ids) for label, ids in targets.items()))
    entries = list(AuditEntry.objects.filter(condition).order_by("-seq")[:HISTORY_LIMIT])
    names = _related_names(entries, models_by_label)
    people = {
        user.pk: user.get_full_name()
        for user in User.objects.filter(pk__in={e.actor_id for e in entries if e.actor_id is not None})
    }
    return [
        HistoryEntry(
            entry,
            people.get(entry.actor_id or 0)
            or (_("the system") if entry.actor_id is None else entry.actor_name),
            str(models_by_label[entry.target_type]._meta.verbose_name),
            _changes(entry, models_by_label[entry.target_type], names),
        )
        for entry in entries
    ]


def _related_names(
    entries: list[AuditEntry], models_by_label: dict[str, type[models.Model]]
) -> dict[tuple[type[models.Model], str], str]:
    """The names of the records the entries' foreign keys point to, one query per related model."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for entry in entries:
        model = models_by_label[entry.target_type]
        for name, values in entry.changes_dict().items():
            field = _field(model, name)
            if field is None or not field.many_to_one or not isinstance(values, list):
                continue
            related = field.related_model
            assert isinstance(related, type)
            wanted[related] |= {v for v in values if v is not None}
    found: dict[tuple[type[models.Model], str], str] = {}
    for related, ids in wanted.items():
        for pk, record in related._default_manager.in_bulk(list(ids)).items():
            found[(related, str(pk))] = str(record)
    return found


def _field(model: type[models.Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _changes(
    entry: AuditEntry, model: type[models.Model], names: dict[tuple[type[models.Model], str], str]
) -> list[Change]:
    changes = []
    for name, values in sorted(entry.changes_dict().items()):
        field = _field(model, name)
        label = str(field.verbose_name) if field is not None and hasattr(field, "verbose_name") else name
        if isinstance(values, list) and len(values) == 2:
            before, after = (_show(field, value, names) for value in values)
            if entry.action == "create" and values[1] in (None, "", False, []):
                continue  # a new record: only the fields it was given
            changes.append(Change(label, before, after))
        else:
            changes.append(Change(label, "", str(values)))
    return changes


def _show(field: Any, value: Any, names: dict[tuple[type[models.Model], str], str]) -> str:
    if value is None or value == "":
        return "—"
    if field is not None and getattr(field, "many_to_one", False):
        return names.get((field.related_model, str(value)), f"#{value}")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    choices = dict(getattr(field, "flatchoices", None) or ())
    if value in choices:
        return str(choices[value])
    return str(value)
