"""The register pages: the office and a body's staff read the registers of their own region or body, with
training hours against the region's requirement, filing status, filters, an export that imports unchanged,
and each record's change history; nobody reads another region's."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import actions, importing
from fazhi.enforcement.models import EnforcementRules
from fazhi.testing import Personas

from .registering import make_registers, run

NOW = datetime.datetime(2025, 6, 2, 10, 0)


@pytest.fixture
def both(personas: Personas, time_machine: Any) -> tuple[Any, Any]:
    time_machine.move_to(NOW, tick=False)
    return make_registers(personas.justice_a, "a"), make_registers(personas.justice_b, "b")


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


LISTS = ["register_bodies", "register_officers", "register_powers", "register_standards"]


@pytest.mark.parametrize("name", LISTS)
def test_each_office_reads_only_its_own_regions_registers(
    personas: Personas, both: tuple[Any, Any], name: str
) -> None:
    for user, mine, theirs in (
        (personas.coordinator, "a", "b"),
        (personas.leader, "a", "b"),
        (personas.coordinator_b, "b", "a"),
        (personas.liaison, "a", "b"),
    ):
        page = client_for(user).get(reverse(f"enforcement:{name}")).content.decode()
        own_unit = personas.justice_a if mine == "a" else personas.justice_b
        other_unit = personas.justice_b if mine == "a" else personas.justice_a
        assert own_unit.name in page, (user, name)
        assert other_unit.name not in page, (user, name)
        assert f"REG-{theirs}-" not in page, (user, name)


def test_people_without_a_body_or_region_are_refused_and_the_public_sent_to_sign_in(
    personas: Personas, both: tuple[Any, Any]
) -> None:
    url = reverse("enforcement:register_officers")
    assert client_for(personas.liaison_other_unit).get(url).status_code == 403
    assert client_for(personas.no_role).get(url).status_code == 403
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_another_regions_records_answer_404(personas: Personas, both: tuple[Any, Any]) -> None:
    mine, theirs = both
    for url in (
        reverse("enforcement:register_body", args=[personas.justice_b.pk]),
        reverse("enforcement:register_officer", args=[theirs.officer.pk]),
        reverse("enforcement:register_power", args=[theirs.penalty.pk]),
    ):
        assert client_for(personas.coordinator).get(url).status_code == 404, url
        assert client_for(personas.liaison).get(url).status_code == 404, url
        assert client_for(personas.coordinator_b).get(url).status_code == 200, url
    # The body's staff read their own body only, even within the region.
    assert (
        client_for(personas.liaison_other_unit)
        .get(reverse("enforcement:register_officer", args=[mine.officer.pk]))
        .status_code
        == 404
    )


def test_officers_show_this_years_hours_against_the_regions_requirement(
    personas: Personas, both: tuple[Any, Any]
) -> None:
    client = client_for(personas.coordinator)
    url = reverse("enforcement:register_officers")
    row = client.get(url).context["page"].object_list[0]
    assert (row.hours, row.required, row.short) == (Decimal("20"), Decimal("60"), True)
    assert row.officer.is_legal_reviewer
    assert "20 / 60" in client.get(url).content.decode()
    with acting_as(None, "test"), transaction.atomic():
        actions.save_rules(None, region=personas.region_a, effective_from=datetime.date(2025, 1, 1),
                           training_hours=Decimal("16"))  # fmt: skip
    row = client.get(url).context["page"].object_list[0]
    assert (row.required, row.short) == (Decimal("16"), False)
    assert "20 / 16" in client.get(url).content.decode()


def test_the_officer_filters_narrow_the_list(personas: Personas, both: tuple[Any, Any]) -> None:
    _mine, _ = both
    with acting_as(None, "test"), transaction.atomic():
        actions.save_officer(
            None,
            unit=personas.justice_a,
            name="过期者",
            certificate_number="REG-old",
            issuing_authority="人民政府",
            valid_from=datetime.date(2015, 1, 1),
            valid_to=datetime.date(2020, 1, 1),
        )
    client = client_for(personas.coordinator)
    url = reverse("enforcement:register_officers")

    def names(query: dict[str, str]) -> list[str]:
        return [row.officer.name for row in client.get(url, query).context["page"].object_list]

    assert names({}) == ["登记a", "过期者"]
    assert names({"state": "expired"}) == ["过期者"]
    assert names({"reviewer": "on"}) == ["登记a"]
    assert names({"q": "REG-old"}) == ["过期者"]
    assert names({"body": str(personas.justice_a.pk), "region": str(personas.region_a.pk)}) == [
        "登记a",
        "过期者",
    ]


def test_standards_show_their_filing_status(personas: Personas, both: tuple[Any, Any]) -> None:
    client = client_for(personas.coordinator)
    url = reverse("enforcement:register_standards")
    rows = {row.standard.circumstance: row for row in client.get(url).context["page"].object_list}
    assert rows["一般情节"].status == "filed"
    # Published 20 December 2024, 15 days to file: overdue since 4 January 2025.
    assert (rows["严重情节"].status, rows["严重情节"].due) == ("overdue", datetime.date(2025, 1, 4))
    page = client.get(url).content.decode()
    assert 'data-filing="filed"' in page
    assert "2025-01-03" in page
    assert 'data-filing="overdue"' in page
    assert "2025-01-04" in page
    only = client.get(url, {"filing": "not_filed"}).context["page"].object_list
    assert [row.standard.circumstance for row in only] == ["严重情节"]


def test_a_body_page_shows_its_nature_basis_and_reviewers(personas: Personas, both: tuple[Any, Any]) -> None:
    mine, _ = both
    response = client_for(personas.liaison).get(
        reverse("enforcement:register_body", args=[personas.justice_a.pk])
    )
    page = response.content.decode()
    assert mine.entry.legal_basis in page
    assert "新城区行政区域" in page
    assert response.context["reviewers"].meets
    assert response.context["certified"] == 1


def test_a_records_page_shows_who_changed_what_and_when(
    personas: Personas, both: tuple[Any, Any], tmp_path: Path
) -> None:
    mine, _ = both
    with acting_as(personas.coordinator, "web"), transaction.atomic():
        actions.save_officer(mine.officer, valid_to=datetime.date(2029, 12, 31))
    response = client_for(personas.liaison).get(
        reverse("enforcement:register_officer", args=[mine.officer.pk])
    )
    history = response.context["history"]
    update = history[0]
    assert update.entry.actor_name == personas.coordinator.username
    assert update.who == personas.coordinator.full_name  # the name, not the account
    assert [(c.before, c.after) for c in update.changes] == [("2027-12-31", "2029-12-31")]
    page = response.content.decode()
    assert "2027-12-31 → 2029-12-31" in page
    # The training record's creation is part of the officer's history too.
    assert {item.entry.target_type for item in history} == {
        "enforcement.officer",
        "enforcement.trainingrecord",
    }
    power = client_for(personas.coordinator).get(
        reverse("enforcement:register_power", args=[mine.penalty.pk])
    )
    assert {item.entry.target_type for item in power.context["history"]} == {
        "enforcement.power",
        "enforcement.discretionstandard",
    }
    # A foreign key shows the name it points to, not its id.
    created = next(item for item in power.context["history"] if item.entry.target_type == "enforcement.power")
    assert ("—", personas.justice_a.name) in [(c.before, c.after) for c in created.changes]


@pytest.mark.parametrize("register", ["bodies", "officers", "training", "powers", "standards"])
def test_an_export_imports_back_unchanged(
    personas: Personas, both: tuple[Any, Any], tmp_path: Path, register: str
) -> None:
    response = client_for(personas.coordinator).get(reverse("enforcement:register_export", args=[register]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = list(sheet.values)
    assert list(values[0]) == [column.header for column in importing.COLUMNS[register]]
    assert all("REG-b" not in str(cell) for row in values for cell in row)
    path = tmp_path / f"{register}.xlsx"
    path.write_bytes(response.content)
    result = run(register, personas.region_a, path, personas.coordinator)
    assert result.errors == []
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == len(values) - 1 > 0


def test_the_officer_list_costs_the_same_queries_for_more_officers(
    personas: Personas, both: tuple[Any, Any]
) -> None:
    client = client_for(personas.coordinator)
    url = reverse("enforcement:register_officers")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    with acting_as(None, "test"), transaction.atomic():
        for n in range(3):
            officer = actions.save_officer(
                None, unit=personas.town_unit_a, name=f"镇{n}", certificate_number=f"TOWN-{n}",
                issuing_authority="人民政府", valid_from=datetime.date(2020, 1, 1),
            )  # fmt: skip
            actions.save_training(None, officer=officer, date=datetime.date(2025, 2, 1), hours=Decimal(4),
                                  subject="培训")  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"].object_list) == 4
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_the_rules_for_many_regions_agree_with_the_rules_for_one(personas: Personas) -> None:
    with acting_as(None, "test"), transaction.atomic():
        actions.save_rules(None, region=personas.region_a.parent, effective_from=datetime.date(2024, 1, 1),
                           training_hours=Decimal("40"), standard_filing_days=20)  # fmt: skip
        actions.save_rules(None, region=personas.region_a, effective_from=datetime.date(2025, 1, 1),
                           training_hours=Decimal("30"))  # fmt: skip
    regions = [personas.region_a, personas.town_a, personas.region_b]
    for day in (datetime.date(2024, 6, 1), datetime.date(2025, 6, 1)):
        many = EnforcementRules.in_force_for(regions, day)
        for region in regions:
            one = EnforcementRules.in_force(region, day)
            assert (many[region.pk].training_hours, many[region.pk].standard_filing_days) == (
                one.training_hours,
                one.standard_filing_days,
            ), (region, day)
