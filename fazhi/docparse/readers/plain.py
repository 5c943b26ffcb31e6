"""Read a .txt file: decode it, rebuild pipe tables as rows, and rejoin lines that a PDF export wrapped."""

from __future__ import annotations

from statistics import median

from fazhi.docparse.blocks import RawBlock
from fazhi.docparse.readers.pdf import _PARAGRAPH_START, _SENTENCE_END
from fazhi.docparse.safety import decode_text
from fazhi.docparse.text import clean_line, fold, is_page_marker


def read_plain(data: bytes) -> list[RawBlock]:
    """Blocks of a text file in any of the encodings ``safety.decode_text`` knows."""
    return text_blocks(decode_text(data))


def text_blocks(text: str) -> list[RawBlock]:
    """Blocks of already decoded plain text."""
    lines = [clean_line(line) for line in text.splitlines()]
    lines = [line for line in lines if line and not is_page_marker(fold(line))]
    blocks: list[RawBlock] = []
    table_id = 0
    prose: list[str] = []
    in_table = False
    for line in lines:
        if line.count("|") >= 2:
            if not in_table:
                blocks.extend(RawBlock(text) for text in unwrap(prose))
                prose = []
                in_table = True
                table_id += 1
            if not _is_pipe_separator(line):
                blocks.append(RawBlock(cells=_pipe_cells(line), table=table_id))
            continue
        in_table = False
        prose.append(line)
    blocks.extend(RawBlock(text) for text in unwrap(prose))
    return blocks


def _is_pipe_separator(line: str) -> bool:
    """``---|---|`` under a pipe table's header."""
    return "---" in line and set(line) <= set("|:- ")


def _pipe_cells(line: str) -> tuple[str, ...]:
    cells = [cell.strip() for cell in line.split("|")]
    if line.startswith("|"):
        cells = cells[1:]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


def unwrap(lines: list[str]) -> list[str]:
    """Rejoin lines wrapped at a fixed width (text extracted from a PDF); leave paragraph-per-line text alone.

    Wrapped text shows itself: most lines have nearly the same length and almost none is longer. Then a line
    that reaches that width and does not end a sentence continues on the next line, unless the next line
    starts a numbered item or a responsibility line.
    """
    lengths = [len(line) for line in lines if len(line) >= 10]
    if len(lengths) < 8:
        return lines
    width = median(lengths)
    near = sum(1 for n in lengths if 0.85 * width <= n <= 1.2 * width)
    longer = sum(1 for n in lengths if n > 1.3 * width)
    if near < 0.5 * len(lengths) or longer > 0.05 * len(lengths):
        return lines
    out: list[str] = []
    wrapped = False
    for line in lines:
        folded = fold(line)
        if out and wrapped and not _PARAGRAPH_START.match(folded):
            out[-1] += line
        else:
            out.append(line)
        wrapped = len(line) >= 0.85 * width and not _SENTENCE_END.search(folded)
    return out
