"""`fazhi gen-data`: the generated province has the promised shape, keeps the models' rules, is audited."""

from __future__ import annotations

import datetime
import io
import json
from collections import Counter
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse

from fazhi.audit import chain
from fazhi.audit.models import AuditEntry
from fazhi.audit.recorder import acting_as
from fazhi.enforcement import masking, publication
from fazhi.enforcement.deadlines import calendar_for
from fazhi.enforcement.models import Publication, PublicationRule
from fazhi.orgs import actions
from fazhi.orgs.models import Alias, Region, Role, RoleAssignment, Unit, UnitGroup, UnitKind, User
from fazhi.plans.models import Assignment, Plan, Task
from fazhi.supervision import workflow
from fazhi.supervision.deadlines import DueDateCalculator
from fazhi.supervision.models import Report, Round
from fazhi.supervision.rounds import plan_rounds
from fazhi.testing import Personas

pytestmark = pytest.mark.django_db

TINY = {
    "orgs.region": 12,  # 1 province, 2 cities, 3 counties, 2 towns each
    "orgs.unit": 36,  # 12 per county: 6 county-level, 3 per town
    "orgs.unitgroup": 21,  # 7 standard groups per county
    "orgs.unitgroup_members": 18,  # the leading group lists the 6 county-level units
    "orgs.alias": 18,  # 5 unit aliases and 1 group alias per county
    "orgs.user": 100,
    "orgs.roleassignment": 103,  # one role each, and each county's first coordinator is also a liaison
    "plans.plan": 3,  # one per county
    "plans.task": 90,  # 30 rows per plan: 3 areas, 6 sub-areas, 21 tasks
    "plans.assignment": 63,  # one lead unit per task
    "plans.taskunit": 63,
    "plans.deadline": 13,
    "supervision.round": 63,
    "supervision.report": 608,  # about ten per assignment a year
    "supervision.reportevent": 1062,  # as of NOW: later rounds have no thread yet
    "enforcement.officer": 216,  # 8 per enforcement body, 9 bodies per county
    "enforcement.power": 108,  # 4 per body
    "enforcement.discretionstandard": 54,  # one per penalty power
    "enforcement.case": 300,  # 100 per county
    "enforcement.case_investigators": 592,
    "enforcement.caseevent": 1633,
    "enforcement.caseevent_officers": 598,
    "enforcement.legalreview": 6,
    "enforcement.publication": 137,  # the decided penalties (the kinds a PublicationRule publishes)
}


# Reports' states depend on the day the generator runs: a fixed day keeps the counts fixed.
NOW = datetime.datetime(2026, 9, 15, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def generate(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("gen_data", "--scale", "tiny", "--json", *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def stored_counts() -> dict[str, int]:
    return {label: apps.get_model(label)._default_manager.count() for label in TINY}


def test_tiny_scale_writes_the_expected_rows_of_each_model() -> None:
    summary = generate()
    assert summary["rows"] == TINY
    assert stored_counts() == TINY
    assert Counter(Region.objects.values_list("level", flat=True)) == {
        "province": 1,
        "city": 2,
        "county": 3,
        "town": 6,
    }
    for county in Region.objects.filter(level="county"):
        kinds = set(Unit.objects.in_subtree(county).values_list("kind", flat=True))
        assert {
            UnitKind.GOVERNMENT_OFFICE,
            UnitKind.DEPARTMENT,
            UnitKind.STREET_OFFICE,
            UnitKind.TOWN,
        } <= kinds


def test_region_paths_are_exactly_what_region_save_computes() -> None:
    generate()
    stored = dict(Region.objects.values_list("pk", "path"))
    for region in Region.objects.select_related("parent"):
        assert region.path == f"{region.parent.path if region.parent else '/'}{region.pk}/"
    with acting_as(None, "test"), transaction.atomic():
        for region in Region.objects.order_by("path"):
            region.save()  # recomputes the path and writes it if it differs
        county = Region.objects.filter(level="county").get(code="990102")
        added = actions.save_region(None, name="新设街道", level="town", parent=county)
    assert dict(Region.objects.exclude(pk=added.pk).values_list("pk", "path")) == stored
    assert added.path == f"{stored[county.pk]}{added.pk}/"


def test_every_role_assignment_satisfies_the_scope_constraint() -> None:
    generate()
    constraint = next(c for c in RoleAssignment._meta.constraints if c.name == "role_scope_matches_role")
    assert not RoleAssignment.objects.exclude(constraint.condition).exists()  # type: ignore[attr-defined]
    coordinator_levels = set(
        RoleAssignment.objects.filter(role=Role.COORDINATOR).values_list("region__level", flat=True)
    )
    assert coordinator_levels == {"province", "city", "county"}
    assert not Unit.objects.exclude(role_assignments__role=Role.UNIT_HEAD).exists()
    assert not Unit.objects.exclude(role_assignments__role=Role.LIAISON).exists()
    admins = User.objects.filter(role_assignments__role=Role.ADMIN)
    assert admins.count() == 1
    assert all(admin.is_superuser and admin.is_staff for admin in admins)


def test_every_group_resolves_to_units_of_its_own_county() -> None:
    generate()
    for group in UnitGroup.objects.select_related("region"):
        members = list(group.resolve().select_related("region"))
        assert members, group.name
        assert all(unit.region.path.startswith(group.region.path) for unit in members), group.name
    streets = UnitGroup.objects.filter(name="各街道办事处").first()
    assert streets is not None
    assert {unit.kind for unit in streets.resolve()} == {UnitKind.STREET_OFFICE}


def test_the_former_legal_affairs_office_is_an_alias_of_the_justice_bureau_from_2019() -> None:
    generate()
    former = Alias.objects.filter(name__endswith="法制办").select_related("unit", "region")
    assert former.count() == 3
    for alias in former:
        assert alias.unit is not None
        assert alias.unit.name == f"{alias.region.name}司法局"
        assert alias.valid_from == datetime.date(2019, 1, 1)
    assert not Alias.objects.valid_on(datetime.date(2018, 6, 1)).filter(name__endswith="法制办").exists()


def names() -> tuple[list[str], list[str], list[tuple[str, str]]]:
    return (
        sorted(Region.objects.values_list("name", flat=True)),
        sorted(Unit.objects.values_list("name", flat=True)),
        sorted(User.objects.values_list("username", "full_name")),
    )


def test_the_same_seed_gives_the_same_names_and_another_seed_others() -> None:
    generate("--seed", "7", "--replace")  # nothing to replace yet: it just generates
    first = names()
    generate("--seed", "7", "--replace")
    assert names() == first
    generate("--seed", "8", "--replace")
    assert names()[0] != first[0]
    assert names()[2] != first[2]
    # Deadlines, hence rounds and reports, are drawn: another seed draws other ones.
    drawn = {"plans.deadline", "supervision.round", "supervision.report", "supervision.reportevent"}
    # Cases' kinds, bodies and progress are drawn too (the registers of officers and powers are not).
    drawn |= {"enforcement.case_investigators", "enforcement.caseevent", "enforcement.caseevent_officers",
              "enforcement.legalreview", "enforcement.publication"}  # fmt: skip
    shape = {k: v for k, v in TINY.items() if k not in drawn}
    assert {k: v for k, v in stored_counts().items() if k not in drawn} == shape


def test_a_second_run_without_replace_refuses_and_changes_nothing() -> None:
    generate()
    before = stored_counts()
    with pytest.raises(CommandError, match="--replace"):
        generate()
    assert stored_counts() == before


def test_replace_never_deletes_a_province_gen_data_did_not_make() -> None:
    with acting_as(None, "test"), transaction.atomic():
        actions.save_region(None, name="示范省", level="province")
    with pytest.raises(CommandError, match="--province"):
        generate("--replace")
    assert Region.objects.filter(name="示范省").count() == 1


def test_generation_and_replacement_are_audited_and_the_chain_verifies() -> None:
    generate()
    generate("--replace")
    assert chain.verify().ok
    created: Counter[str] = Counter()
    for entry in AuditEntry.objects.filter(action="bulk_create"):
        assert (entry.actor_id, entry.source) == (None, "gen-data")
        created[entry.target_type] += entry.changes_dict()["count"]
    assert created == {label: 2 * count for label, count in TINY.items()}
    deleted: Counter[str] = Counter()
    for entry in AuditEntry.objects.filter(action="bulk_delete"):
        deleted[entry.target_type] += entry.changes_dict()["count"]
    assert deleted == TINY
    users = AuditEntry.objects.filter(action="bulk_create", target_type="orgs.user").order_by("-seq").first()
    assert users is not None
    pks = User.objects.values_list("pk", flat=True)
    assert (users.changes_dict()["first_id"], users.changes_dict()["last_id"]) == (min(pks), max(pks))


def test_a_generated_coordinator_logs_in_and_sees_only_their_own_county(
    client: Client, personas: Personas
) -> None:
    summary = generate()
    username = summary["samples"]["coordinator county"]
    county = RoleAssignment.objects.get(user__username=username, role=Role.COORDINATOR).region
    assert county is not None
    response = client.post(reverse("login"), {"username": username, "password": summary["password"]})
    assert response.status_code == 302
    page = client.get(reverse("orgs:unit_list"))
    assert page.status_code == 200
    html = page.content.decode()
    own = Unit.objects.in_subtree(county)
    assert own.count() == 12
    assert all(unit.name in html for unit in own)
    others = Unit.objects.exclude(pk__in=own.values("pk"))
    assert others.filter(name=personas.justice_a.name).exists()
    assert [unit.name for unit in others if unit.name in html] == []


def test_every_report_thread_leads_to_the_report_s_status_step_by_step() -> None:
    generate()
    reports = Report.objects.prefetch_related("events")
    assert {r.status for r in reports} >= {"pending", "draft", "submitted", "returned", "accepted"}
    for report in reports:
        steps = sorted(report.events.all(), key=lambda e: (e.at, e.pk))
        status = "pending"
        for step in steps:
            assert step.from_status == status, report.pk
            assert (
                workflow.TRANSITIONS[(step.from_status, STEP_OF[step.kind, step.to_status])][1] == step.kind
            )
            assert step.at <= NOW
            status = step.to_status
        assert report.status == status
        assert report.times_returned == sum(step.kind == "returned" for step in steps)
        submitted = [step.at for step in steps if step.kind == "submitted"]
        assert report.first_submitted_at == (submitted[0] if submitted else None)
        assert report.submitted_at == (submitted[-1] if submitted else None)
        assert (report.accepted_at is not None) == (status == "accepted") == (report.quality is not None)


STEP_OF = {
    ("saved", "draft"): "save",
    ("saved", "returned"): "save",
    ("submitted", "submitted"): "submit",
    ("returned", "returned"): "return",
    ("accepted", "accepted"): "accept",
}


def test_report_dates_are_what_opening_the_round_computes() -> None:
    generate()
    for plan in Plan.objects.select_related("region"):
        calculator = DueDateCalculator(plan.region)
        specs = {(spec.kind, spec.name): spec for spec in plan_rounds(plan)}
        tasks = Task.objects.filter(plan=plan, kind="task").count()
        rounds = Round.objects.filter(plan=plan).prefetch_related("reports")
        assert {(r.kind, r.name) for r in rounds if r.kind != "manual"} == set(specs)
        for round_ in rounds:
            dates = calculator.dates(round_.period_end)
            assert round_.due_date == dates.due
            covered = specs[round_.kind, round_.name].task_ids if round_.kind != "manual" else None
            reports = list(round_.reports.all())
            assert len(reports) == (len(covered) if covered is not None else tasks)
            for report in reports:
                assert (report.due_date, report.remind_date, report.red_date) == (
                    dates.due,
                    dates.remind,
                    dates.red,
                )
                assert covered is None or report.task_id in covered


def test_reports_copy_their_assignment_s_unit_task_and_plan_and_past_rounds_have_overdue_ones() -> None:
    generate()
    assert not Report.objects.exclude(unit=F("assignment__unit")).exists()
    assert not Report.objects.exclude(task=F("assignment__task")).exists()
    assert not Report.objects.exclude(plan=F("task__plan")).exists()
    assert not Report.objects.filter(
        events__isnull=False, due_date__gt=NOW.date() + datetime.timedelta(30)
    ).exists()
    assert Report.objects.overdue(NOW.date()).exists()
    assert not Assignment.objects.exclude(
        unit__region__path__startswith=F("task__plan__region__path")
    ).exists()


def test_replace_deletes_the_plans_and_reports_too() -> None:
    generate()
    generate("--replace")
    assert stored_counts() == TINY


def test_publications_are_due_as_on_decided_says_and_masked_as_publish_does(client: Client) -> None:
    generate()
    published = 0
    for item in Publication.objects.select_related("case__unit__region", "rule"):
        case = item.case
        assert case.decided_on is not None
        assert case.decided_on == item.decided_on
        assert item.rule == PublicationRule.for_case(case.kind, case.unit.region, case.decided_on)
        assert item.due_on == publication.due_day(item.rule, item.decided_on, calendar_for(case.unit.region))
        if item.published_at is None:
            assert (item.status, item.facts) == ("pending", "")
            continue
        published += 1
        assert item.published_at.date() <= NOW.date()
        text = item.party_name + item.facts + item.decision
        assert case.party_id_number in text or case.party_type == "natural"
        if case.party_type == "natural":
            assert item.party_name == masking.mask_name(case.party_name)
            for raw in (case.party_name, case.party_id_number, case.party_phone):
                assert raw not in text
        assert case.party_phone not in text
    assert 0.8 * TINY["enforcement.publication"] < published < TINY["enforcement.publication"]
    shown = Publication.objects.public().order_by("-decided_on", "-published_at", "-pk").first()
    assert shown is not None
    html = client.get(reverse("portal:enforcement_decisions")).content.decode()
    assert shown.case_number in html


def test_stages_runs_only_the_first_stages_and_refuses_a_gap() -> None:
    summary = generate("--stages", "regions,units,directory,people")
    assert summary["rows"] == {k: v for k, v in TINY.items() if k.startswith("orgs.")}
    assert not Plan.objects.exists()
    with pytest.raises(CommandError, match="prefix"):
        generate("--replace", "--stages", "regions,plans")
