"""The list and dashboard pages run the same number of queries with N rows as with 3N.

`grow` adds units to region A's sample plan, each with assignments on two tasks and a report for every round:
accepted and rated, drafts past their due date, returned, submitted and pending reports, so every figure,
card and list on the pages has more rows to show.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fazhi.audit.recorder import acting_as
from fazhi.orgs import actions as org_actions
from fazhi.orgs.models import Role
from fazhi.plans.models import Assignment, Plan, Task, TaskKind
from fazhi.supervision.models import Progress, Report, ReportStatus, Round
from fazhi.supervision.tests.test_dashboard_figures import NOW, at, known_plan
from fazhi.testing import Personas

pytestmark = pytest.mark.django_db

STATES: list[dict[str, Any]] = [
    {"status": ReportStatus.ACCEPTED, "progress": Progress.DONE, "quality": 4,
     "first_submitted_at": at(3, 20), "accepted_at": at(4, 1)},
    {"status": ReportStatus.DRAFT, "text": "草稿"},
    {"status": ReportStatus.RETURNED, "first_submitted_at": at(6, 1), "times_returned": 1},
    {"status": ReportStatus.SUBMITTED, "first_submitted_at": at(6, 2)},
    {"status": ReportStatus.PENDING},
]  # fmt: skip


def grow(personas: Personas, plan: Plan, units: int) -> None:
    """Add `units` units in region A (the persona `liaison` liaises for them too) with reports in every round,
    and as many extra rounds with a report from each of 司法局's assignments."""
    tasks = list(Task.objects.filter(plan=plan, kind=TaskKind.TASK).order_by("position")[:2])
    rounds = list(Round.objects.filter(plan=plan))
    start = Assignment.objects.filter(task__plan=plan).count()
    with acting_as(None, "test"), transaction.atomic():
        for number in range(start, start + units):
            unit = org_actions.save_unit(
                None, region=personas.region_a, name=f"测试单位{number:03d}", kind="department"
            )
            org_actions.grant_role(personas.liaison, Role.LIAISON, unit=unit)
            for task in tasks:
                assignment = Assignment.objects.create(task=task, unit=unit, role="responsible")
                Report.objects.bulk_create(
                    Report(assignment=assignment, round=r, unit=unit, task=task, plan=plan,
                           due_date=r.due_date, remind_date=r.due_date - datetime.timedelta(days=5),
                           red_date=r.due_date + datetime.timedelta(days=7),
                           **STATES[(number + i) % len(STATES)])
                    for i, r in enumerate(rounds)
                )  # fmt: skip
        # Extra rounds with a report from each of 司法局's assignments, so its own page has more rows too.
        own = list(Assignment.objects.filter(task__plan=plan, unit=personas.justice_a))
        for number in range(start, start + units):
            due = datetime.date(2025, 5, 1) + datetime.timedelta(days=number)
            extra = Round.objects.create(
                plan=plan, kind="manual", name=f"专项{number}", period_end=due, due_date=due
            )
            Report.objects.bulk_create(
                Report(assignment=a, round=extra, unit=a.unit, task=a.task, plan=plan, due_date=due,
                       remind_date=due - datetime.timedelta(days=5),
                       red_date=due + datetime.timedelta(days=20),
                       **STATES[(number + i) % len(STATES)])
                for i, a in enumerate(own)
            )  # fmt: skip


def count_queries(person: Any, url: str) -> int:
    client = Client()
    client.force_login(person)
    client.get("/home/")  # the session and the user are loaded once before counting
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


PAGES = [
    ("coordinator", "/supervision/dashboard/?plan={plan}"),
    ("leader", "/supervision/dashboard/?plan={plan}"),
    ("coordinator", "/supervision/overdue/?plan={plan}"),
    ("coordinator", "/supervision/overdue/?plan={plan}&card=yellow"),
    ("coordinator", "/supervision/assessment/?plan={plan}"),
    ("liaison", "/supervision/units/{unit}/?plan={plan}"),
    ("coordinator", "/supervision/units/{unit}/?plan={plan}"),
    ("liaison", "/supervision/my/?show=all"),
    ("coordinator", "/supervision/review/"),
]


@pytest.mark.parametrize(("persona", "page"), PAGES)
def test_the_page_runs_the_same_queries_with_three_times_the_rows(
    personas: Personas, persona: str, page: str
) -> None:
    plan = known_plan(personas)
    person = getattr(personas, persona)
    url = page.format(plan=plan.pk, unit=personas.justice_a.pk)
    grow(personas, plan, 4)
    few = count_queries(person, url)
    grow(personas, plan, 8)
    assert Report.objects.filter(plan=plan, unit=personas.justice_a).count() == 7 + 3 * 12
    assert count_queries(person, url) == few
