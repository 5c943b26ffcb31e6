"""Reminders of a case's statutory time limits (FAZHI_CASE_REMINDER_DAYS before, once each; once when
passed): to the case's investigating officers, counted in the period's own days, told on working days only,
never twice, never to another body or region; the scan costs the same queries for 5 cases as for 50."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import actions, reminders
from fazhi.enforcement.models import Case, CaseKind, CaseStep
from fazhi.notifications.models import Notification, NotifiedEvent
from fazhi.orgs.models import User
from fazhi.testing import Personas

from .casefile import Body, D, investigate_and_notify, open_case, step
from .publishing import small_body
from .test_case_pages import link_account

# 3 March 2025 + 90 days is 1 June, inside the Dragon Boat holiday (31 May – 2 June): the case must be
# decided by Tuesday 3 June (test_case_countdowns.py).
REGISTERED = D(2025, 3, 3)


@pytest.fixture(autouse=True)
def thresholds(settings: Any) -> None:
    settings.FAZHI_CASE_REMINDER_DAYS = [10, 3]


@pytest.fixture
def zhang(body: Body) -> User:
    return link_account(body.zhang, "zhang")


@pytest.fixture
def li(body: Body) -> User:
    return link_account(body.li, "li")


def investigated(body: Body, on: Any = REGISTERED, **fields: Any) -> Case:
    case = open_case(body, on=on, **fields)
    return step(case, CaseStep.INVESTIGATE, on, officers=[body.zhang, body.li])


def remind(day: Any) -> reminders.Told:
    with acting_as(None, "worker"):
        return reminders.remind_deadlines(day)


def inbox(user: User) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def test_the_investigators_hear_once_per_threshold_and_once_more_when_the_limit_has_passed(
    body: Body, personas: Personas, zhang: User, li: User
) -> None:
    case = investigated(body)
    assert remind(D(2025, 5, 23)).events == 0  # 11 days left
    assert remind(D(2025, 5, 24)).waiting == 1  # 10 days left, but a Saturday: it waits
    assert remind(D(2025, 5, 26)).events == 1  # the Monday after
    assert remind(D(2025, 5, 26)).events == 0  # the worker again, the same day
    assert remind(D(2025, 5, 27)).events == 0  # still the 10-day threshold
    assert remind(D(2025, 5, 31)).waiting == 1  # 3 days left, on the Dragon Boat holiday
    told = remind(D(2025, 6, 3))  # the last day, the first working day after the holiday
    assert (told.events, told.messages) == (1, 2)
    overdue = remind(D(2025, 6, 4))
    assert (overdue.events, overdue.messages) == (1, 3)  # the officers and, now, the head
    assert remind(D(2025, 6, 5)).events == 0

    for user in (zhang, li):
        soon, last_day, passed = inbox(user)
        assert (soon.kind, last_day.kind, passed.kind) == ("case_deadline", "case_deadline", "case_overdue")
        assert all(case.number in n.body and n.url == f"/enforcement/cases/{case.pk}/" for n in inbox(user))
        assert "2025年6月3日" in soon.body
        assert "《行政处罚法》第六十条" in soon.body
        # Messages may go out by e-mail and SMS: the party is not named.
        assert "某律师事务所" not in soon.body + soon.title
    [head] = inbox(personas.unit_head)
    assert head.kind == "case_overdue"
    # The liaison hears nothing of a case whose investigators have accounts; another unit, nothing at all.
    for user in (personas.liaison, personas.liaison_other_unit, personas.coordinator, personas.liaison_b):
        assert inbox(user) == []


def test_a_worker_down_on_the_first_threshold_tells_only_the_newest(body: Body, zhang: User) -> None:
    investigated(body)
    assert remind(D(2025, 6, 3)).messages == 1  # both thresholds reached: one message
    [message] = inbox(zhang)
    assert NotifiedEvent.objects.filter(key__endswith=":10").count() == 1  # the older one, claimed with it
    assert remind(D(2025, 6, 3)).events == 0
    with translation.override("en"):
        assert reminders._left(reminders.clock_events(D(2025, 6, 3))[0][0].clock) == "the last day is today"
    assert message.kind == "case_deadline"


def test_working_day_periods_count_working_days(body: Body, zhang: User) -> None:
    case = investigate_and_notify(body, open_case(body, on=D(2025, 9, 1)), D(2025, 9, 2), D(2025, 9, 3))
    case = step(case, CaseStep.WAIVE, D(2025, 9, 4))
    # Decided Friday 26 September: 7 working days to serve are 28 (a 调休 Sunday), 29, 30 September, 9, 10,
    # 11 (a 调休 Saturday) and 13 October.
    step(case, CaseStep.DECIDE, D(2025, 9, 26), penalty_amount=Decimal("2000"))
    assert remind(D(2025, 9, 30)).events == 0  # 4 working days left, though 13 calendar days
    assert remind(D(2025, 10, 9)).events == 1  # 3 working days left (4 calendar days)
    [message] = inbox(zhang)
    assert "2025年10月13日" in message.body
    with translation.override("en"):
        [event] = reminders.clock_events(D(2025, 10, 9))[0]
        assert reminders._left(event.clock) == "3 working days left"
    # The 10-day threshold is as long as the period: it is not told on the day of the decision.
    assert not NotifiedEvent.objects.filter(key__contains=":service:", key__endswith=":10").exists()
    assert remind(D(2025, 10, 11)).events == 0  # the 调休 Saturday works, but nothing new
    assert remind(D(2025, 10, 14)).events == 1  # passed


def test_the_hearing_window_is_told_only_when_it_has_ended_and_not_to_the_head(
    body: Body, personas: Personas, zhang: User
) -> None:
    # Notified Wednesday 3 September: the party may ask for a hearing until Wednesday 10 September.
    investigate_and_notify(body, open_case(body, on=D(2025, 9, 1)), D(2025, 9, 2), D(2025, 9, 3))
    assert remind(D(2025, 9, 8)).events == 0
    assert remind(D(2025, 9, 11)).events == 1
    [message] = inbox(zhang)
    assert message.kind == "case_overdue"
    assert inbox(personas.unit_head) == []


def test_a_case_without_investigators_with_accounts_is_told_to_the_liaison(
    body: Body, personas: Personas
) -> None:
    case = investigated(body)
    remind(D(2025, 5, 26))
    [message] = inbox(personas.liaison)
    assert case.number in message.body
    assert inbox(personas.unit_head) == []  # the liaison is there: the head is not told of a reminder


def test_an_officer_moved_to_another_body_and_other_regions_cases_are_not_told(
    body: Body, personas: Personas, zhang: User, li: User
) -> None:
    case = investigated(body)
    with acting_as(None, "test"), transaction.atomic():
        actions.save_officer(body.li, unit=personas.town_unit_a)  # 李 now works for the town
    lianhu = small_body(personas.justice_b, "lianhu")
    officer_b = link_account(lianhu.zhang, "officer_b")
    with acting_as(None, "test"), transaction.atomic():
        case_b = actions.open_case(
            None, unit=lianhu.unit, kind=CaseKind.PENALTY_ORDINARY, on=REGISTERED, number="莲司罚〔2025〕1号",
            party_name="某公司", party_type="legal", power=lianhu.power,
        )  # fmt: skip
    step(case_b, CaseStep.INVESTIGATE, REGISTERED, officers=[lianhu.zhang, lianhu.li])

    assert remind(D(2025, 5, 26)).events == 2
    [told_a] = inbox(zhang)
    assert case.number in told_a.body
    assert case_b.number not in told_a.body
    assert inbox(li) == []
    [told_b] = inbox(officer_b)
    assert case_b.number in told_b.body
    assert case.number not in told_b.body
    for user in (personas.liaison_b, personas.coordinator_b, personas.liaison, personas.coordinator):
        assert inbox(user) == []


def test_closed_cases_and_steps_taken_in_time_are_not_told(body: Body, zhang: User) -> None:
    case = investigate_and_notify(body, open_case(body, on=D(2025, 3, 3)), D(2025, 3, 4), D(2025, 3, 5))
    step(case, CaseStep.WAIVE, D(2025, 3, 6))
    step(case, CaseStep.DECIDE, D(2025, 3, 20), penalty_amount=Decimal("2000"))
    # Decided in time; served in time; paid in time: no clock left to tell about.
    step(case, CaseStep.SERVE, D(2025, 3, 21))
    step(case, CaseStep.EXECUTE, D(2025, 3, 28))
    for day in (D(2025, 5, 26), D(2025, 6, 4)):
        assert remind(day).events == 0
    assert inbox(zhang) == []


def test_many_cases_make_one_message_per_person_listing_ten(body: Body, zhang: User) -> None:
    cases = [investigated(body) for _ in range(12)]
    told = remind(D(2025, 5, 26))
    assert (told.events, told.messages) == (12, 1)
    [message] = inbox(zhang)
    lines = message.body.splitlines()
    assert len(lines) == 1 + reminders.DIGEST_LINES + 1
    assert "2" in lines[-1]
    assert message.url == f"{reverse('enforcement:case_list')}?body={body.unit.pk}"
    assert sum(case.number in message.body for case in cases) == reminders.DIGEST_LINES


def test_the_scan_costs_the_same_queries_for_5_cases_as_for_50(body: Body, zhang: User) -> None:
    def scan(count: int) -> tuple[int, int]:
        for _ in range(count):
            investigated(body)
        with CaptureQueriesContext(connection) as telling:
            told = remind(D(2025, 5, 26))
        assert told.messages == 1
        with CaptureQueriesContext(connection) as idle:
            assert remind(D(2025, 5, 26)).events == 0
        return len(telling), len(idle)

    few = scan(5)
    many = scan(45)  # 50 open cases now, 45 of them with news
    assert many == few, (few, many)
    assert few[1] <= 8
