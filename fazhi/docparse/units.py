"""Responsibility lines: who leads, who is responsible, who cooperates.

Every form the plan family uses is read into a list of ``(role, unit)`` assignments:

- a labelled line or bracket: ``责任单位:A、B``, ``牵头单位:A;配合单位:B``,
  ``〔牵头单位:A;责任单位:B〕``, on a line of its own or trailing the paragraph, with ``:`` or ``：``;
- a role-suffix bracket at the end of a paragraph: ``(A、B牵头,C配合,D、E负责)``, ``(区法制办负责)``;
- table columns (``parse_unit_field`` with the column's role).

Units are split on ``、 , ， ; ； /`` and line breaks; role words (牵头, 负责, 配合, 参与, 协办,
按职责分工分别负责 …) are stripped; ``A、B等相关部门`` keeps A and B; collective names (区直各单位各部门,
各街道办事处) are kept whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from fazhi.docparse.text import fold

LEAD = "lead"
RESPONSIBLE = "responsible"
COOPERATING = "cooperating"
DEADLINE = "deadline"
IGNORED = "ignored"

_LABEL_ROLES = {
    "牵头单位": LEAD,
    "牵头部门": LEAD,
    "主责单位": LEAD,
    "主责部门": LEAD,
    "主办单位": LEAD,
    "牵头": LEAD,
    "责任单位": RESPONSIBLE,
    "责任部门": RESPONSIBLE,
    "负责单位": RESPONSIBLE,
    "负责部门": RESPONSIBLE,
    "责任主体": RESPONSIBLE,
    "承办单位": RESPONSIBLE,
    "实施单位": RESPONSIBLE,
    "落实单位": RESPONSIBLE,
    "责任科室": RESPONSIBLE,
    "责任处室": RESPONSIBLE,
    "配合单位": COOPERATING,
    "配合部门": COOPERATING,
    "协办单位": COOPERATING,
    "协办部门": COOPERATING,
    "参与单位": COOPERATING,
    "参与部门": COOPERATING,
    "参加单位": COOPERATING,
    "协作单位": COOPERATING,
    "协同单位": COOPERATING,
    "配合": COOPERATING,
    "完成时限": DEADLINE,
    "完成时间": DEADLINE,
    "时间节点": DEADLINE,
    "时限要求": DEADLINE,
    "完成期限": DEADLINE,
    "牵头领导": IGNORED,
    "责任领导": IGNORED,
    "分管领导": IGNORED,
    "责任人": IGNORED,
    "联系人": IGNORED,
}
_LABEL_ALT = "|".join(sorted(_LABEL_ROLES, key=len, reverse=True))
_LABEL = re.compile(rf"({_LABEL_ALT})\s*:")
# A line that is a responsibility line from its first character (own-line form).
_OWN_LINE = re.compile(rf"^[(\[〔【]?\s*(?:{_LABEL_ALT})\s*:")
# A label after a sentence inside a paragraph: "…工作。责任单位:区司法局".
_INLINE_LABEL = re.compile(rf"(?:^|(?<=[。;.\s]))(?:{_LABEL_ALT})\s*:")
_UNIT_LABELS = frozenset(
    label for label, role in _LABEL_ROLES.items() if role in (LEAD, RESPONSIBLE, COOPERATING)
)

_OPENERS = {"(": ")", "〔": "〕", "【": "】", "[": "]"}
_CLOSERS = {value: key for key, value in _OPENERS.items()}

_ROLE_WORDS = (
    ("按职责分工分别负责", RESPONSIBLE),
    ("按照职责分工负责", RESPONSIBLE),
    ("按职责分工负责", RESPONSIBLE),
    ("按职责分别负责", RESPONSIBLE),
    ("根据职责分别负责", RESPONSIBLE),
    ("按职责负责", RESPONSIBLE),
    ("分别负责", RESPONSIBLE),
    ("共同负责", RESPONSIBLE),
    ("具体负责", RESPONSIBLE),
    ("负责落实", RESPONSIBLE),
    ("牵头负责", LEAD),
    ("牵头落实", LEAD),
    ("牵头", LEAD),
    ("主责", LEAD),
    ("主办", LEAD),
    ("负责", RESPONSIBLE),
    ("配合", COOPERATING),
    ("参与", COOPERATING),
    ("协办", COOPERATING),
    ("协助", COOPERATING),
)
_ROLE_SUFFIX = re.compile("(?:" + "|".join(word for word, _ in _ROLE_WORDS) + r")$")
_ROLE_OF = dict(_ROLE_WORDS)
_MARKER = re.compile(r"[(\[〔【]\s*(牵头|主责|负责|配合|协办|参与)\s*[)\]〕】]")
_SEGMENT_SPLIT = re.compile(r"[,;，；。]+")
_UNIT_SPLIT = re.compile(r"[、/\n|]+|\s{2,}")
_UNIT_END = "局委办院部室会心府处队所站厅团社馆行司镇乡街区县市组"
_ETC = re.compile(rf"^(.+?[{_UNIT_END}])等(?:.*)$")
_JUNK_UNIT = re.compile(r"^(?:无|暂无|/|-+|—+|等|各|和|及|相关|其他|不涉及)$")
_PREFIX = re.compile(r"^(?:由|请|各自|分别由)")


@dataclass(slots=True)
class Responsibility:
    """The assignments found in one task, in order of appearance, plus any 完成时限 text beside them."""

    assignments: list[tuple[str, str]] = field(default_factory=list)
    deadline_texts: list[str] = field(default_factory=list)
    found: bool = False

    def extend(self, other: Responsibility) -> None:
        self.assignments.extend(other.assignments)
        self.deadline_texts.extend(other.deadline_texts)
        self.found = self.found or other.found

    @property
    def units(self) -> list[str]:
        """Every unit named, lead, responsible and cooperating, in order of appearance, once each."""
        return _unique([unit for _, unit in self.assignments])

    @property
    def cooperating_units(self) -> list[str]:
        return _unique([unit for role, unit in self.assignments if role == COOPERATING])

    @property
    def lead_units(self) -> list[str]:
        """The 牵头 units; without any, the one responsible unit when exactly one is named."""
        leads = _unique([unit for role, unit in self.assignments if role == LEAD])
        if leads:
            return leads
        responsible = _unique([unit for role, unit in self.assignments if role == RESPONSIBLE])
        if len(responsible) == 1:
            return responsible
        units = self.units
        return units if len(units) == 1 else []


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))  # first occurrences, in order


def clear_caches() -> None:
    """Forget the per-line caches (called after each document so that no text outlives its parse)."""
    _text_responsibility.cache_clear()
    _line_responsibility.cache_clear()
    _clean_unit.cache_clear()
    _assignments.cache_clear()


def is_responsibility_line(line: str) -> bool:
    """A line that starts with a responsibility label (``责任单位:``, ``〔牵头单位:``, ``完成时限:`` …)."""
    folded = fold(line)
    return ":" in folded and bool(_OWN_LINE.match(folded.lstrip()))  # a label ends with its colon


def split_responsibility(text: str) -> tuple[str, Responsibility]:
    """Take every responsibility line and bracket out of ``text``; return the rest and what was found.

    ``text`` may hold several lines; own-line forms remove the whole line, bracket and trailing forms remove
    the bracket or the tail of the line.
    """
    rest, assignments, deadline_texts, found = _text_responsibility(text)
    return rest, Responsibility(list(assignments), list(deadline_texts), found)


def remove_responsibility(text: str) -> tuple[str, bool]:
    """``split_responsibility`` for callers that only ask whether there was any: the rest and that answer."""
    rest, _, _, found = _text_responsibility(text)
    return rest, found


# The outline, the task builder and the kind check ask about the same lines and texts again and again.
@lru_cache(maxsize=65536)
def _text_responsibility(text: str) -> tuple[str, tuple[tuple[str, str], ...], tuple[str, ...], bool]:
    assignments: list[tuple[str, str]] = []
    deadline_texts: list[str] = []
    found = False
    kept: list[str] = []
    for line in text.split("\n"):
        rest, line_assignments, line_deadline_texts, line_found = _line_responsibility(line)
        assignments.extend(line_assignments)
        deadline_texts.extend(line_deadline_texts)
        found = found or line_found
        if rest.strip():
            kept.append(rest.rstrip())
    return "\n".join(kept), tuple(assignments), tuple(deadline_texts), found


@lru_cache(maxsize=65536)
def _line_responsibility(line: str) -> tuple[str, tuple[tuple[str, str], ...], tuple[str, ...], bool]:
    """One line's responsibility; texts that share lines share the work."""
    found = Responsibility()
    rest = _split_line(line, found)
    return rest, tuple(found.assignments), tuple(found.deadline_texts), found.found


# Every responsibility form contains one of these words; a line without any is prose and is passed by quickly.
_ROLE_HINT = re.compile(
    r"牵头|负责|配合|协办|参与|主责|主办|协助|单位|部门|主体|科室|处室|时限|时间|节点|期限|领导|责任人|联系人"
)


def _split_line(line: str, found: Responsibility) -> str:
    folded = fold(line)
    # Every form has a label's colon or ends with a bracket; most prose lines have neither, and these tests
    # cost far less than the role-word search.
    if ":" not in folded and not _ends_with_bracket(folded):
        return line
    if not _ROLE_HINT.search(folded):
        return line
    stripped = folded.lstrip()
    if _OWN_LINE.match(stripped):
        found.extend(parse_assignments(line))
        return ""
    # Labelled brackets anywhere in the line: "(一)标题(牵头单位:X)", "…。〔牵头单位:A;责任单位:B〕".
    for _ in range(8):
        span = _labelled_bracket(folded)
        if span is None:
            break
        start, end = span
        found.extend(parse_assignments(line[start + 1 : end - 1]))
        line, folded = _cut(line, start, end), _cut(folded, start, end)
    # A role-suffix bracket closing the paragraph: "(区法制办牵头,区政府各部门负责)。"
    span = _trailing_bracket(folded)
    if span is not None:
        start, end = span
        content = folded[start + 1 : end - 1]
        if is_role_suffix_content(content):
            found.extend(parse_assignments(line[start + 1 : end - 1]))
            line, folded = _cut(line, start, end), _cut(folded, start, end)
    # A label after the last sentence: "…工作。责任单位:区司法局".
    match = _INLINE_LABEL.search(folded) if ":" in folded else None
    if match and _LABEL.match(folded, match.start()) and match.start() > 0:
        found.extend(parse_assignments(line[match.start() :]))
        line = line[: match.start()]
    return line


def _ends_with_bracket(folded: str) -> bool:
    """The test ``_trailing_bracket`` starts with: the text closes a bracket before its final stops."""
    return folded.rstrip(" 。.;,")[-1:] in _CLOSERS


def _cut(text: str, start: int, end: int) -> str:
    """Remove ``text[start:end]`` and a sentence stop right after it when the text before already has one."""
    before, after = text[:start].rstrip(), text[end:]
    after_folded = fold(after).lstrip()
    if after_folded[:1] in ("。", ".", ";", ",") and (not before or fold(before)[-1:] in "。.;!?"):
        after = after.lstrip()[1:]
    return before + after


_OPENING = re.compile(r"[(\[〔【]\s*")


def _labelled_bracket(folded: str) -> tuple[int, int] | None:
    if ":" not in folded:
        return None  # a label always ends with its colon
    for match in _OPENING.finditer(folded):
        if _LABEL.match(folded, match.end()):
            end = _match_closer(folded, match.start())
            if end is not None:
                return match.start(), end
            return match.start(), len(folded)
    return None


_BRACKET = re.compile(r"[(\[〔【)\]〕】]")


def _match_closer(text: str, start: int) -> int | None:
    """End (exclusive) of the bracket opened at ``start``, nested brackets of any kind allowed."""
    depth = 0
    # Only brackets change the depth; the regex skips the text between them.
    for match in _BRACKET.finditer(text, start):
        if match[0] in _OPENERS:
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return match.end()
    return None


def _trailing_bracket(folded: str) -> tuple[int, int] | None:
    if not _ends_with_bracket(folded):
        return None
    body = folded.rstrip(" 。.;,")
    depth = 0
    for index in range(len(body) - 1, -1, -1):
        char = body[index]
        if char in _CLOSERS:
            depth += 1
        elif char in _OPENERS:
            depth -= 1
            if depth == 0:
                return index, len(body)
    return None


def is_role_suffix_content(content: str) -> bool:
    """``A、B牵头,C配合,D负责``: every part is a list of units and the last ends with a role word."""
    folded = fold(content).strip().rstrip("。.")
    if not folded or len(folded) > 300 or folded[0].isdigit():
        return False
    segments = [seg.strip() for seg in _SEGMENT_SPLIT.split(folded) if seg.strip()]
    if not segments or not _ROLE_SUFFIX.search(_MARKER.sub("", segments[-1])):
        return False
    return all(len(seg) <= 80 and not re.search(r"\d{4}|[:《》]", seg) for seg in segments)


def parse_assignments(content: str, default_role: str = RESPONSIBLE) -> Responsibility:
    """Read a responsibility text (labelled, role-suffixed or a plain list) into assignments."""
    assignments, deadline_texts = _assignments(content, default_role)
    return Responsibility(list(assignments), list(deadline_texts), found=True)


# A plan repeats the same responsibility texts ("责任单位:区司法局") many times.
@lru_cache(maxsize=4096)
def _assignments(content: str, default_role: str) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    result = _as_written(_parse_folded(fold(content), default_role), content)
    return tuple(result.assignments), tuple(result.deadline_texts)


def _as_written(result: Responsibility, content: str) -> Responsibility:
    """Give each unit back its characters as written (full-width brackets stay full-width).

    Units were found on the folded text; folding maps one character to one, so the same offsets slice the
    original.
    """
    folded = fold(content)
    cursor = 0
    written: list[tuple[str, str]] = []
    for role, unit in result.assignments:
        position = folded.find(unit, cursor)
        if position < 0:
            position = folded.find(unit)
        if position < 0:
            written.append((role, unit))
            continue
        written.append((role, content[position : position + len(unit)]))
        cursor = position + len(unit)
    result.assignments = written
    return result


def _parse_folded(folded: str, default_role: str) -> Responsibility:
    folded = folded.strip()
    while folded[:1] in _OPENERS and folded[-1:] == _OPENERS[folded[0]]:
        folded = folded[1:-1].strip()
    if folded[:1] in _OPENERS:
        folded = folded[1:]
    result = Responsibility(found=True)
    labels = list(_LABEL.finditer(folded))
    if labels:
        if labels[0].start() > 0:
            _read_suffixed(folded[: labels[0].start()], default_role, result)
        for index, match in enumerate(labels):
            end = labels[index + 1].start() if index + 1 < len(labels) else len(folded)
            role = _LABEL_ROLES[match[1]]
            segment = folded[match.end() : end].strip(" ,;，；。")
            if role == DEADLINE:
                if segment:
                    result.deadline_texts.append(segment)
            elif role != IGNORED:
                _read_suffixed(segment, role, result)
        return result
    _read_suffixed(folded, default_role, result)
    return result


def parse_unit_field(text: str, default_role: str) -> Responsibility:
    """A table cell of units (a 牵头单位 or 责任单位 column); role words inside it still count."""
    return parse_assignments(text, default_role)


def _read_suffixed(text: str, default_role: str, result: Responsibility) -> None:
    segments = [seg.strip() for seg in _SEGMENT_SPLIT.split(text) if seg.strip()]
    pending: list[str] = []
    for segment in segments:
        role_match = _ROLE_SUFFIX.search(segment)
        if role_match:
            role = _ROLE_OF[role_match[0]]
            units = _split_units(segment[: role_match.start()])
            for unit, marker_role in [*[(u, None) for u in pending], *units]:
                result.assignments.append((marker_role or role, unit))
            pending = []
        else:
            pending_units = _split_units(segment)
            # A plain list before a role-suffixed one shares its role; at the end it takes the default.
            pending.extend(unit for unit, marker in pending_units if marker is None)
            result.assignments.extend((marker, unit) for unit, marker in pending_units if marker is not None)
    for unit in pending:
        result.assignments.append((default_role, unit))


def _split_units(text: str) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for token in _UNIT_SPLIT.split(text):
        unit, role = _clean_unit(token)
        if unit:
            out.append((unit, role))
    return out


# Plans name the same few dozen units in hundreds of responsibility lines.
@lru_cache(maxsize=4096)
def _clean_unit(token: str) -> tuple[str, str | None]:
    role: str | None = None
    marker = _MARKER.search(token)
    if marker:
        role = _ROLE_OF.get(marker[1])
        token = _MARKER.sub("", token)
    token = token.strip(" :;,.。、")
    token = _PREFIX.sub("", token)
    for _ in range(2):
        suffix = _ROLE_SUFFIX.search(token)
        if suffix and suffix.start() > 0:
            role = role or _ROLE_OF[suffix[0]]
            token = token[: suffix.start()]
    etc = _ETC.match(token)
    if etc:
        token = etc[1]
    elif token.endswith("等"):
        token = token[:-1]
    token = _balance(token.strip(" :;,.。、"))
    if not token or _JUNK_UNIT.match(token) or len(token) > 60:
        return "", None
    if token in _UNIT_LABELS:
        return "", None
    return token, role


def _balance(token: str) -> str:
    """Drop a bracket left open or closed by a split (``区委依法治区办(区司法局``)."""
    if token[:1] in _OPENERS and _match_closer(token, 0) is None:
        token = token[1:]
    if token[-1:] in _CLOSERS and token.count(token[-1]) > token.count(_CLOSERS[token[-1]]):
        token = token[:-1]
    return token.strip()
