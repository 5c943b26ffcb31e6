"""The enforcement registers: bodies (执法主体) with their legal basis, officers (执法人员) and their
training, powers (权责清单) and their discretion standards (裁量基准), and the rules the figures apply
(training hours, legal-reviewer ratio, filing period) as data with effective dates; and the cases (执法案件)
with their steps, legal reviews and statutory periods.

Glossary: 执法人员 → officer, 培训 → training, 权责清单事项 → power, 法制审核人员 → legal_reviewer,
执法主体 → the officer's, power's or case's `unit` (a fazhi.orgs Unit flagged is_enforcement_body), whose
register entry (性质, 主体依据) is its EnforcementBody, 受委托组织 → entrusted, 委托机关 → entrusted_by,
备案 → filed_with_justice_bureau,
案件 → case, 当事人 → party, 立案 → register, 调查取证 → investigate, 告知 → notify, 陈述申辩 → statement,
听证 → hearing, 法制审核 → legal_review, 集体讨论 → collective discussion, 决定 → decide, 送达 → serve,
执行 → execute, 结案 → close, 归档 → archive, 重大执法决定 → is_major, 裁量基准 → discretion standard,
法定期限 → statutory period.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fazhi.orgs.models import Region, Unit
from fazhi.plans.models import ImportStatus

# Defaults from DOMAIN.md §2: at least 60 学时 of training a year per officer, and legal reviewers at least 5%
# of a body's enforcement staff. A region overrides them with an EnforcementRules row.
DEFAULT_TRAINING_HOURS = Decimal("60")
DEFAULT_LEGAL_REVIEWER_RATIO = Decimal("0.05")
# DOMAIN.md §2, seed 002: a discretion standard is filed with the 司法局 within 15 days of its publication.
DEFAULT_STANDARD_FILING_DAYS = 15


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


# GB 32100-2015: 18 characters, digits and capital letters without I, O, S, V and Z.
CREDIT_CODE_VALIDATOR = RegexValidator(
    r"^[0-9A-HJ-NPQRTUWXY]{18}$",
    _("A unified social credit code has 18 digits and capital letters (no I, O, S, V or Z)."),
)


class BodyNature(models.TextChoices):
    """Why a body may enforce (行政处罚法第十七条 to 第二十条): its own statutory powers, an authorisation
    by a law or regulation, or an entrustment by an administrative organ, which stays answerable for the
    acts."""

    STATUTORY = "statutory", _("administrative organ with statutory powers")  # 法定行政机关
    AUTHORISED = "authorised", _("organisation authorised by law or regulation")  # 法律法规授权的组织
    ENTRUSTED = "entrusted", _("entrusted organisation")  # 受委托组织


class EnforcementBody(models.Model):
    """A unit's entry in the 执法主体 register: its nature and legal basis, as published before
    enforcement (事前公示). The unit itself (name, region, phone) is the directory's; this holds what the
    register adds."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("enforcement body"), on_delete=models.PROTECT, related_name="enforcement_body"
    )
    nature = models.CharField(_("nature"), max_length=20, choices=BodyNature.choices)
    entrusted_by = models.ForeignKey(
        Unit, verbose_name=_("entrusting organ"), on_delete=models.PROTECT, related_name="entrusted_bodies",
        null=True, blank=True,
    )  # fmt: skip
    legal_basis = models.TextField(_("legal basis"))  # 主体资格依据: 三定方案, the authorising law …
    jurisdiction = models.CharField(_("enforcement area"), max_length=300, blank=True)  # 执法区域
    responsibilities = models.TextField(_("responsibilities"), blank=True)  # 职责范围
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[CREDIT_CODE_VALIDATOR]
    )
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("enforcement body")
        verbose_name_plural = _("enforcement bodies")
        ordering = ["unit__region__path", "unit__sort_order", "unit__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nature="entrusted", entrusted_by__isnull=False)
                | (~Q(nature="entrusted") & Q(entrusted_by__isnull=True)),
                name="body_entrusting_organ_iff_entrusted",
            )
        ]

    def __str__(self) -> str:
        return self.unit.name

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.unit.region_id, self.unit_id

    def clean(self) -> None:
        unit = self.unit if self.unit_id else None
        _check_enforcement_body(unit)
        entrusting = self.entrusted_by if self.entrusted_by_id else None
        if self.nature == BodyNature.ENTRUSTED and entrusting is None:
            raise ValidationError(
                {"entrusted_by": _("An entrusted organisation acts for an organ: name the entrusting organ.")}
            )
        if self.nature != BodyNature.ENTRUSTED and entrusting is not None:
            raise ValidationError(
                {"entrusted_by": _("Only an entrusted organisation has an entrusting organ: leave it empty.")}
            )
        if entrusting is None or unit is None:
            return
        if entrusting.pk == unit.pk:
            raise ValidationError({"entrusted_by": _("A body cannot entrust itself.")})
        if not entrusting.is_enforcement_body:
            raise ValidationError(
                {
                    "entrusted_by": _(
                        "“%(unit)s” is not marked as an administrative enforcement unit, so it has no powers "
                        "to entrust."
                    )
                    % {"unit": entrusting.name}
                }
            )
        # The entrusting organ acts in the body's region or above it (a county bureau entrusts a town).
        if not unit.region.path.startswith(entrusting.region.path):
            raise ValidationError(
                {
                    "entrusted_by": _(
                        "The entrusting organ must belong to the body's region or a region above."
                    )
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
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="officer",
    )

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
    """The yearly training hours, legal-reviewer ratio and filing period of discretion standards a region
    applies from a date on.

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
    standard_filing_days = models.PositiveSmallIntegerField(
        _("days to file a discretion standard"),
        default=DEFAULT_STANDARD_FILING_DAYS,
        validators=[MinValueValidator(1)],
        help_text=_("Calendar days after its publication within which a discretion standard is filed."),
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

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.region_id, None

    @classmethod
    def in_force(cls, region: Region, on: datetime.date) -> EnforcementRules:
        rules = (
            cls.objects.filter(region_id__in=region.ancestor_ids, effective_from__lte=on)
            .order_by("-region__path", "-effective_from")
            .first()
        )
        # An unsaved row carries the defaults, so callers read one shape either way.
        return rules if rules is not None else cls(region=region, effective_from=on)

    @classmethod
    def in_force_for(cls, regions: list[Region], on: datetime.date) -> dict[int, EnforcementRules]:
        """`in_force` for several regions in one query (a list page shows bodies of many regions)."""
        ancestor_ids = {pk for region in regions for pk in region.ancestor_ids}
        rows = list(
            cls.objects.filter(region_id__in=ancestor_ids, effective_from__lte=on).order_by("-effective_from")
        )
        found: dict[int, EnforcementRules] = {}
        for region in regions:
            depth = {pk: i for i, pk in enumerate(region.ancestor_ids)}
            mine = [row for row in rows if row.region_id in depth]
            # The nearest region's latest row, as in_force orders them.
            best = max(mine, key=lambda r: (depth[r.region_id], r.effective_from), default=None)
            found[region.pk] = best if best is not None else cls(region=region, effective_from=on)
        return found


# --- cases --------------------------------------------------------------------------------------------------


class CaseKind(models.TextChoices):
    INSPECTION = "inspection", _("inspection")  # 行政检查
    PENALTY_SIMPLE = "penalty_simple", _("penalty, simplified procedure")  # 行政处罚简易程序
    PENALTY_ORDINARY = "penalty_ordinary", _("penalty, ordinary procedure")  # 行政处罚普通程序
    COERCION = "coercion", _("coercive measure")  # 行政强制


PENALTY_KINDS = {CaseKind.PENALTY_SIMPLE, CaseKind.PENALTY_ORDINARY}


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")  # 已立案
    INVESTIGATING = "investigating", _("under investigation")  # 调查取证
    NOTIFIED = "notified", _("party notified")  # 已告知（陈述申辩、听证）
    REVIEWED = "reviewed", _("legal review passed")  # 法制审核通过
    DISCUSSED = "discussed", _("collectively discussed")  # 集体讨论
    DECIDED = "decided", _("decided")  # 已决定
    SERVED = "served", _("served")  # 已送达
    EXECUTED = "executed", _("executed")  # 已执行
    CLOSED = "closed", _("closed")  # 已结案
    ARCHIVED = "archived", _("archived")  # 已归档


# A case is open until it is closed: the statutory countdowns run only while it is open.
OPEN_CASE_STATUSES = [s for s in CaseStatus.values if s not in (CaseStatus.CLOSED, CaseStatus.ARCHIVED)]


class CaseStep(models.TextChoices):
    """What a CaseEvent records; fazhi.enforcement.workflow says which step may follow which status."""

    REGISTER = "register", _("register")  # 立案
    INVESTIGATE = "investigate", _("investigate")  # 调查取证
    NOTIFY = "notify", _("notify the party")  # 告知
    STATEMENT = "statement", _("record the party's statement")  # 陈述申辩
    REQUEST_HEARING = "request_hearing", _("record a hearing request")  # 当事人要求听证
    HOLD_HEARING = "hold_hearing", _("hold the hearing")  # 举行听证
    WAIVE = "waive", _("record the party's waiver")  # 当事人放弃陈述申辩、听证
    REVIEW_PASS = "review_pass", _("pass the legal review")  # 法制审核通过
    REVIEW_RETURN = "review_return", _("return from legal review")  # 法制审核退回
    DISCUSS = "discuss", _("discuss collectively")  # 集体讨论
    DECIDE = "decide", _("decide")  # 决定
    SERVE = "serve", _("serve the decision")  # 送达
    EXECUTE = "execute", _("record execution")  # 执行
    CLOSE = "close", _("close")  # 结案
    ARCHIVE = "archive", _("archive")  # 归档


class PartyType(models.TextChoices):
    NATURAL = "natural", _("natural person")  # 自然人
    LEGAL = "legal", _("legal person or other organisation")  # 法人或者其他组织


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_CASE_STATUSES)

    def in_region(self, region: Region) -> CaseQuerySet:
        return self.filter(unit__region__path__startswith=region.path)


class Case(models.Model):
    """One enforcement case of a body. Its status and step dates change only through
    fazhi.enforcement.actions.advance, which writes a CaseEvent for every step."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("enforcement body"), on_delete=models.PROTECT, related_name="cases"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices)
    number = models.CharField(_("case number"), max_length=80)
    power = models.ForeignKey(
        Power, verbose_name=_("power"), on_delete=models.PROTECT, related_name="cases", null=True, blank=True
    )
    cause = models.CharField(_("cause of action"), max_length=300, blank=True)  # 案由
    # The party's personal data is stored in full for the case file; published decisions mask it (later).
    party_name = models.CharField(_("party"), max_length=200)
    party_type = models.CharField(_("party type"), max_length=10, choices=PartyType.choices)
    party_id_number = models.CharField(_("party's ID number"), max_length=40, blank=True)
    party_phone = models.CharField(_("party's phone"), max_length=40, blank=True)
    party_address = models.CharField(_("party's address"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.REGISTERED
    )
    is_major = models.BooleanField(_("major enforcement decision"), default=False)
    investigators = models.ManyToManyField(
        Officer, verbose_name=_("investigators"), related_name="investigated_cases", blank=True
    )
    # The day of each step (the latest, for steps taken more than once); set by actions.advance.
    registered_on = models.DateField(_("registered on"))
    investigated_on = models.DateField(_("investigated on"), null=True, blank=True)
    notified_on = models.DateField(_("party notified on"), null=True, blank=True)
    hearing_requested_on = models.DateField(_("hearing requested on"), null=True, blank=True)
    hearing_held_on = models.DateField(_("hearing held on"), null=True, blank=True)
    rights_waived_on = models.DateField(_("rights waived on"), null=True, blank=True)
    reviewed_on = models.DateField(_("legal review passed on"), null=True, blank=True)
    discussed_on = models.DateField(_("discussed on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    served_on = models.DateField(_("served on"), null=True, blank=True)
    executed_on = models.DateField(_("executed on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    archived_on = models.DateField(_("archived on"), null=True, blank=True)
    penalty_amount = models.DecimalField(
        _("fine (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    discretion_standard = models.ForeignKey(
        "DiscretionStandard",
        verbose_name=_("discretion standard applied"),
        on_delete=models.PROTECT,
        related_name="cases",
        null=True,
        blank=True,
    )
    discretion_reason = models.TextField(_("reason for departing from the discretion standard"), blank=True)

    objects = CaseQuerySet.as_manager()

    # The ID number and phone are personal data that the audit trail's readers (region coordinators) do not
    # need; the case file keeps them.
    AUDIT_MASKED_FIELDS: ClassVar[tuple[str, ...]] = ("party_id_number", "party_phone")

    class Meta:
        verbose_name = _("enforcement case")
        verbose_name_plural = _("enforcement cases")
        ordering = ["-registered_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="case_unique_number_per_unit"),
            models.CheckConstraint(
                condition=Q(penalty_amount__isnull=True) | Q(penalty_amount__gte=0),
                name="case_penalty_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="case_unit_status_idx"),
            models.Index(fields=["status", "registered_on"], name="case_status_registered_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.party_name}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.unit.region_id, self.unit_id

    def clean(self) -> None:
        _check_enforcement_body(self.unit if self.unit_id else None)
        if self.power is not None and self.unit_id and self.power.unit_id != self.unit_id:
            raise ValidationError(
                {"power": _("The power belongs to another body: choose one of this body's powers.")}
            )


class CaseEvent(models.Model):
    """One step of a case (the status-change row): what was done, on which day, by whom. Never edited."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events")
    step = models.CharField(_("step"), max_length=20, choices=CaseStep.choices)
    from_status = models.CharField(_("status before"), max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("status after"), max_length=20, choices=CaseStatus.choices)
    on = models.DateField(_("date"))  # the day the step was taken (may be entered later than it happened)
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    officers = models.ManyToManyField(
        Officer, verbose_name=_("officers involved"), related_name="case_events", blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    # SHA-256 of each evidence file (photos, recordings, documents) kept elsewhere: 全过程记录 shows the
    # record complete and unaltered without storing the files here.
    evidence_sha256 = models.JSONField(_("evidence file hashes"), default=list, blank=True)

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["case", "on", "pk"]
        indexes = [models.Index(fields=["case", "step"], name="case_event_step_idx")]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_step_display()} {self.on}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.case.unit.region_id, self.case.unit_id


class ReviewResult(models.TextChoices):
    PASSED = "passed", _("passed")  # 通过
    RETURNED = "returned", _("returned")  # 退回（补充调查或者修改）


class LegalReview(models.Model):
    """A 法制审核 of a case's proposed decision (行政处罚法第五十八条)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="legal_reviews"
    )
    reviewer = models.ForeignKey(
        Officer, verbose_name=_("legal reviewer"), on_delete=models.PROTECT, related_name="legal_reviews"
    )
    result = models.CharField(_("result"), max_length=10, choices=ReviewResult.choices)
    opinion = models.TextField(_("opinion"))
    on = models.DateField(_("review date"))

    class Meta:
        verbose_name = _("legal review")
        verbose_name_plural = _("legal reviews")
        ordering = ["case", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_result_display()} {self.on}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.case.unit.region_id, self.case.unit_id


class DiscretionStandardQuerySet(models.QuerySet["DiscretionStandard"]):
    def in_force(self, on: datetime.date) -> DiscretionStandardQuerySet:
        return self.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on), effective_from__lte=on)

    def filed(self) -> DiscretionStandardQuerySet:
        return self.filter(filed_with_justice_bureau__isnull=False)

    def not_filed(self) -> DiscretionStandardQuerySet:
        return self.filter(filed_with_justice_bureau__isnull=True)


class FilingStatus(models.TextChoices):
    """Where a standard stands with its filing (备案) with the 司法局 (DiscretionStandard.filing_status)."""

    FILED = "filed", _("filed")  # 已备案
    DUE = "due", _("to be filed")  # 待备案
    OVERDUE = "overdue", _("filing overdue")  # 逾期未备案
    NOT_FILED = "not_filed", _("not filed")  # 未备案 (no publication date to count from)


class DiscretionStandard(models.Model):
    """One line of a 裁量基准: for a power and a circumstance, the range of the fine, in force for a time."""

    power = models.ForeignKey(
        Power, verbose_name=_("power"), on_delete=models.PROTECT, related_name="discretion_standards"
    )
    circumstance = models.CharField(_("circumstance"), max_length=300)  # 情节, e.g. 初次违法、危害后果轻微
    min_amount = models.DecimalField(
        _("lowest fine (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    max_amount = models.DecimalField(
        _("highest fine (yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)  # 发布日期: the filing clock
    filed_with_justice_bureau = models.DateField(_("filed with the justice bureau on"), null=True, blank=True)

    objects = DiscretionStandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("discretion standard")
        verbose_name_plural = _("discretion standards")
        ordering = ["power", "effective_from", "min_amount"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_amount__gte=models.F("min_amount")), name="discretion_min_not_above_max"
            ),
            # The register's natural key: the importer updates the line of a power, circumstance and start.
            models.UniqueConstraint(
                fields=["power", "circumstance", "effective_from"], name="discretion_unique_line"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.power.code} {self.circumstance}（{self.min_amount}–{self.max_amount}）"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.power.unit.region_id, self.power.unit_id

    def clean(self) -> None:
        if self.min_amount is not None and self.max_amount is not None and self.max_amount < self.min_amount:
            raise ValidationError({"max_amount": _("The highest fine is below the lowest: check both.")})
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            raise ValidationError(
                {"effective_to": _("The standard ends before it starts: check both dates.")}
            )

    def allows(self, amount: Decimal) -> bool:
        return self.min_amount <= amount <= self.max_amount

    def filing_due(self, days: int) -> datetime.date | None:
        """The last day to file, `days` calendar days after publication (None: publication not recorded)."""
        return self.published_on + datetime.timedelta(days=days) if self.published_on else None

    def filing_status(self, today: datetime.date, days: int) -> str:
        if self.filed_with_justice_bureau is not None:
            return FilingStatus.FILED
        due = self.filing_due(days)
        if due is None:
            return FilingStatus.NOT_FILED
        return FilingStatus.OVERDUE if today > due else FilingStatus.DUE


class PeriodCode(models.TextChoices):
    DECISION = "decision", _("decide after registration")  # 立案后作出决定（第六十条）
    HEARING_REQUEST = "hearing_request", _("ask for a hearing after notice")  # 告知后要求听证（第六十四条）
    SERVICE = "service", _("serve the decision")  # 决定书送达（第六十一条）
    PAYMENT = "payment", _("pay the fine")  # 缴纳罚款（第六十七条）


class StatutoryPeriodQuerySet(models.QuerySet["StatutoryPeriod"]):
    def in_force(self, on: datetime.date) -> StatutoryPeriodQuerySet:
        return self.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on), effective_from__lte=on)


class StatutoryPeriod(models.Model):
    """A time limit of the procedure as data (rules as data: laws change and local rules differ).

    The clock starts on the day of `starts_with` (not counted) and stops when `ends_with` is taken. A row
    without a region applies everywhere; a region's own row (or its nearest ancestor's) wins.
    """

    code = models.CharField(_("period"), max_length=20, choices=PeriodCode.choices)
    case_kind = models.CharField(_("case kind"), max_length=20, choices=CaseKind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="statutory_periods",
        null=True,
        blank=True,
        help_text=_("Leave empty for a period that applies everywhere."),
    )
    days = models.PositiveSmallIntegerField(_("days"), validators=[MinValueValidator(1)])
    working_days = models.BooleanField(
        _("working days"), help_text=_("Counted in working days (else calendar days).")
    )
    starts_with = models.CharField(_("starts with"), max_length=20, choices=CaseStep.choices)
    ends_with = models.CharField(_("ends with"), max_length=20, choices=CaseStep.choices)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200)

    objects = StatutoryPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("statutory period")
        verbose_name_plural = _("statutory periods")
        ordering = ["case_kind", "code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "case_kind", "region", "effective_from"],
                condition=Q(region__isnull=False),
                name="period_unique_start_per_region",
            ),
            models.UniqueConstraint(
                fields=["code", "case_kind", "effective_from"],
                condition=Q(region__isnull=True),
                name="period_unique_start",
            ),
        ]

    def __str__(self) -> str:
        unit = _("working days") if self.working_days else _("days")
        return f"{self.get_code_display()} {self.days} {unit}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.region_id, None

    def clean(self) -> None:
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": _("The period ends before it starts: check both dates.")})

    @classmethod
    def ranked(cls, kind: str, region: Region) -> list[StatutoryPeriod]:
        """Every period of a case kind that may apply in `region`: everywhere first, then the region's
        ancestors from the top down, each by start date (so later rows take precedence in `pick`)."""
        depth = {pk: i for i, pk in enumerate(region.ancestor_ids)}
        rows = cls.objects.filter(
            Q(region__isnull=True) | Q(region_id__in=region.ancestor_ids), case_kind=kind
        )
        return sorted(
            rows, key=lambda r: (-1 if r.region_id is None else depth[r.region_id], r.effective_from)
        )

    @staticmethod
    def pick(ranked: list[StatutoryPeriod], on: datetime.date) -> dict[str, StatutoryPeriod]:
        """From `ranked` rows, the period of each code in force on `on` (the nearest region's wins)."""
        found: dict[str, StatutoryPeriod] = {}
        for row in ranked:
            if row.effective_from <= on and (row.effective_to is None or row.effective_to >= on):
                found[row.code] = row
        return found

    @classmethod
    def for_case(cls, kind: str, region: Region, on: datetime.date) -> dict[str, StatutoryPeriod]:
        """The periods of a case kind in force on `on` for `region`, by code."""
        return cls.pick(cls.ranked(kind, region), on)


# --- publication (公示) of decisions ------------------------------------------------------------------------


class PublicationRuleQuerySet(models.QuerySet["PublicationRule"]):
    def in_force(self, on: datetime.date) -> PublicationRuleQuerySet:
        return self.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on), effective_from__lte=on)


class PublicationRule(models.Model):
    """Whether the decisions of a case kind are published (事后公示), and within how many days of the
    decision.

    Rules as data: 国办发〔2018〕118号 sets 许可 and 处罚 decisions public within 7 working days; a province
    or county may publish more kinds or sooner. A row without a region applies everywhere; the nearest
    region's row in force on the day of the decision wins, and a row with `publish` unset exempts the kind
    there.
    """

    case_kind = models.CharField(_("case kind"), max_length=20, choices=CaseKind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="publication_rules",
        null=True,
        blank=True,
        help_text=_("Leave empty for a rule that applies everywhere."),
    )
    publish = models.BooleanField(_("published"), default=True)
    days = models.PositiveSmallIntegerField(_("days"), default=7, validators=[MinValueValidator(1)])
    working_days = models.BooleanField(
        _("working days"), default=True, help_text=_("Counted in working days (else calendar days).")
    )
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200)

    objects = PublicationRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication rule")
        verbose_name_plural = _("publication rules")
        ordering = ["case_kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_kind", "region", "effective_from"],
                condition=Q(region__isnull=False),
                name="publication_rule_unique_start_per_region",
            ),
            models.UniqueConstraint(
                fields=["case_kind", "effective_from"],
                condition=Q(region__isnull=True),
                name="publication_rule_unique_start",
            ),
        ]

    def __str__(self) -> str:
        unit = _("working days") if self.working_days else _("days")
        return f"{self.get_case_kind_display()} {self.days} {unit}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.region_id, None

    def clean(self) -> None:
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": _("The rule ends before it starts: check both dates.")})

    @classmethod
    def for_case(cls, kind: str, region: Region, on: datetime.date) -> PublicationRule | None:
        """The rule in force on `on` for decisions of `kind` in `region` (None: not published)."""
        depth = {pk: i for i, pk in enumerate(region.ancestor_ids)}
        rows = cls.objects.in_force(on).filter(
            Q(region__isnull=True) | Q(region_id__in=region.ancestor_ids), case_kind=kind
        )
        ranked = sorted(
            rows, key=lambda r: (-1 if r.region_id is None else depth[r.region_id], r.effective_from)
        )
        rule = ranked[-1] if ranked else None
        return rule if rule is not None and rule.publish else None


class PublicationStatus(models.TextChoices):
    PENDING = "pending", _("to be published")  # 待公示
    PUBLISHED = "published", _("published")  # 已公示
    WITHDRAWN = "withdrawn", _("withdrawn")  # 已撤回（决定被撤销）


class PublicationQuerySet(models.QuerySet["Publication"]):
    def public(self) -> PublicationQuerySet:
        """What the portal shows: published decisions, and withdrawn ones that had been published."""
        return self.filter(published_at__isnull=False)

    def pending(self) -> PublicationQuerySet:
        return self.filter(status=PublicationStatus.PENDING)

    def overdue(self, today: datetime.date) -> PublicationQuerySet:
        return self.pending().filter(due_on__lt=today)

    def in_region(self, region: Region) -> PublicationQuerySet:
        return self.filter(unit__region__path__startswith=region.path)


class Publication(models.Model):
    """The 公示 of one case's decision: due a number of days after the decision, published with the party's
    personal data masked (fazhi.enforcement.masking), withdrawn when the decision is revoked.

    The text fields are frozen when it is published: what the public saw stays as it was, whatever the case
    file says later. Written only by fazhi.enforcement.publication.
    """

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="publication"
    )
    # The case's body, kept here so the lists of a body or a region need no join through the case.
    unit = models.ForeignKey(
        Unit, verbose_name=_("enforcement body"), on_delete=models.PROTECT, related_name="publications"
    )
    rule = models.ForeignKey(
        PublicationRule, verbose_name=_("publication rule"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.PENDING
    )
    due_on = models.DateField(_("to be published by"))
    # Frozen at publication, masked.
    body_name = models.CharField(_("enforcement body"), max_length=100, blank=True)
    case_kind = models.CharField(_("case kind"), max_length=20, choices=CaseKind.choices)
    case_number = models.CharField(_("case number"), max_length=80, blank=True)
    party_name = models.CharField(_("party"), max_length=200, blank=True)
    party_type = models.CharField(_("party type"), max_length=10, choices=PartyType.choices, blank=True)
    party_id_number = models.CharField(_("party's ID number"), max_length=40, blank=True)
    party_address = models.CharField(_("party's address"), max_length=300, blank=True)
    facts = models.TextField(_("facts"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    decision = models.TextField(_("decision"), blank=True)
    penalty_amount = models.DecimalField(
        _("fine (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    decided_on = models.DateField(_("decided on"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_note = models.TextField(_("reason for withdrawal"), blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision publication")
        verbose_name_plural = _("decision publications")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="publication_published_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_at__isnull=False),
                name="publication_withdrawn_has_time",
            ),
        ]
        indexes = [
            # The overdue worker and the office's list: pending rows by due day.
            models.Index(fields=["status", "due_on"], name="publication_status_due_idx"),
            # The staff's recently published list (publication_views.pending), newest published first.
            models.Index(fields=["published_at"], name="publication_published_idx"),
            # The portal's list (fazhi.portal.enforcement_views.decisions), newest decision first: read in
            # this order and stopped after a page, instead of sorting every public row. On PostgreSQL the
            # keyword search also has trigram indexes (migration 0009), which SQLite cannot have.
            models.Index(
                fields=["-decided_on", "-published_at", "-id"],
                condition=Q(published_at__isnull=False),
                name="publication_portal_order_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_number or self.case_id} {self.get_status_display()}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.unit.region_id, self.unit_id

    @property
    def is_withdrawn(self) -> bool:
        return self.status == PublicationStatus.WITHDRAWN


# --- 案卷评查 (case file review) ----------------------------------------------------------------------------


class FileReviewGrade(models.TextChoices):
    EXCELLENT = "excellent", _("excellent")  # 优秀
    GOOD = "good", _("good")  # 良好
    PASS = "pass", _("pass")  # 合格
    FAIL = "fail", _("fail")  # 不合格


class FileReviewChecklistQuerySet(models.QuerySet["FileReviewChecklist"]):
    def in_force(self, on: datetime.date) -> FileReviewChecklistQuerySet:
        return self.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on), effective_from__lte=on)


class FileReviewChecklist(models.Model):
    """The 评查标准 a region's office scores case files against (rules as data: each region sets its own
    items, points, grade lines and what a body's grade is worth in the assessment, from a date on).

    A grade is reached at a share of the full marks: at least `excellent_from` is 优秀, and so on; below
    `pass_from` is 不合格. The `*_points` say what a body's average grade adds to (or takes from) its
    assessment when a round is published (fazhi.enforcement.file_review.publish).
    """

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="file_review_checklists"
    )
    name = models.CharField(_("name"), max_length=200)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    excellent_from = models.DecimalField(
        _("excellent from (share of full marks)"), max_digits=5, decimal_places=4, default=Decimal("0.90"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )  # fmt: skip
    good_from = models.DecimalField(
        _("good from (share of full marks)"), max_digits=5, decimal_places=4, default=Decimal("0.80"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )  # fmt: skip
    pass_from = models.DecimalField(
        _("pass from (share of full marks)"), max_digits=5, decimal_places=4, default=Decimal("0.60"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )  # fmt: skip
    excellent_points = models.DecimalField(
        _("assessment points for an excellent body"), max_digits=5, decimal_places=2, default=Decimal("1")
    )
    good_points = models.DecimalField(
        _("assessment points for a good body"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    pass_points = models.DecimalField(
        _("assessment points for a passing body"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    fail_points = models.DecimalField(
        _("assessment points for a failing body"), max_digits=5, decimal_places=2, default=Decimal("-1")
    )

    objects = FileReviewChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = _("case file review checklist")
        verbose_name_plural = _("case file review checklists")
        ordering = ["region", "-effective_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(excellent_from__gte=models.F("good_from"), good_from__gte=models.F("pass_from")),
                name="file_review_grade_lines_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.region_id, None

    def clean(self) -> None:
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            raise ValidationError(
                {"effective_to": _("The checklist ends before it starts: check both dates.")}
            )
        lines = (self.excellent_from, self.good_from, self.pass_from)
        if None not in lines and not (lines[0] >= lines[1] >= lines[2]):
            raise ValidationError(_("The grade lines must go down: excellent, then good, then pass."))


class FileReviewItem(models.Model):
    """One line of a checklist: what the reviewer checks in the case file, and at most how many points."""

    checklist = models.ForeignKey(
        FileReviewChecklist, verbose_name=_("checklist"), on_delete=models.CASCADE, related_name="items"
    )
    group = models.CharField(_("group"), max_length=100)  # e.g. 主体合法, 程序合法, 证据确凿, 文书规范
    text = models.CharField(_("item"), max_length=300)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["checklist", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gt=0), name="file_review_item_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.text}（{self.max_points}）"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.checklist.region_id, None


class FileReviewStatus(models.TextChoices):
    DRAFT = "draft", _("draft")  # 草稿
    SAMPLED = "sampled", _("sample drawn")  # 已抽取
    SCORING = "scoring", _("scoring")  # 评分中
    PUBLISHED = "published", _("published")  # 已公布


class FileReviewRoundQuerySet(models.QuerySet["FileReviewRound"]):
    def published(self) -> FileReviewRoundQuerySet:
        return self.filter(status=FileReviewStatus.PUBLISHED)


class FileReviewRound(models.Model):
    """A round of 案卷评查: the office draws closed case files of a period at random and scores them.

    The draw is recorded (the seed and the ids of the files it drew from) so anybody can repeat it; it
    cannot be redrawn once scoring has started, and a published round's scores are frozen. Written only by
    fazhi.enforcement.file_review.
    """

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="file_review_rounds"
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("cases closed from"))
    period_end = models.DateField(_("cases closed until"))
    sample_size = models.PositiveIntegerField(
        _("number of files"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    sample_rate = models.DecimalField(
        _("share of files"), max_digits=5, decimal_places=4, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("1"))],
        help_text=_("For example 0.1 to draw one closed file in ten."),
    )  # fmt: skip
    checklist = models.ForeignKey(
        FileReviewChecklist, verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="rounds"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=FileReviewStatus.choices, default=FileReviewStatus.DRAFT
    )
    seed = models.BigIntegerField(_("random seed"), null=True, blank=True)
    # The ids of the closed files the sample was drawn from, in pk order: with the seed, the draw repeats.
    population = models.JSONField(_("files drawn from"), default=list, blank=True)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drawn by"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = FileReviewRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("case file review round")
        verbose_name_plural = _("case file review rounds")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sample_size__isnull=True, sample_rate__isnull=False)
                | Q(sample_size__isnull=False, sample_rate__isnull=True),
                name="file_review_size_or_rate",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="file_review_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(seed__isnull=False), name="file_review_drawn_has_seed"
            ),
        ]
        indexes = [models.Index(fields=["region", "status"], name="file_review_region_status_idx")]

    def __str__(self) -> str:
        return self.title

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.region_id, None

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period ends before it starts: check both dates.")})
        if (self.sample_size is None) == (self.sample_rate is None):
            raise ValidationError(
                _("Give either the number of files to draw or the share of files, not both.")
            )

    @property
    def is_frozen(self) -> bool:
        return self.status == FileReviewStatus.PUBLISHED


class FileReviewEvent(models.Model):
    """A status change of a round (the status-change row): drawn, scoring started, published. Never edited."""

    round = models.ForeignKey(
        FileReviewRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("status before"), max_length=10, choices=FileReviewStatus.choices)
    to_status = models.CharField(_("status after"), max_length=10, choices=FileReviewStatus.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("review round event")
        verbose_name_plural = _("review round events")
        ordering = ["round", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.round_id} {self.from_status} → {self.to_status}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.round.region_id, None


class FileReviewSample(models.Model):
    """One case file drawn in a round, with its total and grade once a reviewer has scored it."""

    round = models.ForeignKey(
        FileReviewRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="samples"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="file_reviews"
    )
    # The case's body, kept here so a body's results need no join through the case.
    unit = models.ForeignKey(
        Unit, verbose_name=_("enforcement body"), on_delete=models.PROTECT, related_name="file_reviews"
    )
    position = models.PositiveSmallIntegerField(_("drawn as number"))
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=FileReviewGrade.choices, blank=True)
    comment = models.TextField(_("overall comment"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reviewed case file")
        verbose_name_plural = _("reviewed case files")
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "case"], name="file_review_case_once_per_round"),
            models.UniqueConstraint(fields=["round", "position"], name="file_review_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} #{self.position} {self.case_id}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.round.region_id, self.unit_id


class FileReviewScore(models.Model):
    """The points a case file earned on one checklist item, with the reviewer's comment."""

    sample = models.ForeignKey(
        FileReviewSample, verbose_name=_("case file"), on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(
        FileReviewItem, verbose_name=_("checklist item"), on_delete=models.PROTECT, related_name="scores"
    )
    points = models.DecimalField(
        _("points"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        ordering = ["sample", "item__order", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "item"], name="file_review_score_once_per_item"),
            models.CheckConstraint(condition=Q(points__gte=0), name="file_review_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.points}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.sample.round.region_id, self.sample.unit_id


class FileReviewBodyResult(models.Model):
    """A body's result in a published round, frozen at publication: its files, average and grade, and the
    assessment entry (a supervision ScoreAdjustment) its grade earned under the checklist's rule."""

    round = models.ForeignKey(
        FileReviewRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="body_results"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("enforcement body"), on_delete=models.PROTECT, related_name="file_review_results"
    )
    files = models.PositiveSmallIntegerField(_("files reviewed"))
    average = models.DecimalField(_("average score"), max_digits=7, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=10, choices=FileReviewGrade.choices)
    adjustment = models.ForeignKey(
        "supervision.ScoreAdjustment", verbose_name=_("assessment entry"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("body's review result")
        verbose_name_plural = _("bodies' review results")
        ordering = ["round", "-average", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="file_review_result_once")]

    def __str__(self) -> str:
        return f"{self.round_id} {self.unit_id} {self.average}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.round.region_id, self.unit_id


# --- 两法衔接 (transfer of a case to the police) ------------------------------------------------------------


class TransferStatus(models.TextChoices):
    SENT = "sent", _("awaiting the police's reply")  # 已移送，待回复
    ACCEPTED = "accepted", _("accepted (criminal case opened)")  # 已立案
    REJECTED = "rejected", _("not accepted")  # 不予立案


class CaseTransferQuerySet(models.QuerySet["CaseTransfer"]):
    def awaiting_reply(self) -> CaseTransferQuerySet:
        return self.filter(status=TransferStatus.SENT)

    def in_region(self, region: Region) -> CaseTransferQuerySet:
        return self.filter(unit__region__path__startswith=region.path)


class CaseTransfer(models.Model):
    """A case sent to the police (公安机关) as a suspected crime (两法衔接), the police's reply, and the
    outcome. Written only by fazhi.enforcement.transfers."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="transfers")
    # The case's body, kept here so the lists of a body or a region need no join through the case.
    unit = models.ForeignKey(
        Unit, verbose_name=_("enforcement body"), on_delete=models.PROTECT, related_name="transfers"
    )
    transferred_on = models.DateField(_("transferred on"))
    receiving_authority = models.CharField(_("receiving authority"), max_length=200)  # e.g. 某公安分局
    suspected_offence = models.CharField(_("suspected offence"), max_length=200)  # 涉嫌罪名
    facts = models.TextField(_("facts"), blank=True)
    # SHA-256 of each document sent (移送书, 调查报告, 涉案物品清单 …); the files are kept elsewhere.
    documents_sha256 = models.JSONField(_("documents' hashes"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.SENT
    )
    replied_on = models.DateField(_("reply received on"), null=True, blank=True)
    reply_reason = models.TextField(_("reason given"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    outcome_on = models.DateField(_("outcome recorded on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = CaseTransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer to the police")
        verbose_name_plural = _("transfers to the police")
        ordering = ["-transferred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="sent") | Q(replied_on__isnull=False), name="transfer_reply_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reply_reason=""), name="transfer_rejection_has_reason"
            ),
        ]
        indexes = [
            # The office's list of transfers still without a reply, oldest first.
            models.Index(fields=["status", "transferred_on"], name="transfer_status_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.receiving_authority} {self.transferred_on}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.unit.region_id, self.unit_id


class CaseImport(models.Model):
    """One uploaded file of cases that the worker checks and imports (fazhi.enforcement.case_import_jobs),
    with the progress and the row-level problems the page shows."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    source_name = models.CharField(_("file name"), max_length=255)
    source_file = models.FileField(upload_to="case-imports/%Y/", blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    percent = models.PositiveSmallIntegerField(_("percent done"), null=True, blank=True)  # None: unknown
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    cases_checked = models.PositiveIntegerField(_("cases checked"), default=0)
    created_cases = models.PositiveIntegerField(_("cases created"), default=0)
    skipped_cases = models.PositiveIntegerField(_("cases already present"), default=0)
    created_events = models.PositiveIntegerField(_("steps created"), default=0)
    error_count = models.PositiveIntegerField(_("problems"), default=0)
    # The first problems (case_import.SHOWN_ERRORS at most), as [sheet, row, column, message] lists.
    errors = models.JSONField(_("problems found"), default=list, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    # Progress is written every batch while a file is read: the upload and the outcome are what the audit
    # trail needs (and each imported case has its own entry).
    AUDIT_IGNORED_FIELDS: ClassVar[tuple[str, ...]] = (
        "stage",
        "percent",
        "rows_read",
        "cases_checked",
        "status",
    )

    class Meta:
        verbose_name = _("case import")
        verbose_name_plural = _("case imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.source_name

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.region_id, None

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)
