"""List pages run the same number of queries whatever the number of rows (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fazhi.orgs import actions
from fazhi.orgs.models import Role
from fazhi.testing import PASSWORD, Personas

pytestmark = pytest.mark.django_db

PAGES = [
    "/orgs/units/",
    "/orgs/groups/",
    "/orgs/aliases/",
    "/orgs/regions/",
    "/orgs/people/",
    "/audit/",
    "/home/",
]


def grow(personas: Personas, start: int, count: int) -> None:
    """Add units, each with an alias, a group and a liaison account, in region A and its town."""
    with transaction.atomic():
        for i in range(start, start + count):
            region = personas.region_a if i % 2 else personas.town_a
            unit = actions.save_unit(None, region=region, name=f"测试单位{i}", kind="department",
                                     is_enforcement_body=bool(i % 3))  # fmt: skip
            actions.save_alias(None, region=personas.region_a, name=f"测试{i}", unit=unit)
            actions.save_group(None, region=personas.region_a, name=f"测试组{i}", kinds=["department"],
                               members=[unit])  # fmt: skip
            person = actions.create_person(f"user{i}", PASSWORD, full_name=f"联络员{i}")
            actions.grant_role(person, Role.LIAISON, unit=unit)


def count_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("persona", ["coordinator", "admin"])
def test_list_pages_do_not_grow_their_query_count_with_rows(
    personas: Personas, path: str, persona: str
) -> None:
    client = Client()
    client.force_login(getattr(personas, persona))
    grow(personas, 0, 3)
    few = count_queries(client, path)
    grow(personas, 3, 12)
    many = count_queries(client, path)
    assert many == few, f"{path}: {few} queries with few rows, {many} with many"
