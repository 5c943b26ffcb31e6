"""The main journey in a real browser: the office publishes a plan, a liaison officer reports with evidence,
the unit head approves, the office returns it with a comment, the unit resubmits, the office accepts it, and
the dashboard counts it.

Runs Debian's Chromium through Playwright (fazhi.testing_browser).
"""

from __future__ import annotations

import re
import struct
import zlib
from typing import Any

import pytest
from django.db import transaction

from fazhi.audit.recorder import acting_as
from fazhi.plans import actions as plan_actions
from fazhi.plans.models import Plan, PlanStatus
from fazhi.supervision.models import EventKind, Evidence, Report, ReportStatus
from fazhi.testing import Personas, make_plan
from fazhi.testing_browser import Person as BrowserPerson

pytestmark = pytest.mark.django_db(transaction=True)


def png() -> bytes:
    """A real 4×4 red PNG, as a phone would upload a photo of a meeting."""
    raw = b"".join(b"\x00" + b"\xcc\x22\x22" * 4 for _ in range(4))

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


class Person(BrowserPerson):
    """One person's browser session, with the supervision report's step forms."""

    def step(self, report: Report, step: str, comment: str = "", quality: str = "") -> None:
        self.open(f"/supervision/reports/{report.pk}/")
        form = f"form[action='/supervision/reports/{report.pk}/step/']:has(input[name=step][value={step}])"
        if comment:
            self.page.fill(f"{form} textarea[name=comment]", comment)
        if quality:
            self.page.select_option(f"{form} select[name=quality]", quality)
        self.click(f"{form} button[type=submit]")


def assignments_completed(person: Person, plan: Plan) -> int:
    """The dashboard's "assignments completed (done of total)" figure: the done part."""
    page = person.open(f"/supervision/dashboard/?plan={plan.pk}")
    label = page.locator(".stat-label").nth(1).inner_text()
    return min(int(n) for n in re.findall(r"\d+", label))  # "done of total", in any language


def test_a_report_goes_from_publishing_to_the_dashboard_through_the_browser(
    personas: Personas, browser: Any, live_server: Any
) -> None:
    plan = make_plan(personas.region_a)
    with acting_as(None, "test"), transaction.atomic():
        plan_actions.ignore_name(plan, "区海洋局")  # the review of names is done; publishing is left
    base = live_server.url

    office = Person(browser, base, "coordinator")
    office.open(f"/plans/{plan.pk}/")
    office.click(f"form[action='/plans/{plan.pk}/publish/'] button[type=submit]")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    assert assignments_completed(office, plan) == 0

    # The liaison officer opens the first task in "My tasks", attaches a photo, writes and submits.
    liaison = Person(browser, base, "liaison")
    liaison.open("/supervision/my/")
    liaison.click("table a[href^='/supervision/reports/']")
    report = Report.objects.get(pk=int(re.findall(r"/reports/(\d+)/", liaison.page.url)[0]))
    assert report.unit == personas.justice_a
    liaison.page.set_input_files(
        "input[type=file][name=file]", {"name": "会议照片.png", "mimeType": "image/png", "buffer": png()}
    )
    liaison.click(f"form[action='/supervision/reports/{report.pk}/evidence/'] button[type=submit]")
    assert liaison.page.locator("img.evidence-thumb").count() == 1
    liaison.page.select_option("select[name=progress]", "done")
    liaison.page.fill("textarea[name=text]", "召开专题会议2次，听取法治建设工作汇报。")
    liaison.click("button[name=then][value=submit]")
    report.refresh_from_db()
    # 新城区 keeps the default rule: the unit head approves before a report leaves the unit.
    assert report.status == ReportStatus.AWAITING_APPROVAL
    head = Person(browser, base, "unit_head")
    head.step(report, "approve")

    # The office finds it in "To review" and returns it with a comment.
    office.open("/supervision/review/")
    office.click(f"a[href='/supervision/reports/{report.pk}/']")
    office.step(report, "return", comment="请补充培训签到表。")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED

    # The liaison officer sees it under "Returned", with the comment, and resubmits.
    liaison.open("/supervision/my/?show=returned")
    liaison.click(f"a[href='/supervision/reports/{report.pk}/']")
    assert "请补充培训签到表。" in liaison.page.inner_text("body")
    liaison.page.fill("textarea[name=text]", "召开专题会议2次，已补充培训签到表。")
    liaison.click("button[name=then][value=submit]")
    head.step(report, "approve")

    office.step(report, "accept", quality="4")
    report.refresh_from_db()
    assert (report.status, report.times_returned, report.quality) == (ReportStatus.ACCEPTED, 1, 4)
    assert Evidence.objects.filter(report=report, kind="png").count() == 1
    kinds = list(report.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.SAVED, EventKind.SUBMITTED, EventKind.APPROVED, EventKind.RETURNED,
        EventKind.SUBMITTED, EventKind.APPROVED, EventKind.ACCEPTED,
    ]  # fmt: skip
    assert assignments_completed(office, plan) == 1

    for person in (office, liaison, head):
        person.context.close()
