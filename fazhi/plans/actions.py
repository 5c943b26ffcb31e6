"""Every write to plans: importing a draft, correcting it, publishing it.

All functions run in a transaction; the audit trail records each row (imports and publishing append their
entries in one batch). A published plan's tasks no longer change here: corrections after publishing are a new
version of the plan, which the office publishes as such.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.audit.recorder import batched
from fazhi.docparse import PlanDocument
from fazhi.docparse.deadlines import find_deadlines, find_recurrence
from fazhi.docparse.targets import find_targets
from fazhi.docparse.units import COOPERATING, LEAD, RESPONSIBLE, parse_assignments
from fazhi.orgs import actions as org_actions
from fazhi.orgs.models import Region, Unit, UnitGroup
from fazhi.orgs.names import resolve

from .models import (
    ROLE_STRENGTH,
    Assignment,
    Deadline,
    Plan,
    PlanStatus,
    Resolution,
    Target,
    Task,
    TaskKind,
    TaskUnit,
    UnitRole,
)
from .signals import plan_published

Progress = Callable[[str, int], None]


def _no_progress(stage: str, percent: int) -> None:
    return None


def _require_draft(plan: Plan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("The plan is published: its tasks can no longer be changed."))


def resolution_day(plan: Plan) -> datetime.date:
    """The day a plan's unit names are read on: its date, else 1 January of its year (aliases expire)."""
    return plan.issued_on or datetime.date(plan.year, 1, 1)


# --- import -------------------------------------------------------------------------------------------------


@dataclass
class Source:
    name: str
    data: bytes | None  # the document as received; None when text was pasted

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data or b"").hexdigest() if self.data else ""


def create_draft(
    region: Region,
    document: PlanDocument,
    source: Source,
    user: Any = None,
    year: int | None = None,
    progress: Progress = _no_progress,
) -> Plan:
    """Turn a parsed plan document into a draft plan of `region`: its outline, tasks, unit names, targets."""
    if document.kind != "plan":
        raise ValidationError(
            _("This document does not look like a plan (%(kind)s). %(why)s")
            % {"kind": document.kind, "why": " ".join(document.warnings)}
        )
    if not document.tasks:
        raise ValidationError(_("No numbered tasks were found in the document: check that it is a plan."))
    year = year or document.year or (document.date.year if document.date else None)
    if year is None:
        raise ValidationError(
            _("The plan's year cannot be read from the document: enter it and import again.")
        )
    headings = _outline_headings(document)
    for key, heading in document.headings.items():
        headings.setdefault(key, heading)
    with transaction.atomic(), batched():
        plan = Plan(
            region=region,
            year=year,
            title=(document.title or source.name)[:300],
            issuer=(document.issuer or "")[:200],
            doc_number=(document.doc_number or "")[:100],
            issued_on=document.date,
            source_name=source.name[:255],
            source_sha256=source.sha256,
            source_text=document.source.text,
            warnings=list(document.warnings),
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        plan.full_clean(exclude=["source_file"])
        plan.save()
        if source.data is not None:
            plan.source_file.save(source.name, ContentFile(source.data), save=True)
        day = resolution_day(plan)
        areas: dict[tuple[str, ...], Task] = {}
        position = 0
        total = len(document.tasks)
        for done, parsed in enumerate(document.tasks):
            parent = None
            for depth in range(1, len(parsed.path)):
                key = tuple(parsed.path[:depth])
                if key not in areas:
                    position += 1
                    areas[key] = Task.objects.create(
                        plan=plan, parent=parent, kind=TaskKind.AREA, path=list(key),
                        title=headings.get(key, "")[:300], position=position,
                    )  # fmt: skip
                parent = areas[key]
            position += 1
            task = Task.objects.create(
                plan=plan,
                parent=parent,
                kind=TaskKind.TASK,
                path=list(parsed.path),
                title=(parsed.title or "")[:300],
                text=parsed.text,
                recurrence=parsed.recurrence or "",
                span_start=parsed.span[0],
                span_end=parsed.span[1],
                position=position,
            )
            roles = [
                (_role_of(name, parsed.lead_units, parsed.cooperating_units), name) for name in parsed.units
            ]
            _save_named_units(task, roles, region, day)
            _save_targets(task, parsed.targets)
            _save_deadlines(task, parsed.deadlines, task.text)
            if done % 10 == 0:
                progress(_("Matching units and saving tasks"), 60 + 35 * done // total)
    return plan


def _outline_headings(document: PlanDocument) -> dict[tuple[str, ...], str]:
    headings: dict[tuple[str, ...], str] = {}
    stack = list(document.outline.roots)
    while stack:
        item = stack.pop()
        headings.setdefault(tuple(item.path), item.head.text.strip())
        stack.extend(item.children)
    return headings


def _role_of(name: str, leads: list[str], cooperating: list[str]) -> str:
    if name in leads:
        return UnitRole.LEAD
    if name in cooperating:
        return UnitRole.COOPERATING
    return UnitRole.RESPONSIBLE


def _save_named_units(
    task: Task, roles: Iterable[tuple[str, str]], region: Region, day: datetime.date
) -> None:
    seen: set[str] = set()
    for position, (role, name) in enumerate(roles):
        if name in seen:
            continue
        seen.add(name)
        found = resolve(region, name, on=day)
        TaskUnit.objects.create(
            task=task,
            name=name[:100],
            role=role,
            position=position,
            resolution=found.kind,
            unit=found.unit if found.kind == "unit" else None,
            group=found.group if found.kind == "group" else None,
        )


def _save_targets(task: Task, targets: Iterable[Any]) -> None:
    for position, target in enumerate(targets):
        Target.objects.create(
            task=task,
            text=target.text[:200],
            comparator=target.comparator,
            value=Decimal(str(target.value)),
            value_max=Decimal(str(target.value_max)) if target.value_max is not None else None,
            measure=target.unit[:30],
            position=position,
        )


def _save_deadlines(task: Task, deadlines: Iterable[Any], text: str, start: int = 0) -> None:
    for position, deadline in enumerate(deadlines, start=start):
        Deadline.objects.create(
            task=task, text=deadline.text[:200], due_date=deadline.date, rule=(deadline.rule or "")[:200],
            in_text=deadline.text in text, position=position,
        )  # fmt: skip


# --- review -------------------------------------------------------------------------------------------------


def _reread_text_facts(task: Task) -> None:
    """After the text changed: targets and recurrence come from the text again; deadlines written in the text
    are read again, those that came from elsewhere (a 完成时限 column) are kept."""
    task.targets.all().delete()
    _save_targets(task, find_targets(task.text))
    task.deadlines.filter(in_text=True).delete()
    beside = set(task.deadlines.values_list("text", flat=True))
    fresh = [d for d in find_deadlines(task.text, task.plan.year) if d.text not in beside]
    _save_deadlines(task, fresh, task.text, start=len(beside))
    recurrence = find_recurrence(task.text) or ""
    if recurrence != task.recurrence:
        task.recurrence = recurrence
        task.save()


@transaction.atomic
def update_task(task: Task, title: str, text: str) -> Task:
    _require_draft(task.plan)
    task.title, task.text = title.strip()[:300], text.strip()
    if task.kind == TaskKind.TASK and not task.text:
        raise ValidationError(_("A task needs its text."))
    task.save()
    if task.kind == TaskKind.TASK:
        _reread_text_facts(task)
    return task


def parse_units_field(value: str) -> list[tuple[str, str]]:
    """Read units as staff type them: 区司法局牵头，区政府办配合 or 牵头单位:A;责任单位:B、C."""
    found = parse_assignments(value.strip())
    return [(_ROLE_FROM_PARSER[role], name) for role, name in found.assignments if role in _ROLE_FROM_PARSER]


_ROLE_FROM_PARSER = {
    LEAD: UnitRole.LEAD,
    RESPONSIBLE: UnitRole.RESPONSIBLE,
    COOPERATING: UnitRole.COOPERATING,
}


@transaction.atomic
def set_task_units(task: Task, roles: list[tuple[str, str]]) -> Task:
    _require_draft(task.plan)
    if task.kind != TaskKind.TASK:
        raise ValidationError(_("Only tasks carry units; areas group them."))
    task.named_units.all().delete()
    _save_named_units(task, roles, task.plan.region, resolution_day(task.plan))
    return task


def _renumber(plan: Plan) -> None:
    for position, task in enumerate(plan.tasks.order_by("position", "pk"), start=1):
        if task.position != position:
            task.position = position
            task.save()


@transaction.atomic
def split_task(task: Task, at: int) -> Task:
    """Split a task's text at a character offset into two tasks; both keep its units."""
    _require_draft(task.plan)
    if task.kind != TaskKind.TASK or not 0 < at < len(task.text):
        raise ValidationError(_("Choose where to split inside the task's text."))
    first, second = task.text[:at].strip(), task.text[at:].strip()
    if not first or not second:
        raise ValidationError(_("Both parts of a split task need text."))
    for later in task.plan.tasks.filter(position__gt=task.position).order_by("-position"):
        later.position += 1
        later.save()
    task.text = first
    task.save()
    new = Task.objects.create(
        plan=task.plan, parent=task.parent, kind=TaskKind.TASK, path=[*task.path[:-1], task.path[-1] + "-2"]
        if task.path else [], title="", text=second, position=task.position + 1, recurrence=task.recurrence,
    )  # fmt: skip
    _save_named_units(new, [(u.role, u.name) for u in task.named_units.all()], task.plan.region,
                      resolution_day(task.plan))  # fmt: skip
    _reread_text_facts(task)
    _reread_text_facts(new)
    return new


@transaction.atomic
def merge_with_next(task: Task) -> Task:
    """Merge the next task into this one: texts joined, units combined (the stronger role wins)."""
    _require_draft(task.plan)
    following = (
        task.plan.tasks.filter(kind=TaskKind.TASK, position__gt=task.position).order_by("position").first()
    )
    if task.kind != TaskKind.TASK or following is None:
        raise ValidationError(_("There is no following task to merge with."))
    task.text = f"{task.text}\n{following.text}".strip()
    task.save()
    roles = {u.name: u.role for u in task.named_units.all()}
    for named in following.named_units.all():
        current = roles.get(named.name)
        if current is None or ROLE_STRENGTH[UnitRole(named.role)] < ROLE_STRENGTH[UnitRole(current)]:
            roles[named.name] = named.role
    set_task_units(task, [(role, name) for name, role in roles.items()])
    following.delete()
    _reread_text_facts(task)
    _renumber(task.plan)
    return task


@transaction.atomic
def map_name(
    plan: Plan, name: str, unit: Unit | None = None, group: UnitGroup | None = None, remember: bool = True
) -> int:
    """Point every mention of `name` in the draft at a unit or group; remember it as the region's alias."""
    _require_draft(plan)
    if (unit is None) == (group is None):
        raise ValidationError(_("Choose one unit or one unit group."))
    count = 0
    for named in TaskUnit.objects.filter(task__plan=plan, name=name):
        named.unit, named.group = unit, group
        named.resolution = Resolution.UNIT if unit else Resolution.GROUP
        named.save()
        count += 1
    if remember and not resolve(plan.region, name, on=resolution_day(plan)).known:
        org_actions.save_alias(None, region=plan.region, name=name, unit=unit, group=group,
                               note=_("Learnt from the plan “%(plan)s”.") % {"plan": plan.title})  # fmt: skip
    return count


@transaction.atomic
def ignore_name(plan: Plan, name: str) -> int:
    """Confirm that a name is not a unit of this region (a body elsewhere, a typo kept as written)."""
    _require_draft(plan)
    count = 0
    for named in TaskUnit.objects.filter(task__plan=plan, name=name):
        named.unit = named.group = None
        named.resolution = Resolution.IGNORED
        named.save()
        count += 1
    return count


def unknown_names(plan: Plan) -> list[str]:
    names = TaskUnit.objects.filter(task__plan=plan, resolution=Resolution.UNKNOWN).values_list(
        "name", flat=True
    )
    return sorted(set(names))


def publish_problems(plan: Plan) -> list[str]:
    """What stops a draft from being published, in words the office can act on."""
    problems = []
    unknown = unknown_names(plan)
    if unknown:
        problems.append(
            _(
                "Unit names not matched to the directory: %(names)s. Map each to a unit or group, or confirm "
                "it is not a unit of this region."
            )
            % {"names": "、".join(unknown)}
        )  # fmt: skip
    orphans = [t.label or t.title for t in plan.tasks.filter(kind=TaskKind.TASK) if not _owner_units(t)]
    if orphans:
        problems.append(
            _("Tasks with no unit to carry them out: %(tasks)s. Give each a lead or responsible unit.")
            % {"tasks": "、".join(orphans[:20])}
        )
    return problems


def _owner_units(task: Task) -> list[TaskUnit]:
    return [u for u in task.named_units.all() if u.resolution in (Resolution.UNIT, Resolution.GROUP)]


@transaction.atomic
def publish(plan: Plan) -> Plan:
    """Publish a draft: every task gets one assignment per unit it names, collective names expanded."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _require_draft(plan)
    problems = publish_problems(plan)
    if problems:
        raise ValidationError(problems)
    with batched():
        tasks = plan.tasks.filter(kind=TaskKind.TASK).prefetch_related(
            "named_units__unit", "named_units__group"
        )
        for task in tasks:
            chosen: dict[int, tuple[str, UnitGroup | None, Unit]] = {}
            for named in task.named_units.all():
                members = [named.unit] if named.unit else list(named.group.resolve()) if named.group else []
                for unit in members:
                    if unit is None:
                        continue
                    current = chosen.get(unit.pk)
                    if (
                        current is None
                        or ROLE_STRENGTH[UnitRole(named.role)] < ROLE_STRENGTH[UnitRole(current[0])]
                    ):
                        chosen[unit.pk] = (named.role, named.group, unit)
            for role, group, unit in chosen.values():
                Assignment.objects.create(task=task, unit=unit, role=role, via_group=group)
        plan.status = PlanStatus.PUBLISHED
        plan.published_at = timezone.now()
        plan.save()
        plan_published.send(sender=Plan, plan=plan)
    return plan


@transaction.atomic
def delete_draft(plan: Plan) -> None:
    _require_draft(plan)
    source = plan.source_file.name
    with batched():
        plan.delete()
    if source:
        # Only once the rows are gone for good: a rolled-back delete must not lose the document.
        storage = plan.source_file.storage
        transaction.on_commit(lambda: storage.delete(source))


@transaction.atomic
def link_task(task: Task, parent_task: Task | None) -> Task:
    """Record which task of the upper region's plan this task carries out (confirmed by a person)."""
    if parent_task is not None and parent_task.plan.region_id != task.plan.region.parent_id:
        raise ValidationError(_("Link only to a task of the upper region's plan."))
    task.implements = parent_task
    task.save()
    return task
