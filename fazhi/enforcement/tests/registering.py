"""Register records of both regions and spreadsheets built with openpyxl, for the register tests and the
permission walk."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openpyxl
from django.db import transaction

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import actions, importing
from fazhi.enforcement.models import BodyNature, PowerKind

D = datetime.date


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def run(register: str, region: Any, path: Path, user: Any = None) -> importing.RegisterImportResult:
    with acting_as(user, "test"):
        return importing.import_register(register, region, path.read_bytes(), path.name)


def make_registers(unit: Any, tag: str) -> SimpleNamespace:
    """On `unit`: its register entry, an officer with 20 hours of training in 2025, a penalty power with a
    filed discretion standard and an unfiled one, and an inspection power. Codes and certificate numbers
    carry `tag`, so both regions' records never collide with each other or with casefile.make_body."""
    with acting_as(None, "test"), transaction.atomic():
        entry = actions.save_body(
            None,
            unit=unit,
            nature=BodyNature.STATUTORY,
            legal_basis=f"{unit.name}职能配置、内设机构和人员编制规定",
            jurisdiction=f"{unit.region.name}行政区域",
        )
        officer = actions.save_officer(
            None,
            unit=unit,
            name=f"登记{tag}",
            certificate_number=f"REG-{tag}-1",
            issuing_authority="人民政府",
            valid_from=D(2020, 1, 1),
            valid_to=D(2027, 12, 31),
            field="司法",
            is_legal_reviewer=True,
        )
        actions.save_training(
            None, officer=officer, date=D(2025, 3, 1), hours=Decimal("20"), subject="行政处罚法"
        )
        penalty = actions.save_power(
            None,
            unit=unit,
            code=f"REG-{tag}-CF",
            name=f"对违法行为的处罚{tag}",
            kind=PowerKind.PENALTY,
            legal_basis="《律师法》第五十条",
        )
        inspection = actions.save_power(
            None,
            unit=unit,
            code=f"REG-{tag}-JC",
            name=f"对律师事务所的检查{tag}",
            kind=PowerKind.INSPECTION,
            legal_basis="《律师事务所管理办法》第五条",
        )
        filed = actions.save_discretion_standard(
            None,
            power=penalty,
            circumstance="一般情节",
            min_amount=Decimal("1000"),
            max_amount=Decimal("5000"),
            effective_from=D(2025, 1, 1),
            published_on=D(2024, 12, 20),
            filed_with_justice_bureau=D(2025, 1, 3),
        )
        unfiled = actions.save_discretion_standard(
            None,
            power=penalty,
            circumstance="严重情节",
            min_amount=Decimal("5000"),
            max_amount=Decimal("20000"),
            effective_from=D(2025, 1, 1),
            published_on=D(2024, 12, 20),
        )
    return SimpleNamespace(
        entry=entry, officer=officer, penalty=penalty, inspection=inspection, filed=filed, unfiled=unfiled
    )


def walk_registers(personas: Any) -> None:
    """For the permission walk: each region's 司法局 with its registers (`registers_a`, `registers_b`)."""
    personas.registers_a = make_registers(personas.justice_a, "a")
    personas.registers_b = make_registers(personas.justice_b, "b")
