"""Evidence: the kind read from the content, size limited, hashed, served only to who may read the report."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from docx import Document
from openpyxl import Workbook

from fazhi.supervision import actions
from fazhi.supervision.models import Evidence, Progress, Report, ReportStatus
from fazhi.supervision.workflow import Step
from fazhi.testing import Personas, make_plan

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + b"\0" * 40


def docx_bytes(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    book = Workbook()
    sheet: Any = book.active
    sheet.append(["培训场次", "参训人数"])
    sheet.append([4, 120])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def report(personas: Personas) -> Report:
    plan = make_plan(personas.region_a, publish=True)
    found = Report.objects.filter(plan=plan, unit=personas.justice_a).first()
    assert found is not None
    return found


def attach(client: Client, report: Report, name: str, data: bytes) -> Any:
    return client.post(
        f"/supervision/reports/{report.pk}/evidence/", {"file": SimpleUploadedFile(name, data)}, follow=True
    )


def stored_files(media: Path) -> list[Path]:
    return (
        [p for p in (media / "evidence").rglob("*") if p.is_file()] if (media / "evidence").exists() else []
    )


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("签到表.png", PNG, "png"),
        ("会议纪要.docx", docx_bytes("会议纪要"), "docx"),
        ("统计.xlsx", xlsx_bytes(), "xlsx"),
    ],
)
def test_a_file_is_stored_with_its_kind_size_and_hash(
    personas: Personas, report: Report, name: str, data: bytes, kind: str
) -> None:
    client = Client()
    client.force_login(personas.liaison)
    attach(client, report, name, data)
    evidence = Evidence.objects.get()
    assert (evidence.name, evidence.kind, evidence.size) == (name, kind, len(data))
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.file.read() == data


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("scan.pdf", PNG, None),  # the name says PDF, the bytes say PNG: stored as what it is
        ("tool.docx", b"MZ\x90\x00" + b"\0" * 200, "Word"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "doc"),
        ("empty.pdf", b"", "空"),
    ],
)
def test_files_are_judged_by_their_content(
    personas: Personas, report: Report, settings: Any, name: str, data: bytes, message: str | None
) -> None:
    client = Client()
    client.force_login(personas.liaison)
    page = attach(client, report, name, data).content.decode()
    if message is None:
        assert Evidence.objects.get().kind == "png"
    else:
        assert message in page
        assert not Evidence.objects.exists()
        assert stored_files(Path(settings.MEDIA_ROOT)) == []


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    personas: Personas, report: Report, settings: Any
) -> None:
    settings.FAZHI_UPLOAD_MAX_BYTES = 1000
    client = Client()
    client.force_login(personas.liaison)
    page = attach(client, report, "big.png", PNG + b"\0" * 2000).content.decode()
    assert "文件过大" in page
    assert not Evidence.objects.exists()
    assert stored_files(Path(settings.MEDIA_ROOT)) == []


def test_evidence_of_a_draft_is_seen_only_inside_the_unit(personas: Personas, report: Report) -> None:
    with transaction.atomic():
        evidence = actions.add_evidence(report, personas.liaison, "photo.png", PNG)
    for person, status in [
        (personas.unit_head, 200),
        (personas.coordinator, 404),
        (personas.liaison_other_unit, 404),
    ]:
        client = Client()
        client.force_login(person)
        assert client.get(f"/supervision/evidence/{evidence.pk}/").status_code == status, person
    with transaction.atomic():
        actions.save_report(report, personas.unit_head, "见附件。", Progress.DONE, {})
        actions.transition(report, Step.SUBMIT, personas.unit_head, ReportStatus.DRAFT)
    client = Client()
    client.force_login(personas.coordinator)
    response = client.get(f"/supervision/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]


def test_evidence_cannot_change_once_the_report_left_the_unit(personas: Personas, report: Report) -> None:
    with transaction.atomic():
        evidence = actions.add_evidence(report, personas.unit_head, "photo.png", PNG)
        actions.save_report(report, personas.unit_head, "见附件。", Progress.DONE, {})
        actions.transition(report, Step.SUBMIT, personas.unit_head, ReportStatus.DRAFT)
    client = Client()
    client.force_login(personas.liaison)
    client.post(f"/supervision/evidence/{evidence.pk}/delete/")
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    attach(client, report, "more.png", PNG)
    assert Evidence.objects.count() == 1


def test_a_file_whose_upload_rolled_back_is_swept_away(
    personas: Personas, report: Report, settings: Any
) -> None:
    import datetime

    from django.utils import timezone

    from fazhi.supervision.files import sweep_orphans

    with transaction.atomic():
        kept = actions.add_evidence(report, personas.liaison, "kept.png", PNG)

    def upload_then_fail() -> None:
        with transaction.atomic():
            actions.add_evidence(report, personas.liaison, "lost.png", PNG + b"lost")
            raise RuntimeError("the request failed after the upload")

    with pytest.raises(RuntimeError):
        upload_then_fail()
    media = Path(settings.MEDIA_ROOT)
    assert len(stored_files(media)) == 2  # the rolled-back upload left its file
    assert sweep_orphans() == 0  # too recent: it could be an upload still in flight
    assert sweep_orphans(timezone.now() + datetime.timedelta(hours=2)) == 1
    assert [p.name for p in stored_files(media)] == [Path(str(kept.file.name)).name]
