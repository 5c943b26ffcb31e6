"""Public pages of administrative enforcement (行政执法公示): the "before" lists (bodies with their nature
and legal basis, their powers and their officers, the procedures with their statutory periods, the
random-inspection list) and the "after" list (decisions, masked). Read-only, no account needed, only what is
public.

The decisions shown are the frozen, masked text of fazhi.enforcement.models.Publication, never the case file;
officers are shown with their certificate only (no ID number, no phone).
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from fazhi.enforcement.models import (
    CaseKind,
    CaseStatus,
    CaseStep,
    EnforcementBody,
    Officer,
    Power,
    PowerKind,
    Publication,
    PublicationRule,
    PublicationStatus,
    StatutoryPeriod,
)
from fazhi.enforcement.workflow import MAJOR_KINDS, TRANSITIONS
from fazhi.orgs.access import get_or_404, public_regions
from fazhi.orgs.models import Region, Unit

from .pagination import SearchTooSlow, bounded_page, time_budget

PAGE_SIZE = 20
KEYWORD_LENGTH = 50
RESULTS_BOUND = 1000  # decisions a search lists at most (50 pages); narrower searches reach the rest


def _bodies() -> QuerySet[Unit]:
    # The enforcement bodies are public registers (事前公示): every active one, town bodies included.
    return Unit.objects.filter(is_enforcement_body=True, is_active=True).select_related(
        "region", "enforcement_body__entrusted_by"
    )


def _entry(unit: Unit) -> EnforcementBody | None:
    try:
        return unit.enforcement_body
    except EnforcementBody.DoesNotExist:
        return None


class DecisionSearch(forms.Form):
    q = forms.CharField(label=_("Keyword"), required=False, max_length=KEYWORD_LENGTH)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), required=False, empty_label=_("All regions")
    )
    body = forms.ModelChoiceField(
        label=_("Enforcement body"), queryset=Unit.objects.none(), required=False, empty_label=_("All bodies")
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    date_from = forms.DateField(
        label=_("Decided from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Decided until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region: Any = self.fields["region"]
        region.queryset = public_regions().order_by("path")
        body: Any = self.fields["body"]
        body.queryset = _bodies()  # any body may be asked for (a link from its page); see offer_bodies
        kind: Any = self.fields["kind"]
        kind.choices = [("", _("All kinds")), *CaseKind.choices]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def offer_bodies(self) -> None:
        """Offer in the body menu the bodies of the chosen region and of the regions directly under it (a
        county's and its towns'), and the chosen body. A province has thousands of bodies: all of them in
        one menu made every search page 340 kB and took most of its time to render."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        region, chosen = data.get("region"), data.get("body")
        wanted = Q(pk__in=[])
        if region is not None:
            wanted |= Q(region=region) | Q(region__parent=region)
        if chosen is not None:
            wanted |= Q(pk=chosen.pk)
        field: Any = self.fields["body"]
        offered = _bodies().filter(wanted).order_by("region__path", "sort_order", "name") if data else []
        field.widget.choices = [
            ("", field.empty_label),
            *((unit.pk, field.label_from_instance(unit)) for unit in offered),
        ]


def _public() -> QuerySet[Publication]:
    return Publication.objects.public().select_related("unit__region")


def _search(found: QuerySet[Publication], data: dict[str, Any]) -> QuerySet[Publication]:
    if data.get("region"):
        found = found.filter(unit__region__path__startswith=data["region"].path)
    if data.get("body"):
        found = found.filter(unit=data["body"])
    if data.get("kind"):
        found = found.filter(case_kind=data["kind"])
    if data.get("date_from"):
        found = found.filter(decided_on__gte=data["date_from"])
    if data.get("date_to"):
        found = found.filter(decided_on__lte=data["date_to"])
    keyword = (data.get("q") or "").strip()
    if keyword:
        # A withdrawn decision's text is no longer public: only its number, body and note are searched.
        always = Q(case_number__contains=keyword) | Q(body_name__contains=keyword)
        text = (
            Q(party_name__contains=keyword)
            | Q(facts__contains=keyword)
            | Q(decision__contains=keyword)
            | Q(legal_basis__contains=keyword)
        )
        found = found.filter(
            always
            | (Q(status=PublicationStatus.PUBLISHED) & text)
            | (Q(status=PublicationStatus.WITHDRAWN) & Q(withdrawal_note__contains=keyword))
        )
    return found


@require_safe
def decisions(request: HttpRequest) -> HttpResponse:
    """Published decisions, newest first, searchable by region, body, kind, decision date and keyword."""
    form = DecisionSearch(request.GET or None)
    found = _public()
    if form.is_bound and form.is_valid():
        found = _search(found, form.cleaned_data)
    form.offer_bodies()
    # Counted up to RESULTS_BOUND only: counting every match of a broad search cost more than the page.
    ordered = found.order_by("-decided_on", "-published_at", "-pk")
    too_slow = False
    try:
        with time_budget(settings.FAZHI_PORTAL_SEARCH_TIMEOUT_MS):
            page = bounded_page(ordered, PAGE_SIZE, RESULTS_BOUND, request.GET.get("page"))
            page.object_list = list(page.object_list)  # read inside the budget
    except SearchTooSlow:
        too_slow = True
        page = Paginator([], PAGE_SIZE).get_page(1)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "querystring": query.urlencode(), "too_slow": too_slow}
    return render(request, "portal/enforcement_decisions.html", context)


@require_safe
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    publication: Publication = get_or_404(_public(), pk)
    return render(request, "portal/enforcement_decision.html", {"publication": publication})


@require_safe
def bodies(request: HttpRequest) -> HttpResponse:
    """The enforcement bodies (执法主体), by region, searchable by name."""
    found = _bodies().order_by("region__path", "sort_order", "name")
    query = request.GET.get("q", "").strip()[:KEYWORD_LENGTH]
    if query:
        found = found.filter(Q(name__contains=query) | Q(region__name__contains=query))
    page = Paginator(found, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    rows = [(unit, _entry(unit)) for unit in page.object_list]
    querystring = urlencode({"q": query}) if query else ""
    context = {"page": page, "rows": rows, "query": query, "querystring": querystring}
    return render(request, "portal/enforcement_bodies.html", context)


def valid_officers(unit: Unit, today: datetime.date) -> QuerySet[Officer]:
    """The body's officers who may act today: active, with a certificate in its validity."""
    return (
        Officer.objects.filter(unit=unit, is_active=True, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .order_by("name", "certificate_number")
    )


@require_safe
def body(request: HttpRequest, pk: int) -> HttpResponse:
    """One body's 权责清单 by kind, and its officers with their certificates."""
    unit: Unit = get_or_404(
        _bodies().prefetch_related(Prefetch("powers", queryset=Power.objects.order_by("kind", "code"))), pk
    )
    by_kind: dict[str, list[Power]] = {}
    for power in unit.powers.all():
        by_kind.setdefault(power.kind, []).append(power)
    kinds = [(label, by_kind[value]) for value, label in PowerKind.choices if value in by_kind]
    officers = valid_officers(unit, timezone.localdate())
    # The procedures page is by region, towns following their county (public_regions has no towns).
    procedure_region = public_regions().filter(pk__in=unit.region.ancestor_ids).order_by("-path").first()
    context = {
        "unit": unit,
        "entry": _entry(unit),
        "kinds": kinds,
        "officers": officers,
        "procedure_region": procedure_region,
    }
    return render(request, "portal/enforcement_body.html", context)


# --- procedures (执法流程) ----------------------------------------------------------------------------------

# What the public is told about a step beyond its name: the conditions the law sets on it.
STEP_NOTES: dict[str, Any] = {
    CaseStep.INVESTIGATE: _("By at least two officers who show their enforcement certificates."),
    CaseStep.NOTIFY: _(
        "The party is told the facts, the grounds and the intended decision, and their right to make a "
        "statement and defence."
    ),
    CaseStep.REVIEW_PASS: _(
        "Before a major enforcement decision, by a legal reviewer who took no part in the investigation."
    ),
    CaseStep.DISCUSS: _("For a major enforcement decision, by the heads of the body."),
}


@dataclass
class ProcedureStep:
    step: str
    label: str
    optional: bool  # taken only when it applies (the party's statement, a hearing …)
    note: str
    periods: list[StatutoryPeriod] = dataclasses.field(default_factory=list)


@dataclass
class Procedure:
    kind: str
    label: str
    steps: list[ProcedureStep]
    returns: list[tuple[str, str]]  # a step that sends the case back, and the status it goes back to
    publication: PublicationRule | None


def procedure_steps(kind: str) -> tuple[list[ProcedureStep], list[tuple[str, str]]]:
    """The steps of a kind of case in the order of fazhi.enforcement.workflow's table, register first."""
    order = list(CaseStatus.values)
    moves: dict[str, list[tuple[str, str]]] = {CaseStep.REGISTER: [("", CaseStatus.REGISTERED)]}
    for (before, step), after in TRANSITIONS[kind].items():
        moves.setdefault(step, []).append((before, after))
    steps, returns = [], []
    labels = dict(CaseStep.choices)
    for step, found in moves.items():
        if all(before and order.index(after) < order.index(before) for before, after in found):
            returns.append((str(labels[step]), str(CaseStatus(found[0][1]).label)))
            continue
        optional = all(before == after for before, after in found)
        if step in (CaseStep.REVIEW_PASS, CaseStep.DISCUSS) and kind in MAJOR_KINDS:
            optional = True  # required only for a major decision, as the note says
        steps.append(ProcedureStep(step, str(labels[step]), optional, str(STEP_NOTES.get(step, ""))))
    return steps, returns


def _periods(kind: str, region: Region | None, today: datetime.date) -> dict[str, StatutoryPeriod]:
    if region is not None:
        return StatutoryPeriod.for_case(kind, region, today)
    rows = StatutoryPeriod.objects.filter(region__isnull=True, case_kind=kind).order_by("effective_from")
    return StatutoryPeriod.pick(list(rows), today)


def _publication_rule(kind: str, region: Region | None, today: datetime.date) -> PublicationRule | None:
    if region is not None:
        return PublicationRule.for_case(kind, region, today)
    rule = (
        PublicationRule.objects.in_force(today)
        .filter(region__isnull=True, case_kind=kind)
        .order_by("-effective_from")
        .first()
    )
    return rule if rule is not None and rule.publish else None


@require_safe
def procedures(request: HttpRequest) -> HttpResponse:
    """The steps of each kind of case, with the statutory periods in force (a region's own, if chosen)."""
    regions = public_regions().order_by("path")
    region = None
    if request.GET.get("region"):
        region = get_or_404(regions, request.GET["region"])
    today = timezone.localdate()
    found = []
    for kind, label in CaseKind.choices:
        steps, returns = procedure_steps(kind)
        by_start: dict[str, list[StatutoryPeriod]] = {}
        for period in _periods(kind, region, today).values():
            by_start.setdefault(period.starts_with, []).append(period)
        for item in steps:
            item.periods = by_start.get(item.step, [])
        found.append(Procedure(kind, str(label), steps, returns, _publication_rule(kind, region, today)))
    context = {"procedures": found, "regions": regions, "region": region, "today": today}
    return render(request, "portal/enforcement_procedures.html", context)


# --- 随机抽查事项清单 --------------------------------------------------------------------------------------


@require_safe
def inspections(request: HttpRequest) -> HttpResponse:
    """The random-inspection list: every body's inspection powers (what may be inspected), by body."""
    found = Power.objects.filter(kind=PowerKind.INSPECTION, unit__in=_bodies()).select_related("unit__region")
    query = request.GET.get("q", "").strip()[:KEYWORD_LENGTH]
    if query:
        found = found.filter(
            Q(name__contains=query)
            | Q(code__contains=query)
            | Q(legal_basis__contains=query)
            | Q(unit__name__contains=query)
            | Q(unit__region__name__contains=query)
        )
    body_id = request.GET.get("body", "")
    body = None
    if body_id:
        body = get_or_404(_bodies(), body_id)
        found = found.filter(unit=body)
    ordered = found.order_by("unit__region__path", "unit__sort_order", "unit__name", "unit_id", "code", "pk")
    page = Paginator(ordered, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    querystring = urlencode({k: v for k, v in (("q", query), ("body", body_id)) if v})
    context = {"page": page, "query": query, "body": body, "querystring": querystring}
    return render(request, "portal/enforcement_inspections.html", context)
