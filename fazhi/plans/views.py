"""Plan pages: import with progress, review beside the source text, publish. Thin: access, forms, actions."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fazhi.orgs import access as org_access
from fazhi.orgs.access import DIRECTORY_ROLES, MANAGER_ROLES, role_required
from fazhi.orgs.models import Unit

from . import access, actions, jobs, ledger, linking
from .forms import MapNameForm, PlanImportForm, TaskForm
from .models import Assignment, PlanImport, Resolution, Task, TaskKind, TaskUnit, UnitRole

ROLE_LABELS = {UnitRole.LEAD: "牵头单位", UnitRole.RESPONSIBLE: "责任单位", UnitRole.COOPERATING: "配合单位"}


@role_required(*DIRECTORY_ROLES)
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = (
        access.readable_plans(request.user)
        .select_related("region")
        .annotate(task_count=Count("tasks", filter=Q(tasks__kind=TaskKind.TASK)))
        .order_by("-year", "region__path", "-published_at", "title")
    )
    scope = org_access.scope_for(request.user)
    context = {
        "plans": plans,
        "can_import": scope.has(*MANAGER_ROLES),
        "imports": access.readable_imports(request.user).select_related("region", "plan")[:10],
    }
    return render(request, "plans/plan_list.html", context)


@role_required(*MANAGER_ROLES)
def plan_import(request: HttpRequest) -> HttpResponse:
    regions = org_access.managed_regions(request.user).order_by("path")
    form = PlanImportForm(request.POST or None, request.FILES or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["file"] is not None:
            name, content = data["file"].name, data["file"]
        else:
            name, content = _("pasted text") + ".txt", ContentFile(data["text"].encode("utf-8"))
        job = PlanImport(
            region=data["region"],
            year=data["year"],
            source_name=name[:255],
            created_by=request.user,  # type: ignore[misc]
        )
        job.source_file.save(name, content, save=False)
        job.save()
        # The worker reads the document; with the immediate backend (tests, a trial) it has run by now.
        jobs.read_plan.enqueue(job.pk)
        return redirect("plans:import_status", pk=job.pk)
    return render(request, "plans/plan_import.html", {"form": form})


@role_required(*MANAGER_ROLES)
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = access.get_import_for_user(request.user, pk)
    if job.status == "done" and job.plan_id and request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = f"/plans/{job.plan_id}/"
        return response
    template = (
        "plans/_import_progress.html" if request.headers.get("HX-Request") else "plans/import_status.html"
    )
    return render(request, template, {"job": job})


def _source_segments(text: str, tasks: list[Task]) -> list[tuple[str, int | None]]:
    """The source text cut into pieces, each either plain or the span of one task (for highlighting)."""
    spans = sorted(
        (t.span_start, t.span_end, t.pk)
        for t in tasks
        if t.span_start is not None and t.span_end is not None and t.span_end > t.span_start
    )
    pieces: list[tuple[str, int | None]] = []
    cursor = 0
    for start, end, pk in spans:
        if start < cursor:
            continue  # overlapping spans (a split task): keep the first
        if start > cursor:
            pieces.append((text[cursor:start], None))
        pieces.append((text[start:end], pk))
        cursor = end
    if cursor < len(text):
        pieces.append((text[cursor:], None))
    return pieces


def split_points(text: str) -> list[tuple[int, str]]:
    """Where a task's text may be split: after each sentence, with the sentence's end as a preview."""
    points = []
    for offset, char in enumerate(text[:-1], start=1):
        if char in "。；;\n" and text[offset:].strip():
            points.append((offset, text[max(0, offset - 14) : offset].strip()))
    return points


def _ledger_rows(plan: Any) -> list[Task]:
    rows = list(
        plan.tasks.select_related("implements__plan")
        .prefetch_related(
            Prefetch("named_units", queryset=TaskUnit.objects.select_related("unit", "group")),
            "targets",
            "deadlines",
            Prefetch("assignments", queryset=Assignment.objects.select_related("unit")),
        )
        .order_by("position")
    )
    if plan.is_draft:
        for row in rows:
            row.split_points = split_points(row.text) if row.kind == TaskKind.TASK else []
    return rows


@role_required(*DIRECTORY_ROLES)
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk)
    rows = _ledger_rows(plan)
    can_edit = plan.is_draft and org_access.can_manage_region(request.user, plan.region)
    unknown: dict[str, int] = defaultdict(int)
    ignored: dict[str, int] = defaultdict(int)
    for row in rows:
        for named in row.named_units.all():
            if named.resolution == Resolution.UNKNOWN:
                unknown[named.name] += 1
            elif named.resolution == Resolution.IGNORED:
                ignored[named.name] += 1
    context: dict[str, Any] = {
        "plan": plan,
        "rows": rows,
        "task_count": sum(1 for row in rows if row.kind == TaskKind.TASK),
        "can_edit": can_edit,
        "can_manage": org_access.can_manage_region(request.user, plan.region),
        "unknown": sorted(unknown.items()),
        "ignored": sorted(ignored.items()),
    }
    if can_edit:
        context["problems"] = actions.publish_problems(plan)
        context["segments"] = _source_segments(plan.source_text, rows)
        context["map_units"] = (
            org_access.readable_units(request.user).filter(region__path__startswith=plan.region.path).active()
        )
        context["map_groups"] = org_access.readable_groups(request.user).filter(
            region_id__in=plan.region.ancestor_ids
        )
    return render(request, "plans/plan_detail.html", context)


def _task_card(
    request: HttpRequest, task: Task, editing: bool = False, form: TaskForm | None = None
) -> HttpResponse:
    task = _ledger_row(task.pk)
    context = {"row": task, "can_edit": task.plan.is_draft, "editing": editing, "form": form}
    return render(request, "plans/_task_row.html", context)


def _ledger_row(pk: int) -> Task:
    return next(row for row in _ledger_rows(Task.objects.get(pk=pk).plan) if row.pk == pk)


def units_as_text(task: Task) -> str:
    by_role: dict[str, list[str]] = defaultdict(list)
    for named in task.named_units.all():
        by_role[named.role].append(named.name)
    return ";".join(f"{ROLE_LABELS[UnitRole(role)]}:{'、'.join(names)}" for role, names in by_role.items())


@role_required(*MANAGER_ROLES)
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.get_task_for_user(request.user, pk, write=True)
    if not task.plan.is_draft:
        raise PermissionDenied
    if request.method == "POST":
        form = TaskForm(request.POST)
        if form.is_valid():
            try:
                actions.update_task(task, form.cleaned_data["title"], form.cleaned_data["text"])
                if task.kind == TaskKind.TASK:
                    roles = actions.parse_units_field(form.cleaned_data["units"])
                    actions.set_task_units(task, roles)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                return _task_card(request, task)
        return _task_card(request, task, editing=True, form=form)
    if request.GET.get("cancel"):
        return _task_card(request, task)
    initial = {"title": task.title, "text": task.text, "units": units_as_text(task)}
    return _task_card(request, task, editing=True, form=TaskForm(initial=initial))


def _back_to_plan(request: HttpRequest, plan_pk: int, anchor: str = "") -> HttpResponse:
    return redirect(f"/plans/{plan_pk}/{anchor}")


@require_POST
@role_required(*MANAGER_ROLES)
def task_split(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.get_task_for_user(request.user, pk, write=True)
    try:
        new = actions.split_task(task, int(request.POST.get("at", "0")))
    except (ValueError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return _back_to_plan(request, task.plan_id, f"#task-{task.pk}")
    messages.success(request, _("Task %(label)s split in two.") % {"label": task.label})
    return _back_to_plan(request, task.plan_id, f"#task-{new.pk}")


@require_POST
@role_required(*MANAGER_ROLES)
def task_merge(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.get_task_for_user(request.user, pk, write=True)
    try:
        actions.merge_with_next(task)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Task %(label)s merged with the next one.") % {"label": task.label})
    return _back_to_plan(request, task.plan_id, f"#task-{task.pk}")


@require_POST
@role_required(*MANAGER_ROLES)
def name_map(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk, write=True)
    units = org_access.readable_units(request.user).filter(region__path__startswith=plan.region.path)
    groups = org_access.readable_groups(request.user).filter(region_id__in=plan.region.ancestor_ids)
    form = MapNameForm(request.POST, units=units, groups=groups)
    if form.is_valid():
        target = form.cleaned_data["target"]
        is_unit = isinstance(target, Unit)
        try:
            count = actions.map_name(
                plan, form.cleaned_data["name"], unit=target if is_unit else None,
                group=None if is_unit else target, remember=form.cleaned_data["remember"],
            )  # fmt: skip
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("“%(name)s” now stands for %(target)s in %(count)d places.")
                % {"name": form.cleaned_data["name"], "target": target, "count": count},
            )
    else:
        messages.error(request, _("Choose a unit or a unit group from the list."))
    return _back_to_plan(request, plan.pk, "#names")


@require_POST
@role_required(*MANAGER_ROLES)
def name_ignore(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk, write=True)
    name = request.POST.get("name", "")
    try:
        count = actions.ignore_name(plan, name)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("“%(name)s” marked as not a unit of this region (%(count)d places).")
            % {"name": name, "count": count},
        )
    return _back_to_plan(request, plan.pk, "#names")


@require_POST
@role_required(*MANAGER_ROLES)
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk, write=True)
    try:
        actions.publish(plan)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The plan is published: every unit now sees its tasks."))
    return _back_to_plan(request, plan.pk)


@require_POST
@role_required(*MANAGER_ROLES)
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk, write=True)
    try:
        actions.delete_draft(plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back_to_plan(request, plan.pk)
    messages.success(request, _("The draft “%(title)s” was deleted.") % {"title": plan.title})
    return redirect("plans:plan_list")


@role_required(*DIRECTORY_ROLES)
def plan_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk)
    response = HttpResponse(
        ledger.export_ledger(plan),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, ledger.ledger_filename(plan))
    return response


@role_required(*MANAGER_ROLES)
def plan_links(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk, write=True)
    readable = set(access.readable_plans(request.user).values_list("pk", flat=True))
    parents = [p for p in linking.parent_plans_for(plan) if p.pk in readable]
    parent = None
    if request.GET.get("parent"):
        parent = access.get_plan_for_user(request.user, request.GET["parent"])
        if parent not in parents:
            raise PermissionDenied
    elif plan.parent_plan_id and plan.parent_plan in parents:
        parent = plan.parent_plan
    elif parents:
        parent = parents[0]
    suggestions = linking.suggest_parent_tasks(plan, parent) if parent else []
    context = {"plan": plan, "parents": parents, "parent": parent, "suggestions": suggestions}
    return render(request, "plans/plan_links.html", context)


@require_POST
@role_required(*MANAGER_ROLES)
def task_link(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.get_task_for_user(request.user, pk, write=True)
    parent_task = None
    if request.POST.get("parent_task"):
        parent_task = access.get_task_for_user(request.user, request.POST["parent_task"])
    try:
        actions.link_task(task, parent_task)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.headers.get("HX-Request"):
        return render(request, "plans/_link_state.html", {"task": task})
    return redirect(f"/plans/{task.plan_id}/links/?parent={parent_task.plan_id if parent_task else ''}")
