"""The statutory clocks of open cases: for each period in force (models.StatutoryPeriod), its last day and
the days left, in working or calendar days as the period says.

Counting follows 行政处罚法: the day the clock starts is not counted; "二日""三日""五日""七日" are
working days (第八十五条); other periods are calendar days, and one that ends on a day off ends on the next
working day. Working days come from the national holiday calendar with the region's local exceptions, the
same calendar supervision uses.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from fazhi.lib.workdays import Calendar
from fazhi.orgs.models import Region
from fazhi.supervision.deadlines import calendar_for as _calendar_for

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


class CountdownCalculator:
    """Countdowns for many cases: one calendar per region, one query of periods per case kind and region."""

    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self._calendars: dict[int, Calendar] = {}
        self._periods: dict[tuple[str, int], list[StatutoryPeriod]] = {}

    def calendar(self, region: Region) -> Calendar:
        if region.pk not in self._calendars:
            self._calendars[region.pk] = calendar_for(region)
        return self._calendars[region.pk]

    def _rows(self, kind: str, region: Region) -> list[StatutoryPeriod]:
        key = (kind, region.pk)
        if key not in self._periods:
            self._periods[key] = StatutoryPeriod.ranked(kind, region)
        return self._periods[key]

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
                calendar = self.calendar(region)
                due = period_end(period, start, calendar)
                if period.working_days:
                    left = calendar.workdays_between(self.today, due)
                else:
                    left = (due - self.today).days
                found.append(Countdown(case.pk, period, start, due, left))
        return sorted(found, key=lambda c: (c.due, c.code))


def countdowns(case: Case, today: datetime.date) -> list[Countdown]:
    return CountdownCalculator(today).for_case(case)


def open_case_countdowns(cases: Iterable[Case], today: datetime.date) -> dict[int, list[Countdown]]:
    """Each open case's running clocks, by case id (pass cases with `unit__region` selected)."""
    calculator = CountdownCalculator(today)
    return {case.pk: calculator.for_case(case) for case in cases if case.closed_on is None}
