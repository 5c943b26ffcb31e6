"""No decision while the party may still be heard: the hearing window after the notice (5 working days,
行政处罚法第六十四条 and 第八十五条), unless the party waived it; a requested hearing is held first."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fazhi.enforcement.models import CaseKind, CaseStatus, CaseStep

from .casefile import Body, D, investigate_and_notify, open_case, step

pytestmark = pytest.mark.usefixtures("english")

FINE = {"penalty_amount": Decimal("2000")}


def test_deciding_on_the_last_day_of_the_window_is_refused(body: Body) -> None:
    # Notified on Monday 10 March 2025: five working days run to Monday 17 March.
    case = investigate_and_notify(body, open_case(body), notified=D(2025, 3, 10))
    with pytest.raises(ValidationError, match="ask for a hearing until 2025-03-17"):
        step(case, CaseStep.DECIDE, D(2025, 3, 17), **FINE)
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED
    assert case.decided_on is None


def test_deciding_the_day_after_the_window_passes(body: Body) -> None:
    case = investigate_and_notify(body, open_case(body), notified=D(2025, 3, 10))
    case = step(case, CaseStep.DECIDE, D(2025, 3, 18), **FINE)
    assert (case.status, case.decided_on, case.penalty_amount) == (CaseStatus.DECIDED, D(2025, 3, 18), 2000)


def test_the_window_counts_working_days_across_the_national_day_holiday(body: Body) -> None:
    # Notified on Sunday 28 September 2025 (a 调休 working day): 29, 30 September, 9, 10, 11 (Saturday, a
    # working day) October.
    case = investigate_and_notify(
        body, open_case(body, on=D(2025, 9, 20)), D(2025, 9, 22), notified=D(2025, 9, 28)
    )
    with pytest.raises(ValidationError, match="until 2025-10-11"):
        step(case, CaseStep.DECIDE, D(2025, 10, 11), **FINE)
    assert step(case, CaseStep.DECIDE, D(2025, 10, 12), **FINE).status == CaseStatus.DECIDED


def test_a_written_waiver_allows_deciding_at_once(body: Body) -> None:
    case = investigate_and_notify(body, open_case(body), notified=D(2025, 3, 10))
    step(case, CaseStep.WAIVE, D(2025, 3, 11), notes="当事人书面放弃陈述申辩和听证")
    assert step(case, CaseStep.DECIDE, D(2025, 3, 11), **FINE).status == CaseStatus.DECIDED


def test_a_requested_hearing_must_be_held_before_deciding(body: Body) -> None:
    case = investigate_and_notify(body, open_case(body), notified=D(2025, 3, 10))
    step(case, CaseStep.REQUEST_HEARING, D(2025, 3, 12))
    with pytest.raises(ValidationError, match="hold the hearing"):
        step(case, CaseStep.DECIDE, D(2025, 4, 30), **FINE)
    step(case, CaseStep.HOLD_HEARING, D(2025, 3, 28), notes="听证笔录")
    assert step(case, CaseStep.DECIDE, D(2025, 3, 31), **FINE).status == CaseStatus.DECIDED


def test_a_hearing_request_after_the_window_is_refused(body: Body) -> None:
    case = investigate_and_notify(body, open_case(body), notified=D(2025, 3, 10))
    with pytest.raises(ValidationError, match="until 2025-03-17"):
        step(case, CaseStep.REQUEST_HEARING, D(2025, 3, 18))


def test_a_hearing_cannot_be_held_without_a_request(body: Body) -> None:
    case = investigate_and_notify(body, open_case(body), notified=D(2025, 3, 10))
    with pytest.raises(ValidationError, match="has not asked for a hearing"):
        step(case, CaseStep.HOLD_HEARING, D(2025, 3, 12))


def test_a_new_notice_opens_a_new_window_and_the_old_waiver_no_longer_counts(body: Body) -> None:
    case = investigate_and_notify(body, open_case(body), notified=D(2025, 3, 10))
    step(case, CaseStep.WAIVE, D(2025, 3, 11))
    step(case, CaseStep.REVIEW_RETURN, D(2025, 3, 12), reviewer=body.reviewer, notes="事实不清，补充调查")
    step(case, CaseStep.INVESTIGATE, D(2025, 3, 13), officers=[body.zhang, body.li])
    case = step(case, CaseStep.NOTIFY, D(2025, 3, 14))
    assert case.rights_waived_on is None
    with pytest.raises(ValidationError, match="until 2025-03-21"):
        step(case, CaseStep.DECIDE, D(2025, 3, 21), **FINE)


def test_the_simplified_procedure_decides_on_the_spot_and_has_no_hearing(body: Body) -> None:
    case = open_case(body, kind=CaseKind.PENALTY_SIMPLE, on=D(2025, 3, 3))
    step(case, CaseStep.INVESTIGATE, D(2025, 3, 3), officers=[body.zhang, body.li])
    step(case, CaseStep.NOTIFY, D(2025, 3, 3))
    with pytest.raises(ValidationError, match="not possible"):
        step(case, CaseStep.REQUEST_HEARING, D(2025, 3, 3))
    case = step(case, CaseStep.DECIDE, D(2025, 3, 3), penalty_amount=Decimal("1000"))
    assert case.status == CaseStatus.DECIDED
