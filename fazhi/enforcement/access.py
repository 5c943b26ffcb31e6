"""Who sees and works which enforcement cases. Every case page reaches cases through these chokepoints.

Reading:
- the body's own people read all its cases: its officers with an account (an active Officer linked to the
  user), its unit head and its liaison officers;
- the office (coordinators of the body's region or of a region above it) and the leaders of those regions
  read every case there: 行政执法监督 is theirs, but they take no step of a case;
- the system administrator reads everything;
- anybody else, another region's office included, gets 404: a case's existence does not leak.

Working (opening a case, taking a step, changing its details):
- the body's active officers with an account;
- the body's unit head (the 行政机关负责人 who signs the decision) and liaison officers, who record steps on
  the body's behalf (a small body keys its case files in through one clerk): the officers who actually
  investigated are named in the step itself, and the guards in fazhi.enforcement.actions check them;
- the administrator; `None` (the system: commands, the importer) is always allowed.
- The legal review (法制审核, 行政处罚法第五十八条) is recorded only by an active officer of the body
  flagged as a legal reviewer who took no part in the case's investigation (审查与调查分离), or the
  administrator.
A reader who may not work a case gets 403 on every write.

Downloading a case's verifiable record (its audit history, `can_export_record`): those who work the case and
the office; a leader, who reads the case but not the audit trail, gets 403.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from fazhi.orgs.access import get_or_404, path_q, scope_for
from fazhi.orgs.models import Unit

from .models import Case, CaseStep, Officer

REVIEW_STEPS = frozenset({CaseStep.REVIEW_PASS, CaseStep.REVIEW_RETURN})


def officer_for(user: Any) -> Officer | None:
    """The active officer record linked to the user's account, if any (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if hasattr(user, "_fazhi_officer"):
        return cast(Officer | None, user._fazhi_officer)
    officer = Officer.objects.filter(user=user, is_active=True).select_related("unit").first()
    user._fazhi_officer = officer
    return officer


def _own_unit_ids(user: Any) -> set[int]:
    """The bodies whose cases the user works: as an officer, unit head or liaison."""
    ids = set(scope_for(user).unit_ids)
    officer = officer_for(user)
    if officer is not None:
        ids.add(officer.unit_id)
    return ids


def staff_unit_ids(user: Any) -> set[int]:
    """The bodies where the user works: as unit head or liaison, or as the officer linked to the account."""
    return _own_unit_ids(user)


def has_case_reach(user: Any) -> bool:
    """Whether the user could read any case at all (the case list answers 403 otherwise)."""
    scope = scope_for(user)
    return bool(
        scope.is_admin
        or scope.unit_ids
        or scope.managed_paths
        or scope.leader_paths
        or officer_for(user) is not None
    )


def cases_for(user: Any) -> QuerySet[Case]:
    scope = scope_for(user)
    if scope.is_admin:
        return Case.objects.all()
    own = Q(unit_id__in=_own_unit_ids(user))
    supervised = path_q(scope.managed_paths + scope.leader_paths, "unit__region__path")
    return Case.objects.filter(own | supervised)


def workable_bodies(user: Any) -> QuerySet[Unit]:
    """The enforcement bodies where the user may open cases."""
    bodies = Unit.objects.filter(is_enforcement_body=True, is_active=True)
    if scope_for(user).is_admin:
        return bodies
    return bodies.filter(pk__in=_own_unit_ids(user))


def can_work(user: Any, case: Case) -> bool:
    if user is None:
        return True
    return scope_for(user).is_admin or case.unit_id in _own_unit_ids(user)


def can_review(user: Any, case: Case) -> bool:
    """Whether the user may record the legal review of `case` (see the module docstring)."""
    if user is None or scope_for(user).is_admin:
        return True
    officer = officer_for(user)
    if officer is None or not officer.is_legal_reviewer or officer.unit_id != case.unit_id:
        return False
    if case.pk is None:
        return True
    return not case.investigators.filter(pk=officer.pk).exists()


def can_take(user: Any, case: Case, step: str | None) -> bool:
    if step in REVIEW_STEPS:
        return can_review(user, case)
    return can_work(user, case)


def check_right(user: Any, case: Case, step: str | None = None) -> None:
    """Raise PermissionDenied unless the user may take `step` (None: any change) on `case`."""
    if not can_take(user, case, step):
        raise PermissionDenied


def can_export_record(user: Any, case: Case) -> bool:
    """Whether the user may download the case's verifiable record (case_record.py): its audit history, with
    who recorded each step, from which address and by which channel.

    The body's own people, who answer for the case in 复议 and 诉讼 (its officers, the legal reviewer among
    them, its head and liaison officers), and the office (the coordinators of its region or a region above),
    which reads its region's audit trail anyway. Not its leaders: they read the case but not the audit
    trail, whose addresses and account names this would hand them.
    """
    scope = scope_for(user)
    if scope.is_admin or can_work(user, case):
        return True
    return any(case.unit.region.path.startswith(path) for path in scope.managed_paths)


def get_case_for_user(user: Any, pk: Any, write: bool = False) -> Case:
    case: Case = get_or_404(cases_for(user).select_related("unit__region", "power"), pk)
    if write and not can_work(user, case):
        raise PermissionDenied
    return case


def case_bodies(cases: QuerySet[Case]) -> QuerySet[Unit]:
    """The bodies of some readable cases (for the list's filter), by name."""
    return Unit.objects.filter(pk__in=cases.values("unit_id")).order_by("name")
