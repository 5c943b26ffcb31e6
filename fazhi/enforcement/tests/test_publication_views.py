"""The office's side of 公示: the overdue list of a region, a body's pending list, publishing and withdrawing
from the web — each person only within their reach."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import actions
from fazhi.enforcement.models import Publication, PublicationStatus
from fazhi.orgs import actions as org_actions
from fazhi.testing import PASSWORD

from .casefile import Body, D
from .publishing import ID_NUMBER, NAME, PHONE, decided_case, publish

NS = "enforcement"


def url(name: str, *args: Any) -> str:
    return reverse(f"{NS}:{name}", args=args)


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def late_and_on_time(body: Body) -> tuple[Any, Any]:
    return decided_case(body, decided=D(2025, 12, 19)), decided_case(body, decided=D(2025, 12, 29))


@pytest.mark.parametrize("who", ["coordinator", "leader", "admin"])
def test_office_sees_the_overdue_not_those_within_their_period(
    client: Client, personas: Any, late_and_on_time: tuple[Any, Any], who: str
) -> None:
    late, on_time = late_and_on_time
    html = signed_in(client, getattr(personas, who)).get(url("publication_overdue")).content.decode()
    assert late.number in html
    assert on_time.number not in html
    assert "新城区司法局" in html
    assert NAME not in html
    assert ID_NUMBER not in html


def test_other_regions_coordinator_does_not_see_region_a(
    client: Client, personas: Any, late_and_on_time: tuple[Any, Any]
) -> None:
    late, _on_time = late_and_on_time
    response = signed_in(client, personas.coordinator_b).get(url("publication_overdue"))
    assert response.status_code == 200
    assert late.number not in response.content.decode()
    assert client.get(url("publication_detail", late.publication.pk)).status_code == 404


@pytest.mark.parametrize("who", ["liaison", "unit_head", "liaison_b", "liaison_other_unit", "no_role"])
def test_overdue_list_is_the_offices(client: Client, personas: Any, body: Body, who: str) -> None:
    assert signed_in(client, getattr(personas, who)).get(url("publication_overdue")).status_code == 403


def test_anonymous_is_sent_to_sign_in(client: Client, personas: Any) -> None:
    for name in ("publication_overdue", "publication_pending"):
        response = client.get(url(name))
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_staff_see_their_pending_list_and_publish_from_it(
    client: Client, personas: Any, late_and_on_time: tuple[Any, Any]
) -> None:
    late, on_time = late_and_on_time
    signed_in(client, personas.liaison)
    html = client.get(url("publication_pending")).content.decode()
    assert late.number in html
    assert on_time.number in html
    detail = client.get(url("publication_detail", late.publication.pk)).content.decode()
    assert "张*" in detail
    assert "150102********1234" in detail
    response = client.post(url("publication_publish", late.publication.pk))
    assert response.status_code == 302
    assert Publication.objects.get(case=late).status == PublicationStatus.PUBLISHED
    portal = client.get(reverse("portal:enforcement_decisions")).content.decode()
    assert late.number in portal
    assert on_time.number not in portal


def test_staff_may_edit_the_summary_before_publishing(client: Client, personas: Any, body: Body) -> None:
    case = decided_case(body)
    signed_in(client, personas.unit_head).post(
        url("publication_publish", case.publication.pk),
        {"facts": f"{NAME}（电话{PHONE}）无证执业。", "decision": "罚款2000元。"},
    )
    done = Publication.objects.get(case=case)
    assert done.facts == "张*（电话138****5678）无证执业。"
    assert done.decision == "罚款2000元。"


@pytest.mark.parametrize("who", ["coordinator", "leader"])
def test_office_reads_but_does_not_publish(client: Client, personas: Any, body: Body, who: str) -> None:
    case = decided_case(body)
    signed_in(client, getattr(personas, who))
    detail = client.get(url("publication_detail", case.publication.pk))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert NAME not in html
    assert PHONE not in html
    assert client.post(url("publication_publish", case.publication.pk)).status_code == 403
    assert client.post(url("publication_withdraw", case.publication.pk), {"note": "x"}).status_code == 403
    assert Publication.objects.get(case=case).status == PublicationStatus.PENDING


@pytest.mark.parametrize("who", ["liaison_other_unit", "liaison_b", "coordinator_b", "no_role"])
def test_outsiders_do_not_reach_a_publication(client: Client, personas: Any, body: Body, who: str) -> None:
    case = decided_case(body)
    signed_in(client, getattr(personas, who))
    assert client.get(url("publication_detail", case.publication.pk)).status_code == 404
    assert client.post(url("publication_publish", case.publication.pk)).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"), [("liaison_other_unit", 403), ("no_role", 403), ("liaison_b", 200)]
)
def test_pending_list_is_for_enforcement_bodies_staff(
    client: Client, personas: Any, body: Body, who: str, status: int
) -> None:
    case = decided_case(body)
    response = signed_in(client, getattr(personas, who)).get(url("publication_pending"))
    assert response.status_code == status
    assert case.number not in response.content.decode()


def test_an_officer_with_an_account_is_staff_of_the_body(client: Client, personas: Any, body: Body) -> None:
    with acting_as(None, "test"), transaction.atomic():
        user = org_actions.create_person("zhang_officer", PASSWORD, full_name="张执法")
        actions.save_officer(body.zhang, user=user)
    case = decided_case(body)
    signed_in(client, user)
    assert case.number in client.get(url("publication_pending")).content.decode()
    client.post(url("publication_publish", case.publication.pk))
    assert Publication.objects.get(case=case).status == PublicationStatus.PUBLISHED


def test_withdraw_from_the_web_needs_a_note(client: Client, personas: Any, body: Body) -> None:
    case = decided_case(body)
    publish(case)
    signed_in(client, personas.liaison)
    assert client.post(url("publication_withdraw", case.publication.pk), {"note": ""}).status_code == 400
    client.post(url("publication_withdraw", case.publication.pk), {"note": "决定已被撤销。"})
    done = Publication.objects.get(case=case)
    assert done.status == PublicationStatus.WITHDRAWN
    assert done.withdrawal_note == "决定已被撤销。"
