"""Who sees which supervision figures.

- The office view of a plan (dashboard, overdue list, assessment) is for the coordinators of the plan's region
  or a region above it, the leaders of those regions (read-only) and administrators. Plans elsewhere answer
  404, as the other chokepoints do.
- A unit's dashboard is for its own people (liaison officers, the unit head), and for the office and leaders
  of the unit's region. Another unit's people get 404.
- Figures count reports of every status, drafts included, but only as numbers: the querysets below are for
  aggregates and for lists that show no report text, never for showing what a unit wrote.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from fazhi.orgs.access import can_manage_region, get_or_404, path_q, readable_units, scope_for
from fazhi.orgs.models import Unit
from fazhi.plans.access import readable_plans
from fazhi.plans.models import Assignment, Plan, PlanStatus

from .models import Report, ScoreAdjustment


def office_plans(user: Any) -> QuerySet[Plan]:
    """Published plans whose office view the user may open: plans of the regions they coordinate or lead."""
    scope = scope_for(user)
    published = Plan.objects.published()
    if scope.is_admin:
        return published
    return published.filter(path_q(scope.managed_paths + scope.leader_paths, "region__path"))


def newest(plans: QuerySet[Plan]) -> Plan | None:
    plan: Plan | None = plans.select_related("region").order_by("-year", "-published_at", "-pk").first()
    return plan


def get_office_plan(user: Any, pk: Any) -> Plan:
    plan: Plan = get_or_404(office_plans(user).select_related("region"), pk)
    return plan


def can_manage_plan(user: Any, plan: Plan) -> bool:
    """The office of the plan's region (not its leaders): may enter score adjustments and issue notices."""
    return can_manage_region(user, plan.region)


def plan_reports(plan: Plan) -> QuerySet[Report]:
    """All reports of a plan whose office view the caller has already checked: for counts only."""
    return Report.objects.filter(plan=plan)


def plan_assignments(plan: Plan) -> QuerySet[Assignment]:
    return Assignment.objects.filter(task__plan=plan)


def plan_adjustments(plan: Plan) -> QuerySet[ScoreAdjustment]:
    return ScoreAdjustment.objects.filter(region_id=plan.region_id, year=plan.year)


def get_adjustment_for_user(user: Any, pk: Any) -> ScoreAdjustment:
    """An adjustment the user may withdraw: one entered in a region they coordinate."""
    scope = scope_for(user)
    adjustments = ScoreAdjustment.objects.select_related("region", "unit")
    if not scope.is_admin:
        adjustments = adjustments.filter(path_q(scope.managed_paths, "region__path"))
    adjustment: ScoreAdjustment = get_or_404(adjustments, pk)
    return adjustment


# --- a unit's own dashboard ---------------------------------------------------------------------------------


def get_dashboard_unit(user: Any, pk: Any) -> Unit:
    """A unit whose dashboard the user may open: their own, or one in a region they coordinate or lead."""
    unit: Unit = get_or_404(readable_units(user).select_related("region"), pk)
    scope = scope_for(user)
    oversight = scope.managed_paths + scope.leader_paths
    if not (
        scope.is_admin or unit.pk in scope.unit_ids or any(unit.region.path.startswith(p) for p in oversight)
    ):
        raise Http404
    return unit


def unit_plans(user: Any, unit: Unit) -> QuerySet[Plan]:
    """Published plans the user can read in which the unit owes reports."""
    return (
        readable_plans(user)
        .filter(status=PlanStatus.PUBLISHED)
        .filter(pk__in=Report.objects.filter(unit=unit).values("plan_id"))
    )


def get_unit_plan(user: Any, unit: Unit, pk: Any) -> Plan:
    plan: Plan = get_or_404(unit_plans(user, unit).select_related("region"), pk)
    return plan


def is_unit_member(user: Any, unit: Unit) -> bool:
    return unit.pk in scope_for(user).unit_ids


def published_reports_of(units: list[Unit]) -> QuerySet[Report]:
    """The reports the given units owe in published plans (for their own people's counts)."""
    return Report.objects.filter(unit__in=units, plan__status=PlanStatus.PUBLISHED)


def member_units(user: Any) -> QuerySet[Unit]:
    """The active units where the user is head or liaison officer (their home page's units)."""
    return readable_units(user).filter(pk__in=scope_for(user).unit_ids).active()
