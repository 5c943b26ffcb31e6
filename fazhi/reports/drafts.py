"""The annual report as stored text: a generated report turned into JSON, edited text read back into it,
regeneration merged with the office's edits, and the difference between two states.

A stored report keeps the shape of `generate.AnnualReport`: a title sentence, an opening paragraph,
sections of paragraphs and a closing paragraph, each paragraph a list of sentences with the figures and
records they rest on. When the office edits the text, every sentence that still reads exactly as generated
keeps its figures and records; what the office wrote itself is marked `edited` and carries none, so the
数据来源 appendix and the preview only ever vouch for words that came from the records. Numbers the office
typed are listed by `untraced_claims` so they can be checked before publishing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fazhi.docparse.claims import find_claims

from .generate import AnnualReport, Figure, Paragraph, Section, Sentence
from .indicators import Scope

Content = dict[str, Any]
# Sentences end at these marks (a closing quote or bracket stays with its sentence).
SENTENCE = re.compile(r"[^。！？；]*[。！？；]+[”’」』）)]*|[^。！？；]+$")
ENDS = "。！？；”’」』）)"
HEADING = re.compile(r"^（[一二三四五六七八九十]+）[^。]{1,40}$")
TITLE, OPENING, CLOSING = "title", "opening", "closing"


# --- AnnualReport ⇄ JSON ------------------------------------------------------------------------------------


def _sentence_json(sentence: Sentence) -> dict[str, Any]:
    return {
        "text": sentence.text,
        "figures": [
            {"text": f.text, "value": str(f.value), "code": f.code, "sources": _ids(f.sources)}
            for f in sentence.figures
        ],
        "quotes": list(sentence.quotes),
        "sources": _ids(sentence.sources),
    }


def _ids(sources: Any) -> dict[str, list[int]]:
    return {label: list(ids) for label, ids in sorted(sources.items())}


def _paragraph_json(paragraph: Paragraph) -> dict[str, Any]:
    return {"heading": paragraph.heading, "sentences": [_sentence_json(s) for s in paragraph.sentences]}


def snapshot(report: AnnualReport) -> Content:
    """The generated report as JSON (what a revision stores)."""
    return {
        TITLE: _sentence_json(report.title),
        OPENING: _paragraph_json(report.opening),
        "sections": [
            {"key": s.key, "title": s.title, "paragraphs": [_paragraph_json(p) for p in s.paragraphs]}
            for s in report.sections
        ],
        CLOSING: _paragraph_json(report.closing),
    }


def _sentence(data: dict[str, Any]) -> Sentence:
    figures = tuple(
        Figure(f["text"], Decimal(f["value"]), f["code"], {k: tuple(v) for k, v in f["sources"].items()})
        for f in data.get("figures", ())
    )
    sources = {k: tuple(v) for k, v in data.get("sources", {}).items()}
    return Sentence(data["text"], figures, tuple(data.get("quotes", ())), sources)


def _paragraph(data: dict[str, Any]) -> Paragraph:
    return Paragraph(tuple(_sentence(s) for s in data["sentences"]), heading=bool(data.get("heading")))


def to_report(content: Content, scope: Scope) -> AnnualReport:
    """A stored report back as an AnnualReport, for the .docx writer and the preview."""
    sections = tuple(
        Section(s["key"], s["title"], tuple(_paragraph(p) for p in s["paragraphs"]))
        for s in content["sections"]
    )
    return AnnualReport(
        _sentence(content[TITLE]), _paragraph(content[OPENING]), sections, _paragraph(content[CLOSING]), scope
    )


# --- text of the parts --------------------------------------------------------------------------------------


def paragraph_text(paragraph: dict[str, Any]) -> str:
    return "".join(s["text"] for s in paragraph["sentences"])


def part_lines(paragraphs: list[dict[str, Any]]) -> str:
    """A part's paragraphs as the editor shows them: one paragraph a line."""
    return "\n".join(paragraph_text(p) for p in paragraphs)


def parts(content: Content) -> Iterator[tuple[str, str, str]]:
    """(key, label, text) of every part in reading order: the title, the opening, each section, the closing.
    A section's text starts with its title line."""
    yield TITLE, "标题", content[TITLE]["text"]
    yield OPENING, "开头", paragraph_text(content[OPENING])
    for section in content["sections"]:
        yield (
            section["key"],
            section["title"],
            "\n".join([section["title"], part_lines(section["paragraphs"])]),
        )
    yield CLOSING, "结尾", paragraph_text(content[CLOSING])


def sentences(content: Content) -> Iterator[dict[str, Any]]:
    yield content[TITLE]
    for paragraph in _paragraphs(content):
        yield from paragraph["sentences"]


def _paragraphs(content: Content) -> Iterator[dict[str, Any]]:
    yield content[OPENING]
    for section in content["sections"]:
        yield from section["paragraphs"]
    yield content[CLOSING]


# --- reading edited text back -------------------------------------------------------------------------------


class Known:
    """The sentences whose records are known (from the generated text and the text being edited), found by
    their words: an unchanged sentence in the office's text keeps its figures and records."""

    def __init__(self, *contents: Content) -> None:
        self.sentences: dict[str, dict[str, Any]] = {}
        self.headings: set[str] = set()
        for content in contents:
            for sentence in sentences(content):
                if sentence["text"] and not sentence.get("edited"):
                    self.sentences.setdefault(sentence["text"], sentence)
            for paragraph in _paragraphs(content):
                if paragraph.get("heading"):
                    self.headings.add(paragraph_text(paragraph))
        # Longest first under each two-character start, so "…完成。" is matched before a shorter prefix.
        self._by_start: dict[str, list[str]] = {}
        for text in sorted(self.sentences, key=len, reverse=True):
            self._by_start.setdefault(text[:2], []).append(text)

    def match(self, text: str, at: int, after_known: bool) -> str | None:
        # Only where a sentence can begin: a known sentence inside the office's own words is not a match.
        if at and not after_known and text[at - 1] not in ENDS:
            return None
        for candidate in self._by_start.get(text[at : at + 2], ()):
            if text.startswith(candidate, at):
                return candidate
        return None

    def sentences_of(self, text: str, local: Iterable[dict[str, Any]] = ()) -> list[dict[str, Any]]:
        """The text split into sentences: known ones as they were, the rest marked edited. The same words can
        rest on different records in different places ("某局：已按计划推进。" quotes several reports), so
        the sentences of the paragraph the text replaces (`local`) are taken first, in their order."""
        nearby = [sentence for sentence in local if not sentence.get("edited")]
        found: list[dict[str, Any]] = []
        pending: list[str] = []
        at, after_known = 0, False
        while at < len(text):
            known = self.match(text, at, after_known)
            after_known = known is not None
            if known is None:
                pending.append(text[at])
                at += 1
                continue
            found.extend(_edited("".join(pending)))
            pending = []
            here = next((i for i, sentence in enumerate(nearby) if sentence["text"] == known), None)
            found.append(nearby.pop(here) if here is not None else self.sentences[known])
            at += len(known)
        found.extend(_edited("".join(pending)))
        return found

    def paragraph(self, line: str, before: dict[str, Any] | None = None) -> dict[str, Any]:
        heading = line in self.headings or bool(HEADING.match(line))
        local = before["sentences"] if before else ()
        return {"heading": heading, "sentences": self.sentences_of(line, local)}

    def paragraphs(self, lines: list[str], before: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The lines of a section as paragraphs, each unchanged line kept as the paragraph it was."""
        result: list[dict[str, Any]] = []
        old_texts = [paragraph_text(p) for p in before]
        matcher = difflib.SequenceMatcher(None, old_texts, lines, autojunk=False)
        for op, a0, a1, b0, b1 in matcher.get_opcodes():
            if op == "equal":
                result.extend(before[a0:a1])
                continue
            olds = before[a0:a1]
            for offset, line in enumerate(lines[b0:b1]):
                result.append(self.paragraph(line, olds[offset] if offset < len(olds) else None))
        return result


def _edited(text: str) -> list[dict[str, Any]]:
    return [{"text": part, "edited": True} for part in SENTENCE.findall(text) if part.strip()]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


@dataclass(frozen=True)
class Edit:
    """What the editor sends: the title, the opening, each section's title and paragraphs, the closing."""

    title: str
    opening: str
    sections: dict[str, tuple[str, str]]  # key → (title, paragraphs, one a line)
    closing: str


def edit_of(content: Content) -> Edit:
    """The editor's starting values for a stored report."""
    return Edit(
        content[TITLE]["text"],
        part_lines([content[OPENING]]),
        {s["key"]: (s["title"], part_lines(s["paragraphs"])) for s in content["sections"]},
        part_lines([content[CLOSING]]),
    )


def apply_edit(content: Content, generated: Content, edit: Edit) -> Content:
    """The stored report after the office's edit: unchanged sentences keep their records."""
    known = Known(content, generated)

    def block(text: str, before: dict[str, Any]) -> dict[str, Any]:
        # The opening and the closing are one paragraph each: line breaks inside them are joined.
        return {"heading": False, "sentences": known.sentences_of("".join(_lines(text)), before["sentences"])}

    title = known.sentences_of("".join(_lines(edit.title)), [content[TITLE]])
    sections = []
    for section in content["sections"]:
        section_title, text = edit.sections.get(section["key"], (section["title"], ""))
        sections.append(
            {
                "key": section["key"],
                "title": "".join(_lines(section_title)) or section["title"],
                "paragraphs": known.paragraphs(_lines(text), section["paragraphs"]),
            }
        )
    return {
        TITLE: _one(title, content[TITLE]),
        OPENING: block(edit.opening, content[OPENING]),
        "sections": sections,
        CLOSING: block(edit.closing, content[CLOSING]),
    }


def _one(sentences: list[dict[str, Any]], before: dict[str, Any]) -> dict[str, Any]:
    if len(sentences) == 1:
        return sentences[0]
    if not sentences:
        return before
    return {"text": "".join(s["text"] for s in sentences), "edited": True}


@dataclass(frozen=True)
class Untraced:
    part: str
    sentence: str
    quantities: tuple[str, ...]


def untraced_claims(content: Content) -> list[Untraced]:
    """Numbers the office typed (in edited sentences): not from the records, to be checked by a person."""
    found = []
    for key, label, _text in parts(content):
        for sentence in _part_sentences(content, key):
            if sentence.get("edited"):
                claims = find_claims(sentence["text"])
                if claims:
                    found.append(Untraced(label, sentence["text"], tuple(c.quantity for c in claims)))
    return found


def _part_sentences(content: Content, key: str) -> list[dict[str, Any]]:
    if key == TITLE:
        return [content[TITLE]]
    if key in (OPENING, CLOSING):
        return list(content[key]["sentences"])
    section = next(s for s in content["sections"] if s["key"] == key)
    return [sentence for paragraph in section["paragraphs"] for sentence in paragraph["sentences"]]


def edited_count(content: Content) -> int:
    return sum(1 for sentence in sentences(content) if sentence.get("edited"))


# --- regenerating -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Merge:
    content: Content
    updated: tuple[str, ...]  # labels of parts taken from the new data
    kept: tuple[str, ...]  # parts the office edited and the new data did not touch
    conflicts: tuple[str, ...]  # parts both the office and the new data changed: the office's text is kept


def _part_map(content: Content) -> dict[str, Any]:
    found: dict[str, Any] = {TITLE: content[TITLE], OPENING: content[OPENING], CLOSING: content[CLOSING]}
    for section in content["sections"]:
        found[section["key"]] = section
    return found


def merge(current: Content, base: Content, fresh: Content) -> Merge:
    """Bring a report up to new data, part by part: where the office left a part as generated (`base`), the
    freshly generated part replaces it; where the office edited it, its text stays, and if the new data
    changed that part too, it is reported as a conflict for the office to read (`diff(base, fresh)` shows
    what)."""
    mine, new = _part_map(current), _part_map(fresh)
    mine_texts = {key: text for key, _label, text in parts(current)}
    old_texts = {key: text for key, _label, text in parts(base)}
    updated, kept, conflicts = [], [], []
    chosen: dict[str, Any] = {}
    for key, label, new_text in parts(fresh):
        mine_text, old_text = mine_texts.get(key), old_texts.get(key)
        if mine_text is None or mine_text == old_text:
            chosen[key] = new[key]
            if mine_text != new_text:
                updated.append(label)
        elif new_text == old_text:
            chosen[key] = mine[key]
            kept.append(label)
        else:
            chosen[key] = mine[key]
            conflicts.append(label)
    content = {
        TITLE: chosen[TITLE],
        OPENING: chosen[OPENING],
        "sections": [chosen[s["key"]] for s in fresh["sections"]],
        CLOSING: chosen[CLOSING],
    }
    return Merge(content, tuple(updated), tuple(kept), tuple(conflicts))


# --- differences --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    kind: str  # "same", "added", "removed"
    text: str


@dataclass(frozen=True)
class Change:
    kind: str  # "same" (collapsed to a count of paragraphs), "added", "removed", "changed"
    spans: tuple[Span, ...] = ()
    count: int = 0


@dataclass(frozen=True)
class PartDiff:
    label: str
    changes: tuple[Change, ...]


def _spans(old: str, new: str) -> tuple[Span, ...]:
    spans = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            spans.append(Span("same", old[a0:a1]))
            continue
        if a1 > a0:
            spans.append(Span("removed", old[a0:a1]))
        if b1 > b0:
            spans.append(Span("added", new[b0:b1]))
    return tuple(spans)


def _changes(old_lines: list[str], new_lines: list[str]) -> tuple[Change, ...]:
    changes = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            changes.append(Change("same", count=a1 - a0))
        elif op == "replace" and a1 - a0 == b1 - b0:
            for old, new in zip(old_lines[a0:a1], new_lines[b0:b1], strict=True):
                changes.append(Change("changed", _spans(old, new)))
        else:
            changes.extend(Change("removed", (Span("removed", line),)) for line in old_lines[a0:a1])
            changes.extend(Change("added", (Span("added", line),)) for line in new_lines[b0:b1])
    return tuple(changes)


def diff(old: Content, new: Content) -> list[PartDiff]:
    """What changed from `old` to `new`, part by part (parts without changes are left out): paragraphs
    compared as lines, changed paragraphs word by word."""
    old_parts = {key: (label, text) for key, label, text in parts(old)}
    result = []
    seen = set()
    for key, label, text in parts(new):
        seen.add(key)
        before = old_parts.get(key, (label, ""))[1]
        if before != text:
            result.append(PartDiff(label, _changes(before.split("\n") if before else [], text.split("\n"))))
    for key, (label, text) in old_parts.items():
        if key not in seen:
            result.append(PartDiff(label, _changes(text.split("\n"), [])))
    return result
