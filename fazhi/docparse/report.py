"""Reading an annual 法治政府建设 report: its sections, its figures and, against a plan, what it covers.

``analyse_report(path_or_bytes, plan=None)`` → ``ReportAnalysis`` (``to_dict()`` is the contract JSON of
``report analyze``):

- ``sections``: the top-level headings (``一、``; ``(一)`` when a report has no ``一、``), each mapped to a
  part of the mandated structure (DOMAIN.md §1.5): ``leaders`` (党政主要负责人履行…第一责任人职责),
  ``measures`` (主要举措/成效/工作开展情况/主要做法, or a heading naming one of the 纲要's 体系),
  ``shortcomings`` (不足/问题/短板/差距), ``next_year`` (下一年度, 20xx年工作安排/打算/思路),
  else ``other``.
- ``claims``: the figures of the body (``claims.find_claims``), line by line.
- with a plan: ``coverage`` lists, per plan task, the report sentences that evidence it: character-bigram
  TF-IDF cosine (``fazhi.lib.similarity``, pure Python) at or above ``EVIDENCE_THRESHOLD``, best first, at
  most three, taken only from what the report says was done (not from its shortcomings or next year's plans);
  ``targets`` compares each plan target with the report's claim in the same unit whose sentence is most like
  the target's own words.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fazhi.docparse.blocks import Line, SourceText, row_lines
from fazhi.docparse.claims import Claim, find_claims
from fazhi.docparse.metadata import read_metadata
from fazhi.docparse.outline import match_label
from fazhi.docparse.plan import PlanDocument, Task
from fazhi.docparse.readers import read_bytes, read_path
from fazhi.docparse.safety import DEFAULT_MAX_BYTES
from fazhi.docparse.targets import Target
from fazhi.docparse.text import clear_caches, fold, is_debris
from fazhi.lib.similarity import Similarity

# Scores measured on the seed pair 000 (plan) / 001 (report), checked by hand: a task's text and a sentence
# about the same work score from about 0.2 upwards (its title and one clause from 0.3), unrelated sentences of
# the genre stay below 0.15 (0.2).
EVIDENCE_THRESHOLD = 0.2
TITLE_WEIGHT = 0.67
HEADING_WEIGHT = 0.5
TARGET_THRESHOLD = 0.12
MAX_EVIDENCE = 3

PARTS = ("leaders", "measures", "shortcomings", "next_year", "other")
_LEADERS = re.compile(r"第一责任人|主要负责人履行|党政主要负责人")
_SHORTCOMINGS = re.compile(r"不足|问题|短板|差距|薄弱")
_NEXT_YEAR = re.compile(
    r"下一年度|下一步|下步|明年|来年|(?:19|20)\d{2}年(?:度)?(?:的)?(?:工作)?(?:安排|打算|思路|计划|重点|要点)|"
    r"工作(?:安排|打算|思路|计划)|今后"
)
_MEASURES = re.compile(r"举措|成效|开展情况|主要做法|工作情况|进展|主要工作|取得|成绩|落实情况|体系")
_REGION_IN_TITLE = re.compile(r"^(?P<region>[^\d\s,。、]{2,24}?)(?:人民政府)?(?:关于)?(?:\d{4}|二〇)")
_REGION_IN_PROSE = re.compile(
    r"(?:^|[,。])(?P<region>[\u4e00-\u9fff]{1,10}?(?:自治县|自治州|自治旗|新区|开发区|县|区|市|旗|盟|州|省))"
    r"(?=全面|坚持|深入|认真|始终|紧紧|紧扣|围绕|扎实|持续|积极|以|在)"
)
_ISSUER_TAIL = re.compile(r"(?:人民政府|政府)?(?:办公室|办公厅)?$")
_YEAR_OPENING = re.compile(r"^\s*((?:19|20)\d{2})\s*年")
_CLAUSE = re.compile(r"[,;:]")
_SENTENCE = re.compile(r"[^。;!?]+[。;!?]?")
_LIKE_UNITS = {"课时": "学时", "‰": "‰"}


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    part: str
    start: int  # offset of the heading in ``ReportAnalysis.source.text``

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "part": self.part}


@dataclass(frozen=True, slots=True)
class Coverage:
    path: tuple[str, ...]
    task: str
    evidence: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": list(self.path),
            "task": self.task,
            "evidence": list(self.evidence),
            "status": "reported" if self.evidence else "not_reported",
        }


@dataclass(frozen=True, slots=True)
class TargetCheck:
    path: tuple[str, ...]
    target: str
    reported: str | None
    status: str  # "met" | "not_met" | "not_reported"

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": list(self.path),
            "target": self.target,
            "reported": self.reported,
            "status": self.status,
        }


@dataclass
class ReportAnalysis:
    kind: str
    region: str | None
    year: int | None
    sections: list[Section]
    claims: list[Claim]
    coverage: list[Coverage] | None = None
    targets: list[TargetCheck] | None = None
    source: SourceText | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "kind": self.kind,
            "region": self.region,
            "year": self.year,
            "sections": [section.to_dict() for section in self.sections],
            "claims": [claim.to_dict() for claim in self.claims],
        }
        if self.coverage is not None:
            result["coverage"] = [item.to_dict() for item in self.coverage]
        if self.targets is not None:
            result["targets"] = [item.to_dict() for item in self.targets]
        return result


def analyse_report(
    source: str | Path | bytes,
    plan: PlanDocument | None = None,
    *,
    filename: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ReportAnalysis:
    """Read the report in a file (path) or an upload (bytes); with ``plan``, check it against its tasks."""
    if isinstance(source, bytes):
        text = read_bytes(source, filename, max_bytes=max_bytes)
    else:
        text = read_path(source, max_bytes=max_bytes)
    try:
        return analyse_source(text, plan)
    finally:
        clear_caches()


def analyse_source(source: SourceText, plan: PlanDocument | None = None) -> ReportAnalysis:
    prose: list[Line] = []
    rows: list[Line] = []
    for block in source.blocks:
        if block.is_row:
            prose.extend(row_lines(block))
            rows.append(Line(block.text, block.start))
        else:
            prose.append(Line(block.text, block.start))
    meta = read_metadata(prose, rows)
    body = [line for line in prose if line.start >= meta.body_start and not is_debris(line.text)]
    title_start = next((line.start for line in body if line.text == meta.title), None)
    body = [line for line in body if line.start != title_start]
    sections = find_sections(body)
    claims: list[Claim] = []
    for line in body:
        for claim in find_claims(line.text):
            start, end = claim.span
            claims.append(
                Claim(
                    claim.quantity,
                    claim.value,
                    claim.unit,
                    claim.subject,
                    claim.approx,
                    claim.change,
                    (line.start + start, line.start + end),
                )
            )
    kind = meta.doc_type if meta.doc_type in ("plan", "report") else "other"
    analysis = ReportAnalysis(
        kind=kind,
        region=_region(meta.title, meta.issuer, body),
        year=_year(meta.title, meta.year, body),
        sections=sections,
        claims=claims,
        source=source,
    )
    if plan is not None:
        sentences = _done_sentences(body, sections)
        analysis.coverage, analysis.targets = _compare(plan, sentences, claims)
    return analysis


def part_of(title: str) -> str:
    """The part of the mandated report structure a heading stands for."""
    folded = fold(title)
    if _LEADERS.search(folded):
        return "leaders"
    if _NEXT_YEAR.search(folded):
        return "next_year"
    if _SHORTCOMINGS.search(folded):
        return "shortcomings"
    if _MEASURES.search(folded):
        return "measures"
    return "other"


def find_sections(body: list[Line]) -> list[Section]:
    """Top-level headings: ``一、`` lines, or ``(一)`` lines when the report numbers nothing with ``一、``."""
    for style in ("cn", "paren_cn"):
        sections: list[Section] = []
        for line in body:
            folded = fold(line.text)
            label = match_label(folded)
            if label is None or label.style != style:
                continue
            title = re.split(r"[。;]", line.text[label.end :].strip(), maxsplit=1)[0].strip()
            if title and len(title) <= 60:
                sections.append(Section(title, part_of(title), line.start))
        if sections:
            return sections
    return []


def _region(title: str | None, issuer: str | None, body: list[Line]) -> str | None:
    if title and (match := _REGION_IN_TITLE.match(fold(title))):
        return match["region"]
    if issuer:
        return _ISSUER_TAIL.sub("", issuer) or None
    for line in body[:3]:
        if match := _REGION_IN_PROSE.search(fold(line.text)[:200]):
            return match["region"]
    return None


def _year(title: str | None, meta_year: int | None, body: list[Line]) -> int | None:
    # A report is signed early the next year: its year is the one it reports on, named in the title or at the
    # opening of its first paragraph (``2024年,在市委…``), not the year of the signature.
    if title and (match := re.search(r"((?:19|20)\d{2})\s*年", fold(title))):
        return int(match[1])
    for line in body[:2]:
        if match := _YEAR_OPENING.match(fold(line.text)):
            return int(match[1])
    return meta_year


@dataclass(frozen=True, slots=True)
class _Sentence:
    text: str
    start: int
    end: int
    heading: str  # the heading of the part of the report it stands in: (五)健全突发事件应对体系


def _done_sentences(body: list[Line], sections: list[Section]) -> list[_Sentence]:
    """Sentences that say what was done: not headings, not shortcomings, not next year's plans."""
    excluded: list[tuple[int, int]] = []
    for index, section in enumerate(sections):
        if section.part in ("shortcomings", "next_year"):
            end = sections[index + 1].start if index + 1 < len(sections) else 1 << 62
            excluded.append((section.start, end))
    sentences: list[_Sentence] = []
    heading = ""
    for line in body:
        if any(start <= line.start < end for start, end in excluded):
            continue
        label = match_label(fold(line.text))
        for number, match in enumerate(_SENTENCE.finditer(line.text)):
            text = match[0].strip()
            # A labelled line opens with its heading: (一)全面加强党的领导,法治政府建设责任压紧靠实。
            if label is not None and number == 0 and len(text) <= 40:
                heading = text[label.end :].strip() if text.startswith(line.text[: label.end]) else text
                continue
            if len(text) >= 8:
                start = line.start + match.start()
                sentences.append(_Sentence(text, start, line.start + match.end(), heading))
    return sentences


def _compare(
    plan: PlanDocument, sentences: list[_Sentence], claims: list[Claim]
) -> tuple[list[Coverage], list[TargetCheck]]:
    tasks = plan.tasks
    texts = [sentence.text for sentence in sentences]
    clauses = [[c for c in _CLAUSE.split(text) if len(c) >= 4] for text in texts]
    model = Similarity(
        [*(task.text for task in tasks), *texts, *(clause for parts in clauses for clause in parts)]
    )
    starts = [sentence.start for sentence in sentences]
    claim_sentences: list[tuple[Claim, str]] = []
    for claim in claims:
        at = bisect_right(starts, claim.span[0]) - 1
        if at >= 0 and claim.span[0] < sentences[at].end:
            claim_sentences.append((claim, sentences[at].text))
    coverage: list[Coverage] = []
    checks: list[TargetCheck] = []
    for task in tasks:
        scored: list[tuple[float, float, int]] = []
        by_heading: dict[str, float] = {}
        for index, (text, parts) in enumerate(zip(texts, clauses, strict=True)):
            # A long task and a long sentence about the same work share many bigrams; a task's short title
            # (进一步加强行政复议职责作用) is better matched against one clause of a sentence, with a higher
            # bar.
            heading = (
                max((model.score(task.title, part) for part in parts), default=0.0) if task.title else 0.0
            )
            # A report's own heading may name the task's work (健全突发事件应对体系 for 完善突发事件应对机制
            # 制度) when its sentences list measures in other words.
            section = sentences[index].heading
            if section not in by_heading:
                by_heading[section] = model.score(task.title, section) if task.title and section else 0.0
            cosine = model.score(task.text, text)
            score = max(cosine, heading * TITLE_WEIGHT, by_heading[section] * HEADING_WEIGHT)
            if score >= EVIDENCE_THRESHOLD:
                scored.append((-score, -cosine, index))
        evidence = [texts[index] for _, _, index in sorted(scored)[:MAX_EVIDENCE]]
        coverage.append(Coverage(task.path, task.title or task.text, evidence))
        checks.extend(_check_target(model, task, target, claim_sentences) for target in task.targets)
    return coverage, checks


def _check_target(
    model: Similarity, task: Task, target: Target, claim_sentences: list[tuple[Claim, str]]
) -> TargetCheck:
    unit = _LIKE_UNITS.get(target.unit, target.unit)
    position = task.text.find(target.text)
    # The words around the target name what it measures: 出庭应诉率持续 | 保持100%, 每年 | 至少开展一次 |
    # 行政执法案卷评查.
    words = task.text
    if position >= 0:
        words = task.text[max(0, position - 20) : position + len(target.text) + 12]
    best: tuple[float, Claim] | None = None
    for claim, sentence in claim_sentences:
        if _LIKE_UNITS.get(claim.unit, claim.unit) != unit or claim.change:
            continue
        score = max(model.score(words, claim.subject), model.score(words, sentence) * 0.8)
        if score >= TARGET_THRESHOLD and (best is None or score > best[0]):
            best = (score, claim)
    if best is None:
        return TargetCheck(task.path, target.text, None, "not_reported")
    claim = best[1]
    met = _meets(claim.value, target)
    return TargetCheck(
        task.path, target.text, f"{claim.subject}{claim.quantity}", "met" if met else "not_met"
    )


def _meets(value: float | int, target: Target) -> bool:
    comparator = target.comparator
    if comparator == ">=" or comparator == "range":
        return value >= target.value
    if comparator == "<=":
        return value <= target.value
    if comparator == ">":
        return value > target.value
    if comparator == "<":
        return value < target.value
    return value == target.value
