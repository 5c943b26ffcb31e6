"""Indicators (指标) and their values per region or unit per year, and the links from plan targets to them.

An indicator is computed from records (its `computation` names a function in `fazhi.reports.indicators`) or
entered by units with evidence. Every value keeps the ids of the records it came from, so a figure in the
annual report can always be traced back.
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.db import models
from django.db.models import Q
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
