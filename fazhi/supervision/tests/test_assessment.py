"""Assessment (考核): the region's weights, a breakdown that adds up, fair ranks, cards, bonuses and entries.

The plan and its reports are those of test_dashboard_figures.py, on 3 July 2025:
    司法局   3 of 3 assignments complete, 3 of 4 reports on time, ratings 4 and 5, no red card
    保合少镇 0 of 2 complete, 0 of 2 on time, one rating of 2, one red card (Q1 never reported)
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import Client

from fazhi.audit.models import AuditEntry
from fazhi.audit.recorder import acting_as
from fazhi.plans.models import Plan
from fazhi.supervision import dashboard_access, scoring, scoring_actions
from fazhi.supervision.models import ScoreAdjustment, SupervisionRules
from fazhi.supervision.tests.test_dashboard_figures import NOW, TODAY, known_plan, region_b_plan
from fazhi.testing import Personas

pytestmark = pytest.mark.django_db


def assess(plan: Plan) -> scoring.Assessment:
    return scoring.assess(
        plan,
        dashboard_access.plan_assignments(plan),
        dashboard_access.plan_reports(plan),
        dashboard_access.plan_adjustments(plan),
        TODAY,
    )


def scores(plan: Plan) -> dict[str, tuple[int, Decimal]]:
    return {row.name: (row.rank, row.score) for row in assess(plan).rows}


def add(user: object, plan: Plan, unit_id: int, points: str, reason: str = "理由") -> ScoreAdjustment:
    with acting_as(user, "test"), transaction.atomic():
        return scoring_actions.add_adjustment(user, plan, unit_id, Decimal(points), reason)


def test_default_weights_give_the_scores_worked_out_by_hand(personas: Personas) -> None:
    plan = known_plan(personas)
    # 司法局: 3/3 × 50 + 3/4 × 30 + (9/2)/5 × 20 = 50 + 22.5 + 18;
    # 保合少镇: 0 + 0 + 2/5 × 20 − 2 (a red card).
    assert scores(plan) == {"新城区司法局": (1, Decimal("90.50")), "保合少镇人民政府": (2, Decimal("6.00"))}


def test_the_weights_are_the_regions_own_in_force_at_the_time(personas: Personas) -> None:
    plan = known_plan(personas)
    region_b_plan(personas)
    with acting_as(None, "test"), transaction.atomic():
        weights = {"completion": 40, "timeliness": 40, "quality": 20, "red_card": 3, "max_bonus": 4}
        SupervisionRules.objects.create(
            region=personas.region_a, effective_from=datetime.date(2025, 1, 1), scoring=weights
        )
        # Rules from next year, and region B's rules, change nothing in region A this year.
        SupervisionRules.objects.create(
            region=personas.region_a, effective_from=datetime.date(2026, 1, 1), scoring={"completion": 90}
        )
        SupervisionRules.objects.create(
            region=personas.region_b, effective_from=datetime.date(2025, 1, 1), scoring={"quality": 70}
        )
    # 司法局: 40 + 3/4 × 40 + 18 = 88; 保合少镇: 0 + 0 + 8 − 3.
    assert scores(plan) == {"新城区司法局": (1, Decimal("88.00")), "保合少镇人民政府": (2, Decimal("5.00"))}
    assert assess(plan).weights.max_bonus == 4


def test_the_breakdown_adds_up_to_the_score_with_the_bonus_capped(personas: Personas) -> None:
    plan = known_plan(personas)
    town = personas.town_unit_a.pk
    add(personas.coordinator, plan, town, "3", "承办全市法治培训")
    add(personas.coordinator, plan, town, "4", "经验被省级转发")
    add(personas.coordinator, plan, town, "-1.5", "信息报送错误")
    row = assess(plan).for_unit(town)
    assert row is not None
    assert (row.input.bonus, row.bonus, row.bonus_capped, row.deductions) == (
        Decimal("7"), Decimal("5.00"), True, Decimal("-1.50")
    )  # fmt: skip
    parts = [row.completion, row.timeliness, row.quality, row.red_cards, row.bonus, row.deductions]
    assert parts == [
        Decimal(0),
        Decimal(0),
        Decimal("8.00"),
        Decimal("-2.00"),
        Decimal("5.00"),
        Decimal("-1.50"),
    ]
    assert sum(parts) == row.score == Decimal("9.50")


def test_parts_are_rounded_before_they_are_added_so_the_breakdown_still_adds_up() -> None:
    weights = scoring.Weights(*(Decimal(n) for n in (50, 30, 20, 2, 5)))
    # 1/3 × 50 = 16.666…, 2/3 × 30 = 19.999…, 4/5 of 5 stars... rounded each to cents.
    row = scoring.score(scoring.ScoreInput(1, "甲", completed=1, assignments=3, on_time=2, timed=3), weights)
    assert (row.completion, row.timeliness) == (Decimal("16.67"), Decimal("20.00"))
    assert row.score == row.completion + row.timeliness + row.quality + row.red_cards + row.bonus


def test_equal_scores_share_a_rank_and_the_next_rank_is_skipped() -> None:
    weights = scoring.Weights(*(Decimal(n) for n in (50, 30, 20, 2, 5)))
    inputs = [
        scoring.ScoreInput(1, "丁", completed=1, assignments=2),
        scoring.ScoreInput(2, "乙", completed=2, assignments=2),
        scoring.ScoreInput(3, "丙", completed=1, assignments=2),
        scoring.ScoreInput(4, "甲", completed=0, assignments=2),
    ]
    ranked = [(row.name, row.rank, row.score) for row in scoring.score_units(inputs, weights)]
    assert ranked == [
        ("乙", 1, Decimal("50.00")),
        ("丁", 2, Decimal("25.00")),
        ("丙", 2, Decimal("25.00")),
        ("甲", 4, Decimal("0.00")),
    ]


def test_red_cards_are_deducted_whether_the_report_came_late_or_never(personas: Personas) -> None:
    plan = known_plan(personas)
    # 保合少镇's Q1 report was never sent (one red card); a report sent after its red-card date is one too.
    town = personas.town_unit_a.pk
    assert assess(plan).for_unit(town).input.red_cards == 1  # type: ignore[union-attr]
    later = TODAY + datetime.timedelta(days=5)  # 8 July: 司法局's Q2 draft passes its red-card date (7 July)
    result = scoring.assess(
        plan,
        dashboard_access.plan_assignments(plan),
        dashboard_access.plan_reports(plan),
        dashboard_access.plan_adjustments(plan),
        later,
    )
    justice = result.for_unit(personas.justice_a.pk)
    assert justice is not None
    assert (justice.input.red_cards, justice.red_cards) == (1, Decimal("-2.00"))


def test_adjustments_are_added_and_withdrawn_through_actions_with_an_audit_record(personas: Personas) -> None:
    plan = known_plan(personas)
    entry = add(personas.coordinator, plan, personas.justice_a.pk, "2", "承办现场会")
    entry_id = str(entry.pk)
    assert scores(plan)["新城区司法局"] == (1, Decimal("92.50"))
    created = AuditEntry.objects.get(target_type="supervision.scoreadjustment", target_id=entry_id)
    assert created.actor_id == personas.coordinator.pk
    with acting_as(personas.coordinator, "test"), transaction.atomic():
        scoring_actions.withdraw_adjustment(personas.coordinator, entry)
    assert scores(plan)["新城区司法局"] == (1, Decimal("90.50"))
    actions = list(
        AuditEntry.objects.filter(target_type="supervision.scoreadjustment", target_id=entry_id)
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert len(actions) == 2  # created, then deleted
    assert actions[0] != actions[1]


def test_only_the_regions_office_may_enter_or_withdraw_points(personas: Personas) -> None:
    plan = known_plan(personas)
    for person in (personas.leader, personas.unit_head, personas.coordinator_b):
        with pytest.raises(PermissionDenied):
            add(person, plan, personas.justice_a.pk, "1")
    entry = add(personas.coordinator, plan, personas.justice_a.pk, "1")
    with pytest.raises(PermissionDenied), acting_as(personas.leader, "test"), transaction.atomic():
        scoring_actions.withdraw_adjustment(personas.leader, entry)
    # Through the pages: the leader gets 403, region B's office 404; the entry is still there.
    for person, status in ((personas.leader, 403), (personas.liaison, 403), (personas.coordinator_b, 404)):
        client = Client()
        client.force_login(person)
        data = {"unit": personas.justice_a.pk, "points": "3", "reason": "自己加分"}
        assert client.post(f"/supervision/assessment/{plan.pk}/adjust/", data).status_code == status
        assert client.post(f"/supervision/assessment/adjustments/{entry.pk}/withdraw/").status_code == status
    assert list(ScoreAdjustment.objects.values_list("points", flat=True)) == [Decimal("1.00")]


def test_the_office_enters_points_on_the_page_and_sees_them_in_the_ranking(personas: Personas) -> None:
    plan = known_plan(personas)
    client = Client()
    client.force_login(personas.coordinator)
    with time_machine.travel(NOW, tick=False):
        data = {"unit": personas.town_unit_a.pk, "points": "-1", "reason": "迟报信息"}
        response = client.post(f"/supervision/assessment/{plan.pk}/adjust/", data)
        assert response.status_code == 302
        page = client.get(f"/supervision/assessment/?plan={plan.pk}")
    town = page.context["assessment"].for_unit(personas.town_unit_a.pk)
    assert (town.deductions, town.score) == (Decimal("-1.00"), Decimal("5.00"))
    assert "迟报信息" in page.content.decode()
    entry = ScoreAdjustment.objects.get()
    assert AuditEntry.objects.filter(target_type="supervision.scoreadjustment", source="web").exists()
    with time_machine.travel(NOW, tick=False):
        client.post(f"/supervision/assessment/adjustments/{entry.pk}/withdraw/", {"plan": plan.pk})
    assert not ScoreAdjustment.objects.exists()


def test_points_need_a_reason_and_a_unit_with_tasks_in_the_plan(personas: Personas) -> None:
    from django.core.exceptions import ValidationError

    plan = known_plan(personas)
    with pytest.raises(ValidationError):
        add(personas.coordinator, plan, personas.justice_a.pk, "1", "   ")
    with pytest.raises(ValidationError):
        add(personas.coordinator, plan, personas.reform_a.pk, "1")  # 发改委 has no task in this plan
    with pytest.raises(ValidationError):
        add(personas.coordinator, plan, personas.justice_a.pk, "0")
    assert not ScoreAdjustment.objects.exists()
