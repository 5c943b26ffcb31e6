"""The statutory clocks of open cases: for each period in force (models.StatutoryPeriod), its last day and
the days left, in working or calendar days as the period says.

Counting follows 行政处罚法: the day the clock starts is not counted; "二日""三日""五日""七日" are
working days (第八十五条); other periods are calendar days, and one that ends on a day off ends on the next
working day. Working days come from the national holiday calendar with the region's local exceptions, the
same calendar supervision uses.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from fazhi.lib.workdays import Calendar
from fazhi.orgs.models import Region
from fazhi.supervision.deadlines import calendar_for as _calendar_for
from fazhi.supervision.deadlines import calendars_for

from .models import Case, StatutoryPeriod
from .workflow import ALSO_ENDS, STEP_DATE_FIELDS


def calendar_for(region: Region) -> Calendar:
    return _calendar_for(region)


def period_end(period: StatutoryPeriod, start: datetime.date, calendar: Calendar) -> datetime.date:
    """The last day of `period` when its clock started on `start`."""
    if period.working_days:
        return calendar.add_workdays(start, period.days)
    return calendar.next_workday(start + datetime.timedelta(days=period.days))


@dataclass(frozen=True)
class Countdown:
    case_id: int
    period: StatutoryPeriod
    start: datetime.date
    due: datetime.date
    days_left: int  # in the period's own days (working or calendar); negative once the day has passed

    @property
    def code(self) -> str:
        return self.period.code

    @property
    def working_days(self) -> bool:
        return self.period.working_days

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def _day_of(case: Case, step: str) -> datetime.date | None:
    field = STEP_DATE_FIELDS.get(step)
    return getattr(case, field) if field else None


def _ranked(rows: Iterable[StatutoryPeriod], kind: str, region: Region) -> list[StatutoryPeriod]:
    """StatutoryPeriod.ranked over rows already read: the same rows, in the same order."""
    depth = {pk: i for i, pk in enumerate(region.ancestor_ids)}
    mine = [r for r in rows if r.case_kind == kind and (r.region_id is None or r.region_id in depth)]
    return sorted(mine, key=lambda r: (-1 if r.region_id is None else depth[r.region_id], r.effective_from))


class CountdownCalculator:
    """Countdowns for many cases: one calendar per region, one query of periods per case kind and region.

    A scan over a province passes every period and the regions' calendars read beforehand (`preload`), so the
    countdowns cost no query at all; the dates are memoised, since many cases share a start day.
    """

    def __init__(
        self,
        today: datetime.date,
        periods: Iterable[StatutoryPeriod] | None = None,
        calendars: Mapping[int, Calendar] | None = None,
    ) -> None:
        self.today = today
        self._calendars: dict[int, Calendar] = dict(calendars or {})
        self._periods: dict[tuple[str, int], list[StatutoryPeriod]] = {}
        self._all_periods = list(periods) if periods is not None else None
        self._due: dict[tuple[int, int, datetime.date], datetime.date] = {}
        self._left: dict[tuple[int, bool, datetime.date], int] = {}

    @classmethod
    def preload(cls, today: datetime.date, regions: Iterable[Region]) -> CountdownCalculator:
        """A calculator for cases of `regions`, with every period and calendar read in two queries."""
        return cls(today, StatutoryPeriod.objects.all(), calendars_for(regions))

    def calendar(self, region: Region) -> Calendar:
        if region.pk not in self._calendars:
            self._calendars[region.pk] = calendar_for(region)
        return self._calendars[region.pk]

    def _rows(self, kind: str, region: Region) -> list[StatutoryPeriod]:
        key = (kind, region.pk)
        if key not in self._periods:
            if self._all_periods is None:
                self._periods[key] = StatutoryPeriod.ranked(kind, region)
            else:
                self._periods[key] = _ranked(self._all_periods, kind, region)
        return self._periods[key]

    def _due_day(self, period: StatutoryPeriod, start: datetime.date, region: Region) -> datetime.date:
        key = (region.pk, period.pk, start)
        if key not in self._due:
            self._due[key] = period_end(period, start, self.calendar(region))
        return self._due[key]

    def _days_left(self, period: StatutoryPeriod, due: datetime.date, region: Region) -> int:
        key = (region.pk, period.working_days, due)
        if key not in self._left:
            if period.working_days:
                self._left[key] = self.calendar(region).workdays_between(self.today, due)
            else:
                self._left[key] = (due - self.today).days
        return self._left[key]

    def for_case(self, case: Case) -> list[Countdown]:
        """The clocks running for `case` today (none once it is closed), soonest first.

        Each clock follows the period in force on the day it started (the rule the case was under then).
        """
        if case.closed_on is not None or case.archived_on is not None:
            return []
        region = case.unit.region
        rows = self._rows(case.kind, region)
        found = []
        for step, field in STEP_DATE_FIELDS.items():
            start = getattr(case, field)
            if start is None:
                continue
            for period in StatutoryPeriod.pick(rows, start).values():
                stops = (period.ends_with, *ALSO_ENDS.get(period.code, ()))
                if period.starts_with != step or any(_day_of(case, s) is not None for s in stops):
                    continue
                due = self._due_day(period, start, region)
                found.append(Countdown(case.pk, period, start, due, self._days_left(period, due, region)))
        return sorted(found, key=lambda c: (c.due, c.code))


def countdowns(case: Case, today: datetime.date) -> list[Countdown]:
    return CountdownCalculator(today).for_case(case)


def open_case_countdowns(cases: Iterable[Case], today: datetime.date) -> dict[int, list[Countdown]]:
    """Each open case's running clocks, by case id (pass cases with `unit__region` selected)."""
    calculator = CountdownCalculator(today)
    return {case.pk: calculator.for_case(case) for case in cases if case.closed_on is None}
