"""The office corrects the parser before publishing: text, units, splits, merges, unknown names."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client

from fazhi.orgs.models import Alias
from fazhi.orgs.names import resolve
from fazhi.plans import actions
from fazhi.plans.models import Plan, Resolution, Task, TaskKind, TaskUnit
from fazhi.testing import Personas, make_plan

pytestmark = pytest.mark.django_db


def tasks(plan: Plan) -> list[Task]:
    return list(plan.tasks.filter(kind=TaskKind.TASK).order_by("position"))


def units(task: Task) -> list[tuple[str, str, str]]:
    return [(u.role, u.name, u.resolution) for u in task.named_units.order_by("position")]


def test_a_draft_reads_units_with_their_roles(personas: Personas) -> None:
    plan = make_plan(personas.region_a)
    training = tasks(plan)[2]
    assert units(training) == [
        ("lead", "区司法局", "unit"),
        ("responsible", "各行政执法单位", "group"),
        ("cooperating", "区海洋局", "unknown"),
    ]


def test_editing_the_text_reads_targets_and_deadlines_again(personas: Personas, client: Client) -> None:
    plan = make_plan(personas.region_a)
    task = tasks(plan)[1]
    client.force_login(personas.coordinator)
    response = client.post(
        f"/plans/tasks/{task.pk}/edit/",
        {
            "title": "强化考核",
            "text": "纳入考核体系,12月底前完成,考核覆盖率达100%。",
            "units": "责任单位:区司法局",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    task.refresh_from_db()
    assert task.title == "强化考核"
    assert [(d.text, str(d.due_date)) for d in task.deadlines.all()] == [("12月底前", "2025-12-31")]
    assert [(t.comparator, int(t.value), t.measure) for t in task.targets.all()] == [(">=", 100, "%")]


def test_units_typed_as_a_plan_writes_them_replace_the_old_ones(personas: Personas) -> None:
    plan = make_plan(personas.region_a)
    task = tasks(plan)[0]
    roles = actions.parse_units_field("区司法局牵头,区发展和改革委员会配合")
    with transaction.atomic():
        actions.set_task_units(task, roles)
    assert units(task) == [("lead", "区司法局", "unit"), ("cooperating", "区发展和改革委员会", "unknown")]


def test_splitting_a_task_keeps_its_units_on_both_parts(personas: Personas) -> None:
    plan = make_plan(personas.region_a)
    task = tasks(plan)[2]
    original = task.text
    at = original.index(",") + 1
    with transaction.atomic():
        new = actions.split_task(task, at)
    task.refresh_from_db()
    assert (task.text, new.text) == (original[:at].strip(), original[at:].strip())
    assert (
        [u[1] for u in units(new)]
        == [u[1] for u in units(task)]
        == ["区司法局", "各行政执法单位", "区海洋局"]
    )
    assert [t.measure for t in task.targets.all()] == ["学时"]
    assert [t.measure for t in new.targets.all()] == ["%"]
    assert [t.position for t in tasks(plan)] == sorted(t.position for t in tasks(plan))


def test_merging_joins_texts_and_keeps_the_strongest_role(personas: Personas) -> None:
    plan = make_plan(personas.region_a)
    first, second, _third = tasks(plan)
    with transaction.atomic():
        actions.merge_with_next(first)
    remaining = tasks(plan)
    assert len(remaining) == 2
    assert second.text.split("。")[0] in remaining[0].text
    # 区司法局 was one of two responsible units of the first task and the lead of the second: lead wins.
    assert ("lead", "区司法局", "unit") in units(remaining[0])


def test_mapping_an_unknown_name_resolves_it_everywhere_and_remembers_an_alias(personas: Personas) -> None:
    plan = make_plan(personas.region_a)
    with transaction.atomic():
        count = actions.map_name(plan, "区海洋局", unit=personas.reform_a)
    assert count == 1
    assert not TaskUnit.objects.filter(task__plan=plan, resolution=Resolution.UNKNOWN).exists()
    assert Alias.objects.filter(region=personas.region_a, name="区海洋局", unit=personas.reform_a).exists()
    assert resolve(personas.region_a, "区海洋局").unit == personas.reform_a


def test_unknown_names_block_publishing_until_each_is_settled(personas: Personas) -> None:
    plan = make_plan(personas.region_a)
    problems = actions.publish_problems(plan)
    assert len(problems) == 1
    assert "区海洋局" in problems[0]
    with pytest.raises(ValidationError), transaction.atomic():
        actions.publish(plan)
    with transaction.atomic():
        actions.ignore_name(plan, "区海洋局")
    assert actions.publish_problems(plan) == []


def test_a_task_left_without_units_blocks_publishing(personas: Personas) -> None:
    plan = make_plan(personas.region_a)
    with transaction.atomic():
        actions.ignore_name(plan, "区海洋局")
        actions.set_task_units(tasks(plan)[1], [])
    assert any("(二)" in problem for problem in actions.publish_problems(plan))


def test_a_published_plan_can_no_longer_be_edited(personas: Personas, client: Client) -> None:
    plan = make_plan(personas.region_a, publish=True)
    task = tasks(plan)[0]
    with pytest.raises(ValidationError), transaction.atomic():
        actions.update_task(task, "x", "y")
    client.force_login(personas.coordinator)
    assert client.post(f"/plans/tasks/{task.pk}/edit/", {"title": "x", "text": "y"}).status_code == 403


def test_the_review_page_shows_the_source_beside_the_ledger(personas: Personas, client: Client) -> None:
    plan = make_plan(personas.region_a)
    client.force_login(personas.coordinator)
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    for task in tasks(plan):
        assert f'id="src-{task.pk}"' in page
        assert f'data-source="src-{task.pk}"' in page
    assert "区海洋局" in page
