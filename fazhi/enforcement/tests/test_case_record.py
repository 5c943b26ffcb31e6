"""A case's verifiable record, downloaded from the case page: its history from the audit trail with the proof
that it belongs to the chain, which `fazhi audit verify-bundle` checks without the database; for the body's
people and the office, not for the leader nor anybody outside."""

from __future__ import annotations

import gzip
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import case_evidence, case_record, transfers
from fazhi.enforcement.models import Case, CaseEvent, CaseStep
from fazhi.orgs.models import User
from fazhi.testing import Personas

from .casefile import Body, D, investigate_and_notify, open_case, step
from .publishing import small_body
from .test_case_pages import link_account

PHOTO = b"\x89PNG\r\n\x1a\n" + b"record" * 20


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def url(case: Case) -> str:
    return reverse("enforcement:case_bundle", args=[case.pk])


def download(user: User, case: Case, path: Path) -> Path:
    response = client_for(user).get(url(case))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/gzip"
    assert response["Content-Disposition"].startswith("attachment;")
    path.write_bytes(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    return path


def verify(path: Path, *args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("audit", "verify-bundle", str(path), *args, stdout=out)
    return out.getvalue()


def entries(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        lines = [json.loads(line) for line in handle]
    return [line for line in lines[1:-1] if isinstance(line, dict)]


@pytest.fixture
def worked(body: Body, personas: Personas) -> Case:
    """A case taken to its decision, with an evidence photo, a transfer to the police, and writes of another
    case and of region B in between."""
    checked = case_evidence.check_file("现场.png", PHOTO)
    case = open_case(body, on=D(2025, 3, 3))
    other = open_case(body, on=D(2025, 3, 3))
    lianhu = small_body(personas.justice_b, "record")
    with acting_as(None, "test"), transaction.atomic():
        step(case, CaseStep.INVESTIGATE, D(2025, 3, 5), officers=[body.zhang, body.li],
             evidence_sha256=[checked.sha256])  # fmt: skip
        case_evidence.store(checked)
    investigate_and_notify(body, other)
    case = step(case, CaseStep.NOTIFY, D(2025, 3, 10))
    case = step(case, CaseStep.WAIVE, D(2025, 3, 11))
    case = step(case, CaseStep.DECIDE, D(2025, 3, 20), penalty_amount=Decimal("2000"))
    with acting_as(None, "test"), transaction.atomic():
        transfers.record_transfer(
            None, case, transferred_on=D(2025, 3, 25), receiving_authority="新城区公安分局",
            suspected_offence="非法经营罪",
        )  # fmt: skip
    assert lianhu.unit.region == personas.region_b
    return case


def test_the_downloaded_record_verifies_with_the_command(
    worked: Case, personas: Personas, tmp_path: Path
) -> None:
    path = download(personas.coordinator, worked, tmp_path / "record.jsonl.gz")
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    (evidence / "现场.png").write_bytes(PHOTO)
    output = verify(path, "--files", str(evidence))
    assert "Bundle intact" in output
    assert "1 of 1 recorded files found" in output

    full = entries(path)
    targets = {(e["target_type"], e["target_id"]) for e in full}
    assert ("enforcement.case", str(worked.pk)) in targets
    assert {("enforcement.caseevent", str(e.pk)) for e in worked.events.all()} <= targets
    assert ("enforcement.publication", str(worked.publication.pk)) in targets
    assert ("enforcement.casetransfer", str(worked.transfers.get().pk)) in targets
    assert {t for t, _ in targets} == {
        "enforcement.case", "enforcement.caseevent", "enforcement.publication", "enforcement.casetransfer"
    }  # fmt: skip
    # Only this case: the other case of the body and region B's writes are digests.
    assert all(e["unit_id"] == worked.unit_id for e in full)
    text = gzip.decompress(path.read_bytes()).decode()
    assert "91150102MA0000000X" not in text  # the party's ID number is masked in the audit trail
    assert "莲湖区" not in text


def test_an_altered_record_fails_the_command(worked: Case, personas: Personas, tmp_path: Path) -> None:
    path = download(personas.unit_head, worked, tmp_path / "record.jsonl.gz")
    text = gzip.decompress(path.read_bytes()).decode()
    altered = text.replace('"source":"test"', '"source":"web"', 1)
    assert altered != text
    path.write_bytes(gzip.compress(altered.encode()))
    with pytest.raises(CommandError, match="altered"), translation.override("en"):
        call_command("audit", "verify-bundle", str(path), stdout=StringIO())


def test_a_step_deleted_since_stays_in_the_record(worked: Case, personas: Personas, tmp_path: Path) -> None:
    event = CaseEvent.objects.filter(case=worked, step=CaseStep.WAIVE).get()
    pk = str(event.pk)
    with acting_as(personas.admin, "admin"), transaction.atomic():
        event.delete()
    assert ("enforcement.caseevent", pk) in case_record.targets(worked)
    path = download(personas.admin, worked, tmp_path / "record.jsonl.gz")
    actions = [
        e["action"]
        for e in entries(path)
        if (e["target_type"], e["target_id"]) == ("enforcement.caseevent", pk)
    ]
    assert actions[0] == "create"
    assert actions[-1] == "delete"
    assert "Bundle intact" in verify(path)


def test_the_record_is_for_the_bodys_people_and_the_office_only(
    worked: Case, body: Body, personas: Personas
) -> None:
    allowed = {
        "officer": link_account(body.zhang, "zhang"),
        "legal reviewer": link_account(body.reviewer, "qian"),
        "unit head": personas.unit_head,
        "liaison": personas.liaison,
        "coordinator": personas.coordinator,
        "admin": personas.admin,
    }
    for name, user in allowed.items():
        response = client_for(user).get(url(worked))
        assert response.status_code == 200, name
        page = client_for(user).get(reverse("enforcement:case_detail", args=[worked.pk])).content.decode()
        assert url(worked) in page, name
    # The leader reads the case, but not the audit trail.
    assert client_for(personas.leader).get(url(worked)).status_code == 403
    assert (
        url(worked)
        not in client_for(personas.leader)
        .get(reverse("enforcement:case_detail", args=[worked.pk]))
        .content.decode()
    )
    other_body = link_account(body.other, "other")
    for user in (personas.liaison_other_unit, personas.coordinator_b, personas.liaison_b, personas.no_role,
                 other_body):  # fmt: skip
        assert client_for(user).get(url(worked)).status_code == 404
    response = Client().get(url(worked))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Client().post(url(worked)).status_code in (302, 405)


def test_the_file_is_named_after_the_case_number(worked: Case, personas: Personas) -> None:
    assert case_record.filename(worked) == f"{worked.number}.audit-bundle.jsonl.gz"
    response = client_for(personas.liaison).get(url(worked))
    assert "filename*=utf-8''" in response["Content-Disposition"]  # the Chinese number, encoded
    worked.number = "新司罚/2025 9号"
    assert case_record.filename(worked) == "新司罚_2025_9号.audit-bundle.jsonl.gz"
