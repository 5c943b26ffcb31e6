"""案卷评查 sampling: the draw repeats from its recorded seed, covers only the period's closed files of the
region, and is fixed once scoring has started."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from fazhi.enforcement import file_review
from fazhi.enforcement.models import FileReviewEvent, FileReviewStatus

from .casefile import Body, D, open_case
from .reviewing import closed_case, closed_cases, draw, drawn_ids, make_checklist, make_round, score

pytestmark = pytest.mark.usefixtures("english")


def test_the_same_seed_draws_the_same_files_and_another_seed_others(personas: Any, body: Body) -> None:
    closed_cases(body, 12)
    checklist = make_checklist(personas)
    first = draw(make_round(personas, checklist), seed=20250701)
    second = draw(make_round(personas, checklist), seed=20250701)
    third = draw(make_round(personas, checklist), seed=7)
    assert drawn_ids(first) == drawn_ids(second)
    assert drawn_ids(first) != drawn_ids(third)
    assert len(set(drawn_ids(first))) == 3


def test_the_draw_is_random_random_of_the_seed_over_the_ids_in_pk_order(personas: Any, body: Body) -> None:
    cases = closed_cases(body, 8)
    round = draw(make_round(personas, make_checklist(personas)), seed=42)
    ids = sorted(case.pk for case in cases)
    assert round.population == ids
    assert drawn_ids(round) == file_review.draw_sample(ids, 42, 3)
    assert file_review.verify_draw(round)


def test_only_files_of_the_region_closed_in_the_period_are_drawn(personas: Any, body: Body) -> None:
    inside = closed_cases(body, 2)
    closed_case(body, D(2025, 3, 31))  # before the period
    closed_case(body, D(2025, 7, 1))  # after it
    open_case(body, on=D(2025, 4, 2))  # still open
    round = draw(make_round(personas, make_checklist(personas), sample_size=10), seed=1)
    assert sorted(drawn_ids(round)) == sorted(case.pk for case in inside)


def test_a_share_rounds_up(personas: Any, body: Body) -> None:
    closed_cases(body, 7)
    round = draw(make_round(personas, make_checklist(personas), sample_size=None, sample_rate="0.3"), seed=3)
    assert round.samples.count() == 3  # 0.3 × 7 = 2.1 → 3


def test_the_seed_is_recorded_when_none_is_given(personas: Any, body: Body) -> None:
    closed_cases(body, 4)
    round = draw(make_round(personas, make_checklist(personas)))
    assert round.seed is not None
    assert round.status == FileReviewStatus.SAMPLED
    assert file_review.verify_draw(round)


def test_the_office_may_redraw_until_the_first_file_is_scored(personas: Any, body: Body) -> None:
    closed_cases(body, 10)
    round = draw(make_round(personas, make_checklist(personas)), seed=1)
    round = draw(round, seed=2)
    assert round.seed == 2
    assert list(FileReviewEvent.objects.filter(round=round).values_list("to_status", flat=True)) == [
        "sampled",
        "sampled",
    ]
    score(round, round.samples.first(), ["50", "30", "20"])
    round.refresh_from_db()
    assert round.status == FileReviewStatus.SCORING
    before = drawn_ids(round)
    with pytest.raises(ValidationError, match="Scoring has started"):
        draw(round, seed=3)
    round.refresh_from_db()
    assert round.seed == 2
    assert drawn_ids(round) == before


def test_nothing_to_draw_is_said_plainly(personas: Any, body: Body) -> None:
    with pytest.raises(ValidationError, match="nothing to draw"):
        draw(make_round(personas, make_checklist(personas)), seed=1)


def test_a_round_uses_a_checklist_of_its_region_or_above(personas: Any, body: Body) -> None:
    other = make_checklist(personas, region=personas.region_b)
    with pytest.raises(ValidationError):
        make_round(personas, other)
