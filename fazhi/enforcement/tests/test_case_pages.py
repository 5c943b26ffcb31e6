"""Officers work a case in the browser: open it, investigate, notify, review, discuss and decide."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import actions
from fazhi.enforcement.models import Case, CaseEvent, CaseStatus, Officer
from fazhi.orgs import actions as org_actions
from fazhi.orgs.models import User
from fazhi.testing import PASSWORD, Personas

from .casefile import Body

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def link_account(officer: Officer, username: str) -> User:
    """An account for an officer (the officer register links it; no role is needed)."""
    with acting_as(None, "test"), transaction.atomic():
        user = org_actions.create_person(username, PASSWORD, full_name=officer.name)
        actions.save_officer(officer, user=user)
    return user


@dataclass
class Desk:
    body: Body
    zhang: User  # investigates
    sun: User  # a legal reviewer who also investigates this case
    qian: User  # a legal reviewer who never investigates

    def client(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture
def desk(body: Body) -> Desk:
    return Desk(
        body,
        link_account(body.zhang, "zhang"),
        link_account(body.reviewer_officer, "sun"),
        link_account(body.reviewer, "qian"),
    )


def post_step(client: Client, case: Case, step: str, **fields: Any) -> Any:
    data = {"step": step, "seen_status": Case.objects.get(pk=case.pk).status}
    data.update({f"{step}-{name}": value for name, value in fields.items()})
    return client.post(reverse("enforcement:case_step", args=[case.pk]), data)


def form_of(response: Any, key: str) -> Any:
    return next(o.form for o in response.context["options"] if o.key == key)


def open_major_case(desk: Desk) -> Case:
    client = desk.client(desk.zhang)
    assert client.get(reverse("enforcement:case_open")).status_code == 200
    response = client.post(
        reverse("enforcement:case_open"),
        {
            "body": desk.body.unit.pk, "kind": "penalty_ordinary", "number": "新司罚〔2025〕88号",
            "power": desk.body.power.pk, "party_name": "某律师事务所", "party_type": "legal",
            "party_id_number": "91150102MA0000000X", "is_major": "on", "on": "2025-03-03",
        },
    )  # fmt: skip
    case = Case.objects.get(number="新司罚〔2025〕88号")
    assert response.status_code == 302
    assert response["Location"] == reverse("enforcement:case_detail", args=[case.pk])
    return case


def test_an_officer_takes_a_major_case_to_its_decision_after_the_legal_review(desk: Desk) -> None:
    body, zhang = desk.body, desk.client(desk.zhang)
    case = open_major_case(desk)
    assert case.status == CaseStatus.REGISTERED
    assert case.is_major
    assert CaseEvent.objects.get(case=case).by == desk.zhang

    # One officer is not enough; the refusal is in Chinese on the form.
    response = post_step(zhang, case, "investigate", on="2025-03-05", officers=[body.zhang.pk])
    assert response.status_code == 200
    assert "至少" in response.content.decode() or "two" in response.content.decode()
    response = post_step(
        zhang, case, "investigate", on="2025-03-05", officers=[body.zhang.pk, body.reviewer_officer.pk],
        evidence=SimpleUploadedFile("现场照片.png", PNG),
    )  # fmt: skip
    assert response.status_code == 302
    assert post_step(zhang, case, "notify", on="2025-03-10").status_code == 302

    # The decision of a major case is refused before the review, keeping the fine typed in.
    response = post_step(zhang, case, "decide", on="2025-03-20", penalty_amount="3000")
    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).status == CaseStatus.NOTIFIED
    assert 'value="3000"' in response.content.decode()
    assert form_of(response, "decide").non_field_errors()

    # Neither an investigator nor a legal reviewer who investigated records the review.
    review = {"on": "2025-03-18", "reviewer": body.reviewer.pk, "result": "passed", "notes": "事实清楚"}
    assert post_step(zhang, case, "legal_review", **review).status_code == 403
    assert post_step(desk.client(desk.sun), case, "legal_review", **review).status_code == 403
    response = post_step(desk.client(desk.qian), case, "legal_review", **review)
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REVIEWED

    assert post_step(zhang, case, "discuss", on="2025-03-19", notes="局务会议集体讨论同意").status_code == 302
    response = post_step(zhang, case, "decide", on="2025-03-20", penalty_amount="3000")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    assert str(case.penalty_amount) == "3000.00"
    page = zhang.get(reverse("enforcement:case_detail", args=[case.pk])).content.decode()
    assert "事实清楚" in page
    assert "局务会议集体讨论同意" in page


def test_a_review_naming_an_investigator_is_refused_on_the_form(desk: Desk) -> None:
    body, case = desk.body, open_major_case(desk)
    zhang = desk.client(desk.zhang)
    post_step(zhang, case, "investigate", on="2025-03-05", officers=[body.zhang.pk, body.reviewer_officer.pk])
    post_step(zhang, case, "notify", on="2025-03-10")
    response = post_step(
        desk.client(desk.qian), case, "legal_review", on="2025-03-18", reviewer=body.reviewer_officer.pk,
        result="passed", notes="同意",
    )  # fmt: skip
    assert response.status_code == 200
    assert "孙审核" in str(form_of(response, "legal_review").non_field_errors())


def test_an_evidence_file_is_hashed_into_the_step_and_served_only_to_readers(
    desk: Desk, personas: Personas
) -> None:
    body, case = desk.body, open_major_case(desk)
    post_step(
        desk.client(desk.zhang), case, "investigate", on="2025-03-05",
        officers=[body.zhang.pk, body.li.pk], evidence=SimpleUploadedFile("photo.png", PNG),
    )  # fmt: skip
    sha = hashlib.sha256(PNG).hexdigest()
    assert CaseEvent.objects.get(case=case, step="investigate").evidence_sha256 == [sha]
    url = reverse("enforcement:case_evidence", args=[case.pk, sha])
    response = desk.client(desk.zhang).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.getvalue() == PNG
    assert desk.client(personas.coordinator).get(url).status_code == 200
    assert desk.client(personas.coordinator_b).get(url).status_code == 404
    assert desk.client(personas.liaison_other_unit).get(url).status_code == 404
    other = reverse("enforcement:case_evidence", args=[case.pk, "0" * 64])
    assert desk.client(desk.zhang).get(other).status_code == 404


def test_a_file_that_is_not_evidence_is_refused_and_nothing_is_recorded(desk: Desk) -> None:
    body, case = desk.body, open_major_case(desk)
    response = post_step(
        desk.client(desk.zhang), case, "investigate", on="2025-03-05",
        officers=[body.zhang.pk, body.li.pk], evidence=SimpleUploadedFile("run.png", b"MZ\x90\x00" * 40),
    )  # fmt: skip
    assert response.status_code == 200
    assert form_of(response, "investigate").errors["evidence"]
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REGISTERED


def test_a_step_chosen_on_a_stale_page_says_so(desk: Desk) -> None:
    body, case = desk.body, open_major_case(desk)
    zhang = desk.client(desk.zhang)
    post_step(zhang, case, "investigate", on="2025-03-05", officers=[body.zhang.pk, body.li.pk])
    response = zhang.post(
        reverse("enforcement:case_step", args=[case.pk]),
        {"step": "notify", "seen_status": "registered", "notify-on": "2025-03-10"},
    )
    assert response.status_code == 200
    assert "just been changed" in str(form_of(response, "notify").non_field_errors()) or "刚" in (
        str(form_of(response, "notify").non_field_errors())
    )
    assert Case.objects.get(pk=case.pk).status == CaseStatus.INVESTIGATING


def test_the_navigation_links_the_cases_for_an_officer_without_a_role(desk: Desk, personas: Personas) -> None:
    link = f'href="{reverse("enforcement:case_list")}"'
    # An officer whose account has no role: home sends them to their cases, and every page links them.
    page = desk.client(desk.zhang).get(reverse("notifications:inbox"))
    assert link in page.content.decode()
    assert desk.client(desk.zhang).get(reverse("home"))["Location"] == reverse("enforcement:case_list")
    # An account with neither a role nor an officer: no such link.
    page = desk.client(personas.no_role).get(reverse("notifications:inbox"))
    assert link not in page.content.decode()
