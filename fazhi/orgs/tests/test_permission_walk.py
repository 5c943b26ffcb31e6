"""Walk every URL as every persona, a second region included: nobody reaches what their role does not grant.

Each URL is declared below with the personas allowed to use it. A URL added to the project without a
declaration fails `test_every_url_is_declared`, so no page escapes the walk.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fazhi.audit.models import AuditEntry, AuditHead
from fazhi.audit.recorder import acting_as
from fazhi.enforcement import actions as case_actions
from fazhi.enforcement import case_evidence
from fazhi.enforcement.models import CaseImport
from fazhi.enforcement.tests.publishing import walk_publications
from fazhi.enforcement.tests.registering import walk_registers
from fazhi.enforcement.tests.reviewing import make_walk_objects
from fazhi.notifications.actions import notify
from fazhi.plans.models import PlanImport
from fazhi.reports import actions as report_actions
from fazhi.reports.access import EntryTarget
from fazhi.reports.indicators import Scope
from fazhi.reports.models import Indicator
from fazhi.supervision import actions as supervision_actions
from fazhi.supervision import chasing, scoring_actions
from fazhi.supervision.models import Report, SupervisionRules
from fazhi.testing import Personas, make_plan

pytestmark = pytest.mark.django_db

EVERYONE = {"admin", "coordinator", "leader", "unit_head", "liaison", "liaison_other_unit", "coordinator_b",
            "liaison_b", "no_role", "public"}  # fmt: skip
SIGNED_IN = EVERYONE - {"public"}
# Personas whose roles reach region A's directory, and any region's directory (each their own).
DIRECTORY_A = {"admin", "coordinator", "leader", "unit_head", "liaison", "liaison_other_unit"}
DIRECTORY_ANY = DIRECTORY_A | {"coordinator_b", "liaison_b"}
MANAGER_A = {"admin", "coordinator"}
MANAGER_ANY = MANAGER_A | {"coordinator_b"}
ADMIN = {"admin"}
# A submitted report of 新城区司法局: its own people, the office and the region's leader read it.
REPORT_READERS = {"admin", "coordinator", "leader", "unit_head", "liaison"}
UNIT_A = {"unit_head", "liaison"}
# The office's dashboards: coordinators and leaders, each of their own region's plans.
OFFICE_A = {"admin", "coordinator", "leader"}
ENTERED_CODE = "executive_meeting_law_study"
PUBLICATION_STAFF_A = {"admin", "unit_head", "liaison"}
CASE_READERS = {"admin", "coordinator", "leader", "unit_head", "liaison"}
# The registers' lists: each office, leader and enforcement body's staff, of their own region or body.
REGISTER_READERS = CASE_READERS | {"coordinator_b", "liaison_b"}
# A unit's own annual report: its staff, and the office and leader of its region.
UNIT_REPORT_READERS = OFFICE_A | UNIT_A
# Supervision notices: the office that issues them and the people of the units that receive them.
NOTICE_ROLES = {
    "admin",
    "coordinator",
    "coordinator_b",
    "unit_head",
    "liaison",
    "liaison_other_unit",
    "liaison_b",
}


@dataclass
class Rule:
    allowed: set[str]
    kwargs: Callable[[Any], dict[str, Any]] = lambda p: {}
    method: str = "GET"
    data: Callable[[Any], dict[str, Any]] = lambda p: {}
    # The same URL for an object of region B: everyone on region A's side must be refused.
    other_region_kwargs: Callable[[Any], dict[str, Any]] | None = None
    query: Callable[[Any], str] = lambda p: ""
    other_region_query: Callable[[Any], str] | None = None


def _audit_seq_in_region_a(p: Personas) -> dict[str, Any]:
    entry = AuditEntry.objects.filter(region_id=p.region_a.pk).order_by("seq").first()
    assert entry is not None
    return {"seq": entry.seq}


def _audit_seq_in_region_b(p: Personas) -> dict[str, Any]:
    entry = AuditEntry.objects.filter(region_id=p.region_b.pk).order_by("seq").first()
    assert entry is not None
    return {"seq": entry.seq}


def _none(p: Personas) -> dict[str, Any]:
    return {}


def _plan_query(side: str) -> Callable[[Any], str]:
    return lambda p: f"?plan={getattr(p, f'plan_{side}').pk}"


def _report_year(side: str, **more: int) -> Callable[[Any], dict[str, Any]]:
    return lambda p: {
        "region_pk": getattr(p, f"region_{side}").pk,
        "year": getattr(p, f"plan_{side}").year,
        **more,
    }


def _unit(side: str, with_year: bool = False, **more: int) -> Callable[[Any], dict[str, Any]]:
    def kwargs(p: Personas) -> dict[str, Any]:
        found = {"unit_pk": getattr(p, f"justice_{side}").pk, **more}
        return found | {"year": getattr(p, f"plan_{side}").year} if with_year else found

    return kwargs


def _pk(attr: str) -> Callable[[Any], dict[str, Any]]:
    return lambda p: {"pk": getattr(p, attr).pk}


def _sample(side: str) -> Callable[[Any], dict[str, Any]]:
    return lambda p: {
        "pk": getattr(p, f"review_round_{side}").pk,
        "sample_pk": getattr(p, f"review_sample_{side}").pk,
    }


def _case(side: str) -> Callable[[Any], dict[str, Any]]:
    return lambda p: {"pk": getattr(p, f"case_{side}").pk}


RULES: dict[str, Rule] = {
    "portal:index": Rule(EVERYONE),
    "healthz": Rule(EVERYONE),
    "login": Rule(EVERYONE),
    "logout": Rule(EVERYONE, method="POST"),
    "password_change": Rule(SIGNED_IN),
    "password_change_done": Rule(SIGNED_IN),
    "home": Rule(SIGNED_IN),
    "orgs:region_list": Rule(DIRECTORY_ANY),
    "orgs:region_detail": Rule(
        DIRECTORY_A, lambda p: {"pk": p.region_a.pk}, other_region_kwargs=lambda p: {"pk": p.region_b.pk}
    ),
    "orgs:unit_list": Rule(DIRECTORY_ANY),
    "orgs:unit_create": Rule(MANAGER_ANY),
    "orgs:unit_detail": Rule(
        DIRECTORY_A, lambda p: {"pk": p.justice_a.pk}, other_region_kwargs=lambda p: {"pk": p.justice_b.pk}
    ),
    "orgs:unit_edit": Rule(
        MANAGER_A, lambda p: {"pk": p.justice_a.pk}, other_region_kwargs=lambda p: {"pk": p.justice_b.pk}
    ),
    "orgs:group_list": Rule(DIRECTORY_ANY),
    "orgs:group_create": Rule(MANAGER_ANY),
    "orgs:group_detail": Rule(DIRECTORY_A, lambda p: {"pk": p.enforcement_group_a.pk}),
    "orgs:group_edit": Rule(MANAGER_A, lambda p: {"pk": p.enforcement_group_a.pk}),
    "orgs:alias_list": Rule(DIRECTORY_ANY),
    "orgs:alias_create": Rule(MANAGER_ANY),
    "orgs:alias_edit": Rule(
        MANAGER_A,
        lambda p: {"pk": p.justice_a.aliases.get().pk},
        other_region_kwargs=lambda p: {"pk": p.justice_b.aliases.get().pk},
    ),
    "orgs:alias_delete": Rule(
        MANAGER_A,
        lambda p: {"pk": p.justice_a.aliases.get().pk},
        method="POST",
        other_region_kwargs=lambda p: {"pk": p.justice_b.aliases.get().pk},
    ),
    "orgs:import": Rule(MANAGER_ANY),
    "orgs:import_template": Rule(MANAGER_ANY),
    "orgs:export": Rule(
        DIRECTORY_A,
        query=lambda p: f"?region={p.region_a.pk}",
        other_region_kwargs=lambda p: {},
        other_region_query=lambda p: f"?region={p.region_b.pk}",
    ),
    "orgs:people_list": Rule(MANAGER_ANY),
    "orgs:person_create": Rule(MANAGER_ANY),
    "orgs:person_detail": Rule(
        MANAGER_A, lambda p: {"pk": p.liaison.pk}, other_region_kwargs=lambda p: {"pk": p.liaison_b.pk}
    ),
    "orgs:person_grant_role": Rule(
        MANAGER_A,
        lambda p: {"pk": p.liaison.pk},
        method="POST",
        data=lambda p: {"role": "liaison", "unit": p.reform_a.pk},
        other_region_kwargs=lambda p: {"pk": p.liaison_b.pk},
    ),
    "orgs:person_revoke_role": Rule(
        MANAGER_A,
        lambda p: {"pk": p.liaison.pk, "assignment_pk": p.liaison.role_assignments.get().pk},
        method="POST",
        other_region_kwargs=lambda p: {
            "pk": p.liaison_b.pk,
            "assignment_pk": p.liaison_b.role_assignments.get().pk,
        },
    ),
    "orgs:person_reset_password": Rule(
        MANAGER_A,
        lambda p: {"pk": p.liaison.pk},
        method="POST",
        data=lambda p: {"password": "Reset-pass-2025!"},
        other_region_kwargs=lambda p: {"pk": p.liaison_b.pk},
    ),
    "orgs:person_set_active": Rule(
        MANAGER_A,
        lambda p: {"pk": p.liaison.pk},
        method="POST",
        data=lambda p: {"active": "0"},
        other_region_kwargs=lambda p: {"pk": p.liaison_b.pk},
    ),
    "plans:plan_list": Rule(DIRECTORY_ANY),
    "plans:plan_import": Rule(MANAGER_ANY),
    "plans:import_status": Rule(
        MANAGER_A, lambda p: {"pk": p.job_a.pk}, other_region_kwargs=lambda p: {"pk": p.job_b.pk}
    ),
    "plans:plan_detail": Rule(
        DIRECTORY_A, lambda p: {"pk": p.plan_a.pk}, other_region_kwargs=lambda p: {"pk": p.plan_b.pk}
    ),
    "plans:plan_ledger": Rule(
        DIRECTORY_A, lambda p: {"pk": p.plan_a.pk}, other_region_kwargs=lambda p: {"pk": p.plan_b.pk}
    ),
    "plans:plan_links": Rule(
        MANAGER_A, lambda p: {"pk": p.plan_a.pk}, other_region_kwargs=lambda p: {"pk": p.plan_b.pk}
    ),
    "plans:name_map": Rule(
        MANAGER_A,
        lambda p: {"pk": p.draft_a.pk},
        method="POST",
        data=lambda p: {"name": "区海洋局", "target": f"u-{p.reform_a.pk}"},
        other_region_kwargs=lambda p: {"pk": p.draft_b.pk},
    ),
    "plans:name_ignore": Rule(
        MANAGER_A,
        lambda p: {"pk": p.draft_a.pk},
        method="POST",
        data=lambda p: {"name": "区海洋局"},
        other_region_kwargs=lambda p: {"pk": p.draft_b.pk},
    ),
    "plans:plan_publish": Rule(
        MANAGER_A,
        lambda p: {"pk": p.draft_a.pk},
        method="POST",
        other_region_kwargs=lambda p: {"pk": p.draft_b.pk},
    ),
    "plans:plan_delete": Rule(
        MANAGER_A,
        lambda p: {"pk": p.draft_a.pk},
        method="POST",
        other_region_kwargs=lambda p: {"pk": p.draft_b.pk},
    ),
    "plans:task_edit": Rule(
        MANAGER_A,
        lambda p: {"pk": p.draft_task_a.pk},
        other_region_kwargs=lambda p: {"pk": p.draft_task_b.pk},
    ),
    "plans:task_split": Rule(
        MANAGER_A,
        lambda p: {"pk": p.draft_task_a.pk},
        method="POST",
        data=lambda p: {"at": "4"},
        other_region_kwargs=lambda p: {"pk": p.draft_task_b.pk},
    ),
    "plans:task_merge": Rule(
        MANAGER_A,
        lambda p: {"pk": p.draft_task_a.pk},
        method="POST",
        other_region_kwargs=lambda p: {"pk": p.draft_task_b.pk},
    ),
    "plans:task_link": Rule(
        MANAGER_A,
        lambda p: {"pk": p.plan_task_a.pk},
        method="POST",
        data=lambda p: {"parent_task": ""},
        other_region_kwargs=lambda p: {"pk": p.plan_task_b.pk},
    ),
    "supervision:my_tasks": Rule({"admin", "unit_head", "liaison", "liaison_other_unit", "liaison_b"}),
    "supervision:review_queue": Rule({"admin", "coordinator", "coordinator_b", "unit_head"}),
    "supervision:report_detail": Rule(
        REPORT_READERS, lambda p: {"pk": p.report_a.pk}, other_region_kwargs=lambda p: {"pk": p.report_b.pk}
    ),
    "supervision:report_save": Rule(
        UNIT_A,
        lambda p: {"pk": p.report_a.pk},
        method="POST",
        data=lambda p: {"progress": "done", "text": "x"},
        other_region_kwargs=lambda p: {"pk": p.report_b.pk},
    ),
    "supervision:report_step": Rule(
        MANAGER_A,
        lambda p: {"pk": p.report_a.pk},
        method="POST",
        data=lambda p: {"step": "accept", "seen_status": "submitted"},
        other_region_kwargs=lambda p: {"pk": p.report_b.pk},
    ),
    "supervision:evidence_upload": Rule(
        UNIT_A,
        lambda p: {"pk": p.report_a.pk},
        method="POST",
        other_region_kwargs=lambda p: {"pk": p.report_b.pk},
    ),
    "supervision:evidence_file": Rule(
        REPORT_READERS,
        lambda p: {"pk": p.evidence_a.pk},
        other_region_kwargs=lambda p: {"pk": p.evidence_b.pk},
    ),
    "supervision:evidence_delete": Rule(
        UNIT_A,
        lambda p: {"pk": p.evidence_a.pk},
        method="POST",
        other_region_kwargs=lambda p: {"pk": p.evidence_b.pk},
    ),
    "supervision:plan_rounds": Rule(
        DIRECTORY_A, lambda p: {"pk": p.plan_a.pk}, other_region_kwargs=lambda p: {"pk": p.plan_b.pk}
    ),
    "supervision:dashboard": Rule(
        OFFICE_A, query=_plan_query("a"), other_region_kwargs=_none, other_region_query=_plan_query("b")
    ),
    "supervision:dashboard_export": Rule(
        OFFICE_A, query=_plan_query("a"), other_region_kwargs=_none, other_region_query=_plan_query("b")
    ),
    "supervision:overdue": Rule(
        OFFICE_A, query=_plan_query("a"), other_region_kwargs=_none, other_region_query=_plan_query("b")
    ),
    "supervision:overdue_export": Rule(
        OFFICE_A, query=_plan_query("a"), other_region_kwargs=_none, other_region_query=_plan_query("b")
    ),
    "supervision:assessment": Rule(
        OFFICE_A, query=_plan_query("a"), other_region_kwargs=_none, other_region_query=_plan_query("b")
    ),
    "supervision:assessment_export": Rule(
        OFFICE_A, query=_plan_query("a"), other_region_kwargs=_none, other_region_query=_plan_query("b")
    ),
    "supervision:unit_dashboard": Rule(
        REPORT_READERS,
        lambda p: {"pk": p.justice_a.pk},
        other_region_kwargs=lambda p: {"pk": p.justice_b.pk},
    ),
    "supervision:unit_export": Rule(
        REPORT_READERS,
        lambda p: {"pk": p.justice_a.pk},
        other_region_kwargs=lambda p: {"pk": p.justice_b.pk},
    ),
    "supervision:score_adjust": Rule(
        MANAGER_A,
        lambda p: {"pk": p.plan_a.pk},
        method="POST",
        data=lambda p: {"unit": p.justice_a.pk, "points": "2", "reason": "表彰"},
        other_region_kwargs=lambda p: {"pk": p.plan_b.pk},
    ),
    "supervision:score_withdraw": Rule(
        MANAGER_A,
        lambda p: {"pk": p.adjustment_a.pk},
        method="POST",
        other_region_kwargs=lambda p: {"pk": p.adjustment_b.pk},
    ),
    "supervision:notice_list": Rule(NOTICE_ROLES),
    "supervision:notice_issue": Rule(MANAGER_A, method="POST", data=lambda p: {"unit": p.justice_a.pk}),
    "supervision:notice_docx": Rule(
        MANAGER_A | UNIT_A,
        lambda p: {"pk": p.notice_a.pk},
        other_region_kwargs=lambda p: {"pk": p.notice_b.pk},
    ),
    "supervision:circular_docx": Rule(
        MANAGER_A,
        query=lambda p: f"?region={p.region_a.pk}&month=2025-06",
        other_region_kwargs=_none,
        other_region_query=lambda p: f"?region={p.region_b.pk}&month=2025-06",
    ),
    "notifications:inbox": Rule(SIGNED_IN),
    "notifications:mark_read": Rule(
        {"liaison"},
        lambda p: {"pk": p.notification_a.pk},
        method="POST",
        other_region_kwargs=lambda p: {"pk": p.notification_b.pk},
    ),
    "notifications:mark_all_read": Rule(SIGNED_IN, method="POST"),
    "reports:years": Rule(
        OFFICE_A,
        lambda p: {"region_pk": p.region_a.pk},
        other_region_kwargs=lambda p: {"region_pk": p.region_b.pk},
    ),
    "reports:preview": Rule(
        OFFICE_A,
        lambda p: {"region_pk": p.region_a.pk, "year": p.plan_a.year},
        other_region_kwargs=lambda p: {"region_pk": p.region_b.pk, "year": p.plan_b.year},
    ),
    "reports:docx": Rule(
        OFFICE_A,
        lambda p: {"region_pk": p.region_a.pk, "year": p.plan_a.year},
        other_region_kwargs=lambda p: {"region_pk": p.region_b.pk, "year": p.plan_b.year},
    ),
    "reports:sources": Rule(
        OFFICE_A,
        lambda p: {"region_pk": p.region_a.pk, "year": p.plan_a.year, "number": 0},
        other_region_kwargs=lambda p: {"region_pk": p.region_b.pk, "year": p.plan_b.year, "number": 0},
    ),
    "reports:pdf": Rule(OFFICE_A, _report_year("a"), other_region_kwargs=_report_year("b")),
    "reports:unit_years": Rule(UNIT_REPORT_READERS, _unit("a"), other_region_kwargs=_unit("b")),
    "reports:unit_preview": Rule(UNIT_REPORT_READERS, _unit("a", True), other_region_kwargs=_unit("b", True)),
    "reports:unit_sources": Rule(
        UNIT_REPORT_READERS, _unit("a", True, number=0), other_region_kwargs=_unit("b", True, number=0)
    ),
    "reports:unit_docx": Rule(UNIT_REPORT_READERS, _unit("a", True), other_region_kwargs=_unit("b", True)),
    "reports:unit_pdf": Rule(UNIT_REPORT_READERS, _unit("a", True), other_region_kwargs=_unit("b", True)),
    "reports:draft": Rule(OFFICE_A, _report_year("a"), other_region_kwargs=_report_year("b")),
    "reports:draft_edit": Rule(MANAGER_A, _report_year("a"), other_region_kwargs=_report_year("b")),
    "reports:draft_regenerate": Rule(MANAGER_A, _report_year("a"), other_region_kwargs=_report_year("b")),
    "reports:draft_revisions": Rule(OFFICE_A, _report_year("a"), other_region_kwargs=_report_year("b")),
    "reports:draft_revision": Rule(
        OFFICE_A, _report_year("a", number=1), other_region_kwargs=_report_year("b", number=1)
    ),
    "reports:draft_restore": Rule(
        MANAGER_A,
        _report_year("a", number=1),
        method="POST",
        data=lambda p: {"base": 1},
        other_region_kwargs=_report_year("b", number=1),
    ),
    "reports:draft_publish": Rule(
        MANAGER_A,
        _report_year("a"),
        method="POST",
        data=lambda p: {"base": 1},
        other_region_kwargs=_report_year("b"),
    ),
    "reports:draft_withdraw": Rule(
        MANAGER_A, _report_year("a"), method="POST", other_region_kwargs=_report_year("b")
    ),
    "reports:draft_sources": Rule(
        OFFICE_A, _report_year("a", number=0), other_region_kwargs=_report_year("b", number=0)
    ),
    "reports:draft_docx": Rule(OFFICE_A, _report_year("a"), other_region_kwargs=_report_year("b")),
    "reports:draft_pdf": Rule(OFFICE_A, _report_year("a"), other_region_kwargs=_report_year("b")),
    # Reading an uploaded report against a plan: any office or leader (no region in the address; the plans
    # offered are the user's own).
    "reports:analysis": Rule(OFFICE_A | {"coordinator_b"}),
    # Indicators entered by hand with evidence: unit staff for their unit, the office for the region.
    "reports:entries": Rule(DIRECTORY_ANY, lambda p: {"year": p.plan_a.year}),
    "reports:entry": Rule(
        REPORT_READERS,
        lambda p: {"year": p.plan_a.year, "code": ENTERED_CODE},
        query=lambda p: f"?unit={p.justice_a.pk}",
        other_region_kwargs=lambda p: {"year": p.plan_b.year, "code": ENTERED_CODE},
        other_region_query=lambda p: f"?unit={p.justice_b.pk}",
    ),
    "reports:entry_evidence": Rule(
        REPORT_READERS,
        lambda p: {"pk": p.entry_evidence_a.pk},
        other_region_kwargs=lambda p: {"pk": p.entry_evidence_b.pk},
    ),
    "reports:entry_evidence_delete": Rule(
        UNIT_A,
        lambda p: {"pk": p.entry_evidence_a.pk},
        method="POST",
        other_region_kwargs=lambda p: {"pk": p.entry_evidence_b.pk},
    ),
    # Enforcement cases: the body's own people work them; the office and leaders of the region read them.
    "enforcement:case_list": Rule(DIRECTORY_ANY),
    # Those who work an enforcement body (reform_a, liaison_other_unit's unit, is none).
    "enforcement:case_open": Rule({"admin", "unit_head", "liaison", "liaison_b"}),
    "enforcement:case_detail": Rule(CASE_READERS, _case("a"), other_region_kwargs=_case("b")),
    # Importing a file of cases: those who manage the region; a job only in the regions they manage.
    "enforcement:case_import": Rule(MANAGER_ANY),
    "enforcement:case_import_template": Rule(MANAGER_ANY),
    "enforcement:case_import_status": Rule(
        MANAGER_A,
        lambda p: {"pk": p.case_import_a.pk},
        other_region_kwargs=lambda p: {"pk": p.case_import_b.pk},
    ),
    "enforcement:case_step": Rule(
        {"admin", "unit_head", "liaison"},
        _case("a"),
        method="POST",
        # Not possible yet: the page answers with the refusal and writes nothing.
        data=lambda p: {"step": "notify", "seen_status": "registered"},
        other_region_kwargs=_case("b"),
    ),
    "enforcement:case_evidence": Rule(
        CASE_READERS,
        lambda p: {"pk": p.case_a.pk, "sha256": p.case_sha_a},
        other_region_kwargs=lambda p: {"pk": p.case_b.pk, "sha256": p.case_sha_b},
    ),
    # A case's verifiable record is an extract of the audit trail: the body's people and the office, not the
    # leader, who reads the case but not the audit trail.
    "enforcement:case_bundle": Rule(CASE_READERS - {"leader"}, _case("a"), other_region_kwargs=_case("b")),
    # Case file reviews (案卷评查): the office runs them, units read their own published results.
    "enforcement:review_list": Rule(OFFICE_A | {"coordinator_b"}),
    "enforcement:review_new": Rule(MANAGER_ANY),
    # A region B coordinator posting region A is sent back with the form's refusal; nothing is written.
    "enforcement:review_checklist_standard": Rule(
        MANAGER_ANY, method="POST", data=lambda p: {"region": p.region_a.pk, "effective_from": "2025-01-01"}
    ),
    "enforcement:review_detail": Rule(
        OFFICE_A, _pk("review_round_a"), other_region_kwargs=_pk("review_round_b")
    ),
    # The round is published: the office is sent back with the refusal (302), others get 403/404.
    "enforcement:review_draw": Rule(
        MANAGER_A, _pk("review_round_a"), method="POST", other_region_kwargs=_pk("review_round_b")
    ),
    "enforcement:review_score": Rule(OFFICE_A, _sample("a"), other_region_kwargs=_sample("b")),
    "enforcement:review_publish": Rule(
        MANAGER_A, _pk("review_round_a"), method="POST", other_region_kwargs=_pk("review_round_b")
    ),
    "enforcement:review_results": Rule({"admin", "unit_head", "liaison", "liaison_other_unit", "liaison_b"}),
    "enforcement:review_result": Rule(
        {"admin"} | UNIT_A, _pk("review_round_a"), other_region_kwargs=_pk("review_round_b")
    ),
    # Transfers to the police (两法衔接): the body records them, the office reads them.
    "enforcement:transfer_list": Rule(SIGNED_IN - {"no_role"}),
    "enforcement:transfer_new": Rule(
        {"admin"} | UNIT_A,
        lambda p: {"case_pk": p.review_case_a.pk},
        other_region_kwargs=lambda p: {"case_pk": p.review_case_b.pk},
    ),
    "enforcement:transfer_detail": Rule(
        OFFICE_A | UNIT_A, _pk("transfer_a"), other_region_kwargs=_pk("transfer_b")
    ),
    "enforcement:transfer_reply": Rule(
        {"admin"} | UNIT_A,
        _pk("transfer_a"),
        method="POST",
        data=lambda p: {"accepted": "1", "replied_on": "2025-06-01"},
        other_region_kwargs=_pk("transfer_b"),
    ),
    "enforcement:transfer_outcome": Rule(
        {"admin"} | UNIT_A,
        _pk("transfer_replied_a"),
        method="POST",
        data=lambda p: {"outcome": "已移送起诉", "on": "2025-06-01"},
        other_region_kwargs=_pk("transfer_replied_b"),
    ),
    # Publishing decisions (公示): the body publishes, the office watches overdue ones, everyone reads them.
    "portal:enforcement_decisions": Rule(EVERYONE),
    "portal:enforcement_decision": Rule(EVERYONE, lambda p: {"pk": p.publication_published_a.pk}),
    "portal:enforcement_bodies": Rule(EVERYONE),
    "portal:enforcement_body": Rule(EVERYONE, lambda p: {"pk": p.justice_a.pk}),
    "enforcement:publication_pending": Rule(PUBLICATION_STAFF_A | {"liaison_b"}),
    "enforcement:publication_overdue": Rule(OFFICE_A | {"coordinator_b"}),
    "enforcement:publication_detail": Rule(
        OFFICE_A | UNIT_A, _pk("publication_pending_a"), other_region_kwargs=_pk("publication_pending_b")
    ),
    "enforcement:publication_publish": Rule(
        PUBLICATION_STAFF_A,
        _pk("publication_pending_a"),
        method="POST",
        other_region_kwargs=_pk("publication_pending_b"),
    ),
    "enforcement:publication_withdraw": Rule(
        PUBLICATION_STAFF_A,
        _pk("publication_published_a"),
        method="POST",
        data=lambda p: {"note": "决定已被撤销。"},
        other_region_kwargs=_pk("publication_published_b"),
    ),
    # The registers (执法主体, 执法人员, 权责清单, 裁量基准): the office and leaders of the region and the
    # body's own people read them; only those who manage the region import into it.
    "enforcement:register_bodies": Rule(REGISTER_READERS),
    "enforcement:register_officers": Rule(REGISTER_READERS),
    "enforcement:register_powers": Rule(REGISTER_READERS),
    "enforcement:register_standards": Rule(REGISTER_READERS),
    "enforcement:register_export": Rule(REGISTER_READERS, lambda p: {"register": "standards"}),
    "enforcement:register_import": Rule(MANAGER_ANY),
    "enforcement:register_body": Rule(
        CASE_READERS, lambda p: {"pk": p.justice_a.pk}, other_region_kwargs=lambda p: {"pk": p.justice_b.pk}
    ),
    "enforcement:register_officer": Rule(
        CASE_READERS,
        lambda p: {"pk": p.registers_a.officer.pk},
        other_region_kwargs=lambda p: {"pk": p.registers_b.officer.pk},
    ),
    "enforcement:register_power": Rule(
        CASE_READERS,
        lambda p: {"pk": p.registers_a.penalty.pk},
        other_region_kwargs=lambda p: {"pk": p.registers_b.penalty.pk},
    ),
    "portal:enforcement_procedures": Rule(EVERYONE),
    "portal:enforcement_inspections": Rule(EVERYONE),
    # The JSON API: every signed-in role lists what it may read; a case only to those who read it.
    "enforcement_api:cases": Rule(SIGNED_IN - {"no_role"}),
    "enforcement_api:case": Rule(CASE_READERS, _case("a"), other_region_kwargs=_case("b")),
    "enforcement_api:openapi": Rule(EVERYONE),
    # Published annual reports are public; region A's and B's alike.
    "portal:reports": Rule(EVERYONE),
    "portal:report": Rule(EVERYONE, lambda p: {"pk": p.report_draft_a.pk}),
    "portal:report_docx": Rule(EVERYONE, lambda p: {"pk": p.report_draft_b.pk}),
    "portal:report_pdf": Rule(EVERYONE, lambda p: {"pk": p.report_draft_a.pk}),
    "audit:entry_list": Rule(MANAGER_ANY),
    "audit:entry_detail": Rule(MANAGER_A, _audit_seq_in_region_a, other_region_kwargs=_audit_seq_in_region_b),
    "audit:verify": Rule(ADMIN, method="POST"),
}


@pytest.fixture(autouse=True)
def plans_of_both_regions(personas: Personas) -> None:
    """Published plans, drafts and imports in regions A and B, hung on the personas for the rules above."""
    for side, region in (("a", personas.region_a), ("b", personas.region_b)):
        published = make_plan(region, publish=True)
        draft = make_plan(region)
        with transaction.atomic():
            job = PlanImport.objects.create(
                region=region, source_name="plan.txt", source_file="plan-imports/x.txt"
            )
        setattr(personas, f"plan_{side}", published)
        setattr(personas, f"draft_{side}", draft)
        setattr(personas, f"job_{side}", job)
        with transaction.atomic():
            case_job = CaseImport.objects.create(region=region, source_name="cases.csv")
        setattr(personas, f"case_import_{side}", case_job)
        setattr(personas, f"plan_task_{side}", published.tasks.filter(kind="task").first())
        setattr(personas, f"draft_task_{side}", draft.tasks.filter(kind="task").first())
        unit = personas.justice_a if side == "a" else personas.justice_b
        submitter = personas.unit_head if side == "a" else personas.liaison_b
        report = Report.objects.filter(plan=published, unit=unit).order_by("pk").first()
        assert report is not None
        with acting_as(submitter, "test"), transaction.atomic():
            if side == "b":
                SupervisionRules.objects.create(region=region, effective_from=datetime.date(2000, 1, 1),
                                                require_head_approval=False)  # fmt: skip
            evidence = supervision_actions.add_evidence(
                report, submitter, "photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64
            )
            supervision_actions.save_report(report, submitter, "已完成。", "done", {})
            supervision_actions.transition(report, "submit", submitter, "draft")
        setattr(personas, f"report_{side}", report)
        setattr(personas, f"evidence_{side}", evidence)
        coordinator = personas.coordinator if side == "a" else personas.coordinator_b
        with acting_as(coordinator, "test"), transaction.atomic():
            adjustment = scoring_actions.add_adjustment(coordinator, published, unit.pk, Decimal(1), "加分")
            # Long after the plan's year, the unit's other reports are overdue.
            notice = chasing.issue_notice(
                region, unit, coordinator, today=datetime.date(published.year + 1, 3, 2)
            )
            recipient = personas.liaison if side == "a" else personas.liaison_b
            [notification] = notify([recipient], "notice", "督办", "", "/", f"walk:{side}")
        with acting_as(coordinator, "test"), transaction.atomic():
            report_draft = report_actions.start_draft(Scope(region, published.year), coordinator)
            report_actions.publish(report_draft, coordinator, 1)
        setattr(personas, f"report_draft_{side}", report_draft)
        with acting_as(recipient, "test"), transaction.atomic():
            value = report_actions.enter_value(
                recipient, EntryTarget(region, unit), Indicator.objects.get(code=ENTERED_CODE),
                published.year, Decimal(3), "", [("a.pdf", b"%PDF-1.4\n%%EOF\n")],
            )  # fmt: skip
        setattr(personas, f"entry_evidence_{side}", value.evidence.get())
        checked = case_evidence.check_file("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64 + side.encode())
        with acting_as(None, "test"), transaction.atomic():
            case = case_actions.open_case(
                None, unit=unit, kind="inspection", number=f"walk-{side}", party_name="某公司",
                party_type="legal", evidence_sha256=[checked.sha256],
            )  # fmt: skip
            case_evidence.store(checked)
        setattr(personas, f"case_{side}", case)
        setattr(personas, f"case_sha_{side}", checked.sha256)
        setattr(personas, f"adjustment_{side}", adjustment)
        setattr(personas, f"notice_{side}", notice)
        setattr(personas, f"notification_{side}", notification)
    make_walk_objects(personas)  # case file reviews and transfers of both regions
    walk_publications(personas)  # a pending and a published decision in each region
    walk_registers(personas)  # each region's 司法局 in the registers, with an officer, powers and standards


def named_urls(resolver: URLResolver | None = None, namespace: str = "") -> list[str]:
    names = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names += named_urls(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(f"{namespace}{entry.name}")
    return names


def test_every_url_is_declared() -> None:
    ours = {name for name in named_urls() if not name.startswith("admin:")}
    assert ours - RULES.keys() == set(), "declare these URLs in RULES"
    assert RULES.keys() - ours == set(), "these declared URLs no longer exist"


def request(client: Client, rule: Rule, url: str, personas: Personas, query: str) -> Any:
    if rule.method == "POST":
        return client.post(url + query, rule.data(personas))
    return client.get(url + query)


def allowed(response: Any) -> bool:
    if response.status_code == 200:
        return True
    return response.status_code == 302 and "/accounts/login/" not in response["Location"]


def refused(response: Any, persona: str) -> bool:
    if persona == "public":
        if response.status_code == 401:  # the JSON API asks for credentials instead of redirecting
            return True
        return response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    return response.status_code in (403, 404)


def walk(personas: Personas, name: str, expect: set[str], other_region: bool = False) -> None:
    rule = RULES[name]
    if other_region:
        assert rule.other_region_kwargs is not None
        url = reverse(name, kwargs=rule.other_region_kwargs(personas))
        query = (rule.other_region_query or rule.query)(personas)
    else:
        url = reverse(name, kwargs=rule.kwargs(personas))
        query = rule.query(personas)
    for persona, user in personas.by_name().items():
        with transaction.atomic():
            head_before = AuditHead.objects.get(pk=1).seq
            client = Client()
            if user is not None:
                client.force_login(user)
            response = request(client, rule, url, personas, query)
            if persona in expect:
                assert allowed(response), (
                    f"{persona} should reach {rule.method} {url}, got {response.status_code}"
                )
            else:
                assert refused(response, persona), (
                    f"{persona} reached {rule.method} {url}: {response.status_code}"
                )
                if rule.method == "POST":
                    written = AuditEntry.objects.filter(seq__gt=head_before).exclude(
                        action__in=["login", "logout"]
                    )
                    assert not written.exists(), f"{persona}'s refused POST to {url} still wrote"
            transaction.set_rollback(True)


@pytest.mark.parametrize("name", sorted(RULES))
def test_each_persona_reaches_exactly_what_its_role_grants(personas: Personas, name: str) -> None:
    walk(personas, name, RULES[name].allowed)


def mirrored(allowed_personas: set[str]) -> set[str]:
    """Who may use the URL for region B's object: the administrator, and B's counterparts of A's personas."""
    result = allowed_personas & {"admin"}
    if "coordinator" in allowed_personas:
        result.add("coordinator_b")
    if "liaison" in allowed_personas:
        result.add("liaison_b")
    return result


@pytest.mark.parametrize("name", sorted(n for n, r in RULES.items() if r.other_region_kwargs))
def test_region_a_personas_never_reach_region_b_objects(personas: Personas, name: str) -> None:
    walk(personas, name, mirrored(RULES[name].allowed), other_region=True)


LIST_PAGES = [
    "/orgs/units/",
    "/orgs/groups/",
    "/orgs/aliases/",
    "/orgs/regions/",
    "/home/",
    "/orgs/people/",
    "/audit/",
]


@pytest.mark.parametrize("path", LIST_PAGES)
def test_list_pages_never_show_the_other_regions_units(personas: Personas, path: str) -> None:
    a_names = [personas.justice_a.name, personas.reform_a.name, personas.liaison.full_name]
    b_names = [personas.justice_b.name, personas.liaison_b.full_name]
    for persona, user in personas.by_name().items():
        if user is None or persona in {"admin", "no_role"}:
            continue
        client = Client()
        client.force_login(user)
        page = client.get(path).content.decode()
        hidden = b_names if persona not in {"coordinator_b", "liaison_b"} else a_names
        for name in hidden:
            assert name not in page, f"{persona} sees {name} on {path}"


def test_only_system_administrators_enter_the_admin_site(personas: Personas) -> None:
    for persona, user in personas.by_name().items():
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get("/admin/orgs/unit/")
        if persona == "admin":
            assert response.status_code == 200
        else:
            assert response.status_code == 302, persona
            assert "/admin/login/" in response["Location"], persona


@pytest.mark.parametrize("name", ["plans:plan_detail", "plans:plan_ledger"])
def test_drafts_are_seen_only_by_the_coordinators_of_their_region(personas: Personas, name: str) -> None:
    url = reverse(name, kwargs={"pk": personas.draft_a.pk})  # type: ignore[attr-defined]
    for persona, user in personas.by_name().items():
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        if persona in MANAGER_A:
            assert allowed(response), persona
        else:
            assert refused(response, persona), f"{persona} sees the draft at {url}"
