"""Supervision dashboards: the office's picture of a plan, the overdue list, assessment, a unit's own page,
and their Excel exports. Thin: access from `dashboard_access`, figures from `dashboards` and `scoring`, writes
through `scoring_actions`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fazhi.orgs.access import DIRECTORY_ROLES, role_required, scope_for
from fazhi.orgs.models import Role, Unit
from fazhi.plans.models import Plan

from . import dashboard_access as access
from . import dashboards, exports, scoring, scoring_actions
from .deadlines import calendar_for
from .models import ScoreAdjustment

PAGE_SIZE = 50
OFFICE_ROLES = (Role.COORDINATOR, Role.LEADER)


# --- helpers ------------------------------------------------------------------------------------------------


def _office_plan(request: HttpRequest) -> Plan | None:
    """The plan named by ?plan=, else the newest published plan whose office view the user may open."""
    if request.GET.get("plan"):
        return access.get_office_plan(request.user, request.GET["plan"])
    return access.newest(access.office_plans(request.user))


def _plan_choices(plans: Any) -> list[Plan]:
    return list(plans.select_related("region").order_by("-year", "-published_at", "-pk")[:30])


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=exports.CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _no_plan(request: HttpRequest, title: str) -> HttpResponse:
    return render(request, "supervision/dashboards/no_plan.html", {"title": title})


def _office_context(
    request: HttpRequest, plan: Plan, page: str, query: dict[str, Any] | None = None
) -> dict[str, Any]:
    query = query or {"plan": plan.pk}
    return {
        "plan": plan,
        "export_url": f"{reverse(f'supervision:{page}_export')}?{urlencode(query)}",
        "plans": _plan_choices(access.office_plans(request.user)),
        "can_manage": access.can_manage_plan(request.user, plan),
        "tab": page,
        "today": timezone.localdate(),
    }


# --- the office's dashboard ---------------------------------------------------------------------------------


def _plan_figures(plan: Plan) -> tuple[dashboards.PlanFigures, dashboards.Trend]:
    today = timezone.localdate()
    assignments, reports = access.plan_assignments(plan), access.plan_reports(plan)
    return (
        dashboards.plan_figures(plan, assignments, reports, today),
        dashboards.trend(plan, assignments, reports, today),
    )


@role_required(*OFFICE_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    plan = _office_plan(request)
    if plan is None:
        return _no_plan(request, _("Supervision dashboard"))
    figures, trend = _plan_figures(plan)
    context = _office_context(request, plan, "dashboard")
    context.update(
        figures=figures,
        charts={
            "areas": dashboards.area_chart(figures.areas),
            "units": dashboards.unit_chart(figures.units),
            "heatmap": dashboards.heatmap_chart(figures),
            "trend": dashboards.trend_chart(trend),
        },
    )
    return render(request, "supervision/dashboards/office.html", context)


@role_required(*OFFICE_ROLES)
def dashboard_export(request: HttpRequest) -> HttpResponse:
    plan = _office_plan(request)
    if plan is None:
        return _no_plan(request, _("Supervision dashboard"))
    figures, trend = _plan_figures(plan)
    return _xlsx(exports.export_dashboard(figures, trend), exports.filename(plan, "督办完成情况"))


# --- the overdue list ---------------------------------------------------------------------------------------


def _overdue_filters(request: HttpRequest) -> tuple[int | None, str]:
    try:
        unit_id = int(request.GET["unit"]) if request.GET.get("unit") else None
    except ValueError:
        unit_id = None
    card = request.GET.get("card", "")
    return unit_id, card if card in dashboards.CARDS else ""


@role_required(*OFFICE_ROLES)
def overdue(request: HttpRequest) -> HttpResponse:
    plan = _office_plan(request)
    if plan is None:
        return _no_plan(request, _("Overdue reports"))
    today = timezone.localdate()
    reports = access.plan_reports(plan)
    unit_id, card = _overdue_filters(request)
    units = dashboards.overdue_by_unit(reports, today)
    rows = dashboards.overdue_reports(reports, today, unit_id, card)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = dashboards.mark_cards(page.object_list, today, calendar_for(plan.region))
    for row in page.object_list:
        row.shown_status, row.shown_label = dashboards.visible_status(row, private=False)  # type: ignore[attr-defined]
    filters = {"plan": plan.pk, "unit": unit_id or "", "card": card}
    context = _office_context(request, plan, "overdue", filters)
    context.update(
        units=units,
        page=page,
        unit_id=unit_id,
        card=card,
        querystring=urlencode(filters),
        notice_url=reverse("supervision:notice_issue") if context["can_manage"] else None,
    )
    return render(request, "supervision/dashboards/overdue.html", context)


@role_required(*OFFICE_ROLES)
def overdue_export(request: HttpRequest) -> HttpResponse:
    plan = _office_plan(request)
    if plan is None:
        return _no_plan(request, _("Overdue reports"))
    today = timezone.localdate()
    reports = access.plan_reports(plan)
    unit_id, card = _overdue_filters(request)
    units = [u for u in dashboards.overdue_by_unit(reports, today) if unit_id in (None, u.unit_id)]
    rows = dashboards.overdue_reports(reports, today, unit_id, card).iterator(chunk_size=2000)
    data = exports.export_overdue(units, rows, today, calendar_for(plan.region))
    return _xlsx(data, exports.filename(plan, "逾期清单"))


# --- assessment ---------------------------------------------------------------------------------------------


class AdjustmentForm(forms.Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("Unit"), coerce=int)
    points = forms.DecimalField(
        label=gettext_lazy("points"), max_digits=6, decimal_places=2, min_value=-100, max_value=100,
        help_text=gettext_lazy("Positive for a bonus, negative for a deduction."),
    )  # fmt: skip
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=200)

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]
        self.fields["unit"].widget.attrs["class"] = "form-select form-select-sm"
        for name in ("points", "reason"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"


def _assessment(plan: Plan) -> scoring.Assessment:
    return scoring.assess(
        plan,
        access.plan_assignments(plan),
        access.plan_reports(plan),
        access.plan_adjustments(plan),
        timezone.localdate(),
    )


@role_required(*OFFICE_ROLES)
def assessment(request: HttpRequest) -> HttpResponse:
    plan = _office_plan(request)
    if plan is None:
        return _no_plan(request, _("Assessment"))
    result = _assessment(plan)
    context = _office_context(request, plan, "assessment")
    context["assessment"] = result
    if context["can_manage"]:
        context["form"] = AdjustmentForm(units=[(row.unit_id, row.name) for row in result.rows])
    return render(request, "supervision/dashboards/assessment.html", context)


@role_required(*OFFICE_ROLES)
def assessment_export(request: HttpRequest) -> HttpResponse:
    plan = _office_plan(request)
    if plan is None:
        return _no_plan(request, _("Assessment"))
    return _xlsx(exports.export_assessment(_assessment(plan)), exports.filename(plan, "考核排名"))


def _back_to_assessment(plan_id: int, unit_id: Any = None) -> HttpResponse:
    anchor = f"#unit-{unit_id}" if unit_id else ""
    return redirect(f"{reverse('supervision:assessment')}?plan={plan_id}{anchor}")


@require_POST
@role_required(Role.COORDINATOR)
def score_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_office_plan(request.user, pk)
    if not access.can_manage_plan(request.user, plan):
        raise PermissionDenied
    units = access.plan_assignments(plan).values_list("unit_id", "unit__name").distinct().order_by()
    form = AdjustmentForm(request.POST, units=list(units))
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return _back_to_assessment(plan.pk)
    data = form.cleaned_data
    try:
        scoring_actions.add_adjustment(request.user, plan, data["unit"], data["points"], data["reason"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Points entered: the ranking below includes them."))
    return _back_to_assessment(plan.pk, data["unit"])


@require_POST
@role_required(Role.COORDINATOR)
def score_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment: ScoreAdjustment = access.get_adjustment_for_user(request.user, pk)
    plan_id = request.POST.get("plan", "")
    scoring_actions.withdraw_adjustment(request.user, adjustment)
    messages.success(request, _("The entry was withdrawn."))
    if plan_id.isdigit():
        return _back_to_assessment(int(plan_id), adjustment.unit_id)
    return redirect("supervision:assessment")


# --- the role home page -------------------------------------------------------------------------------------


def home_panels(request: HttpRequest) -> dict[str, Any]:
    """The supervision panels of the role home page, for "supervision/dashboards/_home.html": the office's
    (or a leader's, read-only) summary of its newest plan, and each of the user's units' counts."""
    today = timezone.localdate()
    panels: dict[str, Any] = {"today": today}
    scope = scope_for(request.user)
    if scope.is_admin or scope.managed_paths or scope.leader_paths:
        plan = access.newest(access.office_plans(request.user))
        if plan is not None:
            reports = access.plan_reports(plan)
            overdue = dashboards.due_counts(reports, today).values()
            panels["office"] = {
                "plan": plan,
                "assignments": dashboards.completion(access.plan_assignments(plan)),
                "overdue": sum(counts.overdue for counts in overdue),
                "red": sum(counts.red for counts in overdue),
                "can_manage": access.can_manage_plan(request.user, plan),
            }
    units = list(access.member_units(request.user).order_by("sort_order", "name"))
    if units:
        counts = dashboards.due_counts(access.published_reports_of(units), today)
        panels["units"] = [(unit, counts.get(unit.pk, dashboards.DueCounts())) for unit in units]
    return {"supervision": panels}


# --- a unit's own dashboard ---------------------------------------------------------------------------------


def _unit_plan(request: HttpRequest, unit: Unit) -> Plan | None:
    if request.GET.get("plan"):
        return access.get_unit_plan(request.user, unit, request.GET["plan"])
    return access.newest(access.unit_plans(request.user, unit))


def _unit_figures(request: HttpRequest, unit: Unit, plan: Plan) -> dict[str, Any]:
    today = timezone.localdate()
    private = access.is_unit_member(request.user, unit)
    assignments = access.plan_assignments(plan).filter(unit=unit)
    reports = access.plan_reports(plan).filter(unit=unit)
    areas = dashboards.plan_areas(plan)
    grid = dashboards.assignment_grid(assignments, areas)
    dashboards.add_report_stats(grid, reports, today)
    row = grid.get(unit.pk) or dashboards.UnitRow(unit.pk, unit.name, unit.sort_order)
    tasks = dashboards.task_completion(plan, areas, unit.pk)
    area_rows = [
        dashboards.AreaRow(area, tasks.get(area.key, dashboards.ZERO), row.by_area[area.key])
        for area in [*areas.areas, dashboards.Area(dashboards.NO_AREA, _("Other tasks"))]
        if area.key in row.by_area
    ]
    return {
        "today": today,
        "private": private,
        "row": row,
        "areas": area_rows,
        "counts": dashboards.status_counts(reports, private),
        "trend": dashboards.trend(plan, assignments, reports, today),
        "overdue": dashboards.overdue_reports(reports, today),
    }


@role_required(*DIRECTORY_ROLES)
def unit_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_dashboard_unit(request.user, pk)
    plan = _unit_plan(request, unit)
    if plan is None:
        return render(request, "supervision/dashboards/unit.html", {"unit": unit, "plan": None})
    figures = _unit_figures(request, unit, plan)
    page = Paginator(figures.pop("overdue"), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = dashboards.mark_cards(page.object_list, figures["today"], calendar_for(plan.region))
    for report in page.object_list:
        report.shown_status, report.shown_label = dashboards.visible_status(report, figures["private"])  # type: ignore[attr-defined]
    result = _assessment(plan)
    context = {
        "unit": unit,
        "plan": plan,
        "plans": _plan_choices(access.unit_plans(request.user, unit)),
        "page": page,
        "querystring": urlencode({"plan": plan.pk}),
        "export_url": f"{reverse('supervision:unit_export', args=[unit.pk])}?{urlencode({'plan': plan.pk})}",
        "score": result.for_unit(unit.pk),
        "ranked": len(result.rows),
        "weights": result.weights,
        "charts": {
            "statuses": dashboards.status_chart(figures["counts"]),
            "trend": dashboards.trend_chart(figures["trend"]),
        },
        **figures,
    }
    return render(request, "supervision/dashboards/unit.html", context)


@role_required(*DIRECTORY_ROLES)
def unit_export(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_dashboard_unit(request.user, pk)
    plan = _unit_plan(request, unit)
    if plan is None:
        return render(request, "supervision/dashboards/unit.html", {"unit": unit, "plan": None})
    figures = _unit_figures(request, unit, plan)
    data = exports.export_unit(
        figures["areas"], figures["counts"], figures["overdue"].iterator(chunk_size=2000), figures["today"],
        calendar_for(plan.region), figures["private"], figures["trend"],
    )  # fmt: skip
    return _xlsx(data, exports.filename(plan, "督办情况", unit))
