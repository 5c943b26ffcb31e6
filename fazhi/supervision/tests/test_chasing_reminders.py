"""Reminders before a report is due, a yellow card once it is late and a red card past the further limit: the
right people get one grouped message on the right working day, and never what a draft says.

The sample plan's reports of 新城区司法局 (liaison 钱联络, head 赵局长) and 保合少镇 (nobody has a role there)
fall due on 2025-03-31 (reminder 03-26, red card after 04-08), 2025-09-30 (reminder 09-26, red card after
10-14, with the National Day holiday 10-01…10-08 in between) and at the year end.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from fazhi.notifications.models import Notification
from fazhi.orgs.models import User
from fazhi.plans.models import Plan
from fazhi.supervision import actions, chasing
from fazhi.supervision.models import Progress, Report, ReportStatus
from fazhi.testing import Personas, make_plan

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def plan(personas: Personas) -> Plan:
    return make_plan(personas.region_a, publish=True)


def messages(user: User, kind: str | None = None) -> list[Notification]:
    found = Notification.objects.filter(recipient=user).order_by("pk")
    return list(found.filter(kind=kind) if kind else found)


def hand_in_everything_due_before(day: datetime.date) -> None:
    # Earlier rounds are settled, so only the round under test is owed (a status set directly, as a fixture).
    Report.objects.filter(due_date__lt=day).update(status=ReportStatus.ACCEPTED)


def test_the_liaison_is_reminded_on_the_reminder_date_and_not_before(personas: Personas, plan: Plan) -> None:
    chasing.scan(D(2025, 3, 25))
    assert Notification.objects.count() == 0

    result = chasing.scan(D(2025, 3, 26))

    assert result.told[chasing.REMINDER] == 2  # the justice bureau's and the town's report
    [reminder] = messages(personas.liaison)
    assert reminder.kind == "reminder"
    assert "坚持党的集中统一领导" in reminder.body
    assert "2025年3月31日" in reminder.body
    assert (
        reminder.url
        == f"/supervision/reports/{Report.objects.get(unit=personas.justice_a, due_date=D(2025, 3, 31)).pk}/"
    )
    # Reminders are the liaison's job; the head and the office hear only once a report is late.
    assert messages(personas.unit_head) == messages(personas.coordinator) == []
    assert messages(personas.liaison_other_unit) == messages(personas.coordinator_b) == []


def test_a_unit_gets_one_message_listing_all_its_reports_due_soon(personas: Personas, plan: Plan) -> None:
    hand_in_everything_due_before(D(2025, 12, 26))
    chasing.scan(D(2025, 12, 26))

    [reminder] = messages(personas.liaison)
    assert "3" in reminder.title
    lines = [line for line in reminder.body.splitlines() if line.startswith("·")]
    assert len(lines) == 3
    assert any("加强执法人员培训" in line for line in lines)
    assert reminder.url == "/supervision/my/"


def test_a_late_report_gives_the_liaison_and_the_head_a_yellow_card(personas: Personas, plan: Plan) -> None:
    chasing.scan(D(2025, 4, 1))

    for person in (personas.liaison, personas.unit_head):
        [card] = messages(person, "yellow_card")
        assert "2025年4月8日" in card.body  # the red-card date, so the unit knows how long it has
    assert messages(personas.coordinator) == []


def test_a_red_card_tells_the_head_and_the_office_in_one_message_per_person(
    personas: Personas, plan: Plan
) -> None:
    chasing.scan(D(2025, 4, 9))

    assert messages(personas.liaison, "red_card") == []
    [head_card] = messages(personas.unit_head, "red_card")
    assert "保合少镇" not in head_card.body
    # The office hears of both units' reports together, each line naming its unit.
    [office_card] = messages(personas.coordinator)
    assert office_card.kind == "red_card"
    assert "新城区司法局" in office_card.body
    assert "保合少镇人民政府" in office_card.body
    assert office_card.url == "/supervision/overdue/"
    assert messages(personas.coordinator_b) == []


def test_nothing_is_sent_on_a_holiday_and_the_card_comes_on_the_next_working_day(
    personas: Personas, plan: Plan
) -> None:
    hand_in_everything_due_before(D(2025, 9, 30))
    # 2025-10-01 is the first day a Q3 report is late, and the first day of the National Day holiday.
    for day in range(1, 9):
        result = chasing.scan(D(2025, 10, day))
        assert result.waiting == 2, day
    assert Notification.objects.count() == 0

    chasing.scan(D(2025, 10, 9))

    [card] = messages(personas.liaison, "yellow_card")
    assert "2025年9月30日" in card.body
    assert messages(personas.unit_head, "yellow_card") != []


def test_a_draft_never_leaves_the_unit_in_a_message(personas: Personas, plan: Plan) -> None:
    report = Report.objects.get(unit=personas.justice_a, due_date=D(2025, 3, 31))
    secret = "草稿：培训尚未开展，拟补签到表"
    with transaction.atomic():
        actions.save_report(report, personas.liaison, secret, Progress.IN_PROGRESS, {})

    for day in (D(2025, 3, 26), D(2025, 4, 1), D(2025, 4, 9)):
        chasing.scan(day)

    assert Notification.objects.filter(recipient=personas.coordinator).exists()
    for notification in Notification.objects.all():
        assert "草稿" not in notification.title + notification.body
        assert "签到表" not in notification.title + notification.body
