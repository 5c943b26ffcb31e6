"""The office's side of 公示: a body's pending publications (its staff publish from there), the region's
overdue list (coordinators and leaders), and one publication with its masked preview.

Thin: publications are reached through publication.get_publication_for_user, and every write goes through
publication.publish and publication.withdraw. URL names are relative to the namespace these patterns are
included under (fazhi.enforcement.publication_urls), so links use `ns`.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from fazhi.orgs.access import path_q, role_required, scope_for
from fazhi.orgs.models import Role, Unit

from . import publication as actions
from .models import Publication, PublicationStatus

RECENT = 20
TEXT_LENGTH = 5000


class PublishForm(forms.Form):
    facts = forms.CharField(
        label=gettext_lazy("Facts"),
        required=False,
        max_length=TEXT_LENGTH,
        widget=forms.Textarea({"rows": 4, "class": "form-control"}),
    )
    decision = forms.CharField(
        label=gettext_lazy("Decision"),
        required=False,
        max_length=TEXT_LENGTH,
        widget=forms.Textarea({"rows": 4, "class": "form-control"}),
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Reason for withdrawal"),
        max_length=TEXT_LENGTH,
        widget=forms.Textarea({"rows": 3, "class": "form-control"}),
        help_text=gettext_lazy("Shown on the portal in place of the decision, e.g. which act revoked it."),
    )


def _ns(request: HttpRequest) -> str:
    match = request.resolver_match
    return match.namespace if match is not None else ""


def _url(request: HttpRequest, name: str) -> str:
    ns = _ns(request)
    return f"{ns}:{name}" if ns else name


def _staff_bodies(user: Any) -> list[Unit]:
    ids = actions.staff_unit_ids(user)
    return list(Unit.objects.filter(pk__in=ids, is_enforcement_body=True).order_by("name"))


@role_required()
@require_safe
def pending(request: HttpRequest) -> HttpResponse:
    """A body's own publications to make (its staff's list), and the ones recently published."""
    scope = scope_for(request.user)
    bodies = _staff_bodies(request.user)
    if not bodies and not scope.is_admin:
        raise PermissionDenied
    rows = (
        Publication.objects.all()
        if scope.is_admin and not bodies
        else Publication.objects.filter(unit__in=bodies)
    )
    today = timezone.localdate()
    waiting = rows.pending().select_related("unit__region", "case").order_by("due_on", "pk")
    recent = (
        rows.exclude(status=PublicationStatus.PENDING)
        .select_related("unit")
        .order_by("-published_at", "-withdrawn_at", "-pk")[:RECENT]
    )
    context = {
        "ns": _ns(request),
        "bodies": bodies,
        "waiting": actions.with_days_overdue(waiting, today),
        "recent": recent,
        "today": today,
    }
    return render(request, "enforcement/publication_pending.html", context)


@role_required(Role.COORDINATOR, Role.LEADER)
@require_safe
def overdue(request: HttpRequest) -> HttpResponse:
    """Decided cases of the user's regions whose publication is past due and not made, per body."""
    scope = scope_for(request.user)
    today = timezone.localdate()
    rows = Publication.objects.overdue(today)
    if not scope.is_admin:
        rows = rows.filter(path_q(actions.office_paths(request.user), "unit__region__path"))
    rows = rows.select_related("unit__region", "case").order_by("unit__region__path", "unit__name", "due_on")
    items = actions.with_days_overdue(rows, today)
    by_body = [(unit, list(group)) for unit, group in groupby(items, key=lambda item: item.publication.unit)]
    context = {"ns": _ns(request), "by_body": by_body, "total": len(items), "today": today}
    return render(request, "enforcement/publication_overdue.html", context)


@role_required()
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = actions.get_publication_for_user(request.user, pk)
    return _detail(request, publication)


def _detail(
    request: HttpRequest,
    publication: Publication,
    publish_form: PublishForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    status: int = 200,
) -> HttpResponse:
    may_manage = actions.can_manage(request.user, publication)
    pending = publication.status == PublicationStatus.PENDING
    if pending and may_manage and publish_form is None:
        case = publication.case
        publish_form = PublishForm(initial={"facts": case.cause, "decision": actions.decision_notes(case)})
    context = {
        "ns": _ns(request),
        "publication": publication,
        "may_manage": may_manage,
        # The masked text as it would be published now (staff see the raw text only in the form).
        "preview": actions.preview(publication.case) if pending else None,
        "publish_form": publish_form if pending and may_manage else None,
        "withdraw_form": (withdraw_form or WithdrawForm())
        if may_manage and not publication.is_withdrawn
        else None,
        "overdue": pending and publication.due_on < timezone.localdate(),
    }
    return render(request, "enforcement/publication_detail.html", context, status=status)


@role_required()
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    publication = actions.get_publication_for_user(request.user, pk, write=True)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _detail(request, publication, publish_form=form, status=400)
    # A field left out of the request (a button on a list) keeps the case's own text.
    facts = form.cleaned_data["facts"] if "facts" in request.POST else None
    decision = form.cleaned_data["decision"] if "decision" in request.POST else None
    try:
        done = actions.publish(publication.case, request.user, facts=facts, decision=decision)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Decision %(number)s published.") % {"number": done.case_number})
    return redirect(_url(request, "publication_detail"), pk=publication.pk)


@role_required()
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    publication = actions.get_publication_for_user(request.user, pk, write=True)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _detail(request, publication, withdraw_form=form, status=400)
    try:
        actions.withdraw(publication, request.user, form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The publication has been withdrawn."))
    return redirect(_url(request, "publication_detail"), pk=publication.pk)
