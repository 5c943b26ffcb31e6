"""A liaison officer sees what the unit owes, what is due soon and what is late; lists stay cheap."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fazhi.orgs import actions as org_actions
from fazhi.orgs.models import Role, User
from fazhi.supervision import actions
from fazhi.supervision.models import Progress, Report, ReportStatus
from fazhi.supervision.workflow import Step
from fazhi.testing import SAMPLE_PLAN, Personas, make_plan

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_units_reports_and_their_cards(personas: Personas) -> None:
    plan = make_plan(personas.region_a, publish=True)
    client = Client()
    client.force_login(personas.liaison)
    with time_machine.travel(datetime.datetime(2025, 4, 3, 9, tzinfo=datetime.UTC), tick=False):
        response = client.get("/supervision/my/")
    assert response.status_code == 200
    reports = response.context["page"].object_list
    assert {r.unit_id for r in reports} == {personas.justice_a.pk}
    assert len(reports) == Report.objects.filter(plan=plan, unit=personas.justice_a).count()
    q1 = next(r for r in reports if r.round.kind == "quarterly" and r.due_date.month == 3)
    assert (
        q1.current_card == "yellow"
    )  # due 31 March; red after 5 working days (the Qingming break in between)
    assert response.context["counts"]["overdue"] == 1


def test_the_town_never_sees_the_bureaus_reports(personas: Personas) -> None:
    make_plan(personas.region_a, publish=True)
    liaison_b = Client()
    liaison_b.force_login(personas.liaison_other_unit)
    assert liaison_b.get("/supervision/my/").context["page"].paginator.count == 0


def town_head(personas: Personas) -> object:
    with transaction.atomic():
        person = org_actions.create_person("town_head", "Fazhi-test-2024!", full_name="镇长")
        org_actions.grant_role(person, Role.UNIT_HEAD, unit=personas.town_unit_a)
    return person


def submit_town_report(personas: Personas, plan: Any) -> Report:
    """The town's report on the training task, which the justice bureau leads."""
    report = Report.objects.filter(plan=plan, unit=personas.town_unit_a, task__path__0="二").first()
    assert report is not None
    head = town_head(personas)
    with transaction.atomic():
        actions.save_report(report, head, "镇里已组织培训。", Progress.DONE, {})
        actions.transition(report, Step.SUBMIT, head, ReportStatus.DRAFT)
    return report


def test_submitted_reports_wait_in_the_review_queue(personas: Personas) -> None:
    plan = make_plan(personas.region_a, publish=True)
    office = Client()
    office.force_login(personas.coordinator)
    assert office.get("/supervision/review/").context["page"].paginator.count == 0
    report = submit_town_report(personas, plan)
    assert [r.pk for r in office.get("/supervision/review/").context["page"].object_list] == [report.pk]
    # The justice bureau leads the training task: its head reviews the town's report too.
    lead = Client()
    lead.force_login(personas.unit_head)
    assert [r.pk for r in lead.get("/supervision/review/").context["page"].object_list] == [report.pk]


@pytest.mark.parametrize("path", ["/supervision/my/?show=all", "/supervision/review/"])
def test_the_lists_run_the_same_queries_however_many_reports(personas: Personas, path: str) -> None:
    client = Client()
    client.force_login(personas.coordinator if "review" in path else personas.liaison)
    plan = make_plan(personas.region_a, publish=True)
    submit_town_report(personas, plan)
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    for year in (2026, 2027, 2028):
        make_plan(personas.region_a, SAMPLE_PLAN.replace("2025", str(year)), publish=True, year=year)
    head = User.objects.get(username="town_head")
    with transaction.atomic():
        for report in Report.objects.filter(unit=personas.town_unit_a, status=ReportStatus.PENDING)[:6]:
            actions.save_report(report, head, "镇里已完成。", Progress.DONE, {})
            actions.transition(report, Step.SUBMIT, head, ReportStatus.DRAFT)
    with CaptureQueriesContext(connection) as many:
        client.get(path)
    assert len(many) == len(few)
