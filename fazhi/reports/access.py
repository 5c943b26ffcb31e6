"""Access to the annual report pages: the office of a region (its coordinators, an administrator) and the
region's leader read a region's report and its draft; only the office edits and publishes the draft. A unit's
own report is read by the unit's staff, and by the office and leaders of its region.

A region outside the user's reach answers 404, so its existence does not leak; signed-in users without a
coordinator or leader role get 403 from `role_required` before any lookup.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fazhi.orgs.access import can_manage_region, get_or_404, path_q, scope_for
from fazhi.orgs.models import Region, RegionLevel, Role, Unit, UnitQuerySet
from fazhi.plans.models import Plan, Task

from .models import (
    Indicator,
    IndicatorEvidence,
    IndicatorQuerySet,
    IndicatorSource,
    IndicatorValue,
    IndicatorValueQuerySet,
)

REPORT_ROLES = (Role.COORDINATOR, Role.LEADER)


def report_regions(user: Any) -> QuerySet[Region]:
    """Regions whose annual report the user may read: those they coordinate or lead, and the regions below."""
    scope = scope_for(user)
    if scope.is_admin:
        return Region.objects.all()
    return Region.objects.filter(path_q((*scope.managed_paths, *scope.leader_paths), "path"))


def get_report_region_for_user(user: Any, pk: Any) -> Region:
    region: Region = get_or_404(report_regions(user), pk)
    return region


def get_draft_region_for_user(user: Any, pk: Any, write: bool = False) -> Region:
    """A region whose report draft the user reads (its office and leaders) or, with `write`, edits and
    publishes (its office only: a leader reads)."""
    region = get_report_region_for_user(user, pk)
    if write and not can_manage_region(user, region):
        raise PermissionDenied
    return region


def report_units(user: Any) -> UnitQuerySet:
    """Units whose own annual report the user may read: their own units (head or liaison), and every unit
    in the regions they coordinate or lead."""
    scope = scope_for(user)
    if scope.is_admin:
        return Unit.objects.all()
    paths = (*scope.managed_paths, *scope.leader_paths)
    return Unit.objects.filter(Q(pk__in=scope.unit_ids) | path_q(paths, "region__path"))


def get_report_unit_for_user(user: Any, pk: Any) -> Unit:
    unit: Unit = get_or_404(report_units(user).select_related("region__parent"), pk)
    return unit


def report_years(region: Region) -> list[int]:
    """The years of the region's published plans, newest first: the years a report can be made for."""
    years = Plan.objects.published().filter(region=region).values_list("year", flat=True)
    return sorted(set(years), reverse=True)


def plans_of_tasks(task_ids: list[int]) -> dict[int, int]:
    """Task id → its plan's id, for linking a task to the plan page (one query)."""
    return dict(Task.objects.filter(pk__in=task_ids).values_list("pk", "plan_id"))


def indicator_names() -> dict[str, str]:
    from .models import Indicator

    names = dict(Indicator.objects.values_list("code", "name"))
    names.setdefault("year", "年度")
    return names


# --- entered indicator values -------------------------------------------------------------------------------
#
# Unit staff (head, liaison) read and write their own units' values; the office of a region (coordinators)
# reads every unit's values in its regions and writes the region-level values (unit empty); the region's
# leader reads both and writes nothing. Anything else answers 404; a value the user may read but not change,
# 403.

ENTRY_ROLES = (Role.COORDINATOR, Role.LEADER, Role.UNIT_HEAD, Role.LIAISON)


@dataclass(frozen=True)
class EntryTarget:
    """Whose value it is: a unit (filed under the region whose plans it follows) or a region itself."""

    region: Region
    unit: Unit | None = None

    @property
    def name(self) -> str:
        return self.unit.name if self.unit is not None else self.region.name

    @property
    def query(self) -> str:
        return f"?unit={self.unit.pk}" if self.unit is not None else f"?region={self.region.pk}"


def plan_region(unit: Unit) -> Region:
    """The region whose plans a unit follows: town units follow the county-level region above them."""
    region = unit.region
    if region.level == RegionLevel.TOWN and region.parent is not None:
        return region.parent
    return region


def _office_paths(user: Any) -> tuple[str, ...]:
    scope = scope_for(user)
    return (*scope.managed_paths, *scope.leader_paths)


def entry_values(user: Any) -> IndicatorValueQuerySet:
    """Entered values the user may read: their own units', and all in the regions they coordinate or lead."""
    scope = scope_for(user)
    values = IndicatorValue.objects.entered()
    if scope.is_admin:
        return values
    office = _office_paths(user)
    return values.filter(
        Q(unit_id__in=scope.unit_ids) | path_q(office, "region__path") | path_q(office, "unit__region__path")
    )


def can_read_target(user: Any, target: EntryTarget) -> bool:
    scope = scope_for(user)
    if scope.is_admin:
        return True
    paths = [target.region.path] if target.unit is None else [target.region.path, target.unit.region.path]
    if any(path.startswith(office) for path in paths for office in _office_paths(user)):
        return True
    return target.unit is not None and target.unit.pk in scope.unit_ids


def can_write_target(user: Any, target: EntryTarget) -> bool:
    if target.unit is not None:
        return target.unit.pk in scope_for(user).unit_ids
    return can_manage_region(user, target.region)


def require_write(user: Any, target: EntryTarget) -> None:
    if not can_write_target(user, target):
        raise PermissionDenied


def get_entry_target_for_user(
    user: Any, unit_pk: Any = None, region_pk: Any = None, write: bool = False
) -> EntryTarget:
    if unit_pk not in (None, ""):
        unit: Unit = get_or_404(Unit.objects.select_related("region__parent"), unit_pk)
        target = EntryTarget(plan_region(unit), unit)
    elif region_pk not in (None, ""):
        target = EntryTarget(get_or_404(Region.objects.all(), region_pk))
    else:
        raise Http404
    if not can_read_target(user, target):
        raise Http404
    if write:
        require_write(user, target)
    return target


def get_value_for_user(user: Any, pk: Any, write: bool = False) -> IndicatorValue:
    value: IndicatorValue = get_or_404(
        entry_values(user).select_related("indicator", "region", "unit__region"), pk
    )
    if write:
        require_write(user, EntryTarget(value.region, value.unit))
    return value


def get_evidence_for_user(user: Any, pk: Any, write: bool = False) -> IndicatorEvidence:
    evidence: IndicatorEvidence = get_or_404(
        IndicatorEvidence.objects.filter(value__in=entry_values(user)).select_related(
            "value__indicator", "value__region", "value__unit__region"
        ),
        pk,
    )
    if write:
        require_write(user, EntryTarget(evidence.value.region, evidence.value.unit))
    return evidence


def entered_indicators(year: int) -> IndicatorQuerySet:
    """The indicators entered by hand that are in force at some time in `year`."""
    return Indicator.objects.filter(
        Q(source=IndicatorSource.ENTERED),
        Q(effective_from__lte=datetime.date(year, 12, 31)),
        Q(effective_to__isnull=True) | Q(effective_to__gte=datetime.date(year, 1, 1)),
    )


def get_entered_indicator(code: str, year: int) -> Indicator:
    indicator = entered_indicators(year).filter(code=code).first()
    if indicator is None:
        raise Http404
    return indicator


def entry_years(region: Region) -> list[int]:
    """Years a value may be entered for: the region's published plan years and the current year."""
    return sorted({*report_years(region), timezone.localdate().year}, reverse=True)


def entry_regions(user: Any) -> QuerySet[Region]:
    """Regions whose values the user reads as the office or a leader (not as unit staff)."""
    return report_regions(user).order_by("path")


def own_units(user: Any) -> QuerySet[Unit]:
    units = Unit.objects.filter(pk__in=scope_for(user).unit_ids)
    return units.select_related("region__parent").order_by("name")


def units_in_region(region: Region) -> QuerySet[Unit]:
    """Active units of a region and the regions below it; call only for a region the user may read."""
    units = Unit.objects.filter(region__path__startswith=region.path, is_active=True)
    return units.order_by("region__path", "name")
