"""Validation only: the views hand cleaned data to the library code that does the work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fazhi.docparse import DocumentError, safety
from fazhi.orgs.forms import BootstrapMixin
from fazhi.plans.models import Plan

REPORT_KINDS = ("docx", "pdf", "html", "txt")
PLAN_KINDS = ("docx", "pdf", "html", "txt", "xlsx")


@dataclass(frozen=True)
class Upload:
    """An uploaded file read into memory (never stored): its name as sent and its bytes."""

    name: str
    data: bytes


def read_upload(upload: Any, kinds: tuple[str, ...]) -> Upload:
    """The upload's bytes, refused with docparse's Chinese message when too large or not one of `kinds`.

    The size is checked before a byte is read; the content decides the kind, the extension must agree with it.
    Zip bombs and XML entities are refused when docparse reads the file (the view shows that message too).
    """
    try:
        safety.check_length(upload.size or 0, settings.FAZHI_UPLOAD_MAX_BYTES)
        data = upload.read()
        safety.check_kind(data, upload.name, kinds)
    except DocumentError as error:
        raise forms.ValidationError(error.message) from None
    return Upload(upload.name, data)


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.year} {obj.region.name} {obj.title}"


class ReportAnalysisForm(BootstrapMixin, forms.Form):
    """An annual report to read, and optionally the plan to check it against: a file or a published plan."""

    report = forms.FileField(
        label=_("annual report"),
        help_text=_("Word (.docx), PDF with text, web page (.html) or text (.txt)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.html,.htm,.txt"}),
    )
    plan = PlanChoiceField(
        label=_("check against a published plan"),
        required=False,
        queryset=Plan.objects.none(),
        empty_label=_("(no plan)"),
        error_messages={"invalid_choice": _("Choose one of the published plans in the list.")},
    )
    plan_file = forms.FileField(
        label=_("or upload the plan to check against"),
        required=False,
        help_text=_("Word (.docx), PDF with text, web page (.html), text (.txt) or an Excel ledger (.xlsx)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.html,.htm,.txt,.xlsx"}),
    )

    def __init__(self, *args: Any, plans: QuerySet[Plan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only plans the user may read are offered and accepted: another region's plan is an invalid choice.
        self.fields["plan"].queryset = plans  # type: ignore[attr-defined]

    def clean_report(self) -> Upload:
        return read_upload(self.cleaned_data["report"], REPORT_KINDS)

    def clean_plan_file(self) -> Upload | None:
        upload = self.cleaned_data.get("plan_file")
        return read_upload(upload, PLAN_KINDS) if upload is not None else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("plan") is not None and data.get("plan_file") is not None:
            raise forms.ValidationError(_("Choose a published plan or upload a plan file, not both."))
        return data
