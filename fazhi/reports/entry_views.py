"""Indicators entered by hand: a year's list of them with the user's values, the form to enter one value with
its evidence, the evidence download and removal. Access goes through fazhi.reports.access; writes through
fazhi.reports.actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fazhi.orgs.access import role_required
from fazhi.orgs.models import Region
from fazhi.supervision.files import file_response

from . import access, actions
from .access import EntryTarget
from .entry_forms import EntryForm
from .models import Indicator, IndicatorValue
from .views import checked_year


@dataclass(frozen=True)
class Row:
    indicator: Indicator
    value: IndicatorValue | None
    url: str


@dataclass
class Block:
    """One target's values for the year: a unit of the user's, or the region the office writes for."""

    target: EntryTarget
    rows: list[Row]
    can_write: bool


@dataclass
class UnitValues:
    """The office's view of one indicator: every unit's value in the region, and their sum as a hint."""

    indicator: Indicator
    values: list[IndicatorValue] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((v.value for v in self.values), Decimal(0))

    @property
    def without_evidence(self) -> int:
        return len([v for v in self.values if not getattr(v, "evidence_count", 0)])


def _check_year(year: int) -> None:
    checked_year(year)


def entry_url(year: int, code: str, target: EntryTarget) -> str:
    return reverse("reports:entry", args=[year, code]) + target.query


def _office_region(request: HttpRequest) -> Region | None:
    """The region the office (or a leader) looks at: the one asked for, else the first they reach."""
    chosen = request.GET.get("region")
    if chosen:
        return access.get_entry_target_for_user(request.user, region_pk=chosen).region
    return access.entry_regions(request.user).first()


def _block(target: EntryTarget, year: int, indicators: list[Indicator], found: dict, user: object) -> Block:
    can_write = access.can_write_target(user, target) and year in access.entry_years(target.region)
    unit_id = target.unit.pk if target.unit is not None else None
    rows = [
        Row(i, found.get((i.pk, target.region.pk, unit_id)), entry_url(year, i.code, target))
        for i in indicators
    ]
    return Block(target, rows, can_write)


@require_safe
@role_required(*access.ENTRY_ROLES)
def entry_list(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    user = request.user
    indicators = list(access.entered_indicators(year).order_by("position", "code"))
    units = list(access.own_units(user))
    region = _office_region(request)
    region_units = access.units_in_region(region) if region is not None else None
    wanted = Q(unit__in=[u.pk for u in units])
    if region is not None:
        wanted |= Q(region=region, unit__isnull=True) | Q(unit__in=region_units)
    values = list(
        access.entry_values(user)
        .filter(wanted, year=year)
        .select_related("unit")
        .annotate(evidence_count=Count("evidence"))
        .order_by("unit__name", "pk")
    )
    found = {(v.indicator_id, v.region_id, v.unit_id): v for v in values}
    blocks = [_block(EntryTarget(access.plan_region(u), u), year, indicators, found, user) for u in units]
    summaries: list[UnitValues] = []
    if region is not None:
        blocks.append(_block(EntryTarget(region), year, indicators, found, user))
        unit_ids = set(region_units.values_list("pk", flat=True)) if region_units is not None else set()
        by_indicator = {i.pk: UnitValues(i) for i in indicators}
        for value in values:
            if value.unit_id in unit_ids and value.indicator_id in by_indicator:
                by_indicator[value.indicator_id].values.append(value)
        summaries = list(by_indicator.values())
    years = {year}
    for target_region in {b.target.region for b in blocks}:
        years.update(access.entry_years(target_region))
    context = {
        "year": year,
        "years": sorted(years, reverse=True),
        "blocks": blocks,
        "region": region,
        "regions": list(access.entry_regions(user)) if region is not None else [],
        "summaries": summaries,
        "has_indicators": bool(indicators),
    }
    return render(request, "reports/entries.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(*access.ENTRY_ROLES)
def entry(request: HttpRequest, year: int, code: str) -> HttpResponse:
    _check_year(year)
    indicator = access.get_entered_indicator(code, year)
    target = access.get_entry_target_for_user(
        request.user, request.GET.get("unit"), request.GET.get("region"), write=request.method == "POST"
    )
    value = (
        access.entry_values(request.user)
        .filter(indicator=indicator, region=target.region, unit=target.unit, year=year)
        .select_related("entered_by")
        .first()
    )
    can_write = access.can_write_target(request.user, target) and year in access.entry_years(target.region)
    if request.method == "POST":
        form = EntryForm(request.POST, request.FILES, indicator=indicator)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            files = [(upload.name, upload.read())] if upload else []
            try:
                saved = actions.enter_value(
                    request.user, target, indicator, year, form.cleaned_data["value"],
                    form.cleaned_data["note"], files,
                )  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if saved.evidence.exists():
                    messages.success(
                        request, _("The value of “%(name)s” is saved.") % {"name": indicator.name}
                    )
                else:
                    warning = _(
                        "The value of “%(name)s” is saved; without evidence it stays out of the report."
                    )
                    messages.warning(request, warning % {"name": indicator.name})
                return redirect(entry_url(year, indicator.code, target))
    else:
        initial = {"value": value.value.normalize(), "note": value.note} if value is not None else None
        form = EntryForm(initial=initial, indicator=indicator)
    context = {
        "year": year,
        "indicator": indicator,
        "target": target,
        "value": value,
        "evidence": list(value.evidence.select_related("uploaded_by")) if value is not None else [],
        "form": form,
        "can_write": can_write,
        "list_url": reverse("reports:entries", args=[year]) + ("" if target.unit else target.query),
    }
    return render(request, "reports/entries_entry.html", context)


@require_safe
@role_required(*access.ENTRY_ROLES)
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is served through this view only (never from MEDIA_URL), always as a download, to those who
    may read the value."""
    evidence = access.get_evidence_for_user(request.user, pk)
    return file_response(evidence)


@require_POST
@role_required(*access.ENTRY_ROLES)
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = access.get_evidence_for_user(request.user, pk, write=True)
    value = actions.remove_value_evidence(evidence, request.user)
    messages.success(request, _("“%(name)s” removed.") % {"name": evidence.name})
    target = EntryTarget(value.region, value.unit)
    return redirect(entry_url(value.year, evidence.value.indicator.code, target))
