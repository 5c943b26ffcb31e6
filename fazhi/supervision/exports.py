"""Excel (.xlsx) exports of the supervision lists: one function per list, each writing one sheet.

Headers are written in Chinese, as the office's own ledgers are (like `fazhi.plans.ledger`); the header row is
frozen and every column has a width. Rates are stored as numbers formatted as percentages, so the office can
sort and sum them. No export holds what a unit wrote in a report: lists name the task, the dates and the
status only.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from fazhi.lib.workdays import Calendar
from fazhi.orgs.models import Unit
from fazhi.plans.models import Plan

from .dashboards import AreaRow, OverdueUnit, PlanFigures, Ratio, Trend, UnitRow, mark_cards, visible_status
from .models import Report
from .scoring import Assessment, UnitScore

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CARD_WORDS = {"yellow": "黄牌", "red": "红牌", "": ""}

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # Excel character widths; a Chinese character takes about two
    format: str = ""  # an Excel number format ("0.0%", POINTS, "yyyy-mm-dd")


def _sheet(workbook: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> Any:
    sheet = workbook.create_sheet(title[:31])
    for number, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=number, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    count = 0
    for count, values in enumerate(rows, start=1):
        for number, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = sheet.cell(row=count + 1, column=number, value=_cell_value(value))
            cell.border = _BORDER
            if column.format:
                cell.number_format = column.format
            elif isinstance(value, str):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    if count:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    return sheet


def _cell_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and value[:1] in "=+-@":
        return "'" + value  # never let a name read as a formula
    return value


def _book() -> Workbook:
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    return workbook


def _bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(plan: Plan, what: str, unit: Unit | None = None) -> str:
    name = f"{plan.year}年{unit.name + '_' if unit else ''}{what}.xlsx"
    return "".join(ch for ch in name if ch not in '\\/:*?"<>|')


def _rate(ratio: Ratio) -> Decimal | None:
    return ratio.rate


def _task_label(report: Report) -> str:
    return "".join(report.task.path)


# --- the lists ----------------------------------------------------------------------------------------------

PERCENT = "0.0%"
POINTS = "0.00"
DATE = "yyyy-mm-dd"


def write_areas(workbook: Workbook, rows: Iterable[AreaRow]) -> Any:
    columns = [
        Column("工作领域", 36), Column("任务数", 9), Column("已完成任务", 11),
        Column("任务完成率", 11, PERCENT), Column("分工数", 9), Column("已完成分工", 11),
        Column("分工完成率", 11, PERCENT),
    ]  # fmt: skip
    return _sheet(workbook, "按领域", columns, (
        (row.area.label, row.tasks.total, row.tasks.done, _rate(row.tasks),
         row.assignments.total, row.assignments.done, _rate(row.assignments))
        for row in rows
    ))  # fmt: skip


def write_units(workbook: Workbook, rows: Iterable[UnitRow]) -> Any:
    columns = [
        Column("单位", 30), Column("分工数", 9), Column("已完成", 9), Column("完成率", 10, PERCENT),
        Column("报告数", 9), Column("按时报送", 10), Column("应计报告", 10), Column("按时率", 10, PERCENT),
        Column("逾期(黄牌)", 11), Column("逾期(红牌)", 11),
    ]  # fmt: skip
    return _sheet(workbook, "按单位", columns, (
        (row.name, row.assignments.total, row.assignments.done, _rate(row.assignments), row.reports,
         row.on_time.done, row.on_time.total, _rate(row.on_time), row.yellow, row.red)
        for row in rows
    ))  # fmt: skip


def write_heatmap(workbook: Workbook, figures: PlanFigures) -> Any:
    areas = [row.area for row in figures.areas]
    columns = [Column("单位", 30), *(Column(area.label, 14, PERCENT) for area in areas)]
    return _sheet(workbook, "单位×领域完成率", columns, (
        (unit.name, *(_rate(unit.by_area[area.key]) if area.key in unit.by_area else None for area in areas))
        for unit in figures.units
    ))  # fmt: skip


def write_trend(workbook: Workbook, trend: Trend) -> Any:
    columns = [Column("月份", 12), Column("累计完成分工", 14), Column("当月通过报告", 14)]
    return _sheet(workbook, "趋势", columns, zip(trend.labels, trend.completed, trend.accepted, strict=True))


def write_overdue(workbook: Workbook, reports: Iterable[Report], today: datetime.date, calendar: Calendar,
                  private: bool) -> Any:  # fmt: skip
    columns = [
        Column("序号", 7), Column("单位", 28), Column("任务编号", 12), Column("任务", 40),
        Column("报送轮次", 16), Column("截止日期", 12, DATE), Column("红牌日期", 12, DATE),
        Column("状态", 14), Column("督办等级", 10), Column("逾期工作日", 11),
    ]  # fmt: skip

    def rows() -> Iterable[Sequence[Any]]:
        batch: list[Report] = []
        number = 0
        known: dict[datetime.date, int] = {}
        for report in reports:
            batch.append(report)
            if len(batch) == 500:
                for row in mark_cards(batch, today, calendar, known):
                    number += 1
                    yield _overdue_row(number, row, private)
                batch = []
        for row in mark_cards(batch, today, calendar, known):
            number += 1
            yield _overdue_row(number, row, private)

    return _sheet(workbook, "逾期清单", columns, rows())


def _overdue_row(number: int, report: Any, private: bool) -> Sequence[Any]:
    return (
        number, report.unit.name, _task_label(report), report.task.title, report.round.name,
        report.due_date, report.red_date, visible_status(report, private)[1],
        CARD_WORDS[report.current_card], report.workdays_overdue,
    )  # fmt: skip


def write_overdue_units(workbook: Workbook, rows: Iterable[OverdueUnit]) -> Any:
    columns = [Column("单位", 30), Column("黄牌", 8), Column("红牌", 8), Column("合计", 8),
               Column("最早截止日期", 14, DATE)]  # fmt: skip
    return _sheet(workbook, "逾期单位", columns, (
        (row.name, row.yellow, row.red, row.total, row.oldest) for row in rows
    ))  # fmt: skip


def write_statuses(workbook: Workbook, counts: Iterable[tuple[str, str, int]]) -> Any:
    columns = [Column("状态", 20), Column("报告数", 10)]
    return _sheet(workbook, "报告状态", columns, ((label, n) for _status, label, n in counts))


def write_ranking(workbook: Workbook, rows: Iterable[UnitScore]) -> Any:
    columns = [
        Column("排名", 7), Column("单位", 30),
        Column("已完成分工", 11), Column("分工数", 9), Column("完成率", 10, PERCENT),
        Column("完成得分", 10, POINTS),
        Column("按时报送", 10), Column("应计报告", 10), Column("按时率", 10, PERCENT),
        Column("及时得分", 10, POINTS),
        Column("质量均分", 10, POINTS), Column("评分次数", 10), Column("质量得分", 10, POINTS),
        Column("红牌数", 8), Column("红牌扣分", 10, POINTS),
        Column("加分(录入)", 11, POINTS), Column("加分(计入)", 11, POINTS), Column("减分", 9, POINTS),
        Column("总分", 10, POINTS),
    ]  # fmt: skip
    return _sheet(workbook, "考核排名", columns, (
        (row.rank, row.name,
         row.input.completed, row.input.assignments, row.completion_rate, row.completion,
         row.input.on_time, row.input.timed, row.on_time_rate, row.timeliness,
         row.average_quality, row.input.rated, row.quality,
         row.input.red_cards, row.red_cards,
         row.input.bonus, row.bonus, row.deductions,
         row.score)
        for row in rows
    ))  # fmt: skip


def write_adjustments(workbook: Workbook, rows: Iterable[UnitScore]) -> Any:
    columns = [Column("单位", 30), Column("分值", 9, POINTS), Column("理由", 50), Column("录入人", 16),
               Column("录入时间", 18, "yyyy-mm-dd hh:mm")]  # fmt: skip
    return _sheet(workbook, "加减分明细", columns, (
        (row.name, entry.points, entry.reason,
         entry.created_by.get_full_name() if entry.created_by else "",
         _local_naive(entry.created_at))
        for row in rows for entry in row.adjustments
    ))  # fmt: skip


def write_weights(workbook: Workbook, assessment: Assessment) -> Any:
    weights = assessment.weights
    columns = [Column("评分项", 36), Column("分值", 10, POINTS)]
    return _sheet(workbook, "评分规则", columns, [
        ("任务完成率 × 分值", weights.completion),
        ("按时报送率 × 分值", weights.timeliness),
        ("质量均分 ÷ 5 × 分值", weights.quality),
        ("每张红牌扣分", weights.red_card),
        ("加分上限", weights.max_bonus),
    ])  # fmt: skip


def _local_naive(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value).replace(tzinfo=None)


# --- the workbooks each page offers -------------------------------------------------------------------------


def export_dashboard(figures: PlanFigures, trend: Trend) -> bytes:
    workbook = _book()
    write_areas(workbook, figures.areas)
    write_units(workbook, figures.units)
    write_heatmap(workbook, figures)
    write_trend(workbook, trend)
    return _bytes(workbook)


def export_overdue(units: Iterable[OverdueUnit], reports: Iterable[Report], today: datetime.date,
                   calendar: Calendar, private: bool = False) -> bytes:  # fmt: skip
    workbook = _book()
    write_overdue(workbook, reports, today, calendar, private)
    write_overdue_units(workbook, units)
    return _bytes(workbook)


def export_assessment(assessment: Assessment) -> bytes:
    workbook = _book()
    write_ranking(workbook, assessment.rows)
    write_adjustments(workbook, assessment.rows)
    write_weights(workbook, assessment)
    return _bytes(workbook)


def export_unit(areas: Iterable[AreaRow], counts: Iterable[tuple[str, str, int]], reports: Iterable[Report],
                today: datetime.date, calendar: Calendar, private: bool, trend: Trend) -> bytes:  # fmt: skip
    workbook = _book()
    write_overdue(workbook, reports, today, calendar, private)
    write_areas(workbook, areas)
    write_statuses(workbook, counts)
    write_trend(workbook, trend)
    return _bytes(workbook)
