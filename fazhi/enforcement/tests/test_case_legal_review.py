"""A major decision needs a passed 法制审核 by a legal reviewer who did not investigate the case
(行政处罚法第五十八条) and a collective discussion (第五十七条); other cases may be decided without either."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import actions
from fazhi.enforcement.models import Case, CaseKind, CaseStatus, CaseStep, LegalReview, ReviewResult

from .casefile import Body, D, investigate_and_notify, open_case, step

pytestmark = pytest.mark.usefixtures("english")

FINE = {"penalty_amount": Decimal("5000")}
AFTER_WINDOW = D(2025, 3, 20)


def major_case(body: Body) -> Case:
    return investigate_and_notify(body, open_case(body, is_major=True), notified=D(2025, 3, 10))


def test_a_major_case_cannot_be_decided_without_legal_review(body: Body) -> None:
    case = major_case(body)
    with pytest.raises(ValidationError, match="needs a passed legal review"):
        step(case, CaseStep.DECIDE, AFTER_WINDOW, **FINE)


def test_a_legal_reviewer_who_investigated_cannot_review_either(body: Body) -> None:
    case = open_case(body, is_major=True)
    step(case, CaseStep.INVESTIGATE, D(2025, 3, 5), officers=[body.zhang, body.reviewer_officer])
    step(case, CaseStep.NOTIFY, D(2025, 3, 10))
    with pytest.raises(ValidationError, match="孙审核 investigated this case"):
        step(case, CaseStep.REVIEW_PASS, D(2025, 3, 18), reviewer=body.reviewer_officer, notes="同意")
    assert not LegalReview.objects.filter(case=case).exists()


def test_an_officer_who_is_not_a_legal_reviewer_cannot_review(body: Body) -> None:
    case = open_case(body, is_major=True)
    step(case, CaseStep.INVESTIGATE, D(2025, 3, 5), officers=[body.zhang, body.reviewer_officer])
    step(case, CaseStep.NOTIFY, D(2025, 3, 10))
    with pytest.raises(ValidationError, match="李执法 is not an active legal reviewer"):
        step(case, CaseStep.REVIEW_PASS, D(2025, 3, 18), reviewer=body.li, notes="同意")


def test_a_returned_review_sends_the_case_back_to_investigation(body: Body) -> None:
    case = major_case(body)
    case = step(case, CaseStep.REVIEW_RETURN, D(2025, 3, 18), reviewer=body.reviewer, notes="证据不足")
    assert case.status == CaseStatus.INVESTIGATING
    review = LegalReview.objects.get(case=case)
    assert (review.result, review.reviewer, review.opinion) == (
        ReviewResult.RETURNED,
        body.reviewer,
        "证据不足",
    )
    with pytest.raises(ValidationError, match="not possible"):
        step(case, CaseStep.DECIDE, AFTER_WINDOW, **FINE)


def test_a_major_case_is_reviewed_before_it_is_discussed(body: Body) -> None:
    case = major_case(body)
    with pytest.raises(ValidationError, match="legal review before the collective discussion"):
        step(case, CaseStep.DISCUSS, D(2025, 3, 18), notes="局务会议纪要")


def test_a_reviewed_major_case_still_needs_the_collective_discussion(body: Body) -> None:
    case = major_case(body)
    step(case, CaseStep.REVIEW_PASS, D(2025, 3, 18), reviewer=body.reviewer, notes="事实清楚，同意")
    with pytest.raises(ValidationError, match="discuss it collectively"):
        step(case, CaseStep.DECIDE, AFTER_WINDOW, **FINE)


def test_a_reviewed_and_discussed_major_case_is_decided(body: Body) -> None:
    case = major_case(body)
    step(case, CaseStep.REVIEW_PASS, D(2025, 3, 18), reviewer=body.reviewer, notes="事实清楚，同意")
    step(case, CaseStep.DISCUSS, D(2025, 3, 19), notes="局务会议集体讨论同意")
    case = step(case, CaseStep.DECIDE, AFTER_WINDOW, **FINE)
    assert case.status == CaseStatus.DECIDED
    assert [e.step for e in case.events.all()] == [
        "register", "investigate", "notify", "review_pass", "discuss", "decide"
    ]  # fmt: skip


def test_a_case_that_is_not_major_is_decided_without_review(body: Body) -> None:
    case = investigate_and_notify(body, open_case(body), notified=D(2025, 3, 10))
    assert step(case, CaseStep.DECIDE, AFTER_WINDOW, **FINE).status == CaseStatus.DECIDED


def test_marking_a_case_major_after_its_decision_is_refused(body: Body) -> None:
    case = investigate_and_notify(body, open_case(body), notified=D(2025, 3, 10))
    step(case, CaseStep.DECIDE, AFTER_WINDOW, **FINE)
    with acting_as(None, "test"), transaction.atomic(), pytest.raises(ValidationError, match="decided"):
        actions.save_case(case, None, is_major=True)


def test_marking_a_case_major_before_deciding_brings_the_review_guard(body: Body) -> None:
    case = investigate_and_notify(body, open_case(body), notified=D(2025, 3, 10))
    with acting_as(None, "test"), transaction.atomic():
        actions.save_case(case, None, is_major=True)
    with pytest.raises(ValidationError, match="needs a passed legal review"):
        step(case, CaseStep.DECIDE, AFTER_WINDOW, **FINE)


def test_a_simplified_case_cannot_be_major(body: Body) -> None:
    with pytest.raises(ValidationError, match="Only an ordinary-procedure penalty"):
        open_case(body, kind=CaseKind.PENALTY_SIMPLE, is_major=True)
