"""Importing the officers, training and powers registers: atomic, row-by-row errors, idempotent, audited."""

from __future__ import annotations

import datetime
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fazhi.audit.models import AuditEntry
from fazhi.enforcement import importing
from fazhi.enforcement.models import Officer, Power, PowerKind, TrainingRecord

from .registering import run, write_xlsx

OFFICER_HEADER = [
    "执法主体",
    "姓名",
    "执法证号",
    "发证机关",
    "有效期起",
    "有效期止",
    "执法领域",
    "法制审核人员",
]
AUTHORITY = "内蒙古自治区人民政府"


def officers_file(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "officers.xlsx",
        [
            ["新城区行政执法人员名册"],
            OFFICER_HEADER,
            [
                "新城区司法局",
                "张三",
                "15010001",
                AUTHORITY,
                datetime.date(2023, 1, 1),
                "2027-12-31",
                "司法",
                "是",
            ],
            ["区司法局", "李四", "15010002", AUTHORITY, "2024/3/1", "", "司法", "否"],
        ],
    )


def registers_state() -> tuple[Any, ...]:
    return (
        sorted(Officer.objects.values_list()),
        sorted(TrainingRecord.objects.values_list()),
        sorted(Power.objects.values_list()),
        AuditEntry.objects.count(),
    )


def test_officers_import_matches_units_by_name_and_alias(personas: Any, tmp_path: Path) -> None:
    result = run(importing.OFFICERS, personas.region_a, officers_file(tmp_path), personas.coordinator)
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    zhang = Officer.objects.get(certificate_number="15010001")
    li = Officer.objects.get(certificate_number="15010002")
    assert zhang.unit == li.unit == personas.justice_a
    assert zhang.is_legal_reviewer
    assert not li.is_legal_reviewer
    assert li.valid_from == datetime.date(2024, 3, 1)
    assert li.valid_to is None


def test_importing_the_same_file_again_changes_nothing_and_a_changed_row_updates(
    personas: Any, tmp_path: Path
) -> None:
    path = officers_file(tmp_path)
    run(importing.OFFICERS, personas.region_a, path, personas.coordinator)
    before = registers_state()
    again = run(importing.OFFICERS, personas.region_a, path, personas.coordinator)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert registers_state()[:3] == before[:3]
    changed = write_xlsx(
        tmp_path / "changed.xlsx",
        [
            OFFICER_HEADER,
            ["新城区司法局", "张三", "15010001", AUTHORITY, "2023-01-01", "2029-12-31", "司法", "是"],
        ],
    )
    result = run(importing.OFFICERS, personas.region_a, changed, personas.coordinator)
    assert (result.created, result.updated) == (0, 1)
    assert Officer.objects.get(certificate_number="15010001").valid_to == datetime.date(2029, 12, 31)
    assert Officer.objects.count() == 2


def test_training_and_powers_import_from_csv_and_xlsx(personas: Any, tmp_path: Path) -> None:
    run(importing.OFFICERS, personas.region_a, officers_file(tmp_path), personas.coordinator)
    training = tmp_path / "training.csv"
    training.write_text(
        "执法证号,培训日期,学时,培训内容\n15010001,2025-03-01,12.5,行政处罚法\n15010002,2025年4月1日,8,行政复议法\n",
        encoding="utf-8-sig",
    )
    result = run(importing.TRAINING, personas.region_a, training, personas.coordinator)
    assert result.errors == []
    assert result.created == 2
    assert TrainingRecord.objects.get(officer__name="张三").hours == Decimal("12.5")
    powers = write_xlsx(
        tmp_path / "powers.xlsx",
        [
            ["执法主体", "事项编码", "事项名称", "事项类别", "设定依据"],
            ["新城区司法局", "CF-001", "对律师违法行为的处罚", "行政处罚", "《律师法》第四十七条"],
            ["新城区司法局", "JC-001", "对公证机构的检查", "检查", "《公证法》第五条"],
        ],
    )
    result = run(importing.POWERS, personas.region_a, powers, personas.coordinator)
    assert result.errors == []
    assert dict(Power.objects.values_list("code", "kind")) == {
        "CF-001": PowerKind.PENALTY,
        "JC-001": PowerKind.INSPECTION,
    }
    assert run(importing.POWERS, personas.region_a, powers, personas.coordinator).unchanged == 2


def test_a_bad_officers_file_imports_nothing_and_names_every_bad_row(personas: Any, tmp_path: Path) -> None:
    before = registers_state()
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        [
            OFFICER_HEADER,
            ["新城区司法局", "张三", "15010001", AUTHORITY, "2023-01-01", "", "", "是"],  # good
            ["新城区不存在局", "王五", "15010003", AUTHORITY, "2023-01-01", "", "", "否"],  # unknown unit
            ["新城区司法局", "赵六", "15010001", AUTHORITY, "2023-01-01", "", "", "否"],  # duplicate
            ["新城区司法局", "孙七", "15010004", AUTHORITY, "2023-02-30", "", "", "否"],  # bad date
            ["莲湖区司法局", "周八", "15010005", AUTHORITY, "2023-01-01", "", "", "否"],  # other region
        ],
    )
    result = run(importing.OFFICERS, personas.region_a, path, personas.coordinator)
    assert not result.applied
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "执法主体"),
        (4, "执法证号"),
        (5, "有效期起"),
        (6, "执法主体"),
    ]
    assert "第 2 行" in result.errors[1].message or "2" in result.errors[1].message
    assert registers_state() == before


def test_a_file_missing_a_column_imports_nothing(personas: Any, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "short.xlsx", [OFFICER_HEADER[:3], ["新城区司法局", "张三", "15010001"]])
    result = run(importing.OFFICERS, personas.region_a, path, personas.coordinator)
    assert len(result.errors) == 1
    assert "发证机关" in result.errors[0].message
    assert "有效期起" in result.errors[0].message
    assert not Officer.objects.exists()


def test_training_hours_that_are_not_a_number_import_nothing(personas: Any, tmp_path: Path) -> None:
    run(importing.OFFICERS, personas.region_a, officers_file(tmp_path), personas.coordinator)
    path = write_xlsx(
        tmp_path / "training.xlsx",
        [
            ["执法证号", "培训日期", "学时", "培训内容"],
            ["15010001", "2025-03-01", "三", "行政处罚法"],
            ["15010002", "2025-03-01", 4, "行政复议法"],
            ["99999999", "2025-03-01", 4, "行政复议法"],
            ["15010002", "2025-03-02", -2, "行政复议法"],
        ],
    )
    result = run(importing.TRAINING, personas.region_a, path, personas.coordinator)
    assert [(e.row, e.column) for e in result.errors] == [(2, "学时"), (4, "执法证号"), (5, "学时")]
    assert not TrainingRecord.objects.exists()


def test_a_zip_bomb_and_a_wrong_extension_are_refused(personas: Any, tmp_path: Path) -> None:
    good = officers_file(tmp_path)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as old, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item, old.read(item.filename))
        new.writestr("xl/media/image1.bin", b"\0" * (8 << 20))
    refused = run(importing.OFFICERS, personas.region_a, bomb, personas.coordinator)
    assert "压缩" in refused.errors[0].message
    renamed = tmp_path / "officers.pdf"
    renamed.write_bytes(good.read_bytes())
    assert run(importing.OFFICERS, personas.region_a, renamed, personas.coordinator).errors
    assert not Officer.objects.exists()


def test_every_import_writes_audit_entries_for_its_rows_and_the_file(personas: Any, tmp_path: Path) -> None:
    start = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    run(importing.OFFICERS, personas.region_a, officers_file(tmp_path), personas.coordinator)
    entries = AuditEntry.objects.filter(seq__gt=start)
    assert entries.filter(target_type="enforcement.officer", action="create").count() == 2
    summary = entries.get(action="import")
    assert summary.target_type == "enforcement.officers"
    assert summary.region_id == personas.region_a.pk
    assert set(entries.values_list("actor_name", flat=True)) == {personas.coordinator.username}


def test_the_command_imports_a_file_and_fails_on_a_bad_one(personas: Any, tmp_path: Path) -> None:
    call_command(
        "import_enforcement",
        str(officers_file(tmp_path)),
        region="新城区",
        register="officers",
        user="coordinator",
    )
    assert Officer.objects.count() == 2
    bad = write_xlsx(
        tmp_path / "bad.xlsx", [OFFICER_HEADER, ["无此单位", "王五", "1", AUTHORITY, "x", "", "", ""]]
    )
    with pytest.raises(CommandError):
        call_command("import_enforcement", str(bad), region="新城区", register="officers")
    assert Officer.objects.count() == 2
