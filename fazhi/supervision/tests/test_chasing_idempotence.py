"""The scan is idempotent: run it again (the same day, or the next) and nobody is told anything twice; a new
due date is a new event."""

from __future__ import annotations

import datetime

import pytest

from fazhi.notifications.models import Delivery, Notification, NotifiedEvent
from fazhi.supervision import chasing
from fazhi.supervision.models import Report
from fazhi.testing import Personas, make_plan

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def report(personas: Personas) -> Report:
    plan = make_plan(personas.region_a, publish=True)
    return Report.objects.get(plan=plan, unit=personas.justice_a, due_date=D(2025, 3, 31))


def test_scanning_twice_on_the_same_day_tells_nobody_anything_new(personas: Personas, report: Report) -> None:
    first = chasing.scan(D(2025, 3, 26))
    told = (Notification.objects.count(), Delivery.objects.count(), NotifiedEvent.objects.count())
    assert first.messages == 1
    assert told[0] == 1

    second = chasing.scan(D(2025, 3, 26))

    assert second.messages == 0
    assert second.told == {chasing.REMINDER: 0, chasing.YELLOW: 0, chasing.RED: 0}
    assert (Notification.objects.count(), Delivery.objects.count(), NotifiedEvent.objects.count()) == told


def test_each_day_of_the_reminder_window_is_the_same_event(personas: Personas, report: Report) -> None:
    for day in (26, 27, 28, 31):
        chasing.scan(D(2025, 3, day))
    assert Notification.objects.filter(recipient=personas.liaison, kind="reminder").count() == 1


def test_each_card_is_told_once_however_many_days_it_lasts(personas: Personas, report: Report) -> None:
    day = D(2025, 3, 26)
    while day <= D(2025, 4, 20):
        chasing.scan(day)
        day += datetime.timedelta(days=1)
    kinds = list(
        Notification.objects.filter(recipient=personas.unit_head)
        .order_by("pk")
        .values_list("kind", flat=True)
    )
    assert kinds == ["yellow_card", "red_card"]


def test_a_new_due_date_is_a_new_event(personas: Personas, report: Report) -> None:
    chasing.scan(D(2025, 3, 26))
    # The office extends the deadline by a week (dates as the round's change would store them).
    Report.objects.filter(pk=report.pk).update(
        due_date=D(2025, 4, 7), remind_date=D(2025, 4, 2), red_date=D(2025, 4, 14)
    )

    chasing.scan(D(2025, 4, 1))
    assert Notification.objects.filter(recipient=personas.liaison).count() == 1  # not late any more
    chasing.scan(D(2025, 4, 2))

    reminders = Notification.objects.filter(recipient=personas.liaison, kind="reminder").order_by("pk")
    assert [("2025年4月7日" in n.body) for n in reminders] == [False, True]
    assert NotifiedEvent.objects.filter(key=f"reminder:report:{report.pk}:2025-04-07").exists()


def test_a_report_handed_in_is_not_chased(personas: Personas, report: Report) -> None:
    Report.objects.filter(pk=report.pk).update(status="submitted")
    chasing.scan(D(2025, 4, 9))
    assert not Notification.objects.filter(
        body__contains="坚持党的集中统一领导", recipient=personas.unit_head
    )
