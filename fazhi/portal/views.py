"""Public pages: read-only, and only what is published. Nothing here needs an account."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from fazhi.orgs import access
from fazhi.orgs.access import get_or_404
from fazhi.reports import drafts, pdf
from fazhi.reports.generate import AnnualReport
from fazhi.reports.indicators import Scope
from fazhi.reports.models import DraftStatus, ReportDraft
from fazhi.reports.views import docx_response, paper, pdf_response


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    # The regions served are public facts (their names); everything else appears here once it is published.
    regions = access.public_regions().order_by("path")
    reports = _published()[:10]
    return render(request, "portal/index.html", {"regions": regions, "reports": reports})


def _published() -> QuerySet[ReportDraft]:
    return (
        ReportDraft.objects.filter(status=DraftStatus.PUBLISHED, published_revision__isnull=False)
        .select_related("region", "unit", "published_revision")
        .order_by("-year", "region__path", "unit__name")
    )


def _report(pk: int) -> tuple[ReportDraft, AnnualReport]:
    # Only the published revision is ever shown here: later drafts stay with the office.
    draft: ReportDraft = get_or_404(_published(), pk)
    revision = draft.published_revision
    assert revision is not None
    return draft, drafts.to_report(revision.content, Scope(draft.region, draft.year, draft.unit))


@require_safe
def reports(request: HttpRequest) -> HttpResponse:
    """Every published annual report, newest year first, searchable by region or unit name."""
    found = _published()
    query = request.GET.get("q", "").strip()[:50]
    if query:
        found = found.filter(region__name__contains=query) | found.filter(unit__name__contains=query)
    return render(request, "portal/reports.html", {"reports": found, "query": query})


@require_safe
def report(request: HttpRequest, pk: int) -> HttpResponse:
    draft, annual = _report(pk)
    context = {**paper(annual), "draft": draft, "pdf_available": pdf.available()}
    return render(request, "portal/report.html", context)


@require_safe
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    # The public copy leaves out the 数据来源 appendix: its record numbers mean nothing outside the platform.
    _draft, annual = _report(pk)
    return docx_response(annual, appendix=False)


@require_safe
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    draft, annual = _report(pk)
    return pdf_response(request, annual, reverse("portal:report", args=[draft.pk]), appendix=False)
