"""The case import page: upload, the worker's check and import (immediate backend here), the outcome page."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from fazhi.audit.models import AuditEntry
from fazhi.enforcement import case_import, case_import_jobs
from fazhi.enforcement.case_import_views import EXAMPLE_ROWS
from fazhi.enforcement.models import Case, CaseEvent, CaseImport
from fazhi.plans.models import ImportStatus
from fazhi.testing import Personas

from .casefile import Body
from .test_import_cases import HEADER, inspection, major_case, write_csv

pytestmark = pytest.mark.usefixtures("english")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, region: Any, name: str, data: bytes) -> Any:
    return client.post(
        reverse("enforcement:case_import"),
        {"region": region.pk, "file": SimpleUploadedFile(name, data)},
        follow=True,
    )


def csv_bytes(tmp_path: Path, rows: list[list[str]]) -> bytes:
    return write_csv(tmp_path / "cases.csv", rows).read_bytes()


def test_a_good_file_is_imported_and_the_outcome_shown(
    body: Body, personas: Personas, tmp_path: Path
) -> None:
    data = csv_bytes(tmp_path, major_case("罚2025-1") + inspection("检2025-1"))
    response = upload(client_for(personas.coordinator), personas.region_a, "导出.csv", data)
    job = CaseImport.objects.get()
    assert response.redirect_chain[-1][0] == reverse("enforcement:case_import_status", args=[job.pk])
    assert job.status == ImportStatus.DONE
    assert (job.created_cases, job.skipped_cases, job.created_events) == (2, 0, 9)
    assert job.rows_read == 9
    assert job.cases_checked == 2
    assert job.percent == 100
    assert job.created_by == personas.coordinator
    assert job.finished_at is not None
    # The cases are there, recorded as imported by the coordinator; the uploaded copy is not kept.
    assert set(Case.objects.values_list("number", flat=True)) == {"罚2025-1", "检2025-1"}
    assert (
        AuditEntry.objects.filter(
            action="import", target_type="enforcement.case", actor_id=personas.coordinator.pk
        ).count()
        == 2
    )
    assert not job.source_file
    assert not default_storage.listdir("case-imports")[1]
    text = response.content.decode()
    assert 'id="import-done" data-created="2" data-events="9" data-skipped="0"' in text
    # The same file again: every case skipped, nothing created.
    upload(client_for(personas.coordinator), personas.region_a, "导出.csv", data)
    again = CaseImport.objects.order_by("-pk").first()
    assert again is not None
    assert (again.created_cases, again.skipped_cases) == (0, 2)
    assert Case.objects.count() == 2


def test_a_file_with_a_bad_case_imports_nothing_and_lists_the_row(
    body: Body, personas: Personas, tmp_path: Path
) -> None:
    data = csv_bytes(tmp_path, inspection("检2025-1") + major_case("罚2025-2", review=False))
    response = upload(client_for(personas.coordinator), personas.region_a, "cases.csv", data)
    job = CaseImport.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.error_count == 1
    assert job.created_cases == 0
    assert Case.objects.count() == 0
    assert CaseEvent.objects.count() == 0
    sheet, row, _column, message = job.errors[0]
    assert "罚2025-2" in sheet
    assert row == 9  # the collective discussion, which needs the passed review first
    assert "法制审核" in message  # the page speaks Chinese, and so does the job it ran
    text = response.content.decode()
    assert 'id="import-failed"' in text
    assert message in text.replace("&#x27;", "'").replace("&quot;", '"')


def test_a_renamed_file_is_refused_before_it_is_stored(personas: Personas) -> None:
    pdf = b"%PDF-1.7\n" + b"0" * 200
    response = upload(client_for(personas.coordinator), personas.region_a, "cases.csv", pdf)
    assert response.status_code == 200
    assert not CaseImport.objects.exists()
    assert response.context["form"].errors["file"]


def test_a_zip_bomb_named_xlsx_fails_in_the_worker_without_writing(
    body: Body, personas: Personas, tmp_path: Path
) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (300 * 1024 * 1024))
    upload(client_for(personas.coordinator), personas.region_a, "cases.xlsx", bomb.getvalue())
    job = CaseImport.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.error_count == 1
    assert Case.objects.count() == 0


def test_an_xlsx_reports_a_share_of_its_rows_as_progress(
    body: Body, personas: Personas, tmp_path: Path
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in major_case("罚2025-1"):
        sheet.append(row)
    path = tmp_path / "cases.xlsx"
    workbook.save(path)
    seen: list[tuple[int, int, float | None]] = []
    result = case_import.import_cases(personas.region_a, path, progress=lambda *args: seen.append(args))
    assert result.applied
    assert seen
    rows, cases, share = seen[-1]
    assert (rows, cases) == (6, 1)
    assert share is not None
    assert 0.8 < share <= 1.0


def test_a_csv_reports_the_share_of_its_bytes_as_progress(
    body: Body, personas: Personas, tmp_path: Path
) -> None:
    rows = [row for n in range(3) for row in inspection(f"检2025-{n}")]
    path = write_csv(tmp_path / "cases.csv", rows)
    seen: list[tuple[int, int, float | None]] = []
    case_import.import_cases(personas.region_a, path, progress=lambda *args: seen.append(args))
    assert seen[-1][2] == 1.0


def test_the_progress_callback_writes_counts_on_the_job(personas: Personas) -> None:
    with transaction.atomic():
        job = CaseImport.objects.create(region=personas.region_a, source_name="x.csv")
    progress = case_import_jobs._Progress(job)
    try:
        progress(120, 40, 0.5)
        progress(240, 80, 1.0)
    finally:
        progress.close()
    # Never 100 before the outcome is saved.
    assert (job.rows_read, job.cases_checked, job.percent) == (240, 80, 99)


def test_only_coordinators_of_the_region_reach_the_import(
    body: Body, personas: Personas, tmp_path: Path
) -> None:
    url = reverse("enforcement:case_import")
    assert client_for(personas.liaison).get(url).status_code == 403
    assert Client().get(url).status_code == 302
    # Region B's coordinator cannot choose region A, nor open region A's job.
    data = csv_bytes(tmp_path, inspection("检2025-1"))
    response = upload(client_for(personas.coordinator_b), personas.region_a, "cases.csv", data)
    assert response.context["form"].errors["region"]
    assert not CaseImport.objects.exists()
    upload(client_for(personas.coordinator), personas.region_a, "cases.csv", data)
    job = CaseImport.objects.get()
    status = reverse("enforcement:case_import_status", args=[job.pk])
    assert client_for(personas.coordinator_b).get(status).status_code == 404
    assert client_for(personas.coordinator).get(status).status_code == 200


def test_the_template_lists_every_column_and_reads_back(personas: Personas, tmp_path: Path) -> None:
    response = client_for(personas.coordinator).get(reverse("enforcement:case_import_template"))
    assert response.status_code == 200
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    workbook = openpyxl.load_workbook(path, read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    assert list(rows[0]) == [column.header for column in case_import.COLUMNS]
    assert len(rows) == 1 + len(EXAMPLE_ROWS)
    # Read back by the importer, the example is one case whose only problem is that its body is not in the
    # region: every column was recognised.
    result = case_import.import_cases(personas.region_a, path)
    assert result.rows == len(EXAMPLE_ROWS)
    assert result.error_count == 1
    assert result.errors[0].column == "执法主体"
    assert not result.applied
