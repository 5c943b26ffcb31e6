"""A .csv holds one table, recognised by its header row, in whatever encoding Excel or WPS saved it."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from fazhi.orgs.models import Alias, Unit, UnitGroup
from fazhi.orgs.tests.test_import_units import (
    ALIAS_HEADER,
    GROUP_HEADER,
    UNIT_HEADER,
    run_import,
    write_csv,
    write_xlsx,
)


def test_a_csv_in_gbk_and_in_utf8_with_bom_is_read_as_the_table_its_header_names(
    personas: Any, tmp_path: Path
) -> None:
    rows = [
        ["新城区单位名录（2024年）"],  # a title line above the column names
        ["序号", "单位名称 ", "所属区域", "单位类型（必填）", "行政执法单位"],
        ["1", "新城区统计局", "内蒙古自治区 > 呼和浩特市 > 新城区", "政府部门", "否"],
    ]
    gbk = run_import(write_csv(tmp_path / "单位.csv", rows, "gbk"), personas.coordinator)
    assert gbk.ok, gbk.errors
    assert gbk.sheets == ["单位"]
    assert gbk.ignored_columns == {"单位": ["序号"]}
    assert Unit.objects.get(name="新城区统计局").kind == "department"

    aliases = [ALIAS_HEADER, ["区统计局", "新城区", "新城区统计局", "2021-01-01", "", "简称"]]
    bom = run_import(write_csv(tmp_path / "别名.csv", aliases, "utf-8-sig"), personas.coordinator)
    assert bom.ok, bom.errors
    assert bom.sheets == ["别名"]
    alias = Alias.objects.get(name="区统计局")
    assert alias.unit is not None
    assert (alias.unit.name, alias.valid_from, alias.note) == (
        "新城区统计局",
        datetime.date(2021, 1, 1),
        "简称",
    )


def test_excels_unicode_text_export_tab_separated_utf16_is_read_too(personas: Any, tmp_path: Path) -> None:
    groups = [GROUP_HEADER, ["各政府部门", "新城区", "部门、政府办", "", "否", "", ""]]
    result = run_import(write_csv(tmp_path / "单位组.txt", groups, "utf-16", "\t"), personas.coordinator)
    assert result.ok, result.errors
    group = UnitGroup.objects.get(name="各政府部门")
    assert group.kinds == ["department", "government_office"]


def test_a_workbook_saved_under_a_csv_name_is_read_as_the_workbook_it_is(
    personas: Any, tmp_path: Path
) -> None:
    workbook = write_xlsx(
        tmp_path / "book.xlsx", {"单位": [UNIT_HEADER[:3], ["新城区档案馆", "新城区", "其他"]]}
    )
    renamed = tmp_path / "单位.csv"
    renamed.write_bytes(workbook.read_bytes())
    result = run_import(renamed, personas.coordinator)
    assert result.ok, result.errors
    assert Unit.objects.get(name="新城区档案馆").kind == "other"
