"""The supervision panels of the role home page: the office's summary, a unit's due-soon and overdue counts.

Tested through `home_panels` and the panel template, and once through the home page itself (fazhi/views.py).
"""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from fazhi.supervision import dashboards
from fazhi.supervision.dashboard_views import home_panels
from fazhi.supervision.tests.test_dashboard_figures import NOW, known_plan, region_b_plan
from fazhi.testing import Personas

pytestmark = pytest.mark.django_db


def panels(person: Any) -> tuple[dict[str, Any], str]:
    request = RequestFactory().get("/home/")
    request.user = person
    with time_machine.travel(NOW, tick=False):
        context = home_panels(request)
        html = render_to_string("supervision/dashboards/_home.html", context, request=request)
    return context["supervision"], html


def test_the_office_sees_completion_and_overdue_counts_linked_to_the_lists(personas: Personas) -> None:
    plan = known_plan(personas)
    region_b_plan(personas)
    office, html = panels(personas.coordinator)
    summary = office["office"]
    assert (summary["plan"], summary["assignments"]) == (plan, dashboards.Ratio(3, 5))
    assert (summary["overdue"], summary["red"], summary["can_manage"]) == (2, 1, True)
    assert f"/supervision/overdue/?plan={plan.pk}" in html
    assert f"/supervision/assessment/?plan={plan.pk}" in html


def test_a_leader_gets_the_same_summary_with_a_link_to_the_charts(personas: Personas) -> None:
    plan = known_plan(personas)
    leader, html = panels(personas.leader)
    assert leader["office"]["can_manage"] is False
    assert f"/supervision/dashboard/?plan={plan.pk}" in html
    assert "units" not in leader


def test_a_unit_sees_only_its_own_due_soon_and_overdue_counts(personas: Personas) -> None:
    known_plan(personas)
    region_b_plan(personas)
    own, html = panels(personas.liaison)
    assert "office" not in own
    # 司法局 on 3 July: its Q2 draft is overdue (yellow); nothing else is due within its reminder days.
    assert [(unit.pk, counts) for unit, counts in own["units"]] == [
        (personas.justice_a.pk, dashboards.DueCounts(due_soon=0, overdue=1, red=0))
    ]
    assert f"/supervision/units/{personas.justice_a.pk}/" in html
    other, _html = panels(personas.liaison_b)
    assert [(unit.pk, counts) for unit, counts in other["units"]] == [
        (personas.justice_b.pk, dashboards.DueCounts())
    ]


def test_the_home_pages_show_the_panels(personas: Personas) -> None:
    plan = known_plan(personas)
    for person, expected in (
        (personas.coordinator, f"/supervision/assessment/?plan={plan.pk}"),
        (personas.leader, f"/supervision/dashboard/?plan={plan.pk}"),
        (personas.liaison, f"/supervision/units/{personas.justice_a.pk}/"),
    ):
        client = Client()
        client.force_login(person)
        with time_machine.travel(NOW, tick=False):
            page = client.get("/home/").content.decode()
        assert expected in page, person.username
