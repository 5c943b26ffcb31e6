"""The demo's 2024 year: the seed plan published, a year of reports with believable dates, evidence that
opens, the annual report with the year's enforcement figures, an honest audit trail, and nothing new on a
second load. (The enforcement records themselves are checked in test_demo_enforcement.py.)

Loading the year takes half a minute (about 400 reports through the real actions), so one test loads it once
and checks everything; each check is a helper below.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from collections import Counter
from typing import Any

import pdfplumber
import pytest
from django.core.management import call_command
from django.utils import timezone

from fazhi.audit import chain
from fazhi.audit.models import AuditEntry
from fazhi.docparse import read_bytes
from fazhi.enforcement import figures
from fazhi.ops import demo, demo_progress
from fazhi.orgs.models import Region, User
from fazhi.plans.models import Plan, PlanStatus
from fazhi.reports import drafts
from fazhi.reports.models import DraftStatus, ReportDraft
from fazhi.supervision.models import EventKind, Evidence, Report, ReportStatus

pytestmark = pytest.mark.django_db(transaction=False)

LOCAL = timezone.get_default_timezone()


def story_of_each_report() -> list[tuple[str, str, int, str, str, str | None]]:
    rows = Report.objects.order_by("unit__name", "task__position", "round__name").values_list(
        "unit__name", "task__title", "task__position", "status", "progress", "first_submitted_at"
    )
    return [(*row[:5], row[5].isoformat() if row[5] else None) for row in rows]


def check_every_outcome_with_dates_from_2024() -> None:
    plan = Plan.objects.get(region__name="新城区", year=2024)
    assert plan.status == PlanStatus.PUBLISHED
    assert plan.published_at is not None
    assert plan.published_at.year == 2024
    statuses = Counter(Report.objects.values_list("status", flat=True))
    assert statuses[ReportStatus.ACCEPTED] > statuses[ReportStatus.RETURNED] > 0
    assert statuses[ReportStatus.PENDING] > 0
    assert statuses[ReportStatus.DRAFT] > 0
    # Never submitted and long past the red-card date: the overdue list shows them red.
    assert Report.objects.red(datetime.date(2025, 3, 1)).filter(status=ReportStatus.PENDING).exists()
    # Returned, resubmitted and accepted; and accepted although handed in late.
    assert Report.objects.filter(status=ReportStatus.ACCEPTED, times_returned__gt=0).exists()
    submitted = Report.objects.exclude(first_submitted_at=None)
    late = [r for r in submitted if r.first_submitted_at and r.first_submitted_at.date() > r.due_date]
    assert late
    # Every date the thread shows belongs to the year, not to the day the demo was loaded.
    stamps: list[Any] = [
        *Report.objects.exclude(submitted_at=None).values_list("submitted_at", flat=True),
        *Report.objects.exclude(accepted_at=None).values_list("accepted_at", flat=True),
        *Evidence.objects.values_list("uploaded_at", flat=True),
    ]
    for report in Report.objects.exclude(status=ReportStatus.PENDING).prefetch_related("events"):
        moments = [event.at for event in report.events.all()]  # ordered by `at`, then pk
        assert moments == sorted(moments)
        assert [e.pk for e in report.events.all()] == sorted(e.pk for e in report.events.all())
        stamps += moments
    assert stamps
    assert all(
        datetime.date(2024, 1, 1) <= s.astimezone(LOCAL).date() <= datetime.date(2025, 2, 28) for s in stamps
    )
    # Moving the dates is itself on the record, as a correction; the chain still verifies.
    corrections = AuditEntry.objects.filter(source=demo_progress.BACKDATE_SOURCE)
    assert corrections.filter(target_type="supervision.reportevent").exists()
    assert corrections.filter(target_type="supervision.report").exists()
    # The real writes are there too, under the names of the people who made them.
    assert AuditEntry.objects.filter(source="load-demo", actor_name="liaison").exists()
    assert chain.verify().ok


def check_each_step_is_taken_by_its_person_and_the_evidence_opens() -> None:
    coordinator = User.objects.get(username="coordinator")
    accepted = Report.objects.filter(status=ReportStatus.ACCEPTED).select_related("unit")[:40]
    for report in accepted:
        actors = {event.kind: event.actor for event in report.events.select_related("actor")}
        assert actors[EventKind.ACCEPTED] == coordinator
        submitter = actors[EventKind.SUBMITTED]
        assert submitter is not None
        assert submitter.role_assignments.filter(unit=report.unit, role="liaison").exists()
        approver = actors[EventKind.APPROVED]
        assert approver is not None
        assert approver.role_assignments.filter(unit=report.unit, role="unit_head").exists()
    # The demo's own liaison officer has a year of work behind them.
    liaison = User.objects.get(username="liaison")
    assert Report.objects.filter(events__actor=liaison, status=ReportStatus.ACCEPTED).exists()
    # Their evidence is small but real: it opens as what it says it is.
    kinds = Counter(Evidence.objects.values_list("kind", flat=True))
    assert set(kinds) == {"pdf", "png", "docx"}
    for kind in kinds:
        item = Evidence.objects.filter(kind=kind).select_related("report__unit").first()
        assert item is not None
        with item.file.open("rb") as handle:
            data = handle.read()
        assert hashlib.sha256(data).hexdigest() == item.sha256
        assert len(data) == item.size
        if kind == "png":
            assert data.startswith(b"\x89PNG\r\n\x1a\n")
            assert b"IEND" in data[-12:]
        elif kind == "docx":
            assert item.report.unit.name in read_bytes(data, item.name).text
        else:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                assert len(pdf.pages) == 1
                assert pdf.pages[0].extract_text().strip()


def check_the_year_report_is_published_from_the_records() -> None:
    draft = ReportDraft.objects.get(region__name="新城区", year=2024, unit=None)
    assert draft.status == DraftStatus.PUBLISHED
    assert draft.published_revision is not None
    content = draft.published_revision.content
    assert content["title"]["text"] == "新城区2024年法治政府建设情况报告"
    # Generated, not typed: every sentence of the published text carries its records or is fixed wording.
    assert not any(sentence.get("edited") for sentence in drafts.sentences(content))
    assert any(sentence["sources"] for sentence in drafts.sentences(content))


def check_the_report_states_the_years_enforcement_from_its_records() -> None:
    district = Region.objects.get(name="新城区")
    draft = ReportDraft.objects.get(region=district, year=2024, unit=None)
    assert draft.published_revision is not None
    sentences = list(drafts.sentences(draft.published_revision.content))
    assert any(s["text"].endswith("行政执法基本情况") for s in sentences)
    registers, cases = figures.enforcement_figures(district, 2024), figures.case_figures(district, 2024)
    registered = sorted(pk for pks in cases.by_kind.values() for pk in pks)
    penalties = len(cases.by_kind["penalty_simple"]) + len(cases.by_kind["penalty_ordinary"])
    said = {s["text"]: s["sources"] for s in sentences}
    officers = f"新城区共有行政执法人员{registers.certified.total}名"
    assert any(text.startswith(officers) for text in said)
    count = f"全年立案办理行政执法案件{len(registered)}件，其中行政处罚案件{penalties}件。"
    assert said[count] == {"enforcement.case": registered}
    assert cases.major_reviewed.total > 0
    assert "重大执法决定法制审核率100%。" in said


def test_the_demo_year_tells_a_whole_year_and_a_second_load_changes_nothing() -> None:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    printed = out.getvalue()
    assert all(f"  {login.username} " in printed for login in demo.LOGINS + demo.OFFICER_LOGINS)
    check_every_outcome_with_dates_from_2024()
    check_each_step_is_taken_by_its_person_and_the_evidence_opens()
    check_the_year_report_is_published_from_the_records()
    check_the_report_states_the_years_enforcement_from_its_records()
    story = story_of_each_report()
    entries = AuditEntry.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert story_of_each_report() == story
    assert AuditEntry.objects.count() == entries
    assert chain.verify().ok
