"""案卷评查 scoring and publishing: item maxima, totals and grades, a frozen published round, and the bodies'
grades entering the plan's assessment as audited score adjustments."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fazhi.audit.models import AuditEntry
from fazhi.audit.recorder import acting_as
from fazhi.enforcement import figures, file_review
from fazhi.enforcement.models import FileReviewBodyResult, FileReviewScore, FileReviewStatus
from fazhi.supervision import dashboard_access, scoring
from fazhi.supervision.models import ScoreAdjustment
from fazhi.testing import make_plan

from .casefile import Body
from .reviewing import closed_cases, draw, make_checklist, make_round, publish, score

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def round(personas: Any, body: Body) -> Any:
    closed_cases(body, 5)
    return draw(make_round(personas, make_checklist(personas)), seed=11)


def test_scoring_beyond_an_items_maximum_is_refused(personas: Any, round: Any) -> None:
    sample = round.samples.first()
    with pytest.raises(ValidationError) as error:
        score(round, sample, ["50.5", "30", "20"], user=personas.coordinator)
    assert "between 0 and 50" in " ".join(error.value.messages)
    assert not FileReviewScore.objects.exists()
    round.refresh_from_db()
    assert round.status == FileReviewStatus.SAMPLED


def test_every_item_must_be_scored(personas: Any, round: Any) -> None:
    item = round.checklist.items.first()
    with (
        acting_as(None, "test"),
        transaction.atomic(),
        pytest.raises(ValidationError, match="Score every item"),
    ):
        file_review.score_file(None, round.samples.first(), {item.pk: file_review.ItemScore(Decimal(1))})


def test_a_file_gets_its_total_and_grade_and_scoring_again_replaces_them(personas: Any, round: Any) -> None:
    sample = score(round, round.samples.first(), ["45", "28", "18"], user=personas.coordinator)
    assert (sample.total, sample.grade) == (Decimal("91"), "excellent")
    assert sample.reviewer == personas.coordinator
    sample = score(round, sample, ["30", "20", "5.5"], user=personas.coordinator)
    assert (sample.total, sample.grade) == (Decimal("55.5"), "fail")
    assert FileReviewScore.objects.filter(sample=sample).count() == 3


def test_only_the_regions_office_scores(personas: Any, round: Any) -> None:
    for user in (personas.leader, personas.liaison, personas.coordinator_b):
        with pytest.raises(PermissionDenied):
            score(round, round.samples.first(), ["50", "30", "20"], user=user)


def test_publishing_needs_every_file_scored(personas: Any, round: Any) -> None:
    score(round, round.samples.first(), ["50", "30", "20"])
    with pytest.raises(ValidationError, match="2 not scored yet"):
        publish(round, user=personas.coordinator)


def _score_all(round: Any, points: list[list[str]]) -> None:
    for sample, given in zip(round.samples.order_by("position"), points, strict=True):
        score(round, sample, given)


def test_publishing_freezes_the_scores(personas: Any, round: Any) -> None:
    _score_all(round, [["50", "30", "20"], ["40", "25", "15"], ["30", "20", "10"]])
    round = publish(round, user=personas.coordinator)
    assert round.status == FileReviewStatus.PUBLISHED
    assert round.published_by == personas.coordinator
    with pytest.raises(ValidationError, match="frozen"):
        score(round, round.samples.first(), ["0", "0", "0"])
    with pytest.raises(ValidationError):
        publish(round)
    assert round.samples.first().total == Decimal("100")
    # The checklist used is frozen too: a later checklist replaces it.
    with (
        acting_as(None, "test"),
        transaction.atomic(),
        pytest.raises(ValidationError, match="used in a round"),
    ):
        file_review.save_item(None, round.checklist.items.first(), max_points=Decimal(60))


def _assessment_row(plan: Any, unit_id: int) -> Any:
    today = datetime.date(2025, 12, 31)
    assessment = scoring.assess(
        plan,
        dashboard_access.plan_assignments(plan),
        dashboard_access.plan_reports(plan),
        dashboard_access.plan_adjustments(plan),
        today,
    )
    return assessment.for_unit(unit_id)


def test_publishing_enters_the_bodys_grade_in_its_assessment(personas: Any, body: Body) -> None:
    plan = make_plan(personas.region_a, publish=True, year=2025)
    before = _assessment_row(plan, personas.justice_a.pk)
    closed_cases(body, 5)
    # 100, 85, 70: average 85, 良好, worth 0 points by default; this region's rule says +0.5.
    round = draw(make_round(personas, make_checklist(personas, good_points=Decimal("0.5"))), seed=11)
    _score_all(round, [["50", "30", "20"], ["45", "25", "15"], ["35", "20", "15"]])
    publish(round, user=personas.coordinator)

    result = FileReviewBodyResult.objects.get(round=round)
    assert (result.unit, result.files, result.average, result.grade) == (
        personas.justice_a, 3, Decimal("85.00"), "good",
    )  # fmt: skip
    adjustment = result.adjustment
    assert adjustment is not None
    assert (adjustment.region, adjustment.year, adjustment.points) == (
        personas.region_a,
        2025,
        Decimal("0.5"),
    )
    assert "85.00" in adjustment.reason
    assert round.title in adjustment.reason
    assert AuditEntry.objects.filter(target_type="supervision.scoreadjustment", action="create").exists()

    after = _assessment_row(plan, personas.justice_a.pk)
    assert after.bonus == before.bonus + Decimal("0.5")
    assert after.score == before.score + Decimal("0.5")


def test_a_failing_body_loses_points_and_a_body_worth_nothing_gets_no_entry(
    personas: Any, round: Any
) -> None:
    _score_all(round, [["30", "10", "10"], ["20", "10", "10"], ["30", "15", "10"]])
    publish(round)
    result = FileReviewBodyResult.objects.get(round=round)
    assert result.grade == "fail"
    assert result.adjustment is not None
    assert result.adjustment.points == Decimal("-1")

    second = draw(make_round(personas, round.checklist, title="第二轮"), seed=5)
    _score_all(second, [["45", "20", "15"]] * 3)  # 80: 良好, 0 points by default
    publish(second)
    assert FileReviewBodyResult.objects.get(round=second).adjustment is None
    assert ScoreAdjustment.objects.count() == 1


def test_the_figures_give_each_bodys_average_with_the_files_behind_it(personas: Any, round: Any) -> None:
    _score_all(round, [["50", "30", "20"], ["40", "25", "15"], ["30", "20", "10"]])
    assert figures.file_review_by_body(personas.region_a, 2025) == {}  # not published yet
    publish(round)
    found = figures.file_review_by_body(personas.region_a, 2025)
    row = found[personas.justice_a.pk]
    assert row.sample_ids == sorted(round.samples.values_list("pk", flat=True))
    assert row.average == Decimal("80.00")
    assert row.excellent_or_good_ids == sorted(
        round.samples.filter(total__gte=80).values_list("pk", flat=True)
    )
    assert figures.file_review_by_body(personas.region_b, 2025) == {}
    assert figures.file_review_by_body(personas.region_a, 2024) == {}
