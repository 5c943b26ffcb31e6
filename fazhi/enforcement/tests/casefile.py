"""A body with officers, a power and a discretion standard, and helpers that take a case along its steps.

Time is frozen at the end of 2025 (`NOW`) so that every date of 2025 is a past day a step may carry.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import actions
from fazhi.enforcement.models import Case, CaseKind, CaseStep, DiscretionStandard, Officer, Power, PowerKind
from fazhi.orgs.models import Unit

D = datetime.date
NOW = datetime.datetime(2025, 12, 31, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@dataclass
class Body:
    unit: Unit
    zhang: Officer  # certified all along
    li: Officer  # certified all along
    wang: Officer  # certificate expired on 31 March 2025
    zhao: Officer  # no longer active
    other: Officer  # an officer of region B's body
    reviewer: Officer  # legal reviewer, never investigates here
    reviewer_officer: Officer  # legal reviewer who also holds a certificate, so may investigate
    power: Power
    standard: DiscretionStandard  # 1,000 to 5,000 yuan for 2025


def _officer(unit: Unit, number: str, name: str, **extra: Any) -> Officer:
    fields: dict[str, Any] = {"valid_from": D(2020, 1, 1), "valid_to": D(2027, 12, 31), **extra}
    return actions.save_officer(
        None,
        unit=unit,
        name=name,
        certificate_number=number,
        issuing_authority="内蒙古自治区人民政府",
        **fields,
    )


def make_body(personas: Any) -> Body:
    unit = personas.justice_a
    with acting_as(None, "test"), transaction.atomic():
        power = actions.save_power(
            None, unit=unit, code="330217001", name="对律师事务所违规行为的处罚", kind=PowerKind.PENALTY,
            legal_basis="《律师法》第五十条",
        )  # fmt: skip
        return Body(
            unit=unit,
            zhang=_officer(unit, "15010001", "张执法"),
            li=_officer(unit, "15010002", "李执法"),
            wang=_officer(unit, "15010003", "王过期", valid_to=D(2025, 3, 31)),
            zhao=_officer(unit, "15010004", "赵离岗", is_active=False),
            other=_officer(personas.justice_b, "61010001", "外区执法"),
            reviewer=_officer(unit, "15010005", "钱审核", is_legal_reviewer=True),
            reviewer_officer=_officer(unit, "15010006", "孙审核", is_legal_reviewer=True),
            power=power,
            standard=actions.save_discretion_standard(
                None,
                power=power,
                circumstance="一般情节",
                min_amount=Decimal("1000"),
                max_amount=Decimal("5000"),
                effective_from=D(2025, 1, 1),
                effective_to=D(2025, 12, 31),
                filed_with_justice_bureau=D(2025, 1, 10),
            ),
        )


_numbers = iter(range(1, 1_000_000))


REGISTERED = D(2025, 3, 3)
INVESTIGATED = D(2025, 3, 5)
NOTIFIED = D(2025, 3, 10)


def open_case(body: Body, kind: str = CaseKind.PENALTY_ORDINARY, on: datetime.date = REGISTERED,
              user: Any = None, **fields: Any) -> Case:  # fmt: skip
    fields.setdefault("number", f"新司罚〔2025〕{next(_numbers)}号")
    fields.setdefault("power", body.power if kind != CaseKind.INSPECTION else None)
    with acting_as(user, "test"), transaction.atomic():
        return actions.open_case(
            user, unit=body.unit, kind=kind, on=on, party_name="某律师事务所", party_type="legal",
            party_id_number="91150102MA0000000X", party_phone="0471-6600000", **fields,
        )  # fmt: skip


def step(case: Case, name: str, on: datetime.date, user: Any = None, **data: Any) -> Case:
    with acting_as(user, "test"), transaction.atomic():
        return actions.advance(case, name, user, on=on, **data)


def investigate_and_notify(body: Body, case: Case, investigated: datetime.date = INVESTIGATED,
                           notified: datetime.date = NOTIFIED) -> Case:  # fmt: skip
    step(case, CaseStep.INVESTIGATE, investigated, officers=[body.zhang, body.li])
    return step(case, CaseStep.NOTIFY, notified)


def reseed() -> None:
    """Put back the rules the migrations seed (statutory periods, publication periods), which the flush
    after a transactional test removes; the seeding is idempotent."""
    from importlib import import_module

    from django.apps import apps

    with acting_as(None, "test"), transaction.atomic():
        for migration in ("0003_seed_statutory_periods", "0005_publications"):
            import_module(f"fazhi.enforcement.migrations.{migration}").seed(apps, None)
