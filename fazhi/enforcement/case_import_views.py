"""The case import pages: upload a file of cases, follow the worker's check and import, read the problems.

Thin: the file is checked and written by case_import.import_cases (through case_import_jobs in the worker);
these pages store the upload, queue it and show the job's row. The office's coordinators import for the
regions they manage (a unit's own system sends its cases through the API instead).
"""

from __future__ import annotations

import io

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from openpyxl import Workbook

from fazhi.orgs import access as org_access
from fazhi.orgs.access import MANAGER_ROLES, get_or_404, in_managed_regions, role_required
from fazhi.supervision.exports import CONTENT_TYPE

from . import case_import, case_import_jobs
from .forms import CaseImportForm
from .models import CaseImport

# The template's example: one case of the ordinary penalty procedure, a row per step (the format's words); the
# body and the case number on every row, the case's other columns on its first.
_CASE = {"unit": "区市场监督管理局", "number": "区市监罚〔2025〕1号"}
EXAMPLE_ROWS = (
    {**_CASE, "kind": "行政处罚普通程序", "power": "330217001000", "cause": "销售过期食品",
     "party_name": "某某商贸有限公司", "party_type": "法人", "is_major": "否",
     "step": "立案", "on": "2025-03-03"},
    {**_CASE, "step": "调查取证", "on": "2025-03-05", "officers": "15010001、15010002"},
    {**_CASE, "step": "告知", "on": "2025-03-20"},
    {**_CASE, "step": "放弃陈述申辩听证", "on": "2025-03-22"},
    {**_CASE, "step": "决定", "on": "2025-04-01", "penalty_amount": "5000",
     "discretion_standard": "初次违法"},
)  # fmt: skip


def readable_imports(user: object) -> QuerySet[CaseImport]:
    return in_managed_regions(CaseImport.objects.all(), user)


@role_required(*MANAGER_ROLES)
def case_import_upload(request: HttpRequest) -> HttpResponse:
    regions = org_access.managed_regions(request.user).order_by("path")
    form = CaseImportForm(request.POST or None, request.FILES or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = CaseImport(
            region=form.cleaned_data["region"],
            source_name=upload.name[:255],
            created_by=request.user,  # type: ignore[misc]
        )
        job.source_file.save(upload.name, upload, save=False)
        job.save()
        # The worker imports it; with the immediate backend (the tests) it has run by now.
        case_import_jobs.import_case_file.enqueue(job.pk)
        return redirect("enforcement:case_import_status", pk=job.pk)
    recent = readable_imports(request.user).select_related("region", "created_by")[:10]
    return render(request, "enforcement/case_import.html", {"form": form, "imports": recent})


@role_required(*MANAGER_ROLES)
def case_import_status(request: HttpRequest, pk: int) -> HttpResponse:
    job: CaseImport = get_or_404(readable_imports(request.user).select_related("region"), pk)
    polled = bool(request.headers.get("HX-Request"))
    template = "enforcement/_case_import_progress.html" if polled else "enforcement/case_import_status.html"
    return render(request, template, {"job": job})


@role_required(*MANAGER_ROLES)
def case_import_template(request: HttpRequest) -> HttpResponse:
    """An .xlsx with the column names and one example case, to fill in or to map an export onto."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = case_import.SHEET
    sheet.append([column.header for column in case_import.COLUMNS])
    for example in EXAMPLE_ROWS:
        sheet.append([example.get(column.key, "") for column in case_import.COLUMNS])
    for letter in "ABCDEFGHIJKLMNOPQRST":
        sheet.column_dimensions[letter].width = 16
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPE)
    # The file's name is part of the format, like its column names.
    response["Content-Disposition"] = content_disposition_header(True, "执法案件导入模板.xlsx")
    return response
