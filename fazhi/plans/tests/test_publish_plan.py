"""Publishing turns the draft into work: an assignment per unit and task, collective names expanded."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client

from fazhi.audit import chain
from fazhi.plans import actions
from fazhi.plans.models import Assignment, PlanStatus, TaskKind
from fazhi.testing import Personas, make_plan

pytestmark = pytest.mark.django_db


def assignments(task: Any) -> set[tuple[str, str, str | None]]:
    return {
        (a.unit.name, a.role, a.via_group.name if a.via_group else None)
        for a in Assignment.objects.filter(task=task).select_related("unit", "via_group")
    }


def test_publishing_assigns_every_named_unit_and_expands_collective_names(personas: Personas) -> None:
    plan = make_plan(personas.region_a, publish=True)
    assert plan.status == PlanStatus.PUBLISHED
    assert plan.published_at is not None
    first, second, training = plan.tasks.filter(kind=TaskKind.TASK).order_by("position")
    # 区司法局 is named, and is also an enforcement body inside 各行政执法单位: it is assigned once.
    assert assignments(first) == {
        ("新城区司法局", "responsible", None),
        ("保合少镇人民政府", "responsible", "各行政执法单位"),
    }
    assert assignments(second) == {("新城区司法局", "lead", None)}
    assert assignments(training) == {
        ("新城区司法局", "lead", None),
        ("保合少镇人民政府", "responsible", "各行政执法单位"),
    }


def test_confirmed_non_units_get_no_assignment(personas: Personas) -> None:
    plan = make_plan(personas.region_a, publish=True)
    assert not Assignment.objects.filter(task__plan=plan, unit__name__contains="海洋").exists()
    assert Assignment.objects.filter(task__plan=plan).count() == 5


def test_a_published_plan_cannot_be_published_twice(personas: Personas) -> None:
    plan = make_plan(personas.region_a, publish=True)
    with pytest.raises(ValidationError), transaction.atomic():
        actions.publish(plan)
    assert Assignment.objects.filter(task__plan=plan).count() == 5


def test_a_refused_publish_leaves_the_draft_untouched(personas: Personas) -> None:
    plan = make_plan(personas.region_a)
    with pytest.raises(ValidationError), transaction.atomic():
        actions.publish(plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert not Assignment.objects.exists()


def test_publishing_is_recorded_and_the_chain_holds(personas: Personas) -> None:
    plan = make_plan(personas.region_a, publish=True)
    from fazhi.audit.models import AuditEntry

    assert AuditEntry.objects.filter(target_type="plans.assignment", action="create").count() == 5
    status_change = AuditEntry.objects.filter(
        target_type="plans.plan", target_id=str(plan.pk), action="update"
    )
    assert status_change.filter(changes__contains='"status":["draft","published"]').exists()
    assert chain.verify().ok


def test_units_see_a_published_plan_but_never_a_draft(personas: Personas) -> None:
    draft = make_plan(personas.region_a)
    published = make_plan(personas.region_a, publish=True)
    client = Client()
    client.force_login(personas.liaison)
    assert client.get(f"/plans/{published.pk}/").status_code == 200
    assert client.get(f"/plans/{draft.pk}/").status_code == 404
    page = client.get("/plans/").content.decode()
    assert f"/plans/{published.pk}/" in page
    assert f"/plans/{draft.pk}/" not in page


def test_the_publish_button_publishes_and_reports_problems_in_chinese(personas: Personas) -> None:
    plan = make_plan(personas.region_a)
    client = Client()
    client.force_login(personas.coordinator)
    page = client.post(f"/plans/{plan.pk}/publish/", follow=True).content.decode()
    assert "区海洋局" in page
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    with transaction.atomic():
        actions.ignore_name(plan, "区海洋局")
    client.post(f"/plans/{plan.pk}/publish/")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
