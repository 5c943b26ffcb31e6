"""A bad file gets one row error per problem, naming sheet, row and column, and the directory stays as it was.

Messages are checked by the values they quote (names, rows, limits), which survive translation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from fazhi.audit.recorder import acting_as
from fazhi.orgs import actions
from fazhi.orgs.models import Region
from fazhi.orgs.tests.test_import_units import (
    ALIAS_HEADER,
    GROUP_HEADER,
    UNIT_HEADER,
    A,
    directory_state,
    run_import,
    write_xlsx,
)


def unit(name: str = "新城区审计局", region: str = A, kind: str = "政府部门", **cells: str) -> list[str]:
    row = [name, region, kind, "", "", "", "", "", ""]
    for header, value in cells.items():
        row[UNIT_HEADER.index(header)] = value
    return row


Where = tuple[str, int | None, str]  # sheet, row, column
CASES: dict[str, tuple[dict[str, list[list[Any]]], Where, tuple[str, ...]]] = {
    "missing required columns": (
        {"单位": [["单位名称", "备注"], ["新城区审计局", ""]]},
        ("单位", 1, ""), ("所属区域", "单位类型"),
    ),
    "missing required cell": ({"单位": [UNIT_HEADER, unit(kind="")]}, ("单位", 2, "单位类型"), ()),
    "duplicate name in the file": (
        {"单位": [UNIT_HEADER, unit(), ["新城区审计局", "新城区", "局"]]},
        ("单位", 3, "单位名称"), ("新城区审计局", "2"),
    ),
    "unknown kind": ({"单位": [UNIT_HEADER, unit(kind="研究所")]}, ("单位", 2, "单位类型"), ("研究所",)),
    "unknown yes/no": (
        {"单位": [UNIT_HEADER, unit(行政执法单位="可能")]}, ("单位", 2, "行政执法单位"), ("可能",),
    ),
    "unknown status": ({"单位": [UNIT_HEADER, unit(状态="暂停")]}, ("单位", 2, "状态"), ("暂停",)),
    "unknown flag": (
        {"单位组": [GROUP_HEADER, ["各执法大队", A, "", "执法大队", "", "", ""]]},
        ("单位组", 2, "标记"), ("执法大队",),
    ),
    "unknown region": ({"单位": [UNIT_HEADER, unit(region="火星区")]}, ("单位", 2, "所属区域"), ("火星区",)),
    "region the coordinator does not manage": (
        {"单位": [UNIT_HEADER, unit(region="莲湖区")]}, ("单位", 2, "所属区域"), ("陕西省/西安市/莲湖区",),
    ),
    "unit name too long": (
        {"单位": [UNIT_HEADER, unit(name="局" * 101)]}, ("单位", 2, "单位名称"), ("101", "100"),
    ),
    "phone too long": (
        {"单位": [UNIT_HEADER, unit(联系电话="1" * 41)]}, ("单位", 2, "联系电话"), ("41", "40"),
    ),
    "unknown member unit": (
        {"单位组": [GROUP_HEADER, ["专项组", A, "", "", "", "新城区司法局、新城区不存在局", ""]]},
        ("单位组", 2, "成员单位"), ("新城区不存在局",),
    ),
    "empty group": (
        {"单位组": [GROUP_HEADER, ["空组", A, "", "", "是", "", ""]]}, ("单位组", 2, "成员单位"), (),
    ),
    "unknown alias target": (
        {"别名": [ALIAS_HEADER, ["区审计局", A, "新城区审计局", "", "", ""]]},
        ("别名", 2, "对应单位或单位组"), ("新城区审计局",),
    ),
    "invalid date": (
        {"别名": [ALIAS_HEADER, ["区司法所", A, "新城区司法局", "2019-13-45", "", ""]]},
        ("别名", 2, "生效日期"), ("2019-13-45",),
    ),
    "end before start": (
        {"别名": [ALIAS_HEADER, ["区司法所", A, "新城区司法局", "2020-01-01", "2019/12/31", ""]]},
        ("别名", 2, "失效日期"), ("2019-12-31", "2020-01-01"),
    ),
    "alias overlapping a stored one": (
        {"别名": [ALIAS_HEADER, ["区司法局", A, "新城区发展和改革委员会", "2020-01-01", "", ""]]},
        ("别名", 2, "对应单位或单位组"), ("区司法局", "新城区司法局"),
    ),
    "aliases overlapping within the file": (
        {"别名": [
            ALIAS_HEADER,
            ["区发改委", A, "新城区发展和改革委员会", "2019-01-01", "2020-12-31", ""],
            ["区发改委", A, "新城区司法局", "2020-06-01", "", ""],
        ]},
        ("别名", 3, "对应单位或单位组"), ("区发改委", "2"),
    ),
    "short name already an alias of another unit": (
        {"单位": [UNIT_HEADER, unit(简称="区司法局")]}, ("单位", 2, "简称"), ("区司法局", "新城区司法局"),
    ),
    "example row left in": (
        {"单位": [UNIT_HEADER, [
            "（示例）区统计局", A, "政府部门", "是", "否", "（示例）统计局", "0000-1234567",
            "示例行:导入前请删除", "在用",
        ]]},
        ("单位", 2, ""), (),
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_each_kind_of_bad_row_is_reported_where_it_is_and_nothing_is_written(
    case: str, personas: Any, tmp_path: Path
) -> None:
    sheets, (sheet, row, column), quoted = CASES[case]
    before = directory_state()
    result = run_import(write_xlsx(tmp_path / "bad.xlsx", sheets), personas.coordinator)
    assert not result.applied
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [(sheet, row, column)], result.errors
    for text in quoted:
        assert text in result.errors[0].message
    assert directory_state() == before


def test_every_problem_in_the_file_is_listed_and_the_good_rows_are_not_imported(
    personas: Any, tmp_path: Path
) -> None:
    sheets = {
        "单位": [UNIT_HEADER, unit(name="新城区统计局"), unit(kind="研究所"), unit(name="", region="火星区")],
        # Naming the unit whose row has an error is not a second error.
        "单位组": [GROUP_HEADER, ["审计统计单位", A, "", "", "", "新城区统计局、新城区审计局", ""]],
        "别名": [
            ALIAS_HEADER,
            ["区统计局", A, "新城区统计局", "昨天", "", ""],
            ["区审计局", A, "新城区审计局", "", "", ""],
        ],
    }
    before = directory_state()
    result = run_import(write_xlsx(tmp_path / "bad.xlsx", sheets), personas.coordinator)
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [
        ("单位", 3, "单位类型"), ("单位", 4, "单位名称"), ("单位", 4, "所属区域"), ("别名", 2, "生效日期"),
    ]  # fmt: skip
    assert directory_state() == before


def test_an_ambiguous_region_names_the_candidates_unless_only_one_is_the_importers(
    personas: Any, tmp_path: Path
) -> None:
    with acting_as(None, "test"), transaction.atomic():
        xian = Region.objects.get(name="西安市")
        actions.save_region(None, name="新城区", level="county", parent=xian, code="610102")
    sheets = {"单位": [UNIT_HEADER, unit(region="新城区")]}
    before = directory_state()
    result = run_import(write_xlsx(tmp_path / "a.xlsx", sheets), personas.admin, check_only=True)
    assert [(e.row, e.column) for e in result.errors] == [(2, "所属区域")]
    assert "内蒙古自治区/呼和浩特市/新城区" in result.errors[0].message
    assert "陕西省/西安市/新城区" in result.errors[0].message
    # The coordinator of 呼和浩特 新城区 means their own 新城区.
    mine = run_import(write_xlsx(tmp_path / "b.xlsx", sheets), personas.coordinator, check_only=True)
    assert mine.ok
    assert mine.counts["单位"].created == 1
    assert directory_state() == before


def test_a_coordinator_of_one_region_cannot_import_into_another(personas: Any, tmp_path: Path) -> None:
    sheets = {"单位": [UNIT_HEADER, unit(region="陕西省/西安市/莲湖区", name="莲湖区审计局")]}
    before = directory_state()
    denied = run_import(write_xlsx(tmp_path / "b.xlsx", sheets), personas.coordinator)
    assert [(e.row, e.column) for e in denied.errors] == [(2, "所属区域")]
    assert directory_state() == before
    allowed = run_import(write_xlsx(tmp_path / "b.xlsx", sheets), personas.coordinator_b)
    assert allowed.applied
    assert allowed.counts["单位"].created == 1
