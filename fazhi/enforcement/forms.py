"""Validation only: the case views hand cleaned data to fazhi.enforcement.actions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fazhi.docparse import DocumentError, safety
from fazhi.orgs.forms import BootstrapMixin, RegionChoiceField
from fazhi.orgs.models import Region, Unit

from . import case_import
from .models import (
    Case,
    CaseKind,
    CaseStatus,
    CaseStep,
    DiscretionStandard,
    Officer,
    PartyType,
    Power,
    ReviewResult,
)
from .workflow import FINE_KINDS, NEEDS_NOTES

# The two outcomes of the legal review are one form on the case page: passed or returned.
LEGAL_REVIEW = "legal_review"
EVIDENCE_ACCEPT = ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"


def _evidence_field() -> forms.FileField:
    return forms.FileField(
        label=_("evidence file"),
        required=False,
        help_text=_(
            "PDF, Word (.docx), Excel (.xlsx), JPG or PNG; its SHA-256 fingerprint is kept with the step."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
    )


def _check_upload_size(upload: Any) -> Any:
    if upload:
        try:
            # Refused before the file is read into memory.
            safety.check_length(upload.size or 0, settings.FAZHI_UPLOAD_MAX_BYTES)
        except DocumentError as error:
            raise forms.ValidationError(error.message) from None
    return upload


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )


class CaseFilterForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"), required=False, choices=[("", _("all kinds")), *CaseKind.choices]
    )
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", _("all statuses")), *CaseStatus.choices]
    )
    body = forms.ModelChoiceField(
        label=_("enforcement body"), required=False, queryset=Unit.objects.none(), empty_label=_("all bodies")
    )

    def __init__(self, *args: Any, bodies: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        assert isinstance(body, forms.ModelChoiceField)
        body.queryset = bodies


class PowerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}（{obj.get_kind_display()}）"


class CaseOpenForm(BootstrapMixin, forms.Form):
    """Register (立案) a case. The power is one of the chosen body's powers (checked again by the model)."""

    body = forms.ModelChoiceField(label=_("enforcement body"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("kind"), choices=CaseKind.choices)
    number = forms.CharField(
        label=_("case number"), max_length=80, help_text=_("For example 新司罚〔2025〕1号.")
    )
    power = PowerChoiceField(label=_("power"), queryset=Power.objects.none(), required=False)
    cause = forms.CharField(label=_("cause of action"), max_length=300, required=False)
    party_name = forms.CharField(label=_("party"), max_length=200)
    party_type = forms.ChoiceField(label=_("party type"), choices=PartyType.choices)
    party_id_number = forms.CharField(
        label=_("party's ID number"), max_length=40, required=False,
        help_text=_("ID card number, or the unified social credit code of an organisation."),
    )  # fmt: skip
    party_phone = forms.CharField(label=_("party's phone"), max_length=40, required=False)
    party_address = forms.CharField(label=_("party's address"), max_length=300, required=False)
    is_major = forms.BooleanField(
        label=_("major enforcement decision (needs the legal review and a collective discussion)"),
        required=False,
    )
    on = _date_field(_("registered on"))
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = _evidence_field()

    def __init__(self, *args: Any, bodies: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        power = self.fields["power"]
        assert isinstance(body, forms.ModelChoiceField)
        assert isinstance(power, forms.ModelChoiceField)
        body.queryset = bodies
        if len(bodies) == 1:
            body.initial = bodies[0].pk
        power.queryset = Power.objects.filter(unit__in=bodies).select_related("unit").order_by("unit", "code")

    def clean_evidence(self) -> Any:
        return _check_upload_size(self.cleaned_data.get("evidence"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        body, power = data.get("body"), data.get("power")
        if body is not None and power is not None and power.unit_id != body.pk:
            self.add_error(
                "power", _("This power belongs to another body: choose one of the chosen body's powers.")
            )
        return data

    def case_fields(self) -> dict[str, Any]:
        names = ("kind", "number", "power", "cause", "party_name", "party_type", "party_id_number",
                 "party_phone", "party_address", "is_major")  # fmt: skip
        return {name: self.cleaned_data[name] for name in names}


class OfficerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class StepForm(BootstrapMixin, forms.Form):
    """One step of a case: the fields depend on the step (its guards in actions.advance decide the rest)."""

    on = _date_field(_("date of the step"))
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = _evidence_field()

    def __init__(
        self, *args: Any, case: Case, step: str, officer: Officer | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", step)
        super().__init__(*args, **kwargs)
        self.case, self.step = case, step
        officers = Officer.objects.filter(unit_id=case.unit_id, is_active=True).order_by("name")
        if step == CaseStep.INVESTIGATE:
            self.fields["officers"] = OfficerChoiceField(
                label=_("officers who investigated (at least two, with valid certificates)"),
                queryset=officers,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            )
        if step == LEGAL_REVIEW:
            reviewers = officers.filter(is_legal_reviewer=True)
            self.fields["reviewer"] = forms.ModelChoiceField(
                label=_("legal reviewer"),
                queryset=reviewers,
                initial=officer.pk if officer is not None and officer.is_legal_reviewer else None,
            )
            self.fields["result"] = forms.ChoiceField(
                label=_("result"),
                choices=ReviewResult.choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
            self.fields["notes"].label = _("reviewer's opinion")
            self.fields["notes"].required = True
        if step in NEEDS_NOTES:
            self.fields["notes"].required = True
        if step == CaseStep.DECIDE and case.kind in FINE_KINDS:
            self.fields["penalty_amount"] = forms.DecimalField(
                label=_("fine (yuan)"), required=False, min_value=Decimal("0"), max_digits=14,
                decimal_places=2, widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
                help_text=_("Leave empty for a decision without a fine."),
            )  # fmt: skip
            self.fields["discretion_standard"] = forms.ModelChoiceField(
                label=_("discretion standard applied"),
                required=False,
                queryset=(
                    case.power.discretion_standards.all()
                    if case.power is not None
                    else DiscretionStandard.objects.none()
                ),
                help_text=_("The circumstance the fine is measured against."),
            )
            self.fields["discretion_reason"] = forms.CharField(
                label=_("reason for departing from the discretion standard"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        # Re-order: the step's own fields first, then the date, notes and evidence.
        tail = ("on", "notes", "evidence")
        self.order_fields([name for name in self.fields if name not in tail] + list(tail))

    def clean_evidence(self) -> Any:
        return _check_upload_size(self.cleaned_data.get("evidence"))

    def action_step(self) -> str:
        """The workflow step to take (the legal review form names one of its two outcomes)."""
        if self.step == LEGAL_REVIEW:
            passed = self.cleaned_data.get("result") == ReviewResult.PASSED
            return CaseStep.REVIEW_PASS if passed else CaseStep.REVIEW_RETURN
        return self.step

    def advance_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        found: dict[str, Any] = {"on": data["on"], "notes": data.get("notes") or ""}
        if "officers" in data:
            found["officers"] = list(data["officers"])
        if "reviewer" in data:
            found["reviewer"] = data["reviewer"]
        for name in ("penalty_amount", "discretion_standard"):
            if name in data:
                found[name] = data[name]
        if "discretion_reason" in data:
            found["discretion_reason"] = data["discretion_reason"] or ""
        return found


class CaseImportForm(BootstrapMixin, forms.Form):
    region = RegionChoiceField(label=_("region whose cases these are"), queryset=Region.objects.none())
    file = forms.FileField(
        label=_("file of cases"),
        help_text=_(
            "An export of the provincial case system: .csv or .xlsx with one row per step, or .ndjson with "
            "one case per line. The columns are described in the template."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.ndjson,.jsonl"}),
    )

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(RegionChoiceField, self.fields["region"]).offer(regions)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # Refused here, before the file is stored or queued: the size and what the first bytes are. A workbook
        # is checked whole (zip bomb, entities) by the worker, which refuses it without writing anything.
        try:
            safety.check_length(upload.size or 0, settings.FAZHI_CASE_IMPORT_MAX_BYTES)
            head = upload.read(65536)
            upload.seek(0)
            if head.startswith(b"PK"):
                # What a zip holds is known from its whole directory: the worker reads it (and refuses a
                # bomb or an entity declaration before parsing); here only its size and its name.
                safety.check_length(upload.size or 0, case_import.MAX_XLSX_BYTES)
                if not upload.name.lower().endswith(".xlsx"):
                    raise forms.ValidationError(
                        _("This is a zip archive: upload the cases as .xlsx, .csv or .ndjson.")
                    )
            else:
                safety.check_kind(head, upload.name, {"xlsx", "txt"})
        except DocumentError as error:
            raise forms.ValidationError(error.message) from None
        return upload
