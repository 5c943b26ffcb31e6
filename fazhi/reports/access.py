"""Access to the annual report pages: the office of a region (its coordinators, an administrator) and the
region's leader read a region's report; unit staff do not (their share is reported through supervision).

A region outside the user's reach answers 404, so its existence does not leak; signed-in users without a
coordinator or leader role get 403 from `role_required` before any lookup.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from fazhi.orgs.access import get_or_404, path_q, scope_for
from fazhi.orgs.models import Region, Role
from fazhi.plans.models import Plan, Task

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
