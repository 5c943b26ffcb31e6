"""The generated .docx follows GB/T 9704-2012: page, margins, grid, fonts, headings, page numbers."""

from __future__ import annotations

import io
import itertools
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx as python_docx
import pdfplumber
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from fazhi.reports import docx, generate, indicators
from fazhi.testing import Personas

from .year import known_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(personas: Personas) -> bytes:
    known_year(personas)
    return docx.render(generate.generate(indicators.Scope(personas.region_a, 2025)))


def east_asian_font(style: object) -> str:
    rfonts = style.element.rPr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    return rfonts.get(qn("w:eastAsia"))


def test_the_page_is_a4_with_the_gbt_9704_margins_and_22_lines(data: bytes) -> None:
    section = python_docx.Document(io.BytesIO(data)).sections[0]
    sizes = [section.page_width, section.page_height, section.top_margin, section.bottom_margin]
    sizes += [section.left_margin, section.right_margin]
    assert [round(size.mm, 1) if size is not None else None for size in sizes] == [210, 297, 37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    text_height_pt = (297 - 37 - 35) / 25.4 * 72
    assert round(text_height_pt / (int(grid.get(qn("w:linePitch"))) / 20)) == 22
    # 28 characters of 三号 with the body's spacing fit the 156 mm line; 29 do not.
    normal = python_docx.Document(io.BytesIO(data)).styles["Normal"]
    spacing = normal.element.rPr.find(qn("w:spacing"))
    advance_pt = 16 + int(spacing.get(qn("w:val"))) / 20
    text_width_pt = (210 - 28 - 26) / 25.4 * 72
    assert 28 * advance_pt <= text_width_pt < 29 * advance_pt


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_lays_out_28_characters_a_line_and_22_lines_a_page(data: bytes, tmp_path: Path) -> None:
    source = tmp_path / "report.docx"
    source.write_bytes(data)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with pdfplumber.open(tmp_path / "report.pdf") as pdf:
        page = pdf.pages[1]
        lines = page.extract_text().split("\n")[:-1]  # the last line is the page number
        tops = sorted({round(char["top"], 1) for char in page.chars if char["text"].strip()})
    widths = [len(line.replace(" ", "")) for line in lines]
    assert max(widths) in (28, 29)  # 28 characters, and a closing punctuation mark may hang
    assert sum(width >= 27 for width in widths) >= 5
    # Body lines 28.95 pt apart: 22 lines in the 225 mm of text height.
    gaps = [round(b - a, 1) for a, b in itertools.pairwise(tops) if 20 < b - a < 40]
    assert gaps
    assert sorted(gaps)[len(gaps) // 2] == pytest.approx(28.95, abs=0.2)


def test_title_body_and_headings_use_the_gbt_fonts_and_sizes(data: bytes) -> None:
    document = python_docx.Document(io.BytesIO(data))
    title = document.paragraphs[0].style
    assert title is not None
    assert title.name == docx.TITLE_STYLE
    assert east_asian_font(title) == "方正小标宋简体"
    assert title.font.size == Pt(22)
    assert title.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    normal = document.styles["Normal"]
    assert east_asian_font(normal) == "仿宋_GB2312"
    assert normal.font.size == Pt(16)
    assert east_asian_font(document.styles["Heading 1"]) == "黑体"
    assert east_asian_font(document.styles["Heading 2"]) == "楷体_GB2312"
    for name in ("Normal", "Heading 1", "Heading 2", docx.TITLE_STYLE):
        rfonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        assert rfonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would override the name


def test_the_font_table_gives_each_gbt_font_its_fallback(data: bytes) -> None:
    table = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/fontTable.xml"))
    fallbacks = {
        font.get(qn("w:name")): font.find(qn("w:altName")).get(qn("w:val"))
        for font in table.iter(qn("w:font"))
        if font.find(qn("w:altName")) is not None
    }
    assert fallbacks == {"方正小标宋简体": "宋体", "仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体"}


def test_headings_follow_the_report_structure(data: bytes) -> None:
    document = python_docx.Document(io.BytesIO(data))
    styled = [(p.style.name if p.style is not None else "", p.text) for p in document.paragraphs]
    level_1 = [text for style, text in styled if style == "Heading 1"]
    level_2 = [text for style, text in styled if style == "Heading 2"]
    assert level_1 == [
        "一、党政主要负责人履行推进法治建设第一责任人职责情况",
        "二、推进法治政府建设的主要举措和成效",
        "三、推进法治政府建设存在的不足和原因",
        "四、下一年度推进法治政府建设的工作安排",
        "五、其他需要报告的情况",
        "数据来源",
    ]
    assert level_2 == ["（一）加强党的领导", "（二）严格规范公正文明执法"]


def test_pages_are_numbered_with_a_page_field_between_dashes(data: bytes) -> None:
    document = python_docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer, alignment in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == alignment
        xml = paragraph._p.xml
        assert "<w:instrText" in xml
        assert " PAGE " in xml
        assert paragraph.text == "— 1 —"
        sizes = {run.font.size for run in paragraph.runs}
        assert sizes == {Pt(14)}
        assert {run._r.rPr.rFonts.get(qn("w:eastAsia")) for run in paragraph.runs} == {"宋体"}


def test_the_sources_appendix_lists_the_records_of_each_sentence(data: bytes) -> None:
    document = python_docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    appendix = texts[texts.index("数据来源") + 1 :]
    assert any("指标：计划任务（tasks）" in line and "任务 " in line for line in appendix)
    assert any("进展报告 " in line for line in appendix)
