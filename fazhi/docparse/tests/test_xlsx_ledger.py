"""Excel ledgers (任务台账): header row found under a title row, merged 一级指标 cells filled down."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from fazhi.docparse import parse_plan_file
from fazhi.docparse.tests.builders import LEDGER_HEADER, LEDGER_ROWS, write_xlsx


def test_xlsx_ledger_with_merged_cells(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "ledger.xlsx", "某区2024年法治政府建设重点任务台账", LEDGER_HEADER, LEDGER_ROWS, 1
    )
    result = parse_plan_file(path)
    assert result["title"] == "某区2024年法治政府建设重点任务台账"
    assert (result["kind"], result["year"]) == ("plan", 2024)
    tasks = result["tasks"]
    assert [t["path"] for t in tasks] == [["一", "(一)", "1"], ["一", "(二)", "2"], ["二", "(一)", "3"]]
    assert tasks[1]["lead_units"] == ["区委依法治区办"]
    assert tasks[2]["units"] == ["区司法局", "各行政执法单位"]


def test_ledger_with_cooperating_column_and_roles_inside_cells(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["序号", "工作任务", "责任单位", "配合单位", "完成时间"])
    sheet.append(
        [
            1,
            "开展行政执法案卷评查，每季度一次。",
            "区司法局（牵头）、区市场监管局",
            "各街道办事处",
            "每季度末",
        ]
    )
    sheet.append([2, "做好行政复议应诉工作。", "区司法局", None, "2024年6月30日前"])
    sheet.append([3.0, "推进智慧执法平台建设。", "区政数局牵头，各行政执法单位配合", None, "下半年"])
    path = tmp_path / "ledger.xlsx"
    workbook.save(path)
    tasks = parse_plan_file(path, 2024)["tasks"]
    assert [t["path"] for t in tasks] == [["1"], ["2"], ["3"]]
    assert tasks[0]["lead_units"] == ["区司法局"]
    assert tasks[0]["cooperating_units"] == ["各街道办事处"]
    assert tasks[0]["recurrence"] == "quarterly"
    assert tasks[1]["deadlines"][0]["date"] == "2024-06-30"
    assert tasks[2]["lead_units"] == ["区政数局"]
    assert tasks[2]["cooperating_units"] == ["各行政执法单位"]
    assert tasks[2]["deadlines"][0]["date"] == "2024-12-31"


def test_section_rows_spanning_the_table_set_the_area(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["序号", "主要任务", "牵头单位", "完成时限"])
    sheet.append(["一、加强党的领导", None, None, None])
    sheet.merge_cells("A2:D2")
    sheet.append([1, "学习贯彻习近平法治思想。", "区委依法治区办", "年底前"])
    sheet.append(["二、规范行政执法", None, None, None])
    sheet.merge_cells("A4:D4")
    sheet.append([1, "推行三项制度。", "区司法局", "年底前"])
    path = tmp_path / "sections.xlsx"
    workbook.save(path)
    tasks = parse_plan_file(path, 2024)["tasks"]
    assert [t["path"] for t in tasks] == [["一", "1"], ["二", "1"]]


def test_xlsx_without_a_ledger_header_is_not_a_plan(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["姓名", "电话"])
    sheet.append(["张三", "123"])
    path = tmp_path / "contacts.xlsx"
    workbook.save(path)
    assert parse_plan_file(path)["kind"] == "other"
