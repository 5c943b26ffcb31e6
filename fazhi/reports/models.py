"""Indicators (指标) and their values per region or unit per year, and the links from plan targets to them.

An indicator is computed from records (its `computation` names a function in `fazhi.reports.indicators`) or
entered by units with evidence. Every value keeps the ids of the records it came from, so a figure in the
annual report can always be traced back.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from fazhi.orgs.models import Region, Unit
from fazhi.plans.models import Target


class IndicatorSource(models.TextChoices):
    COMPUTED = "computed", _("computed from records")
    ENTERED = "entered", _("entered by units with evidence")


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def effective(self, day: datetime.date) -> IndicatorQuerySet:
        return self.filter(
            Q(effective_from__lte=day), Q(effective_to__isnull=True) | Q(effective_to__gte=day)
        )


class Indicator(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    measure = models.CharField(_("unit of measure"), max_length=20, blank=True)
    source = models.CharField(_("how it is obtained"), max_length=10, choices=IndicatorSource.choices)
    computation = models.CharField(
        _("computation"), max_length=40, blank=True,
        help_text=_("For computed indicators: the key of the function in fazhi.reports.indicators."),
    )  # fmt: skip
    description = models.CharField(_("definition"), max_length=300, blank=True)
    effective_from = models.DateField(_("effective from"), default=datetime.date(2000, 1, 1))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source="entered") | ~Q(computation=""),
                name="computed_indicator_names_computation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return None, None


class IndicatorValueQuerySet(models.QuerySet["IndicatorValue"]):
    def entered(self) -> IndicatorValueQuerySet:
        return self.filter(indicator__source=IndicatorSource.ENTERED)

    def with_evidence(self) -> IndicatorValueQuerySet:
        return self.filter(Exists(IndicatorEvidence.objects.filter(value=OuterRef("pk"))))

    def reportable(self) -> IndicatorValueQuerySet:
        """Values the annual report may state: computed ones, and entered ones with at least one evidence
        file (a figure typed in without evidence is shown as "no evidence yet" and never printed)."""
        return self.filter(
            Q(indicator__source=IndicatorSource.COMPUTED)
            | Exists(IndicatorEvidence.objects.filter(value=OuterRef("pk")))
        )


class IndicatorValue(models.Model):
    """An indicator's value for a region (unit empty) or one unit, for one year, with its source records."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    # {"supervision.report": [ids], "plans.task": [ids], …}: the records the value was computed from (or,
    # for entered values, the evidence the unit attached).
    sources = models.JSONField(_("source records"), default=dict, blank=True)
    computed_at = models.DateTimeField(auto_now=True)
    # Entered values only: who typed the figure in last, and what they said about it.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = IndicatorValueQuerySet.as_manager()

    AUDIT_IGNORED_FIELDS: ClassVar[tuple[str, ...]] = ("computed_at",)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["year", "region", "unit", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "year"], condition=Q(unit__isnull=True),
                name="indicator_value_once_per_region_year",
            ),
            models.UniqueConstraint(
                fields=["indicator", "region", "unit", "year"], condition=Q(unit__isnull=False),
                name="indicator_value_once_per_unit_year",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year} {self.value.normalize()}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.region_id, self.unit_id


class TargetIndicator(models.Model):
    """A plan target measured by an indicator: whether it was met is computed from the indicator's value."""

    target = models.OneToOneField(Target, on_delete=models.CASCADE, related_name="indicator_link")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")

    class Meta:
        verbose_name = _("target indicator")
        verbose_name_plural = _("target indicators")

    def __str__(self) -> str:
        return f"{self.target} → {self.indicator.code}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.target.task.plan.region_id, None


# --- the annual report as the office writes it -----------------------------------------------------------


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class ReportDraft(models.Model):
    """The annual report a region (unit empty) or one unit writes for a year: generated from the records,
    edited in the browser (each save a revision), and published on the public portal."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=DraftStatus.choices, default=DraftStatus.DRAFT
    )
    published_revision = models.ForeignKey(
        "ReportRevision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("annual report draft")
        verbose_name_plural = _("annual report drafts")
        ordering = ["-year", "region", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"], condition=Q(unit__isnull=True),
                name="report_draft_once_per_region_year",
            ),
            models.UniqueConstraint(
                fields=["region", "unit", "year"], condition=Q(unit__isnull=False),
                name="report_draft_once_per_unit_year",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.unit or self.region} {self.year}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.region_id, self.unit_id


class RevisionKind(models.TextChoices):
    GENERATED = "generated", _("generated from the records")
    EDITED = "edited", _("edited")
    REGENERATED = "regenerated", _("regenerated after new data")
    RESTORED = "restored", _("restored from an earlier revision")


class ReportRevision(models.Model):
    """One saved state of a draft. `content` is the text as it stands, each sentence with the figures and
    records it rests on (edited sentences have none); `generated` is the report as generated from the records
    that this revision builds on, so a later regeneration can tell the office's edits from new data."""

    draft = models.ForeignKey(ReportDraft, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    kind = models.CharField(_("kind"), max_length=12, choices=RevisionKind.choices)
    content = models.JSONField(_("content"))
    generated = models.JSONField(_("generated text"))
    # SHA-256 of content and generated (canonical JSON): the audit chain records this instead of the texts,
    # so a revision altered in the database no longer matches its audit entry.
    digest = models.CharField(max_length=64)
    note = models.CharField(_("note"), max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    AUDIT_IGNORED_FIELDS: ClassVar[tuple[str, ...]] = ("content", "generated")

    class Meta:
        verbose_name = _("annual report revision")
        verbose_name_plural = _("annual report revisions")
        ordering = ["draft", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="report_revision_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.draft} r{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.digest = self.compute_digest()
        super().save(*args, **kwargs)

    def compute_digest(self) -> str:
        text = json.dumps(
            [self.content, self.generated], ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.draft.region_id, self.draft.unit_id


# --- evidence for entered values ----------------------------------------------------------------------------


class IndicatorEvidence(models.Model):
    """A file backing an entered value (佐证材料): kind read from its content, size and SHA-256 recorded;
    served only through the access-checked view, never from MEDIA_URL."""

    value = models.ForeignKey(IndicatorValue, on_delete=models.CASCADE, related_name="evidence")
    # Not under "evidence/": that folder's orphan sweep knows only supervision's rows (fazhi.reports.files).
    file = models.FileField(upload_to="indicator-evidence/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=8)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("indicator evidence")
        verbose_name_plural = _("indicator evidence")
        ordering = ["value", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.value.region_id, self.value.unit_id
