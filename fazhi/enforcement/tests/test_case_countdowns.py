"""Each open case's statutory clocks: 90 calendar days to decide, 5 working days to ask for a hearing, 7
working days to serve, 15 calendar days to pay — from the seeded periods, which a region may override."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import actions
from fazhi.enforcement.deadlines import countdowns, open_case_countdowns
from fazhi.enforcement.models import Case, CaseKind, CaseStep, PeriodCode, StatutoryPeriod
from fazhi.testing import Personas

from .casefile import Body, D, investigate_and_notify, open_case, step


def clocks(case: Case, today: Any) -> dict[str, tuple[Any, int]]:
    return {c.code: (c.due, c.days_left) for c in countdowns(case, today)}


def test_the_periods_of_the_law_are_seeded(db: Any) -> None:
    seeded = {(p.case_kind, p.code): (p.days, p.working_days) for p in StatutoryPeriod.objects.all()}
    assert seeded[(CaseKind.PENALTY_ORDINARY, PeriodCode.DECISION)] == (90, False)
    assert seeded[(CaseKind.PENALTY_ORDINARY, PeriodCode.HEARING_REQUEST)] == (5, True)
    assert seeded[(CaseKind.PENALTY_ORDINARY, PeriodCode.SERVICE)] == (7, True)
    assert seeded[(CaseKind.PENALTY_ORDINARY, PeriodCode.PAYMENT)] == (15, False)


def test_a_registered_case_has_ninety_calendar_days_to_be_decided(body: Body) -> None:
    # Registered on 3 March 2025: the 90th day is 1 June, inside the Dragon Boat holiday (31 May to 2 June),
    # so the period ends on Tuesday 3 June.
    case = open_case(body, on=D(2025, 3, 3))
    assert clocks(case, D(2025, 3, 3)) == {PeriodCode.DECISION: (D(2025, 6, 3), 92)}
    assert clocks(case, D(2025, 6, 4)) == {PeriodCode.DECISION: (D(2025, 6, 3), -1)}


def test_the_hearing_window_counts_working_days_and_closes_with_a_waiver(body: Body) -> None:
    case = investigate_and_notify(body, open_case(body, on=D(2025, 9, 20)), D(2025, 9, 22), D(2025, 9, 28))
    assert clocks(case, D(2025, 9, 30))[PeriodCode.HEARING_REQUEST] == (D(2025, 10, 11), 3)
    case = step(case, CaseStep.WAIVE, D(2025, 9, 30))
    assert PeriodCode.HEARING_REQUEST not in clocks(case, D(2025, 9, 30))


def test_after_the_decision_the_service_and_then_the_payment_clock_run(body: Body) -> None:
    case = investigate_and_notify(body, open_case(body), notified=D(2025, 3, 10))
    case = step(case, CaseStep.DECIDE, D(2025, 3, 20), penalty_amount=Decimal("2000"))
    # Thursday 20 March + 7 working days = Monday 31 March.
    assert clocks(case, D(2025, 3, 21)) == {PeriodCode.SERVICE: (D(2025, 3, 31), 6)}
    case = step(case, CaseStep.SERVE, D(2025, 3, 24))
    assert clocks(case, D(2025, 3, 24)) == {PeriodCode.PAYMENT: (D(2025, 4, 8), 15)}
    case = step(case, CaseStep.EXECUTE, D(2025, 4, 1))
    assert clocks(case, D(2025, 4, 1)) == {}


def test_a_regions_own_period_overrides_the_national_one(body: Body, personas: Personas) -> None:
    with acting_as(None, "test"), transaction.atomic():
        actions.save_statutory_period(
            None, code=PeriodCode.DECISION, case_kind=CaseKind.PENALTY_ORDINARY, region=personas.region_a,
            days=60, working_days=False, starts_with=CaseStep.REGISTER, ends_with=CaseStep.DECIDE,
            effective_from=D(2025, 1, 1), legal_basis="本地规定",
        )  # fmt: skip
    case = open_case(body, on=D(2025, 3, 3))
    assert clocks(case, D(2025, 3, 3)) == {PeriodCode.DECISION: (D(2025, 5, 6), 64)}  # 2 May is a holiday


def test_open_cases_get_their_countdowns_in_a_few_queries(
    body: Body, django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        open_case(body, on=D(2025, 3, 3))
    inspection = open_case(body, kind=CaseKind.INSPECTION)
    cases = list(Case.objects.open().select_related("unit__region"))
    with django_assert_max_num_queries(4):
        found = open_case_countdowns(cases, D(2025, 3, 4))
    assert found[inspection.pk] == []
    assert sum(len(c) for c in found.values()) == 5
