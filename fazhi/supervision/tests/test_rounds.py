"""Publishing opens the rounds its deadlines and recurrences call for, and a report per unit in each."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from fazhi.supervision.actions import open_manual_round
from fazhi.supervision.models import CalendarDay, Report, ReportStatus, Round
from fazhi.supervision.rounds import plan_rounds
from fazhi.testing import Personas, make_plan

pytestmark = pytest.mark.django_db


def test_rounds_follow_deadlines_recurrences_and_the_year_end(personas: Personas) -> None:
    plan = make_plan(personas.region_a, publish=True)
    rounds = [(r.kind, r.period_end) for r in Round.objects.filter(plan=plan).order_by("period_end", "kind")]
    assert rounds == [
        ("quarterly", datetime.date(2025, 3, 31)),
        ("quarterly", datetime.date(2025, 6, 30)),
        ("quarterly", datetime.date(2025, 9, 30)),
        ("deadline", datetime.date(2025, 11, 30)),
        ("year-end", datetime.date(2025, 12, 31)),
    ]


def test_every_assignment_owes_a_report_in_each_round_of_its_task(personas: Personas) -> None:
    plan = make_plan(personas.region_a, publish=True)
    # 每季度 task: 2 units × 4 rounds; 11月底前 task: 1 unit × 2 rounds; the third task: 2 units × year end.
    assert Report.objects.filter(plan=plan).count() == 12
    assert set(Report.objects.filter(plan=plan).values_list("status", flat=True)) == {ReportStatus.PENDING}


def test_due_dates_on_a_day_off_move_to_the_next_working_day(personas: Personas) -> None:
    plan = make_plan(personas.region_a, publish=True)
    # 30 November 2025 is a Sunday; 31 December 2025 a Wednesday.
    deadline = Report.objects.filter(plan=plan, round__kind="deadline").first()
    assert deadline is not None
    assert deadline.due_date == datetime.date(2025, 12, 1)
    # Three working days before, five after (the default rules).
    assert deadline.remind_date == datetime.date(2025, 11, 26)
    assert deadline.red_date == datetime.date(2025, 12, 8)


def test_the_national_day_holiday_and_its_working_weekend_count(personas: Personas) -> None:
    plan = make_plan(personas.region_a, publish=True)
    with transaction.atomic():
        r = open_manual_round(plan, personas.coordinator, "国庆节后报送", datetime.date(2025, 10, 1))
    report = Report.objects.filter(round=r).first()
    assert report is not None
    # 1–8 October 2025 are days off; Saturday 11 October is a 调休 working day.
    assert report.due_date == datetime.date(2025, 10, 9)
    # Five working days after: 10 (Fri), 11 (the Saturday worked), 13, 14, 15 October.
    assert report.red_date == datetime.date(2025, 10, 15)
    # Three working days before: 30 and 29 September, and Sunday 28 September, a 调休 working day.
    assert report.remind_date == datetime.date(2025, 9, 28)


def test_a_local_day_off_is_respected(personas: Personas) -> None:
    with transaction.atomic():
        CalendarDay.objects.create(
            date=datetime.date(2025, 12, 31), region=personas.region_a, is_workday=False
        )
    plan = make_plan(personas.region_a, publish=True)
    year_end = Report.objects.filter(plan=plan, round__kind="year-end").first()
    assert year_end is not None
    assert year_end.due_date == datetime.date(2026, 1, 4)  # 1–3 January 2026 are New Year days off


def test_a_plan_with_a_deadline_on_the_last_day_has_one_year_end_round(personas: Personas) -> None:
    plan = make_plan(personas.region_a)
    names = [spec.name for spec in plan_rounds(plan)]
    assert len(names) == len(set(names))
