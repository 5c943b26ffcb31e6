"""The plan as a 任务台账: the Excel ledger the coordinating office keeps, prints and sends round to units.

Layout of the 任务台账 sheet (the one the plan reader reads back):

- row 1: the plan's title + 任务台账, merged across the table;
- row 2: the header 序号 | 一级指标 | [二级指标] | 主要任务 | 牵头单位 | 责任单位 | 配合单位 | 目标要求 |
  完成时限 | 进展情况 | 佐证材料 (二级指标 only when some task sits three levels deep);
- one row per task, in plan order: 序号 is the task's own number as written (（一）, 1.), 一级指标 and
  二级指标 the area headings with their numbers (merged vertically over their tasks), 主要任务 the title
  (bold) on its first line and the text below, the three unit columns the names as the plan writes them
  (、-separated), 目标要求 the targets as written, 完成时限 the deadlines as written (one per line);
  进展情况 and 佐证材料 are left empty for units to fill in.

A published plan gets a second sheet, 单位分工: one row per assignment (unit × task × role), the resolved
view.

Headers and sheet names are the ledger's fixed Chinese wording, not interface text: the plan reader recognises
the columns by these words, whatever language the interface is in.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from fazhi.docparse.outline import match_label
from fazhi.docparse.text import fold

from .models import Assignment, Plan, PlanStatus, Task, TaskKind, UnitRole

LEDGER_SHEET = "任务台账"
DIVISION_SHEET = "单位分工"
TITLE_SUFFIX = "任务台账"

_CN_LABEL = re.compile(r"[一二三四五六七八九十]{1,3}")
_PAREN_LABEL = re.compile(r"\(([一二三四五六七八九十]{1,3}|\d{1,2})\)")

ROLE_WORDS = {UnitRole.LEAD: "牵头", UnitRole.RESPONSIBLE: "责任", UnitRole.COOPERATING: "配合"}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float  # Excel character widths; a Chinese character takes about two


def _columns(with_second_level: bool) -> list[Column]:
    columns = [
        Column("seq", "序号", 7),
        Column("l1", "一级指标", 18),
        Column("l2", "二级指标", 18),
        Column("task", "主要任务", 58),
        Column("lead", "牵头单位", 14),
        Column("resp", "责任单位", 18),
        Column("coop", "配合单位", 14),
        Column("target", "目标要求", 16),
        Column("deadline", "完成时限", 12),
        Column("progress", "进展情况", 30),
        Column("evidence", "佐证材料", 18),
    ]
    return [c for c in columns if with_second_level or c.key != "l2"]


@dataclass
class _Row:
    task: Task
    seq: str
    l1: str
    l2: str
    title: str
    text: str
    units: dict[str, list[str]] = field(default_factory=dict)
    targets: list[str] = field(default_factory=list)
    deadlines: list[str] = field(default_factory=list)


def ledger_title(plan: Plan) -> str:
    """The title row: the plan's title + 任务台账 (a plan imported from a ledger already ends with 台账)."""
    title = plan.title.strip()
    return title if title.endswith("台账") else f"{title}{TITLE_SUFFIX}"


def ledger_filename(plan: Plan) -> str:
    """A file name for the download: the title row's text, .xlsx."""
    name = "".join(ch for ch in ledger_title(plan) if ch not in '\\/:*?"<>|').strip()
    return f"{name or TITLE_SUFFIX}.xlsx"


def export_ledger(plan: Plan) -> bytes:
    """The plan's 任务台账 as .xlsx bytes (layout in the module docstring).

    Unit names are written as the plan writes them, for a draft and a published plan alike, so that the file
    reads back into the same tasks; a published plan also gets the 单位分工 sheet from its assignments.
    """
    from openpyxl import Workbook

    tasks = list(
        plan.tasks.order_by("position", "pk").prefetch_related("named_units", "targets", "deadlines")
    )
    rows = _rows(tasks)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = LEDGER_SHEET
    _write_ledger(sheet, ledger_title(plan), rows)
    if plan.status == PlanStatus.PUBLISHED:
        assignments = (
            Assignment.objects.filter(task__plan=plan)
            .select_related("unit", "via_group", "task")
            .order_by("unit__sort_order", "unit__name", "unit_id", "task__position")
        )
        _write_division(workbook.create_sheet(DIVISION_SHEET), assignments)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- rows ---------------------------------------------------------------------------------------------------


def _rows(tasks: list[Task]) -> list[_Row]:
    by_pk = {task.pk: task for task in tasks}
    rows: list[_Row] = []
    for task in tasks:
        if task.kind != TaskKind.TASK:
            continue
        ancestors = _ancestors(task, by_pk)
        l1 = _heading(ancestors[0]) if ancestors else ""
        l2 = _heading(ancestors[1]) if len(ancestors) > 1 else ""
        # Deeper outlines (rare: sub-items usually fold into their task) keep their extra labels in 序号.
        own = task.path[len(ancestors[:2]) :] if task.path else []
        units: dict[str, list[str]] = {role: [] for role in ROLE_WORDS}
        for named in sorted(task.named_units.all(), key=lambda u: u.position):
            units.setdefault(named.role, []).append(named.name)
        rows.append(
            _Row(
                task=task,
                seq="".join(written_label(part) for part in own).rstrip("、"),
                l1=l1,
                l2=l2,
                title=task.title.strip(),
                text=task.text.strip(),
                units=units,
                targets=[t.text for t in sorted(task.targets.all(), key=lambda t: t.position)],
                deadlines=[d.text for d in sorted(task.deadlines.all(), key=lambda d: d.position)],
            )
        )
    return rows


def _ancestors(task: Task, by_pk: dict[int, Task]) -> list[Task]:
    chain: list[Task] = []
    parent_id = task.parent_id
    while parent_id is not None and parent_id in by_pk and len(chain) < 20:
        parent = by_pk[parent_id]
        chain.append(parent)
        parent_id = parent.parent_id
    return list(reversed(chain))


def written_label(label: str) -> str:
    """A path label the way a Chinese document writes it: 一 → 一、, (一) → （一）, 1 → 1., (1) → （1）."""
    folded = fold(label).strip()
    if _CN_LABEL.fullmatch(folded):
        return f"{folded}、"
    if match := _PAREN_LABEL.fullmatch(folded):
        return f"（{match[1]}）"
    if folded.isascii() and folded.isdigit():
        return f"{folded}."
    if folded.endswith(")") and folded[:-1].isascii() and folded[:-1].isdigit():
        return f"{folded[:-1]}）"
    return label


def _reference(path: Sequence[str]) -> str:
    """A task's full number for a cross-reference, without trailing marks: 三（二）, 二（一）1."""
    return "".join(written_label(part).rstrip("、.") for part in path)


def _heading(area: Task) -> str:
    """An area's heading with its number in front, as the plan prints it: 一、围绕全区重点工作，…"""
    title = area.title.strip()
    label = area.path[-1] if area.path else ""
    if not label or (title and match_label(fold(title)) is not None):
        return title or label
    return f"{written_label(label)}{title}" if title else written_label(label).rstrip("、.")


# --- the ledger sheet ---------------------------------------------------------------------------------------


def _write_ledger(sheet: Any, title: str, rows: list[_Row]) -> None:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    columns = _columns(with_second_level=any(row.l2 for row in rows))
    index = {column.key: number for number, column in enumerate(columns, start=1)}
    last = get_column_letter(len(columns))
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    top_left = Alignment(wrap_text=True, vertical="top", horizontal="left")
    centred = Alignment(wrap_text=True, vertical="center", horizontal="center")

    sheet.merge_cells(f"A1:{last}1")
    head = sheet.cell(row=1, column=1, value=title)
    head.font = Font(bold=True, size=16)
    head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[1].height = 36
    for number, column in enumerate(columns, start=1):
        cell = sheet.cell(row=2, column=number, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.alignment = centred
        cell.border = border
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.row_dimensions[2].height = 24

    first_row = 3
    for offset, row in enumerate(rows):
        number = first_row + offset
        values: dict[str, Any] = {
            "seq": row.seq,
            "l1": row.l1,
            "l2": row.l2,
            "lead": "、".join(row.units.get(UnitRole.LEAD, [])),
            "resp": "、".join(row.units.get(UnitRole.RESPONSIBLE, [])),
            "coop": "、".join(row.units.get(UnitRole.COOPERATING, [])),
            "target": "\n".join(row.targets),
            "deadline": "\n".join(row.deadlines),
        }
        for key, value in values.items():
            if key in index:
                _set_text(sheet.cell(row=number, column=index[key]), value)
        task_cell = sheet.cell(row=number, column=index["task"])
        if row.title and row.text and row.text != row.title:
            task_cell.value = CellRichText(
                TextBlock(InlineFont(b=True), row.title), TextBlock(InlineFont(), f"\n{row.text}")
            )
        else:
            _set_text(task_cell, row.text or row.title)
        for key, column_number in index.items():
            cell = sheet.cell(row=number, column=column_number)
            cell.border = border
            cell.alignment = centred if key in ("seq", "l1", "l2", "deadline") else top_left
        sheet.row_dimensions[number].height = _row_height(row, columns)

    end = first_row + len(rows) - 1
    for key in ("l1", "l2"):
        if key in index:
            _merge_runs(sheet, index[key], first_row, [getattr(row, key) for row in rows])

    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.print_area = f"A1:{last}{max(end, 2)}"
    _print_setup(sheet)


def _set_text(cell: Any, value: str) -> None:
    cell.value = value or None
    if value.startswith("="):
        # Text that Excel would take for a formula stays text.
        cell.data_type = "s"


def _merge_runs(sheet: Any, column: int, first_row: int, values: Sequence[str]) -> None:
    start = 0
    for position in range(1, len(values) + 1):
        if position == len(values) or values[position] != values[start]:
            if values[start] and position - start > 1:
                sheet.merge_cells(
                    start_row=first_row + start, start_column=column,
                    end_row=first_row + position - 1, end_column=column,
                )  # fmt: skip
            start = position


def _row_height(row: _Row, columns: list[Column]) -> float:
    """Excel does not grow rows for wrapped text it did not lay out itself: estimate the lines each cell
    needs (a Chinese character is two width units) and take the tallest."""
    texts = {
        "task": f"{row.title}\n{row.text}" if row.title and row.text != row.title else row.text,
        "lead": "、".join(row.units.get(UnitRole.LEAD, [])),
        "resp": "、".join(row.units.get(UnitRole.RESPONSIBLE, [])),
        "coop": "、".join(row.units.get(UnitRole.COOPERATING, [])),
        "target": "\n".join(row.targets),
        "deadline": "\n".join(row.deadlines),
    }
    lines = 1
    for column in columns:
        text = texts.get(column.key)
        if text:
            lines = max(lines, _lines_needed(text, column.width))
    return min(409.0, 15.0 * lines + 4)


def _lines_needed(text: str, width: float) -> int:
    usable = max(width - 1.5, 2.0)
    total = 0
    for paragraph in text.split("\n"):
        units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in paragraph)
        total += max(1, math.ceil(units / usable))
    return total


def _print_setup(sheet: Any) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


# --- the 单位分工 sheet -------------------------------------------------------------------------------------


def _write_division(sheet: Any, assignments: Iterable[Assignment]) -> None:
    """Unit × task × role from the assignments. Its columns are not a ledger's (no 主要任务 header, another
    width), so reading the workbook back takes the tasks from the 任务台账 sheet only."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    headers = [("单位", 26), ("分工", 8), ("任务编号", 12), ("任务", 60), ("经由", 20)]
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, (header, width) in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=number, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = border
        sheet.column_dimensions[get_column_letter(number)].width = width
    number = 1
    for assignment in assignments:
        task = assignment.task
        number += 1
        values = [
            assignment.unit.name,
            ROLE_WORDS.get(UnitRole(assignment.role), assignment.role),
            # Written without trailing marks (三（二）), so that the cell does not read as a numbered item.
            _reference(task.path),
            task.title or task.text[:60],
            assignment.via_group.name if assignment.via_group else "",
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=column)
            _set_text(cell, value)
            cell.alignment = wrap
            cell.border = border
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    _print_setup(sheet)
