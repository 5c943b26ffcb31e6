"""A report's life: drafted in the unit, approved by its head, returned by the office, revised, accepted."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client

from fazhi.supervision import actions
from fazhi.supervision.models import EventKind, Progress, Report, ReportStatus
from fazhi.supervision.workflow import Step
from fazhi.testing import Personas, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(personas: Personas) -> Report:
    """The justice bureau's year-end report on the training task (it leads it; the town is responsible)."""
    plan = make_plan(personas.region_a, publish=True)
    training = plan.tasks.get(text__contains="60学时")
    return Report.objects.get(plan=plan, unit=personas.justice_a, round__kind="year-end", task=training)


def step(report: Report, name: str, user: Any, comment: str = "", quality: int | None = None) -> Report:
    report.refresh_from_db()
    return actions.transition(report, name, user, report.status, comment=comment, quality=quality)


def save(
    report: Report, user: Any, text: str = "组织培训4期,人均62学时。", progress: str = Progress.DONE
) -> Report:
    target = report.task.targets.get(measure="学时")
    with transaction.atomic():
        return actions.save_report(report, user, text, progress, {target.pk: "62"})


def test_the_full_thread_from_draft_to_accepted(personas: Personas, report: Report) -> None:
    save(report, personas.liaison)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    with transaction.atomic():
        step(report, Step.SUBMIT_FOR_APPROVAL, personas.liaison)
        step(report, Step.APPROVE, personas.unit_head)
        step(report, Step.RETURN, personas.coordinator, comment="请补充培训签到表。")
    report.refresh_from_db()
    assert (report.status, report.times_returned) == (ReportStatus.RETURNED, 1)
    save(report, personas.liaison, text="组织培训4期,人均62学时,附签到表。")
    with transaction.atomic():
        step(report, Step.SUBMIT_FOR_APPROVAL, personas.liaison)
        step(report, Step.APPROVE, personas.unit_head)
        step(report, Step.ACCEPT, personas.coordinator, quality=4)
    report.refresh_from_db()
    assert (report.status, report.quality) == (ReportStatus.ACCEPTED, 4)
    thread = [(e.kind, e.to_status) for e in report.events.order_by("at", "pk")]
    assert thread == [
        (EventKind.SAVED, ReportStatus.DRAFT),
        (EventKind.SUBMITTED, ReportStatus.AWAITING_APPROVAL),
        (EventKind.APPROVED, ReportStatus.SUBMITTED),
        (EventKind.RETURNED, ReportStatus.RETURNED),
        (EventKind.SUBMITTED, ReportStatus.AWAITING_APPROVAL),
        (EventKind.APPROVED, ReportStatus.SUBMITTED),
        (EventKind.ACCEPTED, ReportStatus.ACCEPTED),
    ]
    returned = report.events.get(kind=EventKind.RETURNED)
    assert returned.comment == "请补充培训签到表。"
    assert returned.snapshot["text"] == "组织培训4期,人均62学时。"
    assert report.first_submitted_at is not None
    assert report.submitted_at is not None
    assert report.first_submitted_at < report.submitted_at


def test_the_unit_head_submits_directly(personas: Personas, report: Report) -> None:
    save(report, personas.unit_head)
    assert actions.submit_step(report, personas.unit_head) == Step.SUBMIT
    assert actions.submit_step(report, personas.liaison) == Step.SUBMIT_FOR_APPROVAL


def test_only_the_right_people_take_each_step(personas: Personas, report: Report) -> None:
    with pytest.raises(PermissionDenied), transaction.atomic():
        save(report, personas.liaison_other_unit)
    save(report, personas.liaison)
    with transaction.atomic():
        step(report, Step.SUBMIT_FOR_APPROVAL, personas.liaison)
    for outsider in (personas.liaison, personas.coordinator, personas.coordinator_b, personas.leader):
        with pytest.raises(PermissionDenied), transaction.atomic():
            step(report, Step.APPROVE, outsider)
    with transaction.atomic():
        step(report, Step.APPROVE, personas.unit_head)
    # The justice bureau leads this task: its own report is reviewed by the office, not by itself.
    for outsider in (personas.unit_head, personas.liaison, personas.leader, personas.coordinator_b):
        with pytest.raises(PermissionDenied), transaction.atomic():
            step(report, Step.ACCEPT, outsider)


def test_a_step_the_table_does_not_allow_is_refused(personas: Personas, report: Report) -> None:
    with pytest.raises(ValidationError, match="不能"), transaction.atomic():
        step(report, Step.ACCEPT, personas.coordinator)
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING


def test_returning_needs_a_comment_and_submitting_needs_text(personas: Personas, report: Report) -> None:
    with pytest.raises(ValidationError), transaction.atomic():
        step(report, Step.SUBMIT, personas.unit_head)
    save(report, personas.unit_head)
    with transaction.atomic():
        step(report, Step.SUBMIT, personas.unit_head)
    with pytest.raises(ValidationError), transaction.atomic():
        step(report, Step.RETURN, personas.coordinator, comment="  ")


def test_acting_on_what_someone_else_has_just_changed_is_refused(personas: Personas, report: Report) -> None:
    save(report, personas.unit_head)
    with transaction.atomic():
        step(report, Step.SUBMIT, personas.unit_head)
        actions.transition(report, Step.ACCEPT, personas.coordinator, ReportStatus.SUBMITTED)
    with pytest.raises(actions.StaleReport), transaction.atomic():
        actions.transition(report, Step.RETURN, personas.admin, ReportStatus.SUBMITTED, comment="重写")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert report.events.filter(kind=EventKind.ACCEPTED).count() == 1


def test_drafts_stay_inside_the_unit(personas: Personas, report: Report) -> None:
    save(report, personas.liaison)
    for person, visible in [
        (personas.liaison, True), (personas.unit_head, True), (personas.coordinator, False),
        (personas.leader, False), (personas.liaison_other_unit, False), (personas.coordinator_b, False),
    ]:  # fmt: skip
        client = Client()
        client.force_login(person)
        status = client.get(f"/supervision/reports/{report.pk}/").status_code
        assert (status == 200) == visible, person
    with transaction.atomic():
        step(report, Step.SUBMIT_FOR_APPROVAL, personas.liaison)
        step(report, Step.APPROVE, personas.unit_head)
    client = Client()
    client.force_login(personas.coordinator)
    assert client.get(f"/supervision/reports/{report.pk}/").status_code == 200


def test_the_pages_take_a_report_through_its_life(personas: Personas, report: Report) -> None:
    liaison, head, office = Client(), Client(), Client()
    liaison.force_login(personas.liaison)
    head.force_login(personas.unit_head)
    office.force_login(personas.coordinator)
    target = report.task.targets.get(measure="学时")
    url = f"/supervision/reports/{report.pk}/"
    liaison.post(
        url + "save/",
        {"progress": "done", "text": "完成培训。", f"target_{target.pk}": "61", "then": "submit"},
    )
    head.post(url + "step/", {"step": "approve", "seen_status": "awaiting_approval"})
    page = office.get("/supervision/review/").content.decode()
    assert url in page
    office.post(url + "step/", {"step": "accept", "seen_status": "submitted", "quality": "5"})
    report.refresh_from_db()
    assert (report.status, report.quality, str(report.values.get().value.normalize())) == (
        "accepted",
        5,
        "61",
    )
