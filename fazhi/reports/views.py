"""Report pages: a region's or a unit's annual report as generated from the records, read in the browser with
the records behind each sentence, and downloaded as .docx or PDF. The office's draft is in draft_views."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from fazhi.orgs.access import role_required
from fazhi.orgs.models import UNIT_ROLES, Region, Unit
from fazhi.supervision.chasing import home_region

from . import access, docx, indicators, pdf
from .generate import RECORD_NAMES, AnnualReport, Paragraph, Sentence, generate

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FIRST_YEAR, LAST_YEAR = 2000, 2100
UNIT_REPORT_ROLES = (*access.REPORT_ROLES, *UNIT_ROLES)


# --- the report as a page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A sentence as shown: its text, the address of the figures and records behind it (None when it rests
    on none, or on the public portal), and whether the office wrote it rather than the records."""

    text: str
    url: str | None = None
    edited: bool = False


def _traced(sentence: Sentence) -> bool:
    return bool(sentence.figures or sentence.quotes or sentence.sources)


def paper(
    report: AnnualReport, sources_url: Callable[[int], str] | None = None, edited: list[bool] | None = None
) -> dict[str, Any]:
    """The context of reports/_paper.html: the report in 公文 layout. With `sources_url` (sentence number →
    address), each traced sentence opens its records; `edited` marks the office's own sentences, in the order
    of report.sentences()."""
    numbers = {id(sentence): number for number, sentence in enumerate(report.sentences())}

    def shown(sentence: Sentence) -> Shown:
        number = numbers[id(sentence)]
        url = sources_url(number) if sources_url is not None and _traced(sentence) else None
        return Shown(sentence.text, url, bool(edited and edited[number]))

    def shown_all(paragraph: Paragraph) -> list[Shown]:
        return [shown(sentence) for sentence in paragraph.sentences]

    return {
        "title": shown(report.title),
        "opening": shown_all(report.opening),
        "sections": [
            (section.title, [(p.heading, shown_all(p)) for p in section.paragraphs])
            for section in report.sections
        ],
        "closing": shown_all(report.closing),
    }


def checked_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


def _region_report(request: HttpRequest, region_pk: int, year: int) -> tuple[Region, AnnualReport]:
    region = access.get_report_region_for_user(request.user, region_pk)
    return region, generate(indicators.Scope(region, checked_year(year)))


def _unit_report(request: HttpRequest, unit_pk: int, year: int) -> tuple[Unit, AnnualReport]:
    unit = access.get_report_unit_for_user(request.user, unit_pk)
    return unit, generate(indicators.Scope(home_region(unit), checked_year(year), unit))


def _preview(
    request: HttpRequest, report: AnnualReport, urls: dict[str, Any], years: list[int]
) -> HttpResponse:
    year = report.scope.year
    context: dict[str, Any] = {
        **paper(report, lambda number: urls["sources"](number)),
        "region": report.scope.region,
        "unit": report.scope.unit,
        "year": year,
        "year_links": [(choice, urls["year"](choice)) for choice in years],
        "docx_url": urls["docx"],
        "pdf_url": urls["pdf"] if pdf.available() else None,
        "draft_url": urls.get("draft"),
        "has_plans": year in years,
    }
    return render(request, "reports/preview.html", context)


@require_safe
@role_required(*access.REPORT_ROLES)
def preview(request: HttpRequest, region_pk: int, year: int) -> HttpResponse:
    """The year's report as the records give it today (公文 layout); traced sentences open their records."""
    region, report = _region_report(request, region_pk, year)
    urls = {
        "sources": lambda number: reverse("reports:sources", args=[region.pk, year, number]),
        "year": lambda choice: reverse("reports:preview", args=[region.pk, choice]),
        "docx": reverse("reports:docx", args=[region.pk, year]),
        "pdf": reverse("reports:pdf", args=[region.pk, year]),
        "draft": reverse("reports:draft", args=[region.pk, year]),
    }
    return _preview(request, report, urls, access.report_years(region))


@require_safe
@role_required(*UNIT_REPORT_ROLES)
def unit_preview(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    """A unit's own report (a department's report to its government), as the records give it today."""
    unit, report = _unit_report(request, unit_pk, year)
    urls = {
        "sources": lambda number: reverse("reports:unit_sources", args=[unit.pk, year, number]),
        "year": lambda choice: reverse("reports:unit_preview", args=[unit.pk, choice]),
        "docx": reverse("reports:unit_docx", args=[unit.pk, year]),
        "pdf": reverse("reports:unit_pdf", args=[unit.pk, year]),
    }
    return _preview(request, report, urls, access.report_years(report.scope.region))


@require_safe
@role_required(*access.REPORT_ROLES)
def year_choice(request: HttpRequest, region_pk: int) -> HttpResponse:
    """The years a report can be read for: those of the region's published plans."""
    region = access.get_report_region_for_user(request.user, region_pk)
    return render(request, "reports/years.html", {"region": region, "years": access.report_years(region)})


@require_safe
@role_required(*UNIT_REPORT_ROLES)
def unit_year_choice(request: HttpRequest, unit_pk: int) -> HttpResponse:
    """The years a unit's report can be read for, and (for a unit's staff) their other units."""
    unit = access.get_report_unit_for_user(request.user, unit_pk)
    context = {"unit": unit, "region": home_region(unit), "years": access.report_years(home_region(unit))}
    return render(request, "reports/years.html", context)


# --- the records behind a sentence ------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    pk: int
    url: str | None


def _records(sentence: Sentence) -> list[tuple[str, list[Record]]]:
    plans = access.plans_of_tasks(list(sentence.sources.get(indicators.TASK, ())))
    groups = []
    for label, ids in sorted(sentence.sources.items()):
        records = []
        for pk in ids:
            url = None
            if label == indicators.REPORT:
                url = reverse("supervision:report_detail", args=[pk])
            elif label == indicators.PLAN:
                url = reverse("plans:plan_detail", args=[pk])
            elif label == indicators.TASK and pk in plans:
                url = reverse("plans:plan_detail", args=[plans[pk]]) + f"#task-{pk}"
            elif label == indicators.CASE:
                url = reverse("enforcement:case_detail", args=[pk])
            records.append(Record(pk, url))
        groups.append((RECORD_NAMES.get(label, label), records))
    return groups


def sources_response(request: HttpRequest, report: AnnualReport, number: int, back: str) -> HttpResponse:
    """The indicators and records sentence `number` of `report` rests on (an htmx fragment, or a page that
    links `back` to the report)."""
    sentences = report.sentences()
    if not 0 <= number < len(sentences):
        raise Http404
    sentence = sentences[number]
    names = access.indicator_names()
    figures = [(names.get(f.code, f.code), f.code, f.text) for f in sentence.figures]
    context = {
        "region": report.scope.region,
        "unit": report.scope.unit,
        "year": report.scope.year,
        "sentence": sentence,
        "figures": figures,
        "records": _records(sentence),
        "back_url": back,
    }
    template = "reports/_sources.html" if request.headers.get("HX-Request") else "reports/sources.html"
    return render(request, template, context)


@require_safe
@role_required(*access.REPORT_ROLES)
def sources(request: HttpRequest, region_pk: int, year: int, number: int) -> HttpResponse:
    region, report = _region_report(request, region_pk, year)
    return sources_response(request, report, number, reverse("reports:preview", args=[region.pk, year]))


@require_safe
@role_required(*UNIT_REPORT_ROLES)
def unit_sources(request: HttpRequest, unit_pk: int, year: int, number: int) -> HttpResponse:
    unit, report = _unit_report(request, unit_pk, year)
    return sources_response(request, report, number, reverse("reports:unit_preview", args=[unit.pk, year]))


# --- downloads --------------------------------------------------------------------------------------------


def file_name(report: AnnualReport, extension: str) -> str:
    subject = report.scope.unit.name if report.scope.unit else report.scope.region.name
    return _("%(region)s %(year)s annual report") % {"region": subject, "year": report.scope.year} + extension


def docx_response(report: AnnualReport, appendix: bool = True) -> HttpResponse:
    """The report as a GB/T 9704 .docx (with its 数据来源 appendix unless `appendix` is False)."""
    response = HttpResponse(docx.render(report, appendix=appendix), content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, file_name(report, ".docx"))
    return response


def pdf_response(
    request: HttpRequest, report: AnnualReport, back: str, appendix: bool = True
) -> HttpResponse:
    """The .docx turned into PDF by LibreOffice; where that fails, back to `back` with the reason."""
    try:
        data = pdf.from_docx(docx.render(report, appendix=appendix))
    except pdf.PdfError as error:
        messages.error(request, str(error))
        return redirect(back)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, file_name(report, ".pdf"))
    return response


@require_safe
@role_required(*access.REPORT_ROLES)
def download(request: HttpRequest, region_pk: int, year: int) -> HttpResponse:
    _region, report = _region_report(request, region_pk, year)
    return docx_response(report)


@require_safe
@role_required(*access.REPORT_ROLES)
def download_pdf(request: HttpRequest, region_pk: int, year: int) -> HttpResponse:
    region, report = _region_report(request, region_pk, year)
    return pdf_response(request, report, reverse("reports:preview", args=[region.pk, year]))


@require_safe
@role_required(*UNIT_REPORT_ROLES)
def unit_download(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    _unit, report = _unit_report(request, unit_pk, year)
    return docx_response(report)


@require_safe
@role_required(*UNIT_REPORT_ROLES)
def unit_download_pdf(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    unit, report = _unit_report(request, unit_pk, year)
    return pdf_response(request, report, reverse("reports:unit_preview", args=[unit.pk, year]))
