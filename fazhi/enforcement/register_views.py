"""The enforcement register pages: bodies, officers, powers and discretion standards with search and paging,
one item with its change history, the export of a register and the import of one from a spreadsheet.

Thin: records are reached through fazhi.enforcement.registers' chokepoints, and an upload goes to
fazhi.enforcement.importing.import_upload (the same checks and writes as `fazhi import-enforcement`) after the
region permission is checked. The forms live here (validation only) because they serve these pages alone.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from fazhi.orgs.access import get_region_for_user, role_required
from fazhi.orgs.forms import BootstrapMixin, RegionChoiceField
from fazhi.orgs.importing import MAX_DATA_ROWS, SHOWN_ERRORS
from fazhi.orgs.models import Role, Unit

from . import importing, register_export, registers
from .models import (
    BodyNature,
    DiscretionStandard,
    DiscretionStandardQuerySet,
    EnforcementBody,
    EnforcementRules,
    PowerKind,
    TrainingRecord,
)

PAGE_SIZE = 50
KEYWORD_LENGTH = 50

# What the pages call each register (the importer's REGISTER_NAMES are the file format's Chinese words).
REGISTER_LABELS: dict[str, Any] = {
    importing.BODIES: gettext_lazy("Enforcement bodies"),
    importing.OFFICERS: gettext_lazy("Enforcement officers"),
    importing.TRAINING: gettext_lazy("Officers' training"),
    importing.POWERS: gettext_lazy("Powers and responsibilities"),
    importing.STANDARDS: gettext_lazy("Discretion standards"),
}
NOT_REGISTERED = "none"
OFFICER_STATES = [
    ("", gettext_lazy("all certificates")),
    ("valid", gettext_lazy("valid and active")),
    ("expiring", gettext_lazy("expiring within 90 days")),
    ("expired", gettext_lazy("expired")),
    ("inactive", gettext_lazy("no longer active")),
]


# --- forms --------------------------------------------------------------------------------------------------


class RegisterFilter(BootstrapMixin, forms.Form):
    """Narrow a register list: a keyword, a region the user supervises, a body."""

    q = forms.CharField(label=gettext_lazy("keyword"), required=False, max_length=KEYWORD_LENGTH)
    region = RegionChoiceField(
        label=gettext_lazy("region"), required=False, queryset=None, empty_label=gettext_lazy("all regions")
    )
    body = forms.ModelChoiceField(
        label=gettext_lazy("enforcement body"),
        required=False,
        queryset=Unit.objects.none(),
        empty_label=gettext_lazy("all bodies"),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = registers.filter_regions(user).order_by("path")
        region: Any = self.fields["region"]
        region.queryset = regions
        if not regions.exists():
            del self.fields["region"]  # a body's staff read their own body only
        body: Any = self.fields["body"]
        body.queryset = registers.bodies_for(user).order_by("name")

    def data_or_empty(self) -> dict[str, Any]:
        return self.cleaned_data if self.is_bound and self.is_valid() else {}

    def narrow(self, rows: QuerySet[Any], unit: str) -> QuerySet[Any]:
        """`rows` of the chosen region and body; `unit` is the path from a row to its body."""
        data = self.data_or_empty()
        if data.get("region") is not None:
            rows = rows.filter(**{f"{unit}__region__path__startswith": data["region"].path})
        if data.get("body") is not None:
            rows = rows.filter(**{unit: data["body"]})
        return rows

    def keyword(self) -> str:
        return str(self.data_or_empty().get("q") or "").strip()


class BodyFilter(RegisterFilter):
    nature = forms.ChoiceField(
        label=gettext_lazy("nature"),
        required=False,
        choices=[
            ("", gettext_lazy("all natures")),
            *BodyNature.choices,
            (NOT_REGISTERED, gettext_lazy("not in the register yet")),
        ],
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        del self.fields["body"]


class OfficerFilter(RegisterFilter):
    state = forms.ChoiceField(label=gettext_lazy("certificate"), required=False, choices=OFFICER_STATES)
    reviewer = forms.BooleanField(label=gettext_lazy("legal reviewers only"), required=False)


class PowerFilter(RegisterFilter):
    kind = forms.ChoiceField(
        label=gettext_lazy("kind"),
        required=False,
        choices=[("", gettext_lazy("all kinds")), *PowerKind.choices],
    )


class StandardFilter(RegisterFilter):
    filing = forms.ChoiceField(
        label=gettext_lazy("filing"),
        required=False,
        choices=[
            ("", gettext_lazy("filed or not")),
            ("filed", gettext_lazy("filed with the justice bureau")),
            ("not_filed", gettext_lazy("not filed")),
        ],
    )
    in_force = forms.BooleanField(label=gettext_lazy("in force today only"), required=False)


class ImportForm(BootstrapMixin, forms.Form):
    register = forms.ChoiceField(
        label=gettext_lazy("register to import"), choices=list(REGISTER_LABELS.items())
    )
    region = RegionChoiceField(label=gettext_lazy("region"), queryset=None)
    file = forms.FileField(
        label=gettext_lazy("spreadsheet (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region: Any = self.fields["region"]
        region.queryset = registers.import_regions(user).order_by("path")
        region.empty_label = None


# --- the lists ----------------------------------------------------------------------------------------------


def _page(request: HttpRequest, rows: QuerySet[Any]) -> tuple[Page[Any], str]:
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _context(request: HttpRequest, tab: str, form: RegisterFilter, page: Page[Any], querystring: str) -> dict:
    return {
        "tab": tab,
        "form": form,
        "page": page,
        "querystring": querystring,
        "may_import": registers.import_regions(request.user).exists(),
        "today": timezone.localdate(),
    }


def _bodies(request: HttpRequest) -> tuple[BodyFilter, QuerySet[Unit]]:
    form = BodyFilter(request.user, request.GET or None)
    units = registers.bodies_for(request.user)
    data = form.data_or_empty()
    if data.get("region") is not None:
        units = units.filter(region__path__startswith=data["region"].path)
    if data.get("nature") == NOT_REGISTERED:
        units = units.filter(enforcement_body__isnull=True)
    elif data.get("nature"):
        units = units.filter(enforcement_body__nature=data["nature"])
    keyword = form.keyword()
    if keyword:
        units = units.filter(
            Q(name__contains=keyword)
            | Q(region__name__contains=keyword)
            | Q(enforcement_body__legal_basis__contains=keyword)
        )
    return form, units


@role_required()
@require_safe
def bodies(request: HttpRequest) -> HttpResponse:
    registers.check_reach(request.user)
    form, units = _bodies(request)
    units = registers.body_counts(units.select_related("region", "enforcement_body__entrusted_by"))
    page, querystring = _page(request, units.order_by("region__path", "sort_order", "name", "pk"))
    page.object_list = [(unit, registers.body_entry(unit)) for unit in page.object_list]
    context = _context(request, importing.BODIES, form, page, querystring)
    return render(request, "enforcement/register_bodies.html", context)


def _officers(request: HttpRequest) -> tuple[OfficerFilter, QuerySet[Any]]:
    form = OfficerFilter(request.user, request.GET or None)
    officers = form.narrow(registers.officers_for(request.user), "unit")
    data = form.data_or_empty()
    officers = registers.filter_officers(officers, data.get("state") or "", timezone.localdate())
    if data.get("reviewer"):
        officers = officers.filter(is_legal_reviewer=True)
    keyword = form.keyword()
    if keyword:
        officers = officers.filter(
            Q(name__contains=keyword) | Q(certificate_number__contains=keyword) | Q(field__contains=keyword)
        )
    return form, officers


@role_required()
@require_safe
def officers(request: HttpRequest) -> HttpResponse:
    registers.check_reach(request.user)
    today = timezone.localdate()
    form, found = _officers(request)
    found = registers.year_hours(found.select_related("unit__region"), today.year)
    page, querystring = _page(request, found.order_by("unit__region__path", "unit__name", "name", "pk"))
    page.object_list = registers.officer_rows(page.object_list, today)
    context = _context(request, importing.OFFICERS, form, page, querystring)
    return render(request, "enforcement/register_officers.html", context)


def _powers(request: HttpRequest) -> tuple[PowerFilter, QuerySet[Any]]:
    form = PowerFilter(request.user, request.GET or None)
    powers = form.narrow(registers.powers_for(request.user), "unit")
    data = form.data_or_empty()
    if data.get("kind"):
        powers = powers.filter(kind=data["kind"])
    keyword = form.keyword()
    if keyword:
        powers = powers.filter(
            Q(code__contains=keyword) | Q(name__contains=keyword) | Q(legal_basis__contains=keyword)
        )
    return form, powers


@role_required()
@require_safe
def powers(request: HttpRequest) -> HttpResponse:
    registers.check_reach(request.user)
    form, found = _powers(request)
    found = found.select_related("unit__region").annotate(standard_count=Count("discretion_standards"))
    page, querystring = _page(request, found.order_by("unit__region__path", "unit__name", "code", "pk"))
    context = _context(request, importing.POWERS, form, page, querystring)
    return render(request, "enforcement/register_powers.html", context)


def _standards(request: HttpRequest) -> tuple[StandardFilter, QuerySet[Any]]:
    form = StandardFilter(request.user, request.GET or None)
    standards = cast(
        DiscretionStandardQuerySet, form.narrow(registers.standards_for(request.user), "power__unit")
    )
    data = form.data_or_empty()
    if data.get("filing") == "filed":
        standards = standards.filed()
    elif data.get("filing") == "not_filed":
        standards = standards.not_filed()
    if data.get("in_force"):
        standards = standards.in_force(timezone.localdate())
    keyword = form.keyword()
    if keyword:
        standards = standards.filter(
            Q(circumstance__contains=keyword)
            | Q(power__code__contains=keyword)
            | Q(power__name__contains=keyword)
        )
    return form, standards


@role_required()
@require_safe
def standards(request: HttpRequest) -> HttpResponse:
    registers.check_reach(request.user)
    form, found = _standards(request)
    found = found.select_related("power__unit__region")
    ordered = found.order_by(
        "power__unit__region__path", "power__unit__name", "power__code", "effective_from", "pk"
    )
    page, querystring = _page(request, ordered)
    page.object_list = registers.standard_rows(page.object_list, timezone.localdate())
    context = _context(request, importing.STANDARDS, form, page, querystring)
    return render(request, "enforcement/register_standards.html", context)


# --- export -------------------------------------------------------------------------------------------------


@role_required()
@require_safe
def export(request: HttpRequest, register: str) -> HttpResponse:
    """A register, narrowed like its list page, in the import format."""
    registers.check_reach(request.user)
    rows: QuerySet[Any]
    if register == importing.BODIES:
        _, units = _bodies(request)
        rows = EnforcementBody.objects.filter(unit__in=units).select_related("unit", "entrusted_by")
        rows = rows.order_by("unit__region__path", "unit__sort_order", "unit__name")
    elif register == importing.OFFICERS:
        rows = (
            _officers(request)[1].select_related("unit").order_by("unit__region__path", "unit__name", "name")
        )
    elif register == importing.TRAINING:
        _, found = _officers(request)
        rows = TrainingRecord.objects.filter(officer__in=found).select_related("officer")
        rows = rows.order_by("officer__unit__region__path", "officer__name", "date", "pk")
    elif register == importing.POWERS:
        rows = _powers(request)[1].select_related("unit").order_by("unit__region__path", "unit__name", "code")
    elif register == importing.STANDARDS:
        rows = _standards(request)[1].select_related("power__unit")
        rows = rows.order_by(
            "power__unit__region__path", "power__unit__name", "power__code", "effective_from"
        )
    else:
        raise Http404
    response = HttpResponse(
        register_export.export_register(register, rows), content_type=register_export.CONTENT_TYPE
    )
    name = register_export.filename(register, timezone.localdate())
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


# --- one item -----------------------------------------------------------------------------------------------


@role_required()
@require_safe
def body(request: HttpRequest, pk: int) -> HttpResponse:
    unit = registers.get_body_for_user(request.user, pk)
    entry = registers.body_entry(unit)
    today = timezone.localdate()
    officers = registers.officers_for(request.user).filter(unit=unit)
    kinds = dict(PowerKind.choices)
    power_kinds = [
        (kinds.get(row["kind"], row["kind"]), row["n"])
        for row in registers.powers_for(request.user).filter(unit=unit).values("kind").annotate(n=Count("pk"))
    ]
    context = {
        "unit": unit,
        "entry": entry,
        "reviewers": registers.body_reviewers(unit, today),
        "active": officers.filter(is_active=True).count(),
        "certified": officers.filter(registers.valid_on(today), is_active=True).count(),
        "power_kinds": power_kinds,
        "history": registers.history([entry] if entry is not None else []),
        "today": today,
    }
    return render(request, "enforcement/register_body.html", context)


@role_required()
@require_safe
def officer(request: HttpRequest, pk: int) -> HttpResponse:
    found = registers.get_officer_for_user(request.user, pk)
    today = timezone.localdate()
    records = list(found.training.order_by("-date", "-pk"))
    by_year: dict[int, Decimal] = defaultdict(Decimal)
    for record in records:
        by_year[record.date.year] += record.hours
    required = EnforcementRules.in_force(found.unit.region, today).training_hours
    state, ends_in = registers.certificate_state(found, today)
    context = {
        "officer": found,
        "records": records,
        "years": sorted(by_year.items(), reverse=True),
        "hours": by_year.get(today.year, Decimal(0)),
        "required": required,
        "certificate": state,
        "ends_in": ends_in,
        "history": registers.history([found, *records]),
        "today": today,
    }
    return render(request, "enforcement/register_officer.html", context)


@role_required()
@require_safe
def power(request: HttpRequest, pk: int) -> HttpResponse:
    found = registers.get_power_for_user(request.user, pk)
    today = timezone.localdate()
    lines = list(
        DiscretionStandard.objects.filter(power=found)
        .select_related("power__unit__region")
        .order_by("-effective_from", "min_amount", "pk")
    )
    context = {
        "power": found,
        "rows": registers.standard_rows(lines, today),
        "history": registers.history([found, *lines]),
        "today": today,
    }
    return render(request, "enforcement/register_power.html", context)


# --- import -------------------------------------------------------------------------------------------------


@role_required(Role.COORDINATOR)
def upload(request: HttpRequest) -> HttpResponse:
    """Import a register of a region the user manages, as `fazhi import-enforcement` does."""
    if not registers.import_regions(request.user).exists():
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("region"):
        # The region permission first: 404 outside the user's reach, 403 where they only read.
        get_region_for_user(request.user, request.POST["region"], write=True)
    form = ImportForm(request.user, request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result = importing.import_upload(
                form.cleaned_data["register"], form.cleaned_data["region"], form.cleaned_data["file"]
            )
        else:
            status = 400
    context = {
        "form": form,
        "result": result,
        "result_label": REGISTER_LABELS[result.register] if result else "",
        "shown_errors": result.errors[:SHOWN_ERRORS] if result else [],
        "result_tab": _TABS.get(result.register, "enforcement:register_officers") if result else "",
        "columns": [(REGISTER_LABELS[key], columns) for key, columns in importing.COLUMNS.items()],
        "max_rows": MAX_DATA_ROWS,
        "max_mb": settings.FAZHI_UPLOAD_MAX_BYTES // (1024 * 1024),
    }
    return render(request, "enforcement/register_import.html", context, status=status)


_TABS = {
    importing.BODIES: "enforcement:register_bodies",
    importing.OFFICERS: "enforcement:register_officers",
    importing.TRAINING: "enforcement:register_officers",
    importing.POWERS: "enforcement:register_powers",
    importing.STANDARDS: "enforcement:register_standards",
}
