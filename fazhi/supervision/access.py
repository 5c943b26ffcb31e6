"""Who sees and acts on which reports.

- A unit's own people (liaison officers, unit head) see all its reports, drafts included, and write them.
- Outside the unit nobody sees a report before it leaves the unit (pending, draft, awaiting the unit head).
- The office (coordinators of the plan's region) and the task's lead unit see submitted reports and review
them. - Leaders see submitted reports and the dashboards of their regions; they act on nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from fazhi.orgs.access import get_or_404, path_q, scope_for
from fazhi.orgs.models import Role, RoleAssignment
from fazhi.plans.models import Assignment, UnitRole

from .models import PRIVATE_STATUSES, Evidence, Report, ReportStatus
from .workflow import EDITABLE


def _lead_task_ids(unit_ids: tuple[int, ...]) -> Any:
    return Assignment.objects.filter(unit_id__in=unit_ids, role=UnitRole.LEAD).values("task_id")


def readable_reports(user: Any) -> QuerySet[Report]:
    scope = scope_for(user)
    if scope.is_admin:
        return Report.objects.all()
    own = Q(unit_id__in=scope.unit_ids)
    shared = path_q(scope.managed_paths + scope.leader_paths, "plan__region__path")
    if scope.unit_ids:
        shared |= Q(task_id__in=_lead_task_ids(scope.unit_ids))
    return Report.objects.filter(own | (shared & ~Q(status__in=PRIVATE_STATUSES)))


def get_report_for_user(user: Any, pk: Any) -> Report:
    report: Report = get_or_404(
        readable_reports(user).select_related("unit", "task", "plan__region", "round", "assignment"), pk
    )
    return report


def is_member(user: Any, report: Report) -> bool:
    return report.unit_id in scope_for(user).unit_ids


def is_head(user: Any, report: Report) -> bool:
    return report.unit_id in scope_for(user).head_unit_ids


def can_edit(user: Any, report: Report) -> bool:
    return is_member(user, report) and report.status in EDITABLE


def can_review(user: Any, report: Report) -> bool:
    """The office of the plan's region, or the head of the task's lead unit (for another unit's report)."""
    scope = scope_for(user)
    if scope.is_admin or any(report.plan.region.path.startswith(path) for path in scope.managed_paths):
        return True
    leads = set(
        Assignment.objects.filter(task_id=report.task_id, role=UnitRole.LEAD).values_list(
            "unit_id", flat=True
        )
    )
    return report.unit_id not in leads and bool(leads & set(scope.head_unit_ids))


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def unit_people(
    unit_id: int, roles: tuple[str, ...] = (Role.LIAISON, Role.UNIT_HEAD)
) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(
        unit_id=unit_id, role__in=roles, user__is_active=True
    ).select_related("user")


def get_evidence_for_user(user: Any, pk: Any) -> Evidence:
    evidence: Evidence = get_or_404(Evidence.objects.filter(report__in=readable_reports(user)), pk)
    return evidence


def reviewable_reports(user: Any) -> QuerySet[Report]:
    """Submitted reports waiting for this person's review: the office's, and a lead unit head's for the other
    units on the tasks it leads."""
    scope = scope_for(user)
    waiting = Report.objects.filter(status=ReportStatus.SUBMITTED)
    if scope.is_admin:
        return waiting
    office = path_q(scope.managed_paths, "plan__region__path")
    if scope.head_unit_ids:
        led = Assignment.objects.filter(unit_id__in=scope.head_unit_ids, role=UnitRole.LEAD)
        office |= Q(task_id__in=led.values("task_id")) & ~Q(unit_id__in=scope.head_unit_ids)
    return waiting.filter(office)
