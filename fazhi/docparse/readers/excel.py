"""Read an .xlsx ledger (任务台账): every sheet is a table, merged cells filled from their top-left cell."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from fazhi.docparse.blocks import RawBlock
from fazhi.docparse.errors import DocumentError

# A ledger has tens or hundreds of rows; past these limits the file is not a plan ledger.
MAX_ROWS = 20000
MAX_COLUMNS = 60


def read_xlsx(data: bytes) -> list[RawBlock]:
    """Blocks of an .xlsx that ``safety.check_zip`` and ``check_zip_xml`` have already passed."""
    import openpyxl  # imported here so that reading text files never pays for openpyxl

    try:
        # Not read-only: merged cell ranges are only available on a fully loaded sheet.
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook; all mean the same here
        raise DocumentError(
            "Excel 表格已损坏或不是有效的 .xlsx 文件:请用 Excel/WPS 打开后重新保存再导入。"
        ) from exc
    blocks: list[RawBlock] = []
    for table_id, sheet in enumerate(workbook.worksheets):
        if sheet.sheet_state != "visible":
            continue
        blocks.extend(_sheet_rows(sheet, table_id))
    workbook.close()
    return blocks


def _sheet_rows(sheet: Any, table_id: int) -> list[RawBlock]:
    max_row = min(sheet.max_row or 0, MAX_ROWS)
    max_col = min(sheet.max_column or 0, MAX_COLUMNS)
    grid: list[list[str]] = [
        [_cell_text(value) for value in row]
        for row in sheet.iter_rows(min_row=1, max_row=max_row, max_col=max_col, values_only=True)
    ]
    for merged in sheet.merged_cells.ranges:
        top = _at(grid, merged.min_row - 1, merged.min_col - 1)
        for r in range(merged.min_row - 1, min(merged.max_row, max_row)):
            for c in range(merged.min_col - 1, min(merged.max_col, max_col)):
                if r < len(grid) and c < len(grid[r]):
                    grid[r][c] = top
    return [RawBlock(cells=tuple(row), table=table_id) for row in grid if any(cell.strip() for cell in row)]


def _at(grid: list[list[str]], row: int, column: int) -> str:
    if 0 <= row < len(grid) and 0 <= column < len(grid[row]):
        return grid[row][column]
    return ""


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
