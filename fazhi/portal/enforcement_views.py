"""Public pages of administrative enforcement (行政执法公示): the "before" lists (bodies, their powers and
their officers) and the "after" list (decisions, masked). Read-only, no account needed, only what is public.

The decisions shown are the frozen, masked text of fazhi.enforcement.models.Publication, never the case file;
officers are shown with their certificate only (no ID number, no phone).
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from fazhi.enforcement.models import CaseKind, Officer, Power, PowerKind, Publication, PublicationStatus
from fazhi.orgs.access import get_or_404
from fazhi.orgs.models import Unit

PAGE_SIZE = 20
KEYWORD_LENGTH = 50


def _bodies() -> QuerySet[Unit]:
    # The enforcement bodies are public registers (事前公示): every active one, town bodies included.
    return Unit.objects.filter(is_enforcement_body=True, is_active=True).select_related("region")


class DecisionSearch(forms.Form):
    q = forms.CharField(label=_("Keyword"), required=False, max_length=KEYWORD_LENGTH)
    body = forms.ModelChoiceField(label=_("Enforcement body"), queryset=Unit.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    date_from = forms.DateField(
        label=_("Decided from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Decided until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body: Any = self.fields["body"]
        body.queryset = _bodies().order_by("region__path", "sort_order", "name")
        kind: Any = self.fields["kind"]
        kind.choices = [("", _("All kinds")), *CaseKind.choices]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


def _public() -> QuerySet[Publication]:
    return Publication.objects.public().select_related("unit__region")


def _search(found: QuerySet[Publication], data: dict[str, Any]) -> QuerySet[Publication]:
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
    """Published decisions, newest first, searchable by body, kind, decision date and keyword."""
    form = DecisionSearch(request.GET or None)
    found = _public()
    if form.is_bound and form.is_valid():
        found = _search(found, form.cleaned_data)
    page = Paginator(found.order_by("-decided_on", "-published_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "querystring": query.urlencode()}
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
    querystring = urlencode({"q": query}) if query else ""
    context = {"page": page, "query": query, "querystring": querystring}
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
    context = {"unit": unit, "kinds": kinds, "officers": officers}
    return render(request, "portal/enforcement_body.html", context)
