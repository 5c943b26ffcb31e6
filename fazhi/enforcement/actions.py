"""Every write to the enforcement registers.

Each function runs in a transaction and validates the whole row; the audit trail records each save through
fazhi.audit's signal handlers, attributed to whoever `fazhi.audit.recorder.acting_as` names.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from fazhi.orgs.actions import apply_fields

from .models import EnforcementRules, Officer, Power, TrainingRecord


@transaction.atomic
def save_officer(officer: Officer | None, **fields: Any) -> Officer:
    return apply_fields(officer or Officer(), fields)


@transaction.atomic
def save_training(record: TrainingRecord | None, **fields: Any) -> TrainingRecord:
    return apply_fields(record or TrainingRecord(), fields)


@transaction.atomic
def save_power(power: Power | None, **fields: Any) -> Power:
    return apply_fields(power or Power(), fields)


@transaction.atomic
def save_rules(rules: EnforcementRules | None, **fields: Any) -> EnforcementRules:
    return apply_fields(rules or EnforcementRules(), fields)
