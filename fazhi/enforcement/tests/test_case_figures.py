"""Case figures with their record ids: by kind, body and month, and the review rate of major decisions."""

from __future__ import annotations

from decimal import Decimal

from fazhi.enforcement.figures import case_figures
from fazhi.enforcement.models import CaseKind, CaseStep
from fazhi.testing import Personas

from .casefile import Body, D, investigate_and_notify, open_case, step


def test_cases_are_counted_by_kind_body_and_month_of_registration(body: Body, personas: Personas) -> None:
    march = open_case(body, on=D(2025, 3, 3))
    april = open_case(body, kind=CaseKind.INSPECTION, on=D(2025, 4, 1))
    open_case(body, on=D(2024, 12, 31))  # last year's
    figures = case_figures(personas.region_a, 2025)
    assert figures.by_kind[CaseKind.PENALTY_ORDINARY] == [march.pk]
    assert figures.by_kind[CaseKind.INSPECTION] == [april.pk]
    assert figures.by_body == {body.unit.pk: [march.pk, april.pk]}
    assert (figures.by_month[3], figures.by_month[4], figures.by_month[1]) == ([march.pk], [april.pk], [])
    assert case_figures(personas.region_b, 2025).by_body == {}


def test_the_review_rate_counts_major_decisions_of_the_year(body: Body, personas: Personas) -> None:
    major = investigate_and_notify(body, open_case(body, is_major=True))
    step(major, CaseStep.REVIEW_PASS, D(2025, 3, 18), reviewer=body.reviewer, notes="同意")
    step(major, CaseStep.DISCUSS, D(2025, 3, 19), notes="集体讨论同意")
    step(major, CaseStep.DECIDE, D(2025, 3, 20), penalty_amount=Decimal("5000"))
    undecided = investigate_and_notify(body, open_case(body, is_major=True))
    ordinary = investigate_and_notify(body, open_case(body))
    step(ordinary, CaseStep.DECIDE, D(2025, 3, 20), penalty_amount=Decimal("2000"))
    share = case_figures(personas.region_a, 2025).major_reviewed
    assert (share.ids, share.base_ids) == ([major.pk], [major.pk])
    assert share.ratio == 1
    assert undecided.pk not in share.base_ids
