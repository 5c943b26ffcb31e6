"""Read a PDF's text layer, joining the lines that the layout wrapped back into paragraphs."""

from __future__ import annotations

import io
import logging
import re
from statistics import median
from typing import Any

from fazhi.docparse.blocks import RawBlock
from fazhi.docparse.errors import DocumentError
from fazhi.docparse.text import fold, is_page_marker

MAX_PAGES = 2000
# A line that ends with these closes its sentence; anything else reaching the right margin was wrapped.
_SENTENCE_END = re.compile(r"[。;:!?)】〕]$")
# A line that starts like this begins a new paragraph even after a full line.
_PARAGRAPH_START = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.]|\([一二三四五六七八九十\d]{1,3}\)|\d{1,2}[.、](?!\d)|[①-⑳]|"
    r"(?:牵头|责任|配合|协办)(?:单位|部门)\s*:)"
)


def read_pdf(data: bytes) -> list[RawBlock]:
    """Paragraph blocks of a PDF; refuses encrypted files and files without a text layer."""
    import pdfplumber  # imported here so that reading text files never pays for pdfminer

    # pdfminer logs a warning for every font without a bounding box; they say nothing about the text.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many types for damaged or encrypted files
        if "password" in type(exc).__name__.lower() or "encrypt" in str(exc).lower():
            raise DocumentError("PDF 文件设置了密码,无法读取:请取消密码保护后再导入。") from exc
        raise DocumentError("PDF 文件已损坏,无法读取:请重新导出 PDF,或改为上传 Word(.docx)版本。") from exc
    with pdf:
        try:
            if len(pdf.pages) > MAX_PAGES:
                raise DocumentError(f"PDF 超过 {MAX_PAGES} 页,不像一份工作计划:请只上传计划本身。")
            pages = [_page_lines(page) for page in pdf.pages]
        except DocumentError:
            raise
        except Exception as exc:
            raise DocumentError(
                "PDF 文件已损坏,无法读取:请重新导出 PDF,或改为上传 Word(.docx)版本。"
            ) from exc
    if not any(text.strip() for lines in pages for text, _ in lines):
        raise DocumentError(
            "PDF 没有文字层(可能是扫描件或图片),无法读取文字:请先做文字识别(OCR),或改为上传 Word(.docx)版本。"
        )
    return [RawBlock(text) for text in _join_wrapped(pages)]


def _page_lines(page: Any) -> list[tuple[str, bool]]:
    """(text, reaches the right margin) for each line of a page, page markers left out."""
    lines = [line for line in page.extract_text_lines() if line["text"].strip()]
    lines = [line for line in lines if not is_page_marker(fold(line["text"]).strip())]
    if not lines:
        return []
    long_lines = [line for line in lines if len(line["text"]) >= 8] or lines
    right = max(line["x1"] for line in long_lines)
    char_width = median((line["x1"] - line["x0"]) / max(len(line["text"]), 1) for line in long_lines)
    return [(line["text"], line["x1"] >= right - 1.5 * char_width) for line in lines]


def _join_wrapped(pages: list[list[tuple[str, bool]]]) -> list[str]:
    paragraphs: list[str] = []
    current = ""
    wrapped = False
    for lines in pages:
        for text, full in lines:
            text = text.strip()
            if current and wrapped and not _PARAGRAPH_START.match(fold(text)):
                current += text
            else:
                if current:
                    paragraphs.append(current)
                current = text
            wrapped = full and not _SENTENCE_END.search(fold(text))
    if current:
        paragraphs.append(current)
    return paragraphs
