"""The public "before" pages (事前公示), without an account: a body's nature and legal basis, the procedures
with the statutory periods in force, and the random-inspection list."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import actions
from fazhi.enforcement.models import BodyNature, CaseKind, CaseStep, PeriodCode
from fazhi.orgs import actions as org_actions
from fazhi.portal.enforcement_views import procedure_steps
from fazhi.testing import Personas

from .casefile import reseed
from .registering import make_registers


@pytest.fixture
def registers(personas: Personas, time_machine: Any) -> tuple[Any, Any]:
    time_machine.move_to(datetime.datetime(2025, 6, 2, 10, 0), tick=False)
    return make_registers(personas.justice_a, "a"), make_registers(personas.justice_b, "b")


def test_a_body_page_shows_its_nature_legal_basis_and_entrusting_organ(
    personas: Personas, registers: tuple[Any, Any], client: Client
) -> None:
    mine, _ = registers
    page = client.get(reverse("portal:enforcement_body", args=[personas.justice_a.pk])).content.decode()
    assert mine.entry.legal_basis in page
    assert "新城区行政区域" in page
    with acting_as(None, "test"), transaction.atomic():
        actions.save_body(
            None, unit=personas.town_unit_a, nature=BodyNature.ENTRUSTED, entrusted_by=personas.justice_a,
            legal_basis="新城区司法局行政执法委托书",
        )  # fmt: skip
    town = client.get(reverse("portal:enforcement_body", args=[personas.town_unit_a.pk]))
    assert town.status_code == 200
    assert town.context["entry"].entrusted_by == personas.justice_a
    html = town.content.decode()
    assert "新城区行政执法委托书" not in html
    assert "新城区司法局行政执法委托书" in html
    assert personas.justice_a.name in html
    # A town's procedures are those of its county (the portal lists no towns).
    assert town.context["procedure_region"] == personas.region_a
    listing = client.get(reverse("portal:enforcement_bodies")).content.decode()
    assert personas.town_unit_a.name in listing


def test_the_procedures_follow_the_workflow_table_with_the_periods_in_force(
    personas: Personas, client: Client
) -> None:
    reseed()  # the statutory periods the migrations seed
    steps, returns = procedure_steps(CaseKind.PENALTY_ORDINARY)
    names = [item.step for item in steps]
    assert names[0] == CaseStep.REGISTER
    assert names.index(CaseStep.NOTIFY) < names.index(CaseStep.DECIDE) < names.index(CaseStep.ARCHIVE)
    assert CaseStep.REVIEW_RETURN not in names
    assert [step for step, _ in returns] == [str(CaseStep.REVIEW_RETURN.label)]
    optional = {item.step for item in steps if item.optional}
    assert {CaseStep.REQUEST_HEARING, CaseStep.HOLD_HEARING, CaseStep.REVIEW_PASS} <= optional
    assert CaseStep.DECIDE not in optional

    response = client.get(reverse("portal:enforcement_procedures"))
    assert response.status_code == 200
    ordinary = next(p for p in response.context["procedures"] if p.kind == CaseKind.PENALTY_ORDINARY)
    register = next(item for item in ordinary.steps if item.step == CaseStep.REGISTER)
    decision = next(p for p in register.periods if p.code == PeriodCode.DECISION)
    assert decision.days == 90
    page = response.content.decode()
    assert 'data-period="decision" data-days="90"' in page
    assert decision.legal_basis in page
    assert ordinary.publication is not None
    assert ordinary.publication.days == 7


def test_a_regions_own_period_shows_when_the_region_is_chosen(personas: Personas, client: Client) -> None:
    reseed()
    with acting_as(None, "test"), transaction.atomic():
        actions.save_statutory_period(
            None, code=PeriodCode.DECISION, case_kind=CaseKind.PENALTY_ORDINARY, region=personas.region_a,
            days=60, working_days=False, starts_with=CaseStep.REGISTER, ends_with=CaseStep.DECIDE,
            effective_from=datetime.date(2024, 1, 1), legal_basis="新城区行政处罚办案期限规定",
        )  # fmt: skip
    url = reverse("portal:enforcement_procedures")
    assert "新城区行政处罚办案期限规定" not in client.get(url).content.decode()
    chosen = client.get(url, {"region": personas.region_a.pk}).content.decode()
    assert "新城区行政处罚办案期限规定" in chosen
    assert 'data-period="decision" data-days="60"' in chosen
    assert (
        "新城区行政处罚办案期限规定" not in client.get(url, {"region": personas.region_b.pk}).content.decode()
    )
    assert client.get(url, {"region": personas.town_a.pk}).status_code == 404


def test_the_random_inspection_list_shows_inspection_powers_by_body_and_searches(
    personas: Personas, registers: tuple[Any, Any], client: Client
) -> None:
    mine, theirs = registers
    url = reverse("portal:enforcement_inspections")
    page = client.get(url).content.decode()
    assert mine.inspection.name in page
    assert theirs.inspection.name in page
    assert mine.penalty.name not in page  # only inspection powers
    found = client.get(url, {"q": "莲湖区"}).content.decode()
    assert theirs.inspection.name in found
    assert mine.inspection.name not in found
    only = client.get(url, {"body": personas.justice_a.pk}).content.decode()
    assert mine.inspection.name in only
    assert theirs.inspection.name not in only
    with acting_as(None, "test"), transaction.atomic():
        org_actions.save_unit(personas.justice_b, is_active=False)
    assert theirs.inspection.name not in client.get(url).content.decode()
    assert client.get(url, {"body": personas.justice_b.pk}).status_code == 404


def test_the_portal_links_its_enforcement_pages(personas: Personas, client: Client) -> None:
    for name in ("portal:enforcement_bodies", "portal:enforcement_decisions", "portal:index"):
        page = client.get(reverse(name)).content.decode()
        assert reverse("portal:enforcement_procedures") in page, name
        assert reverse("portal:enforcement_inspections") in page, name
