"""Due, reminder and red-card dates in working days, from a region's rules and calendar."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Q

from fazhi.lib.workdays import Calendar
from fazhi.orgs.models import Region

from .models import CalendarDay, SupervisionRules


def calendar_for(region: Region) -> Calendar:
    """The national calendar with the exceptions entered for everywhere and for `region` and its ancestors
    (the nearest region's entry wins)."""
    exceptions: dict[datetime.date, bool] = {}
    rows = CalendarDay.objects.filter(Q(region__isnull=True) | Q(region_id__in=region.ancestor_ids))
    depth = {pk: i for i, pk in enumerate(region.ancestor_ids)}
    for row in sorted(rows, key=lambda r: -1 if r.region_id is None else depth[r.region_id]):
        exceptions[row.date] = row.is_workday
    return Calendar(exceptions)


def calendars_for(regions: Iterable[Region]) -> dict[int, Calendar]:
    """`calendar_for` of many regions at once, by region id, from one query (for scans over a province)."""
    by_id = {region.pk: region for region in regions}
    ancestor_ids = {pk for region in by_id.values() for pk in region.ancestor_ids}
    rows = list(CalendarDay.objects.filter(Q(region__isnull=True) | Q(region_id__in=ancestor_ids)))
    calendars: dict[int, Calendar] = {}
    for pk, region in by_id.items():
        depth = {ancestor: i for i, ancestor in enumerate(region.ancestor_ids)}
        mine = [row for row in rows if row.region_id is None or row.region_id in depth]
        exceptions: dict[datetime.date, bool] = {}
        for row in sorted(mine, key=lambda r: -1 if r.region_id is None else depth[r.region_id]):
            exceptions[row.date] = row.is_workday
        calendars[pk] = Calendar(exceptions)
    return calendars


@dataclass(frozen=True)
class DueDates:
    due: datetime.date
    remind: datetime.date
    red: datetime.date


class DueDateCalculator:
    """Computes the dates of many reports of one region at once (rounds share due dates, so results are
    cached)."""

    def __init__(self, region: Region, day: datetime.date | None = None) -> None:
        self.rules = SupervisionRules.for_region(region, day or datetime.date.today())
        self.calendar = calendar_for(region)
        self._cached = lru_cache(maxsize=4096)(self._compute)

    def dates(self, due: datetime.date) -> DueDates:
        return self._cached(due)

    def _compute(self, due: datetime.date) -> DueDates:
        due = self.calendar.next_workday(due)
        return DueDates(
            due=due,
            remind=self.calendar.add_workdays(due, -self.rules.remind_days),
            red=self.calendar.add_workdays(due, self.rules.red_card_days),
        )
