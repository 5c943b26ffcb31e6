"""Assembly: source text → metadata, outline and ledgers → the plan's tasks, as dataclasses and as JSON."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fazhi.docparse.blocks import Line, SourceText, row_lines
from fazhi.docparse.deadlines import Deadline, find_deadlines, find_recurrence, free_text_deadline
from fazhi.docparse.ledger import LedgerRow, read_ledgers
from fazhi.docparse.metadata import Metadata, read_metadata
from fazhi.docparse.outline import Outline, OutlineItem, build_outline, is_heading_like, match_label
from fazhi.docparse.outline import clear_caches as clear_outline_caches
from fazhi.docparse.targets import Target, find_targets
from fazhi.docparse.text import clear_caches as clear_text_caches
from fazhi.docparse.text import fold, is_date_line, is_debris, looks_like_org_line
from fazhi.docparse.units import (
    COOPERATING,
    LEAD,
    RESPONSIBLE,
    Responsibility,
    is_responsibility_line,
    parse_unit_field,
    remove_responsibility,
    split_responsibility,
)
from fazhi.docparse.units import clear_caches as clear_unit_caches

# Sections that frame the plan rather than assign work. Exact headings are never tasks (unless they assign
# units); in a plan that assigns units elsewhere, any short heading naming 要求/目标/原则 is framing too.
_FRAMING_EXACT = re.compile(
    r"^(?:总体要求|指导思想|工作目标|总体目标|主要目标|目标任务|基本原则|工作原则|工作要求|有关要求|相关要求|保障措施|"
    r"组织保障|工作保障|实施步骤|工作步骤|步骤安排|组织实施|进度安排|时间安排|工作安排|总体思路|工作思路|适用范围|编制依据|"
    r"指导思想和(?:工作|总体)?目标|指导思想和基本原则|总体要求和(?:主要|工作)?目标)$"
)
_FRAMING_WORDS = re.compile(r"要求|目标|原则|指导思想|保障措施|实施步骤|工作步骤")


@dataclass(frozen=True, slots=True)
class Task:
    """One task of the plan; ``span`` is [start, end) into ``PlanDocument.source.text``."""

    path: tuple[str, ...]
    title: str | None
    text: str
    lead_units: list[str]
    units: list[str]
    cooperating_units: list[str]
    targets: list[Target]
    deadlines: list[Deadline]
    recurrence: str | None
    span: tuple[int, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": list(self.path),
            "title": self.title,
            "text": self.text,
            "lead_units": list(self.lead_units),
            "units": list(self.units),
            "cooperating_units": list(self.cooperating_units),
            "targets": [target.to_dict() for target in self.targets],
            "deadlines": [deadline.to_dict() for deadline in self.deadlines],
            "recurrence": self.recurrence,
        }


@dataclass
class PlanDocument:
    """Everything the reader found: the contract fields plus the layers below them."""

    title: str | None
    issuer: str | None
    doc_number: str | None
    date: date | None
    year: int | None
    kind: str
    tasks: list[Task]
    warnings: list[str]
    source: SourceText
    outline: Outline
    metadata: Metadata = field(repr=False)
    # Headings of a ledger's 一级指标/二级指标 cells by the path prefix they number (not in the contract).
    headings: dict[tuple[str, ...], str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The contract JSON object, exactly these keys."""
        return {
            "title": self.title,
            "issuer": self.issuer,
            "doc_number": self.doc_number,
            "date": self.date.isoformat() if self.date else None,
            "year": self.year,
            "kind": self.kind,
            "tasks": [task.to_dict() for task in self.tasks],
            "warnings": list(self.warnings),
        }


def parse_source(source: SourceText, year: int | None = None) -> PlanDocument:
    """Read the plan out of a source text."""
    try:
        return _parse_source(source, year)
    finally:
        # The layers ask the same questions of the same lines; the caches serve one document only.
        clear_text_caches()
        clear_unit_caches()
        clear_outline_caches()


def _parse_source(source: SourceText, year: int | None) -> PlanDocument:
    ledger = read_ledgers(source.blocks)
    prose: list[Line] = []
    rows: list[Line] = []
    for block in source.blocks:
        if block.index in ledger.consumed:
            continue
        if block.is_row:
            prose.extend(row_lines(block))
            rows.append(Line(block.text, block.start))
        else:
            prose.append(Line(block.text, block.start))
    meta = read_metadata(prose, rows, year)
    outline = build_outline(_body_lines(prose, meta), resets=meta.plan_titles)
    builder = _TaskBuilder(meta.year)
    tasks = builder.outline_tasks(outline)
    ledger_tasks = [builder.ledger_task(row) for row in ledger.rows]
    if ledger_tasks:
        # A ledger lists every task; prose items only add what carries its own responsibility line.
        tasks = ledger_tasks + [
            task for task, answered in zip(tasks, builder.answered, strict=True) if answered
        ]
    warnings: list[str] = []
    tasks, repeated = _unique_tasks(tasks)
    if repeated:
        warnings.append(f"文档内容重复出现(网页转载常见),重复的 {repeated} 项任务已合并为一项。")
    kind = _kind(meta, ledger_tasks, sum(builder.answered))
    if kind == "plan" and meta.doc_type != "plan":
        warnings.append("没有找到计划标题,根据任务的责任分工判断为工作计划,请核对。")
    if kind == "report":
        warnings.append("这是法治政府建设情况报告,不是工作计划:未提取任务。")
        tasks = []
    elif kind == "other":
        label = "通知" if meta.doc_type == "notice" else "文章或其他文件"
        warnings.append(f"这份文件看起来是{label},不是工作计划(没有计划标题,也没有责任分工):未提取任务。")
        tasks = []
    elif not tasks:
        warnings.append("没有识别到任何任务:请检查任务是否按“一、(一)1.”编号,或改用 Word(.docx)版本导入。")
    if kind == "plan":
        warnings.extend(_task_warnings(tasks, meta))
    return PlanDocument(
        title=meta.title,
        issuer=meta.issuer,
        doc_number=meta.doc_number,
        date=meta.date,
        year=meta.year,
        kind=kind,
        tasks=tasks,
        warnings=warnings,
        source=source,
        outline=outline,
        metadata=meta,
        headings=_ledger_headings(ledger.rows),
    )


def _ledger_headings(rows: list[LedgerRow]) -> dict[tuple[str, ...], str]:
    """一级指标/二级指标 texts by the path prefix they stand for: 一、加强党的领导 → ("一",): 加强党的领导."""
    headings: dict[tuple[str, ...], str] = {}
    for row in rows:
        for depth, part in enumerate(row.path[:-1], start=1):
            for written in (row.area, row.group):
                label = match_label(fold(written)) if written else None
                if written and written == part:
                    headings.setdefault(row.path[:depth], written)
                elif label is not None and label.start == 0 and label.text == part:
                    headings.setdefault(row.path[:depth], written[label.end :].strip())
    return headings


def _body_lines(prose: list[Line], meta: Metadata) -> list[Line]:
    """Prose after the cover notice, debris and signatures left out."""
    out: list[Line] = []
    for index, line in enumerate(prose):
        if line.start < meta.body_start or is_debris(line.text):
            continue
        following = prose[index + 1].text if index + 1 < len(prose) else ""
        if looks_like_org_line(line.text) and is_date_line(following):
            continue  # the signature under the plan
        out.append(line)
    return out


def _kind(meta: Metadata, ledger_tasks: list[Task], answered: int) -> str:
    if meta.doc_type in ("plan", "report"):
        return meta.doc_type
    if ledger_tasks or answered >= 3:
        return "plan"
    return "other"


def _unique_tasks(tasks: list[Task]) -> tuple[list[Task], int]:
    """A page that holds the plan twice yields each task once: same path, title, text and units."""
    seen: set[tuple[object, ...]] = set()
    out: list[Task] = []
    for task in tasks:
        # Whitespace is ignored: str.split() splits on exactly the characters the regex \s matches.
        key = (task.path, task.title, "".join(fold(task.text).split()), tuple(task.units))
        if key in seen:
            continue
        seen.add(key)
        out.append(task)
    return out, len(tasks) - len(out)


def _task_warnings(tasks: list[Task], meta: Metadata) -> list[str]:
    warnings: list[str] = []
    without_units = [".".join(task.path) for task in tasks if not task.units]
    if without_units:
        shown = "、".join(without_units[:10]) + ("等" if len(without_units) > 10 else "")
        warnings.append(f"{len(without_units)} 项任务没有识别到责任单位:{shown},请补充。")
    if meta.year is None and any(d.rule and not d.date for task in tasks for d in task.deadlines):
        warnings.append("未能确定计划年度,截止日期没有换算成具体日期:请用 --year 指定年度。")
    return warnings


def split_title(head: str, body: list[str]) -> tuple[str | None, list[str]]:
    """An item's heading and its text lines.

    A short head line followed by more lines is the heading (``(一)坚持党的集中统一领导``); otherwise a first
    sentence of at most 30 characters followed by more text is an inline heading
    (``1.抓好《纲要》贯彻落实。根据…``).
    """
    head = head.strip()
    # A head followed only by responsibility lines is the task's whole text, not a heading.
    has_text_below = any(line.strip() and not is_responsibility_line(line) for line in body)
    if head and has_text_below and is_heading_like(head):
        return _strip_heading(head), body
    if head:
        folded = fold(head)
        stop = folded.find("。")
        if 0 < stop <= 30 and folded[stop + 1 :].strip():
            first = folded[:stop]
            # A sentence followed only by its responsibility bracket is the text, not a heading.
            has_text_after = bool(remove_responsibility(head[stop + 1 :])[0].strip())
            if ("," not in first or stop <= 20) and has_text_after:
                return _strip_heading(head[:stop]), [head[stop + 1 :].strip(), *body]
        return None, [head, *body]
    return None, body


def _strip_heading(text: str) -> str:
    return text.strip().rstrip("。.:：;；,， ").strip()


class _TaskBuilder:
    def __init__(self, year: int | None) -> None:
        self.year = year
        self.answered: list[bool] = []
        self._own: dict[int, Responsibility] = {}
        self._any_responsibility = False

    # --- outline ------------------------------------------------------------
    def outline_tasks(self, outline: Outline) -> list[Task]:
        self._any_responsibility = any(self.own(item).found for item in outline.items())
        tasks: list[Task] = []
        for root in outline.roots:
            self._walk(root, None, tasks)
        return tasks

    def own(self, item: OutlineItem) -> Responsibility:
        """Responsibility written in the item's own lines (not its children's)."""
        key = id(item)
        if key not in self._own:
            text = "\n".join([item.head.text, *[line.text for line in item.body]])
            self._own[key] = split_responsibility(text)[1]
        return self._own[key]

    def subtree_answered(self, item: OutlineItem) -> bool:
        return any(self.own(node).found for node in item.walk())

    def _walk(self, item: OutlineItem, inherited: Responsibility | None, out: list[Task]) -> None:
        if self._is_framing(item):
            return
        own = self.own(item)
        if not item.children or self._folds_children(item):
            if item.head.text or item.body or own.found:
                task, answered = self._item_task(item, inherited)
                out.append(task)
                self.answered.append(answered)
            return
        for child in item.children:
            self._walk(child, own if own.found else inherited, out)

    def _is_framing(self, item: OutlineItem) -> bool:
        if self.own(item).found:
            return False  # framing sections assign no units; most items answer this cheaply
        heading = _strip_heading(
            split_title(item.head.text, [line.text for line in item.body] or ["-"])[0] or ""
        )
        heading = fold(heading)
        if not heading:
            return False
        framing = _FRAMING_EXACT.match(heading) or (
            self._any_responsibility and len(heading) <= 12 and _FRAMING_WORDS.search(heading)
        )
        # A framing section assigns no units; reading the whole subtree costs more, so it is asked last.
        return bool(framing) and not self.subtree_answered(item)

    def _folds_children(self, item: OutlineItem) -> bool:
        """Sub-points that are pieces of their parent's task: the parent is the task.

        Either the parent introduces them as a list (its text ends with a colon) and none has a responsibility
        line, or only the last one is followed by a responsibility line of its own that serves them all.
        """
        children = item.children
        own_text = item.body[-1].text if item.body else item.head.text
        if fold(own_text).rstrip().endswith(":") and not any(self.subtree_answered(c) for c in children):
            return True
        if len(children) < 2 or self.own(item).found:
            return False
        if any(self.subtree_answered(child) for child in children[:-1]) or children[-1].children:
            return False
        last = children[-1]
        return any(is_responsibility_line(line.text) for line in last.body)

    def _item_task(self, item: OutlineItem, inherited: Responsibility | None) -> tuple[Task, bool]:
        body = [line.text for line in item.body]
        for child in item.children:
            body.extend(_full_lines(child))
        title, text_lines = split_title(item.head.text, body)
        text, found = split_responsibility("\n".join(text_lines))
        if title:
            title, in_title = split_responsibility(title)
            title = _strip_heading(title) or None
            if in_title.found:
                in_title.extend(found)
                found = in_title
        answered = found.found
        if not answered and inherited is not None:
            found = inherited
        task = self._task(item.path, title, text, found, [], (item.start, item.end))
        return task, answered

    # --- ledgers ------------------------------------------------------------
    def ledger_task(self, row: LedgerRow) -> Task:
        lines = row.text.split("\n")
        if row.title:
            title: str | None = row.title
            text_lines = lines
        else:
            title, text_lines = split_title(lines[0], lines[1:])
        text, found = split_responsibility("\n".join(text_lines))
        units = Responsibility()
        for cell, role in ((row.lead, LEAD), (row.responsible, RESPONSIBLE), (row.cooperating, COOPERATING)):
            if cell:
                units.extend(parse_unit_field(cell, role))
        units.extend(found)
        deadlines = free_text_deadline(row.deadline, self.year)
        extra = f"{row.target}\n{row.deadline}"
        return self._task(row.path, title, text, units, deadlines, row.span, extra)

    # --- shared ------------------------------------------------------------
    def _task(
        self,
        path: tuple[str, ...],
        title: str | None,
        text: str,
        found: Responsibility,
        deadlines: list[Deadline],
        span: tuple[int, int],
        extra: str = "",
    ) -> Task:
        text = text.strip() or (title or "")
        deadlines = deadlines + find_deadlines(text, self.year)
        for written in found.deadline_texts:
            deadlines.extend(free_text_deadline(written, self.year))
        deadlines = _unique_deadlines(deadlines)
        targets = find_targets(text)
        if extra.strip():
            # A 目标要求 column often repeats the text's targets: each reading is kept once.
            targets += [target for target in find_targets(extra) if target not in targets]
        recurrence = find_recurrence(" ".join([text, extra, *found.deadline_texts]))
        return Task(
            path=path,
            title=title,
            text=text,
            lead_units=found.lead_units,
            units=found.units,
            cooperating_units=found.cooperating_units,
            targets=targets,
            deadlines=deadlines,
            recurrence=recurrence,
            span=span,
        )


def _full_lines(item: OutlineItem) -> list[str]:
    """An item's lines as written, label included, children after it."""
    lines = [item.written, *(line.text for line in item.body)]
    for child in item.children:
        lines.extend(_full_lines(child))
    return lines


def _unique_deadlines(deadlines: list[Deadline]) -> list[Deadline]:
    seen: set[tuple[str, date | None]] = set()
    out: list[Deadline] = []
    for deadline in deadlines:
        key = (deadline.text, deadline.date)
        if key not in seen:
            seen.add(key)
            out.append(deadline)
    return out
