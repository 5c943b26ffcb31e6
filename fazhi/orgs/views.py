"""Directory and people pages. Thin: access.py fetches, forms.py validates, actions.py writes."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, actions, importing, spreadsheets
from .access import DIRECTORY_ROLES, MANAGER_ROLES, role_required
from .forms import (
    AliasForm,
    ImportForm,
    LoginForm,
    NewPersonForm,
    PasswordResetForm,
    PersonForm,
    RoleForm,
    UnitForm,
    UnitGroupForm,
)
from .models import UNIT_FLAGS, RoleAssignment, Unit, UnitGroup, UnitKind

PAGE_SIZE = 50


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


def locked_out(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes calls this when an account is locked from the requesting address."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else 0
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


def _add_form_errors(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# --- regions ----------------------------------------------------------------------------------------------


@role_required(*DIRECTORY_ROLES)
def region_list(request: HttpRequest) -> HttpResponse:
    regions = list(access.readable_regions(request.user).annotate(unit_count=Count("units")).order_by("path"))
    by_id = {region.pk: region for region in regions}
    roots = []
    for region in regions:
        region.tree_children = []  # type: ignore[attr-defined]
    for region in regions:
        parent = by_id.get(region.parent_id) if region.parent_id else None
        if parent is None:
            roots.append(region)
        else:
            parent.tree_children.append(region)  # type: ignore[attr-defined]
    return render(request, "orgs/region_list.html", {"roots": roots, "count": len(regions)})


@role_required(*DIRECTORY_ROLES)
def region_detail(request: HttpRequest, pk: int) -> HttpResponse:
    region = access.get_region_for_user(request.user, pk)
    children = access.readable_regions(request.user).filter(parent=region).annotate(unit_count=Count("units"))
    units = access.readable_units(request.user).filter(region=region)
    subtree_units = access.readable_units(request.user).in_subtree(region).active()
    by_kind = Counter(
        dict(subtree_units.order_by().values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    )
    labels = dict(UnitKind.choices)
    chart = {
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "type": "pie",
                "radius": ["40%", "70%"],
                "data": [{"name": str(labels[k]), "value": n} for k, n in sorted(by_kind.items())],
            }
        ],
    }
    context = {
        "region": region,
        "ancestors": region.ancestors()[:-1],
        "children": children,
        "units": units,
        "groups": access.readable_groups(request.user).filter(region=region),
        "can_manage": access.can_manage_region(request.user, region),
        "kind_chart": chart,
        "subtree_count": sum(by_kind.values()),
    }
    return render(request, "orgs/region_detail.html", context)


# --- units ------------------------------------------------------------------------------------------------


@role_required(*DIRECTORY_ROLES)
def unit_list(request: HttpRequest) -> HttpResponse:
    units = access.readable_units(request.user).select_related("region")
    regions = access.readable_regions(request.user).order_by("path")
    region = None
    if request.GET.get("region"):
        region = access.get_region_for_user(request.user, request.GET["region"])
        units = units.in_subtree(region)
    kind = request.GET.get("kind", "")
    if kind in UnitKind.values:
        units = units.filter(kind=kind)
    flag = request.GET.get("flag", "")
    if flag in UNIT_FLAGS:
        units = units.filter(**{flag: True})
    if request.GET.get("inactive") != "1":
        units = units.active()
    query = request.GET.get("q", "").strip()
    if query:
        units = units.filter(Q(name__contains=query) | Q(aliases__name__contains=query)).distinct()
    page = Paginator(units.order_by("region__path", "sort_order", "name"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "regions": regions,
        "region": region,
        "kinds": UnitKind.choices,
        "flags": UNIT_FLAGS.items(),
        "kind": kind,
        "flag": flag,
        "query": query,
        "can_add": access.scope_for(request.user).has(*MANAGER_ROLES),
        "querystring": _querystring_without_page(request),
    }
    return render(request, "orgs/unit_list.html", context)


def _querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@role_required(*DIRECTORY_ROLES)
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_for_user(request.user, pk)
    groups = (
        access.readable_groups(request.user)
        .filter(region_id__in=unit.region.ancestor_ids)
        .select_related("region")
        .prefetch_related(Prefetch("members", queryset=Unit.objects.only("pk")))
    )
    containing = [g for g in groups if g.matches(unit, {m.pk for m in g.members.all()}, unit.region.path)]
    context = {
        "unit": unit,
        "aliases": unit.aliases.order_by("name"),
        "groups": containing,
        "people": access.unit_colleagues(request.user, unit),
        "can_manage": access.can_manage_region(request.user, unit.region),
    }
    return render(request, "orgs/unit_detail.html", context)


@role_required(*MANAGER_ROLES)
def unit_create(request: HttpRequest) -> HttpResponse:
    return _unit_form(request, None)


@role_required(*MANAGER_ROLES)
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_form(request, access.get_unit_for_user(request.user, pk, write=True))


def _unit_form(request: HttpRequest, unit: Unit | None) -> HttpResponse:
    regions = access.managed_regions(request.user).order_by("path")
    initial = {"region": request.GET.get("region")} if unit is None else None
    form = UnitForm(request.POST or None, instance=unit, regions=regions, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_unit(unit, **form.cleaned_data)
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            messages.success(request, _("Unit “%(name)s” saved.") % {"name": saved.name})
            return redirect("orgs:unit_detail", pk=saved.pk)
    return render(request, "orgs/unit_form.html", {"form": form, "unit": unit})


# --- groups -----------------------------------------------------------------------------------------------


def member_counts(groups: list[UnitGroup], units: list[Unit]) -> dict[int, int]:
    counts = {}
    for group in groups:
        listed = {m.pk for m in group.members.all()}
        counts[group.pk] = sum(1 for unit in units if group.matches(unit, listed, unit.region.path))
    return counts


@role_required(*DIRECTORY_ROLES)
def group_list(request: HttpRequest) -> HttpResponse:
    groups_qs = access.readable_groups(request.user).select_related("region").order_by("region__path", "name")
    region = None
    if request.GET.get("region"):
        region = access.get_region_for_user(request.user, request.GET["region"])
        groups_qs = groups_qs.filter(region=region)
    groups = list(groups_qs.prefetch_related(Prefetch("members", queryset=Unit.objects.only("pk"))))
    paths = {group.region.path for group in groups}
    units = list(
        access.readable_units(request.user)
        .active()
        .filter(access.path_q(paths, "region__path"))
        .select_related("region")
    )
    counts = member_counts(groups, units)
    for group in groups:
        group.member_count = counts[group.pk]  # type: ignore[attr-defined]
    context = {
        "groups": groups,
        "region": region,
        "can_add": access.scope_for(request.user).has(*MANAGER_ROLES),
    }
    return render(request, "orgs/group_list.html", context)


@role_required(*DIRECTORY_ROLES)
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = access.get_group_for_user(request.user, pk)
    members = group.resolve().select_related("region").order_by("region__path", "sort_order", "name")
    context = {
        "group": group,
        "members": members,
        "listed": group.members.order_by("name"),
        "aliases": group.aliases.order_by("name"),
        "can_manage": access.can_manage_region(request.user, group.region),
    }
    return render(request, "orgs/group_detail.html", context)


@role_required(*MANAGER_ROLES)
def group_create(request: HttpRequest) -> HttpResponse:
    return _group_form(request, None)


@role_required(*MANAGER_ROLES)
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _group_form(request, access.get_group_for_user(request.user, pk, write=True))


def _group_form(request: HttpRequest, group: UnitGroup | None) -> HttpResponse:
    regions = access.managed_regions(request.user).order_by("path")
    units = (
        access.readable_units(request.user)
        .filter(region__in=regions)
        .active()
        .order_by("region__path", "name")
    )
    form = UnitGroupForm(request.POST or None, instance=group, regions=regions, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        members = data.pop("members")
        try:
            saved = actions.save_group(group, members=members, **data)
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            messages.success(request, _("Group “%(name)s” saved.") % {"name": saved.name})
            return redirect("orgs:group_detail", pk=saved.pk)
    return render(request, "orgs/group_form.html", {"form": form, "group": group})


# --- aliases ----------------------------------------------------------------------------------------------


@role_required(*DIRECTORY_ROLES)
def alias_list(request: HttpRequest) -> HttpResponse:
    aliases = access.readable_aliases(request.user).select_related("region", "unit", "group")
    query = request.GET.get("q", "").strip()
    if query:
        aliases = aliases.filter(
            Q(name__contains=query) | Q(unit__name__contains=query) | Q(group__name__contains=query)
        )
    page = Paginator(aliases.order_by("region__path", "name", "valid_from"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "query": query,
        "can_add": access.scope_for(request.user).has(*MANAGER_ROLES),
        "managed_region_ids": set(access.managed_regions(request.user).values_list("pk", flat=True)),
        "querystring": _querystring_without_page(request),
    }
    return render(request, "orgs/alias_list.html", context)


@role_required(*MANAGER_ROLES)
def alias_create(request: HttpRequest) -> HttpResponse:
    return _alias_form(request, None)


@role_required(*MANAGER_ROLES)
def alias_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _alias_form(request, access.get_alias_for_user(request.user, pk, write=True))


def _alias_form(request: HttpRequest, alias: Any) -> HttpResponse:
    regions = access.managed_regions(request.user).order_by("path")
    units = access.readable_units(request.user).filter(region__in=regions).order_by("region__path", "name")
    groups = access.readable_groups(request.user).filter(region__in=regions).order_by("name")
    form = AliasForm(request.POST or None, instance=alias, regions=regions, units=units, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_alias(alias, **form.cleaned_data)
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            messages.success(request, _("Alias “%(name)s” saved.") % {"name": saved.name})
            return redirect("orgs:alias_list")
    return render(request, "orgs/alias_form.html", {"form": form, "alias": alias})


@require_POST
@role_required(*MANAGER_ROLES)
def alias_delete(request: HttpRequest, pk: int) -> HttpResponse:
    alias = access.get_alias_for_user(request.user, pk, write=True)
    actions.delete_alias(alias)
    messages.success(request, _("Alias “%(name)s” deleted.") % {"name": alias.name})
    return redirect("orgs:alias_list")


# --- people -----------------------------------------------------------------------------------------------


def _role_form(request: HttpRequest, data: Any = None) -> RoleForm:
    regions = access.managed_regions(request.user).order_by("path")
    units = (
        access.readable_units(request.user)
        .filter(region__in=regions)
        .active()
        .order_by("region__path", "name")
    )
    return RoleForm(data, regions=regions, units=units, allow_admin=access.scope_for(request.user).is_admin)


@role_required(*MANAGER_ROLES)
def people_list(request: HttpRequest) -> HttpResponse:
    people = access.managed_people(request.user).prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("region", "unit"))
    )
    query = request.GET.get("q", "").strip()
    if query:
        people = people.filter(
            Q(username__contains=query)
            | Q(full_name__contains=query)
            | Q(role_assignments__unit__name__contains=query)
        ).distinct()
    page = Paginator(people.order_by("username"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "querystring": _querystring_without_page(request)}
    return render(request, "orgs/people_list.html", context)


@role_required(*MANAGER_ROLES)
def person_create(request: HttpRequest) -> HttpResponse:
    form = NewPersonForm(request.POST or None)
    role_form = _role_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid() and role_form.is_valid():
        data = dict(form.cleaned_data)
        password = data.pop("password")
        person = actions.create_person(password=password, **data)
        role = role_form.cleaned_data
        actions.grant_role(person, role["role"], region=role.get("region"), unit=role.get("unit"))
        messages.success(request, _("Account “%(name)s” created.") % {"name": person.username})
        return redirect("orgs:person_detail", pk=person.pk)
    return render(request, "orgs/person_form.html", {"form": form, "role_form": role_form})


@role_required(*MANAGER_ROLES)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for_user(request.user, pk)
    can_manage = access.can_manage_person(request.user, person)
    form = PersonForm(instance=person)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        form = PersonForm(request.POST, instance=person)
        if form.is_valid():
            actions.update_person(person, **form.cleaned_data)
            messages.success(request, _("Account saved."))
            return redirect("orgs:person_detail", pk=person.pk)
    context = {
        "person": person,
        "form": form,
        "roles": person.role_assignments.select_related("region", "unit").order_by("role"),
        "role_form": _role_form(request),
        "password_form": PasswordResetForm(),
        "can_manage": can_manage,
    }
    return render(request, "orgs/person_detail.html", context)


@require_POST
@role_required(*MANAGER_ROLES)
def person_grant_role(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for_user(request.user, pk, write=True)
    form = _role_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        actions.grant_role(person, data["role"], region=data.get("region"), unit=data.get("unit"))
        messages.success(request, _("Role granted."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("orgs:person_detail", pk=person.pk)


@require_POST
@role_required(*MANAGER_ROLES)
def person_revoke_role(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    person = access.get_person_for_user(request.user, pk, write=True)
    assignment = access.get_or_404(person.role_assignments.all(), assignment_pk)
    actions.revoke_role(assignment)
    messages.success(request, _("Role revoked."))
    return redirect("orgs:person_detail", pk=person.pk)


@require_POST
@role_required(*MANAGER_ROLES)
def person_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for_user(request.user, pk, write=True)
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            actions.set_password(person, form.cleaned_data["password"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Password reset. Tell the person to change it after signing in."))
    return redirect("orgs:person_detail", pk=person.pk)


@require_POST
@role_required(*MANAGER_ROLES)
def person_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for_user(request.user, pk, write=True)
    active = request.POST.get("active") == "1"
    actions.set_active(person, active)
    messages.success(request, _("Account enabled.") if active else _("Account disabled."))
    return redirect("orgs:person_detail", pk=person.pk)


# --- import and export ------------------------------------------------------------------------------------


@role_required(*MANAGER_ROLES)
def directory_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = importing.import_upload(
            form.cleaned_data["file"], request.user, check_only=form.cleaned_data["check_only"]
        )
    regions = list(access.readable_regions(request.user).order_by("path"))
    top = min((region.path.count("/") for region in regions), default=0)
    context = {
        "form": form,
        "result": result,
        # Indented like the region pickers of the directory forms, so a town shows under its district.
        "export_regions": [(r.pk, "　" * (r.path.count("/") - top) + r.name) for r in regions],
        "max_rows": importing.MAX_DATA_ROWS,
        "max_mb": settings.FAZHI_UPLOAD_MAX_BYTES // (1024 * 1024),
        "clear_word": importing.CLEAR_WORD,
    }
    return render(request, "orgs/import.html", context)


@role_required(*MANAGER_ROLES)
def directory_import_template(request: HttpRequest) -> HttpResponse:
    return _xlsx_response(spreadsheets.template_workbook(request.user), "单位名录导入模板.xlsx")


@role_required(*DIRECTORY_ROLES)
def directory_export(request: HttpRequest) -> HttpResponse:
    region = access.get_region_for_user(request.user, request.GET.get("region"))
    data = spreadsheets.export_workbook(request.user, region)
    return _xlsx_response(data, f"单位名录-{region.name}-{timezone.localdate():%Y%m%d}.xlsx")


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
