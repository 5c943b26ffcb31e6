"""Reminding the office to publish last year's annual report before 1 April (default: 30, 14 and 3 days
before, then once when late), once per threshold, on working days, and not once it is published."""

from __future__ import annotations

import datetime

import pytest

from fazhi.audit.recorder import acting_as
from fazhi.notifications.models import Notification
from fazhi.reports import actions, reminders
from fazhi.reports.indicators import Scope
from fazhi.testing import Personas

from .year import known_year

pytestmark = pytest.mark.django_db
YEAR = 2025


def day(month: int, date: int) -> datetime.date:
    return datetime.date(YEAR + 1, month, date)


def told(personas: Personas) -> list[str]:
    return list(
        Notification.objects.filter(recipient=personas.coordinator, kind=reminders.KIND)
        .order_by("pk")
        .values_list("title", flat=True)
    )


def test_the_office_is_reminded_once_per_threshold_and_only_on_working_days(personas: Personas) -> None:
    known_year(personas)
    with acting_as(None, "test"):
        assert reminders.remind(day(2, 20)) == 0  # 40 days before: too early
        assert reminders.remind(day(3, 2)) == 1  # 30 days before, a Monday
        assert reminders.remind(day(3, 2)) == 0
        assert reminders.remind(day(3, 10)) == 0  # still the 30-day threshold
        assert reminders.remind(day(3, 29)) == 0  # the 3-day threshold, but a Sunday: it waits
        assert reminders.remind(day(3, 30)) == 1  # the worker missed the 14-day mark: one message, not two
        assert reminders.remind(day(3, 31)) == 0
    titles = told(personas)
    assert len(titles) == 2
    assert all(personas.region_a.name in title for title in titles)
    # Region B published no plan for the year: its office hears nothing.
    assert not Notification.objects.filter(recipient=personas.coordinator_b).exists()
    assert Notification.objects.filter(recipient=personas.coordinator).last().url == (  # type: ignore[union-attr]
        f"/reports/{personas.region_a.pk}/{YEAR}/draft/"
    )


def test_a_late_report_is_told_once_and_a_published_one_not_at_all(personas: Personas) -> None:
    known_year(personas)
    with acting_as(None, "test"):
        assert reminders.remind(day(4, 7)) == 1
        assert reminders.remind(day(4, 8)) == 0
    assert len(told(personas)) == 1
    Notification.objects.all().delete()
    with acting_as(personas.coordinator, "test"):
        draft = actions.start_draft(Scope(personas.region_a, YEAR), personas.coordinator)
        actions.publish(draft, personas.coordinator, 1)
    assert reminders.due_on(day(3, 20)) == []
    with acting_as(None, "test"):
        assert reminders.remind(day(3, 20)) == 0
    assert told(personas) == []
