"""Pages of 案卷评查 (case file review) and 两法衔接 (transfers to the police).

Thin: rounds are reached through fazhi.enforcement.file_review's chokepoints and transfers through
fazhi.enforcement.transfers'; every write goes through their actions. The forms live here (validation only)
because they serve these pages alone. URL names are relative to the namespace these patterns are included
under (fazhi.enforcement.review_urls), so links use `ns`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
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

from fazhi.orgs.access import get_or_404, role_required, scope_for
from fazhi.orgs.forms import BootstrapMixin, RegionChoiceField
from fazhi.orgs.models import Role

from . import access, file_review, transfers
from .models import (
    FileReviewChecklist,
    FileReviewRound,
    FileReviewSample,
    FileReviewStatus,
    TransferStatus,
)

TEXT_LENGTH = 5000


def _ns(request: HttpRequest) -> str:
    match = request.resolver_match
    return match.namespace if match is not None else ""


def _url(request: HttpRequest, name: str) -> str:
    ns = _ns(request)
    return f"{ns}:{name}" if ns else name


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


# --- forms --------------------------------------------------------------------------------------------------


class ChecklistChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.region.name}，{obj.effective_from:%Y-%m-%d}）"


class RoundForm(BootstrapMixin, forms.Form):
    region = RegionChoiceField(label=gettext_lazy("Region"), queryset=None)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    period_start = forms.DateField(label=gettext_lazy("Cases closed from"), widget=_date_input())
    period_end = forms.DateField(label=gettext_lazy("Cases closed until"), widget=_date_input())
    sample_size = forms.IntegerField(
        label=gettext_lazy("Number of files to draw"), required=False, min_value=1, max_value=10000
    )
    sample_rate = forms.DecimalField(
        label=gettext_lazy("Or the share of files to draw"),
        required=False,
        min_value=Decimal("0.0001"),
        max_value=Decimal(1),
        decimal_places=4,
        help_text=gettext_lazy("For example 0.1 to draw one closed file in ten."),
    )
    checklist = ChecklistChoiceField(label=gettext_lazy("Checklist"), queryset=None)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = file_review.office_region_choices(user).order_by("path")
        region_field: Any = self.fields["region"]
        region_field.queryset = regions
        ancestor_ids = {pk for region in regions for pk in region.ancestor_ids}
        checklist_field: Any = self.fields["checklist"]
        checklist_field.queryset = FileReviewChecklist.objects.filter(
            region_id__in=ancestor_ids
        ).select_related("region")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("sample_size") is None) == (data.get("sample_rate") is None):
            raise forms.ValidationError(
                _("Give either the number of files to draw or the share of files, not both.")
            )
        return data


class DrawForm(BootstrapMixin, forms.Form):
    seed = forms.IntegerField(
        label=gettext_lazy("Seed"),
        required=False,
        min_value=0,
        max_value=file_review.MAX_SEED,
        help_text=gettext_lazy(
            "Leave empty for a random seed, or enter one drawn in public (for example a lottery number)."
        ),
    )


class StandardChecklistForm(BootstrapMixin, forms.Form):
    region = RegionChoiceField(label=gettext_lazy("Region"), queryset=None)
    effective_from = forms.DateField(label=gettext_lazy("Effective from"), widget=_date_input())

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field: Any = self.fields["region"]
        region_field.queryset = file_review.office_region_choices(user).order_by("path")


class ScoreForm(BootstrapMixin, forms.Form):
    """One points field and one comment per checklist item, then an overall comment."""

    comment = forms.CharField(
        label=gettext_lazy("Overall comment"),
        required=False,
        max_length=TEXT_LENGTH,
        widget=forms.Textarea({"rows": 2}),
    )

    def __init__(self, checklist: FileReviewChecklist, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(checklist.items.all())
        for item in self.items:
            # No max_value here: the action refuses points above the maximum, with the message shown.
            self.fields[f"item_{item.pk}"] = forms.DecimalField(
                label=item.text, min_value=Decimal(0), decimal_places=2, max_digits=5,
                widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": str(item.max_points)}),
            )  # fmt: skip
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=gettext_lazy("Comment"), required=False, max_length=TEXT_LENGTH
            )
        self.order_fields([*(f"{k}_{i.pk}" for i in self.items for k in ("item", "note")), "comment"])

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [(item, self[f"item_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]

    def scores(self) -> dict[int, file_review.ItemScore]:
        data = self.cleaned_data
        return {
            item.pk: file_review.ItemScore(data[f"item_{item.pk}"], data.get(f"note_{item.pk}") or "")
            for item in self.items
        }


class TransferForm(BootstrapMixin, forms.Form):
    transferred_on = forms.DateField(label=gettext_lazy("Transferred on"), widget=_date_input())
    receiving_authority = forms.CharField(
        label=gettext_lazy("Receiving authority"),
        max_length=200,
        help_text=gettext_lazy(
            "The police authority that received the case, e.g. the district public security bureau."
        ),
    )
    suspected_offence = forms.CharField(label=gettext_lazy("Suspected offence"), max_length=200)
    facts = forms.CharField(
        label=gettext_lazy("Facts"),
        required=False,
        max_length=TEXT_LENGTH,
        widget=forms.Textarea({"rows": 3}),
    )
    documents_sha256 = forms.CharField(
        label=gettext_lazy("SHA-256 of the documents sent"),
        required=False,
        max_length=6600,
        widget=forms.Textarea({"rows": 3}),
        help_text=gettext_lazy(
            "One digest per line: the transfer letter, the investigation report, the list of items."
        ),
    )


class ReplyForm(BootstrapMixin, forms.Form):
    accepted = forms.TypedChoiceField(
        label=gettext_lazy("The police's reply"),
        choices=[
            ("1", gettext_lazy("Accepted: a criminal case was opened")),
            ("0", gettext_lazy("Not accepted")),
        ],
        coerce=lambda value: value == "1",
    )
    replied_on = forms.DateField(label=gettext_lazy("Reply received on"), widget=_date_input())
    reason = forms.CharField(
        label=gettext_lazy("Reason given"),
        required=False,
        max_length=TEXT_LENGTH,
        widget=forms.Textarea({"rows": 2}),
        help_text=gettext_lazy("Required when the police did not accept the case."),
    )


class OutcomeForm(BootstrapMixin, forms.Form):
    outcome = forms.CharField(
        label=gettext_lazy("Outcome"), max_length=TEXT_LENGTH, widget=forms.Textarea({"rows": 2})
    )
    on = forms.DateField(label=gettext_lazy("Outcome recorded on"), widget=_date_input())


# --- review rounds: the office ----------------------------------------------------------------------------


@role_required(Role.COORDINATOR, Role.LEADER)
@require_safe
def review_list(request: HttpRequest) -> HttpResponse:
    rounds = file_review.rounds_for(request.user).select_related("region", "checklist")
    context = {
        "ns": _ns(request),
        "rounds": rounds,
        "may_create": file_review.office_region_choices(request.user).exists(),
    }
    return render(request, "enforcement/review_list.html", context)


@role_required(Role.COORDINATOR)
def review_new(request: HttpRequest) -> HttpResponse:
    form = RoundForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round = file_review.create_round(request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("Review round created: draw its sample next."))
            return redirect(_url(request, "review_detail"), pk=round.pk)
    context = {"ns": _ns(request), "form": form, "standard_form": StandardChecklistForm(request.user)}
    return render(request, "enforcement/review_new.html", context, status=400 if form.errors else 200)


@role_required(Role.COORDINATOR)
@require_POST
def review_checklist_standard(request: HttpRequest) -> HttpResponse:
    form = StandardChecklistForm(request.user, request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a region and a start date for the checklist."))
    else:
        try:
            file_review.make_standard_checklist(
                request.user, form.cleaned_data["region"], form.cleaned_data["effective_from"]
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Standard checklist added."))
    return redirect(_url(request, "review_new"))


@role_required(Role.COORDINATOR, Role.LEADER)
@require_safe
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = file_review.get_round_for_user(request.user, pk)
    may_manage = file_review.can_manage(request.user, round)
    samples = list(file_review.readable_samples(round))
    context = {
        "ns": _ns(request),
        "round": round,
        "may_manage": may_manage,
        "samples": samples,
        "scored": sum(1 for s in samples if s.total is not None),
        "full_marks": file_review.full_marks(round.checklist),
        "items": list(round.checklist.items.all()),
        "results": round.body_results.select_related("unit", "adjustment").order_by("-average", "unit__name"),
        "events": round.events.select_related("by"),
        "verified": file_review.verify_draw(round) if round.seed is not None else None,
        "draw_form": DrawForm()
        if may_manage and round.status in (FileReviewStatus.DRAFT, FileReviewStatus.SAMPLED)
        else None,
        "may_publish": may_manage and round.status == FileReviewStatus.SCORING,
    }
    return render(request, "enforcement/review_detail.html", context)


@role_required(Role.COORDINATOR)
@require_POST
def review_draw(request: HttpRequest, pk: int) -> HttpResponse:
    round = file_review.get_round_for_user(request.user, pk, write=True)
    form = DrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        try:
            done = file_review.draw(request.user, round, seed=form.cleaned_data["seed"])
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(
                request,
                _("%(count)s files drawn with seed %(seed)s.")
                % {"count": done.samples.count(), "seed": done.seed},
            )
    return redirect(_url(request, "review_detail"), pk=round.pk)


@role_required(Role.COORDINATOR, Role.LEADER)
def review_score(request: HttpRequest, pk: int, sample_pk: int) -> HttpResponse:
    round = file_review.get_round_for_user(request.user, pk, write=request.method == "POST")
    sample: FileReviewSample = _get_sample(round, sample_pk)
    may_score = file_review.can_manage(request.user, round) and round.status in (
        FileReviewStatus.SAMPLED,
        FileReviewStatus.SCORING,
    )
    existing = file_review.scores_by_sample([sample]).get(sample.pk, {})
    initial: dict[str, Any] = {"comment": sample.comment}
    for item_id, score in existing.items():
        initial[f"item_{item_id}"] = score.points
        initial[f"note_{item_id}"] = score.comment
    form = ScoreForm(round.checklist, request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                file_review.score_file(request.user, sample, form.scores(), form.cleaned_data["comment"])
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(None if field == "__all__" else field, message)
            else:
                messages.success(request, _("Scores saved for %(number)s.") % {"number": sample.case.number})
                return redirect(_url(request, "review_detail"), pk=round.pk)
        status = 400
    context = {
        "ns": _ns(request),
        "round": round,
        "sample": sample,
        "form": form,
        "may_score": may_score,
        "existing": existing,
        "full_marks": file_review.full_marks(round.checklist),
    }
    return render(request, "enforcement/review_score.html", context, status=status)


def _get_sample(round: FileReviewRound, sample_pk: Any) -> FileReviewSample:
    sample: FileReviewSample = get_or_404(file_review.readable_samples(round), sample_pk)
    return sample


@role_required(Role.COORDINATOR)
@require_POST
def review_publish(request: HttpRequest, pk: int) -> HttpResponse:
    round = file_review.get_round_for_user(request.user, pk, write=True)
    try:
        file_review.publish(request.user, round)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Results published: the bodies see them now, and the scores are frozen."))
    return redirect(_url(request, "review_detail"), pk=round.pk)


# --- review results: the bodies -----------------------------------------------------------------------------


@role_required()
@require_safe
def review_results(request: HttpRequest) -> HttpResponse:
    """The published results of the user's own bodies."""
    if not scope_for(request.user).is_admin and not transfers.staff_unit_ids(request.user):
        raise PermissionDenied
    results = file_review.results_for(request.user).order_by("-round__published_at", "unit__name")
    return render(request, "enforcement/review_results.html", {"ns": _ns(request), "results": results})


@role_required()
@require_safe
def review_result(request: HttpRequest, pk: int) -> HttpResponse:
    """One published round as a body sees it: its own files, item by item, and its result."""
    round = file_review.get_published_round_for_staff(request.user, pk)
    unit_ids = file_review.result_unit_ids(request.user)
    samples = list(file_review.readable_samples(round, unit_ids))
    scores = file_review.scores_by_sample(samples)
    items = list(round.checklist.items.all())
    files = [(sample, [(item, scores[sample.pk].get(item.pk)) for item in items]) for sample in samples]
    context = {
        "ns": _ns(request),
        "round": round,
        "files": files,
        "full_marks": file_review.full_marks(round.checklist),
        "results": [
            result
            for result in round.body_results.select_related("unit", "adjustment")
            if unit_ids is None or result.unit_id in unit_ids
        ],
    }
    return render(request, "enforcement/review_result.html", context)


# --- transfers to the police --------------------------------------------------------------------------------


@role_required()
@require_safe
def transfer_list(request: HttpRequest) -> HttpResponse:
    """The office: transfers of its regions without a reply after N days, then all; a body: its own."""
    scope = scope_for(request.user)
    office = bool(scope.is_admin or transfers.office_paths(request.user))
    if not office and not transfers.staff_unit_ids(request.user):
        raise PermissionDenied
    visible = transfers.transfers_for(request.user)
    today = timezone.localdate()
    context = {
        "ns": _ns(request),
        "office": office,
        "days": transfers.reply_days(),
        "waiting": transfers.awaiting_reply(visible, today) if office else [],
        "rows": visible.select_related("case", "unit").order_by("-transferred_on", "-pk")[:200],
        "today": today,
    }
    return render(request, "enforcement/transfer_list.html", context)


@role_required()
def transfer_new(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_pk, write=True)
    form = TransferForm(request.POST or None, initial={"transferred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer = transfers.record_transfer(
                request.user,
                case,
                transferred_on=data["transferred_on"],
                receiving_authority=data["receiving_authority"],
                suspected_offence=data["suspected_offence"],
                facts=data["facts"],
                documents_sha256=data["documents_sha256"].split(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Transfer recorded."))
            return redirect(_url(request, "transfer_detail"), pk=transfer.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "enforcement/transfer_form.html",
        {"ns": _ns(request), "case": case, "form": form},
        status=status,
    )


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(None, _errors(error))


def _transfer_page(
    request: HttpRequest,
    pk: int,
    reply_form: ReplyForm | None = None,
    outcome_form: OutcomeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    transfer = transfers.get_transfer_for_user(request.user, pk)
    may_write = transfers.can_write(request.user, transfer)
    today = timezone.localdate()
    sent = transfer.status == TransferStatus.SENT
    context = {
        "ns": _ns(request),
        "transfer": transfer,
        "may_write": may_write,
        "reply_form": (reply_form or ReplyForm(initial={"replied_on": today}))
        if may_write and sent
        else None,
        "outcome_form": (
            outcome_form
            or OutcomeForm(initial={"outcome": transfer.outcome, "on": transfer.outcome_on or today})
        )
        if may_write and not sent
        else None,
        "days_waiting": (today - transfer.transferred_on).days if sent else None,
        "late": sent and (today - transfer.transferred_on) >= datetime.timedelta(days=transfers.reply_days()),
    }
    return render(request, "enforcement/transfer_detail.html", context, status=status)


@role_required()
@require_safe
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _transfer_page(request, pk)


@role_required()
@require_POST
def transfer_reply(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = transfers.get_transfer_for_user(request.user, pk, write=True)
    form = ReplyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            transfers.record_reply(
                request.user,
                transfer,
                accepted=data["accepted"],
                replied_on=data["replied_on"],
                reason=data["reason"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The police's reply is recorded."))
            return redirect(_url(request, "transfer_detail"), pk=transfer.pk)
    return _transfer_page(request, pk, reply_form=form, status=400)


@role_required()
@require_POST
def transfer_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = transfers.get_transfer_for_user(request.user, pk, write=True)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            transfers.record_outcome(
                request.user, transfer, outcome=form.cleaned_data["outcome"], on=form.cleaned_data["on"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Outcome recorded."))
            return redirect(_url(request, "transfer_detail"), pk=transfer.pk)
    return _transfer_page(request, pk, outcome_form=form, status=400)
