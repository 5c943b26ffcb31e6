"""Validation only: the views hand cleaned data to actions.py."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from fazhi.docparse import DocumentError, safety
from fazhi.orgs.forms import BootstrapMixin
from fazhi.plans.models import Target

from .models import Progress


class ReportForm(BootstrapMixin, forms.Form):
    progress = forms.ChoiceField(label=_("progress"), choices=Progress.choices)
    text = forms.CharField(
        label=_("what was done"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Measures taken, results, figures; attach the evidence below."),
    )  # fmt: skip

    def __init__(self, *args: Any, targets: list[Target], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = targets
        for target in targets:
            self.fields[f"target_{target.pk}"] = forms.CharField(
                label=_("value reached for “%(target)s”") % {"target": target.text},
                required=False,
                help_text=target.measure,
                widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}),
            )

    def target_values(self) -> dict[int, str]:
        return {target.pk: self.cleaned_data.get(f"target_{target.pk}", "") for target in self.targets}


class StepForm(forms.Form):
    step = forms.CharField(max_length=30)
    seen_status = forms.CharField(max_length=20)
    comment = forms.CharField(required=False, widget=forms.Textarea)
    quality = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "")] + [(str(i), str(i)) for i in range(1, 6)],
    )


class RoundForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("name"), max_length=100, help_text=_("For example 半年工作总结."))
    due = forms.DateField(label=_("due date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def clean_due(self) -> datetime.date:
        due: datetime.date = self.cleaned_data["due"]
        if due < datetime.date.today():
            raise forms.ValidationError(_("A new round is due today or later."))
        return due


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("evidence"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            # Refused before the file is read into memory.
            safety.check_length(upload.size or 0, settings.FAZHI_UPLOAD_MAX_BYTES)
        except DocumentError as error:
            raise forms.ValidationError(error.message) from None
        return upload
