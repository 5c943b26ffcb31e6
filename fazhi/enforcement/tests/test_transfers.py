"""两法衔接: a body transfers a case to the police and records the reply and the outcome; the office sees the
transfers without a reply after N days; nobody outside the body's region sees them."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import actions, figures, transfers
from fazhi.enforcement.models import CaseTransfer, TransferStatus
from fazhi.orgs import actions as org_actions

from .casefile import Body, D, open_case

pytestmark = pytest.mark.usefixtures("english")

NS = "enforcement"
NOVEMBER_1 = D(2025, 11, 1)
NOVEMBER_20 = D(2025, 11, 20)
DIGEST = hashlib.sha256("移送书".encode()).hexdigest()


def url(name: str, *args: Any) -> str:
    return reverse(f"{NS}:{name}", args=args)


def transfer(body: Body, user: Any, on: datetime.date = NOVEMBER_1, **extra: Any) -> CaseTransfer:
    case = open_case(body, on=D(2025, 10, 1))
    fields: dict[str, Any] = {"documents_sha256": [DIGEST.upper(), DIGEST], **extra}
    with acting_as(user, "test"), transaction.atomic():
        return transfers.record_transfer(
            user, case, transferred_on=on, receiving_authority="呼和浩特市公安局新城区分局",
            suspected_offence="非法经营罪", **fields,
        )  # fmt: skip


def reply(
    item: CaseTransfer, user: Any, accepted: bool, reason: str = "", on: datetime.date = NOVEMBER_20
) -> Any:
    with acting_as(user, "test"), transaction.atomic():
        return transfers.record_reply(user, item, accepted=accepted, replied_on=on, reason=reason)


def test_the_bodys_staff_record_a_transfer_the_reply_and_the_outcome(personas: Any, body: Body) -> None:
    item = transfer(body, personas.liaison)
    assert item.documents_sha256 == [DIGEST]
    assert (item.status, item.unit, item.recorded_by) == (
        TransferStatus.SENT,
        personas.justice_a,
        personas.liaison,
    )
    with pytest.raises(ValidationError, match="reason"):
        reply(item, personas.unit_head, accepted=False)
    item = reply(item, personas.unit_head, accepted=False, reason="不构成犯罪")
    assert (item.status, item.replied_on) == (TransferStatus.REJECTED, D(2025, 11, 20))
    with pytest.raises(ValidationError, match="already"):
        reply(item, personas.unit_head, accepted=True)
    with acting_as(personas.liaison, "test"), transaction.atomic():
        item = transfers.record_outcome(
            personas.liaison, item, outcome="移回本机关依法给予行政处罚", on=D(2025, 12, 1)
        )
    assert item.outcome_on == D(2025, 12, 1)


def test_an_officer_with_an_account_transfers_a_case_of_the_body(personas: Any, body: Body) -> None:
    user = org_actions.create_person("officer_zhang", "Fazhi-test-2024!", full_name="张执法")
    with acting_as(None, "test"), transaction.atomic():
        actions.save_officer(body.zhang, user=user)
    assert transfer(body, user).recorded_by == user


def test_bad_hashes_and_dates_are_refused(personas: Any, body: Body) -> None:
    with pytest.raises(ValidationError, match="SHA-256"):
        transfer(body, personas.liaison, documents_sha256=["abc"])
    with pytest.raises(ValidationError, match="registered"):
        transfer(body, personas.liaison, on=D(2025, 9, 1))
    item = transfer(body, personas.liaison)
    with pytest.raises(ValidationError, match="before"):
        reply(item, personas.liaison, accepted=True, on=D(2025, 10, 30))
    with acting_as(None, "test"), transaction.atomic(), pytest.raises(ValidationError, match="reply first"):
        transfers.record_outcome(None, item, outcome="判决", on=D(2025, 12, 1))


def test_only_the_bodys_staff_write(personas: Any, body: Body) -> None:
    for user in (personas.coordinator, personas.leader, personas.liaison_other_unit, personas.liaison_b):
        with pytest.raises(PermissionDenied):
            transfer(body, user)
    item = transfer(body, personas.liaison)
    with pytest.raises(PermissionDenied):
        reply(item, personas.coordinator, accepted=True)


def test_a_transfer_without_reply_shows_on_the_offices_list_after_n_days(
    client: Client, personas: Any, body: Body, settings: Any
) -> None:
    settings.FAZHI_TRANSFER_REPLY_DAYS = 30
    late = transfer(body, personas.liaison, on=D(2025, 11, 1))  # 60 days on 31 December
    recent = transfer(body, personas.liaison, on=D(2025, 12, 15))  # 16 days
    answered = transfer(body, personas.liaison, on=D(2025, 10, 20))
    reply(answered, personas.liaison, accepted=True)
    waiting = transfers.awaiting_reply(transfers.transfers_for(personas.coordinator), D(2025, 12, 31))
    assert [(w.transfer.pk, w.days) for w in waiting] == [(late.pk, 60)]
    client.force_login(personas.coordinator)
    html = client.get(url("transfer_list")).content.decode()
    listed = html.split('data-testid="waiting"')[1].split("</div>\n")[0]
    assert late.case.number in listed
    assert recent.case.number not in listed
    settings.FAZHI_TRANSFER_REPLY_DAYS = 61
    assert transfers.awaiting_reply(transfers.transfers_for(personas.coordinator), D(2025, 12, 31)) == []


def test_region_b_and_other_units_cannot_see_region_as_transfers(
    client: Client, personas: Any, body: Body
) -> None:
    item = transfer(body, personas.liaison)
    for who in ("coordinator_b", "liaison_b", "liaison_other_unit"):
        client.force_login(getattr(personas, who))
        assert client.get(url("transfer_detail", item.pk)).status_code == 404
        assert (
            client.post(
                url("transfer_reply", item.pk), {"accepted": "1", "replied_on": "2025-11-20"}
            ).status_code
            == 404
        )
        assert item.case.number not in client.get(url("transfer_list")).content.decode()
    client.force_login(personas.no_role)
    assert client.get(url("transfer_list")).status_code == 403
    assert client.get(url("transfer_detail", item.pk)).status_code == 404


def test_the_pages_record_a_transfer_and_its_reply(client: Client, personas: Any, body: Body) -> None:
    case = open_case(body, on=D(2025, 10, 1))
    client.force_login(personas.liaison)
    assert client.get(url("transfer_new", case.pk)).status_code == 200
    response = client.post(
        url("transfer_new", case.pk),
        {
            "transferred_on": "2025-11-01",
            "receiving_authority": "新城区公安分局",
            "suspected_offence": "非法经营罪",
            "documents_sha256": f"{DIGEST}\n",
        },
    )
    item = CaseTransfer.objects.get()
    assert response.status_code == 302
    assert item.documents_sha256 == [DIGEST]
    assert (
        client.post(url("transfer_reply", item.pk), {"accepted": "0", "replied_on": "2025-11-20"}).status_code
        == 400
    )
    client.post(url("transfer_reply", item.pk), {"accepted": "1", "replied_on": "2025-11-20"})
    client.post(url("transfer_outcome", item.pk), {"outcome": "已移送起诉", "on": "2025-12-20"})
    item.refresh_from_db()
    assert (item.status, item.outcome) == (TransferStatus.ACCEPTED, "已移送起诉")
    # The office and the leader read it; neither writes, nor transfers a case.
    for who in ("coordinator", "leader"):
        client.force_login(getattr(personas, who))
        assert "新城区公安分局" in client.get(url("transfer_detail", item.pk)).content.decode()
        assert (
            client.post(url("transfer_outcome", item.pk), {"outcome": "x", "on": "2025-12-21"}).status_code
            == 403
        )
        assert client.get(url("transfer_new", case.pk)).status_code == 403


def test_the_figures_count_transfers_by_year_with_their_ids(personas: Any, body: Body) -> None:
    first = transfer(body, personas.liaison, on=D(2025, 11, 1))
    second = transfer(body, personas.liaison, on=D(2025, 12, 1))
    assert figures.transfers_by_year(personas.region_a) == {2025: [first.pk, second.pk]}
    assert figures.transfers_by_year(personas.region_b) == {}
