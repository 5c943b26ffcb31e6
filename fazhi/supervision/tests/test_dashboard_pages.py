"""Each dashboard page for each role: the office works, the leader only reads, a unit sees only its own."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from fazhi.audit.recorder import acting_as
from fazhi.plans.models import Plan
from fazhi.supervision import scoring_actions
from fazhi.supervision.tests.test_dashboard_figures import NOW, known_plan
from fazhi.testing import Personas

pytestmark = pytest.mark.django_db

OFFICE_PAGES = ("/supervision/dashboard/", "/supervision/overdue/", "/supervision/assessment/")


def get(person: object, url: str) -> object:
    client = Client()
    if person is not None:
        client.force_login(person)  # type: ignore[arg-type]
    with time_machine.travel(NOW, tick=False):
        return client.get(url)


def with_entry(personas: Personas) -> Plan:
    from decimal import Decimal

    from django.db import transaction

    plan = known_plan(personas)
    with acting_as(personas.coordinator, "test"), transaction.atomic():
        scoring_actions.add_adjustment(personas.coordinator, plan, personas.justice_a.pk, Decimal(1), "示范")
    return plan


@pytest.mark.parametrize("page", OFFICE_PAGES)
def test_the_office_and_the_administrator_open_every_office_page(personas: Personas, page: str) -> None:
    plan = with_entry(personas)
    for person in (personas.coordinator, personas.admin):
        response = get(person, f"{page}?plan={plan.pk}")
        assert response.status_code == 200  # type: ignore[attr-defined]
        assert response.context["plan"] == plan  # type: ignore[attr-defined]


def test_the_office_gets_the_forms_that_change_the_ranking(personas: Personas) -> None:
    plan = with_entry(personas)
    html = get(personas.coordinator, f"/supervision/assessment/?plan={plan.pk}").content.decode()  # type: ignore[attr-defined]
    assert f"/supervision/assessment/{plan.pk}/adjust/" in html
    assert "/withdraw/" in html


@pytest.mark.parametrize("page", [*OFFICE_PAGES, "unit"])
def test_the_leader_reads_every_page_without_a_single_write_button(personas: Personas, page: str) -> None:
    plan = with_entry(personas)
    url = f"/supervision/units/{personas.justice_a.pk}/" if page == "unit" else page
    response = get(personas.leader, f"{url}?plan={plan.pk}")
    assert response.status_code == 200  # type: ignore[attr-defined]
    html = response.content.decode()  # type: ignore[attr-defined]
    # The only form that posts is the sign-out button of the navigation bar.
    assert html.count('method="post"') == 1
    assert "/adjust/" not in html
    assert "/withdraw/" not in html
    assert "form" not in response.context or response.context["form"] is None  # type: ignore[attr-defined]


def test_the_office_pages_draw_their_charts_from_json_blocks_not_inline_scripts(personas: Personas) -> None:
    plan = known_plan(personas)
    html = get(personas.leader, f"/supervision/dashboard/?plan={plan.pk}").content.decode()  # type: ignore[attr-defined]
    for chart in ("chart-areas", "chart-trend", "chart-units", "chart-heatmap"):
        assert f'data-chart="{chart}"' in html
        assert f'<script id="{chart}" type="application/json">' in html
    assert "vendor/echarts/echarts.min.js" in html
    assert "<script>" not in html


@pytest.mark.parametrize("persona", ["liaison", "unit_head", "no_role"])
def test_units_and_people_without_a_role_cannot_open_the_office_pages(
    personas: Personas, persona: str
) -> None:
    plan = known_plan(personas)
    for page in (*OFFICE_PAGES, "/supervision/dashboard/export.xlsx", "/supervision/overdue/export.xlsx"):
        response = get(getattr(personas, persona), f"{page}?plan={plan.pk}")
        assert response.status_code == 403, page  # type: ignore[attr-defined]


def test_the_public_is_sent_to_sign_in(personas: Personas) -> None:
    plan = known_plan(personas)
    for page in (*OFFICE_PAGES, f"/supervision/units/{personas.justice_a.pk}/"):
        response = get(None, f"{page}?plan={plan.pk}")
        assert response.status_code == 302  # type: ignore[attr-defined]
        assert "/accounts/login/" in response["Location"]  # type: ignore[index]


def test_a_unit_opens_its_own_page_with_its_score_and_not_another_units(personas: Personas) -> None:
    plan = with_entry(personas)
    for person in (personas.liaison, personas.unit_head):
        own = get(person, f"/supervision/units/{personas.justice_a.pk}/?plan={plan.pk}")
        assert own.status_code == 200  # type: ignore[attr-defined]
        assert own.context["private"] is True  # type: ignore[attr-defined]
        assert own.context["score"].rank == 1  # type: ignore[attr-defined]
        assert "示范" in own.content.decode()  # type: ignore[attr-defined]  # the reason for its bonus
        other = get(person, f"/supervision/units/{personas.town_unit_a.pk}/?plan={plan.pk}")
        assert other.status_code == 404  # type: ignore[attr-defined]


def test_a_unit_with_no_published_plan_gets_a_page_that_says_so(personas: Personas) -> None:
    response = get(personas.liaison_other_unit, f"/supervision/units/{personas.reform_a.pk}/")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response.context["plan"] is None  # type: ignore[attr-defined]


def test_an_office_without_a_published_plan_gets_a_page_that_says_so(personas: Personas) -> None:
    for page in OFFICE_PAGES:
        response = get(personas.coordinator, page)
        assert response.status_code == 200  # type: ignore[attr-defined]
        assert "plan" not in response.context  # type: ignore[attr-defined]
