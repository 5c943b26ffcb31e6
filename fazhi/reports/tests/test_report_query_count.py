"""A report reads its year in a fixed number of queries, however many targets units reported on (year.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from fazhi.audit.recorder import acting_as
from fazhi.plans.models import Comparator, Target
from fazhi.reports import generate, indicators
from fazhi.supervision.models import Report, TargetValue
from fazhi.testing import Personas

from .year import known_year

pytestmark = pytest.mark.django_db


def queries(scope: indicators.Scope) -> int:
    with CaptureQueriesContext(connection) as captured:
        generate.generate(scope)
    return len(captured)


def test_more_reported_targets_take_no_more_queries(personas: Personas) -> None:
    plan = known_year(personas)
    scope = indicators.Scope(personas.region_a, 2025)
    before = queries(scope)
    report = Report.objects.get(plan=plan, unit=personas.justice_a, task__path=["二", "(一)"])
    with acting_as(None, "test"), transaction.atomic():
        for position in range(3):
            target = Target.objects.create(
                task=report.task, text=f"新增目标{position}", comparator=Comparator.AT_LEAST,
                value=Decimal(position), measure="项", position=10 + position,
            )  # fmt: skip
            TargetValue.objects.create(report=report, target=target, value=Decimal(5))
    assert queries(scope) == before
    met = [result for result in indicators.load(scope).targets if result.met]
    assert len(met) == 4  # 学时 and the three new ones; 持证率 is still not met
    assert all(result.sources[indicators.REPORT] == (report.pk,) for result in met)
