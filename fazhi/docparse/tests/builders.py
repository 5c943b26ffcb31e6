"""Real files for the tests, written with python-docx and openpyxl, and a minimal PDF writer.

The PDF writer produces a text layer without embedding a font: it uses the Adobe-GB1 CID font STSong-Light
with the predefined UniGB-UCS2-H CMap, which every PDF reader (and pdfminer) knows, and writes each line as
UTF-16BE hex. That is enough for a real Chinese text layer in a few hundred bytes.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import openpyxl
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

LEDGER_HEADER = ["序号", "一级指标", "二级指标", "主要任务", "牵头单位", "责任单位", "完成时限"]
LEDGER_ROWS = [
    [
        "1",
        "一、加强党的领导",
        "(一)学习贯彻习近平法治思想",
        "将习近平法治思想纳入学法计划，全年集中学法不少于4次。",
        "区司法局",
        "区直各单位",
        "2024年12月底前",
    ],
    [
        "2",
        "一、加强党的领导",
        "(二)落实第一责任人职责",
        "开展党政主要负责人述法工作。",
        "区委依法治区办",
        "各街道办事处、区直各部门",
        "第一季度",
    ],
    [
        "3",
        "二、严格规范公正文明执法",
        "(一)推行行政执法三项制度",
        "重大执法决定法制审核率达100%。",
        "区司法局",
        "各行政执法单位",
        "长期坚持",
    ],
]


def write_docx(
    path: Path,
    paragraphs: list[str],
    table: list[list[str]] | None = None,
    merge_column: int | None = None,
    after: list[str] | None = None,
) -> Path:
    """A .docx with paragraphs, then optionally a table whose ``merge_column`` is merged down equal runs."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
        if merge_column is not None:
            _merge_runs(grid, table, merge_column)
    for text in after or []:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def _merge_runs(grid: object, table: list[list[str]], column: int) -> None:
    start = 1
    for r in range(2, len(table) + 1):
        if r == len(table) or table[r][column] != table[start][column]:
            if r - 1 > start:
                top = grid.cell(start, column)  # type: ignore[attr-defined]
                merged = top.merge(grid.cell(r - 1, column))  # type: ignore[attr-defined]
                merged.text = table[start][column]
            start = r


def write_xlsx(path: Path, title: str, header: list[str], rows: list[list[str]], merge_column: int) -> Path:
    """An .xlsx ledger: a merged title row, the header, the rows, equal runs of ``merge_column`` merged."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([title] + [None] * (len(header) - 1))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    first = 3
    for index, row in enumerate(rows):
        values: list[str | None] = list(row)
        if index > 0 and rows[index - 1][merge_column] == row[merge_column]:
            values[merge_column] = None  # what Excel stores under a merged cell
        sheet.append(values)
    start = 0
    for r in range(1, len(rows) + 1):
        if r == len(rows) or rows[r][merge_column] != rows[start][merge_column]:
            if r - 1 > start:
                col = merge_column + 1
                sheet.merge_cells(
                    start_row=first + start, start_column=col, end_row=first + r - 1, end_column=col
                )
            start = r
    workbook.save(path)
    return path


def numbered_docx(path: Path) -> Path:
    """A .docx whose outline numbers come from Word's automatic numbering (numbering.xml), not typed text."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    for level, (fmt, text) in enumerate([("chineseCounting", "%1、"), ("chineseCounting", "(%2)")]):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(level))
        for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
            node = OxmlElement(tag)
            node.set(qn("w:val"), value)
            lvl.append(node)
        abstract.append(lvl)
    numbering.insert(0, abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), "90")
    num.append(ref)
    numbering.append(num)

    def numbered(text: str, level: int) -> None:
        paragraph = document.add_paragraph(text)
        ppr = paragraph._p.get_or_add_pPr()
        numpr = OxmlElement("w:numPr")
        for tag, value in (("w:ilvl", str(level)), ("w:numId", "90")):
            node = OxmlElement(tag)
            node.set(qn("w:val"), value)
            numpr.append(node)
        ppr.append(numpr)

    document.add_paragraph("某区2024年法治政府建设工作要点")
    numbered("加强党的领导", 0)
    numbered("学习贯彻习近平法治思想。全年集中学法不少于4次。(责任单位:区司法局)", 1)
    numbered("落实述法制度。年底前完成述法。(责任单位:区委依法治区办)", 1)
    numbered("规范行政执法", 0)
    numbered("推行三项制度。法制审核率达100%。(责任单位:各行政执法单位)", 1)
    document.save(str(path))
    return path


def make_pdf(pages: list[list[str]]) -> bytes:
    """A PDF whose pages hold the given lines as a real (unembedded-font) Chinese text layer."""
    objects: list[bytes] = [b"", b""]  # 1: catalog, 2: pages, filled in at the end
    font = (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts "
        b"[<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /DW 1000 >>] >>"
    )
    objects.append(font)
    font_id = len(objects)
    kids: list[int] = []
    for lines in pages:
        ops = [b"BT", b"/F1 12 Tf", b"16 TL", b"60 780 Td"]
        ops += [b"<" + line.encode("utf-16-be").hex().encode() + b"> Tj T*" for line in lines]
        ops.append(b"ET")
        stream = b"\n".join(ops) if lines else b""
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        content_id = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
            b"/Contents %d 0 R >>" % (font_id, content_id)
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def zip_with(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()
