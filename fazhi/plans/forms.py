"""Validation only: the views hand cleaned data to actions.py."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fazhi.docparse import DocumentError, safety
from fazhi.orgs.forms import BootstrapMixin, RegionChoiceField
from fazhi.orgs.models import Region, Unit, UnitGroup

PLAN_KINDS = {"docx", "pdf", "html", "txt", "xlsx"}


class PlanImportForm(BootstrapMixin, forms.Form):
    region = RegionChoiceField(label=_("region whose plan this is"), queryset=Region.objects.none())
    year = forms.IntegerField(
        label=_("year"), required=False, min_value=2000, max_value=2100,
        help_text=_("Leave blank to read it from the document."),
    )  # fmt: skip
    file = forms.FileField(
        label=_("plan document"), required=False,
        help_text=_("Word (.docx), PDF with text, web page (.html), text (.txt) or an Excel ledger (.xlsx)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.html,.htm,.txt,.xlsx"}),
    )  # fmt: skip
    text = forms.CharField(
        label=_("or paste the plan's text"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(RegionChoiceField, self.fields["region"]).offer(regions)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        try:
            # Refused here, before the file is stored or queued: the size, then what the bytes really are.
            safety.check_length(upload.size or 0, settings.FAZHI_UPLOAD_MAX_BYTES)
            data = upload.read()
            upload.seek(0)
            kind = safety.sniff(data)
            if kind in ("docx", "xlsx"):
                # Bombs and entity declarations are refused now, before the file is stored or queued.
                safety.check_zip(data)
                safety.check_zip_xml(data)
        except DocumentError as error:
            raise forms.ValidationError(error.message) from None
        if kind not in PLAN_KINDS:
            raise forms.ValidationError(
                _("This file is a %(kind)s: upload the plan as .docx, .pdf, .html, .txt or an .xlsx ledger.")
                % {"kind": safety.KIND_NAMES.get(kind, kind)}
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a file or paste the plan's text."))
        if data.get("file") and (data.get("text") or "").strip():
            raise forms.ValidationError(_("Give either a file or pasted text, not both."))
        return data


class TaskForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("title"), required=False, max_length=300)
    text = forms.CharField(label=_("text"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    units = forms.CharField(
        label=_("units"), required=False,
        help_text=_(
            "As a plan writes them, e.g. 牵头单位:区司法局;责任单位:各行政执法单位;配合单位:区政府办."
        ),
    )  # fmt: skip


class MapNameForm(forms.Form):
    name = forms.CharField(max_length=100)
    target = forms.CharField(
        help_text=_("A unit or a group."), widget=forms.Select(attrs={"class": "form-select"})
    )
    remember = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args: Any, units: QuerySet[Unit], groups: QuerySet[UnitGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units, self.groups = units, groups

    def clean_target(self) -> Unit | UnitGroup:
        value = self.cleaned_data["target"]
        kind, _sep, pk = value.partition("-")
        try:
            if kind == "u":
                return self.units.get(pk=int(pk))
            if kind == "g":
                return self.groups.get(pk=int(pk))
        except (ValueError, Unit.DoesNotExist, UnitGroup.DoesNotExist):
            pass
        raise forms.ValidationError(_("Choose a unit or a unit group from the list."))
