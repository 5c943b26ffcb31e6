"""Report pages: a region's annual report read in the browser, the records behind each sentence, the .docx."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from fazhi.orgs.access import role_required
from fazhi.orgs.models import Region

from . import access, docx, indicators
from .generate import RECORD_NAMES, AnnualReport, Paragraph, Sentence, generate

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Shown:
    """A sentence as shown: its number in reading order (for the sources fragment) and whether it rests on
    figures or records (only those are clickable)."""

    number: int
    text: str
    traced: bool


def _traced(sentence: Sentence) -> bool:
    return bool(sentence.figures or sentence.quotes or sentence.sources)


def _report(request: HttpRequest, region_pk: int, year: int) -> tuple[Region, AnnualReport]:
    region = access.get_report_region_for_user(request.user, region_pk)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return region, generate(indicators.Scope(region, year))


def _numbered(report: AnnualReport) -> dict[int, int]:
    """id(sentence) → its number in report.sentences(), the order the sources fragment counts in."""
    return {id(sentence): number for number, sentence in enumerate(report.sentences())}


def _shown(paragraph: Paragraph, numbers: dict[int, int]) -> list[Shown]:
    return [Shown(numbers[id(s)], s.text, _traced(s)) for s in paragraph.sentences]


@require_safe
@role_required(*access.REPORT_ROLES)
def preview(request: HttpRequest, region_pk: int, year: int) -> HttpResponse:
    """The year's report in 公文 layout; each traced sentence opens its indicators and records."""
    region, report = _report(request, region_pk, year)
    numbers = _numbered(report)
    sections = [
        (section.title, [(p.heading, _shown(p, numbers)) for p in section.paragraphs])
        for section in report.sections
    ]
    years = access.report_years(region)
    context: dict[str, Any] = {
        "region": region,
        "year": year,
        "years": years,
        "title": _shown(Paragraph((report.title,)), numbers)[0],
        "opening": _shown(report.opening, numbers),
        "sections": sections,
        "closing": _shown(report.closing, numbers),
        "has_plans": year in years,
    }
    return render(request, "reports/preview.html", context)


@require_safe
@role_required(*access.REPORT_ROLES)
def year_choice(request: HttpRequest, region_pk: int) -> HttpResponse:
    """The years a report can be read for: those of the region's published plans."""
    region = access.get_report_region_for_user(request.user, region_pk)
    return render(request, "reports/years.html", {"region": region, "years": access.report_years(region)})


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
            records.append(Record(pk, url))
        groups.append((RECORD_NAMES.get(label, label), records))
    return groups


@require_safe
@role_required(*access.REPORT_ROLES)
def sources(request: HttpRequest, region_pk: int, year: int, number: int) -> HttpResponse:
    """The indicators and records one sentence of the report rests on (an htmx fragment)."""
    region, report = _report(request, region_pk, year)
    sentences = report.sentences()
    if not 0 <= number < len(sentences):
        raise Http404
    sentence = sentences[number]
    names = access.indicator_names()
    figures = [(names.get(f.code, f.code), f.code, f.text) for f in sentence.figures]
    context = {
        "region": region,
        "year": year,
        "sentence": sentence,
        "figures": figures,
        "records": _records(sentence),
    }
    template = "reports/_sources.html" if request.headers.get("HX-Request") else "reports/sources.html"
    return render(request, template, context)


@require_safe
@role_required(*access.REPORT_ROLES)
def download(request: HttpRequest, region_pk: int, year: int) -> HttpResponse:
    """The report as a GB/T 9704 .docx with its 数据来源 appendix."""
    region, report = _report(request, region_pk, year)
    response = HttpResponse(docx.render(report), content_type=DOCX_TYPE)
    filename = _("%(region)s %(year)s annual report.docx") % {"region": region.name, "year": year}
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
