"""The 任务台账 export: the layout a Chinese office expects, merged areas, units by role, print settings."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock

from fazhi.audit.recorder import acting_as
from fazhi.plans import actions
from fazhi.plans.ledger import export_ledger, ledger_filename
from fazhi.plans.models import Assignment, Plan, TaskKind
from fazhi.testing import Personas, make_plan

SEEDS = Path(__file__).parents[2] / "docparse" / "tests" / "fixtures" / "seeds"
HEADER = ["序号", "一级指标", "主要任务", "牵头单位", "责任单位", "配合单位",
          "目标要求", "完成时限", "进展情况", "佐证材料"]  # fmt: skip


def _seed_plan(personas: Personas, number: str = "000", year: int = 2024) -> Plan:
    region = personas.region_a if number == "000" else personas.region_b
    return make_plan(region, next(SEEDS.glob(f"{number}_*.txt")).read_text("utf-8"), year=year)


def _open(data: bytes, rich: bool = False) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data), rich_text=rich)


def _rows(sheet: Any) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(min_row=3, values_only=True))


def test_title_row_and_header_row_in_the_ledger_layout(personas: Personas) -> None:
    workbook = _open(export_ledger(_seed_plan(personas)))
    assert workbook.sheetnames == ["任务台账"]
    sheet = workbook["任务台账"]
    assert sheet["A1"].value == "新城区2024年法治政府建设工作计划任务台账"
    assert "A1:J1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [cell.value for cell in sheet[2]] == HEADER
    assert all(cell.font.b for cell in sheet[2])
    assert len(_rows(sheet)) == 30


def test_area_cells_carry_the_numbered_heading_and_are_merged_over_their_tasks(personas: Personas) -> None:
    sheet = _open(export_ledger(_seed_plan(personas)))["任务台账"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # 一 has three tasks (rows 3–5), 二 four (6–9), 三 four (10–13); every area is merged over its tasks.
    assert {"B3:B5", "B6:B9", "B10:B13"} <= merged
    assert len([r for r in merged if r.startswith("B")]) == 9
    assert sheet["B3"].value == "一、围绕全区重点工作,全面加强党的领导"
    assert sheet["B6"].value == "二、做好诚信建设工程,打造良好信用口碑"
    assert sheet["B3"].alignment.vertical == "center"


def test_task_rows_hold_number_title_text_units_by_role_targets_and_empty_progress(
    personas: Personas,
) -> None:
    plan = _seed_plan(personas)
    data = export_ledger(plan)
    sheet = _open(data)["任务台账"]
    rows = _rows(sheet)
    seq, area, task, lead, responsible, cooperating, targets, deadline, progress, evidence = rows[16]
    # Row 19 is 五(三): its area cell is covered by the merge that starts on 五's first task, row 17.
    assert (seq, area) == ("（三）", None)
    assert "B17:B21" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["B17"].value == "五、严格规范行政执法,执法行为公正文明"
    assert task.startswith("深入落实行政执法制度\n全面推行行政执法公示制度")
    assert task.endswith("不可少于本单位执法人员总数的5%。")
    assert (lead, responsible, cooperating) == ("各行政执法单位", None, None)
    assert targets == "达100%\n不可少于本单位执法人员总数的5%"
    assert (deadline, progress, evidence) == (None, None, None)
    # Several responsible units, none leading: 、-separated in the plan's order.
    assert rows[8][4] == "区政数局、区住建局、区教育局、区财政局、各行政执法单位"
    assert rows[8][3] is None
    # The title is bold on the first line of the task cell.
    rich = _open(data, rich=True)["任务台账"]["C19"].value
    assert isinstance(rich, CellRichText)
    title = rich[0]
    assert isinstance(title, TextBlock)
    assert title.text == "深入落实行政执法制度"
    assert title.font.b


def test_the_sheet_prints_landscape_on_a4_one_page_wide_with_the_header_repeated(personas: Personas) -> None:
    sheet = _open(export_ledger(_seed_plan(personas)))["任务台账"]
    setup = sheet.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.paperSize) == int(sheet.PAPERSIZE_A4) == 9
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.freeze_panes == "A3"
    assert sheet["C3"].alignment.wrap_text
    assert sheet["E3"].alignment.wrap_text
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJ"}
    assert widths["C"] >= 50 > widths["A"]
    assert widths["I"] >= 25  # room for units to write their progress
    # Row heights are set for the text they hold: the longest task needs the tallest row.
    assert sheet.row_dimensions[11].height > sheet.row_dimensions[4].height > 20


def test_a_three_level_plan_gets_a_second_level_column_and_deadlines_one_per_line(personas: Personas) -> None:
    sheet = _open(export_ledger(_seed_plan(personas, "002", 2017)))["任务台账"]
    assert [cell.value for cell in sheet[2]][:4] == ["序号", "一级指标", "二级指标", "主要任务"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "B3:B41" in merged
    assert "C3:C7" in merged
    rows = _rows(sheet)
    assert rows[0][:3] == ("1.", "二、主要任务", "（一）加强组织领导。")
    assert rows[2][8] == "11月底前\n12月底前"
    assert rows[5][4:8] == ("区法制办", "区政府各部门、各单位", "区政府办", "不少于4次\n不少于6次")


def test_a_published_plan_gets_the_division_sheet_from_its_assignments(personas: Personas) -> None:
    draft = make_plan(personas.region_a)
    assert _open(export_ledger(draft)).sheetnames == ["任务台账"]
    plan = make_plan(personas.region_a, publish=True)
    workbook = _open(export_ledger(plan))
    assert workbook.sheetnames == ["任务台账", "单位分工"]
    division = workbook["单位分工"]
    assert [cell.value for cell in division[1]] == ["单位", "分工", "任务编号", "任务", "经由"]
    rows = set(division.iter_rows(min_row=2, values_only=True))
    expected = {
        (a.unit.name, {"lead": "牵头", "responsible": "责任", "cooperating": "配合"}[a.role],
         "".join({"一": "一", "二": "二", "(一)": "（一）", "(二)": "（二）"}[p] for p in a.task.path),
         a.task.title, a.via_group.name if a.via_group else None)
        for a in Assignment.objects.filter(task__plan=plan).select_related("unit", "task", "via_group")
    }  # fmt: skip
    assert len(expected) == 5
    assert rows == expected
    assert ("保合少镇人民政府", "责任", "二（一）", "加强执法人员培训", "各行政执法单位") in rows
    # The ledger sheet still shows the names as the plan writes them, the confirmed non-unit included.
    assert "区海洋局" in [row[5] for row in _rows(workbook["任务台账"])]


def test_text_that_looks_like_a_formula_stays_text(personas: Personas) -> None:
    plan = make_plan(personas.region_a)
    task = plan.tasks.filter(kind=TaskKind.TASK).order_by("position").first()
    assert task is not None
    with acting_as(personas.coordinator, "test"):
        actions.update_task(task, "", '=HYPERLINK("http://example.com","点此")')
    cell = _open(export_ledger(plan))["任务台账"]["C3"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://example.com","点此")'


def test_the_file_name_and_title_do_not_repeat_the_ledger_suffix(personas: Personas) -> None:
    plan = make_plan(personas.region_a)
    assert ledger_filename(plan) == "新城区2025年法治政府建设工作计划任务台账.xlsx"
    plan.title = "某区2025年法治政府建设任务台账"
    assert ledger_filename(plan) == "某区2025年法治政府建设任务台账.xlsx"
    plan.title = "新城区/2025:计划"
    assert ledger_filename(plan) == "新城区2025计划任务台账.xlsx"
