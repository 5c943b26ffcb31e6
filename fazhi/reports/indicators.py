"""Indicator values computed from the year's records, each with the ids of the records it came from.

The scope is a region's published plans of one year (or one unit's share of them). Definitions follow the
supervision dashboards (fazhi/supervision/dashboards.py):
- an assignment is complete when it has an accepted report whose progress is "completed"; a task is complete
  when all its assignments (in the scope) are;
- a report is late when first submitted (local date) after its due date, or not submitted once its due date
  has passed by `as_of`; on time when first submitted on or before it; a red card when first submitted after
  its red-card date, or still owed past it;
- a plan target is met when the value it is measured by meets its comparator: the linked indicator's value, or
  else the values units gave in their latest accepted report for it (every unit's value must meet it).

`as_of` defaults to the last day of the year, so the same records always give the same figures.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef
from django.utils import timezone

from fazhi.orgs.models import Region, Unit
from fazhi.plans.models import Assignment, Comparator, Plan, Target, Task, TaskKind
from fazhi.supervision.models import OPEN_STATUSES, Progress, Report, ReportStatus, TargetValue

from .models import Indicator, IndicatorSource, TargetIndicator

Sources = dict[str, tuple[int, ...]]

PLAN, TASK, REPORT, TARGET, TARGET_VALUE = (
    "plans.plan",
    "plans.task",
    "supervision.report",
    "plans.target",
    "supervision.targetvalue",
)


def sources_of(**groups: Iterable[int]) -> Sources:
    """{"plans.task": (3, 5)} from task=[5, 3]: keys are model labels, ids sorted, empty groups left out."""
    labels = {"plan": PLAN, "task": TASK, "report": REPORT, "target": TARGET, "target_value": TARGET_VALUE}
    result: Sources = {}
    for key, ids in groups.items():
        unique = tuple(sorted(set(ids)))
        if unique:
            result[labels.get(key, key)] = unique
    return result


def merge(*parts: Sources) -> Sources:
    groups: dict[str, set[int]] = defaultdict(set)
    for part in parts:
        for key, ids in part.items():
            groups[key].update(ids)
    return {key: tuple(sorted(ids)) for key, ids in sorted(groups.items()) if ids}


@dataclass(frozen=True)
class Scope:
    region: Region
    year: int
    unit: Unit | None = None
    as_of: datetime.date | None = None

    @property
    def day(self) -> datetime.date:
        return self.as_of or datetime.date(self.year, 12, 31)


@dataclass(frozen=True)
class ReportRow:
    pk: int
    task_id: int
    unit_id: int
    assignment_id: int
    status: str
    progress: str
    due_date: datetime.date
    red_date: datetime.date
    submitted_on: datetime.date | None
    times_returned: int
    accepted_at: datetime.datetime | None

    @property
    def order_key(self) -> tuple[datetime.date, float, int]:
        """Later rounds, then later acceptance, come last: the newest accepted report is the max."""
        return self.due_date, self.accepted_at.timestamp() if self.accepted_at else 0.0, self.pk

    def late(self, day: datetime.date) -> bool:
        if self.submitted_on is not None:
            return self.submitted_on > self.due_date
        return self.due_date < day

    def timed(self, day: datetime.date) -> bool:
        return self.submitted_on is not None or self.due_date < day

    def red_card(self, day: datetime.date) -> bool:
        if self.submitted_on is not None and self.submitted_on > self.red_date:
            return True
        return self.status in OPEN_STATUSES and self.red_date < day


@dataclass(frozen=True)
class TargetResult:
    target: Target
    values: tuple[Decimal, ...]
    met: bool | None  # None: nothing measured yet
    sources: Sources


@dataclass
class Records:
    """The scope's rows, read once (a handful of queries whatever the size of the plan)."""

    scope: Scope
    plans: list[Plan]
    tasks: list[Task]
    assignments: dict[int, list[tuple[int, int, bool]]]  # task id → [(assignment id, unit id, complete)]
    reports: list[ReportRow]
    targets: list[TargetResult] = field(default_factory=list)

    @property
    def complete_tasks(self) -> list[int]:
        return [task.pk for task in self.tasks if all(done for _a, _u, done in self.assignments[task.pk])]

    @property
    def unfinished_tasks(self) -> list[int]:
        complete = set(self.complete_tasks)
        return [task.pk for task in self.tasks if task.pk not in complete]


def load(scope: Scope) -> Records:
    plans = list(Plan.objects.published().filter(region=scope.region, year=scope.year).order_by("pk"))
    assignments = Assignment.objects.filter(task__plan__in=plans)
    if scope.unit is not None:
        assignments = assignments.filter(unit=scope.unit)
    complete = Exists(
        Report.objects.filter(
            assignment_id=OuterRef("pk"), status=ReportStatus.ACCEPTED, progress=Progress.DONE
        )
    )
    by_task: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
    for pk, task_id, unit_id, done in (
        assignments.annotate(done=complete)
        .order_by("task_id", "pk")
        .values_list("pk", "task_id", "unit_id", "done")
    ):
        by_task[task_id].append((pk, unit_id, bool(done)))
    tasks = list(
        Task.objects.filter(plan__in=plans, kind=TaskKind.TASK, pk__in=list(by_task))
        .select_related("plan")
        .order_by("plan_id", "position", "pk")
    )
    reports = Report.objects.filter(plan__in=plans)
    if scope.unit is not None:
        reports = reports.filter(unit=scope.unit)
    fields = ("pk", "task_id", "unit_id", "assignment_id", "status", "progress", "due_date", "red_date")
    more = ("first_submitted_at", "times_returned", "accepted_at")
    rows = []
    for values in reports.order_by("pk").values_list(*fields, *more):
        *head, first, returned, accepted = values
        submitted_on = timezone.localdate(first) if first else None
        rows.append(ReportRow(*head, submitted_on, returned, accepted))  # type: ignore[call-arg]
    records = Records(scope, plans, tasks, dict(by_task), rows)
    records.targets = target_results(records)
    return records


# --- targets ------------------------------------------------------------------------------------------------


def meets(target: Target, value: Decimal) -> bool:
    match target.comparator:
        case Comparator.AT_LEAST:
            return value >= target.value
        case Comparator.AT_MOST:
            return value <= target.value
        case Comparator.MORE_THAN:
            return value > target.value
        case Comparator.LESS_THAN:
            return value < target.value
        case Comparator.RANGE:
            return target.value <= value <= (target.value_max if target.value_max is not None else value)
        case _:
            return value == target.value


def target_results(records: Records) -> list[TargetResult]:
    task_ids = [task.pk for task in records.tasks]
    targets = list(
        Target.objects.filter(task_id__in=task_ids)
        .select_related("task")
        .order_by("task_id", "position", "pk")
    )
    links = {
        link.target_id: link.indicator
        for link in TargetIndicator.objects.filter(target__in=targets).select_related("indicator")
    }
    accepted = {row.pk: row for row in records.reports if row.status == ReportStatus.ACCEPTED}
    # The latest accepted report of each assignment gives that unit's value for the target.
    latest: dict[tuple[int, int], tuple[tuple[datetime.date, float, int], int, Decimal]] = {}
    for pk, target_id, report_id, value in TargetValue.objects.filter(
        target__in=targets, report_id__in=list(accepted)
    ).values_list("pk", "target_id", "report_id", "value"):
        row = accepted[report_id]
        key = row.order_key
        slot = (target_id, row.assignment_id)
        if slot not in latest or latest[slot][0] < key:
            latest[slot] = (key, pk, value)
    computed: dict[str, tuple[Decimal, Sources]] = {}
    results = []
    for target in targets:
        indicator = links.get(target.pk)
        if indicator is not None and indicator.computation in COMPUTATIONS:
            if indicator.computation not in computed:
                computed[indicator.computation] = COMPUTATIONS[indicator.computation](records)
            value, sources = computed[indicator.computation]
            results.append(
                TargetResult(
                    target, (value,), meets(target, value), merge(sources, sources_of(target=[target.pk]))
                )
            )
            continue
        found = sorted(
            (slot[1], pk, value) for slot, (_key, pk, value) in latest.items() if slot[0] == target.pk
        )
        values = tuple(value for _a, _pk, value in found)
        met = all(meets(target, value) for value in values) if values else None
        value_ids = [pk for _a, pk, _v in found]
        report_ids = (
            [
                report_id
                for (report_id,) in TargetValue.objects.filter(pk__in=value_ids).values_list("report_id")
            ]
            if value_ids
            else []
        )
        results.append(
            TargetResult(
                target, values, met, sources_of(target=[target.pk], target_value=value_ids, report=report_ids)
            )
        )
    return results


# --- the computations ---------------------------------------------------------------------------------------

PERCENT = Decimal("0.1")


def percent(done: int, total: int) -> Decimal:
    return (Decimal(100) * done / total).quantize(PERCENT, rounding=ROUND_HALF_UP) if total else Decimal(0)


def _count(ids: list[int], key: str) -> tuple[Decimal, Sources]:
    return Decimal(len(ids)), sources_of(**{key: ids})


def _late(records: Records) -> list[int]:
    return [row.pk for row in records.reports if row.late(records.scope.day)]


def _on_time_rate(records: Records) -> tuple[Decimal, Sources]:
    day = records.scope.day
    timed = [row.pk for row in records.reports if row.timed(day)]
    on_time = [row.pk for row in records.reports if row.timed(day) and not row.late(day)]
    return percent(len(on_time), len(timed)), sources_of(report=timed)


def _completion_rate(records: Records) -> tuple[Decimal, Sources]:
    return percent(len(records.complete_tasks), len(records.tasks)), sources_of(
        task=[t.pk for t in records.tasks]
    )


COMPUTATIONS: dict[str, Callable[[Records], tuple[Decimal, Sources]]] = {
    "tasks": lambda r: _count([t.pk for t in r.tasks], "task"),
    "tasks_completed": lambda r: _count(r.complete_tasks, "task"),
    "tasks_unfinished": lambda r: _count(r.unfinished_tasks, "task"),
    "completion_rate": _completion_rate,
    "reports": lambda r: _count([row.pk for row in r.reports], "report"),
    "reports_accepted": lambda r: _count(
        [row.pk for row in r.reports if row.status == ReportStatus.ACCEPTED], "report"
    ),
    "reports_returned": lambda r: _count([row.pk for row in r.reports if row.times_returned], "report"),
    "reports_late": lambda r: _count(_late(r), "report"),
    "on_time_rate": _on_time_rate,
    "red_cards": lambda r: _count([row.pk for row in r.reports if row.red_card(r.scope.day)], "report"),
    "targets_met": lambda r: (
        Decimal(sum(1 for t in r.targets if t.met)),
        merge(*(t.sources for t in r.targets if t.met)),
    ),
    "targets_unmet": lambda r: (
        Decimal(sum(1 for t in r.targets if t.met is False)),
        merge(*(t.sources for t in r.targets if t.met is False)),
    ),
}


@dataclass(frozen=True)
class Value:
    indicator: Indicator
    value: Decimal
    sources: Sources


def compute(records: Records, indicators: Iterable[Indicator] | None = None) -> dict[str, Value]:
    """The computed indicators in force on the scope's day, by code (entered ones are not computed here)."""
    if indicators is None:
        indicators = Indicator.objects.effective(records.scope.day).filter(source=IndicatorSource.COMPUTED)
    values = {}
    for indicator in indicators:
        function = COMPUTATIONS.get(indicator.computation)
        if function is None:
            continue
        value, sources = function(records)
        values[indicator.code] = Value(indicator, value, sources)
    return values
