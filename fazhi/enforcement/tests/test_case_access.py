"""Who reads and works which cases: the body's own people work them, the office and leaders read them,
another unit or region does not know they exist; the list costs the same queries for any number of cases."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.enforcement import access
from fazhi.enforcement.models import Case, CaseKind
from fazhi.testing import Personas

from .casefile import Body, open_case
from .test_case_pages import link_account


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def detail(case: Case) -> str:
    return reverse("enforcement:case_detail", args=[case.pk])


def step_url(case: Case) -> str:
    return reverse("enforcement:case_step", args=[case.pk])


NOTIFY = {"step": "notify", "seen_status": "registered", "notify-on": "2025-03-10"}


@pytest.fixture
def case(body: Body) -> Case:
    return open_case(body)


def test_a_liaison_of_another_unit_does_not_know_the_case_exists(case: Case, personas: Personas) -> None:
    client = client_for(personas.liaison_other_unit)
    assert client.get(detail(case)).status_code == 404
    assert client.post(step_url(case), NOTIFY).status_code == 404
    assert case.number.encode() not in client.get(reverse("enforcement:case_list")).content


def test_another_regions_office_gets_404(case: Case, personas: Personas) -> None:
    for user in (personas.coordinator_b, personas.liaison_b):
        client = client_for(user)
        assert client.get(detail(case)).status_code == 404
        assert client.post(step_url(case), NOTIFY).status_code == 404
    assert not access.cases_for(personas.coordinator_b).filter(pk=case.pk).exists()


def test_a_leader_and_the_office_read_but_take_no_step(case: Case, personas: Personas) -> None:
    for user in (personas.leader, personas.coordinator):
        client = client_for(user)
        page = client.get(detail(case))
        assert page.status_code == 200
        # Supervisors read the case without the party's ID number and phone.
        assert "91150102MA0000000X" not in page.content.decode()
        assert all(option.form is None for option in page.context["options"])
        assert client.post(step_url(case), NOTIFY).status_code == 403
        assert client.get(reverse("enforcement:case_open")).status_code == 403
        assert case.number in client.get(reverse("enforcement:case_list")).content.decode()


def test_the_bodys_own_people_read_the_party_data_and_work_the_case(
    case: Case, body: Body, personas: Personas
) -> None:
    for user in (personas.unit_head, personas.liaison, link_account(body.li, "li")):
        page = client_for(user).get(detail(case))
        assert page.status_code == 200
        assert "91150102MA0000000X" in page.content.decode()
        assert access.can_work(user, case)
    client = client_for(personas.liaison)
    data = {"step": "investigate", "seen_status": "registered", "investigate-on": "2025-03-05",
            "investigate-officers": [body.zhang.pk, body.li.pk]}  # fmt: skip
    assert client.post(step_url(case), data).status_code == 302


def test_only_a_legal_reviewer_who_did_not_investigate_records_the_review(
    case: Case, body: Body, personas: Personas
) -> None:
    case.investigators.add(body.reviewer_officer)
    assert not access.can_review(personas.liaison, case)
    assert not access.can_review(personas.unit_head, case)
    assert not access.can_review(link_account(body.zhang, "zhang"), case)
    assert not access.can_review(link_account(body.reviewer_officer, "sun"), case)
    assert access.can_review(link_account(body.reviewer, "qian"), case)


def test_an_inactive_officer_loses_the_case(case: Case, body: Body) -> None:
    user = link_account(body.zhao, "zhao")  # 赵离岗 is no longer active
    assert client_for(user).get(detail(case)).status_code == 404
    assert client_for(user).get(reverse("enforcement:case_list")).status_code == 403


def test_visitors_sign_in_and_people_without_a_role_are_refused(case: Case, personas: Personas) -> None:
    response = client_for(None).get(detail(case))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client_for(personas.no_role).get(reverse("enforcement:case_list")).status_code == 403
    assert client_for(personas.no_role).get(detail(case)).status_code == 404


def test_the_list_filters_by_kind_status_and_body(case: Case, body: Body, personas: Personas) -> None:
    inspection = open_case(body, kind=CaseKind.INSPECTION)
    client = client_for(personas.coordinator)
    page = client.get(reverse("enforcement:case_list"), {"kind": "inspection"}).content.decode()
    assert inspection.number in page
    assert case.number not in page
    page = client.get(reverse("enforcement:case_list"), {"status": "closed"}).content.decode()
    assert case.number not in page
    page = client.get(reverse("enforcement:case_list"), {"body": body.unit.pk}).content.decode()
    assert case.number in page
    assert inspection.number in page


def test_the_list_shows_each_running_period_and_overdue_in_red(case: Case, personas: Personas) -> None:
    # Registered on 3 March 2025 and not decided by 31 December: the 90-day limit has passed.
    page = client_for(personas.liaison).get(reverse("enforcement:case_list")).content.decode()
    assert "text-bg-danger" in page


def test_the_list_costs_the_same_queries_for_more_cases(body: Body, personas: Personas) -> None:
    for _ in range(2):
        open_case(body)
    client = client_for(personas.coordinator)
    url = reverse("enforcement:case_list")
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for kind in (CaseKind.PENALTY_ORDINARY, CaseKind.PENALTY_ORDINARY, CaseKind.PENALTY_ORDINARY):
        open_case(body, kind=kind)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"].object_list) == 5
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
