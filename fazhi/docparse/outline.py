"""Numbered outline: labels at any depth, on their own line, inline, or run together (``一、1.``).

Label styles, each matched on folded text: ``一、`` (cn), ``(一)`` (paren_cn), ``1.``/``1、``/``１．`` (num),
``1)`` (half_num), ``(1)`` (paren_num), ``①`` (circled). Depth comes from the order the document uses,
not from a fixed table: a style already open is a sibling (the stack pops back to it), a new style becomes a
child of the item above, after closing any open item whose style normally nests *below* it. So ``1.``
directly under ``一、`` and ``1.`` under ``(一)`` both work.

Paths hold labels folded to ASCII brackets and digits (``（三）`` → ``(三)``, ``１．`` → ``1``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from fazhi.docparse.blocks import Line
from fazhi.docparse.text import CIRCLED, fold, parse_cn_number
from fazhi.docparse.units import is_responsibility_line, remove_responsibility

_CN = "一二三四五六七八九十"
_LABEL = re.compile(
    rf"\s*(?:(?P<cn>[{_CN}]{{1,3}})\s*(?:、|\.(?![\d.]))"
    rf"|\(\s*(?P<paren_cn>[{_CN}]{{1,3}})\s*\)\s*[、.]?"
    r"|(?P<num>\d{1,2})\s*(?:、|\.(?![\d.]))"
    r"|\(\s*(?P<paren_num>\d{1,2})\s*\)\s*[、.]?"
    r"|(?P<half_num>\d{1,2})\)(?!\d)"
    r"|(?P<circled>[①-⑳])\s*[、.]?"
    r")\s*"
)
# How styles usually nest; used only to close items that cannot be the parent of a new style.
RANK = {"cn": 0, "paren_cn": 1, "num": 2, "half_num": 3, "paren_num": 3, "circled": 4}
# A child numbered 1 after a short heading on the same line: "一、总体要求1.指导思想…".
_INLINE_FIRST_CHILD = re.compile(r"(?<![\d.])(?:1\s*[.、](?![\d.])|\(\s*[1一]\s*\)|①)")
_HEADING_STOP = re.compile(r"[,;。:!?]")


@dataclass(frozen=True, slots=True)
class Label:
    style: str
    value: int
    text: str
    start: int
    end: int


def _label_text(style: str, raw: str) -> str:
    if style in ("paren_cn", "paren_num"):
        return f"({raw})"
    if style == "half_num":
        return f"{raw})"
    return raw


# What a label can start with (after spaces), besides a digit: every line is asked, few lines are labelled.
_LABEL_FIRST = frozenset(_CN + "(" + CIRCLED)


# The metadata reader, the outline and the ledger reader all ask about the same lines.
@lru_cache(maxsize=65536)
def match_label(folded: str, position: int = 0) -> Label | None:
    """The numbering label at ``position`` of a folded line, if there is one."""
    first = folded[position : position + 1]
    if first.isspace():
        first = folded[position:].lstrip()[:1]
    if first not in _LABEL_FIRST and not first.isdecimal():
        return None
    match = _LABEL.match(folded, position)
    if not match:
        return None
    style = match.lastgroup
    if style is None:
        return None
    raw = match[style]
    if style == "circled":
        value = CIRCLED.index(raw) + 1
    elif style in ("cn", "paren_cn"):
        value = parse_cn_number(raw) or 0
        if not 0 < value < 100:
            return None
    else:
        value = int(raw)
        if value == 0:
            return None
    return Label(style, value, _label_text(style, raw), match.start(style) - _opening(style), match.end())


def clear_caches() -> None:
    """Forget the per-line cache (called after each document so that no text outlives its parse)."""
    match_label.cache_clear()


def _opening(style: str) -> int:
    return 1 if style in ("paren_cn", "paren_num") else 0


def line_labels(folded: str) -> list[Label]:
    """Every label a line starts with: ``一、``, ``一、1.`` run together, or ``一、总体要求1.指导思想``."""
    first = match_label(folded)
    if first is None:
        return []
    labels = [first]
    while len(labels) < 4:
        last = labels[-1]
        nested = match_label(folded, last.end)
        if nested and nested.style != last.style and nested.style not in {lb.style for lb in labels}:
            labels.append(nested)
            continue
        inline = _inline_child(folded, last)
        if inline is None:
            break
        labels.append(inline)
    return labels


def _inline_child(folded: str, parent: Label) -> Label | None:
    window = folded[parent.end : parent.end + 32]
    if "1" not in window and "一" not in window and "①" not in window:
        return None  # the child is numbered 1, 一 or ①
    match = _INLINE_FIRST_CHILD.search(window)
    if not match or match.start() < 2:
        return None
    heading = window[: match.start()].rstrip()
    if _HEADING_STOP.search(heading.rstrip("。:")):
        return None
    child = match_label(folded, parent.end + match.start())
    if child is None or child.value != 1 or RANK[child.style] <= RANK[parent.style]:
        return None
    return child


@dataclass
class OutlineItem:
    """One numbered item: its label, the text on its own line after the label, the lines after, children."""

    label: Label
    path: tuple[str, ...]
    depth: int
    start: int
    head: Line
    written: str = ""  # the label and head as written, for folding the item into its parent's text
    body: list[Line] = field(default_factory=list)
    children: list[OutlineItem] = field(default_factory=list)
    parent: OutlineItem | None = None
    closed: bool = False

    @property
    def end(self) -> int:
        ends = [self.head.end, *(line.end for line in self.body)]
        if self.children:
            ends.append(self.children[-1].end)
        return max(ends)

    def walk(self) -> list[OutlineItem]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass
class Outline:
    roots: list[OutlineItem] = field(default_factory=list)
    orphans: list[Line] = field(default_factory=list)
    restarts: int = 0

    def items(self) -> list[OutlineItem]:
        out: list[OutlineItem] = []
        for root in self.roots:
            out.extend(root.walk())
        return out


def is_heading_like(text: str) -> bool:
    """A short heading: at most 40 characters, no sentence stop except a final one."""
    folded = fold(text).strip()
    return 0 < len(folded) <= 40 and "。" not in folded.rstrip("。. ") and not folded.endswith((",", ";"))


def build_outline(lines: list[Line], resets: frozenset[int] = frozenset()) -> Outline:
    """Build the outline of prose ``lines`` (debris already removed).

    ``resets`` holds the offsets of lines that start a new copy of the plan (its title line): the numbering
    starts again there and nothing carries over.
    """
    outline = Outline()
    stack: list[OutlineItem] = []
    for line in lines:
        if line.start in resets:
            stack = []
            continue
        folded = fold(line.text)
        labels = line_labels(folded)
        if not labels:
            _continue_item(stack, line, outline)
            continue
        for index, label in enumerate(labels):
            head_end = labels[index + 1].start if index + 1 < len(labels) else len(line.text)
            segment = line.text[label.end : head_end]
            head = Line(segment.strip(), line.start + label.end + _leading_spaces(segment))
            _place(
                stack,
                outline,
                label,
                head,
                line.start + label.start,
                line.text[label.start : head_end].strip(),
            )
        _close_if_answered(stack[-1], stack[-1].head, is_head=True)
    return outline


def _leading_spaces(text: str) -> int:
    return len(text) - len(text.lstrip())


def _place(
    stack: list[OutlineItem], outline: Outline, label: Label, head: Line, start: int, written: str
) -> None:
    same = None
    for index in range(len(stack) - 1, -1, -1):
        if stack[index].label.style == label.style:
            same = index
            break
    if same is not None:
        if label.value <= stack[same].label.value:
            outline.restarts += 1
        del stack[same:]
    else:
        while stack and RANK[stack[-1].label.style] >= RANK[label.style]:
            stack.pop()
    parent = stack[-1] if stack else None
    item = OutlineItem(
        label=label,
        path=(*(parent.path if parent else ()), label.text),
        depth=len(stack),
        start=start,
        head=head,
        written=written,
        parent=parent,
    )
    (parent.children if parent else outline.roots).append(item)
    stack.append(item)


def _continue_item(stack: list[OutlineItem], line: Line, outline: Outline) -> None:
    if not stack:
        return  # preamble: un-numbered text before the first item is never a task
    current = stack[-1]
    if current.closed and not is_responsibility_line(line.text):
        # After an item's responsibility line, un-numbered prose is a closing remark, not the item's text.
        outline.orphans.append(line)
        return
    current.body.append(line)
    _close_if_answered(current, line, is_head=False)


def _close_if_answered(item: OutlineItem, line: Line, *, is_head: bool) -> None:
    rest, found = remove_responsibility(line.text)
    if not found:
        return
    # "(一)标题(牵头单位:X)" announces the heading's owner; the item's text is still to come. A head that
    # ends its sentence ("(一)做好年度报告。(责任单位:X)") is the whole item.
    if is_head and is_heading_like(rest) and not fold(rest).rstrip().endswith(("。", ";", ".")):
        return
    item.closed = True
