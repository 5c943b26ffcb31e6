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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import NamedTuple

from django.db.models import Exists, OuterRef
from django.utils import timezone

from fazhi.enforcement import figures
from fazhi.enforcement.models import CaseKind
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


class ReportRow(NamedTuple):
    """One progress report, as the figures need it (a tuple: a county's year is ten thousand of them)."""

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

    # The lists below are worked out once: the records are not changed after `load` (targets aside, which
    # these do not read).

    @cached_property
    def _complete(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        complete, unfinished = [], []
        for task in self.tasks:
            if all(done for _a, _u, done in self.assignments[task.pk]):
                complete.append(task.pk)
            else:
                unfinished.append(task.pk)
        return tuple(complete), tuple(unfinished)

    @property
    def complete_tasks(self) -> list[int]:
        return list(self._complete[0])

    @property
    def unfinished_tasks(self) -> list[int]:
        return list(self._complete[1])

    @cached_property
    def tally(self) -> ReportTally:
        return ReportTally.of(self.reports, self.scope.day)

    @cached_property
    def enforcement(self) -> tuple[figures.EnforcementFigures, figures.CaseFigures] | None:
        """The region's enforcement registers and cases of the year; None for a unit's own report (its
        figures are the region's, not the unit's)."""
        if self.scope.unit is not None:
            return None
        region, year = self.scope.region, self.scope.year
        return figures.enforcement_figures(region, year), figures.case_figures(region, year)


@dataclass(frozen=True)
class ReportTally:
    """The report ids each report figure counts, in the rows' order, from one pass over the rows."""

    all: tuple[int, ...]
    accepted: tuple[int, ...]
    returned: tuple[int, ...]
    late: tuple[int, ...]
    timed: tuple[int, ...]
    on_time: tuple[int, ...]
    red: tuple[int, ...]

    @classmethod
    def of(cls, rows: Iterable[ReportRow], day: datetime.date) -> ReportTally:
        every: list[int] = []
        accepted: list[int] = []
        returned: list[int] = []
        late: list[int] = []
        timed: list[int] = []
        on_time: list[int] = []
        red: list[int] = []
        for row in rows:
            pk = row.pk
            every.append(pk)
            if row.status == ReportStatus.ACCEPTED:
                accepted.append(pk)
            if row.times_returned:
                returned.append(pk)
            if row.late(day):
                late.append(pk)
            elif row.timed(day):
                on_time.append(pk)
            if row.timed(day):
                timed.append(pk)
            if row.red_card(day):
                red.append(pk)
        return cls(*map(tuple, (every, accepted, returned, late, timed, on_time, red)))


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
    plan_tasks = Task.objects.filter(plan__in=plans, kind=TaskKind.TASK).order_by("plan_id", "position", "pk")
    if scope.unit is not None:
        plan_tasks = plan_tasks.filter(pk__in=list(by_task))
    # A region's scope is nearly all of its plans' tasks: kept here rather than by a thousand ids in the SQL.
    tasks = [task for task in plan_tasks if task.pk in by_task]
    reports = Report.objects.filter(plan__in=plans)
    if scope.unit is not None:
        reports = reports.filter(unit=scope.unit)
    fields = ("pk", "task_id", "unit_id", "assignment_id", "status", "progress", "due_date", "red_date")
    more = ("first_submitted_at", "times_returned", "accepted_at")
    zone = timezone.get_current_timezone()  # timezone.localdate() for each of ten thousand rows costs more
    make = ReportRow._make
    rows = [
        make((*head, first.astimezone(zone).date() if first else None, returned, accepted))
        for *head, first, returned, accepted in reports.order_by("pk").values_list(*fields, *more)
    ]
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
    task_ids = {task.pk for task in records.tasks}
    if not task_ids:
        return []
    # By the plans rather than by a list of a thousand task ids; tasks outside the scope are dropped here.
    targets = [
        target
        for target in Target.objects.filter(task__plan__in=records.plans)
        .select_related("task")
        .order_by("task_id", "position", "pk")
        if target.task_id in task_ids
    ]
    if not targets:
        return []
    links = {
        link.target_id: link.indicator
        for link in TargetIndicator.objects.filter(target__in=targets).select_related("indicator")
    }
    accepted = {row.pk: row for row in records.reports if row.status == ReportStatus.ACCEPTED}
    values = TargetValue.objects.filter(
        target__in=targets, report__plan__in=records.plans, report__status=ReportStatus.ACCEPTED
    )
    if records.scope.unit is not None:
        values = values.filter(report__unit=records.scope.unit)
    # The latest accepted report of each assignment gives that unit's value for the target.
    latest: dict[tuple[int, int], tuple[tuple[datetime.date, float, int], int, Decimal, int]] = {}
    for pk, target_id, report_id, value in values.values_list("pk", "target_id", "report_id", "value"):
        row = accepted.get(report_id)
        if row is None:  # accepted since the rows were read: not in this report's figures
            continue
        key = row.order_key
        slot = (target_id, row.assignment_id)
        if slot not in latest or latest[slot][0] < key:
            latest[slot] = (key, pk, value, report_id)
    by_target: dict[int, list[tuple[int, int, Decimal, int]]] = defaultdict(list)
    for (target_id, assignment_id), (_key, pk, value, report_id) in latest.items():
        by_target[target_id].append((assignment_id, pk, value, report_id))
    computed: dict[str, Computed] = {}
    results = []
    for target in targets:
        indicator = links.get(target.pk)
        if indicator is not None and indicator.computation in COMPUTATIONS:
            if indicator.computation not in computed:
                computed[indicator.computation] = COMPUTATIONS[indicator.computation](records)
            result = computed[indicator.computation]
            if result is None:
                results.append(TargetResult(target, (), None, sources_of(target=[target.pk])))
                continue
            value, sources = result
            results.append(
                TargetResult(
                    target, (value,), meets(target, value), merge(sources, sources_of(target=[target.pk]))
                )
            )
            continue
        found = sorted(by_target.get(target.pk, []))  # in the assignments' order
        measured = tuple(value for _a, _pk, value, _r in found)
        met = all(meets(target, value) for value in measured) if measured else None
        results.append(
            TargetResult(
                target,
                measured,
                met,
                sources_of(
                    target=[target.pk],
                    target_value=[pk for _a, pk, _v, _r in found],
                    report=[report_id for _a, _pk, _v, report_id in found],
                ),
            )
        )
    return results


# --- the computations ---------------------------------------------------------------------------------------

PERCENT = Decimal("0.1")


def percent(done: int, total: int) -> Decimal:
    return (Decimal(100) * done / total).quantize(PERCENT, rounding=ROUND_HALF_UP) if total else Decimal(0)


def _count(ids: Sequence[int], key: str) -> tuple[Decimal, Sources]:
    return Decimal(len(ids)), sources_of(**{key: ids})


def _on_time_rate(records: Records) -> tuple[Decimal, Sources]:
    tally = records.tally
    return percent(len(tally.on_time), len(tally.timed)), sources_of(report=tally.timed)


def _completion_rate(records: Records) -> tuple[Decimal, Sources]:
    return percent(len(records._complete[0]), len(records.tasks)), sources_of(
        task=[t.pk for t in records.tasks]
    )


# --- from the enforcement registers and cases (fazhi.enforcement.figures); None where there are none --------

OFFICER, CASE = "enforcement.officer", "enforcement.case"
Computed = tuple[Decimal, Sources] | None


def _officers(records: Records) -> Computed:
    if records.enforcement is None or not records.enforcement[0].certified.total:
        return None
    base = records.enforcement[0].certified.base_ids
    return Decimal(len(base)), {OFFICER: tuple(base)}


def _officer_share(
    pick: Callable[[figures.EnforcementFigures], figures.Share],
) -> Callable[[Records], Computed]:
    def compute(records: Records) -> Computed:
        if records.enforcement is None or not pick(records.enforcement[0]).total:
            return None
        share = pick(records.enforcement[0])
        return percent(share.count, share.total), {OFFICER: tuple(share.base_ids)}

    return compute


def _cases(kinds: Sequence[str] | None = None) -> Callable[[Records], Computed]:
    def compute(records: Records) -> Computed:
        if records.enforcement is None:
            return None
        by_kind = records.enforcement[1].by_kind
        ids = sorted(pk for kind, pks in by_kind.items() if kinds is None or kind in kinds for pk in pks)
        if not any(by_kind.values()):
            return None
        return Decimal(len(ids)), ({CASE: tuple(ids)} if ids else {})

    return compute


def _major_review_rate(records: Records) -> Computed:
    if records.enforcement is None or not records.enforcement[1].major_reviewed.total:
        return None
    share = records.enforcement[1].major_reviewed
    return percent(share.count, share.total), {CASE: tuple(share.base_ids)}


COMPUTATIONS: dict[str, Callable[[Records], Computed]] = {
    "tasks": lambda r: _count([t.pk for t in r.tasks], "task"),
    "tasks_completed": lambda r: _count(r._complete[0], "task"),
    "tasks_unfinished": lambda r: _count(r._complete[1], "task"),
    "completion_rate": _completion_rate,
    "reports": lambda r: _count(r.tally.all, "report"),
    "reports_accepted": lambda r: _count(r.tally.accepted, "report"),
    "reports_returned": lambda r: _count(r.tally.returned, "report"),
    "reports_late": lambda r: _count(r.tally.late, "report"),
    "on_time_rate": _on_time_rate,
    "red_cards": lambda r: _count(r.tally.red, "report"),
    "targets_met": lambda r: (
        Decimal(sum(1 for t in r.targets if t.met)),
        merge(*(t.sources for t in r.targets if t.met)),
    ),
    "targets_unmet": lambda r: (
        Decimal(sum(1 for t in r.targets if t.met is False)),
        merge(*(t.sources for t in r.targets if t.met is False)),
    ),
    "officers": _officers,
    "officers_certified_rate": _officer_share(lambda f: f.certified),
    "officers_trained_rate": _officer_share(lambda f: f.trained),
    "cases": _cases(),
    "penalty_cases": _cases((CaseKind.PENALTY_SIMPLE, CaseKind.PENALTY_ORDINARY)),
    "major_review_rate": _major_review_rate,
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
        result = function(records) if function is not None else None
        if result is None:  # unknown, or nothing to count (no enforcement records in a region)
            continue
        value, sources = result
        values[indicator.code] = Value(indicator, value, sources)
    return values
