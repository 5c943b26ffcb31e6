"""The dashboard figures on a small plan whose numbers are worked out by hand below.

The sample plan of region A gives five assignments and twelve reports:

    area 一  task 一(一) (quarterly)  司法局 A1, 保合少镇 A2
             task 一(二) (deadline)   司法局 A3
    area 二  task 二(一) (year end)   司法局 A4, 保合少镇 A5

On 3 July 2025 (Shanghai) the reports stand as set by `known_plan`:

    司法局  Q1 一(一)  accepted, done, sent 28 Mar (due 31 Mar), rated 4       → A1 complete, on time
    司法局  Q2 一(一)  draft, due 30 Jun, red card from 7 Jul                   → late, yellow card now
    司法局  一(二)     accepted, done, sent 6 May (due 1 Dec), rated 5          → A3 complete, on time
    司法局  二(一)     accepted, done, sent 10 Jun, accepted 1 Jul 00:30 local → A4 complete (July), unrated
    保合少镇 Q1 一(一) never reported, due 31 Mar, red card from 8 Apr          → late, red card now
    保合少镇 Q2 一(一) accepted, in progress, sent 1 Jul 07:00 local (30 Jun UTC), due 30 Jun, rated 2 → late
    every other report: pending and not yet due

so: assignments 3 of 5 complete (司法局 3/3, 保合少镇 0/2); tasks 1 of 3 (only 一(二) has all its
assignments complete); area 一 tasks 1/2, assignments 2/3; area 二 tasks 0/1, assignments 1/2; on time 3 of 6
(司法局 3/4, 保合少镇 0/2); overdue 2, of which 1 red.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from fazhi.plans.models import Plan
from fazhi.supervision import dashboard_access, dashboards
from fazhi.supervision.models import Progress, Report, ReportStatus
from fazhi.testing import SAMPLE_PLAN, Personas, make_plan

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2025, 7, 3)
NOW = datetime.datetime(2025, 7, 3, 10, 0, tzinfo=SHANGHAI)


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2025, month, day, hour, minute, tzinfo=SHANGHAI)


def report(plan: Plan, unit: Any, path: tuple[str, str], round_name: str) -> Report:
    return Report.objects.get(plan=plan, unit=unit, task__path=list(path), round__name=round_name)


def set_report(plan: Plan, unit: Any, path: tuple[str, str], round_name: str, **values: Any) -> Report:
    """Put a report in a state directly: the workflow itself is tested in test_report_workflow.py."""
    found = report(plan, unit, path, round_name)
    Report.objects.filter(pk=found.pk).update(**values)
    found.refresh_from_db()
    return found


ACCEPTED_DONE = {"status": ReportStatus.ACCEPTED, "progress": Progress.DONE}


def known_plan(personas: Personas) -> Plan:
    """Region A's sample plan in the state described at the top of this module."""
    plan = make_plan(personas.region_a, publish=True)
    justice, town = personas.justice_a, personas.town_unit_a
    q1, q2 = "2025年第一季度", "2025年第二季度"
    set_report(plan, justice, ("一", "(一)"), q1, **ACCEPTED_DONE, first_submitted_at=at(3, 28),
               submitted_at=at(3, 28), accepted_at=at(4, 2), quality=4, text="已听取汇报。")  # fmt: skip
    set_report(plan, justice, ("一", "(一)"), q2, status=ReportStatus.DRAFT, text="草稿,尚未报送。")
    set_report(plan, justice, ("一", "(二)"), "11月30日前", **ACCEPTED_DONE, first_submitted_at=at(5, 6),
               submitted_at=at(5, 6), accepted_at=at(5, 20), quality=5)  # fmt: skip
    set_report(plan, justice, ("二", "(一)"), "2025年年终", **ACCEPTED_DONE, first_submitted_at=at(6, 10),
               submitted_at=at(6, 10), accepted_at=at(7, 1, 0, 30))  # fmt: skip
    set_report(plan, town, ("一", "(一)"), q2, status=ReportStatus.ACCEPTED, progress=Progress.IN_PROGRESS,
               first_submitted_at=at(7, 1, 7), submitted_at=at(7, 1, 7), accepted_at=at(7, 2),
               quality=2)  # fmt: skip
    return plan


def region_b_plan(personas: Personas) -> Plan:
    """Region B's plan with every report accepted as done: none of it may show in region A's figures."""
    plan = make_plan(personas.region_b, SAMPLE_PLAN.replace("新城区", "莲湖区"), publish=True)
    Report.objects.filter(plan=plan).update(
        **ACCEPTED_DONE, first_submitted_at=at(1, 5), accepted_at=at(1, 6), quality=5
    )
    return plan


def figures_of(plan: Plan) -> dashboards.PlanFigures:
    return dashboards.plan_figures(
        plan, dashboard_access.plan_assignments(plan), dashboard_access.plan_reports(plan), TODAY
    )


def test_completion_by_area_and_by_unit_counts_only_accepted_completed_reports(personas: Personas) -> None:
    plan = known_plan(personas)
    region_b_plan(personas)
    figures = figures_of(plan)
    assert (figures.tasks, figures.assignments) == (dashboards.Ratio(1, 3), dashboards.Ratio(3, 5))
    by_area = {row.area.label: (row.tasks, row.assignments) for row in figures.areas}
    assert by_area == {
        "一 加强党的领导": (dashboards.Ratio(1, 2), dashboards.Ratio(2, 3)),
        "二 严格规范公正文明执法": (dashboards.Ratio(0, 1), dashboards.Ratio(1, 2)),
    }
    by_unit = {row.name: (row.assignments, row.on_time, row.overdue, row.red) for row in figures.units}
    assert by_unit == {
        "新城区司法局": (dashboards.Ratio(3, 3), dashboards.Ratio(3, 4), 1, 0),
        "保合少镇人民政府": (dashboards.Ratio(0, 2), dashboards.Ratio(0, 2), 1, 1),
    }
    assert (figures.on_time, figures.overdue, figures.red) == (dashboards.Ratio(3, 6), 2, 1)
    assert figures.on_time.percent == 50.0


def test_a_report_sent_after_midnight_local_time_is_late_although_utc_says_otherwise(
    personas: Personas,
) -> None:
    plan = known_plan(personas)
    town_q2 = report(plan, personas.town_unit_a, ("一", "(一)"), "2025年第二季度")
    assert town_q2.first_submitted_at is not None
    assert town_q2.first_submitted_at.astimezone(datetime.UTC).date() == town_q2.due_date
    town = next(row for row in figures_of(plan).units if row.unit_id == personas.town_unit_a.pk)
    assert town.on_time == dashboards.Ratio(0, 2)


def test_the_heat_map_has_one_cell_per_unit_and_area_with_the_completion_percent(personas: Personas) -> None:
    plan = known_plan(personas)
    option = dashboards.heatmap_chart(figures_of(plan))
    areas, units = option["xAxis"]["data"], option["yAxis"]["data"]
    # Long area names are shortened on the axis (the table and the export give them in full).
    cells = {(units[y], areas[x]): value for x, y, value in option["series"][0]["data"]}
    assert cells == {
        ("新城区司法局", "一 加强党的领导"): 100.0,
        ("新城区司法局", "二 严格规范公…"): 100.0,
        ("保合少镇人民政府", "一 加强党的领导"): 0,
        ("保合少镇人民政府", "二 严格规范公…"): 0,
    }


def test_the_trend_counts_completions_and_acceptances_by_local_month_and_stops_at_today(
    personas: Personas,
) -> None:
    plan = known_plan(personas)
    trend = dashboards.trend(
        plan, dashboard_access.plan_assignments(plan), dashboard_access.plan_reports(plan), TODAY
    )
    assert len(trend.labels) == 12
    # A1 in April, A3 in May, A4 on 1 July local time (30 June in UTC); August onwards has not come yet.
    assert trend.completed == [0, 0, 0, 1, 2, 2, 3, None, None, None, None, None]
    assert trend.accepted == [0, 0, 0, 1, 1, 0, 2, 0, 0, 0, 0, 0]


def test_the_overdue_list_gives_cards_oldest_first_and_hides_what_drafts_say(personas: Personas) -> None:
    plan = known_plan(personas)
    reports = dashboard_access.plan_reports(plan)
    rows = list(dashboards.overdue_reports(reports, TODAY))
    assert [(row.unit.name, row.due_date, row.card(TODAY)) for row in rows] == [
        ("保合少镇人民政府", datetime.date(2025, 3, 31), "red"),
        ("新城区司法局", datetime.date(2025, 6, 30), "yellow"),
    ]
    assert [row.pk for row in dashboards.overdue_reports(reports, TODAY, card="red")] == [rows[0].pk]
    assert [(u.name, u.yellow, u.red) for u in dashboards.overdue_by_unit(reports, TODAY)] == [
        ("保合少镇人民政府", 0, 1),
        ("新城区司法局", 1, 0),
    ]
    draft = rows[1]
    assert dashboards.visible_status(draft, private=False)[0] == ReportStatus.PENDING
    assert "text" in draft.get_deferred_fields()


def test_the_office_page_shows_the_same_figures_and_never_the_drafts_words(personas: Personas) -> None:
    plan = known_plan(personas)
    client = Client()
    client.force_login(personas.coordinator)
    with time_machine.travel(NOW, tick=False):
        response = client.get(f"/supervision/dashboard/?plan={plan.pk}")
        overdue = client.get(f"/supervision/overdue/?plan={plan.pk}")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.tasks, figures.assignments, figures.overdue, figures.red) == (
        dashboards.Ratio(1, 3), dashboards.Ratio(3, 5), 2, 1
    )  # fmt: skip
    assert "草稿" not in response.content.decode() + overdue.content.decode()
    assert [r.shown_status for r in overdue.context["page"].object_list] == ["pending", "pending"]


def test_a_unit_sees_its_own_figures_and_its_drafts_status_but_the_office_sees_not_yet_reported(
    personas: Personas,
) -> None:
    plan = known_plan(personas)
    url = f"/supervision/units/{personas.justice_a.pk}/?plan={plan.pk}"
    own, office = Client(), Client()
    own.force_login(personas.liaison)
    office.force_login(personas.coordinator)
    with time_machine.travel(NOW, tick=False):
        mine = own.get(url)
        theirs = office.get(url)
    assert mine.context["row"].assignments == dashboards.Ratio(3, 3)
    assert mine.context["row"].on_time == dashboards.Ratio(3, 4)
    counts = {status: n for status, _label, n in mine.context["counts"]}
    assert counts == {"pending": 3, "draft": 1, "accepted": 3}
    counts = {status: n for status, _label, n in theirs.context["counts"]}
    assert counts == {"pending": 4, "accepted": 3}


def test_units_and_region_b_never_see_region_as_figures(personas: Personas) -> None:
    plan = known_plan(personas)
    region_b_plan(personas)
    for persona, url in [
        (personas.liaison_other_unit, f"/supervision/units/{personas.justice_a.pk}/?plan={plan.pk}"),
        (personas.liaison_b, f"/supervision/units/{personas.justice_a.pk}/"),
        (personas.coordinator_b, f"/supervision/dashboard/?plan={plan.pk}"),
        (personas.coordinator_b, f"/supervision/overdue/?plan={plan.pk}"),
        (personas.coordinator_b, f"/supervision/assessment/export.xlsx?plan={plan.pk}"),
        (personas.coordinator_b, f"/supervision/units/{personas.justice_a.pk}/export.xlsx"),
    ]:
        client = Client()
        client.force_login(persona)
        assert client.get(url).status_code == 404, (persona, url)
    # Region B's office sees its own plan by default, with its own figures.
    client = Client()
    client.force_login(personas.coordinator_b)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/supervision/dashboard/")
    assert response.context["plan"].region_id == personas.region_b.pk
    assert {row.name for row in response.context["figures"].units} == {"莲湖区司法局"}


def test_working_days_overdue_are_counted_as_the_calendar_counts_them_for_every_due_date() -> None:
    from fazhi.lib.workdays import Calendar

    calendar = Calendar({datetime.date(2025, 6, 3): False})  # a local day off
    dues = [datetime.date(2025, 3, 31), datetime.date(2025, 4, 30), datetime.date(2025, 6, 30), TODAY]
    dues += [datetime.date(2025, 5, 31), datetime.date(2025, 7, 10)]
    expected = {due: calendar.workdays_between(due, TODAY) for due in dues}
    assert dashboards.workdays_since(dues, TODAY, calendar) == expected
    assert expected[datetime.date(2025, 6, 30)] == 3  # 1, 2 and 3 July
    # Counted in batches, reusing the counts already made, the figures are the same.
    known = dashboards.workdays_since(dues[:2], TODAY, calendar)
    assert dashboards.workdays_since(dues, TODAY, calendar, known) == expected
