"""Each step of a report tells the people who act next: submitted → the reviewers, returned → the unit's
liaison, and never the person who took the step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from fazhi.notifications.models import Notification
from fazhi.orgs.models import User
from fazhi.supervision import actions
from fazhi.supervision.models import Progress, Report
from fazhi.supervision.workflow import Step
from fazhi.testing import Personas, make_plan

pytestmark = pytest.mark.django_db

DRAFT = "组织培训4期，人均62学时（内部草稿）。"


@pytest.fixture
def report(personas: Personas) -> Report:
    """The justice bureau's year-end report on the training task, which it leads (so the office reviews)."""
    plan = make_plan(personas.region_a, publish=True)
    training = plan.tasks.get(text__contains="60学时")
    report = Report.objects.get(plan=plan, unit=personas.justice_a, round__kind="year-end", task=training)
    with transaction.atomic():
        actions.save_report(report, personas.liaison, DRAFT, Progress.DONE, {})
    return report


@pytest.fixture
def step(django_capture_on_commit_callbacks: Any) -> Callable[..., None]:
    def take(report: Report, name: str, user: User, comment: str = "") -> None:
        report.refresh_from_db()
        # The listeners run after the step commits, as they do in a request.
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            actions.transition(report, name, user, report.status, comment=comment)

    return take


def inbox(user: User) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def test_a_liaison_asking_for_approval_tells_the_unit_head_only(
    personas: Personas, report: Report, step: Callable[..., None]
) -> None:
    step(report, Step.SUBMIT_FOR_APPROVAL, personas.liaison)

    [message] = inbox(personas.unit_head)
    assert message.kind == "approval"
    assert message.url == f"/supervision/reports/{report.pk}/"
    assert inbox(personas.liaison) == inbox(personas.coordinator) == []


def test_an_approved_report_tells_the_reviewers_and_not_the_head_who_approved(
    personas: Personas, report: Report, step: Callable[..., None]
) -> None:
    step(report, Step.SUBMIT_FOR_APPROVAL, personas.liaison)
    step(report, Step.APPROVE, personas.unit_head)

    [message] = inbox(personas.coordinator)
    assert message.kind == "submitted"
    assert "新城区司法局" in message.title
    # The unit head took the step: told nothing new; the other region's office hears nothing.
    assert [m.kind for m in inbox(personas.unit_head)] == ["approval"]
    assert inbox(personas.coordinator_b) == []


def test_a_head_submitting_directly_tells_the_office(
    personas: Personas, report: Report, step: Callable[..., None]
) -> None:
    step(report, Step.SUBMIT, personas.unit_head)
    assert [m.kind for m in inbox(personas.coordinator)] == ["submitted"]
    assert inbox(personas.unit_head) == []


def test_a_returned_report_tells_the_liaison_with_the_reason(
    personas: Personas, report: Report, step: Callable[..., None]
) -> None:
    step(report, Step.SUBMIT, personas.unit_head)
    step(report, Step.RETURN, personas.coordinator, comment="请补充培训签到表。")

    [message] = inbox(personas.liaison)
    assert message.kind == "returned"
    assert "请补充培训签到表。" in message.body
    assert [m.kind for m in inbox(personas.coordinator)] == ["submitted"]  # the actor is not told


def test_returning_twice_tells_the_liaison_twice(
    personas: Personas, report: Report, step: Callable[..., None]
) -> None:
    step(report, Step.SUBMIT, personas.unit_head)
    step(report, Step.RETURN, personas.coordinator, comment="请补充签到表。")
    step(report, Step.SUBMIT, personas.unit_head)
    step(report, Step.RETURN, personas.coordinator, comment="签到表不清晰。")

    assert [m.kind for m in inbox(personas.liaison)] == ["returned", "returned"]
    assert [m.kind for m in inbox(personas.coordinator)] == ["submitted", "submitted"]


def test_no_step_message_carries_the_drafts_text(
    personas: Personas, report: Report, step: Callable[..., None]
) -> None:
    step(report, Step.SUBMIT_FOR_APPROVAL, personas.liaison)
    step(report, Step.APPROVE, personas.unit_head)
    step(report, Step.ACCEPT, personas.coordinator)

    assert [m.kind for m in inbox(personas.liaison)] == ["accepted"]
    for message in Notification.objects.all():
        assert "内部草稿" not in message.title + message.body
