"""Every write to regions, units, groups, aliases, people and roles.

Each function runs in a transaction; the audit trail records each save through fazhi.audit's signal handlers,
attributed to whoever `fazhi.audit.recorder.acting_as` names (the web middleware does it per request).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import REGION_ROLES, UNIT_ROLES, Alias, Region, Role, RoleAssignment, Unit, UnitGroup, User


def apply_fields(obj: Any, fields: dict[str, Any]) -> Any:
    """Set the fields, validate the whole object and save it: the write of the simple `save_*` actions."""
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def save_region(region: Region | None, **fields: Any) -> Region:
    return apply_fields(region or Region(), fields)


@transaction.atomic
def save_unit(unit: Unit | None, **fields: Any) -> Unit:
    return apply_fields(unit or Unit(), fields)


@transaction.atomic
def save_group(group: UnitGroup | None, members: Iterable[Unit] | None = None, **fields: Any) -> UnitGroup:
    group = apply_fields(group or UnitGroup(), fields)
    if members is not None:
        members = list(members)
        outside = [unit.name for unit in members if not unit.region.path.startswith(group.region.path)]
        if outside:
            raise ValidationError(
                _("These units are outside the group's region: %(names)s") % {"names": "、".join(outside)}
            )
        group.members.set(members)
    return group


def check_alias_overlap(
    region: Region,
    name: str,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
    exclude_pk: Any,
) -> None:
    """One name may stand for different units in different periods, never for two at once."""
    starts_before_end = (Q(valid_from__isnull=True) | Q(valid_from__lte=valid_to)) if valid_to else Q()
    ends_after_start = (Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)) if valid_from else Q()
    clash = (
        Alias.objects.filter(region=region, name=name)
        .filter(starts_before_end)
        .filter(ends_after_start)
        .exclude(pk=exclude_pk)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _("The alias “%(name)s” already stands for %(target)s in an overlapping period.")
            % {"name": name, "target": clash.target}
        )


@transaction.atomic
def save_alias(alias: Alias | None, **fields: Any) -> Alias:
    alias = alias or Alias()
    for name, value in fields.items():
        setattr(alias, name, value)
    check_alias_overlap(alias.region, alias.name, alias.valid_from, alias.valid_to, alias.pk)
    return apply_fields(alias, {})


@transaction.atomic
def delete_alias(alias: Alias) -> None:
    alias.delete()


# --- people -----------------------------------------------------------------------------------------------


@transaction.atomic
def create_person(username: str, password: str, **fields: Any) -> User:
    user = User(username=username, **fields)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def update_person(user: User, **fields: Any) -> User:
    return apply_fields(user, fields)


@transaction.atomic
def set_password(user: User, password: str) -> User:
    validate_password(password, user)
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def set_active(user: User, active: bool) -> User:
    user.is_active = active
    user.save()
    return user


@transaction.atomic
def grant_role(
    user: User, role: Role | str, region: Region | None = None, unit: Unit | None = None
) -> RoleAssignment:
    role = Role(role)
    if role == Role.ADMIN:
        region = unit = None
    elif role in REGION_ROLES:
        if region is None:
            raise ValidationError(_("This role needs a region."))
        unit = None
    elif role in UNIT_ROLES:
        if unit is None:
            raise ValidationError(_("This role needs a unit."))
        region = None
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, region=region, unit=unit
    )
    if role == Role.ADMIN and not (user.is_staff and user.is_superuser):
        # The system administrator works in Django's admin site too, which asks for these flags.
        user.is_staff = user.is_superuser = True
        user.save()
    return assignment


@transaction.atomic
def revoke_role(assignment: RoleAssignment) -> None:
    user = assignment.user
    role = assignment.role
    assignment.delete()
    if role == Role.ADMIN and user.is_superuser:
        user.is_staff = user.is_superuser = False
        user.save()
