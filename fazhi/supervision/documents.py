"""Word documents of chasing, in the style of official documents (GB/T 9704, lightly): the supervision notice
(督办单) a unit receives, and the office's monthly circular (通报) of late units.

A4 with the standard margins, 仿宋 body text in 三号 (16 pt) on a fixed 28 pt line, the title in 小标宋
二号 (22 pt), table headings in 黑体. Fonts are named for East Asian text too, so Word does not fall back to a
Latin font; a computer without 方正小标宋 shows the title in a substitute, which is what offices expect.
"""

from __future__ import annotations

import datetime
import io

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from fazhi.orgs.models import Region

from .chasing import circular_rows, month_bounds, notice_rows, red_card_days
from .models import SupervisionNotice

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
BODY_SIZE = Pt(16)
TABLE_SIZE = Pt(12)


def office_name(region: Region) -> str:
    """The region's rule-of-law office, named as offices sign: 新城区依法治区办, 托克托县依法治县办."""
    return f"{region.name}依法治{region.name[-1:]}办"


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _font(run: Run, name: str, size: Pt, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _new_document() -> DocumentObject:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    spacing = normal.paragraph_format
    spacing.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    spacing.line_spacing = Pt(28)
    spacing.space_before = spacing.space_after = Pt(0)
    return document


def _paragraph(
    document: DocumentObject,
    text: str = "",
    indent: bool = True,
    align: WD_ALIGN_PARAGRAPH | None = None,
    font: str = BODY_FONT,
    size: Pt = BODY_SIZE,
) -> Paragraph:
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(2 * size.pt)  # two characters
    if align is not None:
        paragraph.alignment = align
    if text:
        _font(paragraph.add_run(text), font, size)
    return paragraph


def _title(document: DocumentObject, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing = Pt(36)
    paragraph.paragraph_format.space_after = Pt(14)
    _font(paragraph.add_run(text), TITLE_FONT, Pt(22))


def _table(document: DocumentObject, headings: list[str], rows: list[list[str]]) -> Table:
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(paragraph.add_run(heading), HEADING_FONT, TABLE_SIZE)
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.line_spacing = Pt(20)
            _font(paragraph.add_run(value), BODY_FONT, TABLE_SIZE)
    return table


def _signature(document: DocumentObject, region: Region, day: datetime.date) -> None:
    _paragraph(document)
    for text in (office_name(region), chinese_date(day)):
        paragraph = _paragraph(document, text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        paragraph.paragraph_format.right_indent = Pt(4 * BODY_SIZE.pt)


def _bytes(document: DocumentObject) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def notice_docx(notice: SupervisionNotice) -> bytes:
    """The 督办单 as a Word file: number, the unit, its overdue tasks, the reply date, the office and date."""
    issued = timezone.localdate(notice.issued_at)
    rows = notice_rows(notice)
    document = _new_document()
    with override(settings.LANGUAGE_CODE):
        _title(document, _("Supervision notice"))
        _paragraph(
            document, f"〔{notice.year}〕第{notice.number}号", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER
        )
        _paragraph(document)
        _paragraph(document, f"{notice.unit.name}：", indent=False)
        _paragraph(
            document,
            _(
                "On checking, as of %(date)s your unit had not reported the progress of the following "
                "%(count)d tasks by their due dates. They are hereby placed under supervision."
            )
            % {"date": chinese_date(issued), "count": len(rows)},
        )
        _table(
            document,
            [_("No."), _("Task"), _("Reporting round"), _("Due date"), _("Working days late")],
            [
                [str(i), str(report.task), report.round.name, chinese_date(report.due_date), str(late)]
                for i, (report, late) in enumerate(rows, start=1)
            ],
        )
        _paragraph(
            document,
            _(
                "Please report their progress, with evidence, through the platform by %(date)s, and explain "
                "in writing why they were late."
            )
            % {"date": chinese_date(notice.reply_by)},
        )
        _signature(document, notice.region, issued)
    return _bytes(document)


def circular_docx(region: Region, year: int, month: int) -> bytes:
    """The monthly 通报 of the units whose reports became overdue, or red, in the month."""
    today = timezone.localdate()
    rows = circular_rows(region, year, month, today)
    month_name = f"{year}年{month}月"
    red_units = [row.unit.name for row in rows if row.red]
    document = _new_document()
    with override(settings.LANGUAGE_CODE):
        _title(document, _("Circular on late progress reports in %(month)s") % {"month": month_name})
        _paragraph(document, _("To all units concerned:"), indent=False)
        _paragraph(
            document,
            _("The reporting of task progress by the units in %(month)s is circulated as follows.")
            % {"month": month_name},
        )
        if not rows:
            _paragraph(document, _("No unit reported late this month."))
        else:
            _paragraph(
                document,
                _(
                    "In %(month)s, %(reports)d progress reports of %(units)d units became overdue, and "
                    "%(red)d reports more than %(days)d working days overdue were given a red card."
                )
                % {
                    "month": month_name,
                    "units": len(rows),
                    "reports": sum(row.overdue for row in rows),
                    "red": sum(row.red for row in rows),
                    "days": red_card_days(region, min(month_bounds(year, month)[1], today)),
                },
            )
            if red_units:
                _paragraph(
                    document, _("Units given a red card: %(names)s.") % {"names": "、".join(red_units)}
                )
            _table(
                document,
                [_("No."), _("Unit"), _("Reports late"), _("Of which red cards")],
                [
                    [str(i), row.unit.name, str(row.overdue), str(row.red)]
                    for i, row in enumerate(rows, start=1)
                ],
            )
            _paragraph(
                document,
                _(
                    "The units above are asked to take this seriously, find the causes, report what is "
                    "missing at once and complete their tasks on time."
                ),
            )
        _signature(document, region, today)
    return _bytes(document)
