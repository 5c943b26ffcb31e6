"""A coordinator drops a plan (a file or pasted text), watches it being read, and gets a draft ledger."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fazhi.audit.models import AuditEntry, AuditHead
from fazhi.ops import demo
from fazhi.orgs.models import Region
from fazhi.plans.models import (
    ImportStatus,
    Plan,
    PlanImport,
    PlanStatus,
    Resolution,
    Task,
    TaskKind,
    TaskUnit,
)

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "docparse" / "tests" / "fixtures" / "seeds"
SEED_000 = (SEEDS / "000_04f4bfefc4535b71.txt").read_bytes()


@pytest.fixture
def coordinator() -> Client:
    demo.load(with_year=False)
    client = Client()
    client.force_login(demo_user("coordinator"))
    return client


def demo_user(username: str) -> Any:
    from fazhi.orgs.models import User

    return User.objects.get(username=username)


def upload(client: Client, name: str, data: bytes, **extra: Any) -> Any:
    district = Region.objects.get(name="新城区")
    return client.post(
        "/plans/import/",
        {"region": district.pk, "file": SimpleUploadedFile(name, data), **extra},
        follow=True,
    )


def test_the_2024_plan_becomes_a_draft_ledger_with_every_task_once(coordinator: Client) -> None:
    response = upload(coordinator, "新城区2024年法治政府建设工作计划.txt", SEED_000)
    job = PlanImport.objects.get()
    assert job.status == ImportStatus.DONE, job.error
    assert response.redirect_chain[-1][0] == f"/plans/imports/{job.pk}/"
    plan = job.plan
    assert plan is not None
    assert (plan.title, plan.year, plan.status) == (
        "新城区2024年法治政府建设工作计划",
        2024,
        PlanStatus.DRAFT,
    )
    assert plan.issuer == "呼和浩特市新城区人民政府办公室"
    assert plan.tasks.filter(kind=TaskKind.TASK).count() == 30
    assert plan.tasks.filter(kind=TaskKind.AREA).count() == 9
    first = plan.tasks.get(kind=TaskKind.TASK, position=2)
    assert (first.path, first.title) == (["一", "(一)"], "坚持党的集中统一领导")
    assert first.parent is not None
    assert first.parent.title == "围绕全区重点工作,全面加强党的领导"


def test_every_task_points_at_its_text_in_the_source(coordinator: Client) -> None:
    upload(coordinator, "plan.txt", SEED_000)
    plan = Plan.objects.get()
    for task in plan.tasks.filter(kind=TaskKind.TASK):
        span = plan.source_text[task.span_start : task.span_end]
        assert task.text.split("\n")[0][:20] in span, task.path


def test_every_unit_name_of_the_plan_resolves_in_the_demo_directory(coordinator: Client) -> None:
    upload(coordinator, "plan.txt", SEED_000)
    assert TaskUnit.objects.filter(resolution=Resolution.UNKNOWN).count() == 0
    collective = TaskUnit.objects.filter(name="各行政执法单位").first()
    assert collective is not None
    assert collective.group is not None
    justice = TaskUnit.objects.filter(name="区司法局").first()
    assert justice is not None
    assert justice.unit is not None
    assert justice.unit.name == "新城区司法局"


def test_targets_and_deadlines_are_read_into_the_ledger(coordinator: Client) -> None:
    upload(coordinator, "plan.txt", SEED_000)
    training = Task.objects.get(text__contains="不少于60学时")
    target = training.targets.get(text__contains="60学时")
    assert (target.comparator, target.value, target.measure) == (">=", 60, "学时")


def test_pasted_text_is_read_like_a_file(coordinator: Client) -> None:
    district = Region.objects.get(name="新城区")
    coordinator.post(
        "/plans/import/", {"region": district.pk, "text": SEED_000.decode("utf-8"), "year": 2024}
    )
    plan = Plan.objects.get()
    assert plan.tasks.filter(kind=TaskKind.TASK).count() == 30
    assert plan.source_file.read().decode("utf-8") == SEED_000.decode("utf-8")


def test_the_import_is_recorded_in_the_audit_trail(coordinator: Client) -> None:
    upload(coordinator, "plan.txt", SEED_000)
    plan = Plan.objects.get()
    created = AuditEntry.objects.filter(target_type="plans.task", action="create")
    assert created.count() == 39
    assert {entry.actor_name for entry in created} == {"coordinator"}
    assert AuditEntry.objects.filter(target_type="plans.plan", target_id=str(plan.pk)).exists()


def test_a_report_is_refused_with_a_reason_and_no_plan(coordinator: Client) -> None:
    report = (SEEDS / "001_414aed995e5eda95.txt").read_bytes()
    response = upload(coordinator, "report.txt", report)
    job = PlanImport.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "计划" in job.error
    assert Plan.objects.count() == 0
    assert job.error in response.content.decode()


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + " " * 20_000_000 + "</w:document>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("plan.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "doc"),
        ("plan.txt", b"", "空"),
        ("plan.jpg", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "图片"),
    ],
)
def test_a_hostile_or_wrong_file_is_refused_and_nothing_is_written(
    coordinator: Client, name: str, data: bytes, expected: str
) -> None:
    head = AuditHead.objects.get(pk=1).seq
    response = upload(coordinator, name, data)
    assert response.status_code == 200
    assert expected in response.content.decode() or ".doc" in response.content.decode()
    assert PlanImport.objects.count() == Plan.objects.count() == 0
    assert AuditHead.objects.get(pk=1).seq == head


def entity_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            "<d>&b;</d>",
        )
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("make", "message"), [(zip_bomb, "压缩炸弹"), (entity_docx, "实体声明")], ids=["zip bomb", "XML entities"]
)
def test_a_zip_bomb_or_entity_bomb_is_refused_before_anything_is_stored(
    coordinator: Client, make: Any, message: str
) -> None:
    head = AuditHead.objects.get(pk=1).seq
    response = upload(coordinator, "plan.docx", make())
    assert message in response.content.decode()
    assert PlanImport.objects.count() == Plan.objects.count() == 0
    assert AuditHead.objects.get(pk=1).seq == head


def test_a_file_over_the_size_limit_is_refused(coordinator: Client, settings: Any) -> None:
    settings.FAZHI_UPLOAD_MAX_BYTES = 10_000
    response = upload(coordinator, "plan.txt", SEED_000)
    assert "文件过大" in response.content.decode()
    assert PlanImport.objects.count() == 0


def test_a_pdf_without_a_text_layer_fails_the_job_and_keeps_no_file(coordinator: Client) -> None:
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    response = upload(coordinator, "scan.pdf", pdf)
    job = PlanImport.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.error in response.content.decode()
    assert not job.source_file
    assert Plan.objects.count() == 0


def test_an_exported_ledger_imports_back_through_the_page(coordinator: Client) -> None:
    upload(coordinator, "plan.txt", SEED_000)
    first = Plan.objects.get()
    exported = coordinator.get(f"/plans/{first.pk}/ledger.xlsx")
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    upload(coordinator, "任务台账.xlsx", exported.content)
    second = Plan.objects.exclude(pk=first.pk).get()
    assert [(t.path, t.title) for t in second.tasks.filter(kind=TaskKind.TASK).order_by("position")] == [
        (t.path, t.title) for t in first.tasks.filter(kind=TaskKind.TASK).order_by("position")
    ]
