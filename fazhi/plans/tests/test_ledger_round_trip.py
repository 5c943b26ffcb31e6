"""A plan exported as a 任务台账 reads back, through the plan reader and create_draft, into the same tasks."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from fazhi.audit.recorder import acting_as
from fazhi.docparse import parse_plan_document
from fazhi.plans import actions
from fazhi.plans.ledger import export_ledger
from fazhi.plans.models import ROLE_STRENGTH, Plan, TaskKind, TaskUnit, UnitRole
from fazhi.testing import Personas, make_plan

SEEDS = Path(__file__).parents[2] / "docparse" / "tests" / "fixtures" / "seeds"


def _seed(number: str) -> str:
    return next(SEEDS.glob(f"{number}_*.txt")).read_text("utf-8")


def _reimport(plan: Plan) -> Plan:
    data = export_ledger(plan)
    document = parse_plan_document(data, filename="x.xlsx", year=plan.year)
    with acting_as(None, "test"), transaction.atomic():
        return actions.create_draft(
            plan.region, document, actions.Source("任务台账.xlsx", data), year=plan.year
        )


def _tasks(plan: Plan) -> list[dict[str, Any]]:
    """Every fact of each task except its targets (compared on their own below)."""
    out = []
    tasks = (
        plan.tasks.filter(kind=TaskKind.TASK)
        .order_by("position")
        .prefetch_related("named_units", "deadlines")
    )
    for task in tasks:
        named = sorted(task.named_units.all(), key=lambda u: (ROLE_STRENGTH[UnitRole(u.role)], u.position))
        out.append(
            {
                "path": task.path,
                "title": task.title,
                "text": re.sub(r"\s+", "", task.text),
                # Roles as assigned; within a role, the order the plan names them.
                "units": [(u.role, u.name) for u in named],
                "deadlines": [(d.text, d.due_date, d.rule, d.in_text) for d in task.deadlines.all()],
                "recurrence": task.recurrence,
            }
        )
    return out


def _targets(plan: Plan) -> list[list[tuple[Any, ...]]]:
    return [
        [(t.text, t.comparator, t.value, t.value_max, t.measure) for t in task.targets.all()]
        for task in plan.tasks.filter(kind=TaskKind.TASK).order_by("position").prefetch_related("targets")
    ]


def test_the_seed_plan_reads_back_from_its_ledger_as_the_same_tasks(personas: Personas) -> None:
    plan = make_plan(personas.region_a, _seed("000"), year=2024)
    again = _reimport(plan)
    before, after = _tasks(plan), _tasks(again)
    assert len(before) == 30
    assert after == before
    # Spot checks that the comparison sees real content; names read back resolve as before.
    assert before[3]["units"] == [("lead", "区司法局")]
    assert ("responsible", "各行政执法单位") in before[8]["units"]
    resolved = {(u.name, u.unit_id, u.group_id) for u in TaskUnit.objects.filter(task__plan=again)}
    assert ("区司法局", personas.justice_a.pk, None) in resolved
    assert ("各行政执法单位", None, personas.enforcement_group_a.pk) in resolved
    assert again.year == 2024
    assert again.title == "新城区2024年法治政府建设工作计划任务台账"


def test_a_three_level_plan_with_leads_cooperating_units_and_deadlines_reads_back_the_same(
    personas: Personas,
) -> None:
    # Seed 002 (莲湖区 2017) numbers tasks 二、(一)1. and names 牵头, 配合 and 完成时限.
    plan = make_plan(personas.region_b, _seed("002"), year=2017)
    before = _tasks(plan)
    assert len(before) == 39
    assert any(role == "cooperating" for task in before for role, _ in task["units"])
    assert any(task["deadlines"] for task in before)
    assert ["二", "(六)", "5"] in [task["path"] for task in before]
    assert _tasks(_reimport(plan)) == before


def test_a_published_plan_with_its_division_sheet_reads_back_the_same(personas: Personas) -> None:
    # The 单位分工 sheet is not read as tasks; names confirmed "not a unit" come back as names to review.
    plan = make_plan(personas.region_a, publish=True)
    assert _tasks(_reimport(plan)) == _tasks(plan)


def test_an_edited_draft_reads_back_with_its_edits(personas: Personas) -> None:
    plan = make_plan(personas.region_a, _seed("000"), year=2024)
    task = plan.tasks.filter(kind=TaskKind.TASK).order_by("position")[4]
    with acting_as(personas.coordinator, "test"):
        actions.update_task(task, "加强商务诚信建设", "建立信用信息考核通报机制,9月底前完成。")
        actions.set_task_units(
            task, [("lead", "区发改委"), ("cooperating", "区司法局"), ("responsible", "区委宣传部")]
        )
    before = _tasks(plan)
    assert before[4]["deadlines"][0][:2] == ("9月底前", datetime.date(2024, 9, 30))
    assert _tasks(_reimport(plan)) == before


@pytest.mark.parametrize(("seed", "year"), [("000", 2024), ("002", 2017)])
def test_targets_read_back_once_each(personas: Personas, seed: str, year: int) -> None:
    region = personas.region_a if seed == "000" else personas.region_b
    plan = make_plan(region, _seed(seed), year=year)
    before = _targets(plan)
    assert sum(map(len, before)) >= 6
    assert _targets(_reimport(plan)) == before


def test_area_headings_read_back_from_the_ledger(personas: Personas) -> None:
    plan = make_plan(personas.region_a, _seed("000"), year=2024)
    areas = [(a.path, a.title) for a in plan.tasks.filter(kind=TaskKind.AREA).order_by("position")]
    assert areas[0] == (["一"], "围绕全区重点工作,全面加强党的领导")
    again = _reimport(plan)
    assert [(a.path, a.title) for a in again.tasks.filter(kind=TaskKind.AREA).order_by("position")] == areas
