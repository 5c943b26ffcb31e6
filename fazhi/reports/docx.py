"""Rendering an annual report as a .docx laid out by GB/T 9704-2012 (党政机关公文格式).

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; 22 lines of 28 characters (a document grid
with a line pitch of 28.95 pt); title in 2号 (22 pt) 方正小标宋简体, body in 3号 (16 pt) 仿宋_GB2312, 一级标题
黑体, 二级标题 楷体_GB2312; page numbers "— 1 —" in 4号 (14 pt) 宋体, on the right of odd pages and the
left of even pages, one character in from the edge (§7.5).

East-Asian fonts are named with w:eastAsia on the style's rFonts; the fonts GB/T names are often missing
outside government machines, so each is entered in the font table with an altName (宋体, 仿宋, 楷体) that Word
uses when the first is not installed.

The file is byte-for-byte the same for the same report: core properties and zip timestamps are fixed.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION_START
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from .generate import AnnualReport, SourceEntry, source_entries

TITLE_FONT, TITLE_FALLBACK = "方正小标宋简体", "宋体"
BODY_FONT, BODY_FALLBACK = "仿宋_GB2312", "仿宋"
HEADING1_FONT = "黑体"
HEADING2_FONT, HEADING2_FALLBACK = "楷体_GB2312", "楷体"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
# 225 mm of text height ÷ 22 lines. 156 mm of text width (442.2 pt) ÷ 28 characters is 15.79 pt, a little
# less than a 三号 character: the body is set 0.25 pt tighter (w:spacing, in twentieths of a point), so 28
# fit a line and 29 do not. Not the character grid of Word's 公文 templates (linesAndChars, charSpace -849):
# LibreOffice gives a character wider than its grid cell two cells, 14 a line, which breaks the PDF route.
LINE_PITCH_TWIPS = 579
CHAR_SPACING_TWIPS = -5
LINE = Pt(LINE_PITCH_TWIPS / 20)

TITLE_STYLE = "Report Title"
SOURCES_STYLE = "Sources Entry"
FALLBACKS = {TITLE_FONT: TITLE_FALLBACK, BODY_FONT: BODY_FALLBACK, HEADING2_FONT: HEADING2_FALLBACK}
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def set_fonts(style: ParagraphStyle, east_asian: str, size: Pt, bold: bool = False) -> None:
    """Name the style's fonts (east-Asian and Latin) explicitly, dropping theme fonts that would win."""
    font = style.font
    font.size, font.bold, font.italic = size, bold, False
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attribute), None)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:cs"), LATIN_FONT)


def set_lines(style: ParagraphStyle, first_line_chars: int = 2) -> None:
    layout = style.paragraph_format
    layout.space_before = layout.space_after = Pt(0)
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = LINE
    layout.first_line_indent = Pt(16 * first_line_chars) if first_line_chars else Pt(0)
    layout.keep_with_next = False


def _styles(document: DocxDocument) -> None:
    styles = document.styles
    normal = styles["Normal"]
    set_fonts(normal, BODY_FONT, SIZE_3)
    set_lines(normal)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CHAR_SPACING_TWIPS))
    normal.element.get_or_add_rPr().append(spacing)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    title = styles.add_style(TITLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    title.base_style = normal
    set_fonts(title, TITLE_FONT, SIZE_2)
    set_lines(title, 0)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(LINE_PITCH_TWIPS / 20 * 1.2)
    for name, font in (("Heading 1", HEADING1_FONT), ("Heading 2", HEADING2_FONT)):
        heading = styles[name]
        set_fonts(heading, font, SIZE_3)
        set_lines(heading)
        heading.paragraph_format.keep_with_next = True
    sources = styles.add_style(SOURCES_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    sources.base_style = normal
    set_fonts(sources, BODY_FONT, SIZE_4)
    set_lines(sources, 0)
    footer = styles["Footer"]
    set_fonts(footer, PAGE_NUMBER_FONT, SIZE_4)


def _font_table(document: DocxDocument) -> None:
    """Enter each GB/T font with its fallback (w:altName) in word/fontTable.xml."""
    part = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    for name, fallback in [*FALLBACKS.items(), (HEADING1_FONT, ""), (PAGE_NUMBER_FONT, "")]:
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        if fallback:
            etree.SubElement(font, qn("w:altName")).set(qn("w:val"), fallback)
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")  # GB2312
        etree.SubElement(font, qn("w:family")).set(qn("w:val"), "modern")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page(document: DocxDocument) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(28)  # the page number sits 7 mm below the last line of text (§7.5)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.attrib.pop(qn("w:charSpace"), None)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph: DocxParagraph, alignment: WD_ALIGN_PARAGRAPH) -> None:
    """ "— 1 —" with the number as a PAGE field, one 四号 character in from the edge."""
    paragraph.style = "Footer"
    paragraph.alignment = alignment
    layout = paragraph.paragraph_format
    layout.first_line_indent = Pt(0)
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        layout.right_indent = SIZE_4
    else:
        layout.left_indent = SIZE_4
    paragraph.add_run("— ")
    for kind, text in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("text", "1"), ("end", "")):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    paragraph.add_run(" —")
    for run in paragraph.runs:
        run.font.size = SIZE_4
        rpr = run._r.get_or_add_rPr()
        rfonts = rpr.get_or_add_rFonts()
        rfonts.set(qn("w:ascii"), PAGE_NUMBER_FONT)
        rfonts.set(qn("w:hAnsi"), PAGE_NUMBER_FONT)
        rfonts.set(qn("w:eastAsia"), PAGE_NUMBER_FONT)


def _appendix(document: DocxDocument, entries: list[SourceEntry]) -> None:
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("数据来源", style="Heading 1")
    document.add_paragraph(
        "正文每一句所依据的记录如下（按出现顺序）。记录以系统中的类别和编号标识，可在平台中逐条查阅。"
    )
    # A county's report has over a thousand entries: written as one XML fragment and parsed once, several
    # times faster than a python-docx paragraph and two runs each (it was most of a report's rendering time).
    style = document.styles[SOURCES_STYLE].style_id
    run = '<w:r><w:t xml:space="preserve">{}</w:t></w:r>'
    paragraphs = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        + run.format(escape(f"{entry.number}. {entry.where}：“{entry.excerpt}”"))
        + run.format(escape("　" + entry.records))
        + "</w:p>"
        for entry in entries
    )
    fragment = parse_xml(f"<w:body {nsdecls('w')}>{paragraphs}</w:body>")
    section = document.element.body.sectPr
    assert section is not None
    for paragraph in list(fragment):
        section.addprevious(paragraph)


def render(report: AnnualReport, appendix: bool = True) -> bytes:
    """The report as .docx; `appendix=False` leaves out the 数据来源 appendix (the public portal's copy: the
    record numbers mean nothing outside the platform)."""
    document = Document()
    _styles(document)
    _font_table(document)
    _page(document)
    body = document.paragraphs
    if body and not body[0].text:
        body[0]._element.getparent().remove(body[0]._element)
    document.add_paragraph(report.title.text, style=TITLE_STYLE)
    document.add_paragraph("", style=TITLE_STYLE)
    document.add_paragraph(report.opening.text)
    for section in report.sections:
        document.add_paragraph(section.title, style="Heading 1")
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph.text, style="Heading 2" if paragraph.heading else None)
    document.add_paragraph(report.closing.text)
    if appendix:
        _appendix(document, source_entries(report))
    properties = document.core_properties
    moment = datetime.datetime(report.scope.year + 1, 1, 1)
    properties.title = report.title.text
    properties.author = properties.last_modified_by = "Fazhi"
    properties.created = properties.modified = moment
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The same archive with every entry dated 1980-01-01, so equal reports give equal files."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(
                zipfile.ZipInfo(info.filename, FIXED_TIME), source.read(info.filename), zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


def write(report: AnnualReport, path: Path) -> None:
    path.write_bytes(render(report))
