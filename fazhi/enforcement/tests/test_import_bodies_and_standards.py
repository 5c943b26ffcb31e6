"""Importing the bodies (执法主体) and discretion standards (裁量基准) registers: the same contract as the
other registers — the whole file checked first, every bad row named, nothing written on a problem, the same
file twice changes nothing, one audited import entry."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from fazhi.audit.models import AuditEntry
from fazhi.audit.recorder import acting_as
from fazhi.enforcement import actions, importing
from fazhi.enforcement.models import BodyNature, DiscretionStandard, EnforcementBody, Power, PowerKind
from fazhi.orgs import actions as org_actions

from .registering import run, write_xlsx

pytestmark = pytest.mark.usefixtures("english")

BODY_HEADER = ["执法主体", "主体性质", "委托机关", "主体依据", "执法区域", "统一社会信用代码"]
STANDARD_HEADER = [
    "执法主体",
    "事项编码",
    "情节",
    "罚款下限（元）",
    "罚款上限（元）",
    "生效日期",
    "失效日期",
    "发布日期",
    "备案日期",
]


@pytest.fixture
def town_office(personas: Any) -> Any:
    """保合少镇综合行政执法办公室, entrusted by the county's 司法局 in the bodies file."""
    with acting_as(None, "test"), transaction.atomic():
        return org_actions.save_unit(
            None, region=personas.town_a, name="保合少镇综合行政执法办公室", kind="department",
            is_enforcement_body=True,
        )  # fmt: skip


def bodies_file(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "bodies.xlsx",
        [
            ["新城区行政执法主体名录"],
            BODY_HEADER,
            [
                "新城区司法局",
                "法定行政机关",
                "",
                "《新城区司法局职能配置、内设机构和人员编制规定》",
                "新城区",
                "11150102MB1234567X",
            ],
            [
                "保合少镇综合行政执法办公室",
                "受委托组织",
                "区司法局",
                "新城区司法局委托书（2024年第1号）",
                "保合少镇",
                "",
            ],
        ],
    )


def test_bodies_import_records_the_nature_basis_and_entrusting_organ(
    personas: Any, town_office: Any, tmp_path: Path
) -> None:
    result = run(importing.BODIES, personas.region_a, bodies_file(tmp_path), personas.coordinator)
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    justice = EnforcementBody.objects.get(unit=personas.justice_a)
    assert justice.nature == BodyNature.STATUTORY
    assert justice.legal_basis.startswith("《新城区司法局职能配置")
    assert justice.credit_code == "11150102MB1234567X"
    town = EnforcementBody.objects.get(unit=town_office)
    assert town.nature == BodyNature.ENTRUSTED
    assert town.entrusted_by == personas.justice_a  # found by its alias 区司法局
    assert town.jurisdiction == "保合少镇"


def test_importing_the_bodies_again_changes_nothing_and_a_changed_row_updates(
    personas: Any, town_office: Any, tmp_path: Path
) -> None:
    path = bodies_file(tmp_path)
    run(importing.BODIES, personas.region_a, path, personas.coordinator)
    before = sorted(EnforcementBody.objects.values_list())
    again = run(importing.BODIES, personas.region_a, path, personas.coordinator)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert sorted(EnforcementBody.objects.values_list()) == before
    changed = write_xlsx(
        tmp_path / "changed.xlsx",
        [["执法主体", "性质", "设立依据"], ["新城区司法局", "行政机关", "《司法行政机关职能规定》"]],
    )
    result = run(importing.BODIES, personas.region_a, changed, personas.coordinator)
    assert (result.created, result.updated) == (0, 1)
    justice = EnforcementBody.objects.get(unit=personas.justice_a)
    assert justice.legal_basis == "《司法行政机关职能规定》"
    update = AuditEntry.objects.filter(target_type="enforcement.enforcementbody", action="update").get()
    assert update.changes_dict()["legal_basis"][1] == "《司法行政机关职能规定》"
    assert update.actor_name == personas.coordinator.username


def test_a_bad_bodies_file_imports_nothing_and_names_every_bad_row(
    personas: Any, town_office: Any, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        [
            BODY_HEADER,
            ["新城区司法局", "法定行政机关", "", "三定方案", "", ""],  # good
            ["新城区发展和改革委员会", "法定行政机关", "", "三定方案", "", ""],  # not an enforcement body
            ["保合少镇综合行政执法办公室", "受委托组织", "", "委托书", "", ""],  # no entrusting organ
            ["新城区司法局", "法定行政机关", "", "三定方案", "", ""],  # the same body twice
            ["保合少镇人民政府", "派出机构", "", "三定方案", "", ""],  # unknown nature
            [
                "保合少镇人民政府",
                "法定行政机关",
                "区司法局",
                "三定方案",
                "",
                "",
            ],  # entrusting organ, not entrusted
            ["保合少镇综合行政执法办公室", "受委托组织", "莲湖区司法局", "委托书", "", ""],  # organ elsewhere
            ["保合少镇人民政府", "法定行政机关", "", "", "", "123"],  # no basis, bad credit code
        ],
    )
    before = AuditEntry.objects.count()
    result = run(importing.BODIES, personas.region_a, path, personas.coordinator)
    assert not result.applied
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "执法主体"),
        (4, "委托机关"),
        (5, "执法主体"),
        (6, "主体性质"),
        (7, "委托机关"),
        (8, "委托机关"),
        (9, "主体依据"),
        (9, "统一社会信用代码"),
    ]
    assert "repeats row 2" in result.errors[2].message
    assert "委托机关" in result.errors[1].message
    assert not EnforcementBody.objects.exists()
    assert AuditEntry.objects.count() == before


@pytest.fixture
def powers(personas: Any) -> dict[str, Power]:
    with acting_as(None, "test"), transaction.atomic():
        penalty = actions.save_power(
            None,
            unit=personas.justice_a,
            code="CF-001",
            name="对律师违法行为的处罚",
            kind=PowerKind.PENALTY,
            legal_basis="《律师法》第四十七条",
        )
        inspection = actions.save_power(
            None,
            unit=personas.justice_a,
            code="JC-001",
            name="对公证机构的检查",
            kind=PowerKind.INSPECTION,
            legal_basis="《公证法》第五条",
        )
    return {"penalty": penalty, "inspection": inspection}


def standards_file(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "standards.xlsx",
        [
            STANDARD_HEADER,
            [
                "区司法局",
                "CF-001",
                "初次违法、危害后果轻微",
                0,
                "1,000",
                "2025-01-01",
                "2025-12-31",
                "2024-12-20",
                "2025年1月3日",
            ],
            [
                "新城区司法局",
                "CF-001",
                "情节严重",
                "0.5万",
                "2万元",
                datetime.date(2025, 1, 1),
                "",
                "2024-12-20",
                "",
            ],
        ],
    )


def test_standards_import_reads_amounts_dates_and_the_filing(
    personas: Any, powers: dict[str, Power], tmp_path: Path
) -> None:
    result = run(importing.STANDARDS, personas.region_a, standards_file(tmp_path), personas.coordinator)
    assert result.errors == []
    assert result.created == 2
    light = DiscretionStandard.objects.get(circumstance="初次违法、危害后果轻微")
    assert (light.min_amount, light.max_amount) == (Decimal("0"), Decimal("1000"))
    assert light.effective_to == datetime.date(2025, 12, 31)
    assert light.filed_with_justice_bureau == datetime.date(2025, 1, 3)
    serious = DiscretionStandard.objects.get(circumstance="情节严重")
    assert (serious.min_amount, serious.max_amount) == (Decimal("5000"), Decimal("20000"))
    assert serious.power == powers["penalty"]
    assert serious.filed_with_justice_bureau is None
    assert serious.published_on == datetime.date(2024, 12, 20)


def test_importing_the_standards_again_changes_nothing_and_a_filing_updates_its_line(
    personas: Any, powers: dict[str, Power], tmp_path: Path
) -> None:
    path = standards_file(tmp_path)
    run(importing.STANDARDS, personas.region_a, path, personas.coordinator)
    before = sorted(DiscretionStandard.objects.values_list())
    again = run(importing.STANDARDS, personas.region_a, path, personas.coordinator)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert sorted(DiscretionStandard.objects.values_list()) == before
    filed = write_xlsx(
        tmp_path / "filed.xlsx",
        [
            STANDARD_HEADER,
            ["新城区司法局", "CF-001", "情节严重", 5000, 20000, "2025-01-01", "", "2024-12-20", "2025-01-08"],
        ],
    )
    result = run(importing.STANDARDS, personas.region_a, filed, personas.coordinator)
    assert (result.created, result.updated) == (0, 1)
    assert DiscretionStandard.objects.get(circumstance="情节严重").filed_with_justice_bureau == datetime.date(
        2025, 1, 8
    )
    assert DiscretionStandard.objects.count() == 2


def test_a_bad_standards_file_imports_nothing_and_names_every_bad_row(
    personas: Any, powers: dict[str, Power], tmp_path: Path, time_machine: Any
) -> None:
    time_machine.move_to(datetime.datetime(2025, 6, 1, 10, 0), tick=False)
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        [
            STANDARD_HEADER,
            ["新城区司法局", "CF-001", "一般情节", 1000, 5000, "2025-01-01", "", "", ""],  # good
            ["新城区司法局", "CF-999", "一般情节", 1000, 5000, "2025-01-01", "", "", ""],  # unknown code
            ["新城区司法局", "JC-001", "一般情节", 1000, 5000, "2025-01-01", "", "", ""],  # not a penalty
            ["新城区司法局", "CF-001", "较重情节", 5000, 1000, "2025-01-01", "", "", ""],  # min above max
            ["新城区司法局", "CF-001", "一般情节", 1000, 5000, "2025-01-01", "", "", ""],  # repeats row 2
            ["新城区司法局", "CF-001", "特别严重", "很多", 5000, "2025-01-01", "", "", ""],  # not an amount
            [
                "新城区司法局",
                "CF-001",
                "轻微",
                0,
                100,
                "2025-01-01",
                "2024-01-01",
                "",
                "",
            ],  # ends before start
            [
                "新城区司法局",
                "CF-001",
                "其他",
                0,
                100,
                "2025-01-01",
                "",
                "",
                "2025-07-01",
            ],  # filed in the future
            ["莲湖区司法局", "CF-001", "其他", 0, 100, "2025-01-01", "", "", ""],  # another region's body
        ],
    )
    result = run(importing.STANDARDS, personas.region_a, path, personas.coordinator)
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "事项编码"),
        (4, "事项编码"),
        (5, "罚款上限（元）"),
        (6, "情节"),
        (7, "罚款下限（元）"),
        (8, "失效日期"),
        (9, "备案日期"),
        (10, "执法主体"),
    ]
    assert "penalty power" in result.errors[1].message
    assert not DiscretionStandard.objects.exists()


def test_each_import_leaves_one_import_entry_with_the_file_and_counts(
    personas: Any, powers: dict[str, Power], tmp_path: Path
) -> None:
    start = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    run(importing.STANDARDS, personas.region_a, standards_file(tmp_path), personas.coordinator)
    entries = AuditEntry.objects.filter(seq__gt=start)
    summary = entries.get(action="import")
    assert summary.target_type == "enforcement.standards"
    assert summary.region_id == personas.region_a.pk
    assert summary.changes_dict()["created"] == 2
    assert entries.filter(target_type="enforcement.discretionstandard", action="create").count() == 2


def test_the_command_imports_bodies_and_standards(
    personas: Any, town_office: Any, powers: dict[str, Power], tmp_path: Path
) -> None:
    call_command("import_enforcement", str(bodies_file(tmp_path)), region="新城区", register="bodies")
    call_command("import_enforcement", str(standards_file(tmp_path)), region="150102", register="standards")
    assert EnforcementBody.objects.count() == 2
    assert DiscretionStandard.objects.count() == 2
    bad = write_xlsx(tmp_path / "bad.xlsx", [BODY_HEADER, ["新城区司法局", "派出机构", "", "x", "", ""]])
    with pytest.raises(CommandError):
        call_command("import_enforcement", str(bad), region="新城区", register="bodies")
    assert EnforcementBody.objects.get(unit=personas.justice_a).nature == BodyNature.STATUTORY
