"""Plans, their task trees, the units each task names, targets, deadlines, and the assignments publishing
makes.

A plan is imported as a draft: its tasks and the unit names they carry (as written) are reviewed and corrected
by the office; publishing resolves every name to directory units (collective names through unit groups) and
creates one assignment per unit and task, in one transaction.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fazhi.orgs.models import Region, Unit, UnitGroup


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft, under review")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


class PlanQuerySet(models.QuerySet["Plan"]):
    def published(self) -> PlanQuerySet:
        return self.filter(status=PlanStatus.PUBLISHED)


class Plan(models.Model):
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    issuer = models.CharField(_("issuing body"), max_length=200, blank=True)
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    # The document as received, kept as evidence, and its text as read (task spans point into it).
    source_name = models.CharField(_("source file"), max_length=255, blank=True)
    source_file = models.FileField(_("source document"), upload_to="plans/%Y/", blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    source_text = models.TextField(blank=True)
    warnings = models.JSONField(default=list, blank=True)
    parent_plan = models.ForeignKey(
        "self", verbose_name=_("implements the plan"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="child_plans", help_text=_("The upper region's plan that this plan carries out."),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = PlanQuerySet.as_manager()

    # The text can be long and never changes after import; its hash is recorded instead.
    AUDIT_IGNORED_FIELDS: ClassVar[tuple[str, ...]] = ("source_text",)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "region__path", "title"]
        indexes = [models.Index(fields=["region", "year", "status"], name="plan_region_year_idx")]

    def __str__(self) -> str:
        return self.title

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.region_id, None

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT


class TaskKind(models.TextChoices):
    AREA = "area", _("area")
    TASK = "task", _("task")


class Recurrence(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    HALF_YEARLY = "half-yearly", _("half-yearly")
    YEARLY = "yearly", _("yearly")


class Task(models.Model):
    """A node of the plan's outline: an area (一、…) or a task, the smallest item that carries work."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=TaskKind.choices, default=TaskKind.TASK)
    path = models.JSONField(_("number"), default=list, help_text=_("The numbering labels as written."))
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    recurrence = models.CharField(_("recurrence"), max_length=12, choices=Recurrence.choices, blank=True)
    # Where the task stands in the plan's source text, for highlighting it during review.
    span_start = models.PositiveIntegerField(null=True, blank=True)
    span_end = models.PositiveIntegerField(null=True, blank=True)
    implements = models.ForeignKey(
        "self", verbose_name=_("implements"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="implemented_by",
        help_text=_("The task of the upper region's plan this task carries out."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "position"]
        indexes = [models.Index(fields=["plan", "kind", "position"], name="task_plan_kind_idx")]

    def __str__(self) -> str:
        return f"{self.label} {self.title or self.text[:30]}".strip()

    @property
    def label(self) -> str:
        return "".join(self.path)

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.plan.region_id, None


class UnitRole(models.TextChoices):
    # Ordered from strongest to weakest: when a unit is named twice, the stronger role wins.
    LEAD = "lead", _("lead unit")
    RESPONSIBLE = "responsible", _("responsible unit")
    COOPERATING = "cooperating", _("cooperating unit")


ROLE_STRENGTH = {UnitRole.LEAD: 0, UnitRole.RESPONSIBLE: 1, UnitRole.COOPERATING: 2}


class Resolution(models.TextChoices):
    UNIT = "unit", _("a unit")
    GROUP = "group", _("a unit group")
    UNKNOWN = "unknown", _("not found in the directory")
    IGNORED = "ignored", _("not a unit of this region (confirmed)")


class TaskUnit(models.Model):
    """A unit name as the plan writes it, its role in the task, and what it stands for in the directory."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="named_units")
    name = models.CharField(_("name as written"), max_length=100)
    role = models.CharField(_("role"), max_length=12, choices=UnitRole.choices)
    position = models.PositiveSmallIntegerField(default=0)
    resolution = models.CharField(_("resolution"), max_length=8, choices=Resolution.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(UnitGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("unit named by a task")
        verbose_name_plural = _("units named by tasks")
        ordering = ["task", "position"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(resolution="unit", unit__isnull=False, group__isnull=True)
                    | Q(resolution="group", unit__isnull=True, group__isnull=False)
                    | Q(resolution__in=["unknown", "ignored"], unit__isnull=True, group__isnull=True)
                ),
                name="task_unit_resolution_matches_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.task.plan.region_id, self.unit_id


class Comparator(models.TextChoices):
    AT_LEAST = ">=", "≥"
    AT_MOST = "<=", "≤"
    EQUAL = "=", "="
    MORE_THAN = ">", ">"
    LESS_THAN = "<", "<"
    RANGE = "range", _("range")


class Target(models.Model):
    """A measurable target: 不少于60学时 → (≥, 60, 学时)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="targets")
    text = models.CharField(_("target as written"), max_length=200)
    comparator = models.CharField(_("comparator"), max_length=5, choices=Comparator.choices)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    value_max = models.DecimalField(_("upper value"), max_digits=14, decimal_places=4, null=True, blank=True)
    measure = models.CharField(_("unit of measure"), max_length=30, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["task", "position"]

    def __str__(self) -> str:
        return self.text

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.task.plan.region_id, None


class Deadline(models.Model):
    """A deadline as written, its date in the plan year when it has one, or the rule it states."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="deadlines")
    text = models.CharField(_("deadline as written"), max_length=200)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    rule = models.CharField(_("rule"), max_length=200, blank=True)
    # Read from the task's own text (read again when the text is edited), or given beside it (a 完成时限
    # column or line), which an edit of the text leaves alone.
    in_text = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["task", "position"]
        indexes = [models.Index(fields=["due_date"], name="deadline_due_idx")]

    def __str__(self) -> str:
        return self.text

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.task.plan.region_id, None


class Assignment(models.Model):
    """Work for one unit on one task, made when the plan is published."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("role"), max_length=12, choices=UnitRole.choices)
    # How the unit came to the task: named directly, or as a member of a collective name.
    via_group = models.ForeignKey(
        UnitGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["task", "role", "unit__sort_order"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="assignment_once_per_unit")]
        indexes = [models.Index(fields=["unit", "task"], name="assignment_unit_idx")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_role_display()} · {self.task}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.unit.region_id, self.unit_id


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("reading")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class PlanImport(models.Model):
    """One upload or pasted text being read into a draft plan, with the progress the page shows."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    source_name = models.CharField(max_length=255)
    source_file = models.FileField(upload_to="plan-imports/%Y/")
    status = models.CharField(max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    stage = models.CharField(max_length=100, blank=True)
    percent = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    plan = models.OneToOneField(
        Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="import_job"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Progress is written several times a second while a file is read: the creation and the outcome are what
    # the audit trail needs.
    AUDIT_IGNORED_FIELDS: ClassVar[tuple[str, ...]] = ("stage", "percent", "status")

    class Meta:
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.source_name

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.region_id, None

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)
