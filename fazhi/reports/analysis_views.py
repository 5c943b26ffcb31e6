"""Reading a region's annual report for 督察: the page behind ``fazhi report analyze FILE [--plan PLAN]``.

The office uploads a report (and optionally the plan to check it against: a plan file, or one of the published
plans it may read) and sees what docparse reads: kind, region, year, sections by part of the mandated
structure, the figures claimed, and against a plan which tasks the report covers and which targets it reports
met. Nothing is stored: the files are read in memory, checked as hostile uploads by docparse, and forgotten.
"""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from fazhi.docparse import DocumentError, PlanDocument, SourceText, analyse_report, parse_plan_document
from fazhi.docparse import Task as ParsedTask
from fazhi.docparse.metadata import Metadata
from fazhi.docparse.outline import Outline
from fazhi.docparse.targets import Target as ParsedTarget
from fazhi.orgs.access import role_required
from fazhi.plans import access as plan_access
from fazhi.plans.models import Plan, PlanStatus, TaskKind

from . import access
from .forms import ReportAnalysisForm, Upload

PART_NAMES = {
    "measures": gettext_lazy("Main measures and results"),
    "shortcomings": gettext_lazy("Shortcomings"),
    "leaders": gettext_lazy("Duties of the first responsible person"),
    "next_year": gettext_lazy("Work plan for the next year"),
    "other": gettext_lazy("Other"),
}
KIND_NAMES = {
    "report": gettext_lazy("annual report"),
    "plan": gettext_lazy("plan"),
    "other": gettext_lazy("other document"),
}
COVERAGE_NAMES = {"reported": gettext_lazy("reported"), "not_reported": gettext_lazy("not reported")}
TARGET_NAMES = {
    "met": gettext_lazy("met"),
    "not_met": gettext_lazy("not met"),
    "not_reported": gettext_lazy("not reported"),
}
STATUS_CLASSES = {"reported": "success", "met": "success", "not_met": "danger", "not_reported": "secondary"}


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def plan_document(plan: Plan) -> PlanDocument:
    """A published plan's tasks as docparse's plan structure, so a report is checked against the plan as
    reviewed and published (the office may have corrected the import), not against the file it came from.

    The comparison reads each task's path, title, text and targets; the import stores those exactly as
    docparse read them, so a plan imported from a file gives the same coverage as that file given to the
    command.
    """
    tasks = plan.tasks.filter(kind=TaskKind.TASK).prefetch_related("targets").order_by("position")
    parsed = [
        ParsedTask(
            path=tuple(task.path),
            title=task.title or None,
            text=task.text,
            lead_units=[],
            units=[],
            cooperating_units=[],
            targets=[
                ParsedTarget(
                    target.text,
                    target.comparator,
                    _number(target.value),
                    _number(target.value_max) if target.value_max is not None else None,
                    target.measure,
                )
                for target in task.targets.all()
            ],
            deadlines=[],
            recurrence=task.recurrence or None,
            span=(task.span_start or 0, task.span_end or 0),
        )
        for task in tasks
    ]
    return PlanDocument(
        title=plan.title,
        issuer=plan.issuer or None,
        doc_number=plan.doc_number or None,
        date=plan.issued_on,
        year=plan.year,
        kind="plan",
        tasks=parsed,
        warnings=[],
        source=SourceText(plan.source_text, (), "txt"),
        outline=Outline(),
        metadata=Metadata(),
    )


def _analyse(form: ReportAnalysisForm) -> dict[str, Any] | None:
    """The analysis as ``report analyze --json`` prints it, or None with the reason added to the form."""
    data = form.cleaned_data
    max_bytes = settings.FAZHI_UPLOAD_MAX_BYTES
    plan: PlanDocument | None = None
    if data.get("plan") is not None:
        plan = plan_document(data["plan"])
        if not plan.tasks:
            form.add_error("plan", _("This plan has no tasks to check the report against."))
            return None
    elif data.get("plan_file") is not None:
        upload: Upload = data["plan_file"]
        try:
            plan = parse_plan_document(upload.data, upload.name, max_bytes=max_bytes)
        except DocumentError as error:
            form.add_error("plan_file", error.message)
            return None
        if not plan.tasks:
            form.add_error(
                "plan_file",
                _(
                    "No plan tasks were found in %(name)s, so the report cannot be checked against it: "
                    "upload a work plan."
                )
                % {"name": upload.name},
            )
            return None
    report: Upload = data["report"]
    try:
        return analyse_report(report.data, plan, filename=report.name, max_bytes=max_bytes).to_dict()
    except DocumentError as error:
        form.add_error("report", error.message)
        return None


def as_json(result: dict[str, Any]) -> str:
    """Exactly what ``fazhi report analyze FILE --json`` writes to stdout."""
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"


def _json_name(report_name: str) -> str:
    return _("%(name)s analysis.json") % {"name": PurePath(report_name).stem}


def _path(path: list[str]) -> str:
    return "".join(path)


def _counts(items: list[dict[str, Any]], names: dict[str, Any]) -> list[tuple[str, Any, int]]:
    return [
        (status, label, sum(1 for item in items if item["status"] == status))
        for status, label in names.items()
    ]


def _chart(coverage: list[tuple[str, Any, int]], targets: list[tuple[str, Any, int]]) -> dict[str, Any]:
    """Tasks reported / not reported and targets met / not met / not reported, as two stacked bars."""
    counts = {("tasks", status): n for status, _label, n in coverage}
    counts |= {("targets", status): n for status, _label, n in targets}
    series = [
        (_("reported or met"), "#198754", ("reported", "met")),
        (_("not met"), "#dc3545", ("", "not_met")),
        (_("not reported"), "#adb5bd", ("not_reported", "not_reported")),
    ]
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"bottom": 0},
        "grid": {"left": 8, "right": 24, "top": 8, "bottom": 32, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": [_("plan tasks"), _("targets")], "inverse": True},
        "series": [
            {
                "type": "bar",
                "stack": "all",
                "name": str(name),
                "itemStyle": {"color": color},
                "label": {"show": True},
                "data": [counts.get(("tasks", task), 0), counts.get(("targets", target), 0)],
            }
            for name, color, (task, target) in series
        ],
    }


def _context(result: dict[str, Any], report_name: str) -> dict[str, Any]:
    text = as_json(result)
    context: dict[str, Any] = {
        "result": result,
        "kind_name": KIND_NAMES.get(result["kind"], result["kind"]),
        "sections": [(section["title"], PART_NAMES[section["part"]]) for section in result["sections"]],
        "claims": result["claims"],
        "json_name": _json_name(report_name),
        # The same bytes as the JSON download, so the result can be saved without uploading the files again.
        "json_data": base64.b64encode(text.encode("utf-8")).decode("ascii"),
        "compared": "coverage" in result,
    }
    if "coverage" in result:
        coverage_counts = _counts(result["coverage"], COVERAGE_NAMES)
        target_counts = _counts(result["targets"], TARGET_NAMES)
        context |= {
            "coverage": [
                (_path(item["path"]), item, COVERAGE_NAMES[item["status"]], STATUS_CLASSES[item["status"]])
                for item in result["coverage"]
            ],
            "targets": [
                (_path(item["path"]), item, TARGET_NAMES[item["status"]], STATUS_CLASSES[item["status"]])
                for item in result["targets"]
            ],
            "coverage_counts": [(label, n, STATUS_CLASSES[status]) for status, label, n in coverage_counts],
            "target_counts": [(label, n, STATUS_CLASSES[status]) for status, label, n in target_counts],
            "chart": _chart(coverage_counts, target_counts),
        }
    return context


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(*access.REPORT_ROLES)
def analyze(request: HttpRequest) -> HttpResponse:
    """Upload a report (and a plan) and read the analysis; ``format=json`` downloads it as the command
    prints it."""
    plans = (
        plan_access.readable_plans(request.user)
        .filter(status=PlanStatus.PUBLISHED)
        .select_related("region")
        .order_by("-year", "region__path", "title")
    )
    if request.method != "POST":
        return render(request, "reports/analysis.html", {"form": ReportAnalysisForm(plans=plans)})
    form = ReportAnalysisForm(request.POST, request.FILES, plans=plans)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        result = _analyse(form)
        if result is not None:
            report_name = form.cleaned_data["report"].name
            if request.POST.get("format") == "json":
                response = HttpResponse(as_json(result), content_type="application/json; charset=utf-8")
                response["Content-Disposition"] = content_disposition_header(True, _json_name(report_name))
                return response
            context |= _context(result, report_name)
            context["report_name"] = report_name
            context["form"] = ReportAnalysisForm(plans=plans, initial={"plan": form.cleaned_data.get("plan")})
    return render(request, "reports/analysis.html", context)
