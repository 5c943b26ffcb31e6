"""Every list exports to .xlsx: the file opens with openpyxl and its rows are the page's figures."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
import time_machine
from django.db import transaction
from django.test import Client

from fazhi.audit.recorder import acting_as
from fazhi.supervision import scoring_actions
from fazhi.supervision.tests.test_dashboard_figures import NOW, known_plan
from fazhi.testing import Personas

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def fetch(person: Any, url: str) -> Any:
    client = Client()
    client.force_login(person)
    with time_machine.travel(NOW, tick=False):
        return client.get(url)


def workbook(person: Any, url: str) -> Any:
    response = fetch(person, url)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(response.content))


def rows(sheet: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def all_text(book: Any) -> str:
    return " ".join(str(v) for sheet in book.worksheets for row in rows(sheet) for v in row if v is not None)


def test_the_dashboard_export_holds_the_pages_areas_units_heat_map_and_trend(personas: Personas) -> None:
    plan = known_plan(personas)
    page = fetch(personas.coordinator, f"/supervision/dashboard/?plan={plan.pk}").context["figures"]
    book = workbook(personas.coordinator, f"/supervision/dashboard/export.xlsx?plan={plan.pk}")
    assert book.sheetnames == ["按领域", "按单位", "单位×领域完成率", "趋势"]
    assert rows(book["按领域"]) == [
        (row.area.label, row.tasks.total, row.tasks.done, pytest.approx(float(row.tasks.rate or 0)),
         row.assignments.total, row.assignments.done, pytest.approx(float(row.assignments.rate or 0)))
        for row in page.areas
    ]  # fmt: skip
    assert rows(book["按领域"])[0][:3] == ("一 加强党的领导", 2, 1)
    assert [(r[0], r[1], r[2], r[5], r[6], r[8], r[9]) for r in rows(book["按单位"])] == [
        (u.name, u.assignments.total, u.assignments.done, u.on_time.done, u.on_time.total, u.yellow, u.red)
        for u in page.units
    ]
    assert ("新城区司法局", 3, 3, 3, 4, 1, 0) in [
        (r[0], r[1], r[2], r[5], r[6], r[8], r[9]) for r in rows(book["按单位"])
    ]
    heat = {r[0]: r[1:] for r in rows(book["单位×领域完成率"])}
    assert heat == {"保合少镇人民政府": (0, 0), "新城区司法局": (1, 1)}
    trend = rows(book["趋势"])
    assert [r[1] for r in trend] == [0, 0, 0, 1, 2, 2, 3, None, None, None, None, None]
    assert [r[2] for r in trend] == [0, 0, 0, 1, 1, 0, 2, 0, 0, 0, 0, 0]


def test_the_overdue_export_lists_the_pages_rows_and_never_a_drafts_words(personas: Personas) -> None:
    plan = known_plan(personas)
    page = fetch(personas.coordinator, f"/supervision/overdue/?plan={plan.pk}")
    book = workbook(personas.coordinator, f"/supervision/overdue/export.xlsx?plan={plan.pk}")
    listed = rows(book["逾期清单"])
    shown = page.context["page"].object_list
    assert [(r[1], r[5].date(), r[8]) for r in listed] == [
        (report.unit.name, report.due_date, {"yellow": "黄牌", "red": "红牌"}[report.current_card])
        for report in shown
    ]
    # Outside the unit a draft shows as "not yet reported", like a report never started.
    assert [r[7] for r in listed] == [report.shown_label for report in shown]
    assert [report.shown_status for report in shown] == ["pending", "pending"]
    assert [r[9] for r in listed] == [report.workdays_overdue for report in shown]
    assert rows(book["逾期单位"]) == [
        (u.name, u.yellow, u.red, u.total, datetime.datetime.combine(u.oldest, datetime.time()))
        for u in page.context["units"]
    ]
    assert "草稿" not in all_text(book)
    red_only = workbook(personas.coordinator, f"/supervision/overdue/export.xlsx?plan={plan.pk}&card=red")
    assert [r[1] for r in rows(red_only["逾期清单"])] == ["保合少镇人民政府"]


def test_the_assessment_export_is_the_ranking_with_its_breakdown_and_entries(personas: Personas) -> None:
    plan = known_plan(personas)
    with acting_as(personas.coordinator, "test"), transaction.atomic():
        scoring_actions.add_adjustment(
            personas.coordinator, plan, personas.town_unit_a.pk, Decimal(7), "=1+1"
        )
    page = fetch(personas.leader, f"/supervision/assessment/?plan={plan.pk}").context["assessment"]
    book = workbook(personas.leader, f"/supervision/assessment/export.xlsx?plan={plan.pk}")
    ranking = rows(book["考核排名"])
    assert [(r[0], r[1], r[18]) for r in ranking] == [
        (row.rank, row.name, float(row.score)) for row in page.rows
    ]
    assert [(r[0], r[1], r[18]) for r in ranking] == [
        (1, "新城区司法局", 90.5),
        (2, "保合少镇人民政府", 11.0),
    ]
    for r in ranking:  # the parts add up to the score
        assert r[5] + r[9] + r[12] + r[14] + r[16] + r[17] == pytest.approx(r[18])
    town = ranking[1]
    assert (town[13], town[14], town[15], town[16]) == (1, -2.0, 7.0, 5.0)
    # A reason that looks like a formula is written as text.
    assert rows(book["加减分明细"])[0][:3] == ("保合少镇人民政府", 7.0, "'=1+1")
    assert [r[1] for r in rows(book["评分规则"])] == [50, 30, 20, 2, 5]


def test_a_unit_exports_its_own_overdue_reports_areas_and_statuses(personas: Personas) -> None:
    plan = known_plan(personas)
    url = f"/supervision/units/{personas.justice_a.pk}/export.xlsx?plan={plan.pk}"
    page = fetch(personas.liaison, url.replace("export.xlsx", ""))
    book = workbook(personas.liaison, url)
    assert [r[1] for r in rows(book["逾期清单"])] == ["新城区司法局"]
    assert [(r[0], r[1], r[2], r[4], r[5]) for r in rows(book["按领域"])] == [
        (a.area.label, a.tasks.total, a.tasks.done, a.assignments.total, a.assignments.done)
        for a in page.context["areas"]
    ]
    # 司法局's tasks: 一(一) (with 保合少镇, not complete) and 一(二) in area 一; 二(一) in area 二.
    assert [(r[1], r[2]) for r in rows(book["按领域"])] == [(2, 1), (1, 0)]
    assert {r[0]: r[1] for r in rows(book["报告状态"])} == {
        label: n for _status, label, n in page.context["counts"]
    }
    # The office's export of the same unit folds the draft into "not yet reported".
    office = workbook(personas.coordinator, url)
    assert sum(r[1] for r in rows(office["报告状态"])) == 7
    assert len(rows(office["报告状态"])) == 2
