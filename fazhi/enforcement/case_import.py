"""Importing enforcement cases with their steps, streaming, from the exports of provincial case systems.

Formats (the words in CSV/Excel cells and the column names are the file format: fixed Chinese literals, not
gettext; the JSON keys are English):
- .csv or .xlsx (first sheet, read with openpyxl in read-only mode): one row per step (环节), keyed by
  执法主体 + 案件编号. The rows of one case are consecutive, in the order the steps were taken; the case's own
  columns (案件类型, 当事人 …) are read from its first row (the 立案 row) and may be left empty on the others.
- .ndjson / .jsonl: one case per line, ``{"unit": …, "number": …, "kind": …, …, "events": [{"step": …,
  "on": "2025-03-03", "officers": ["15010001", …], …}]}``; the API takes the same objects.

Contract of one import (`import_cases`):
- Bounded memory: the file is read as a stream and checked and written BATCH cases at a time.
- The guards of actions.py apply. Each case is replayed in memory, step by step, through the same workflow
  table and the same guard functions `actions.advance` calls (two certified investigators of the body, the
  notice window, a passed legal review by a legal reviewer who did not investigate before a major decision,
  the collective discussion, the fine inside the discretion standard or a reason). The guards read a case's
  investigators and legal reviews through its related managers, which an unsaved case does not have: the
  replay hands them `_GuardView`, the unsaved case with those two relations answered from the steps read so
  far. Nothing in a rule is written twice.
- Nothing half-imported: everything is written in one transaction; at the first problem writing stops, the
  rest of the file is still checked (so the report lists every bad row), and the transaction is rolled back.
- Re-importing: a case whose body already has its number is skipped when the database holds the same number
  of steps and the same status (importing the same file again changes nothing); if they differ the row is an
  error — later steps of an existing case are recorded through the case page or the API, never by rewriting.
- Audit: one "import" entry per case with its fields (ID number and phone masked) and its steps, and one for
  the file (name, SHA-256, counts), in the same transaction.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import hashlib
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.audit.recorder import MASK, batched, current_actor, record, to_json_value
from fazhi.docparse import safety
from fazhi.docparse.errors import DocumentError
from fazhi.orgs import names
from fazhi.orgs.importing import (
    HEADER_SEARCH_ROWS,
    MAX_COLUMNS,
    RowError,
    cell_text,
    normalize_header,
    normalize_word,
    open_workbook,
    parse_date,
    split_list,
)
from fazhi.orgs.models import Region, Unit, User

from . import actions
from .models import (
    Case,
    CaseEvent,
    CaseKind,
    CaseStatus,
    CaseStep,
    DiscretionStandard,
    LegalReview,
    Officer,
    PartyType,
    Power,
    ReviewResult,
)
from .workflow import CLEARED_BY_NOTICE, NEEDS_NOTES, STEP_DATE_FIELDS, TRANSITIONS, allowed

SHEET = "执法案件"
BATCH = 1000  # cases checked and written at a time
SHOWN_ERRORS = 1000  # errors kept for the report (all are counted)
MAX_FILE_BYTES = 4 * 1024**3  # CSV and NDJSON are streamed; a provincial year is a few hundred MB
MAX_XLSX_BYTES = 200 * 1024**2  # a workbook is checked for zip bombs in memory before it is streamed
MAX_LINE_CHARS = 1_000_000  # one NDJSON case
MAX_EVENTS = 200  # steps of one case

ProgressCallback = Callable[[int, int, float | None], None]  # (rows or lines read, cases checked, share read)


# --- the file format ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    synonyms: tuple[str, ...] = ()


COLUMNS = (
    Column("unit", "执法主体", ("执法单位", "实施主体", "单位")),
    Column("number", "案件编号", ("案号", "立案编号", "文书编号")),
    Column("kind", "案件类型", ("案件类别", "执法类别")),
    Column("power", "事项编码", ("执法事项编码", "权力编码")),
    Column("cause", "案由", ()),
    Column("party_name", "当事人", ("当事人名称", "当事人姓名")),
    Column("party_type", "当事人类型", ("当事人类别",)),
    Column("party_id_number", "证件号码", ("当事人证件号码", "统一社会信用代码")),
    Column("party_phone", "联系电话", ("当事人电话",)),
    Column("party_address", "地址", ("当事人地址", "住所")),
    Column("is_major", "重大执法决定", ("是否重大执法决定", "重大案件")),
    Column("step", "环节", ("办案环节", "步骤")),
    Column("on", "日期", ("环节日期", "办理日期")),
    Column("officers", "执法人员证号", ("执法人员", "执法证号")),
    Column("reviewer", "审核人员证号", ("法制审核人员", "审核人员")),
    Column("notes", "备注", ("意见", "说明")),
    Column("penalty_amount", "罚款金额", ("罚款金额（元）", "罚款")),
    Column("discretion_standard", "裁量情节", ("裁量基准",)),
    Column("discretion_reason", "偏离裁量基准理由", ("偏离理由",)),
    Column("evidence_sha256", "证据哈希", ("证据SHA256",)),
)
CASE_KEYS = (
    "unit", "number", "kind", "power", "cause", "party_name", "party_type", "party_id_number", "party_phone",
    "party_address", "is_major",
)  # fmt: skip
EVENT_KEYS = (
    "step", "on", "officers", "reviewer", "notes", "penalty_amount", "discretion_standard",
    "discretion_reason", "evidence_sha256",
)  # fmt: skip
REQUIRED = ("unit", "number", "step", "on")
_LOOKUP = {normalize_header(n): c for c in COLUMNS for n in (c.header, *c.synonyms)}

KIND_WORDS = {
    "行政检查": CaseKind.INSPECTION, "检查": CaseKind.INSPECTION,
    "行政处罚简易程序": CaseKind.PENALTY_SIMPLE, "简易程序": CaseKind.PENALTY_SIMPLE,
    "行政处罚普通程序": CaseKind.PENALTY_ORDINARY, "普通程序": CaseKind.PENALTY_ORDINARY,
    "行政处罚": CaseKind.PENALTY_ORDINARY, "行政强制": CaseKind.COERCION, "强制": CaseKind.COERCION,
    **{k.value: k for k in CaseKind},
}  # fmt: skip
STEP_WORDS = {
    "立案": CaseStep.REGISTER, "调查取证": CaseStep.INVESTIGATE, "告知": CaseStep.NOTIFY,
    "陈述申辩": CaseStep.STATEMENT, "要求听证": CaseStep.REQUEST_HEARING,
    "申请听证": CaseStep.REQUEST_HEARING,
    "举行听证": CaseStep.HOLD_HEARING, "听证": CaseStep.HOLD_HEARING, "放弃陈述申辩听证": CaseStep.WAIVE,
    "放弃": CaseStep.WAIVE, "法制审核通过": CaseStep.REVIEW_PASS, "法制审核退回": CaseStep.REVIEW_RETURN,
    "集体讨论": CaseStep.DISCUSS, "决定": CaseStep.DECIDE, "作出决定": CaseStep.DECIDE,
    "送达": CaseStep.SERVE,
    "执行": CaseStep.EXECUTE, "结案": CaseStep.CLOSE, "归档": CaseStep.ARCHIVE,
    **{s.value: s for s in CaseStep},
}  # fmt: skip
PARTY_WORDS = {
    "自然人": PartyType.NATURAL, "个人": PartyType.NATURAL, "法人": PartyType.LEGAL,
    "法人或者其他组织": PartyType.LEGAL, "单位": PartyType.LEGAL, "其他组织": PartyType.LEGAL,
    **{p.value: p for p in PartyType},
}  # fmt: skip
_YES = {"是", "Y", "YES", "TRUE", "1", "√"}
_NO = {"否", "N", "NO", "FALSE", "0", "×", ""}


# --- what was read ------------------------------------------------------------------------------------------


@dataclass
class EventIn:
    row: int
    values: dict[str, Any]


@dataclass
class CaseIn:
    row: int  # the first row (or line) of the case
    values: dict[str, Any]
    events: list[EventIn]
    item: int | None = None  # position in an API batch


@dataclass
class CaseImportResult:
    file_name: str
    sha256: str = ""
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    created: int = 0
    skipped: int = 0
    events: int = 0
    rows: int = 0
    applied: bool = False
    case_ids: list[int] = field(default_factory=list)  # the created cases (API calls only)
    # How much of the file has been read (0–1), as far as the reader can tell; None when it cannot.
    read_share: Callable[[], float | None] = field(default=lambda: None, repr=False)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < SHOWN_ERRORS:
            self.errors.append(error)

    def summary(self) -> str:
        return _("%(created)d cases created with %(events)d steps, %(skipped)d already present (skipped)") % {
            "created": self.created,
            "events": self.events,
            "skipped": self.skipped,
        }


class _Stop(Exception):
    """A problem with the whole file: nothing more can be read."""

    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.message, self.row = message, row


# --- reading ------------------------------------------------------------------------------------------------


def _encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.end < len(head) - 4:  # not just a character cut at the end of the sample
            return "gb18030"
    return "utf-8"


def _text_lines(path: Path, head: bytes) -> io.TextIOWrapper:
    return io.TextIOWrapper(path.open("rb"), encoding=_encoding(head), newline="")


def _share_of(handle: io.TextIOWrapper, size: int) -> Callable[[], float | None]:
    """The share of a text file read so far, from the position of its byte stream (read ahead a little)."""
    raw = cast(io.BufferedReader, handle.buffer)

    def share() -> float | None:
        try:
            return min(raw.tell() / size, 1.0) if size else None
        except ValueError:  # closed: read to the end
            return 1.0

    return share


def _tabular_rows(
    path: Path, kind: str, head: bytes, result: CaseImportResult
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    if kind == "xlsx":
        workbook = open_workbook(path.read_bytes())
        try:
            sheet = workbook.worksheets[0]
            # The size the workbook declares guides the progress only: some writers declare none, or a wrong
            # one, so the rows are read without it.
            declared = sheet.max_row if isinstance(sheet.max_row, int) and sheet.max_row > 1 else None
            if declared:
                result.read_share = lambda: min(result.rows / declared, 1.0)
            sheet.reset_dimensions()
            rows = sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
            yield from enumerate(rows, start=1)
        finally:
            workbook.close()
        return
    with _text_lines(path, head) as handle:
        result.read_share = _share_of(handle, path.stat().st_size)
        first = handle.readline()
        delimiter = max((",", "\t", ";"), key=first.count)
        handle.seek(0)
        try:
            for number, row in enumerate(csv.reader(handle, delimiter=delimiter), start=1):
                yield number, tuple(row[:MAX_COLUMNS])
        except UnicodeDecodeError as error:
            raise _Stop(
                _("The file is not UTF-8 or GB18030 text: save it again from Excel as “CSV UTF-8”.")
            ) from error
        except csv.Error as error:
            raise _Stop(
                _("The CSV file cannot be read: %(problem)s. Save it again from Excel as “CSV UTF-8”.")
                % {"problem": error}
            ) from error


def _tabular_cases(rows: Iterator[tuple[int, tuple[Any, ...]]], result: CaseImportResult) -> Iterator[CaseIn]:
    columns: dict[str, int] = {}
    for number, values in rows:
        found: dict[str, int] = {}
        for position, value in enumerate(values):
            column = _LOOKUP.get(normalize_header(cell_text(value)))
            if column is not None:
                found.setdefault(column.key, position)
        if len(found) >= 2:
            columns = found
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if not columns:
        raise _Stop(
            _(
                "No header row found: one of the first %(rows)d rows must hold the column names %(columns)s. "
                "Is this an export of enforcement cases?"
            )
            % {
                "rows": HEADER_SEARCH_ROWS,
                "columns": "、".join(c.header for c in COLUMNS if c.key in REQUIRED),
            }
        )
    missing = [c.header for c in COLUMNS if c.key in REQUIRED and c.key not in columns]
    if missing:
        raise _Stop(
            _("Missing required columns: %(columns)s. Add them to the header row and import again.")
            % {"columns": "、".join(missing)}
        )
    current: CaseIn | None = None
    for number, values in rows:
        result.rows += 1
        cells = {key: cell_text(values[pos]) if pos < len(values) else "" for key, pos in columns.items()}
        raw_on = values[columns["on"]] if columns["on"] < len(values) else None
        if not any(cells.values()):
            continue
        key = (cells["unit"], cells["number"])
        event = EventIn(number, {k: cells.get(k, "") for k in EVENT_KEYS} | {"on": raw_on})
        if current is not None and (current.values["unit"], current.values["number"]) == key:
            current.events.append(event)
            continue
        if current is not None:
            yield current
        current = CaseIn(number, {k: cells.get(k, "") for k in CASE_KEYS}, [event])
    if current is not None:
        yield current


def _ndjson_cases(path: Path, head: bytes, result: CaseImportResult) -> Iterator[CaseIn]:
    with _text_lines(path, head) as handle:
        result.read_share = _share_of(handle, path.stat().st_size)
        number = 0
        while True:
            try:
                line = handle.readline(MAX_LINE_CHARS + 1)
            except UnicodeDecodeError as error:
                raise _Stop(_("The file is not UTF-8 text: save it as UTF-8."), number + 1) from error
            if not line:
                return
            number += 1
            result.rows += 1
            if len(line) > MAX_LINE_CHARS:
                raise _Stop(
                    _("Line %(line)d is longer than %(limit)d characters: one case per line.")
                    % {"line": number, "limit": MAX_LINE_CHARS},
                    number,
                )
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError:
                result.add(RowError(SHEET, number, "", _("This line is not valid JSON: check the line.")))
                continue
            yield case_from_json(value, number)


def case_from_json(value: Any, row: int, item: int | None = None) -> CaseIn:
    """One case of the JSON format (an NDJSON line or an API object); shape errors surface when checked."""
    if not isinstance(value, dict):
        return CaseIn(row, {"__shape__": True}, [], item)
    events = value.get("events")
    return CaseIn(
        row,
        {k: value.get(k) for k in CASE_KEYS},
        [EventIn(row, e if isinstance(e, dict) else {"__shape__": True}) for e in events]
        if isinstance(events, list)
        else [],
        item,
    )


def _open(path: Path, file_name: str, max_bytes: int) -> tuple[str, bytes]:
    """The hostile-file checks before anything is parsed; the kind to read the file as."""
    size = path.stat().st_size
    safety.check_length(size, max_bytes)
    with path.open("rb") as handle:
        head = handle.read(65536)
    if head.startswith(b"PK"):
        safety.check_length(size, min(max_bytes, MAX_XLSX_BYTES))
        data = path.read_bytes()
        kind = safety.check_kind(data, file_name, {"xlsx"})
        infos = safety.check_zip(data)
        safety.check_zip_xml(data, infos)
        return kind, head
    kind = safety.check_kind(head, file_name, {"xlsx", "txt"})
    suffix = Path(file_name).suffix.lower()
    if suffix in (".ndjson", ".jsonl", ".json") or head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"{"):
        return "ndjson", head
    return kind, head


# --- checking -----------------------------------------------------------------------------------------------


class _Related:
    """What the guards ask of a case's investigators or legal reviews, answered from the replayed steps.

    Items are kept in the order they were recorded (their future primary keys grow in that order)."""

    def __init__(self, items: list[Any]) -> None:
        self._items = items

    def filter(self, **lookups: Any) -> _Related:
        pk = lookups.pop("pk")
        if lookups:
            raise NotImplementedError(lookups)
        return _Related([o for o in self._items if o.pk == pk])

    def exists(self) -> bool:
        return bool(self._items)

    def values_list(self, name: str, flat: bool = False) -> list[Any]:
        return [getattr(o, name) for o in self._items]

    def select_related(self, *names: str) -> _Related:
        return self

    def order_by(self, *fields: str) -> _Related:
        positions = {id(o): i for i, o in enumerate(self._items)}
        items = list(self._items)
        for name in reversed(fields):
            key = name.lstrip("-")

            def value(o: Any, key: str = key) -> Any:
                return positions[id(o)] if key == "pk" else getattr(o, key)

            items.sort(key=value, reverse=name.startswith("-"))
        return _Related(items)

    def first(self) -> Any:
        return self._items[0] if self._items else None


class _Standards:
    """A power's discretion standards, read once per import instead of once per decision."""

    def __init__(self, standards: list[DiscretionStandard]) -> None:
        self._standards = standards

    def in_force(self, on: datetime.date) -> list[DiscretionStandard]:
        # DiscretionStandardQuerySet.in_force over the rows already read (a test checks they agree).
        return [
            s
            for s in self._standards
            if s.effective_from <= on and (s.effective_to is None or s.effective_to >= on)
        ]


class _PowerView:
    def __init__(self, power: Power, standards: list[DiscretionStandard]) -> None:
        self._power, self.discretion_standards = power, _Standards(standards)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._power, name)


class _GuardView:
    """An unsaved case as the guards of actions.py read it (see the module docstring)."""

    def __init__(
        self,
        case: Case,
        investigators: list[Officer],
        reviews: list[LegalReview],
        standards: list[DiscretionStandard],
    ) -> None:
        self._case, self._investigators, self._reviews = case, investigators, reviews
        self.power = _PowerView(case.power, standards) if case.power is not None else None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._case, name)

    @property
    def investigators(self) -> _Related:
        return _Related(self._investigators)

    @property
    def legal_reviews(self) -> _Related:
        return _Related(self._reviews)


@dataclass
class _Planned:
    source: CaseIn
    case: Case
    events: list[tuple[CaseEvent, list[Officer]]]
    investigators: list[Officer]
    reviews: list[LegalReview]


class _CaseError(Exception):
    def __init__(self, row: int, column: str, message: str) -> None:
        super().__init__(message)
        self.row, self.column, self.message = row, column, message


_HEADERS = {c.key: c.header for c in COLUMNS}


class _Checker:
    def __init__(self, region: Region | None, user: Any, unit_ids: set[int] | None) -> None:
        self.region, self.user, self.unit_ids = region, user, unit_ids
        self.today = timezone.localdate()
        self._units: dict[str, Unit | None] = {}
        self._powers: dict[tuple[int, str], Power | None] = {}
        self._standards: dict[int, list[DiscretionStandard]] = {}
        self._officers: dict[str, list[Officer]] = {}
        self._seen: set[int] = set()

    # values -----------------------------------------------------------------------------------------------

    def fail(self, row: int, key: str, message: str) -> _CaseError:
        return _CaseError(row, _HEADERS.get(key, key), message)

    def text(self, row: int, values: dict[str, Any], key: str, limit: int, required: bool = False) -> str:
        value = values.get(key)
        text = "" if value is None else cell_text(value)
        if required and not text:
            raise self.fail(row, key, _("This cell is empty: fill it in."))
        if len(text) > limit:
            raise self.fail(row, key, _("Too long: at most %(limit)d characters.") % {"limit": limit})
        return text

    def word(self, row: int, values: dict[str, Any], key: str, words: dict[str, Any]) -> Any:
        text = self.text(row, values, key, 100, required=True)
        found = words.get(normalize_word(text)) or words.get(text.lower())
        if found is None:
            shown = "、".join(w for w in words if not w.isascii())
            raise self.fail(
                row,
                key,
                _("“%(value)s” is not understood: write one of %(words)s.") % {"value": text, "words": shown},
            )
        return found

    def unit(self, row: int, value: Any) -> Unit:
        text = "" if value is None else cell_text(value)
        if not text:
            raise self.fail(row, "unit", _("This cell is empty: fill in the enforcement body's name."))
        if text not in self._units:
            unit: Unit | None = None
            if self.region is None or isinstance(value, int):
                # The API names the body by its id.
                unit = (
                    Unit.objects.select_related("region").filter(pk=int(text)).first()
                    if text.isdigit()
                    else None
                )
            else:
                found = names.resolve(self.region, text, on=self.today)
                unit = found.unit if found.kind == "unit" else None
                if unit is not None and not unit.region.path.startswith(self.region.path):
                    unit = None
            self._units[text] = unit
        unit = self._units[text]
        if unit is None:
            raise self.fail(
                row,
                "unit",
                _(
                    "No enforcement body “%(name)s” here: use the name or a registered alias from the "
                    "directory "
                    "(the API: the body's id)."
                )
                % {"name": text},
            )
        if self.unit_ids is not None and unit.pk not in self.unit_ids:
            raise self.fail(
                row,
                "unit",
                _("You may not record cases of %(unit)s: only its own staff may.") % {"unit": unit.name},
            )
        if not unit.is_enforcement_body:
            raise self.fail(
                row,
                "unit",
                _(
                    "“%(name)s” is not marked as an administrative enforcement unit in the directory: "
                    "mark it first."
                )
                % {"name": unit.name},
            )
        return unit

    def power(self, row: int, unit: Unit, code: str) -> Power | None:
        if not code:
            return None
        key = (unit.pk, normalize_word(code))
        if key not in self._powers:
            self._powers[key] = Power.objects.filter(unit=unit, code=key[1]).first()
        power = self._powers[key]
        if power is None:
            raise self.fail(
                row,
                "power",
                _(
                    "%(unit)s holds no power with the code “%(code)s”: import its list of powers first, or "
                    "check the code."
                )
                % {"unit": unit.name, "code": code},
            )
        return power

    def load_officers(self, cases: list[CaseIn]) -> None:
        wanted: set[str] = set()
        for case in cases:
            for event in case.events:
                wanted.update(self.numbers(event.values.get("officers")))
                wanted.update(self.numbers(event.values.get("reviewer")))
        wanted -= self._officers.keys()
        if not wanted:
            return
        for number in wanted:
            self._officers[number] = []
        # Kept for the whole file (officers recur): no body attached, the guards compare unit ids.
        rows = Officer.objects.filter(certificate_number__in=wanted)
        for officer in rows:
            self._officers[officer.certificate_number].append(officer)

    @staticmethod
    def numbers(value: Any) -> list[str]:
        if value is None:
            return []
        items = value if isinstance(value, list) else split_list(cell_text(value))
        return [normalize_word(cell_text(v)) for v in items if cell_text(v)]

    def officer(self, row: int, key: str, number: str, unit: Unit) -> Officer:
        holders = self._officers.get(number, [])
        own = [o for o in holders if o.unit_id == unit.pk]
        if len(own) == 1:
            return own[0]
        if not holders:
            raise self.fail(
                row,
                key,
                _(
                    "No officer holds certificate “%(number)s”: import the officers register first, or "
                    "check the number."
                )
                % {"number": number},
            )
        if len(own) > 1:
            raise self.fail(
                row,
                key,
                _(
                    "Several officers of %(unit)s hold certificate “%(number)s”: correct the officers "
                    "register."
                )
                % {"unit": unit.name, "number": number},
            )
        # An officer of another body: the guard of the investigation says what is wrong with that.
        return holders[0]

    def standards(self, power: Power | None) -> list[DiscretionStandard]:
        if power is None:
            return []
        if power.pk not in self._standards:
            self._standards[power.pk] = list(DiscretionStandard.objects.filter(power=power).order_by("pk"))
        return self._standards[power.pk]

    def standard(self, row: int, power: Power | None, text: str) -> DiscretionStandard | None:
        if not text:
            return None
        if power is None:
            raise self.fail(
                row, "discretion_standard", _("A discretion standard needs the power (事项编码) of the case.")
            )
        matches = [s for s in self.standards(power) if s.circumstance == text]
        if not matches:
            raise self.fail(
                row,
                "discretion_standard",
                _(
                    "The power has no discretion standard for the circumstance “%(value)s”: write it as the "
                    "standard does."
                )
                % {"value": text},
            )
        return matches[-1]

    def amount(self, row: int, value: Any) -> Decimal | None:
        text = "" if value is None else normalize_word(cell_text(value)).removesuffix("元").replace(",", "")
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            amount = Decimal("NaN")
        if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")) or abs(amount) >= 10**12:
            raise self.fail(
                row,
                "penalty_amount",
                _("“%(value)s” is not an amount in yuan: write a number such as 2000 or 1500.50.")
                % {"value": text},
            )
        return amount

    def day(self, row: int, value: Any) -> datetime.date:
        try:
            day = parse_date(value)
        except (ValueError, OverflowError, TypeError):
            day = None
        if day is None:
            raise self.fail(
                row,
                "on",
                _("“%(value)s” is not a date: write it as 2025-01-31 or 2025年1月31日.")
                % {"value": cell_text(value)},
            )
        return day

    # one case ---------------------------------------------------------------------------------------------

    def check(self, source: CaseIn) -> _Planned:
        values, row = source.values, source.row
        if (
            values.get("__shape__")
            or not source.events
            or any(e.values.get("__shape__") for e in source.events)
        ):
            raise self.fail(
                row, "", _("A case is an object with its fields and a non-empty list “events” of steps.")
            )
        if len(source.events) > MAX_EVENTS:
            raise self.fail(
                row,
                "step",
                _("More than %(limit)d steps for one case: check the file.") % {"limit": MAX_EVENTS},
            )
        unit = self.unit(row, values.get("unit"))
        number = self.text(row, values, "number", 80, required=True)
        key = hash((unit.pk, number))
        if key in self._seen:
            raise self.fail(
                row,
                "number",
                _("The case %(number)s appears twice in the file: keep the rows of one case together, once.")
                % {"number": number},
            )
        self._seen.add(key)
        kind = self.word(row, values, "kind", KIND_WORDS)
        major_text = normalize_word(cell_text(values.get("is_major"))).upper()
        if major_text not in _YES | _NO:
            raise self.fail(
                row, "is_major", _("“%(value)s” is not understood: write 是 or 否.") % {"value": major_text}
            )
        case = Case(
            unit=unit,
            number=number,
            kind=kind,
            power=self.power(row, unit, self.text(row, values, "power", 50)),
            cause=self.text(row, values, "cause", 300),
            party_name=self.text(row, values, "party_name", 200, required=True),
            party_type=self.word(row, values, "party_type", PARTY_WORDS),
            party_id_number=self.text(row, values, "party_id_number", 40),
            party_phone=self.text(row, values, "party_phone", 40),
            party_address=self.text(row, values, "party_address", 300),
            is_major=major_text in _YES,
            status=CaseStatus.REGISTERED,
        )
        first = source.events[0]
        try:
            if self.word(first.row, first.values, "step", STEP_WORDS) != CaseStep.REGISTER:
                raise ValidationError(_("A case starts with the step 立案 (register): put that row first."))
            case.registered_on = actions._step_day(self.day(first.row, first.values.get("on")), None)
            actions._check_major(case)
            case.full_clean(
                exclude=["unit", "power", "discretion_standard"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            raise self.fail(first.row, "", "；".join(error.messages)) from error
        planned = _Planned(source, case, [], [], [])
        notes = self.text(first.row, first.values, "notes", 20000).strip()
        planned.events.append((self.event(first, CaseStep.REGISTER, "", case, case.registered_on, notes), []))
        last = case.registered_on
        for event in source.events[1:]:
            last = self.replay(planned, event, last)
        return planned

    def event(
        self, event: EventIn, step: str, before: str, case: Case, day: datetime.date, notes: str
    ) -> CaseEvent:
        hashes = [h.strip().lower() for h in self.numbers(event.values.get("evidence_sha256"))]
        bad = [h for h in hashes if not actions._SHA256.fullmatch(h)]
        if bad:
            raise self.fail(
                event.row,
                "evidence_sha256",
                _("“%(value)s” is not a SHA-256 hash (64 hexadecimal characters).") % {"value": bad[0]},
            )
        return CaseEvent(
            step=step, from_status=before, to_status=case.status, on=day, notes=notes,
            by=self.user if getattr(self.user, "is_authenticated", False) else None, evidence_sha256=hashes,
        )  # fmt: skip

    def replay(self, planned: _Planned, event: EventIn, last: datetime.date) -> datetime.date:
        """One step, as actions.advance takes it: the workflow table, the guards, then the same changes."""
        case, row, v = planned.case, event.row, event.values
        step = self.word(row, v, "step", STEP_WORDS)
        if not allowed(case.kind, case.status, step):
            raise self.fail(
                row,
                "step",
                _("The step “%(step)s” is not possible while the case is “%(status)s”.")
                % {"step": CaseStep(step).label, "status": case.get_status_display()},
            )
        crew = actions._distinct(
            self.officer(row, "officers", n, case.unit) for n in self.numbers(v.get("officers"))
        )
        reviewers = [self.officer(row, "reviewer", n, case.unit) for n in self.numbers(v.get("reviewer"))]
        if len(reviewers) > 1:
            raise self.fail(row, "reviewer", _("Write one legal reviewer per review step."))
        reviewer = reviewers[0] if reviewers else None
        notes = self.text(row, v, "notes", 20000).strip()
        amount = self.amount(row, v.get("penalty_amount"))
        standard = self.standard(row, case.power, self.text(row, v, "discretion_standard", 300))
        reason = self.text(row, v, "discretion_reason", 5000).strip()
        try:
            day = actions._step_day(self.day(row, v.get("on")), last)
            if step in NEEDS_NOTES and not notes:
                raise ValidationError(_("Write down what was said or decided (the notes of this step)."))
            data = actions._StepData(crew, reviewer, notes, amount, standard, reason)
            guard = actions._GUARDS.get(step)
            if guard is not None:
                view = _GuardView(case, planned.investigators, planned.reviews, self.standards(case.power))
                guard(cast(Case, view), day, data)
        except ValidationError as error:
            raise self.fail(row, "", "；".join(error.messages)) from error
        # The changes advance makes, on the unsaved case.
        before = case.status
        case.status = TRANSITIONS[case.kind][(before, step)]
        if step == CaseStep.NOTIFY:
            for name in CLEARED_BY_NOTICE:
                setattr(case, name, None)
        if step in STEP_DATE_FIELDS:
            setattr(case, STEP_DATE_FIELDS[step], day)
        if step == CaseStep.DECIDE:
            case.penalty_amount, case.discretion_standard, case.discretion_reason = (
                amount,
                data.standard,
                reason,
            )
            try:
                case.full_clean(
                    exclude=["unit", "power", "discretion_standard"],
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as error:
                raise self.fail(row, "penalty_amount", "；".join(error.messages)) from error
        if step == CaseStep.INVESTIGATE:
            planned.investigators.extend(o for o in crew if o not in planned.investigators)
        involved = crew
        if step in (CaseStep.REVIEW_PASS, CaseStep.REVIEW_RETURN):
            assert reviewer is not None  # checked by the guard
            result = ReviewResult.PASSED if step == CaseStep.REVIEW_PASS else ReviewResult.RETURNED
            planned.reviews.append(LegalReview(reviewer=reviewer, result=result, opinion=notes, on=day))
            involved = [*crew, reviewer]
        planned.events.append((self.event(event, step, before, case, day, notes), involved))
        return day


# --- writing ------------------------------------------------------------------------------------------------


def _audit_fields(case: Case) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in Case._meta.concrete_fields:
        if f.primary_key:
            continue
        value = getattr(case, f.attname)
        values[f.name] = MASK if f.name in Case.AUDIT_MASKED_FIELDS and value else to_json_value(value)
    return values


def _write(batch: list[_Planned], result: CaseImportResult) -> None:
    cases = Case.objects.bulk_create([p.case for p in batch])
    Through = Case.investigators.through
    Through.objects.bulk_create(
        [Through(case_id=p.case.pk, officer_id=o.pk) for p in batch for o in p.investigators]
    )
    events: list[CaseEvent] = []
    for p in batch:
        for event, _officers in p.events:
            event.case = p.case
            events.append(event)
    CaseEvent.objects.bulk_create(events)
    EventThrough = CaseEvent.officers.through
    EventThrough.objects.bulk_create(
        [
            EventThrough(caseevent_id=event.pk, officer_id=o.pk)
            for p in batch
            for event, officers in p.events
            for o in actions._distinct(officers)
        ]
    )
    reviews = []
    for p in batch:
        for review in p.reviews:
            review.case = p.case
            reviews.append(review)
    LegalReview.objects.bulk_create(reviews)
    # bulk_create sends no signals: one entry per case records it with its steps (the audit contract).
    with batched():
        for p in batch:
            case = p.case
            changes = {
                "fields": _audit_fields(case),
                "investigators": [o.pk for o in p.investigators],
                "events": [
                    {"id": e.pk, "step": e.step, "on": e.on.isoformat(), "to": e.to_status,
                     "officers": [o.pk for o in officers], "evidence_sha256": e.evidence_sha256}
                    for e, officers in p.events
                ],
                "legal_reviews": [
                    {"id": r.pk, "reviewer": r.reviewer_id, "result": r.result, "on": r.on.isoformat()}
                    for r in p.reviews
                ],
            }  # fmt: skip
            record(
                "import",
                "enforcement.case",
                case.pk,
                str(case)[:200],
                changes,
                case.unit.region_id,
                case.unit_id,
            )
    result.created += len(cases)
    result.events += len(events)


class _Rollback(Exception):
    pass


def _run(
    cases: Iterable[CaseIn],
    result: CaseImportResult,
    *,
    region: Region | None,
    user: Any,
    unit_ids: set[int] | None,
    progress: ProgressCallback | None,
    audit_file: dict[str, Any] | None,
) -> None:
    checker = _Checker(region, user, unit_ids)
    try:
        with transaction.atomic():
            batch: list[CaseIn] = []
            checked = 0

            def flush() -> None:
                nonlocal checked
                checker.load_officers(batch)
                planned: list[_Planned] = []
                for source in batch:
                    try:
                        planned.append(checker.check(source))
                    except _CaseError as error:
                        result.add(_row_error(source, error))
                fresh = _without_existing(planned, checker, result)
                if result.ok and fresh:
                    _write(fresh, result)
                    if unit_ids is not None:
                        result.case_ids.extend(p.case.pk for p in fresh)
                checked += len(batch)
                batch.clear()
                if progress is not None:
                    progress(result.rows, checked, result.read_share())

            for case in cases:
                batch.append(case)
                if len(batch) >= BATCH:
                    flush()
            flush()
            if checked == 0 and result.ok:
                message = _("The file holds no cases, only column names: fill in at least one row.")
                result.add(RowError(SHEET, None, "", message))
            if not result.ok:
                raise _Rollback
            if audit_file is not None:
                record(
                    "import", "enforcement.cases", result.sha256, result.file_name[:200],
                    {**audit_file, "created": result.created, "skipped": result.skipped,
                     "events": result.events},
                    region_id=region.pk if region else None,
                )  # fmt: skip
    except _Rollback:
        result.created = result.events = result.skipped = 0
        result.case_ids = []
        return
    result.applied = True


def _without_existing(planned: list[_Planned], checker: _Checker, result: CaseImportResult) -> list[_Planned]:
    """The cases not in the database yet; one already there with the same steps is skipped, else an error."""
    existing = _existing(planned)
    fresh = []
    for p in planned:
        found = existing.get((p.case.unit_id, p.case.number))
        if found is None:
            fresh.append(p)
        elif found == (p.case.status, len(p.events)):
            result.skipped += 1
        else:
            message = _(
                "%(unit)s already has a case %(number)s with other steps: record later steps on the case's "
                "page, or correct the number."
            ) % {"unit": p.case.unit.name, "number": p.case.number}
            result.add(_row_error(p.source, checker.fail(p.source.row, "number", message)))
    return fresh


def _existing(planned: list[_Planned]) -> dict[tuple[int, str], tuple[str, int]]:
    if not planned:
        return {}
    from django.db.models import Count

    rows = (
        Case.objects.filter(
            unit_id__in={p.case.unit_id for p in planned}, number__in={p.case.number for p in planned}
        )
        .annotate(steps=Count("events"))
        .values_list("unit_id", "number", "status", "steps")
    )
    return {(u, n): (s, c) for u, n, s, c in rows}


def _row_error(source: CaseIn, error: _CaseError) -> RowError:
    number = source.values.get("number") if isinstance(source.values.get("number"), str) else ""
    sheet = f"{SHEET} {number}".strip() if source.item is None else f"cases[{source.item}] {number}".strip()
    return RowError(sheet, error.row, error.column, error.message)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_cases(
    region: Region,
    path: Path,
    file_name: str | None = None,
    *,
    progress: ProgressCallback | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> CaseImportResult:
    """Check a file of cases and, if it has no problems, write it; the caller sets the audit actor."""
    file_name = file_name or path.name
    result = CaseImportResult(file_name)
    try:
        kind, head = _open(path, file_name, max_bytes)
        result.sha256 = _sha256(path)
        if kind == "ndjson":
            cases = _ndjson_cases(path, head, result)
        else:
            cases = _tabular_cases(_tabular_rows(path, kind, head, result), result)
        actor = current_actor()
        user = User.objects.filter(pk=actor.user_id).first() if actor.user_id else None
        _run(
            cases, result, region=region, user=user, unit_ids=None, progress=progress,
            audit_file={"file": file_name, "sha256": result.sha256, "format": kind},
        )  # fmt: skip
    except DocumentError as error:
        result.add(RowError(SHEET, None, "", error.message))
    except _Stop as error:
        result.add(RowError(SHEET, error.row, "", error.message))
        result.applied = False
    return result


def import_case_objects(objects: list[Any], user: Any, unit_ids: set[int] | None) -> CaseImportResult:
    """The API's cases (JSON objects naming the body by id): the same checks, one transaction."""
    result = CaseImportResult("api")
    cases = [case_from_json(value, index + 1, index) for index, value in enumerate(objects)]
    result.rows = len(cases)
    _run(cases, result, region=None, user=user, unit_ids=unit_ids, progress=None, audit_file=None)
    return result
