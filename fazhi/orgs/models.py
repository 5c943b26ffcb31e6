"""Regions, units, unit groups, aliases, people and their roles."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("province level (province, autonomous region)")
    CITY = "city", _("city level (city, league)")
    COUNTY = "county", _("county level (district, county, banner)")
    TOWN = "town", _("town level (town, township, street)")


LEVEL_DEPTH = {RegionLevel.PROVINCE: 1, RegionLevel.CITY: 2, RegionLevel.COUNTY: 3, RegionLevel.TOWN: 4}


class Region(models.Model):
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent region"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )  # fmt: skip
    code = models.CharField(_("division code"), max_length=12, blank=True)
    # Materialised ancestry "/1/7/42/": a subtree is one indexed prefix match. Derived from `parent` on save.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    AUDIT_IGNORED_FIELDS: ClassVar[tuple[str, ...]] = ("path",)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name_in_parent"),
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="region_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if path != self.path:
            old = self.path
            # The path is derived data (not audited); moving a region rewrites its descendants' paths too.
            Region.objects.filter(pk=self.pk).update(path=path)
            if old:
                Region.objects.filter(path__startswith=old).exclude(pk=self.pk).update(
                    path=Concat(Value(path), Substr("path", len(old) + 1))
                )
            self.path = path

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.pk, None

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def ancestors(self) -> list[Region]:
        """From the top of the tree down to (and including) this region."""
        by_id = Region.objects.in_bulk(self.ancestor_ids)
        return [by_id[pk] for pk in self.ancestor_ids if pk in by_id]

    def full_name(self) -> str:
        return "/".join(region.name for region in self.ancestors())

    def subtree(self) -> models.QuerySet[Region]:
        return Region.objects.filter(path__startswith=self.path)


class UnitKind(models.TextChoices):
    GOVERNMENT_OFFICE = "government_office", _("government office")
    DEPARTMENT = "department", _("government department")
    TOWN = "town", _("town or township government")
    STREET_OFFICE = "street_office", _("street office")
    COURT = "court", _("court")
    PROCURATORATE = "procuratorate", _("procuratorate")
    PARTY_ORGAN = "party_organ", _("party organ")
    OTHER = "other", _("other")


# The flags a unit can carry, by field name; groups select units by them.
UNIT_FLAGS: dict[str, Any] = {
    "is_enforcement_body": _("administrative enforcement unit"),
    "is_decision_body": _("major decision undertaking unit"),
}


class UnitQuerySet(models.QuerySet["Unit"]):
    def active(self) -> UnitQuerySet:
        return self.filter(is_active=True)

    def in_subtree(self, region: Region) -> UnitQuerySet:
        return self.filter(region__path__startswith=region.path)


class Unit(models.Model):
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    is_enforcement_body = models.BooleanField(_("administrative enforcement unit"), default=False)
    is_decision_body = models.BooleanField(_("major decision undertaking unit"), default=False)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Units that were merged or abolished stay for the record.")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name_in_region")]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.region_id, self.pk

    def flag_labels(self) -> list[str]:
        return [str(label) for name, label in UNIT_FLAGS.items() if getattr(self, name)]


class UnitGroup(models.Model):
    """A collective name in plans (各行政执法单位, 各街道办事处) and the units it stands for.

    Members are those matching the rule (any of `kinds`, all of `flags`) plus those listed explicitly.
    """

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="groups"
    )
    name = models.CharField(_("name"), max_length=100)
    kinds = models.JSONField(_("unit kinds"), default=list, blank=True)
    flags = models.JSONField(_("unit flags"), default=list, blank=True)
    include_subregions = models.BooleanField(
        _("include units of lower regions"), default=False,
        help_text=_("For example towns and street offices belong to their own town-level regions."),
    )  # fmt: skip
    members = models.ManyToManyField(
        Unit, verbose_name=_("listed members"), blank=True, related_name="listed_in"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unit group")
        verbose_name_plural = _("unit groups")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="group_unique_name_in_region")]

    def __str__(self) -> str:
        return self.name

    def has_rule(self) -> bool:
        return bool(self.kinds or self.flags)

    def rule_q(self) -> Q:
        """The rule part of the membership as a filter on Unit, or a filter matching nothing."""
        if not self.has_rule():
            return Q(pk__in=[])
        q = Q(region__path__startswith=self.region.path) if self.include_subregions else Q(region=self.region)
        if self.kinds:
            q &= Q(kind__in=self.kinds)
        for flag in self.flags:
            q &= Q(**{flag: True})
        return q

    def resolve(self) -> UnitQuerySet:
        """Every active unit the collective name stands for."""
        listed = Q(pk__in=self.members.values("pk"))
        return Unit.objects.active().filter(self.rule_q() | listed).distinct()

    def matches(self, unit: Unit, listed_ids: set[int], unit_path: str) -> bool:
        """Python twin of `resolve()` for one unit, so list pages can count members without a query each."""
        if not unit.is_active:
            return False
        if unit.pk in listed_ids:
            return True
        if not self.has_rule():
            return False
        in_scope = (
            unit_path.startswith(self.region.path)
            if self.include_subregions
            else unit.region_id == self.region_id
        )
        return (
            in_scope
            and (not self.kinds or unit.kind in self.kinds)
            and all(getattr(unit, flag, False) for flag in self.flags)
        )

    def kind_labels(self) -> list[str]:
        labels = dict(UnitKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.kinds]

    def flag_labels(self) -> list[str]:
        return [str(UNIT_FLAGS.get(flag, flag)) for flag in self.flags]


class AliasQuerySet(models.QuerySet["Alias"]):
    def valid_on(self, day: datetime.date) -> AliasQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Alias(models.Model):
    """Another name for a unit or group: an abbreviation (区发改委) or a former name (区法制办 → 区司法局)."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="aliases"
    )
    name = models.CharField(_("alias"), max_length=100)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE, related_name="aliases"
    )
    group = models.ForeignKey(
        UnitGroup, verbose_name=_("unit group"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="aliases",
    )  # fmt: skip
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = AliasQuerySet.as_manager()

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        ordering = ["name", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, group__isnull=True)
                | Q(unit__isnull=True, group__isnull=False),
                name="alias_points_to_unit_or_group",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="alias_validity_ordered",
            ),
            models.UniqueConstraint(fields=["region", "name", "valid_from"], name="alias_unique_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.target}"

    @property
    def target(self) -> Unit | UnitGroup | None:
        return self.unit or self.group

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.region_id, self.unit_id


# --- people -----------------------------------------------------------------------------------------------


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    AUDIT_MASKED_FIELDS: ClassVar[tuple[str, ...]] = ("password",)
    # Stamped by every login, which the audit records as its own event.
    AUDIT_IGNORED_FIELDS: ClassVar[tuple[str, ...]] = ("last_login",)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    ADMIN = "admin", _("system administrator")
    COORDINATOR = "coordinator", _("office coordinator")
    LEADER = "leader", _("leader")
    UNIT_HEAD = "unit_head", _("unit head")
    LIAISON = "liaison", _("liaison officer")


REGION_ROLES = (Role.COORDINATOR, Role.LEADER)
UNIT_ROLES = (Role.UNIT_HEAD, Role.LIAISON)
# When a person holds several roles, the home page shows the first of these.
ROLE_PRIORITY = (Role.ADMIN, Role.COORDINATOR, Role.LEADER, Role.UNIT_HEAD, Role.LIAISON)


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role=Role.ADMIN.value, region__isnull=True, unit__isnull=True)
                    | Q(role__in=[r.value for r in REGION_ROLES], region__isnull=False, unit__isnull=True)
                    | Q(role__in=[r.value for r in UNIT_ROLES], region__isnull=True, unit__isnull=False)
                ),
                name="role_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(role=Role.ADMIN.value), name="role_admin_once_per_user"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(region__isnull=False),
                name="role_once_per_region",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "unit"], condition=Q(unit__isnull=False), name="role_once_per_unit"
            ),
        ]

    def __str__(self) -> str:
        scope = self.region or self.unit
        return f"{self.user} · {self.get_role_display()}" + (f" · {scope}" if scope else "")

    def audit_scope(self) -> tuple[int | None, int | None]:
        if self.unit is not None:
            return self.unit.region_id, self.unit_id
        return self.region_id, None
