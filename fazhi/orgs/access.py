"""Access chokepoints: every view reaches regions, units, groups, aliases and people through these.

A user's reach comes only from their role assignments:
- system administrator: everything;
- office coordinator of a region: reads and manages that region and every region below it;
- leader of a region: reads that region and every region below it (dashboards, the directory), writes nothing;
- unit head / liaison officer: reads the directory of the county-level region their unit works in.
Objects outside a user's reach answer 404, so their existence does not leak; objects a user may read but not
change answer 403 on write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce, wraps
from operator import or_
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from fazhi.audit.models import AuditEntry

from .models import (
    ROLE_PRIORITY,
    Alias,
    Region,
    RegionLevel,
    Role,
    RoleAssignment,
    Unit,
    UnitGroup,
    UnitQuerySet,
    User,
)


@dataclass(frozen=True)
class Scope:
    roles: tuple[Role, ...]
    is_admin: bool
    managed_paths: tuple[str, ...]  # subtrees the user coordinates
    leader_paths: tuple[str, ...]  # subtrees the user oversees as a leader
    read_paths: tuple[str, ...]  # subtrees whose directory the user may read
    unit_ids: tuple[int, ...]  # units where the user is head or liaison
    head_unit_ids: tuple[int, ...]

    @property
    def home_role(self) -> Role | None:
        return self.roles[0] if self.roles else None

    def has(self, *roles: Role) -> bool:
        return self.is_admin or any(role in self.roles for role in roles)


NO_SCOPE = Scope((), False, (), (), (), (), ())


def _directory_region(unit: Unit) -> Region:
    # Town and street units follow the plans of the county-level region above them.
    region = unit.region
    if region.level == RegionLevel.TOWN and region.parent is not None:
        return region.parent
    return region


def scope_for(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_fazhi_scope", None)
    if cached is not None:
        return cast(Scope, cached)
    assignments = list(
        RoleAssignment.objects.filter(user=user)
        .select_related("region", "unit__region__parent")
        .order_by("pk")
    )
    roles = {Role(a.role) for a in assignments}
    is_admin = Role.ADMIN in roles or user.is_superuser
    if is_admin:
        roles.add(Role.ADMIN)
    managed = {a.region.path for a in assignments if a.role == Role.COORDINATOR and a.region}
    led = {a.region.path for a in assignments if a.role == Role.LEADER and a.region}
    read = set(managed) | led
    unit_assignments = [a for a in assignments if a.unit is not None and a.unit.is_active]
    read |= {_directory_region(a.unit).path for a in unit_assignments if a.unit}
    scope = Scope(
        roles=tuple(role for role in ROLE_PRIORITY if role in roles),
        is_admin=is_admin,
        managed_paths=_outermost(managed),
        leader_paths=_outermost(led),
        read_paths=_outermost(read),
        unit_ids=tuple(sorted({a.unit_id for a in unit_assignments if a.unit_id})),
        head_unit_ids=tuple(
            sorted({a.unit_id for a in unit_assignments if a.role == Role.UNIT_HEAD and a.unit_id})
        ),
    )
    user._fazhi_scope = scope
    return scope


def _outermost(paths: Iterable[str]) -> tuple[str, ...]:
    """Drop paths inside another path of the set: /1/ already covers /1/7/."""
    result: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path.startswith(kept) for kept in result):
            result.append(path)
    return tuple(sorted(result))


def path_q(paths: Iterable[str], field: str) -> Q:
    conditions = [Q(**{f"{field}__startswith": path}) for path in paths]
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


# --- querysets --------------------------------------------------------------------------------------------


def readable_regions(user: Any) -> QuerySet[Region]:
    scope = scope_for(user)
    if scope.is_admin:
        return Region.objects.all()
    return Region.objects.filter(path_q(scope.read_paths, "path"))


def in_managed_regions(queryset: QuerySet[Any], user: Any, field: str = "region__path") -> QuerySet[Any]:
    """The rows of `queryset` in the regions `user` manages (`field`: the path of each row's region); all of
    them for an administrator. For an office's own records, such as its import jobs."""
    scope = scope_for(user)
    return queryset if scope.is_admin else queryset.filter(path_q(scope.managed_paths, field))


def managed_regions(user: Any) -> QuerySet[Region]:
    scope = scope_for(user)
    if scope.is_admin:
        return Region.objects.all()
    return Region.objects.filter(path_q(scope.managed_paths, "path"))


def readable_units(user: Any) -> UnitQuerySet:
    scope = scope_for(user)
    if scope.is_admin:
        return Unit.objects.all()
    return Unit.objects.filter(path_q(scope.read_paths, "region__path"))


def readable_groups(user: Any) -> QuerySet[UnitGroup]:
    scope = scope_for(user)
    if scope.is_admin:
        return UnitGroup.objects.all()
    return UnitGroup.objects.filter(path_q(scope.read_paths, "region__path"))


def readable_aliases(user: Any) -> QuerySet[Alias]:
    scope = scope_for(user)
    if scope.is_admin:
        return Alias.objects.all()
    return Alias.objects.filter(path_q(scope.read_paths, "region__path"))


def managed_people(user: Any) -> QuerySet[User]:
    """Accounts a coordinator may see and manage: those holding a role inside their regions."""
    scope = scope_for(user)
    if scope.is_admin:
        return User.objects.all()
    in_scope = RoleAssignment.objects.filter(
        path_q(scope.managed_paths, "region__path") | path_q(scope.managed_paths, "unit__region__path")
    )
    return User.objects.filter(pk__in=in_scope.values("user_id"))


def unit_colleagues(user: Any, unit: Unit) -> QuerySet[RoleAssignment]:
    """The people holding a role in a unit the user can read."""
    return (
        readable_assignments(user).filter(unit=unit).select_related("user").order_by("role", "user__username")
    )


def readable_assignments(user: Any) -> QuerySet[RoleAssignment]:
    """Role assignments the user may see: unit roles of readable units, region roles of readable regions."""
    scope = scope_for(user)
    if scope.is_admin:
        return RoleAssignment.objects.all()
    return RoleAssignment.objects.filter(
        path_q(scope.read_paths, "unit__region__path") | path_q(scope.read_paths, "region__path")
    )


def public_regions() -> QuerySet[Region]:
    """The regions served, by name: public facts, shown on the portal to everyone."""
    return Region.objects.exclude(level=RegionLevel.TOWN)


def readable_audit(user: Any) -> QuerySet[AuditEntry]:
    scope = scope_for(user)
    if scope.is_admin:
        return AuditEntry.objects.all()
    if not scope.managed_paths:
        return AuditEntry.objects.none()
    region_ids = Region.objects.filter(path_q(scope.managed_paths, "path")).values("pk")
    return AuditEntry.objects.filter(region_id__in=region_ids)


# --- single objects ---------------------------------------------------------------------------------------


def can_manage_region(user: Any, region: Region) -> bool:
    scope = scope_for(user)
    return scope.is_admin or any(region.path.startswith(path) for path in scope.managed_paths)


def get_or_404(queryset: QuerySet[Any], pk: Any) -> Any:
    try:
        return queryset.get(pk=int(pk))
    except (ValueError, TypeError, queryset.model.DoesNotExist):
        raise Http404 from None


def _check_write(user: Any, region: Region, write: bool) -> None:
    if write and not can_manage_region(user, region):
        raise PermissionDenied


def get_region_for_user(user: Any, pk: Any, write: bool = False) -> Region:
    region: Region = get_or_404(readable_regions(user), pk)
    _check_write(user, region, write)
    return region


def get_unit_for_user(user: Any, pk: Any, write: bool = False) -> Unit:
    unit: Unit = get_or_404(readable_units(user).select_related("region"), pk)
    _check_write(user, unit.region, write)
    return unit


def get_group_for_user(user: Any, pk: Any, write: bool = False) -> UnitGroup:
    group: UnitGroup = get_or_404(readable_groups(user).select_related("region"), pk)
    _check_write(user, group.region, write)
    return group


def get_alias_for_user(user: Any, pk: Any, write: bool = False) -> Alias:
    alias: Alias = get_or_404(readable_aliases(user).select_related("region", "unit", "group"), pk)
    _check_write(user, alias.region, write)
    return alias


def get_person_for_user(user: Any, pk: Any, write: bool = False) -> User:
    person: User = get_or_404(managed_people(user), pk)
    if write and not can_manage_person(user, person):
        raise PermissionDenied
    return person


def can_manage_person(user: Any, person: User) -> bool:
    """A coordinator may change an account only if every role it holds lies inside their regions.

    Otherwise resetting the password of someone who is also an administrator, or a coordinator elsewhere,
    would hand over that wider reach.
    """
    scope = scope_for(user)
    if scope.is_admin:
        return True
    if person.is_superuser or person.pk == user.pk:
        return False
    for assignment in RoleAssignment.objects.filter(user=person).select_related("region", "unit__region"):
        region = assignment.region or (assignment.unit.region if assignment.unit else None)
        if assignment.role == Role.ADMIN or region is None or not can_manage_region(user, region):
            return False
    return True


# --- view decorator ---------------------------------------------------------------------------------------

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


def role_required(*roles: Role) -> Callable[[ViewFunc], ViewFunc]:
    """Anonymous visitors go to the login page; signed-in users without one of the roles get 403."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles and not scope_for(request.user).has(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return cast(ViewFunc, wrapped)

    return decorator


DIRECTORY_ROLES = (Role.COORDINATOR, Role.LEADER, Role.UNIT_HEAD, Role.LIAISON)
MANAGER_ROLES = (Role.COORDINATOR,)
