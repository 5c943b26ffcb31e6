"""任务台账 tables: a header row names the columns (序号, 一级指标, 二级指标, 主要任务, 牵头单位, 责任单位,
完成时限 …),
each row below is a task. Merged cells arrive already filled by the readers (a 一级指标 cell merged over five
rows gives all five rows its text); a row whose cells all hold one text is a section heading row.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from fazhi.docparse.blocks import Block
from fazhi.docparse.outline import match_label
from fazhi.docparse.text import fold

_HEADERS = {
    "seq": "序号 编号 项次 序",
    "l1": "一级指标 一级任务 一级目录 工作领域 重点领域 任务类别 类别 领域 板块 工作板块 主要方面 考核项目",
    "l2": "二级指标 二级任务 二级目录 子任务 工作项目 具体项目",
    "task": "主要任务 工作任务 重点任务 重点工作 任务 具体任务 任务内容 工作内容 工作事项 具体工作 "
    "任务事项 主要内容 "
    "任务名称 工作要点 三级指标 具体内容 任务举措 重点工作任务 工作措施 具体措施 主要措施 工作举措 任务分解 "
    "考核内容 评价内容 指标内容",
    "lead": "牵头单位 牵头部门 主责单位 主责部门 牵头责任单位 牵头科室",
    "resp": "责任单位 责任部门 责任主体 承办单位 落实单位 实施单位 责任科室 负责单位",
    "coop": "配合单位 配合部门 协办单位 协办部门 参与单位 协同单位 配合科室",
    "deadline": "完成时限 完成时间 时间节点 时限 时限要求 完成期限 进度安排 时间安排 完成时间节点 截止时间",
    "target": "工作目标 预期目标 目标 目标要求 完成标准 工作标准 目标任务",
}
_ROLE_OF_HEADER = {word: role for role, words in _HEADERS.items() for word in words.split()}
_NOTE = re.compile(r"\([^)]{0,12}\)|[*:\s]")
_UNIT_ROLES = ("lead", "resp", "coop")


@dataclass
class LedgerRow:
    """One task row of a ledger, still as cell texts (``plan`` turns it into a task)."""

    path: tuple[str, ...]
    title: str | None
    text: str
    lead: str
    responsible: str
    cooperating: str
    deadline: str
    target: str
    span: tuple[int, int]
    area: str = ""
    group: str = ""


@dataclass
class Ledger:
    rows: list[LedgerRow] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)


def _header_role(cell: str) -> str | None:
    key = _NOTE.sub("", fold(cell))
    return _ROLE_OF_HEADER.get(key)


def _header_roles(block: Block) -> dict[int, str]:
    return {i: role for i, cell in enumerate(block.cells) if (role := _header_role(cell))}


def _is_header(roles: dict[int, str]) -> bool:
    kinds = set(roles.values())
    return "task" in kinds and bool(kinds & {"lead", "resp", "coop", "deadline"})


def read_ledgers(blocks: tuple[Block, ...]) -> Ledger:
    """Find ledger tables among the blocks and read their task rows."""
    ledger = Ledger()
    tables: dict[int, list[Block]] = {}
    for block in blocks:
        if block.table is not None:
            tables.setdefault(block.table, []).append(block)
    previous: tuple[int, dict[int, str]] | None = None
    for rows in tables.values():
        columns, first_data = _find_header(rows)
        if columns is None and previous and rows and len(rows[0].cells) == previous[0]:
            # A ledger broken across pages continues in a table without a header of its own.
            columns, first_data = previous[1], 0
        if columns is None:
            continue
        previous = (len(rows[0].cells), columns)
        ledger.consumed.update(block.index for block in rows[:first_data] if _header_roles(block))
        ledger.rows.extend(_read_rows(rows[first_data:], columns, ledger.consumed))
    _disambiguate(ledger.rows)
    return ledger


def _find_header(rows: list[Block]) -> tuple[dict[int, str] | None, int]:
    for index, block in enumerate(rows[:10]):
        roles = _header_roles(block)
        if not _is_header(roles):
            continue
        first_data = index + 1
        if first_data < len(rows):
            # Two-row headers: "责任单位" merged over "牵头单位 | 配合单位".
            sub = _header_roles(rows[first_data])
            filled = sum(1 for cell in rows[first_data].cells if cell)
            if len(sub) >= 2 and 2 * len(sub) >= filled:
                roles.update(sub)
                first_data += 1
        return roles, first_data
    return None, 0


def _read_rows(rows: list[Block], columns: dict[int, str], consumed: set[int]) -> list[LedgerRow]:
    out: list[LedgerRow] = []
    task_columns = [i for i, role in sorted(columns.items()) if role == "task"]
    area = group = ""
    counter = 0
    for block in rows:
        cells = block.cells
        if _header_roles(block) == columns:
            consumed.add(block.index)
            continue  # the header repeated on a new page
        filled = [i for i, cell in enumerate(cells) if cell]
        distinct = {cells[i] for i in filled}
        if len(distinct) == 1 and (len(filled) >= 2 or filled[0] not in task_columns):
            consumed.add(block.index)
            heading = distinct.pop()
            label = match_label(fold(heading))
            if label and label.style in ("paren_cn", "num", "paren_num"):
                group = heading
            else:
                area, group = heading, ""
            continue
        text = _cell(cells, task_columns[-1:])
        if not text:
            continue
        consumed.add(block.index)
        counter += 1
        area = _value(cells, columns, "l1") or area
        group = _value(cells, columns, "l2") or (group if not _value(cells, columns, "l1") else "")
        title = _cell(cells, task_columns[:1]) if len(task_columns) > 1 else None
        seq = _value(cells, columns, "seq")
        label = match_label(fold(text))
        if label is not None and label.start == 0:
            seq = seq or label.text
            text = text[label.end :].strip()
        out.append(
            LedgerRow(
                path=_path(area, group, seq, counter),
                title=title or None,
                text=text,
                lead=_value(cells, columns, "lead"),
                responsible=_value(cells, columns, "resp"),
                cooperating=_value(cells, columns, "coop"),
                deadline=_value(cells, columns, "deadline"),
                target=_value(cells, columns, "target"),
                span=(block.start, block.end),
                area=area,
                group=group,
            )
        )
    return out


def _cell(cells: tuple[str, ...], indexes: list[int]) -> str:
    return "\n".join(cells[i] for i in indexes if i < len(cells) and cells[i]).strip()


def _value(cells: tuple[str, ...], columns: dict[int, str], role: str) -> str:
    values: list[str] = []
    for index, column_role in sorted(columns.items()):
        if column_role == role and index < len(cells) and cells[index] and cells[index] not in values:
            values.append(cells[index])
    return "\n".join(values).strip()


def _label_of(text: str) -> str | None:
    label = match_label(fold(text))
    return label.text if label is not None and label.start == 0 else None


def _path(area: str, group: str, seq: str, counter: int) -> tuple[str, ...]:
    parts = [
        part for part in (_label_of(area) if area else None, _label_of(group) if group else None) if part
    ]
    seq_label = _label_of(seq) if seq else None
    parts.append(seq_label or fold(seq).strip().rstrip(".、") or str(counter))
    return tuple(parts)


def _disambiguate(rows: list[LedgerRow]) -> None:
    """When 序号 restarts in each 一级指标 and areas carry no numbers, the area text tells rows apart."""
    counts = Counter(row.path for row in rows)
    for row in rows:
        if counts[row.path] > 1:
            prefix = [part for part in (row.area, row.group) if part and _label_of(part) is None]
            row.path = (*prefix, *row.path)
