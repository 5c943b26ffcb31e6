"""Working-day arithmetic with Chinese public holidays and 调休 working weekends.

The national calendar comes from the chinesecalendar library (maintained each year when the State Council
publishes the holidays). Exceptions — local days off, or a year the library does not know yet — are passed in
as a mapping from date to "is a working day". For a year the library does not cover and no exception mentions,
a weekday is a working day and a weekend day is not, and `Calendar.unknown_years` says so, so callers can
warn.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

import chinese_calendar

ONE_DAY = datetime.timedelta(days=1)


@functools.cache
def _national_workday(day: datetime.date) -> bool | None:
    """The national calendar's answer, None for a year it does not cover. Cached: chinese_calendar checks the
    range of its tables with min() and max() over them on every call, most of the time of a deadline scan."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


@dataclass
class Calendar:
    exceptions: Mapping[datetime.date, bool] = field(default_factory=dict)
    unknown_years: set[int] = field(default_factory=set)

    def is_workday(self, day: datetime.date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        national = _national_workday(day)
        if national is None:
            self.unknown_years.add(day.year)
            return day.weekday() < 5
        return national

    def next_workday(self, day: datetime.date) -> datetime.date:
        """`day` itself if it is a working day, else the first working day after it.

        A period ending on a holiday ends on the first working day after the holiday (行政处罚法 and the civil
        procedure rules count periods this way).
        """
        while not self.is_workday(day):
            day += ONE_DAY
        return day

    def add_workdays(self, day: datetime.date, count: int) -> datetime.date:
        """The date `count` working days after `day` (before it when `count` is negative)."""
        step = ONE_DAY if count >= 0 else -ONE_DAY
        remaining = abs(count)
        while remaining:
            day += step
            if self.is_workday(day):
                remaining -= 1
        return day

    def workdays_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end` (negative when `end` is before `start`)."""
        if end < start:
            return -self.workdays_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.is_workday(day):
                count += 1
        return count
