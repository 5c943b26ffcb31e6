"""Importing a good directory file: what it creates, what re-importing changes, check-only."""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
from pathlib import Path
from typing import Any

import openpyxl

from fazhi.audit.models import AuditEntry, AuditHead
from fazhi.audit.recorder import acting_as
from fazhi.orgs import importing
from fazhi.orgs.models import Alias, Unit, UnitGroup

A = "内蒙古自治区/呼和浩特市/新城区"
UNIT_HEADER = [
    "单位名称",
    "所属区域",
    "单位类型",
    "行政执法单位",
    "决策承办单位",
    "简称",
    "联系电话",
    "备注",
    "状态",
]
GROUP_HEADER = ["组名称", "所属区域", "单位类型", "标记", "包含下级区域", "成员单位", "备注"]
ALIAS_HEADER = ["别名", "所属区域", "对应单位或单位组", "生效日期", "失效日期", "备注"]


# --- helpers shared by the test_import_* and test_export_* files -------------------------------------------


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list[Any]], encoding: str, delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def run_import(path: Path, user: Any, check_only: bool = False) -> importing.ImportResult:
    with acting_as(user, "test"):
        return importing.import_directory(path.read_bytes(), path.name, user, check_only=check_only)


def directory_state() -> tuple[Any, ...]:
    """Row counts, a hash of every directory row, and the audit head: equal means nothing was written."""
    rows: list[list[Any]] = [
        sorted(Unit.objects.values_list("pk", "region_id", "name", "kind", "is_enforcement_body", "is_decision_body", "is_active", "phone", "note")),  # noqa: E501
        sorted(UnitGroup.objects.values_list("pk", "region_id", "name", "kinds", "flags", "include_subregions", "note")),  # noqa: E501
        sorted(UnitGroup.members.through.objects.values_list("unitgroup_id", "unit_id")),
        sorted(Alias.objects.values_list("pk", "region_id", "name", "unit_id", "group_id", "valid_from", "valid_to", "note")),  # noqa: E501
    ]  # fmt: skip
    digest = hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()
    head = AuditHead.objects.values_list("seq", "hash").first()
    return tuple(len(r) for r in rows), digest, head


def good_workbook(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "名录.xlsx",
        {
            "单位": [
                UNIT_HEADER,
                [
                    "新城区市场监督管理局",
                    "新城区",
                    "局",
                    "是",
                    "",
                    "区市场监管局、市场监管局",
                    "0471-6666666",
                    "",
                    "",
                ],
                ["东街街道办事处", A, "街道", "否", "否", "", "", "", "在用"],
                ["新城区司法局", A, "政府部门", "是", "是", "", "0471-1111111", "", ""],
            ],
            "单位组": [
                GROUP_HEADER,
                ["各街道办事处", "新城区", "街道办事处", "", "否", "", ""],
                ["市场执法相关单位", "新城区", "", "", "", "新城区市场监督管理局、新城区司法局", "专项整治"],
            ],
            "别名": [
                ALIAS_HEADER,
                [
                    "区法制办",
                    "新城区",
                    "新城区司法局",
                    None,
                    datetime.datetime(2018, 12, 31),
                    "2018年并入司法局",
                ],
                ["区工商局", "新城区", "新城区市场监督管理局", "", "2019年3月31日", ""],
                ["街道", "新城区", "各街道办事处", "2020/1/1", "", ""],
            ],
        },
    )


def test_a_good_workbook_creates_units_groups_and_aliases_with_their_fields(
    personas: Any, tmp_path: Path
) -> None:
    before = AuditHead.objects.get(pk=1).seq
    result = run_import(good_workbook(tmp_path), personas.coordinator)
    assert result.errors == []
    assert result.applied
    assert (
        result.counts["单位"].created,
        result.counts["单位"].updated,
        result.counts["单位"].unchanged,
    ) == (2, 1, 0)
    assert (result.counts["单位组"].created, result.counts["别名"].created) == (2, 5)

    market = Unit.objects.get(region=personas.region_a, name="新城区市场监督管理局")
    assert (market.kind, market.is_enforcement_body, market.is_decision_body, market.is_active) == (
        "department", True, False, True,
    )  # fmt: skip
    assert market.phone == "0471-6666666"
    assert Unit.objects.get(name="东街街道办事处").kind == "street_office"
    justice = Unit.objects.get(pk=personas.justice_a.pk)
    assert (justice.is_decision_body, justice.phone) == (True, "0471-1111111")
    assert set(market.aliases.values_list("name", "valid_from", "valid_to")) == {
        ("区市场监管局", None, None), ("市场监管局", None, None),
        ("区工商局", None, datetime.date(2019, 3, 31)),
    }  # fmt: skip

    streets = UnitGroup.objects.get(region=personas.region_a, name="各街道办事处")
    assert (streets.kinds, streets.flags, streets.include_subregions) == (["street_office"], [], False)
    listed = UnitGroup.objects.get(name="市场执法相关单位")
    assert set(listed.members.values_list("name", flat=True)) == {"新城区市场监督管理局", "新城区司法局"}
    assert listed.note == "专项整治"

    former = Alias.objects.get(region=personas.region_a, name="区法制办")
    assert (former.unit_id, former.valid_from, former.valid_to) == (
        justice.pk,
        None,
        datetime.date(2018, 12, 31),
    )
    assert Alias.objects.get(name="区工商局").valid_to == datetime.date(2019, 3, 31)
    street_alias = Alias.objects.get(name="街道")
    assert (street_alias.group_id, street_alias.valid_from) == (streets.pk, datetime.date(2020, 1, 1))

    entries = AuditEntry.objects.filter(seq__gt=before)
    assert entries.filter(action="create", target_type="orgs.unit", target_id=str(market.pk)).exists()
    changed = entries.get(action="update", target_type="orgs.unit", target_id=str(justice.pk))
    assert json.loads(changed.changes)["phone"] == ["", "0471-1111111"]
    assert all(e.actor_name == "coordinator" for e in entries)
    summary = entries.get(action="import")
    details = json.loads(summary.changes)
    assert details["sha256"] == result.sha256 == summary.target_id
    assert details["created"] == {"单位": 2, "单位组": 2, "别名": 5}
    assert details["updated"]["单位"] == 1
    assert summary.region_id == personas.region_a.pk


def test_reimporting_the_same_file_changes_nothing_and_an_edited_file_updates_in_place(
    personas: Any, tmp_path: Path
) -> None:
    run_import(good_workbook(tmp_path), personas.coordinator)
    state = directory_state()
    again = run_import(good_workbook(tmp_path), personas.coordinator)
    assert again.ok
    assert again.counts["单位"].unchanged == 3
    assert again.counts["别名"].unchanged == 5
    counts, digest, (head_seq, _hash) = directory_state()
    assert (counts, digest) == state[:2]
    assert head_seq == state[2][0] + 1  # only the import summary
    assert AuditEntry.objects.get(seq=head_seq).action == "import"

    edited = write_xlsx(
        tmp_path / "修改.xlsx",
        {
            "单位": [
                [
                    "单位类型",
                    "单位名称",
                    "所属区域",
                    "联系电话",
                    "备注",
                    "状态",
                ],  # another column order, fewer columns
                ["部门", "新城区市场监督管理局", "新城区", "0471-7777777", "（清空）", "撤销"],
            ],
            "单位组": [
                GROUP_HEADER,
                ["市场执法相关单位", "新城区", "", "行政执法单位", "是", "", "（清空）"],
            ],
        },
    )
    result = run_import(edited, personas.coordinator)
    assert result.ok, result.errors
    assert (result.counts["单位"].updated, result.counts["单位组"].updated) == (1, 1)
    market = Unit.objects.get(name="新城区市场监督管理局")
    # Filled cells overwrite, （清空） empties, blank or missing cells keep the stored value.
    assert (market.phone, market.note, market.is_active, market.is_enforcement_body) == (
        "0471-7777777",
        "",
        False,
        True,
    )
    assert Unit.objects.filter(name="新城区市场监督管理局").count() == 1
    group = UnitGroup.objects.get(name="市场执法相关单位")
    assert (group.flags, group.include_subregions, group.note) == (["is_enforcement_body"], True, "")
    assert group.members.count() == 2


def test_check_only_reports_what_would_change_and_writes_nothing(personas: Any, tmp_path: Path) -> None:
    state = directory_state()
    result = run_import(good_workbook(tmp_path), personas.coordinator, check_only=True)
    assert result.ok
    assert not result.applied
    assert result.counts["单位"].created == 2
    assert directory_state() == state
