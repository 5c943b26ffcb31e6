"""Enforcement figures on hand-worked data: certificates on 31 December, the 60-hour line, reviewer ratios."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import actions, figures
from fazhi.enforcement.models import Officer, PowerKind

D = datetime.date


def officer(
    unit: Any,
    number: str,
    valid_to: datetime.date | None,
    hours: list[tuple[datetime.date, str]],
    **extra: Any,
) -> Officer:
    made = actions.save_officer(
        None, unit=unit, name=f"人员{number}", certificate_number=number, issuing_authority="自治区人民政府",
        valid_from=D(2020, 1, 1), valid_to=valid_to, **extra,
    )  # fmt: skip
    for number_of, (day, amount) in enumerate(hours):
        actions.save_training(None, officer=made, date=day, hours=Decimal(amount), subject=f"课程{number_of}")
    return made


def sample(personas: Any) -> dict[str, Officer]:
    with acting_as(None, "test"):
        return {
            # exactly 60 hours in 2025 (two sessions), certificate valid well past the year: counts for both
            "full": officer(
                personas.justice_a,
                "A1",
                D(2026, 12, 31),
                [(D(2025, 1, 5), "40"), (D(2025, 12, 31), "20")],
                is_legal_reviewer=True,
            ),
            # 59.5 hours; certificate expired on 30 December
            "expired": officer(personas.justice_a, "A2", D(2025, 12, 30), [(D(2025, 6, 1), "59.5")]),
            # certificate ends on 31 December itself; 30 hours in 2025 and 40 in 2024 do not add up
            "last_day": officer(
                personas.justice_a, "A3", D(2025, 12, 31), [(D(2025, 2, 1), "30"), (D(2024, 12, 31), "40")]
            ),
            "inactive": officer(personas.justice_a, "A4", None, [(D(2025, 2, 1), "80")], is_active=False),
            "other_region": officer(
                personas.justice_b, "B1", None, [(D(2025, 2, 1), "80")], is_legal_reviewer=True
            ),
        }


def test_certificates_count_when_valid_on_31_december(personas: Any) -> None:
    o = sample(personas)
    share = figures.certified_officers(personas.region_a, 2025)
    assert share.ids == [o["full"].pk, o["last_day"].pk]
    assert share.base_ids == [o["full"].pk, o["expired"].pk, o["last_day"].pk]
    assert share.ratio == Decimal(2) / Decimal(3)


def test_sixty_hours_exactly_reaches_the_default_and_59_point_5_does_not(personas: Any) -> None:
    o = sample(personas)
    share, minimum = figures.trained_officers(personas.region_a, 2025)
    assert minimum == Decimal("60")
    assert share.ids == [o["full"].pk]


def test_one_legal_reviewer_among_three_officers_meets_five_percent(personas: Any) -> None:
    o = sample(personas)
    [body] = figures.legal_reviewers_by_body(personas.region_a, 2025)
    assert body.unit == personas.justice_a
    assert body.reviewer_ids == [o["full"].pk]
    assert body.required == 1
    assert body.meets


def test_a_region_rule_in_force_on_31_december_changes_the_figures(personas: Any) -> None:
    o = sample(personas)
    with acting_as(None, "test"):
        actions.save_rules(
            None, region=personas.region_a, effective_from=D(2025, 1, 1), training_hours=Decimal("30"),
            legal_reviewer_ratio=Decimal("0.5"),
        )  # fmt: skip
        actions.save_rules(
            None, region=personas.region_a, effective_from=D(2026, 1, 1), training_hours=Decimal("90")
        )
    share, minimum = figures.trained_officers(personas.region_a, 2025)
    assert minimum == Decimal("30")
    assert share.ids == [o["full"].pk, o["expired"].pk, o["last_day"].pk]
    [body] = figures.legal_reviewers_by_body(personas.region_a, 2025)
    assert body.required == 2
    assert not body.meets
    assert figures.trained_officers(personas.region_b, 2025)[1] == Decimal("60")


def test_region_b_officers_and_powers_never_appear_in_region_a_figures(personas: Any) -> None:
    o = sample(personas)
    with acting_as(None, "test"):
        own = actions.save_power(
            None, unit=personas.justice_a, code="X1", name="许可", kind="licensing", legal_basis="法"
        )
        actions.save_power(
            None, unit=personas.justice_b, code="X1", name="许可", kind="licensing", legal_basis="法"
        )
    result = figures.enforcement_figures(personas.region_a, 2025)
    every_id = {*result.certified.base_ids, *result.trained.base_ids}
    every_id |= {pk for body in result.reviewers for pk in body.officer_ids}
    assert o["other_region"].pk not in every_id
    assert [body.unit for body in result.reviewers] == [personas.justice_a]
    assert result.powers_by_kind[PowerKind.LICENSING] == [own.pk]
    assert figures.enforcement_figures(personas.region_b, 2025).certified.ids == [o["other_region"].pk]
