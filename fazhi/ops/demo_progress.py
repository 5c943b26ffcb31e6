"""The demo year: 新城区's 2024 plan (seed 000), published, with a year of reports behind it.

Every report is written the way a unit writes it — `fazhi.supervision.actions` inside `acting_as(person)` —
so its thread, evidence and audit trail are real. What the actions cannot give is the *date*: they stamp
everything with the current time, and a demo loaded today would show the whole of 2024 happening in one
second. So after each report's story has been played, one correction step (`_backdate`) moves its
timestamps (submitted, accepted, each step of the thread, each upload) to the day the story says, through
ordinary saves under the source ``load-demo:backdate``: the audit trail keeps both the real write and the
correction, and nobody reading it can mistake the demo's history for something that happened in 2024.

Last (`publish_report`, once fazhi.ops.demo_enforcement has added the year's enforcement records), the year's
annual report is drafted from these records and published on the portal.

Deterministic: one seeded random draw decides each report's story, in a fixed order. Idempotent: a plan of
the region with the seed's hash already present means the year is loaded, and nothing is written.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi import docparse
from fazhi.audit.recorder import acting_as, batched
from fazhi.docparse import parse_plan_document
from fazhi.orgs import actions as org_actions
from fazhi.orgs.models import Region, Role, RoleAssignment, Unit, User
from fazhi.plans import actions as plan_actions
from fazhi.plans.models import Plan
from fazhi.reports import actions as report_actions
from fazhi.reports.indicators import Scope
from fazhi.reports.models import DraftStatus
from fazhi.supervision import actions
from fazhi.supervision.deadlines import calendar_for
from fazhi.supervision.models import Progress, Report, ReportStatus
from fazhi.supervision.workflow import Step

# Seed 000 as scraped; it ships with the package (docparse's golden tests read the same file).
SEED_PLAN = Path(docparse.__file__).parent / "tests" / "fixtures" / "seeds" / "000_04f4bfefc4535b71.txt"
YEAR = 2024
RANDOM_SEED = 2024
BACKDATE_SOURCE = "load-demo:backdate"

# How a report's year went, with its weight in the draw (they add up to 100).
STORIES: list[tuple[str, int]] = [
    ("accepted", 50),  # submitted before the due date, accepted a few days later
    ("returned_then_accepted", 14),  # returned with a comment, resubmitted, accepted
    ("late_accepted", 12),  # submitted after the due date, accepted
    ("returned_open", 7),  # returned, never resubmitted: owed, and red
    ("draft_only", 5),  # a draft was started but never submitted
    ("never", 12),  # nothing at all: red card
]
RETURN_COMMENTS = [
    "请补充具体数据和佐证材料。",
    "工作成效表述过于笼统，请按任务要求逐项说明完成情况。",
    "佐证材料与本任务无关，请重新上传。",
    "请说明未完成部分的原因及下一步措施。",
]
DONE_TEXTS = [
    "已按计划完成本项任务：召开专题会议{n}次，印发工作方案1份，相关材料已归档。",
    "本阶段共开展相关工作{n}项，建立工作台账，按月调度推进，目标任务全部完成。",
    "牵头制定实施细则，组织培训{n}场次，覆盖全体执法人员，完成情况良好。",
]
PARTIAL_TEXTS = [
    "已启动本项工作，完成前期调研{n}次，部分内容正在推进中。",
    "正在按计划推进，已完成阶段性任务，剩余工作将于下阶段完成。",
]


@dataclass
class Story:
    """What happened to one report, as (step, day) pairs the correction step dates afterwards."""

    kind: str
    events: list[datetime.datetime] = field(default_factory=list)
    uploads: list[datetime.datetime] = field(default_factory=list)


def load_year(district: Region, coordinator: User) -> Plan:
    """Import, publish and play the 2024 plan of `district` unless it is already there; return the plan."""
    data = SEED_PLAN.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    existing = Plan.objects.filter(region=district, year=YEAR, source_sha256=sha).first()
    if existing is not None:
        return existing
    # One transaction, and the audit entries linked onto the chain in one append at its end.
    # The year's steps are history, not news: nobody's inbox fills with a year of "submitted" and "accepted".
    # (The worker's first scan still red-cards what was never sent.)
    with transaction.atomic(), batched(), actions.listeners_paused():
        plan = _import_plan(district, coordinator, data)
        people = _unit_people(district)
        rng = random.Random(RANDOM_SEED)  # noqa: S311 -- a reproducible demo, not a secret
        calendar = calendar_for(district)
        reports = (
            Report.objects.filter(plan=plan)
            .select_related("round", "task", "unit")
            .order_by("due_date", "round__name", "task__position", "unit__sort_order", "unit__name")
        )
        for report in reports:
            liaison, head = people[report.unit_id]
            story = _play(report, rng, calendar, liaison, head, coordinator)
            _backdate(report, story)
    return plan


def publish_report(district: Region, coordinator: User) -> None:
    """The year's annual report, drafted from the records and published, so the portal has one to show
    (nothing is written if it is there already)."""
    with acting_as(coordinator, "load-demo"), transaction.atomic():
        draft = report_actions.start_draft(Scope(district, YEAR), coordinator)
        if draft.status != DraftStatus.PUBLISHED:
            report_actions.publish(draft, coordinator, draft.revisions.count())


def _import_plan(district: Region, coordinator: User, data: bytes) -> Plan:
    document = parse_plan_document(data, filename=SEED_PLAN.name, year=YEAR)
    with acting_as(coordinator, "load-demo"):
        plan = plan_actions.create_draft(
            district, document, plan_actions.Source(SEED_PLAN.name, data), user=coordinator, year=YEAR
        )
        # The demo directory names every unit the plan names; anything else is not a unit of 新城区.
        for name in plan_actions.unknown_names(plan):
            plan_actions.ignore_name(plan, name)
        plan = plan_actions.publish(plan)
    issued = plan.issued_on or datetime.date(YEAR, 2, 20)
    with acting_as(None, BACKDATE_SOURCE):
        plan.created_at = _at(issued, 9, 30)
        plan.published_at = _at(issued + datetime.timedelta(days=3), 10, 0)
        plan.save()
    return plan


def _unit_people(district: Region) -> dict[int, tuple[User, User]]:
    """A liaison officer and a head for every unit with reports: the demo logins where they exist, else
    accounts made for the demo (same password, not printed)."""
    people: dict[int, tuple[User, User]] = {}
    units = Unit.objects.filter(reports__plan__region=district).distinct().order_by("sort_order", "name")
    with acting_as(None, "load-demo"):
        for unit in units:
            liaison = _person_with(unit, Role.LIAISON, f"liaison{unit.sort_order:03d}", f"{unit.name}联络员")
            head = _person_with(unit, Role.UNIT_HEAD, f"head{unit.sort_order:03d}", f"{unit.name}负责人")
            people[unit.pk] = (liaison, head)
    return people


def _person_with(unit: Unit, role: Role, username: str, full_name: str) -> User:
    from fazhi.ops.demo import DEMO_PASSWORD

    found = RoleAssignment.objects.filter(unit=unit, role=role).select_related("user").order_by("pk").first()
    if found is not None:
        return found.user
    user = User.objects.filter(username=username).first() or org_actions.create_person(
        username, DEMO_PASSWORD, full_name=full_name
    )
    org_actions.grant_role(user, role, unit=unit)
    return user


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _play(
    report: Report, rng: random.Random, calendar: Any, liaison: User, head: User, coordinator: User
) -> Story:
    """Take the report through its story with the real actions; return the dates the steps should carry."""
    kind = rng.choices([k for k, _ in STORIES], weights=[w for _, w in STORIES])[0]
    story = Story(kind)
    if kind == "never":
        return story
    due = report.due_date

    def day(offset: int) -> datetime.datetime:
        return _at(calendar.add_workdays(due, offset), rng.randint(9, 17), rng.choice((0, 15, 30, 45)))

    n = rng.randint(2, 9)
    done = rng.random() < 0.8 and kind != "draft_only"
    text = rng.choice(DONE_TEXTS if done else PARTIAL_TEXTS).format(n=n)
    progress = Progress.DONE if done else Progress.IN_PROGRESS
    start = -rng.randint(4, 12)
    with acting_as(liaison, "load-demo"):
        report = actions.save_report(report, liaison, text, progress, {})
        story.events.append(day(start))
        for index in range(rng.choice((1, 1, 2))):
            name, data = _evidence(rng, report, index)
            actions.add_evidence(report, liaison, name, data)
            story.uploads.append(day(start))
    if kind == "draft_only":
        return story
    submit_day = rng.randint(2, 9) if kind == "late_accepted" else start + rng.randint(1, 3)
    _submit(report, liaison, head, story, day(submit_day))
    if kind in ("returned_then_accepted", "returned_open"):
        with acting_as(coordinator, "load-demo"):
            actions.transition(
                report, Step.RETURN, coordinator, ReportStatus.SUBMITTED, comment=rng.choice(RETURN_COMMENTS)
            )
        story.events.append(day(submit_day + 2))
        if kind == "returned_open":
            return story
        with acting_as(liaison, "load-demo"):
            # Saving a returned report changes its content only: no step in the thread to date.
            report = actions.save_report(report, liaison, text + "（已按审核意见补充完善）", progress, {})
            name, data = _evidence(rng, report, 9)
            actions.add_evidence(report, liaison, name, data)
            story.uploads.append(day(submit_day + 4))
        submit_day += 5
        _submit(report, liaison, head, story, day(submit_day))
    with acting_as(coordinator, "load-demo"):
        actions.transition(
            report, Step.ACCEPT, coordinator, ReportStatus.SUBMITTED, quality=rng.choice((3, 4, 4, 5, 5))
        )
    story.events.append(day(submit_day + rng.randint(1, 4)))
    return story


def _submit(report: Report, liaison: User, head: User, story: Story, when: datetime.datetime) -> None:
    report.refresh_from_db()
    step = actions.submit_step(report, liaison)
    with acting_as(liaison, "load-demo"):
        actions.transition(report, step, liaison, report.status)
    story.events.append(when)
    if step == Step.SUBMIT_FOR_APPROVAL:
        with acting_as(head, "load-demo"):
            actions.transition(report, Step.APPROVE, head, ReportStatus.AWAITING_APPROVAL)
        story.events.append(when + datetime.timedelta(hours=2))


def _backdate(report: Report, story: Story) -> None:
    """Give the thread, the uploads and the report's own timestamps the story's dates (see the module's
    docstring: an audited correction, not a rewrite of history)."""
    if not story.events:
        return
    report = Report.objects.select_related("plan", "unit", "task", "round").get(pk=report.pk)
    events = list(report.events.order_by("pk"))
    uploads = list(report.evidence.order_by("pk"))
    # Their audit scope reads the report's plan: hand them the fetched report, sparing a query per row.
    for event in events:
        event.report = report
    for evidence in uploads:
        evidence.report = report
    with acting_as(None, BACKDATE_SOURCE):
        for event, when in zip(events, story.events, strict=True):
            event.at = when
            event.save(update_fields=["at"])
        for evidence, when in zip(uploads, story.uploads, strict=True):
            evidence.uploaded_at = when
            evidence.save(update_fields=["uploaded_at"])
        submitted = [e.at for e in events if e.to_status == ReportStatus.SUBMITTED]
        if submitted:
            report.first_submitted_at, report.submitted_at = submitted[0], submitted[-1]
        if report.status == ReportStatus.ACCEPTED:
            report.accepted_at = events[-1].at
        report.save()


# --- evidence: small but real files -------------------------------------------------------------------------


def _evidence(rng: random.Random, report: Report, index: int) -> tuple[str, bytes]:
    unit = report.unit.name
    kind = rng.choice(("pdf", "png", "docx"))
    title = f"{unit}{report.round.name}工作佐证{index + 1}"
    if kind == "png":
        return f"{title}.png", _png(rng)
    lines = [title, f"任务：{report.task.title or report.task.text[:40]}", f"报送单位：{unit}"]
    if kind == "pdf":
        return f"{title}.pdf", _pdf(lines)
    return f"{title}.docx", _docx(lines)


def _png(rng: random.Random, width: int = 96, height: int = 64) -> bytes:
    """A bar chart: a few coloured bars on white, as a real 8-bit RGB PNG."""
    bars = [rng.randint(10, height - 6) for _ in range(6)]
    colour = bytes((rng.randint(120, 220), rng.randint(20, 90), rng.randint(20, 90)))
    white, step = b"\xff\xff\xff", width // len(bars)
    rows = []
    for y in range(height):
        cells = [white * 3 + (colour if height - y <= bar else white) * (step - 3) for bar in bars]
        rows.append(b"\x00" + b"".join(cells) + white * (width - step * len(bars)))  # filter type 0

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF in Adobe's standard Chinese font (STSong-Light, not embedded; readers supply it)."""
    text = "".join(
        f"BT /F1 12 Tf 56 {780 - 24 * i} Td <{line.encode('utf-16-be').hex().upper()}> Tj ET\n"
        for i, line in enumerate(lines)
    ).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Length " + str(len(text)).encode() + b" >>\nstream\n" + text + b"endstream",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 7 0 R >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


_DOCX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    ),
}


def _docx(lines: list[str]) -> bytes:
    """A Word document with one paragraph per line, zipped with fixed dates so the bytes never vary."""
    from xml.sax.saxutils import escape

    body = "".join(f"<w:p><w:r><w:t>{escape(line)}</w:t></w:r></w:p>" for line in lines)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in [*_DOCX_PARTS.items(), ("word/document.xml", document)]:
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), content.encode())
    return out.getvalue()
