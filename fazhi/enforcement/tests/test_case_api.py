"""The enforcement JSON API: tokens and sessions, the body's own staff only, the guards, JSON errors."""

from __future__ import annotations

import json
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fazhi.audit.models import AuditEntry
from fazhi.audit.recorder import acting_as
from fazhi.enforcement import api, api_urls
from fazhi.enforcement.models import Case

from .casefile import Body


@pytest.fixture(autouse=True)
def _api_urls(settings: Any) -> None:
    settings.ROOT_URLCONF = "fazhi.enforcement.tests.api_urls"


def inspection(body: Body, number: str = "检1") -> dict[str, Any]:
    return {
        "unit": body.unit.pk, "number": number, "kind": "inspection", "party_name": "某商店",
        "party_type": "legal", "party_id_number": "91150102MA0000000X",
        "events": [
            {"step": "register", "on": "2025-04-01"},
            {"step": "investigate", "on": "2025-04-02", "officers": ["15010001", "15010002"]},
            {"step": "close", "on": "2025-04-03"},
        ],
    }  # fmt: skip


def major_without_review(body: Body) -> dict[str, Any]:
    return {
        "unit": body.unit.pk, "number": "罚1", "kind": "penalty_ordinary", "power": "330217001",
        "party_name": "某律师事务所", "party_type": "legal", "is_major": True,
        "events": [
            {"step": "register", "on": "2025-03-03"},
            {"step": "investigate", "on": "2025-03-05", "officers": ["15010001", "15010002"]},
            {"step": "notify", "on": "2025-03-10"},
            {"step": "decide", "on": "2025-03-24", "penalty_amount": "2000"},
        ],
    }  # fmt: skip


def bearer(user: Any) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api.make_token(user)}"}


def post(client: Client, data: Any, **extra: Any) -> Any:
    return client.post(
        reverse("enforcement_api:cases"), json.dumps(data), content_type="application/json", **extra
    )


def test_anonymous_callers_get_401_in_json(body: Body, client: Client) -> None:
    response = post(client, inspection(body))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")
    response = client.get(reverse("enforcement_api:cases"), HTTP_AUTHORIZATION="Bearer forged")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


def test_the_body_s_liaison_posts_a_case_with_a_token_and_reads_it(body: Body, personas: Any) -> None:
    client = Client()
    response = post(client, inspection(body), **bearer(personas.liaison))
    assert response.status_code == 201, response.content
    [pk] = response.json()["ids"]
    case = Case.objects.get(pk=pk)
    assert case.status == "closed"
    assert case.events.count() == 3
    assert AuditEntry.objects.filter(
        target_type="enforcement.case", target_id=str(pk), actor_name="liaison"
    ).exists()
    detail = client.get(reverse("enforcement_api:case", args=[pk]), **bearer(personas.liaison)).json()
    assert [e["step"] for e in detail["events"]] == ["register", "investigate", "close"]
    assert detail["party_id_number"] == "91150102MA0000000X"
    again = post(client, {"cases": [inspection(body)]}, **bearer(personas.liaison))
    assert again.status_code == 201
    assert again.json() == {"created": 0, "skipped": 1, "ids": []}


def test_another_body_s_writer_gets_403(body: Body, personas: Any, client: Client) -> None:
    for user in (personas.liaison_b, personas.liaison_other_unit, personas.coordinator):
        response = post(client, inspection(body), **bearer(user))
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
    assert not Case.objects.exists()


def test_a_decided_major_case_without_a_passed_review_is_refused(body: Body, personas: Any) -> None:
    response = post(
        Client(), {"cases": [inspection(body), major_without_review(body)]}, **bearer(personas.unit_head)
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_cases"
    [problem] = error["problems"]
    assert problem["item"] == 1
    assert problem["case"] == "罚1"
    assert "法制审核" in problem["message"]
    assert not Case.objects.exists()


def test_only_a_legal_reviewer_records_a_review_step(body: Body, personas: Any) -> None:
    data = major_without_review(body)
    data["events"].insert(
        3, {"step": "review_pass", "on": "2025-03-20", "reviewer": "15010005", "notes": "同意"}
    )
    assert post(Client(), data, **bearer(personas.liaison)).status_code == 403


def test_a_session_client_must_send_the_csrf_token(body: Body, personas: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.liaison)
    response = post(client, inspection(body))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    client.get(reverse("enforcement_api:cases"))
    client.cookies["csrftoken"] = "a" * 32
    assert post(client, inspection(body), HTTP_X_CSRFTOKEN="a" * 32).status_code == 201


def test_lists_are_scoped_and_filtered(body: Body, personas: Any) -> None:
    client = Client()
    post(client, {"cases": [inspection(body, "检1"), inspection(body, "检2")]}, **bearer(personas.liaison))
    url = reverse("enforcement_api:cases")
    seen = client.get(url, {"kind": "inspection", "limit": "1"}, **bearer(personas.coordinator)).json()
    assert len(seen["results"]) == 1
    assert seen["next_after"] is not None
    assert seen["results"][0]["party_id_number"] == api.MASK  # supervisors read without personal data
    rest = client.get(url, {"after": seen["next_after"]}, **bearer(personas.coordinator)).json()
    assert [c["number"] for c in rest["results"]] == ["检2"]
    assert client.get(url, **bearer(personas.coordinator_b)).json()["results"] == []
    pk = Case.objects.get(number="检1").pk
    for user in (personas.coordinator_b, personas.liaison_other_unit, personas.liaison_b):
        response = client.get(reverse("enforcement_api:case", args=[pk]), **bearer(user))
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert client.get(url, **bearer(personas.no_role)).status_code == 403
    bad = client.get(url, {"kind": "murder"}, **bearer(personas.coordinator))
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "bad_filter"


def test_the_token_command_prints_a_token_that_a_password_change_revokes(personas: Any) -> None:
    out = StringIO()
    call_command("api_token", user="liaison", days=1, stdout=out)
    token = out.getvalue().strip()
    assert api.user_for_token(token) == personas.liaison
    with acting_as(None, "test"), transaction.atomic():
        personas.liaison.set_password("another-password-123")
        personas.liaison.save()
    assert api.user_for_token(token) is None


def _routes(patterns: list[Any], prefix: str = "") -> set[str]:
    found: set[str] = set()
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found |= _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            found.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))
    return found


def test_the_openapi_description_is_served_and_matches_the_urls(db: Any, client: Client) -> None:
    response = client.get(reverse("enforcement_api:openapi"))
    spec = json.loads(response.content)
    assert response.status_code == 200
    assert spec["openapi"].startswith("3.1")
    assert set(spec["paths"]) == _routes(api_urls.urlpatterns)
    assert get_resolver().resolve("/enforcement/api/openapi.json").url_name == "openapi"
    text = json.dumps(spec)
    for ref in set(re.findall(r'"\$ref": "#/([^"]+)"', text)):
        node: Any = spec
        for part in ref.split("/"):
            node = node[part]
    methods = {"get", "post", "put", "patch", "delete"}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in methods:
                assert operation["responses"]
                assert operation["operationId"], (path, method)
                params = re.findall(r"{(\w+)}", path)
                declared = [p["name"] for p in item.get("parameters", []) + operation.get("parameters", [])]
                assert set(params) <= set(declared), path
