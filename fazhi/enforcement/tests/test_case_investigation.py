"""Investigation needs two or more of the body's officers whose certificates are valid on the day."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from fazhi.enforcement.models import CaseStatus, CaseStep

from .casefile import Body, D, open_case, step

pytestmark = pytest.mark.usefixtures("english")


def test_one_officer_cannot_investigate(body: Body) -> None:
    case = open_case(body)
    with pytest.raises(ValidationError, match="at least two enforcement officers"):
        step(case, CaseStep.INVESTIGATE, D(2025, 3, 5), officers=[body.zhang])
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    assert list(case.investigators.all()) == []


def test_the_same_officer_twice_does_not_count_as_two(body: Body) -> None:
    case = open_case(body)
    with pytest.raises(ValidationError, match="two different people"):
        step(case, CaseStep.INVESTIGATE, D(2025, 3, 5), officers=[body.zhang, body.zhang])


def test_an_officer_whose_certificate_expired_cannot_investigate(body: Body) -> None:
    case = open_case(body, on=D(2025, 4, 1))
    with pytest.raises(ValidationError, match="王过期 had no valid enforcement certificate on 2025-04-01"):
        step(case, CaseStep.INVESTIGATE, D(2025, 4, 1), officers=[body.zhang, body.wang])


def test_the_same_officer_could_investigate_while_the_certificate_was_valid(body: Body) -> None:
    case = open_case(body, on=D(2025, 3, 3))
    step(case, CaseStep.INVESTIGATE, D(2025, 3, 31), officers=[body.zhang, body.wang])
    assert set(case.investigators.all()) == {body.zhang, body.wang}


def test_an_inactive_officer_cannot_investigate(body: Body) -> None:
    case = open_case(body)
    with pytest.raises(ValidationError, match="赵离岗"):
        step(case, CaseStep.INVESTIGATE, D(2025, 3, 5), officers=[body.zhang, body.zhao])


def test_an_officer_of_another_body_cannot_investigate(body: Body) -> None:
    case = open_case(body)
    with pytest.raises(ValidationError, match="do not belong to 新城区司法局"):
        step(case, CaseStep.INVESTIGATE, D(2025, 3, 5), officers=[body.zhang, body.other])


def test_two_certified_officers_investigate_and_are_recorded_on_the_step(body: Body) -> None:
    case = open_case(body)
    case = step(
        case, CaseStep.INVESTIGATE, D(2025, 3, 5), officers=[body.zhang, body.li], evidence_sha256=["ab" * 32]
    )
    assert case.status == CaseStatus.INVESTIGATING
    assert case.investigated_on == D(2025, 3, 5)
    event = case.events.get(step=CaseStep.INVESTIGATE)
    assert set(event.officers.all()) == {body.zhang, body.li}
    assert event.evidence_sha256 == ["ab" * 32]
    assert set(case.investigators.all()) == {body.zhang, body.li}


def test_a_later_investigation_adds_its_officers_to_the_case(body: Body) -> None:
    case = open_case(body)
    step(case, CaseStep.INVESTIGATE, D(2025, 3, 5), officers=[body.zhang, body.li])
    step(case, CaseStep.INVESTIGATE, D(2025, 3, 6), officers=[body.zhang, body.reviewer_officer])
    assert set(case.investigators.all()) == {body.zhang, body.li, body.reviewer_officer}


def test_an_evidence_hash_must_be_a_sha256(body: Body) -> None:
    case = open_case(body)
    with pytest.raises(ValidationError, match="not a SHA-256"):
        step(case, CaseStep.INVESTIGATE, D(2025, 3, 5), officers=[body.zhang, body.li], evidence_sha256=["x"])
