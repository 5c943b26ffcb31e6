"""Every write of the assessment: the bonus and deduction entries the office makes for a unit, with a reason.

Both run in a transaction; the audit trail records the row (and its deletion) through the model signals.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fazhi.orgs.access import can_manage_region
from fazhi.plans.models import Assignment, Plan

from .models import ScoreAdjustment

MAX_POINTS = Decimal(100)


@transaction.atomic
def add_adjustment(user: Any, plan: Plan, unit_id: int, points: Decimal, reason: str) -> ScoreAdjustment:
    """Enter bonus points (positive) or a deduction (negative) for a unit with tasks in `plan`."""
    if not can_manage_region(user, plan.region):
        raise PermissionDenied
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(_("Write the reason for the points, so the unit can see why they were given."))
    if not points or abs(points) > MAX_POINTS or points != points.quantize(Decimal("0.01")):
        raise ValidationError(
            _("Enter the points as a number other than 0 between -100 and 100, with at most two decimals "
              "(for example 2 or -1.5).")
        )  # fmt: skip
    if not Assignment.objects.filter(task__plan=plan, unit_id=unit_id).exists():
        raise ValidationError(_("Choose a unit that has tasks in this plan."))
    return ScoreAdjustment.objects.create(
        region=plan.region,
        unit_id=unit_id,
        year=plan.year,
        points=points,
        reason=reason[:200],
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


@transaction.atomic
def withdraw_adjustment(user: Any, adjustment: ScoreAdjustment) -> None:
    """Remove an entry made by mistake (the audit trail keeps what it said)."""
    if not can_manage_region(user, adjustment.region):
        raise PermissionDenied
    adjustment.delete()
