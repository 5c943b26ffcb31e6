"""Validation only: the views hand cleaned data to actions.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import UNIT_FLAGS, Alias, Region, Role, Unit, UnitGroup, UnitKind, User


class BootstrapMixin:
    """Give every widget Bootstrap's classes, so templates stay one loop."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class LoginForm(BootstrapMixin, AuthenticationForm):
    pass


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        depth = max(obj.path.count("/") - 2, 0)
        return "　" * depth + obj.name

    def offer(self, regions: QuerySet[Region]) -> None:
        """Offer `regions` (ordered from the top of the tree) with no empty choice, the first one chosen: the
        user's own region comes first."""
        self.queryset = regions
        self.empty_label = None
        self.initial = regions.first()


class UnitForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Unit
        fields = [
            "region",
            "name",
            "kind",
            "is_enforcement_body",
            "is_decision_body",
            "is_active",
            "phone",
            "note",
        ]
        field_classes = {"region": RegionChoiceField}

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]


class UnitGroupForm(BootstrapMixin, forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("unit kinds"), choices=UnitKind.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Units of any of these kinds belong to the group."),
    )  # fmt: skip
    flags = forms.MultipleChoiceField(
        label=_("unit flags"), choices=list(UNIT_FLAGS.items()), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Units must carry all of these flags."),
    )  # fmt: skip

    class Meta:
        model = UnitGroup
        fields = ["region", "name", "kinds", "flags", "include_subregions", "members", "note"]
        field_classes = {"region": RegionChoiceField}
        widgets = {"members": forms.SelectMultiple(attrs={"size": 10})}

    def __init__(self, *args: Any, regions: QuerySet[Region], units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        self.fields["members"].queryset = units  # type: ignore[attr-defined]
        self.fields["members"].help_text = _("Listed units belong to the group whatever the rule says.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("kinds") and not data.get("flags") and not data.get("members"):
            raise forms.ValidationError(
                _("Choose unit kinds, flags or listed members: the group would be empty.")
            )
        return data


class AliasForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Alias
        fields = ["region", "name", "unit", "group", "valid_from", "valid_to", "note"]
        field_classes = {"region": RegionChoiceField}
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(
        self,
        *args: Any,
        regions: QuerySet[Region],
        units: QuerySet[Unit],
        groups: QuerySet[UnitGroup],
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("unit")) == bool(data.get("group")):
            raise forms.ValidationError(_("An alias stands for exactly one unit or one group."))
        return data


class PersonForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "full_name", "phone", "email"]


class NewPersonForm(PersonForm):
    password = forms.CharField(
        label=_("initial password"),
        widget=forms.PasswordInput,
        help_text=password_validators_help_text_html(),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password:
            candidate = User(username=data.get("username", ""), full_name=data.get("full_name", ""))
            try:
                validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class PasswordResetForm(BootstrapMixin, forms.Form):
    password = forms.CharField(
        label=_("new password"), widget=forms.PasswordInput, help_text=password_validators_help_text_html()
    )


class RoleForm(BootstrapMixin, forms.Form):
    role = forms.ChoiceField(label=_("role"), choices=[])
    region = RegionChoiceField(label=_("region"), queryset=Region.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none(), required=False)

    def __init__(
        self, *args: Any, regions: QuerySet[Region], units: QuerySet[Unit], allow_admin: bool, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        roles = [(r.value, r.label) for r in Role if allow_admin or r != Role.ADMIN]
        self.fields["role"].choices = roles  # type: ignore[attr-defined]
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["region"].help_text = _("For office coordinators and leaders.")
        self.fields["unit"].help_text = _("For unit heads and liaison officers.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role in (Role.COORDINATOR, Role.LEADER) and not data.get("region"):
            self.add_error("region", _("Choose the region this role covers."))
        if role in (Role.UNIT_HEAD, Role.LIAISON) and not data.get("unit"):
            self.add_error("unit", _("Choose the unit this role covers."))
        return data


class StyledPasswordChangeForm(BootstrapMixin, PasswordChangeForm):
    pass


class ImportForm(forms.Form):
    """The directory import page: a spreadsheet, and whether only to check it. The content is checked by
    fazhi.orgs.importing, which reports every problem row by row."""

    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv,.txt"}),
    )
    check_only = forms.BooleanField(
        label=_("Check only, do not import"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
