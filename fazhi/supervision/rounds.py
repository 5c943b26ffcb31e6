"""Reporting rounds: which rounds a published plan has, and the report each assignment owes in each.

- A task's own deadlines (11月底前 → 11-30) are rounds for the tasks that carry them.
- Recurrences (每月, 每季度, 每半年, 每年) are rounds at each period's end for the tasks that recur so.
- Every task reports at the year's end (a deadline on 31 December is the same round).
- The office opens further rounds by hand, for all tasks or some.
Due dates falling on a day off move to the next working day; reminder and red-card dates follow the region's
rules (`fazhi.supervision.deadlines`).
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _

from fazhi.audit.recorder import batched
from fazhi.plans.models import Assignment, Plan, Recurrence, Task, TaskKind
from fazhi.plans.signals import plan_published

from .deadlines import DueDateCalculator
from .models import Report, Round, RoundKind


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


@dataclass
class RoundSpec:
    kind: str
    name: str
    due: datetime.date
    task_ids: set[int] = field(default_factory=set)


def _periods(year: int, recurrence: str) -> list[tuple[str, datetime.date]]:
    if recurrence == Recurrence.MONTHLY:
        return [(_("%(month)d月") % {"month": m}, _month_end(year, m)) for m in range(1, 13)]
    if recurrence == Recurrence.QUARTERLY:
        names = [_("first quarter"), _("second quarter"), _("third quarter"), _("fourth quarter")]
        return [(names[q], _month_end(year, 3 * (q + 1))) for q in range(4)]
    if recurrence == Recurrence.HALF_YEARLY:
        return [(_("first half"), _month_end(year, 6)), (_("second half"), _month_end(year, 12))]
    return []


def plan_rounds(plan: Plan) -> list[RoundSpec]:
    """The rounds a plan's deadlines and recurrences call for, each with the tasks it covers."""
    year_end = datetime.date(plan.year, 12, 31)
    tasks = list(plan.tasks.filter(kind=TaskKind.TASK).prefetch_related("deadlines"))
    specs: dict[tuple[str, str], RoundSpec] = {}

    def add(kind: str, name: str, due: datetime.date, task_id: int) -> None:
        spec = specs.setdefault((kind, name), RoundSpec(kind, name, due))
        spec.task_ids.add(task_id)

    for task in tasks:
        for deadline in task.deadlines.all():
            if deadline.due_date and deadline.due_date.year == plan.year and deadline.due_date < year_end:
                add(RoundKind.DEADLINE, f"{deadline.due_date:%m月%d日}前", deadline.due_date, task.pk)
        for name, due in _periods(plan.year, task.recurrence):
            if due < year_end:  # the last period of the year is the year-end round
                kinds: dict[str, str] = {
                    Recurrence.MONTHLY: RoundKind.MONTHLY,
                    Recurrence.QUARTERLY: RoundKind.QUARTERLY,
                }
                kind = kinds.get(task.recurrence, RoundKind.HALF_YEARLY)
                add(kind, f"{plan.year}年{name}", due, task.pk)
        add(RoundKind.YEAR_END, _("%(year)d year end") % {"year": plan.year}, year_end, task.pk)
    return sorted(specs.values(), key=lambda spec: (spec.due, spec.kind, spec.name))


def open_round(
    plan: Plan,
    kind: str,
    name: str,
    due: datetime.date,
    task_ids: Iterable[int],
    user: Any = None,
    note: str = "",
) -> Round:
    """Create a round and the report each assignment of its tasks owes in it."""
    calculator = DueDateCalculator(plan.region)
    dates = calculator.dates(due)
    with transaction.atomic(), batched():
        round_ = Round.objects.create(
            plan=plan, kind=kind, name=name[:100], period_end=due, due_date=dates.due, note=note[:200],
            opened_by=user if getattr(user, "is_authenticated", False) else None,
        )  # fmt: skip
        by_task: dict[int, list[Assignment]] = defaultdict(list)
        for assignment in Assignment.objects.filter(task_id__in=list(task_ids)).select_related("task"):
            by_task[assignment.task_id].append(assignment)
        for assignments in by_task.values():
            for assignment in assignments:
                Report.objects.create(
                    assignment=assignment,
                    round=round_,
                    unit_id=assignment.unit_id,
                    task_id=assignment.task_id,
                    plan=plan,
                    due_date=dates.due,
                    remind_date=dates.remind,
                    red_date=dates.red,
                )
    return round_


def open_plan_rounds(plan: Plan) -> list[Round]:
    return [open_round(plan, spec.kind, spec.name, spec.due, spec.task_ids) for spec in plan_rounds(plan)]


@receiver(plan_published, dispatch_uid="supervision_open_rounds")
def _on_plan_published(sender: object, plan: Plan, **kwargs: object) -> None:
    open_plan_rounds(plan)


def tasks_of(round_: Round) -> list[Task]:
    return list(Task.objects.filter(reports__round=round_).distinct().order_by("position"))
