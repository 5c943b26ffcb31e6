"""公示 of decisions: a pending publication when a penalty is decided, due in working days, published masked,
withdrawn when revoked; the kinds and periods are data."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fazhi.audit.models import AuditEntry
from fazhi.audit.recorder import acting_as
from fazhi.enforcement import publication
from fazhi.enforcement.models import CaseKind, Publication, PublicationStatus

from .casefile import Body
from .publishing import ADDRESS, ID_NUMBER, NAME, PHONE, decided_case, publish, withdraw

D = datetime.date


def test_decided_penalty_waits_seven_working_days_across_the_national_holiday(body: Body) -> None:
    case = decided_case(body, decided=D(2025, 9, 30))
    pending = case.publication
    assert pending.status == PublicationStatus.PENDING
    # 1–8 October 2025 are holidays and Saturday 11 October a working day (调休): 9, 10, 11, 13–16 October.
    assert pending.due_on == D(2025, 10, 16)
    assert pending.unit_id == body.unit.pk
    assert pending.decided_on == D(2025, 9, 30)
    assert pending.party_name == ""
    assert pending.facts == ""


def test_on_decided_is_idempotent(body: Body) -> None:
    case = decided_case(body)
    with acting_as(None, "test"), transaction.atomic():
        again = publication.on_decided(case)
    assert again is not None
    assert again.pk == case.publication.pk
    assert Publication.objects.filter(case=case).count() == 1


def test_kinds_not_published_get_no_publication(body: Body) -> None:
    case = decided_case(body, kind=CaseKind.COERCION)
    assert not Publication.objects.filter(case=case).exists()


def test_a_region_rule_changes_the_period_and_can_exempt_a_kind(body: Body, personas: Any) -> None:
    with acting_as(None, "test"), transaction.atomic():
        publication.save_rule(
            None, case_kind=CaseKind.PENALTY_SIMPLE, region=personas.region_a, days=3, working_days=True,
            effective_from=D(2025, 1, 1), legal_basis="新城区行政执法公示办法",
        )  # fmt: skip
        publication.save_rule(
            None, case_kind=CaseKind.PENALTY_ORDINARY, region=personas.region_a, publish=False,
            effective_from=D(2025, 1, 1), legal_basis="新城区行政执法公示办法",
        )  # fmt: skip
    simple = decided_case(body, decided=D(2025, 9, 30))
    assert simple.publication.due_on == D(2025, 10, 11)  # 9, 10 and 11 (调休) October
    ordinary = decided_case(body, decided=D(2025, 9, 30), kind=CaseKind.PENALTY_ORDINARY)
    assert not Publication.objects.filter(case=ordinary).exists()


def test_publish_freezes_the_masked_text(body: Body, personas: Any) -> None:
    case = decided_case(body)
    done = publish(case, personas.liaison)
    assert done.status == PublicationStatus.PUBLISHED
    assert done.published_by == personas.liaison
    assert done.party_name == "张*"
    assert done.party_id_number == "150102********1234"
    assert done.party_address == "内蒙古自治区呼和浩特市新城区海东路街道***"
    assert done.body_name == "新城区司法局"
    assert done.legal_basis == "《律师法》第五十条"
    assert done.decision == "对张*处以罚款2000元。"
    frozen = " ".join(str(getattr(done, f.attname)) for f in Publication._meta.concrete_fields)
    for raw in (NAME, ID_NUMBER, PHONE, ADDRESS, "幸福小区"):
        assert raw not in frozen
    # The audit trail holds the masked values only.
    entries = AuditEntry.objects.filter(target_type="enforcement.publication", target_id=str(done.pk))
    assert entries.exists()
    assert not any(NAME in str(e.changes) for e in entries)


def test_staff_may_write_their_own_summary_which_is_masked_too(body: Body, personas: Any) -> None:
    case = decided_case(body)
    done = publish(case, personas.unit_head, facts=f"{NAME}无证执业。", decision="罚款2000元。")
    assert (done.facts, done.decision) == ("张*无证执业。", "罚款2000元。")


def test_publishing_twice_is_refused(body: Body, personas: Any) -> None:
    case = decided_case(body)
    publish(case, personas.liaison)
    with pytest.raises(ValidationError):
        publish(case, personas.unit_head)


@pytest.mark.parametrize("who", ["coordinator", "leader", "liaison_other_unit", "liaison_b", "no_role"])
def test_only_the_bodys_staff_publish(body: Body, personas: Any, who: str) -> None:
    case = decided_case(body)
    with pytest.raises(PermissionDenied):
        publish(case, getattr(personas, who))
    assert Publication.objects.get(case=case).status == PublicationStatus.PENDING


def test_withdrawal_keeps_the_note_and_needs_one(body: Body, personas: Any) -> None:
    case = decided_case(body)
    publish(case, personas.liaison)
    with pytest.raises(ValidationError):
        withdraw(case, "  ", personas.liaison)
    done = withdraw(case, f"经行政复议撤销（{NAME}申请）。", personas.liaison)
    assert done.status == PublicationStatus.WITHDRAWN
    assert done.withdrawn_at is not None
    assert done.withdrawal_note == "经行政复议撤销（张*申请）。"
    with pytest.raises(ValidationError):
        withdraw(case, "again", personas.liaison)


def test_overdue_lists_only_those_past_their_day(body: Body, personas: Any) -> None:
    late = decided_case(body, decided=D(2025, 12, 19))  # due 30 December
    on_time = decided_case(body, decided=D(2025, 12, 29))  # due 8 January
    published = decided_case(body, decided=D(2025, 12, 19))
    publish(published, personas.liaison)
    found = publication.overdue_publications(personas.region_a, D(2025, 12, 31))
    assert [(o.publication.case_id, o.days_overdue) for o in found] == [(late.pk, 1)]
    assert on_time.publication.due_on == D(2026, 1, 8)
    assert publication.overdue_publications(personas.region_b, D(2025, 12, 31)) == []
