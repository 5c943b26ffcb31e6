"""Text blocks: what every reader produces, with offsets into one normalised source text.

A reader yields ``RawBlock``s in document order: paragraphs (``text``) and table rows (``cells``, with the
table they belong to). ``build_source`` cleans them and lays them out as one text, a block per line, so that
any span found later ([start, end) into ``SourceText.text``) can be shown highlighted in the web UI.
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi.docparse.text import split_clean_lines

CELL_SEPARATOR = " | "


@dataclass(frozen=True, slots=True)
class RawBlock:
    """One paragraph (``text``) or one table row (``cells`` and ``table``) as a reader found it."""

    text: str = ""
    cells: tuple[str, ...] | None = None
    table: int | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """A clean line of the source text, or a table row whose cells are joined by ``' | '``."""

    index: int
    text: str
    start: int
    cells: tuple[str, ...] = ()
    table: int | None = None

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def is_row(self) -> bool:
        return self.table is not None

    def cell_start(self, column: int) -> int:
        """Offset in the source text where cell ``column`` of this row begins."""
        offset = self.start
        for cell in self.cells[:column]:
            offset += len(cell) + len(CELL_SEPARATOR)
        return offset


@dataclass(frozen=True, slots=True)
class Line:
    """A piece of text to read as prose, with the source offset of its first character."""

    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True, slots=True)
class SourceText:
    """The normalised text of a document, its blocks, and the kind of file it came from."""

    text: str
    blocks: tuple[Block, ...]
    file_kind: str

    def lines(self) -> list[Line]:
        """Every block as prose lines; a row gives one line per line of each non-empty cell."""
        out: list[Line] = []
        for block in self.blocks:
            if not block.is_row:
                out.append(Line(block.text, block.start))
                continue
            out.extend(row_lines(block))
        return out


def row_lines(block: Block) -> list[Line]:
    """The lines of a table row's cells, for tables read as prose (layout and metadata tables)."""
    out: list[Line] = []
    seen: set[str] = set()
    for column, cell in enumerate(block.cells):
        # A cell merged across columns repeats its text; read it once.
        if not cell or cell in seen:
            continue
        seen.add(cell)
        offset = block.cell_start(column)
        position = 0
        for part in cell.split("\n"):
            if part:
                out.append(Line(part, offset + position))
            position += len(part) + 1
    return out


def build_source(raw_blocks: list[RawBlock], file_kind: str) -> SourceText:
    """Clean the readers' blocks and lay them out as one text, one block per line."""
    blocks: list[Block] = []
    parts: list[str] = []
    offset = 0

    def add(text: str, cells: tuple[str, ...] = (), table: int | None = None) -> None:
        nonlocal offset
        blocks.append(Block(len(blocks), text, offset, cells, table))
        parts.append(text)
        offset += len(text) + 1

    for raw in raw_blocks:
        if raw.cells is None:
            for line in split_clean_lines(raw.text):
                add(line)
            continue
        cells = tuple("\n".join(split_clean_lines(cell)) for cell in raw.cells)
        if not any(cells):
            continue
        # Newlines inside a cell show as spaces in the row's line; the mapping is one character for one.
        add(CELL_SEPARATOR.join(cell.replace("\n", " ") for cell in cells), cells, raw.table)
    return SourceText("\n".join(parts), tuple(blocks), file_kind)
