"""The demo region loads idempotently, names every unit its plan names, and every demo login lands home."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.db.models import Count
from django.test import Client

from fazhi.audit import chain
from fazhi.audit.models import AuditHead
from fazhi.ops import demo
from fazhi.orgs.models import Region, RoleAssignment, Unit, UnitGroup, User
from fazhi.orgs.names import resolve

pytestmark = pytest.mark.django_db

RESPONSIBILITY = Path(__file__).parent / "fixtures" / "seed000_responsibility.txt"
HOME_TEMPLATES = {
    "admin": "home/admin.html",
    "coordinator": "home/coordinator.html",
    "leader": "home/leader.html",
    "unithead": "home/unit.html",
    "liaison": "home/unit.html",
    "liaison2": "home/unit.html",
}


def plan_unit_names() -> list[str]:
    names: list[str] = []
    for line in RESPONSIBILITY.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"\(责任单位[::](.*)\)", line)
        if match:
            names += [n for n in re.split("[、,，]", match.group(1)) if n and n not in names]
    return names


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count() for model in (Region, Unit, UnitGroup, User, RoleAssignment)
    }


def test_loading_the_directory_twice_changes_nothing_the_second_time() -> None:
    # The whole command, with the demo year, is loaded twice in test_demo_year.py.
    demo.load(with_year=False)
    counts, head = row_counts(), AuditHead.objects.get(pk=1).seq
    demo.load(with_year=False)
    assert row_counts() == counts
    assert AuditHead.objects.get(pk=1).seq == head
    assert chain.verify().ok


def test_every_unit_the_2024_plan_names_resolves_in_the_demo_region() -> None:
    demo.load(with_year=False)
    district = Region.objects.get(name="新城区")
    names = plan_unit_names()
    assert len(names) == 27
    unresolved = [n for n in names if not resolve(district, n, on=datetime.date(2024, 8, 6)).known]
    assert unresolved == []
    # Collective names stand for real sets of units, never for nothing.
    for collective in (
        "各行政执法单位",
        "各街道办事处",
        "区直各单位各部门",
        "各决策承办单位",
        "各行政执法部门",
    ):
        assert len(resolve(district, collective).units) >= 2, collective


def test_the_street_offices_and_the_town_live_in_their_own_regions() -> None:
    demo.load(with_year=False)
    district = Region.objects.get(name="新城区")
    towns = district.children.annotate(n=Count("units"))
    assert towns.count() == 10
    assert all(town.n == 1 for town in towns)
    assert resolve(district, "区法制办", on=datetime.date(2017, 6, 1)).known is False


@pytest.mark.parametrize("username", sorted(HOME_TEMPLATES))
def test_every_demo_login_lands_on_its_roles_home_page(username: str) -> None:
    demo.load(with_year=False)
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": username, "password": demo.DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/home/"
    assert HOME_TEMPLATES[username] in [t.name for t in response.templates]
