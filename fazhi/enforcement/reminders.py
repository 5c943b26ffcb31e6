"""Reminders of enforcement time limits, sent by `fazhi worker` once a day: `remind_deadlines` and
`remind_publications`.

- The statutory periods of open cases (models.StatutoryPeriod, counted by deadlines.CountdownCalculator as the
  case page shows them). settings.FAZHI_CASE_REMINDER_DAYS before a clock runs out (default 10 and 3 days,
  counted as the period is: working days for 送达七日, calendar days for 罚款十五日 and 决定九十日; a
  threshold as long as the period itself is skipped), the case's investigating officers are told, once per
  threshold.
  Once the last day has passed, they are told once more — with the body's head when the time limit is the
  body's own (deciding, serving) or the fine is unpaid (行政处罚法第七十二条: the head decides what follows).
  The party's window to ask for a hearing gives the officers nothing to do before it ends, so they are told
  only when it has ended (the case can go on). A case without an investigator who has an account has the
  body's liaison officers told instead (its head if it has none), so that someone hears.
- Decisions not published by their due day (公示, publication.overdue_publications): the body's liaison
  officers and head, and the office coordinators of the nearest region at or above the body's that has any,
  once per publication.

Each event has a key ("case-clock:12:decision:2025-06-03:3": case, period, last day, threshold or "overdue";
"publication-late:7") claimed once in the transaction that tells people (decision 0007), so the worker may
run this as often as it likes, in several processes. A new last day (a new notice opens a new hearing window)
is a new event. A worker that was down on a threshold's day tells only the newest threshold reached and
claims the older ones with it. Events are told in one message per person and kind, listing at most
DIGEST_LINES of them and linking to the full list, and only on the working days of the body's region: what
falls due over a holiday is told on the next working day. Messages name a case by its number, never the party
(they may go out by e-mail and SMS).

The scans read every open case (or every overdue publication) in a fixed number of queries whatever their
number: periods, calendars, claims and people are read once for all (decision 0010).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from fazhi.audit.recorder import batched
from fazhi.lib.workdays import Calendar
from fazhi.notifications.actions import already_told, claim_events, notify
from fazhi.orgs.models import Region, Unit
from fazhi.supervision.chasing import People
from fazhi.supervision.deadlines import calendars_for

from .deadlines import Countdown, CountdownCalculator
from .models import Case, PeriodCode, Publication
from .workflow import STEP_DATE_FIELDS

CLOCK_SOON = "case_deadline"
CLOCK_OVERDUE = "case_overdue"
PUBLICATION_LATE = "publication_late"
OVERDUE = "overdue"
# A message lists this many cases or decisions at most, then says how many more the linked list holds.
DIGEST_LINES = 10

# Time limits whose end the body's head hears about: the body's own, and the fine it must now enforce.
HEAD_TOLD_WHEN_OVERDUE = frozenset({PeriodCode.DECISION, PeriodCode.SERVICE, PeriodCode.PAYMENT})
# Periods the party keeps: nothing for the officers to do before they end.
NOT_REMINDED_BEFORE = frozenset({PeriodCode.HEARING_REQUEST})

_CHUNK = 500


@dataclass
class Told:
    """What one scan did."""

    events: int = 0  # events told now
    messages: int = 0  # inbox messages put in
    waiting: int = 0  # events found on a day off in their region: told on its next working day


def _day(value: datetime.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


# --- statutory periods of open cases --------------------------------------------------------------------


@dataclass(frozen=True)
class ClockEvent:
    case: Case
    clock: Countdown
    keys: tuple[str, ...]  # the events this settles, the newest last: the thresholds reached, or the end

    @property
    def key(self) -> str:
        return self.keys[-1]

    @property
    def overdue(self) -> bool:
        return self.clock.overdue


def marks(clock: Countdown, thresholds: Iterable[int]) -> list[str]:
    """The thresholds a clock has reached today (largest first), and "overdue" once its last day has gone."""
    reached: list[str] = []
    if clock.code not in NOT_REMINDED_BEFORE:
        reached = [
            str(days)
            for days in sorted(set(thresholds), reverse=True)
            if days < clock.period.days and (clock.overdue or clock.days_left <= days)
        ]
    return [*reached, OVERDUE] if clock.overdue else reached


def _clock_key(case: Case, clock: Countdown, mark: str) -> str:
    return f"case-clock:{case.pk}:{clock.code}:{clock.due.isoformat()}:{mark}"


def clock_events(today: datetime.date) -> tuple[list[ClockEvent], CountdownCalculator]:
    """Every reminder and end of a time limit due to be told on `today`, told before or not (and the
    calculator, whose calendars say which regions work today)."""
    open_cases = Case.objects.open().filter(unit__is_active=True)
    bodies = Unit.objects.filter(pk__in=open_cases.values("unit_id")).select_related("region").in_bulk()
    calculator = CountdownCalculator.preload(today, {body.region for body in bodies.values()})
    thresholds = settings.FAZHI_CASE_REMINDER_DAYS
    dates = sorted(set(STEP_DATE_FIELDS.values()))
    # Only the fields the clocks need, the bodies attached from above (a row makes one object, not three),
    # read in chunks: only the cases with something to tell stay in memory.
    cases = open_cases.only("number", "kind", "unit_id", *dates).order_by("pk")
    events = []
    for case in cases.iterator(chunk_size=2000):
        case.unit = bodies[case.unit_id]
        for clock in calculator.for_case(case):
            reached = marks(clock, thresholds)
            if reached:
                events.append(ClockEvent(case, clock, tuple(_clock_key(case, clock, m) for m in reached)))
    return events, calculator


def _investigators(cases: Iterable[Case]) -> dict[int, list[Any]]:
    """The active accounts of each case's investigators who are still active officers of its body."""
    through = Case.investigators.through
    found: dict[int, list[Any]] = defaultdict(list)
    for chunk in _chunks(sorted({case.pk for case in cases})):
        rows = (
            through.objects.filter(
                case_id__in=chunk,
                officer__is_active=True,
                officer__unit_id=F("case__unit_id"),
                officer__user__is_active=True,
            )
            .select_related("officer__user")
            .order_by("officer__name", "pk")
        )
        for row in rows:
            found[row.case_id].append(row.officer.user)
    return found


def remind_deadlines(today: datetime.date | None = None) -> Told:
    """Tell people about the time limits of open cases that come up or ran out, as of `today`."""
    today = today or timezone.localdate()
    events, calculator = clock_events(today)
    told = already_told(event.key for event in events)
    result = Told()
    ready = []
    for event in events:
        if event.key in told:
            continue
        if calculator.calendar(event.case.unit.region).is_workday(today):
            ready.append(event)
        else:
            result.waiting += 1
    if not ready:
        return result
    # One transaction for the day's news: the claims and the messages commit together, or not at all.
    with transaction.atomic(), batched(), override(settings.LANGUAGE_CODE):
        won_keys = claim_events(key for event in ready for key in event.keys)
        won = [event for event in ready if event.key in won_keys]
        if not won:
            return result
        officers = _investigators(event.case for event in won)
        people = People.of({event.case.unit_id for event in won})
        users: dict[int, Any] = {}
        groups: dict[tuple[int, str], list[ClockEvent]] = defaultdict(list)
        for event in won:
            unit_id = event.case.unit_id
            recipients = list(officers.get(event.case.pk) or people.liaisons_of(unit_id))
            if event.overdue and event.clock.code in HEAD_TOLD_WHEN_OVERDUE:
                recipients += people.heads_of(unit_id)
            kind = CLOCK_OVERDUE if event.overdue else CLOCK_SOON
            for user in {user.pk: user for user in recipients}.values():
                users[user.pk] = user
                groups[(user.pk, kind)].append(event)
            result.events += 1
        for (user_pk, kind), group in groups.items():
            title, body, url = _compose_clocks(kind, group)
            key = min(event.key for event in group)
            result.messages += len(notify([users[user_pk]], kind, title, body, url, key))
    return result


def _soon_text(clock: Countdown) -> str:
    due = _day(clock.due)
    if clock.code == PeriodCode.DECISION:
        return _("to be decided by %(due)s") % {"due": due}
    if clock.code == PeriodCode.SERVICE:
        return _("the decision to be served by %(due)s") % {"due": due}
    if clock.code == PeriodCode.PAYMENT:
        return _("the fine to be paid by %(due)s") % {"due": due}
    return _("%(period)s: by %(due)s") % {"period": clock.period.get_code_display(), "due": due}


def _overdue_text(clock: Countdown) -> str:
    due = _day(clock.due)
    if clock.code == PeriodCode.DECISION:
        return _("the time limit to decide ended on %(due)s") % {"due": due}
    if clock.code == PeriodCode.SERVICE:
        return _("the time limit to serve the decision ended on %(due)s") % {"due": due}
    if clock.code == PeriodCode.PAYMENT:
        return _(
            "the fine was to be paid by %(due)s: record the payment, or take the measures the law provides"
        ) % {"due": due}
    if clock.code == PeriodCode.HEARING_REQUEST:
        return _(
            "the party's time to ask for a hearing ended on %(due)s without a request: the case can go on"
        ) % {"due": due}
    return _("%(period)s: ended on %(due)s") % {"period": clock.period.get_code_display(), "due": due}


def _left(clock: Countdown) -> str:
    days = clock.days_left
    if days == 0:
        return _("the last day is today")
    if clock.working_days:
        return ngettext("%(days)d working day left", "%(days)d working days left", days) % {"days": days}
    return ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}


def _clock_line(event: ClockEvent) -> str:
    clock = event.clock
    if event.overdue:
        what = _overdue_text(clock)
        return _("%(case)s: %(what)s (%(basis)s)") % {
            "case": event.case.number, "what": what, "basis": clock.period.legal_basis
        }  # fmt: skip
    return _("%(case)s: %(what)s, %(left)s (%(basis)s)") % {
        "case": event.case.number, "what": _soon_text(clock), "left": _left(clock),
        "basis": clock.period.legal_basis,
    }  # fmt: skip


def _more(count: int) -> str:
    return ngettext("… and %(count)d more: see the list.", "… and %(count)d more: see the list.", count) % {
        "count": count
    }


def _compose_clocks(kind: str, events: list[ClockEvent]) -> tuple[str, str, str]:
    count = len({event.case.pk for event in events})
    if kind == CLOCK_SOON:
        title = ngettext(
            "Statutory time limit coming up: %(count)d case",
            "Statutory time limits coming up: %(count)d cases",
            count,
        ) % {"count": count}
        intro = _("Please take these steps within their statutory time limits:")
    else:
        title = ngettext(
            "Statutory time limit passed: %(count)d case",
            "Statutory time limits passed: %(count)d cases",
            count,
        ) % {"count": count}
        intro = _("These statutory time limits have passed:")
    ordered = sorted(events, key=lambda e: (e.clock.due, e.case.number, e.clock.code))
    lines = [intro] + [f"· {_clock_line(event)}" for event in ordered[:DIGEST_LINES]]
    if len(ordered) > DIGEST_LINES:
        lines.append(_more(len(ordered) - DIGEST_LINES))
    bodies = {event.case.unit_id for event in events}
    if count == 1:
        url = reverse("enforcement:case_detail", args=[events[0].case.pk])
    elif len(bodies) == 1:
        url = f"{reverse('enforcement:case_list')}?body={events[0].case.unit_id}"
    else:
        url = reverse("enforcement:case_list")
    return title, "\n".join(lines), url


# --- decisions not published in time ----------------------------------------------------------------------


@dataclass(frozen=True)
class LatePublication:
    publication: Publication
    days_overdue: int  # working days after the due day, today included

    @property
    def key(self) -> str:
        return f"publication-late:{self.publication.pk}"


def late_publications(today: datetime.date) -> tuple[list[LatePublication], dict[int, Calendar]]:
    """Decisions past their publication day on `today`, told before or not (with the bodies' calendars)."""
    rows = list(
        Publication.objects.overdue(today)
        .filter(unit__is_active=True)
        .select_related("unit__region", "case")
        .order_by("due_on", "pk")
    )
    calendars = calendars_for({row.unit.region for row in rows})
    found = [
        LatePublication(row, max(calendars[row.unit.region_id].workdays_between(row.due_on, today), 0))
        for row in rows
    ]
    return found, calendars


@dataclass
class _Office:
    """Who hears about a body's late publications from the office: the coordinators of the nearest region at
    or above the body's that has any (a town's body is watched by its county's office)."""

    people: People

    def coordinators(self, region: Region) -> list[Any]:
        for region_id in reversed(region.ancestor_ids):
            if self.people.coordinators.get(region_id):
                return self.people.coordinators[region_id]
        return []


def remind_publications(today: datetime.date | None = None) -> Told:
    """Tell the bodies and their offices about decisions not published by their due day, once each."""
    today = today or timezone.localdate()
    found, calendars = late_publications(today)
    told = already_told(item.key for item in found)
    result = Told()
    ready = []
    for item in found:
        if item.key in told:
            continue
        if calendars[item.publication.unit.region_id].is_workday(today):
            ready.append(item)
        else:
            result.waiting += 1
    if not ready:
        return result
    with transaction.atomic(), batched(), override(settings.LANGUAGE_CODE):
        won_keys = claim_events(item.key for item in ready)
        won = [item for item in ready if item.key in won_keys]
        if not won:
            return result
        regions = {pk for item in won for pk in item.publication.unit.region.ancestor_ids}
        people = People.of({item.publication.unit_id for item in won}, regions)
        office = _Office(people)
        users: dict[int, Any] = {}
        # (person, told as the office rather than as one of the body) → publications
        groups: dict[tuple[int, bool], list[LatePublication]] = defaultdict(list)
        for item in won:
            unit = item.publication.unit
            members = people.everyone_of(unit.pk)
            coordinators = office.coordinators(unit.region)
            # Someone both of the body and of the office is told once, as one of the body.
            told_as = {user.pk: True for user in coordinators} | {user.pk: False for user in members}
            for user in coordinators + members:
                users[user.pk] = user
            for user_pk, as_office in told_as.items():
                groups[(user_pk, as_office)].append(item)
            result.events += 1
        for (user_pk, as_office), items in groups.items():
            title, body, url = _compose_publications(items, as_office)
            key = min(item.key for item in items)
            result.messages += len(notify([users[user_pk]], PUBLICATION_LATE, title, body, url, key))
    return result


def _compose_publications(group: list[LatePublication], as_office: bool) -> tuple[str, str, str]:
    items = sorted(group, key=lambda i: (i.publication.due_on, i.publication.unit.name, i.publication.pk))
    count = len(items)
    title = ngettext(
        "Decision not published in time: %(count)d", "Decisions not published in time: %(count)d", count
    ) % {"count": count}
    lines = [_("These decisions are past the day by which they were to be published on the portal:")]
    several_bodies = len({item.publication.unit_id for item in items}) > 1
    for item in items[:DIGEST_LINES]:
        publication = item.publication
        line = ngettext(
            "%(case)s, decided %(decided)s, to be published by %(due)s, %(days)d working day late",
            "%(case)s, decided %(decided)s, to be published by %(due)s, %(days)d working days late",
            item.days_overdue,
        ) % {
            "case": publication.case.number, "decided": _day(publication.decided_on),
            "due": _day(publication.due_on), "days": item.days_overdue,
        }  # fmt: skip
        if several_bodies or as_office:
            line = f"{publication.unit.name}：{line}"
        lines.append(f"· {line}")
    if count > DIGEST_LINES:
        lines.append(_more(count - DIGEST_LINES))
    if as_office:
        url = reverse("enforcement:publication_overdue")
    elif count == 1:
        url = reverse("enforcement:publication_detail", args=[items[0].publication.pk])
    else:
        url = reverse("enforcement:publication_pending")
    return title, "\n".join(lines), url
