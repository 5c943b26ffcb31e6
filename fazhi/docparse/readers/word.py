"""Read a .docx: paragraphs and tables in document order, with Word's automatic numbering written out.

python-docx opens the package (after ``safety`` has checked the zip and every XML part); the body is then
walked directly on its lxml tree, which is several times faster than python-docx's paragraph and cell objects
and lets merged cells (``gridSpan``, ``vMerge``) be resolved against the table grid.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from fazhi.docparse.blocks import RawBlock
from fazhi.docparse.errors import DocumentError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W_P, W_TBL, W_TR, W_TC, W_SDT, W_SDT_CONTENT = (
    f"{_W}{t}" for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent")
)
W_T, W_TAB, W_BR, W_CR, W_VAL = f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}val"
W_NUMPR, W_ILVL, W_NUMID, W_PPR = f"{_W}numPr", f"{_W}ilvl", f"{_W}numId", f"{_W}pPr"


def read_docx(data: bytes) -> list[RawBlock]:
    """Blocks of a .docx that ``safety.check_zip`` and ``check_zip_xml`` have already passed."""
    import docx  # imported here so that reading text files never pays for python-docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for a damaged package; all mean the same here
        raise DocumentError(
            "Word 文档已损坏或不是有效的 .docx 文件:请用 Word/WPS 打开后重新保存再导入。"
        ) from exc
    body = document.element.body
    numbering = _Numbering(_numbering_element(document), body)
    reader = _BodyReader(numbering)
    reader.read(body)
    return reader.blocks


def _numbering_element(document: Any) -> Any:
    try:
        return document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return None


class _BodyReader:
    def __init__(self, numbering: _Numbering) -> None:
        self.numbering = numbering
        self.blocks: list[RawBlock] = []
        self.tables = 0

    def read(self, container: Any) -> None:
        for child in _block_children(container):
            if child.tag == W_P:
                text = self.paragraph_text(child)
                if text.strip():
                    self.blocks.append(RawBlock(text))
            elif child.tag == W_TBL:
                self.read_table(child)

    def paragraph_text(self, p: Any) -> str:
        parts = [self.numbering.label(p)]
        for node in p.iter(W_T, W_TAB, W_BR, W_CR):
            tag = node.tag
            if tag == W_T:
                parts.append(node.text or "")
            elif tag == W_TAB:
                parts.append(" ")
            else:
                parts.append("\n")
        return "".join(parts)

    def read_table(self, tbl: Any) -> None:
        table_id = self.tables
        self.tables += 1
        above: dict[int, str] = {}
        for tr in tbl.iterchildren(W_TR):
            row: dict[int, str] = {}
            column = _grid_before(tr)
            for tc in _cells(tr):
                span, merge = _cell_props(tc)
                if merge == "continue":
                    text = above.get(column, "")
                else:
                    text = "\n".join(self.paragraph_text(p) for p in tc.iter(W_P))
                for offset in range(span):
                    row[column + offset] = text
                column += span
            if not row:
                continue
            width = max(row) + 1
            cells = tuple(row.get(i, "") for i in range(width))
            above = dict(row)
            self.blocks.append(RawBlock(cells=cells, table=table_id))


def _block_children(container: Any) -> Iterator[Any]:
    for child in container.iterchildren():
        if child.tag == W_SDT:
            for content in child.iterchildren(W_SDT_CONTENT):
                yield from _block_children(content)
        else:
            yield child


def _cells(tr: Any) -> Iterator[Any]:
    for child in tr.iterchildren():
        if child.tag == W_TC:
            yield child
        elif child.tag == W_SDT:
            for content in child.iterchildren(W_SDT_CONTENT):
                yield from content.iterchildren(W_TC)


def _grid_before(tr: Any) -> int:
    trpr = tr.find(f"{_W}trPr")
    node = trpr.find(f"{_W}gridBefore") if trpr is not None else None
    return _int(node.get(W_VAL) if node is not None else None, 0)


def _cell_props(tc: Any) -> tuple[int, str | None]:
    tcpr = tc.find(f"{_W}tcPr")
    if tcpr is None:
        return 1, None
    span_node = tcpr.find(f"{_W}gridSpan")
    span = max(1, min(_int(span_node.get(W_VAL) if span_node is not None else None, 1), 64))
    merge_node = tcpr.find(f"{_W}vMerge")
    if merge_node is None:
        return span, None
    return span, merge_node.get(W_VAL) or "continue"


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


_CN = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _format_number(value: int, fmt: str) -> str:
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "ideographTraditional",
        "ideographLegalTraditional",
    ):
        return _chinese(value)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= value <= len(_CIRCLED):
        return _CIRCLED[value - 1]
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(value))
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("upperLetter", "lowerLetter") and 1 <= value <= 26:
        letter = chr(ord("A") + value - 1)
        return letter if fmt == "upperLetter" else letter.lower()
    return str(value)


def _chinese(value: int) -> str:
    if value <= 0 or value >= 100:
        return str(value)
    tens, ones = divmod(value, 10)
    if tens == 0:
        return _CN[ones]
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


class _Numbering:
    """Word's automatic list numbering, written out as the text a reader sees (``一、``, ``(一)``, ``1.``)."""

    def __init__(self, element: Any, body: Any) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.counters: dict[str, list[int]] = {}
        # The paragraphs that carry numbering properties (w:p/w:pPr/w:numPr). Finding them in one pass over
        # the body is much cheaper than asking each paragraph for its properties, and most have none.
        self.numbered: set[Any] = set()
        if element is None:
            return
        for numpr in body.iter(W_NUMPR):
            ppr = numpr.getparent()
            if ppr is not None and ppr.tag == W_PPR and ppr.getparent() is not None:
                self.numbered.add(ppr.getparent())
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for node in element.iterchildren(f"{_W}abstractNum"):
            levels: dict[int, tuple[int, str, str]] = {}
            for lvl in node.iterchildren(f"{_W}lvl"):
                start = lvl.find(f"{_W}start")
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                levels[_int(lvl.get(f"{_W}ilvl"), 0)] = (
                    _int(start.get(W_VAL) if start is not None else None, 1),
                    fmt.get(W_VAL, "decimal") if fmt is not None else "decimal",
                    text.get(W_VAL, "") if text is not None else "",
                )
            abstract[node.get(f"{_W}abstractNumId", "")] = levels
        for num in element.iterchildren(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                self.levels[num.get(f"{_W}numId", "")] = abstract.get(ref.get(W_VAL, ""), {})

    def label(self, p: Any) -> str:
        if not self.levels or p not in self.numbered:
            return ""
        ppr = p.find(W_PPR)
        numpr = ppr.find(W_NUMPR) if ppr is not None else None
        if numpr is None:
            return ""
        num_node, lvl_node = numpr.find(W_NUMID), numpr.find(W_ILVL)
        num_id = num_node.get(W_VAL, "") if num_node is not None else ""
        level = _int(lvl_node.get(W_VAL) if lvl_node is not None else None, 0)
        levels = self.levels.get(num_id)
        if not levels or level not in levels or not 0 <= level < 9:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        start, fmt, template = levels[level]
        counters[level] = counters[level] + 1 if counters[level] else start
        for deeper in range(level + 1, 9):
            counters[deeper] = 0
        if fmt in ("bullet", "none") or not template:
            return ""
        out = template
        for index in range(level + 1):
            value = counters[index] or levels.get(index, (1, "decimal", ""))[0]
            index_fmt = levels.get(index, (1, "decimal", ""))[1]
            out = out.replace(f"%{index + 1}", _format_number(value, index_fmt))
        return out
