"""Indicators computed from the year's records (the state is described in year.py), each with its records."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction

from fazhi.audit.recorder import acting_as
from fazhi.plans.models import Target, Task
from fazhi.reports import actions, indicators
from fazhi.reports.models import Indicator, IndicatorSource, IndicatorValue, TargetIndicator
from fazhi.supervision.models import Report
from fazhi.testing import SAMPLE_PLAN, Personas, make_plan

from .year import known_year

pytestmark = pytest.mark.django_db


def values(personas: Personas, unit: object = None) -> dict[str, indicators.Value]:
    scope = indicators.Scope(personas.region_a, 2025, unit)  # type: ignore[arg-type]
    return indicators.compute(indicators.load(scope))


def test_the_seeded_catalogue_names_only_computations_that_exist() -> None:
    computed = Indicator.objects.filter(source=IndicatorSource.COMPUTED)
    assert computed.count() >= 10
    assert {indicator.computation for indicator in computed} <= set(indicators.COMPUTATIONS)
    assert Indicator.objects.get(code="completion_rate").measure == "%"


def test_task_figures_count_a_task_complete_only_when_every_unit_completed_it(personas: Personas) -> None:
    plan = known_year(personas)
    found = values(personas)
    tasks = {task.label: task.pk for task in Task.objects.filter(plan=plan)}
    assert found["tasks"].value == 3
    assert found["tasks_completed"].value == 2
    assert found["tasks_completed"].sources == {
        "plans.task": tuple(sorted([tasks["一(二)"], tasks["二(一)"]]))
    }
    assert found["tasks_unfinished"].sources == {"plans.task": (tasks["一(一)"],)}
    assert found["completion_rate"].value == Decimal("66.7")


def test_report_figures_carry_the_ids_of_the_reports_they_count(personas: Personas) -> None:
    plan = known_year(personas)
    found = values(personas)
    late = Report.objects.get(plan=plan, unit=personas.town_unit_a, round__name__contains="第二季度")
    returned = Report.objects.get(plan=plan, unit=personas.town_unit_a, round__name__contains="第三季度")
    assert found["reports_late"].sources == {"supervision.report": (late.pk,)}
    assert found["red_cards"].sources == {"supervision.report": (late.pk,)}
    assert found["reports_returned"].sources == {"supervision.report": (returned.pk,)}
    all_reports = Report.objects.filter(plan=plan).count()
    assert found["reports"].value == all_reports
    assert found["reports_accepted"].value == all_reports - 1


def test_a_unit_scope_counts_only_that_units_records(personas: Personas) -> None:
    known_year(personas)
    found = values(personas, personas.justice_a)
    assert found["tasks_completed"].value == found["tasks"].value == 3
    assert found["reports_late"].value == 0
    assert found["on_time_rate"].value == 100


def test_targets_are_judged_from_the_values_units_reported(personas: Personas) -> None:
    known_year(personas)
    records = indicators.load(indicators.Scope(personas.region_a, 2025))
    met = {result.target.measure: result.met for result in records.targets}
    assert met == {"学时": True, "%": False}
    found = indicators.compute(records)
    assert found["targets_met"].value == found["targets_unmet"].value == 1


def test_a_target_linked_to_an_indicator_is_judged_by_the_indicators_value(personas: Personas) -> None:
    plan = known_year(personas)
    licensed = Target.objects.get(task__plan=plan, measure="%")
    with acting_as(None, "test"), transaction.atomic():
        TargetIndicator.objects.create(
            target=licensed, indicator=Indicator.objects.get(code="completion_rate")
        )
    records = indicators.load(indicators.Scope(personas.region_a, 2025))
    result = next(r for r in records.targets if r.target == licensed)
    assert result.values == (Decimal("66.7"),)
    assert result.met is False


def test_another_regions_records_never_count(personas: Personas) -> None:
    known_year(personas)
    make_plan(personas.region_b, SAMPLE_PLAN.replace("新城区", "莲湖区"), publish=True)
    assert values(personas)["tasks"].value == 3
    assert indicators.load(indicators.Scope(personas.region_b, 2024)).tasks == []


def test_saving_values_stores_each_with_its_sources_once(personas: Personas) -> None:
    known_year(personas)
    scope = indicators.Scope(personas.region_a, 2025)
    found = indicators.compute(indicators.load(scope))
    with acting_as(None, "test"):
        actions.save_values(scope, found)
        actions.save_values(scope, found)
    stored = IndicatorValue.objects.get(
        indicator__code="tasks_unfinished", region=personas.region_a, unit=None
    )
    assert stored.year == 2025
    assert stored.value == 1
    assert stored.sources == {"plans.task": list(found["tasks_unfinished"].sources["plans.task"])}
    assert IndicatorValue.objects.filter(region=personas.region_a).count() == len(found)
