"""The case workflow: the table per kind, dates in order, the body's own people, one audited row per step."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fazhi.audit.models import AuditEntry
from fazhi.audit.recorder import acting_as
from fazhi.enforcement import actions
from fazhi.enforcement.actions import StaleCase
from fazhi.enforcement.models import CaseKind, CaseStatus, CaseStep
from fazhi.enforcement.workflow import TRANSITIONS, next_steps
from fazhi.testing import Personas

from .casefile import Body, D, investigate_and_notify, open_case, step

pytestmark = pytest.mark.usefixtures("english")


def test_an_ordinary_penalty_goes_from_registration_to_the_archive(body: Body, personas: Personas) -> None:
    case = investigate_and_notify(body, open_case(body, user=personas.liaison), notified=D(2025, 3, 10))
    step(case, CaseStep.STATEMENT, D(2025, 3, 12), notes="当事人称系初次违法", user=personas.liaison)
    for name, day in [
        (CaseStep.DECIDE, D(2025, 3, 20)), (CaseStep.SERVE, D(2025, 3, 21)),
        (CaseStep.EXECUTE, D(2025, 4, 1)), (CaseStep.CLOSE, D(2025, 4, 2)),
        (CaseStep.ARCHIVE, D(2025, 4, 30)),
    ]:  # fmt: skip
        extra = {"penalty_amount": Decimal("3000")} if name == CaseStep.DECIDE else {}
        case = step(case, name, day, user=personas.liaison, **extra)
    assert case.status == CaseStatus.ARCHIVED
    events = list(case.events.all())
    assert [(e.from_status, e.to_status) for e in events][:3] == [
        ("", "registered"), ("registered", "investigating"), ("investigating", "notified")
    ]  # fmt: skip
    assert events[-1].by == personas.liaison
    assert (case.served_on, case.executed_on, case.archived_on) == (
        D(2025, 3, 21),
        D(2025, 4, 1),
        D(2025, 4, 30),
    )


def test_an_inspection_is_opened_carried_out_and_closed_without_a_decision(body: Body) -> None:
    case = open_case(body, kind=CaseKind.INSPECTION)
    step(case, CaseStep.INVESTIGATE, D(2025, 3, 5), officers=[body.zhang, body.li])
    with pytest.raises(ValidationError, match="not possible"):
        step(case, CaseStep.DECIDE, D(2025, 3, 6))
    assert step(case, CaseStep.CLOSE, D(2025, 3, 6)).status == CaseStatus.CLOSED
    assert next_steps(CaseKind.INSPECTION, CaseStatus.CLOSED) == [CaseStep.ARCHIVE]


def test_the_simplified_procedure_has_no_legal_review_or_discussion() -> None:
    simple = {step for (_, step) in TRANSITIONS[CaseKind.PENALTY_SIMPLE]}
    assert not simple & {CaseStep.REVIEW_PASS, CaseStep.DISCUSS, CaseStep.REQUEST_HEARING}


def test_a_step_out_of_order_is_refused(body: Body) -> None:
    case = open_case(body)
    with pytest.raises(ValidationError, match="not possible while the case is “registered”"):
        step(case, CaseStep.DECIDE, D(2025, 3, 20), penalty_amount=Decimal("2000"))


def test_a_step_cannot_be_dated_before_the_last_one_or_in_the_future(body: Body) -> None:
    case = open_case(body, on=D(2025, 3, 3))
    with pytest.raises(ValidationError, match="before the case's last step"):
        step(case, CaseStep.INVESTIGATE, D(2025, 3, 2), officers=[body.zhang, body.li])
    with pytest.raises(ValidationError, match="in the future"):
        step(case, CaseStep.INVESTIGATE, D(2026, 1, 1), officers=[body.zhang, body.li])


def test_another_units_people_cannot_take_a_step(body: Body, personas: Personas) -> None:
    case = open_case(body)
    for outsider in (personas.liaison_other_unit, personas.liaison_b, personas.coordinator):
        with pytest.raises(PermissionDenied):
            step(case, CaseStep.INVESTIGATE, D(2025, 3, 5), user=outsider, officers=[body.zhang, body.li])
    step(case, CaseStep.INVESTIGATE, D(2025, 3, 5), user=personas.admin, officers=[body.zhang, body.li])


def test_a_step_chosen_on_a_stale_page_is_refused(body: Body) -> None:
    case = open_case(body)
    step(case, CaseStep.INVESTIGATE, D(2025, 3, 5), officers=[body.zhang, body.li])
    with pytest.raises(StaleCase, match="just been changed"):
        step(case, CaseStep.NOTIFY, D(2025, 3, 6), seen_status=CaseStatus.REGISTERED)


def test_each_step_is_audited_with_the_party_id_masked(body: Body, personas: Personas) -> None:
    case = open_case(body, user=personas.liaison)
    created = AuditEntry.objects.get(target_type="enforcement.case", target_id=str(case.pk), action="create")
    assert created.actor_id == personas.liaison.pk
    assert created.changes_dict()["party_id_number"] == [None, "******"]
    assert "91150102MA0000000X" not in created.changes
    step(case, CaseStep.INVESTIGATE, D(2025, 3, 5), user=personas.liaison, officers=[body.zhang, body.li])
    update = (
        AuditEntry.objects.filter(target_type="enforcement.case", action="update").order_by("-seq").first()
    )
    assert update is not None
    assert update.changes_dict()["status"] == ["registered", "investigating"]
    events = AuditEntry.objects.filter(target_type="enforcement.caseevent").order_by("seq")
    assert [e.action for e in events] == ["create", "create", "m2m_add"]  # the step, then its officers


def test_the_details_of_an_undecided_case_can_be_changed(body: Body) -> None:
    case = open_case(body)
    with acting_as(None, "test"), transaction.atomic():
        case = actions.save_case(case, None, party_address="新城区某路1号")
    assert case.party_address == "新城区某路1号"
    with pytest.raises(TypeError):
        actions.save_case(case, None, status=CaseStatus.CLOSED)
