"""A fine outside the discretion standard in force on the decision day needs a recorded reason."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import actions
from fazhi.enforcement.models import Case, CaseKind, CaseStatus, CaseStep

from .casefile import Body, D, investigate_and_notify, open_case, step

pytestmark = pytest.mark.usefixtures("english")

DAY = D(2025, 3, 20)


def notified(body: Body, **fields: Any) -> Case:
    return investigate_and_notify(body, open_case(body, **fields), notified=D(2025, 3, 10))


def test_a_fine_above_the_standard_without_a_reason_is_refused(body: Body) -> None:
    case = notified(body)
    with pytest.raises(ValidationError, match="6000 yuan is outside the discretion standard"):
        step(case, CaseStep.DECIDE, DAY, penalty_amount=Decimal("6000"))
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED


def test_a_fine_outside_the_standard_with_a_reason_is_decided_and_keeps_the_reason(body: Body) -> None:
    case = notified(body)
    case = step(
        case,
        CaseStep.DECIDE,
        DAY,
        penalty_amount=Decimal("500"),
        discretion_reason="当事人主动消除危害后果，依法减轻处罚",
    )
    assert case.status == CaseStatus.DECIDED
    assert case.discretion_standard == body.standard
    assert case.discretion_reason.startswith("当事人主动")


def test_the_bounds_of_the_standard_are_inside_it(body: Body) -> None:
    first, second = notified(body), notified(body)
    assert step(first, CaseStep.DECIDE, DAY, penalty_amount=Decimal("1000")).status == CaseStatus.DECIDED
    assert step(second, CaseStep.DECIDE, DAY, penalty_amount=Decimal("5000")).status == CaseStatus.DECIDED


def test_a_blank_reason_is_no_reason(body: Body) -> None:
    case = notified(body)
    with pytest.raises(ValidationError, match="write down the reason"):
        step(case, CaseStep.DECIDE, DAY, penalty_amount=Decimal("9000"), discretion_reason="   ")


def test_a_standard_no_longer_in_force_is_refused(body: Body) -> None:
    with acting_as(None, "test"), transaction.atomic():
        old = actions.save_discretion_standard(
            None, power=body.power, circumstance="旧基准", min_amount=Decimal("0"),
            max_amount=Decimal("100000"), effective_from=D(2020, 1, 1), effective_to=D(2024, 12, 31),
        )  # fmt: skip
    case = notified(body)
    with pytest.raises(ValidationError, match="not one of this power's standards in force on 2025-03-20"):
        step(case, CaseStep.DECIDE, DAY, penalty_amount=Decimal("9000"), discretion_standard=old)


def test_with_several_standards_in_force_the_circumstance_must_be_chosen(body: Body) -> None:
    with acting_as(None, "test"), transaction.atomic():
        serious = actions.save_discretion_standard(
            None, power=body.power, circumstance="严重情节", min_amount=Decimal("5000"),
            max_amount=Decimal("20000"), effective_from=D(2025, 1, 1),
        )  # fmt: skip
    case = notified(body)
    with pytest.raises(ValidationError, match="choose the circumstance"):
        step(case, CaseStep.DECIDE, DAY, penalty_amount=Decimal("9000"))
    case = step(case, CaseStep.DECIDE, DAY, penalty_amount=Decimal("9000"), discretion_standard=serious)
    assert case.discretion_standard == serious


def test_a_fine_needs_the_power_it_is_based_on(body: Body) -> None:
    case = notified(body, power=None)
    with pytest.raises(ValidationError, match="Choose the power"):
        step(case, CaseStep.DECIDE, DAY, penalty_amount=Decimal("2000"))


def test_a_coercive_measure_imposes_no_fine(body: Body) -> None:
    case = notified(body, kind=CaseKind.COERCION)
    with pytest.raises(ValidationError, match="Only a penalty decision imposes a fine"):
        step(case, CaseStep.DECIDE, DAY, penalty_amount=Decimal("2000"))
    assert step(case, CaseStep.DECIDE, DAY).status == CaseStatus.DECIDED


def test_a_discretion_standard_cannot_end_below_its_start(body: Body) -> None:
    with acting_as(None, "test"), transaction.atomic(), pytest.raises(ValidationError, match="highest fine"):
        actions.save_discretion_standard(
            None, power=body.power, circumstance="错误", min_amount=Decimal("500"), max_amount=Decimal("100"),
            effective_from=D(2025, 1, 1),
        )  # fmt: skip
