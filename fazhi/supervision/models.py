"""Supervision (督办): reporting rounds, progress reports with their review thread and evidence, the rules
each region sets, its calendar exceptions, supervision notices and score adjustments.

A report is one unit's account of one task for one round. Its status moves only through
`fazhi.supervision.workflow`; its due date, reminder date and red-card date are stored (computed in working
days when the report is created), so lists of what is due or late are plain indexed queries.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fazhi.orgs.models import Region, Unit
from fazhi.plans.models import Assignment, Plan, Target, Task

# --- rules and calendar -------------------------------------------------------------------------------------

DEFAULT_SCORING: dict[str, Any] = {
    # Weights of the parts of a unit's score (they add up to 100 points).
    "completion": 50,  # share of its assignments completed (accepted as done)
    "timeliness": 30,  # share of its reports submitted by their due date
    "quality": 20,  # reviewers' average rating, out of 5
    "red_card": 2,  # points deducted per red card
    "max_bonus": 5,  # bonus points (entered by the office) are capped at this
}


class SupervisionRules(models.Model):
    """How a region supervises, from a date on: approval inside units, reminders, cards, scoring weights.

    A region without rules of its own uses its nearest ancestor's; without any, the defaults below.
    """

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+")
    effective_from = models.DateField(_("effective from"))
    require_head_approval = models.BooleanField(
        _("unit head approves before a report leaves the unit"), default=True
    )
    remind_days = models.PositiveSmallIntegerField(
        _("remind this many working days before the due date"), default=3
    )
    red_card_days = models.PositiveSmallIntegerField(
        _("red card this many working days after the due date"), default=5
    )
    scoring = models.JSONField(_("scoring weights"), default=dict, blank=True)

    class Meta:
        verbose_name = _("supervision rules")
        verbose_name_plural = _("supervision rules")
        constraints = [
            models.UniqueConstraint(fields=["region", "effective_from"], name="rules_once_per_region_date")
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.effective_from}"

    def weights(self) -> dict[str, Any]:
        return {**DEFAULT_SCORING, **(self.scoring or {})}

    @classmethod
    def for_region(cls, region: Region, day: datetime.date) -> SupervisionRules:
        """The rules in force for `region` on `day`: its own, else its nearest ancestor's, else defaults."""
        newest: dict[int, SupervisionRules] = {}
        for rules in cls.objects.filter(region_id__in=region.ancestor_ids, effective_from__lte=day).order_by(
            "effective_from"
        ):
            newest[rules.region_id] = rules
        for region_id in reversed(region.ancestor_ids):
            if region_id in newest:
                return newest[region_id]
        return cls(region=region, effective_from=datetime.date(2000, 1, 1))

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.region_id, None


class CalendarDay(models.Model):
    """A local exception to the national holiday calendar: a day off or an extra working day.

    The national calendar (holidays and 调休 working weekends) comes from the chinesecalendar library; years
    it does not know yet, and local days off, are entered here.
    """

    date = models.DateField(_("date"))
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text=_("Leave empty for a day that applies everywhere."),
    )  # fmt: skip
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "region"],
                condition=Q(region__isnull=False),
                name="calendar_day_once_per_region",
            ),
            models.UniqueConstraint(
                fields=["date"], condition=Q(region__isnull=True), name="calendar_day_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '休息'}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.region_id, None


# --- rounds and reports -------------------------------------------------------------------------------------


class RoundKind(models.TextChoices):
    DEADLINE = "deadline", _("task deadline")
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    HALF_YEARLY = "half-yearly", _("half-yearly")
    YEAR_END = "year-end", _("year end")
    MANUAL = "manual", _("opened by the office")


class Round(models.Model):
    """A reporting round of a plan: the tasks it covers report by its due date."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rounds")
    kind = models.CharField(_("kind"), max_length=12, choices=RoundKind.choices)
    name = models.CharField(_("name"), max_length=100)
    period_end = models.DateField(_("period reported up to"))
    due_date = models.DateField(_("due date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["plan", "due_date", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "name"], name="round_unique_per_plan"),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.plan.region_id, None


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("not yet reported")
    DRAFT = "draft", _("draft")
    AWAITING_APPROVAL = "awaiting_approval", _("awaiting the unit head")
    SUBMITTED = "submitted", _("submitted, under review")
    RETURNED = "returned", _("returned for revision")
    ACCEPTED = "accepted", _("accepted")


# Still the unit's own business: no one outside the unit sees a report in these states.
PRIVATE_STATUSES = (ReportStatus.PENDING, ReportStatus.DRAFT, ReportStatus.AWAITING_APPROVAL)
# Not yet handed in (the unit still owes it): late once past the due date.
OPEN_STATUSES = (
    ReportStatus.PENDING,
    ReportStatus.DRAFT,
    ReportStatus.AWAITING_APPROVAL,
    ReportStatus.RETURNED,
)


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("completed")


class ReportQuerySet(models.QuerySet["Report"]):
    def open(self) -> ReportQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: datetime.date) -> ReportQuerySet:
        """Owed and past the due date: a yellow card, or red once past `red_date`."""
        return self.open().filter(due_date__lt=today)

    def red(self, today: datetime.date) -> ReportQuerySet:
        return self.open().filter(red_date__lt=today)

    def due_soon(self, today: datetime.date) -> ReportQuerySet:
        return self.open().filter(remind_date__lte=today, due_date__gte=today)

    def visible_outside_unit(self) -> ReportQuerySet:
        return self.exclude(status__in=PRIVATE_STATUSES)


class Report(models.Model):
    """One unit's progress report on one task for one round, with its review state."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reports")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reports")
    # Copies of the assignment's unit, task and plan: the lists filter and group by them without joins.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reports")
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    progress = models.CharField(
        _("progress"), max_length=12, choices=Progress.choices, default=Progress.NOT_STARTED
    )
    text = models.TextField(_("what was done"), blank=True)
    # In working days, from the region's rules when the round opened (see fazhi.supervision.deadlines).
    due_date = models.DateField(_("due date"))
    remind_date = models.DateField(_("reminder date"))
    red_date = models.DateField(_("red card date"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    times_returned = models.PositiveSmallIntegerField(_("times returned"), default=0)
    quality = models.PositiveSmallIntegerField(_("quality rating"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    AUDIT_IGNORED_FIELDS: ClassVar[tuple[str, ...]] = ("updated_at",)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["due_date", "task__position"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "round"], name="report_once_per_round"),
            models.CheckConstraint(
                condition=Q(quality__isnull=True) | Q(quality__gte=1, quality__lte=5),
                name="report_quality_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "due_date"], name="report_unit_status_due_idx"),
            models.Index(fields=["plan", "status", "due_date"], name="report_plan_status_due_idx"),
            models.Index(fields=["status", "red_date"], name="report_status_red_idx"),
            models.Index(fields=["status", "remind_date"], name="report_status_remind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.task} · {self.round}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.plan.region_id, self.unit_id

    def card(self, today: datetime.date) -> str:
        """'' while on time, 'yellow' once owed past its due date, 'red' past its red-card date."""
        if self.status not in OPEN_STATUSES or today <= self.due_date:
            return ""
        return "red" if today > self.red_date else "yellow"

    @property
    def is_private(self) -> bool:
        return self.status in PRIVATE_STATUSES


class EventKind(models.TextChoices):
    SAVED = "saved", _("saved a draft")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved for the unit")
    SENT_BACK = "sent_back", _("sent back inside the unit")
    RETURNED = "returned", _("returned for revision")
    ACCEPTED = "accepted", _("accepted")


class ReportEvent(models.Model):
    """The report's thread: every step, who took it, the comment, and what the report said at that moment."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=12, choices=EventKind.choices)
    from_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    to_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    snapshot = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report step")
        verbose_name_plural = _("report steps")
        ordering = ["report", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.at:%Y-%m-%d %H:%M}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.report.plan.region_id, self.report.unit_id


class TargetValue(models.Model):
    """The value a report gives for one of its task's targets (training hours reached, a rate in %)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)

    class Meta:
        verbose_name = _("target value")
        verbose_name_plural = _("target values")
        constraints = [models.UniqueConstraint(fields=["report", "target"], name="value_once_per_target")]

    def __str__(self) -> str:
        return f"{self.target}: {self.value.normalize() if isinstance(self.value, Decimal) else self.value}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.report.plan.region_id, self.report.unit_id


class Evidence(models.Model):
    """A file attached to a report as 佐证材料: kind read from its content, size and SHA-256 recorded."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=8)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["report", "uploaded_at"]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.report.plan.region_id, self.report.unit_id

    @property
    def is_image(self) -> bool:
        return self.kind in ("jpg", "png")


# --- chasing and assessment ---------------------------------------------------------------------------------


class SupervisionNotice(models.Model):
    """A 督办单: the office's formal notice to a unit about its overdue reports, numbered per region/year."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="supervision_notices")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    reports = models.ManyToManyField(Report, related_name="notices")
    reply_by = models.DateField(_("reply by"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "number"], name="notice_number_per_region_year")
        ]

    def __str__(self) -> str:
        return f"督办单〔{self.year}〕第{self.number}号"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.region_id, self.unit_id


class ScoreAdjustment(models.Model):
    """A bonus or deduction the office enters for a unit's assessment, with its reason."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="score_adjustments")
    year = models.PositiveSmallIntegerField(_("year"))
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("score adjustment")
        verbose_name_plural = _("score adjustments")
        ordering = ["unit", "created_at"]

    def __str__(self) -> str:
        return f"{self.unit} {self.points:+} {self.reason}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.region_id, self.unit_id
