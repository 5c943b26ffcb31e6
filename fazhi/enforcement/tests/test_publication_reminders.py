"""Decisions not published by their due day: the body and its office are told once per publication, in one
short message each, on working days, and nobody of another unit or region is; the scan's queries do not grow
with the publications."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import reminders
from fazhi.enforcement.models import Case
from fazhi.notifications.models import Notification
from fazhi.orgs.models import User
from fazhi.supervision.models import CalendarDay
from fazhi.testing import Personas

from .casefile import Body, D
from .publishing import decided_case, publish, small_body

# Decided Tuesday 30 September 2025: due on the portal by Thursday 16 October (test_publication.py).
DECIDED = D(2025, 9, 30)
LATE = D(2025, 10, 17)


def remind(day: Any) -> reminders.Told:
    with acting_as(None, "worker"):
        return reminders.remind_publications(day)


def inbox(user: User) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def test_the_body_and_its_office_are_told_once_the_day_after_the_due_day(
    body: Body, personas: Personas
) -> None:
    case = decided_case(body, decided=DECIDED)
    assert remind(D(2025, 10, 16)).events == 0  # the last day
    told = remind(LATE)
    assert (told.events, told.messages) == (1, 3)
    assert remind(LATE).events == 0
    assert remind(D(2025, 10, 20)).events == 0

    publication = case.publication
    for user in (personas.liaison, personas.unit_head):
        [message] = inbox(user)
        assert message.kind == "publication_late"
        assert message.url == reverse("enforcement:publication_detail", args=[publication.pk])
        assert case.number in message.body
        assert "2025年10月16日" in message.body
        assert "张三丰" not in message.body + message.title  # the party is never named
    [office] = inbox(personas.coordinator)
    assert office.url == reverse("enforcement:publication_overdue")
    assert body.unit.name in office.body
    for user in (personas.leader, personas.liaison_other_unit, personas.coordinator_b, personas.liaison_b):
        assert inbox(user) == []


def test_a_publication_made_in_time_or_late_but_before_the_scan_is_not_told(
    body: Body, personas: Personas
) -> None:
    publish(decided_case(body, decided=DECIDED))
    assert remind(LATE).events == 0
    assert inbox(personas.coordinator) == []


def test_a_due_day_before_a_weekend_is_told_on_the_monday(body: Body, personas: Personas) -> None:
    # Decided Thursday 9 October: 7 working days are 10, 11 (a 调休 Saturday), 13–17 October.
    decided_case(body, decided=D(2025, 10, 9))
    assert remind(D(2025, 10, 18)).waiting == 1  # a Saturday
    assert remind(D(2025, 10, 19)).waiting == 1
    assert remind(D(2025, 10, 20)).events == 1
    assert len(inbox(personas.coordinator)) == 1
    # Late by one working day on the Monday (three calendar days).
    late, _calendars = reminders.late_publications(D(2025, 10, 20))
    assert [item.days_overdue for item in late] == [1]


def test_a_towns_body_is_watched_by_its_countys_office_and_each_region_by_its_own(personas: Personas) -> None:
    town = small_body(personas.town_unit_a, "town")
    lianhu = small_body(personas.justice_b, "lianhu")
    town_case = decided_case(town, decided=DECIDED)
    lianhu_case = decided_case(lianhu, decided=DECIDED)
    assert remind(LATE).events == 2
    [county] = inbox(personas.coordinator)
    assert town_case.number in county.body
    assert lianhu_case.number not in county.body
    [other] = inbox(personas.coordinator_b)
    assert lianhu_case.number in other.body
    assert town_case.number not in other.body
    [body_b] = inbox(personas.liaison_b)
    assert lianhu_case.number in body_b.body
    assert inbox(personas.liaison) == []


def test_many_late_decisions_make_one_short_message_each(body: Body, personas: Personas) -> None:
    cases = [decided_case(body, decided=DECIDED) for _ in range(12)]
    told = remind(LATE)
    assert (told.events, told.messages) == (12, 3)
    [message] = inbox(personas.coordinator)
    assert len(message.body.splitlines()) == 1 + reminders.DIGEST_LINES + 1
    assert sum(case.number in message.body for case in cases) == reminders.DIGEST_LINES
    [liaison] = inbox(personas.liaison)
    assert liaison.url == reverse("enforcement:publication_pending")


def test_the_scan_costs_the_same_queries_for_5_decisions_as_for_25(body: Body) -> None:
    def scan(count: int) -> tuple[int, int]:
        for _ in range(count):
            decided_case(body, decided=DECIDED)
        with CaptureQueriesContext(connection) as telling:
            assert remind(LATE).messages == 3
        with CaptureQueriesContext(connection) as idle:
            assert remind(LATE).events == 0
        return len(telling), len(idle)

    few = scan(5)
    many = scan(20)
    assert Case.objects.count() == 25
    assert many == few, (few, many)


def test_a_local_day_off_holds_the_regions_messages_only(body: Body, personas: Personas) -> None:
    decided_case(body, decided=DECIDED)
    lianhu_case = decided_case(small_body(personas.justice_b, "lianhu"), decided=DECIDED)
    with transaction.atomic():
        CalendarDay.objects.create(date=LATE, region=personas.region_a, is_workday=False, note="本地调休")
    told = remind(LATE)
    assert (told.events, told.waiting) == (1, 1)
    assert inbox(personas.coordinator) == []
    [other] = inbox(personas.coordinator_b)
    assert lianhu_case.number in other.body
    assert remind(D(2025, 10, 20)).events == 1
    assert len(inbox(personas.coordinator)) == 1
