"""The figures of the supervision dashboards, each computed by a grouped query in the database.

Definitions (the pages state them too):
- An assignment is complete when it has an accepted report whose progress is "completed"; a task is complete
  when all its assignments are. Completion rate = complete ÷ all: tasks for areas, assignments for units. Only
  tasks with at least one assignment count.
- A report is on time when it was first submitted (local date) on or before its due date; late when it was
  submitted after it, or is still not submitted once the due date has passed. Reports not yet due and not yet
  submitted are not counted.
- Overdue now: an open report (not yet handed in, or returned) past its due date is a yellow card, past its
  red-card date a red card.
- Trend: per month of the plan year, the assignments completed so far (an assignment completes when its first
  accepted "completed" report is accepted) and the reports accepted that month.

Every function here issues a fixed number of queries whatever the number of rows: grouping happens in SQL and
Python only walks the grouped rows (units × areas, months), never the reports.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from fazhi.lib.workdays import Calendar
from fazhi.plans.models import Assignment, Plan, Task, TaskKind

from .models import OPEN_STATUSES, PRIVATE_STATUSES, Progress, Report, ReportStatus

NO_AREA = 0


@dataclass(frozen=True)
class Ratio:
    done: int
    total: int

    @property
    def rate(self) -> Decimal | None:
        return Decimal(self.done) / Decimal(self.total) if self.total else None

    @property
    def percent(self) -> float | None:
        return round(100 * self.done / self.total, 1) if self.total else None

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.done + other.done, self.total + other.total)


ZERO = Ratio(0, 0)


@dataclass(frozen=True)
class Area:
    key: int  # the pk of the top-level area, NO_AREA for tasks outside any area
    label: str


@dataclass
class Areas:
    """The plan's top-level areas, and which area nodes (sub-areas included) belong to each."""

    areas: list[Area]
    members: dict[int, list[int]]

    def case(self, parent_field: str) -> Case:
        """An SQL expression giving the top-level area of the task whose parent is `parent_field`."""
        whens = [
            When(**{f"{parent_field}__in": ids}, then=Value(key)) for key, ids in self.members.items() if ids
        ]
        return Case(*whens, default=Value(NO_AREA), output_field=IntegerField())

    def label(self, key: int) -> str:
        return next((area.label for area in self.areas if area.key == key), _("Other tasks"))


def plan_areas(plan: Plan) -> Areas:
    """One query: the plan's area nodes (a few dozen), mapped to their top-level area."""
    rows = list(
        Task.objects.filter(plan=plan, kind=TaskKind.AREA)
        .order_by("position")
        .values_list("pk", "parent_id", "path", "title")
    )
    parents: dict[int, int] = {pk: parent for pk, parent, _path, _title in rows if parent is not None}

    def top(pk: int) -> int:
        seen = set()
        while pk in parents and pk not in seen:
            seen.add(pk)
            pk = parents[pk]
        return pk

    areas = [
        Area(pk, f"{''.join(path)} {title}".strip()) for pk, parent, path, title in rows if parent is None
    ]
    members: dict[int, list[int]] = {area.key: [] for area in areas}
    for pk, _parent, _path, _title in rows:
        root = top(pk)
        if root in members:
            members[root].append(pk)
    return Areas(areas, members)


def _complete_report() -> Exists:
    return Exists(
        Report.objects.filter(
            assignment_id=OuterRef("pk"), status=ReportStatus.ACCEPTED, progress=Progress.DONE
        )
    )


# --- completion ---------------------------------------------------------------------------------------------


@dataclass
class UnitRow:
    unit_id: int
    name: str
    sort_order: int
    assignments: Ratio = ZERO
    by_area: dict[int, Ratio] = field(default_factory=dict)
    reports: int = 0
    overdue: int = 0
    red: int = 0
    on_time: Ratio = ZERO  # on time ÷ reports counted for timeliness
    red_cards: int = 0
    rated: int = 0
    quality_sum: int = 0

    @property
    def yellow(self) -> int:
        return self.overdue - self.red


@dataclass
class AreaRow:
    area: Area
    tasks: Ratio
    assignments: Ratio


def assignment_grid(assignments: QuerySet[Assignment], areas: Areas | None) -> dict[int, UnitRow]:
    """One query: assignments and complete assignments per unit and top-level area (all in NO_AREA when
    `areas` is None)."""
    area = areas.case("task__parent_id") if areas is not None else Value(NO_AREA, output_field=IntegerField())
    rows = (
        assignments.annotate(area=area)
        .values("unit_id", "unit__name", "unit__sort_order", "area")
        .annotate(total=Count("pk"), complete=Count("pk", filter=_complete_report()))
        .order_by()
    )
    units: dict[int, UnitRow] = {}
    for row in rows:
        unit = units.setdefault(
            row["unit_id"], UnitRow(row["unit_id"], row["unit__name"], row["unit__sort_order"])
        )
        cell = Ratio(row["complete"], row["total"])
        unit.by_area[row["area"]] = unit.by_area.get(row["area"], ZERO) + cell
        unit.assignments += cell
    return units


def task_completion(plan: Plan, areas: Areas, unit_id: int | None = None) -> dict[int, Ratio]:
    """One query: tasks and complete tasks per top-level area (of one unit's tasks, if given)."""
    assignments = Assignment.objects.filter(task_id=OuterRef("pk"))
    incomplete = Assignment.objects.filter(task_id=OuterRef("pk")).filter(~_complete_report())
    tasks = Task.objects.filter(plan=plan, kind=TaskKind.TASK).filter(Exists(assignments))
    if unit_id is not None:
        tasks = tasks.filter(Exists(assignments.filter(unit_id=unit_id)))
    rows = (
        tasks.annotate(area=areas.case("parent_id"))
        .values("area")
        .annotate(total=Count("pk"), complete=Count("pk", filter=~Exists(incomplete)))
        .order_by()
    )
    return {row["area"]: Ratio(row["complete"], row["total"]) for row in rows}


def add_report_stats(units: dict[int, UnitRow], reports: QuerySet[Report], today: datetime.date) -> None:
    """One query: per unit, its reports, overdue and red now, on time, red cards earned, quality ratings."""
    open_ = Q(status__in=OPEN_STATUSES)
    accepted = Q(status=ReportStatus.ACCEPTED)
    rows = (
        reports.values("unit_id")
        .annotate(
            reports=Count("pk"),
            overdue=Count("pk", filter=open_ & Q(due_date__lt=today)),
            red=Count("pk", filter=open_ & Q(red_date__lt=today)),
            on_time=Count("pk", filter=Q(first_submitted_at__date__lte=F("due_date"))),
            timed=Count("pk", filter=Q(first_submitted_at__isnull=False) | Q(due_date__lt=today)),
            red_cards=Count(
                "pk",
                filter=Q(first_submitted_at__date__gt=F("red_date")) | (open_ & Q(red_date__lt=today)),
            ),
            rated=Count("quality", filter=accepted),
            quality_sum=Sum("quality", filter=accepted),
        )
        .order_by()
    )
    for row in rows:
        unit = units.get(row["unit_id"])
        if unit is None:  # a report whose assignment has gone: nothing to attach it to
            continue
        unit.reports, unit.overdue, unit.red = row["reports"], row["overdue"], row["red"]
        unit.on_time = Ratio(row["on_time"], row["timed"])
        unit.red_cards = row["red_cards"]
        unit.rated, unit.quality_sum = row["rated"], row["quality_sum"] or 0


def sorted_units(units: dict[int, UnitRow]) -> list[UnitRow]:
    return sorted(units.values(), key=lambda u: (u.sort_order, u.name, u.unit_id))


@dataclass
class PlanFigures:
    plan: Plan
    today: datetime.date
    areas: list[AreaRow]
    units: list[UnitRow]
    tasks: Ratio
    assignments: Ratio

    @property
    def overdue(self) -> int:
        return sum(unit.overdue for unit in self.units)

    @property
    def red(self) -> int:
        return sum(unit.red for unit in self.units)

    @property
    def on_time(self) -> Ratio:
        total = ZERO
        for unit in self.units:
            total += unit.on_time
        return total


def plan_figures(plan: Plan, assignments: QuerySet[Assignment], reports: QuerySet[Report],
                 today: datetime.date) -> PlanFigures:  # fmt: skip
    """Four queries: areas, the unit × area grid, tasks per area, report counts per unit."""
    areas = plan_areas(plan)
    units = assignment_grid(assignments, areas)
    add_report_stats(units, reports, today)
    tasks = task_completion(plan, areas)
    area_rows = []
    for area in [*areas.areas, Area(NO_AREA, _("Other tasks"))]:
        by_unit = ZERO
        for unit in units.values():
            by_unit += unit.by_area.get(area.key, ZERO)
        if area.key != NO_AREA or by_unit.total:
            area_rows.append(AreaRow(area, tasks.get(area.key, ZERO), by_unit))
    all_tasks = ZERO
    for ratio in tasks.values():
        all_tasks += ratio
    all_assignments = ZERO
    for unit in units.values():
        all_assignments += unit.assignments
    return PlanFigures(plan, today, area_rows, sorted_units(units), all_tasks, all_assignments)


# --- home page ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueCounts:
    due_soon: int = 0
    overdue: int = 0
    red: int = 0


def due_counts(reports: QuerySet[Report], today: datetime.date) -> dict[int, DueCounts]:
    """One query: per unit, its open reports due soon (reminder date reached), overdue, and red-carded."""
    open_ = Q(status__in=OPEN_STATUSES)
    rows = (
        reports.filter(open_, remind_date__lte=today)
        .values("unit_id")
        .annotate(
            due_soon=Count("pk", filter=Q(due_date__gte=today)),
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            red=Count("pk", filter=Q(red_date__lt=today)),
        )
        .order_by()
    )
    return {row["unit_id"]: DueCounts(row["due_soon"], row["overdue"], row["red"]) for row in rows}


def completion(assignments: QuerySet[Assignment]) -> Ratio:
    """One query: the assignments complete out of all."""
    row = assignments.aggregate(total=Count("pk"), complete=Count("pk", filter=_complete_report()))
    return Ratio(row["complete"], row["total"])


# --- statuses, trend ----------------------------------------------------------------------------------------


def status_counts(reports: QuerySet[Report], private: bool) -> list[tuple[str, str, int]]:
    """One query: (status, label, count) per status. Outside the unit (`private` False) the statuses a unit
    keeps to itself are counted together as "not yet reported"."""
    counts: dict[str, int] = defaultdict(int)
    for status, n in reports.values_list("status").annotate(n=Count("pk")).order_by():
        if not private and status in PRIVATE_STATUSES:
            status = ReportStatus.PENDING
        counts[status] += n
    labels = dict(ReportStatus.choices)
    return [(status, str(labels[status]), counts[status]) for status in ReportStatus.values if counts[status]]


@dataclass
class Trend:
    labels: list[str]
    completed: list[int | None]  # cumulative; None for months still to come
    accepted: list[int]


def _month_index(value: datetime.datetime | datetime.date, year: int) -> int:
    """1–12 within the plan year; 0 before it, 13 after it."""
    index = (value.year - year) * 12 + value.month
    return max(0, min(13, index))


def trend(plan: Plan, assignments: QuerySet[Assignment], reports: QuerySet[Report],
          today: datetime.date) -> Trend:  # fmt: skip
    """Two queries: assignments completed per month (cumulated here), reports accepted per month."""
    first_done = Subquery(
        Report.objects.filter(
            assignment_id=OuterRef("pk"), status=ReportStatus.ACCEPTED, progress=Progress.DONE
        )
        .order_by("accepted_at")
        .values("accepted_at")[:1]
    )
    completed_rows = (
        assignments.annotate(done_at=first_done)
        .filter(done_at__isnull=False)
        .annotate(month=TruncMonth("done_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    accepted_rows = (
        reports.filter(status=ReportStatus.ACCEPTED, accepted_at__isnull=False)
        .annotate(month=TruncMonth("accepted_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    completed = [0] * 14
    for row in completed_rows:
        completed[_month_index(row["month"], plan.year)] += row["n"]
    accepted = [0] * 14
    for row in accepted_rows:
        accepted[_month_index(row["month"], plan.year)] += row["n"]
    labels = [_("%(month)d月") % {"month": month} for month in range(1, 13)]
    # Anything before the plan year counts in January; anything after it gets a last point of its own.
    completed[1] += completed[0]
    accepted[1] += accepted[0]
    months = 13 if completed[13] or accepted[13] else 12
    if months == 13:
        labels.append(_("after the year"))
    cumulative: list[int | None] = []
    running = 0
    for month in range(1, months + 1):
        running += completed[month]
        started = month == 13 or datetime.date(plan.year, month, 1) <= today
        cumulative.append(running if started else None)
    return Trend(labels, cumulative, accepted[1 : months + 1])


# --- overdue ------------------------------------------------------------------------------------------------

CARDS = ("yellow", "red")
OVERDUE_FIELDS = (
    "pk", "status", "due_date", "red_date", "first_submitted_at", "plan_id",
    "unit__name", "unit__sort_order", "task__path", "task__title", "task__position", "round__name",
)  # fmt: skip


def overdue_reports(reports: QuerySet[Report], today: datetime.date, unit_id: int | None = None,
                    card: str = "") -> QuerySet[Report]:  # fmt: skip
    """Open reports past their due date, oldest first; `card` narrows to yellow or red cards."""
    overdue = reports.filter(status__in=OPEN_STATUSES, due_date__lt=today)
    if card == "red":
        overdue = overdue.filter(red_date__lt=today)
    elif card == "yellow":
        overdue = overdue.filter(red_date__gte=today)
    if unit_id is not None:
        overdue = overdue.filter(unit_id=unit_id)
    # The text a unit wrote is never loaded: drafts are listed by task and date only.
    return (
        overdue.select_related("unit", "task", "round")
        .only(*OVERDUE_FIELDS)
        .order_by("due_date", "unit__sort_order", "unit_id", "task__position", "pk")
    )


@dataclass
class OverdueUnit:
    unit_id: int
    name: str
    yellow: int
    red: int
    oldest: datetime.date

    @property
    def total(self) -> int:
        return self.yellow + self.red


def overdue_by_unit(reports: QuerySet[Report], today: datetime.date) -> list[OverdueUnit]:
    """One query: per unit with overdue reports, its yellow and red cards and its oldest due date."""
    rows = (
        reports.filter(status__in=OPEN_STATUSES, due_date__lt=today)
        .values("unit_id", "unit__name", "unit__sort_order")
        .annotate(
            total=Count("pk"),
            red=Count("pk", filter=Q(red_date__lt=today)),
            oldest=Min("due_date"),
        )
        .order_by("-red", "-total", "unit__sort_order", "unit__name")
    )
    return [
        OverdueUnit(row["unit_id"], row["unit__name"], row["total"] - row["red"], row["red"], row["oldest"])
        for row in rows
    ]


def workdays_since(dates: Iterable[datetime.date], today: datetime.date, calendar: Calendar,
                   known: dict[datetime.date, int] | None = None) -> dict[datetime.date, int]:  # fmt: skip
    """Working days after each date up to and including `today`, as `Calendar.workdays_between` counts them,
    in one walk back from today (each day asked of the holiday calendar once, whatever the number of dates:
    a page of reports due over a year would otherwise walk the year once per due date)."""
    result = known if known is not None else {}
    count, day = 0, today
    for date in sorted(set(dates) - result.keys(), reverse=True):
        if date >= today:
            result[date] = calendar.workdays_between(date, today)
            continue
        while day > date:
            count += calendar.is_workday(day)
            day -= datetime.timedelta(days=1)
        result[date] = count
    return result


def mark_cards(rows: Iterable[Report], today: datetime.date, calendar: Calendar,
               known: dict[datetime.date, int] | None = None) -> list[Report]:  # fmt: skip
    """Give each row of a page its card and its working days overdue; `known` keeps the working-day counts
    from one batch of rows to the next."""
    rows = list(rows)
    days = workdays_since((row.due_date for row in rows), today, calendar, known)
    for row in rows:
        row.current_card = row.card(today)  # type: ignore[attr-defined]
        row.workdays_overdue = days[row.due_date]  # type: ignore[attr-defined]
    return rows


def visible_status(report: Report, private: bool) -> tuple[str, str]:
    """The status as shown to the viewer: outside the unit, a draft is just "not yet reported"."""
    if not private and report.status in PRIVATE_STATUSES:
        return ReportStatus.PENDING, str(ReportStatus.PENDING.label)
    return report.status, report.get_status_display()


# --- charts (ECharts option dicts, rendered by fazhi/static/fazhi/app.js) -----------------------------------

GRID = {"left": 8, "right": 24, "top": 24, "bottom": 8, "containLabel": True}


def _short(label: str, length: int = 14) -> str:
    return label if len(label) <= length else label[: length - 1] + "…"


def _zoom(count: int, shown: int) -> list[dict[str, Any]]:
    """A scroll bar for a category axis with more bars than fit."""
    if count <= shown:
        return []
    return [
        {"type": "slider", "yAxisIndex": 0, "right": 0, "width": 14, "startValue": 0, "endValue": shown - 1}
    ]


def area_chart(rows: list[AreaRow]) -> dict[str, Any]:
    labels = [_short(row.area.label) for row in rows]
    return {
        "tooltip": {"trigger": "axis"},
        "grid": GRID,
        "xAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "yAxis": {"type": "category", "data": labels, "inverse": True},
        "series": [
            {
                "type": "bar",
                "name": _("tasks completed (%)"),
                "data": [row.tasks.percent or 0 for row in rows],
                "label": {"show": True, "position": "right", "formatter": "{c}%"},
            }
        ],
    }


def unit_chart(rows: list[UnitRow]) -> dict[str, Any]:
    ordered = sorted(rows, key=lambda u: (-(u.assignments.percent or 0), u.sort_order, u.name))
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {**GRID, "right": 40},
        "xAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "yAxis": {"type": "category", "data": [_short(u.name) for u in ordered], "inverse": True},
        "dataZoom": _zoom(len(ordered), 15),
        "series": [
            {
                "type": "bar",
                "name": _("assignments completed (%)"),
                "data": [u.assignments.percent or 0 for u in ordered],
            }
        ],
    }


def heatmap_chart(figures: PlanFigures) -> dict[str, Any]:
    areas = [row.area for row in figures.areas]
    data = [
        [x, y, unit.by_area[area.key].percent or 0]
        for y, unit in enumerate(figures.units)
        for x, area in enumerate(areas)
        if area.key in unit.by_area
    ]
    return {
        "tooltip": {"position": "top"},
        "grid": {"left": 8, "right": 8, "top": 8, "bottom": 56, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": [_short(a.label, 8) for a in areas],
            "splitArea": {"show": True},
        },
        "yAxis": {
            "type": "category",
            "data": [_short(u.name) for u in figures.units],
            "inverse": True,
            "splitArea": {"show": True},
        },
        "dataZoom": _zoom(len(figures.units), 20),
        "visualMap": {
            "min": 0,
            "max": 100,
            "calculable": True,
            "orient": "horizontal",
            "left": "center",
            "bottom": 0,
            "text": ["100%", "0%"],
            "inRange": {"color": ["#f8d7da", "#fff3cd", "#d1e7dd", "#198754"]},
        },
        "series": [
            {
                "type": "heatmap",
                "name": _("assignments completed (%)"),
                "data": data,
                "label": {"show": True},
            }
        ],
    }


def trend_chart(trend: Trend) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {**GRID, "bottom": 32},
        "xAxis": {"type": "category", "data": trend.labels},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"type": "line", "name": _("assignments completed so far"), "data": trend.completed},
            {"type": "bar", "name": _("reports accepted that month"), "data": trend.accepted},
        ],
    }


def status_chart(counts: list[tuple[str, str, int]]) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}: {c} ({d}%)"},
        "legend": {"bottom": 0, "type": "scroll"},
        "series": [
            {
                "type": "pie",
                "radius": ["35%", "65%"],
                "center": ["50%", "45%"],
                "data": [{"name": label, "value": n} for _status, label, n in counts],
            }
        ],
    }
