"""Read an .html page: the text of its block elements, tables as rows, page furniture left out.

The standard library's tolerant ``HTMLParser`` is enough: it never expands entity declarations, and a scraped
government page is too broken for a strict parser anyway. Navigation, scripts, share widgets and footers are
skipped by element name and by class/id; what remains of the furniture is caught by ``text.is_debris``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from fazhi.docparse.blocks import RawBlock
from fazhi.docparse.safety import decode_text

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "main",
        "dd",
        "dt",
        "dl",
        "blockquote",
        "pre",
        "center",
        "hr",
        "address",
        "header",
        "figure",
        "figcaption",
        "caption",
        "tbody",
        "thead",
        "tfoot",
    ]
)
_SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "head",
        "title",
        "nav",
        "footer",
        "noscript",
        "iframe",
        "select",
        "button",
        "aside",
        "svg",
        "template",
        "object",
        "embed",
        "canvas",
        "map",
        "textarea",
    ]
)
_VOID_TAGS = frozenset(
    [
        "br",
        "hr",
        "img",
        "input",
        "meta",
        "link",
        "area",
        "base",
        "col",
        "embed",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_SKIP_CLASS_EXACT = frozenset(
    ["print", "close", "share", "fontsize", "font-size", "zoom", "search", "login", "position", "location"]
)
_SKIP_CLASS_PARTS = (
    "nav",
    "menu",
    "breadcrumb",
    "crumb",
    "share",
    "footer",
    "sidebar",
    "toolbar",
    "topbar",
    "copyright",
)
_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_-]{2,20})", re.IGNORECASE)


def read_html(data: bytes) -> list[RawBlock]:
    """Blocks of an HTML page, in document order."""
    parser = _PageParser()
    parser.feed(_decode_html(data))
    parser.close()
    parser.finish()
    return parser.blocks


def _decode_html(data: bytes) -> str:
    match = _CHARSET.search(data[:4096])
    if match:
        codec = match[1].decode("ascii").lower()
        if codec in ("gb2312", "gbk", "gb_2312-80", "x-gbk"):
            codec = "gb18030"
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


@dataclass
class _Table:
    id: int
    rows: list[list[tuple[str, int, int]]] = field(default_factory=list)
    row: list[tuple[str, int, int]] | None = None
    cell: list[str] | None = None
    cell_span: tuple[int, int] = (1, 1)
    layout: bool = False


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[RawBlock] = []
        self.buffer: list[str] = []
        self.skip: tuple[str, int] | None = None
        self.tables: list[_Table] = []
        self.table_count = 0
        self.in_article = 0

    # --- element boundaries -------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip is not None:
            if tag == self.skip[0] and tag not in _VOID_TAGS:
                self.skip = (tag, self.skip[1] + 1)
            return
        if tag in ("article", "main"):
            self.in_article += 1
        if tag not in _VOID_TAGS and self._skipped(tag, attrs):
            self.flush()
            self.skip = (tag, 1)
            return
        if tag == "table":
            self.start_table()
        elif tag == "tr":
            self.start_row()
        elif tag in ("td", "th"):
            self.start_cell(attrs)
        elif tag in _BLOCK_TAGS:
            self.flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip is None and tag in _BLOCK_TAGS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if self.skip is not None:
            if tag == self.skip[0]:
                depth = self.skip[1] - 1
                self.skip = None if depth == 0 else (tag, depth)
            return
        if tag in ("article", "main") and self.in_article:
            self.in_article -= 1
        if tag == "table":
            self.end_table()
        elif tag == "tr":
            self.end_row()
        elif tag in ("td", "th"):
            self.end_cell()
        elif tag in _BLOCK_TAGS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self.skip is None:
            self.buffer.append(data)

    def _skipped(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if tag in _SKIP_TAGS:
            return True
        if tag == "header" and not self.in_article:
            return True
        for name, value in attrs:
            if name not in ("class", "id") or not value:
                continue
            for token in value.lower().split():
                if token in _SKIP_CLASS_EXACT or any(part in token for part in _SKIP_CLASS_PARTS):
                    return True
        return False

    # --- text ------------------------------------------------------------
    def flush(self) -> None:
        text = " ".join("".join(self.buffer).split())
        self.buffer = []
        if not text:
            return
        table = self.tables[-1] if self.tables else None
        if table is not None and table.cell is not None:
            table.cell.append(text)
        else:
            self.blocks.append(RawBlock(text))

    def finish(self) -> None:
        while self.tables:
            self.end_table()
        self.flush()

    # --- tables ------------------------------------------------------------
    def start_table(self) -> None:
        self.flush()
        outer = self.tables[-1] if self.tables else None
        if outer is not None and outer.cell is not None:
            # A table inside a cell: the outer table lays out the page, so it is read as prose from here on.
            outer.layout = True
            self.emit_as_lines(outer)
        self.tables.append(_Table(self.table_count))
        self.table_count += 1

    def start_row(self) -> None:
        if not self.tables:
            self.start_table()
        self.end_row()
        self.tables[-1].row = []

    def start_cell(self, attrs: list[tuple[str, str | None]]) -> None:
        if not self.tables:
            self.start_table()
        table = self.tables[-1]
        self.end_cell()
        if table.row is None:
            table.row = []
        table.cell = []
        spans = dict(attrs)
        table.cell_span = (_span(spans.get("colspan")), _span(spans.get("rowspan")))

    def end_cell(self) -> None:
        if not self.tables:
            return
        table = self.tables[-1]
        if table.cell is None:
            return
        self.flush()
        if table.row is None:
            table.row = []
        table.row.append(("\n".join(table.cell), *table.cell_span))
        table.cell = None

    def end_row(self) -> None:
        if not self.tables:
            return
        self.end_cell()
        table = self.tables[-1]
        if table.row:
            table.rows.append(table.row)
        table.row = None

    def end_table(self) -> None:
        if not self.tables:
            return
        self.end_row()
        table = self.tables.pop()
        if table.layout:
            self.emit_as_lines(table)
            return
        for cells in _fill_spans(table.rows):
            self.blocks.append(RawBlock(cells=cells, table=table.id))

    def emit_as_lines(self, table: _Table) -> None:
        self.flush()
        pending = [*table.rows, table.row or []]
        for row in pending:
            for text, _, _ in row:
                self.blocks.append(RawBlock(text))
        if table.cell:
            self.blocks.append(RawBlock("\n".join(table.cell)))
            table.cell = []
        table.rows = []
        table.row = [] if table.row is not None else None


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 64))
    except ValueError:
        return 1


def _fill_spans(rows: list[list[tuple[str, int, int]]]) -> list[tuple[str, ...]]:
    """Lay cells on the grid: a colspan repeats the text across columns, a rowspan down the rows."""
    carried: dict[int, tuple[str, int]] = {}
    out: list[tuple[str, ...]] = []
    for row in rows:
        grid: dict[int, str] = {}
        for col, (text, left) in list(carried.items()):
            grid[col] = text
            if left <= 1:
                del carried[col]
            else:
                carried[col] = (text, left - 1)
        column = 0
        for text, colspan, rowspan in row:
            while column in grid:
                column += 1
            for offset in range(colspan):
                grid[column + offset] = text
                if rowspan > 1:
                    carried[column + offset] = (text, rowspan - 1)
            column += colspan
        if grid:
            out.append(tuple(grid.get(i, "") for i in range(max(grid) + 1)))
    return out
