"""Access chokepoints for plans.

- Drafts (and imports) belong to the office: only coordinators of the plan's region (and administrators)
  see them.
- Published plans are read by everyone whose roles reach the region, and by those below it (a district reads
  the city's plan it carries out).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from fazhi.orgs.access import can_manage_region, get_or_404, in_managed_regions, path_q, scope_for

from .models import Plan, PlanImport, PlanStatus, Task


def _ancestor_ids(paths: tuple[str, ...]) -> set[int]:
    return {int(part) for path in paths for part in path.strip("/").split("/") if part}


def readable_plans(user: Any) -> QuerySet[Plan]:
    scope = scope_for(user)
    if scope.is_admin:
        return Plan.objects.all()
    published = Q(status=PlanStatus.PUBLISHED) & (
        path_q(scope.read_paths, "region__path") | Q(region_id__in=_ancestor_ids(scope.read_paths))
    )
    return Plan.objects.filter(published | path_q(scope.managed_paths, "region__path"))


def get_plan_for_user(user: Any, pk: Any, write: bool = False) -> Plan:
    plan: Plan = get_or_404(readable_plans(user).select_related("region"), pk)
    if write and not can_manage_region(user, plan.region):
        raise PermissionDenied
    return plan


def get_task_for_user(user: Any, pk: Any, write: bool = False) -> Task:
    task: Task = get_or_404(
        Task.objects.filter(plan__in=readable_plans(user)).select_related("plan__region"), pk
    )
    if write and not can_manage_region(user, task.plan.region):
        raise PermissionDenied
    return task


def readable_imports(user: Any) -> QuerySet[PlanImport]:
    return in_managed_regions(PlanImport.objects.all(), user)


def get_import_for_user(user: Any, pk: Any) -> PlanImport:
    job: PlanImport = get_or_404(readable_imports(user).select_related("region", "plan"), pk)
    return job
