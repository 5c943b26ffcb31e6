"""The enforcement registers: officers (执法人员) and their training, powers (权责清单), and the rules the
figures apply (training hours, legal-reviewer ratio) as data with effective dates.

Glossary: 执法人员 → officer, 培训 → training, 权责清单事项 → power, 法制审核人员 → legal_reviewer,
执法主体 → the officer's or power's `unit` (a fazhi.orgs Unit flagged is_enforcement_body).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.orgs.models import Region, Unit

# Defaults from DOMAIN.md §2: at least 60 学时 of training a year per officer, and legal reviewers at least 5%
# of a body's enforcement staff. A region overrides them with an EnforcementRules row.
DEFAULT_TRAINING_HOURS = Decimal("60")
DEFAULT_LEGAL_REVIEWER_RATIO = Decimal("0.05")


class PowerKind(models.TextChoices):
    LICENSING = "licensing", _("licensing")  # 许可
    PENALTY = "penalty", _("penalty")  # 处罚
    COERCION = "coercion", _("coercive measure")  # 强制
    INSPECTION = "inspection", _("inspection")  # 检查
    LEVY = "levy", _("levy")  # 征收
    BENEFIT = "benefit", _("benefit payment")  # 给付
    CONFIRMATION = "confirmation", _("confirmation")  # 确认
    ADJUDICATION = "adjudication", _("adjudication")  # 裁决
    REWARD = "reward", _("reward")  # 奖励
    OTHER = "other", _("other")  # 其他


def _check_enforcement_body(unit: Unit | None) -> None:
    if unit is not None and not unit.is_enforcement_body:
        raise ValidationError(
            {
                "unit": _(
                    "“%(unit)s” is not marked as an administrative enforcement unit: mark it in the "
                    "directory first, or choose its enforcement body."
                )
                % {"unit": unit.name}
            }
        )


class Officer(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("enforcement body"), on_delete=models.PROTECT, related_name="officers"
    )
    name = models.CharField(_("name"), max_length=50)
    certificate_number = models.CharField(_("certificate number"), max_length=50)
    issuing_authority = models.CharField(_("issuing authority"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    field = models.CharField(_("enforcement field"), max_length=100, blank=True)
    is_legal_reviewer = models.BooleanField(_("legal reviewer"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_authority", "certificate_number"], name="officer_unique_certificate"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.certificate_number}）"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.unit.region_id, self.unit_id

    def clean(self) -> None:
        _check_enforcement_body(self.unit if self.unit_id else None)
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The certificate ends before it starts: check both dates.")})

    def certified_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class TrainingRecord(models.Model):
    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="training"
    )
    date = models.DateField(_("training date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1000"))],
    )
    subject = models.CharField(_("subject"), max_length=200)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["officer", "date"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "date", "subject"], name="training_unique_session")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.subject}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.officer.unit.region_id, self.officer.unit_id


class Power(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("enforcement body"), on_delete=models.PROTECT, related_name="powers"
    )
    code = models.CharField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PowerKind.choices)
    legal_basis = models.TextField(_("legal basis"))

    class Meta:
        verbose_name = _("power")
        verbose_name_plural = _("powers")
        ordering = ["unit", "code"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="power_unique_code_per_unit")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.unit.region_id, self.unit_id

    def clean(self) -> None:
        _check_enforcement_body(self.unit if self.unit_id else None)


class EnforcementRules(models.Model):
    """The yearly training hours and legal-reviewer ratio a region applies from a date on.

    The nearest region (itself, then its ancestors) with a row in force decides; without one, the defaults.
    """

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="enforcement_rules"
    )
    effective_from = models.DateField(_("effective from"))
    training_hours = models.DecimalField(
        _("yearly training hours"),
        max_digits=6,
        decimal_places=2,
        default=DEFAULT_TRAINING_HOURS,
        validators=[MinValueValidator(Decimal("0"))],
    )
    legal_reviewer_ratio = models.DecimalField(
        _("legal reviewer ratio"),
        max_digits=5,
        decimal_places=4,
        default=DEFAULT_LEGAL_REVIEWER_RATIO,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Legal reviewers as a share of a body's active officers, e.g. 0.05 for 5%."),
    )

    class Meta:
        verbose_name = _("enforcement rules")
        verbose_name_plural = _("enforcement rules")
        ordering = ["region", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["region", "effective_from"], name="rules_unique_start_per_region")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.effective_from}"

    @classmethod
    def in_force(cls, region: Region, on: datetime.date) -> EnforcementRules:
        rules = (
            cls.objects.filter(region_id__in=region.ancestor_ids, effective_from__lte=on)
            .order_by("-region__path", "-effective_from")
            .first()
        )
        # An unsaved row carries the defaults, so callers read one shape either way.
        return rules if rules is not None else cls(region=region, effective_from=on)
