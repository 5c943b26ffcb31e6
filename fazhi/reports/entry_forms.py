"""Forms of the entered-values pages: validation only (the writes are in actions.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from fazhi.docparse import DocumentError, safety

from .models import Indicator


class EntryForm(forms.Form):
    value = forms.DecimalField(
        label=_("Value"),
        min_value=0,
        max_digits=14,
        decimal_places=4,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "any", "inputmode": "decimal"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
        help_text=_("How the figure was counted, if it needs saying."),
    )
    file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}
        ),
        help_text=_(
            "PDF, Word (.docx), Excel (.xlsx), JPG or PNG; the file's kind is read from its content. "
            "A value without evidence is kept but does not go into the annual report."
        ),
    )

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if indicator.measure:
            self.fields["value"].label = _("Value (%(measure)s)") % {"measure": indicator.measure}

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        try:
            # Refused before the file is read into memory.
            safety.check_length(upload.size or 0, settings.FAZHI_UPLOAD_MAX_BYTES)
        except DocumentError as error:
            raise forms.ValidationError(error.message) from None
        return upload
