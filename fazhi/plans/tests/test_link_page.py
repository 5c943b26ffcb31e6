"""The link page suggests the upper plan's tasks and links one only when the coordinator confirms it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from fazhi.plans.models import Plan, TaskKind
from fazhi.plans.tests.test_parent_links import FIXTURES, _city_units
from fazhi.testing import Personas, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(personas: Personas) -> tuple[Plan, Plan]:
    city = personas.region_a.parent
    assert city is not None
    _city_units(city)
    city_plan = make_plan(city, (FIXTURES / "city_2024.txt").read_text("utf-8"), publish=True, year=2024)
    district = make_plan(
        personas.region_a, Path(FIXTURES / "district_2024.txt").read_text("utf-8"), year=2024
    )
    return city_plan, district


def test_the_page_shows_suggestions_and_a_confirmed_link_is_stored(
    personas: Personas, plans: tuple[Plan, Plan]
) -> None:
    city_plan, district = plans
    client = Client()
    client.force_login(personas.coordinator)
    page = client.get(f"/plans/{district.pk}/links/")
    assert page.status_code == 200
    suggestions = page.context["suggestions"]
    item = next(s for s in suggestions if s.task.path == ["二", "(二)"])
    assert item.best is not None
    assert item.best.parent_task.plan_id == city_plan.pk
    assert district.tasks.filter(implements__isnull=False).count() == 0  # nothing linked by itself

    client.post(
        f"/plans/tasks/{item.task.pk}/link/",
        {"parent_task": item.best.parent_task.pk},
        HTTP_HX_REQUEST="true",
    )
    item.task.refresh_from_db()
    assert item.task.implements_id == item.best.parent_task.pk


def test_a_task_cannot_be_linked_to_a_plan_of_its_own_region(
    personas: Personas, plans: tuple[Plan, Plan]
) -> None:
    _city_plan, district = plans
    own = make_plan(personas.region_a, publish=True)
    task = district.tasks.filter(kind=TaskKind.TASK).first()
    assert task is not None
    client = Client()
    client.force_login(personas.coordinator)
    client.post(
        f"/plans/tasks/{task.pk}/link/", {"parent_task": own.tasks.filter(kind=TaskKind.TASK).first().pk}
    )
    task.refresh_from_db()
    assert task.implements_id is None
