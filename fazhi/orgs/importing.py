"""Importing the directory (units, unit groups, aliases) from a spreadsheet that office staff fill in.

The file is an .xlsx workbook with up to three sheets named 单位 / 单位组 / 别名 (read in that order, so a
group or an alias may name a unit created by the same file), or a .csv holding one of the three tables
(recognised by its header row). Header names, sheet names and the words in the cells are the file format,
so they are fixed Chinese literals here and never go through gettext: a translation would change what the
importer accepts.

Contract of one import (`import_directory`):
- Rows are upserted by (region, name) for units and groups, by (region, alias, start date) for aliases.
- A blank optional cell keeps the stored value of an existing row (a new row gets the default: 否, 在用,
  empty); the word （清空） empties a text, list or date cell. Lists (简称, 单位类型, 标记, 成员单位) are
  、-separated; a non-blank list replaces the stored one, except 简称, which only adds aliases. The import
  never deletes.
- The whole file is checked first and every problem collected as (sheet, row, column, message); if there is
  any, nothing is written. Otherwise every change is written in one transaction through actions.py, and one
  "import" audit entry records the file name, its SHA-256 and the counts.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import hashlib
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from fazhi.audit.recorder import batched, record
from fazhi.docparse import safety
from fazhi.docparse.errors import DocumentError

from . import access, actions
from .models import UNIT_FLAGS, Alias, Region, RegionLevel, Unit, UnitGroup, UnitKind

# Said on the page and in the template: a directory has hundreds of rows; twenty thousand is a whole province.
MAX_DATA_ROWS = 20000
MAX_COLUMNS = 50
# A title line or two ("新城区单位名录") may sit above the column names.
HEADER_SEARCH_ROWS = 10
SHOWN_ERRORS = 1000

UNITS, GROUPS, ALIASES = "单位", "单位组", "别名"
SHEET_ORDER = (UNITS, GROUPS, ALIASES)
CLEAR_WORD = "（清空）"
YES, NO = "是", "否"
ACTIVE, INACTIVE = "在用", "撤销"
LIST_SEPARATORS = re.compile(r"[、,，;；\n]+")
REGION_SEPARATORS = re.compile(r"\s*[/>\\\-→—]\s*")


# --- the file format ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    synonyms: tuple[str, ...] = ()


COLUMNS: dict[str, tuple[Column, ...]] = {
    UNITS: (
        Column("name", "单位名称", True, ("单位全称", "名称", "单位")),
        Column(
            "region", "所属区域", True, ("区域", "所属地区", "地区", "行政区域", "所属行政区域", "行政区划")
        ),
        Column("kind", "单位类型", True, ("类型", "单位类别", "类别")),
        Column(
            "is_enforcement_body", "行政执法单位", False, ("是否行政执法单位", "执法单位", "是否执法单位")
        ),
        Column("is_decision_body", "决策承办单位", False, ("是否决策承办单位", "重大行政决策承办单位")),
        Column("short_names", "简称", False, ("别名", "单位简称", "简称别名")),
        Column("phone", "联系电话", False, ("电话", "联系方式")),
        Column("note", "备注", False, ("说明",)),
        Column("status", "状态", False, ("单位状态",)),
    ),
    GROUPS: (
        Column("name", "组名称", True, ("单位组名称", "名称", "单位组")),
        Column(
            "region", "所属区域", True, ("区域", "所属地区", "地区", "行政区域", "所属行政区域", "行政区划")
        ),
        Column("kinds", "单位类型", False, ("类型", "单位类别", "类别")),
        Column("flags", "标记", False, ("单位标记",)),
        Column("include_subregions", "包含下级区域", False, ("是否包含下级区域", "包含下级")),
        Column("members", "成员单位", False, ("成员", "列明成员", "成员单位名单")),
        Column("note", "备注", False, ("说明",)),
    ),
    ALIASES: (
        Column("name", "别名", True, ("简称", "名称")),
        Column(
            "region", "所属区域", True, ("区域", "所属地区", "地区", "行政区域", "所属行政区域", "行政区划")
        ),
        Column(
            "target", "对应单位或单位组", True, ("对应单位", "对应单位组", "指向", "指向单位", "对应单位或组")
        ),
        Column("valid_from", "生效日期", False, ("起始日期", "开始日期", "启用日期", "生效时间")),
        Column("valid_to", "失效日期", False, ("截止日期", "结束日期", "停用日期", "失效时间")),
        Column("note", "备注", False, ("说明",)),
    ),
}

# What a header row must contain for a CSV file to be read as that table (checked in this order: 别名 before
# 单位, since an alias table may also carry a column called 简称).
CSV_KEYS = ((ALIASES, "target"), (GROUPS, "name"), (UNITS, "name"))
_CSV_KEY_HEADERS = {ALIASES: None, GROUPS: ("组名称", "单位组名称"), UNITS: ("单位名称", "单位全称")}

KIND_NAMES: dict[str, str] = {
    UnitKind.GOVERNMENT_OFFICE: "政府办公室",
    UnitKind.DEPARTMENT: "政府部门",
    UnitKind.TOWN: "乡镇人民政府",
    UnitKind.STREET_OFFICE: "街道办事处",
    UnitKind.COURT: "法院",
    UnitKind.PROCURATORATE: "检察院",
    UnitKind.PARTY_ORGAN: "党委部门",
    UnitKind.OTHER: "其他",
}
KIND_SYNONYMS: dict[str, tuple[str, ...]] = {
    UnitKind.GOVERNMENT_OFFICE: ("政府办", "人民政府办公室", "政府办公厅", "办公室"),
    UnitKind.DEPARTMENT: (
        "部门",
        "局",
        "委",
        "委员会",
        "政府工作部门",
        "政府组成部门",
        "工作部门",
        "区直部门",
    ),
    UnitKind.TOWN: ("镇", "乡", "乡镇", "镇政府", "乡政府", "乡镇政府", "镇人民政府", "乡人民政府", "苏木"),
    UnitKind.STREET_OFFICE: ("街道", "街道办", "街道办事处"),
    UnitKind.COURT: ("人民法院",),
    UnitKind.PROCURATORATE: ("人民检察院",),
    UnitKind.PARTY_ORGAN: ("党委机关", "党委工作部门", "党群部门", "党委", "党委办事机构"),
    UnitKind.OTHER: ("其它", "其他单位"),
}
FLAG_NAMES: dict[str, str] = {"is_enforcement_body": "行政执法单位", "is_decision_body": "决策承办单位"}
FLAG_SYNONYMS: dict[str, tuple[str, ...]] = {
    "is_enforcement_body": ("执法单位", "行政执法主体", "执法主体"),
    "is_decision_body": ("重大行政决策承办单位", "决策单位"),
}
_YES_WORDS = {"是", "Y", "YES", "TRUE", "1", "√", "✓", "✔", "对"}
_NO_WORDS = {"否", "N", "NO", "FALSE", "0", "×", "✗", "✘", "不是"}
_ACTIVE_WORDS = {"在用", "正常", "有效", "启用", "存续"}
_INACTIVE_WORDS = {"撤销", "已撤销", "停用", "注销", "已注销", "合并", "已合并", "撤并", "作废", "失效"}

# The rows the template ships with: left in by mistake, they would create made-up units.
EXAMPLE_ROWS: dict[str, dict[str, str]] = {
    UNITS: {
        "name": "（示例）区统计局",
        "kind": "政府部门",
        "is_enforcement_body": YES,
        "is_decision_body": NO,
        "short_names": "（示例）统计局",
        "phone": "0000-1234567",
        "note": "示例行:导入前请删除",
        "status": ACTIVE,
    },
    GROUPS: {
        "name": "（示例）各街道办事处",
        "kinds": "街道办事处",
        "flags": "",
        "include_subregions": YES,
        "members": "",
        "note": "示例行:导入前请删除",
    },
    ALIASES: {
        "name": "（示例）区统计局",
        "target": "（示例）区统计局",
        "valid_from": "",
        "valid_to": "",
        "note": "示例行:导入前请删除",
    },
}


def normalize_word(text: str) -> str:
    """Full-width to half-width, no spaces: how headers and vocabulary words are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def normalize_header(text: str) -> str:
    word = normalize_word(text).strip("*").replace("/", "").replace("、", "")
    # "单位类型(必填)", "行政执法单位(是/否)": the parenthesis is a hint for people, not part of the name.
    return re.sub(r"\([^)]*\)$", "", word).strip("*")


def _lookup(columns: Iterable[Column]) -> dict[str, Column]:
    found: dict[str, Column] = {}
    for column in columns:
        for name in (column.header, *column.synonyms):
            found.setdefault(normalize_header(name), column)
    return found


_HEADER_LOOKUP = {sheet: _lookup(columns) for sheet, columns in COLUMNS.items()}


def kind_lookup() -> dict[str, str]:
    """Every word accepted for a unit kind, normalised: fixed names, synonyms, labels in both languages."""
    words: dict[str, str] = {}
    for kind, name in KIND_NAMES.items():
        words[normalize_word(name)] = kind
        for synonym in KIND_SYNONYMS.get(kind, ()):
            words[normalize_word(synonym)] = kind
    for kind, label in UnitKind.choices:
        words.setdefault(normalize_word(str(label)).upper(), kind)
        words.setdefault(normalize_word(kind).upper(), kind)
    with translation.override(None):
        for kind, label in UnitKind.choices:
            words.setdefault(normalize_word(str(label)).upper(), kind)
    return words


def flag_lookup() -> dict[str, str]:
    words: dict[str, str] = {}
    for flag, name in FLAG_NAMES.items():
        words[normalize_word(name)] = flag
        for synonym in FLAG_SYNONYMS.get(flag, ()):
            words[normalize_word(synonym)] = flag
    for flag, label in UNIT_FLAGS.items():
        words.setdefault(normalize_word(str(label)).upper(), flag)
    return words


# --- results ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem: sheet, row number as Excel shows it (None for the whole file), column, message."""

    sheet: str
    row: int | None
    column: str
    message: str


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportResult:
    file_name: str
    sha256: str
    check_only: bool
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, SheetCounts] = field(default_factory=lambda: {s: SheetCounts() for s in SHEET_ORDER})
    ignored_columns: dict[str, list[str]] = field(default_factory=dict)
    sheets: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def shown_errors(self) -> list[RowError]:
        return self.errors[:SHOWN_ERRORS]

    def count_rows(self) -> list[tuple[str, SheetCounts]]:
        return [(sheet, self.counts[sheet]) for sheet in SHEET_ORDER if self.counts[sheet].total]

    def summary_lines(self) -> list[str]:
        if self.applied:
            line = _("%(sheet)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
        else:
            line = _("%(sheet)s: %(created)d to create, %(updated)d to update, %(unchanged)d unchanged")
        return [
            line % {"sheet": sheet, "created": c.created, "updated": c.updated, "unchanged": c.unchanged}
            for sheet, c in self.count_rows()
        ]

    def ignored_lines(self) -> list[str]:
        return [
            _("Columns not recognised and ignored on sheet %(sheet)s: %(columns)s.")
            % {"sheet": sheet, "columns": "、".join(columns)}
            for sheet, columns in self.ignored_columns.items()
        ]


# --- reading ------------------------------------------------------------------------------------------------


@dataclass
class Table:
    sheet: str
    header_row: int
    columns: dict[str, int]  # column key → position
    headers: dict[str, str]  # column key → the header as written
    rows: list[tuple[int, tuple[Any, ...]]]  # (row number as Excel shows it, cell values)


class _FileProblem(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(errors)
        self.errors = errors


def read_tables(data: bytes, file_name: str) -> tuple[list[Table], dict[str, list[str]]]:
    """The tables of an uploaded file, hostile-file checks first. Raises DocumentError or _FileProblem."""
    safety.check_size(data, settings.FAZHI_UPLOAD_MAX_BYTES)
    kind = safety.check_kind(data, file_name, {"xlsx", "txt"})
    if kind == "xlsx":
        infos = safety.check_zip(data)
        safety.check_zip_xml(data, infos)
        workbook = open_workbook(data)
        try:
            return _tables(_xlsx_grids(workbook))
        finally:
            workbook.close()
    return _tables(csv_grids(data))


def _tables(
    grids: list[tuple[str | None, Iterator[tuple[Any, ...]]]],
) -> tuple[list[Table], dict[str, list[str]]]:
    tables: list[Table] = []
    ignored: dict[str, list[str]] = {}
    errors: list[RowError] = []
    budget = MAX_DATA_ROWS
    for sheet, rows in grids:
        table, unknown, problems = _table(sheet, rows, budget)
        errors.extend(problems)
        if table is not None:
            tables.append(table)
            budget -= len(table.rows)
            if unknown:
                ignored[table.sheet] = unknown
    if errors:
        raise _FileProblem(errors)
    tables.sort(key=lambda t: SHEET_ORDER.index(t.sheet))
    if not any(table.rows for table in tables):
        message = _("The file holds no data rows, only column names: fill in at least one row below them.")
        raise _FileProblem([RowError("", None, "", message)])
    return tables, ignored


def open_workbook(data: bytes) -> Any:
    import openpyxl  # only uploads of workbooks pay for importing openpyxl

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook; all mean the same here
        raise DocumentError(
            _(
                "The Excel workbook is damaged or is not a valid .xlsx file: open it in Excel or WPS, "
                "save it again and import it again."
            )
        ) from exc


def _xlsx_grids(workbook: Any) -> list[tuple[str | None, Iterator[tuple[Any, ...]]]]:
    names = {normalize_word(name): name for name in workbook.sheetnames}
    found = [(sheet, names[sheet]) for sheet in SHEET_ORDER if sheet in names]
    if not found:
        raise DocumentError(
            _(
                "The workbook has no sheet named %(expected)s (it has: %(found)s). Rename the sheets as in "
                "the template, then import again."
            )
            % {"expected": "、".join(f"“{s}”" for s in SHEET_ORDER), "found": "、".join(workbook.sheetnames)}
        )

    def rows(title: str) -> Iterator[tuple[Any, ...]]:
        sheet = workbook[title]
        # The dimension a writer declares may be wrong; read what is there.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)

    return [(sheet, rows(title)) for sheet, title in found]


def csv_grids(data: bytes) -> list[tuple[str | None, Iterator[tuple[Any, ...]]]]:
    text = safety.decode_text(data).lstrip("\ufeff")
    # Excel writes commas ("CSV") or tabs ("Unicode text"); a title line above the header may have neither.
    sample = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])
    delimiter = max((",", "\t", ";"), key=sample.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows() -> Iterator[tuple[Any, ...]]:
        try:
            for row in reader:
                yield tuple(row[:MAX_COLUMNS])
        except csv.Error as exc:
            raise DocumentError(
                _(
                    "The CSV file cannot be read: %(problem)s. Save it again from Excel as “CSV UTF-8” and "
                    "import again."
                )
                % {"problem": exc}
            ) from exc

    return [(None, rows())]


def _table(
    sheet: str | None, rows: Iterator[tuple[Any, ...]], budget: int
) -> tuple[Table | None, list[str], list[RowError]]:
    header_row = 0
    header: tuple[Any, ...] = ()
    for number, values in enumerate(rows, start=1):
        words = {normalize_header(cell_text(v)) for v in values} - {""}
        if sheet is None:
            # A CSV file: the first row naming a table's distinguishing column is that table's header.
            sheet = _detect_table(words)
            found = sheet is not None
        else:
            found = bool(words & _key_headers(sheet)) or len(words & _HEADER_LOOKUP[sheet].keys()) >= 2
        if found:
            header_row, header = number, values
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if not header_row:
        if sheet is None:
            keys = "、".join(f"“{_column(s, key).header}”" for s, key in CSV_KEYS)
            message = _(
                "Cannot tell which table this CSV file holds: its first row must hold the column names, "
                "including one of %(keys)s."
            ) % {"keys": keys}
            return None, [], [RowError("", None, "", message)]
        message = _(
            "No header row found: one of the first %(rows)d rows must hold the column names, "
            "including “%(key)s”."
        ) % {"rows": HEADER_SEARCH_ROWS, "key": _column(sheet, "name").header}
        return None, [], [RowError(sheet, None, "", message)]
    assert sheet is not None
    lookup = _HEADER_LOOKUP[sheet]
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    unknown: list[str] = []
    errors: list[RowError] = []
    for position, value in enumerate(header):
        written = cell_text(value)
        column = lookup.get(normalize_header(written))
        if column is None:
            if written:
                unknown.append(written)
            continue
        if column.key in columns:
            message = _("The column “%(column)s” appears twice: delete one of them.") % {"column": written}
            errors.append(RowError(sheet, header_row, written, message))
            continue
        columns[column.key] = position
        headers[column.key] = written
    missing = [c.header for c in COLUMNS[sheet] if c.required and c.key not in columns]
    if missing:
        message = _(
            "Missing required columns: %(columns)s. Add them to the header row (compare with the template)."
        ) % {"columns": "、".join(missing)}
        errors.append(RowError(sheet, header_row, "", message))
    data_rows: list[tuple[int, tuple[Any, ...]]] = []
    for number, values in enumerate(rows, start=header_row + 1):
        if not any(cell_text(v) for v in values):
            continue
        if len(data_rows) >= budget:
            message = _(
                "The file has more than %(limit)d data rows. Split it into several files and import them "
                "one by one."
            ) % {"limit": MAX_DATA_ROWS}
            errors.append(RowError(sheet, number, "", message))
            break
        data_rows.append((number, tuple(values)))
    table = Table(sheet, header_row, columns, headers, data_rows)
    return table, unknown, errors


def _detect_table(words: set[str]) -> str | None:
    for sheet, key in CSV_KEYS:
        if words & _key_headers(sheet, key):
            return sheet
    return None


def _key_headers(sheet: str, key: str = "name") -> set[str]:
    explicit = _CSV_KEY_HEADERS.get(sheet) if key == "name" else None
    column = _column(sheet, key)
    names = explicit if explicit else (column.header, *column.synonyms)
    return {normalize_header(name) for name in names}


def _column(sheet: str, key: str) -> Column:
    return next(c for c in COLUMNS[sheet] if c.key == key)


def cell_text(value: Any) -> str:
    """A cell as the text a person sees: numbers without '.0', dates as 2019-01-01, no outer spaces."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).replace("\u200b", "").replace("\ufeff", "").strip()


def parse_date(value: Any) -> datetime.date | None:
    """An Excel date or day number, or text: 2019-01-01, 2019/1/1, 2019.1.1, 2019年1月1日, 20190101."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        if 1 <= value < 2958466:
            day = from_excel(value)
            return day.date() if isinstance(day, datetime.datetime) else None
        raise ValueError(value)
    text = normalize_word(cell_text(value))
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text) or re.fullmatch(
        r"(\d{4})(\d{2})(\d{2})", text
    )
    if match is None:
        raise ValueError(value)
    year, month, day_of_month = (int(part) for part in match.groups())
    return datetime.date(year, month, day_of_month)


def split_list(text: str) -> list[str]:
    items: list[str] = []
    for item in LIST_SEPARATORS.split(text):
        item = item.strip()
        if item and item not in items:
            items.append(item)
    return items


# --- regions ------------------------------------------------------------------------------------------------


class RegionIndex:
    """Every region by name, so a cell can name one by its full path, a tail of it, or a bare unique name."""

    def __init__(self, user: Any) -> None:
        self.user = user
        # Region names are public administrative divisions, not scoped data: resolving against all of them
        # lets the importer say "you do not manage 莲湖区" instead of "unknown region".
        self.regions = {region.pk: region for region in Region.objects.order_by("path")}
        self.by_name: dict[str, list[Region]] = defaultdict(list)
        for region in self.regions.values():
            self.by_name[region.name].append(region)
        self._cache: dict[str, tuple[Region | None, str]] = {}

    def names(self, region: Region) -> list[str]:
        return [self.regions[pk].name for pk in region.ancestor_ids if pk in self.regions]

    def full_name(self, region: Region) -> str:
        return "/".join(self.names(region))

    def resolve(self, text: str) -> tuple[Region | None, str]:
        """The region a cell names, or None and the reason in Chinese."""
        if text not in self._cache:
            self._cache[text] = self._resolve(text)
        return self._cache[text]

    def _resolve(self, text: str) -> tuple[Region | None, str]:
        parts = [
            part for part in REGION_SEPARATORS.split(unicodedata.normalize("NFKC", text).strip()) if part
        ]
        if not parts:
            return None, _("Required: fill in this cell.")
        candidates = [r for r in self.by_name.get(parts[-1], []) if self.names(r)[-len(parts) :] == parts]
        if len(candidates) > 1:
            # A coordinator of 呼和浩特 新城区 who writes 新城区 means their own, not 西安 新城区.
            managed = [r for r in candidates if access.can_manage_region(self.user, r)]
            if len(managed) == 1:
                candidates = managed
        if not candidates:
            managed_regions = access.managed_regions(self.user).order_by("path")
            mine = managed_regions.filter(level=RegionLevel.COUNTY).first() or managed_regions.first()
            example = self.full_name(mine) if mine is not None else "内蒙古自治区/呼和浩特市/新城区"
            return None, _(
                "Unknown region “%(name)s”: check the name, or write the full path such as “%(example)s”."
            ) % {"name": text, "example": example}
        if len(candidates) > 1:
            return None, _(
                "Several regions are called “%(name)s”: %(candidates)s. Write the full path of the one "
                "you mean."
            ) % {"name": text, "candidates": "、".join(self.full_name(r) for r in candidates)}
        return candidates[0], ""


# --- checking: rows → a plan of writes ----------------------------------------------------------------------

UnitKey = tuple[int, str]  # (region id, name): how a unit is known before it exists


@dataclass
class _Row:
    table: Table
    number: int
    values: tuple[Any, ...]

    @property
    def sheet(self) -> str:
        return self.table.sheet

    def raw(self, key: str) -> Any:
        position = self.table.columns.get(key)
        if position is None or position >= len(self.values):
            return None
        return self.values[position]

    def text(self, key: str) -> str:
        return cell_text(self.raw(key))

    def has(self, key: str) -> bool:
        return key in self.table.columns

    def header(self, key: str) -> str:
        return self.table.headers.get(key) or _column(self.sheet, key).header


@dataclass
class _UnitPlan:
    row: _Row
    region: Region
    name: str
    fields: dict[str, Any]  # only the cells that were filled in
    failed: bool = False  # a cell has an error: the row is kept only so other rows can name it
    existing: Unit | None = None
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass
class _GroupPlan:
    row: _Row
    region: Region
    name: str
    fields: dict[str, Any]
    member_names: list[str] | None  # None: keep the listed members
    failed: bool = False
    members: list[UnitKey] = field(default_factory=list)
    existing: UnitGroup | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    members_changed: bool = False


Target = tuple[str, Any]  # ("unit", UnitKey) or ("group", (region id, name))


@dataclass
class _AliasPlan:
    row: _Row
    column: str  # the column errors about the target or the period point at
    region: Region
    name: str
    valid_from: datetime.date | None
    valid_to: datetime.date | str | None  # "keep" while unresolved
    note: str | None  # None: keep
    target_text: str
    from_short_name: bool = False
    target: Target | None = None
    existing: Alias | None = None
    changes: dict[str, Any] = field(default_factory=dict)

    @property
    def final_to(self) -> datetime.date | None:
        if self.valid_to == "keep":
            return self.existing.valid_to if self.existing else None
        return self.valid_to  # type: ignore[return-value]


class _Checker:
    def __init__(self, user: Any, tables: list[Table]) -> None:
        self.user = user
        self.tables = tables
        self.errors: list[RowError] = []
        self.regions = RegionIndex(user)
        self.kinds = kind_lookup()
        self.flags = flag_lookup()
        self.units: list[_UnitPlan] = []
        self.groups: list[_GroupPlan] = []
        self.aliases: list[_AliasPlan] = []
        self._read_paths: tuple[str, ...] | None = None

    def error(self, row: _Row, key: str, message: str) -> None:
        self.errors.append(RowError(row.sheet, row.number, row.header(key) if key else "", message))

    # -- cells --

    def required(self, row: _Row, key: str, limit: int) -> str:
        text = row.text(key)
        if not text:
            self.error(row, key, _("Required: fill in this cell."))
        elif len(text) > limit:
            self.too_long(row, key, text, limit)
            return ""
        return text

    def too_long(self, row: _Row, key: str, text: str, limit: int) -> None:
        message = _("Too long: %(length)d characters, at most %(limit)d.") % {
            "length": len(text),
            "limit": limit,
        }
        self.error(row, key, message)

    def region(self, row: _Row) -> Region | None:
        text = row.text("region")
        if not text:
            self.error(row, "region", _("Required: fill in this cell."))
            return None
        region, problem = self.regions.resolve(text)
        if region is None:
            self.error(row, "region", problem)
            return None
        if not access.can_manage_region(self.user, region):
            message = _(
                "You do not manage the region “%(region)s”: you can import only into regions you coordinate."
            )
            self.error(row, "region", message % {"region": self.regions.full_name(region)})
            return None
        return region

    def text_field(self, row: _Row, key: str, model: Any, field_name: str, fields: dict[str, Any]) -> None:
        text = row.text(key)
        if not text:
            return
        if normalize_word(text) == normalize_word(CLEAR_WORD):
            fields[field_name] = ""
            return
        limit = model._meta.get_field(field_name).max_length
        if len(text) > limit:
            self.too_long(row, key, text, limit)
            return
        fields[field_name] = text

    def yes_no(self, row: _Row, key: str, fields: dict[str, Any], field_name: str) -> None:
        text = normalize_word(row.text(key)).upper()
        if not text:
            return
        if text in _YES_WORDS:
            fields[field_name] = True
        elif text in _NO_WORDS:
            fields[field_name] = False
        else:
            self.error(
                row, key, _("Write 是 or 否 (or leave it blank), not “%(value)s”.") % {"value": row.text(key)}
            )

    def kind_list(self, row: _Row, key: str) -> list[str] | None:
        kinds: list[str] = []
        for word in split_list(row.text(key)):
            kind = self.kinds.get(normalize_word(word)) or self.kinds.get(normalize_word(word).upper())
            if kind is None:
                choices = "、".join(KIND_NAMES.values())
                message = _("Unknown unit kind “%(value)s”: use one of %(choices)s.")
                self.error(row, key, message % {"value": word, "choices": choices})
                return None
            if kind not in kinds:
                kinds.append(kind)
        return kinds

    def is_clear(self, row: _Row, key: str) -> bool:
        return normalize_word(row.text(key)) == normalize_word(CLEAR_WORD)

    def is_example(self, row: _Row) -> bool:
        example = EXAMPLE_ROWS[row.sheet]
        return all(normalize_word(row.text(key)) == normalize_word(value) for key, value in example.items())

    # -- sheets --

    def check(self) -> None:
        seen: dict[tuple[str, int, str], _Row] = {}
        for table in self.tables:
            for number, values in table.rows:
                row = _Row(table, number, values)
                if self.is_example(row):
                    self.error(
                        row,
                        "",
                        _("This is the template's example row: delete it, or replace it with real data."),
                    )
                    continue
                {UNITS: self.unit_row, GROUPS: self.group_row, ALIASES: self.alias_row}[table.sheet](
                    row, seen
                )
        self.load_existing()
        self.plan_units()
        self.plan_groups()
        self.plan_aliases()

    def duplicate(
        self,
        seen: dict[tuple[str, int, str], _Row],
        kind: str,
        region: Region,
        name: str,
        row: _Row,
        column: str,
    ) -> bool:
        key = (kind, region.pk, name)
        first = seen.get(key)
        if first is None:
            seen[key] = row
            return False
        message = _(
            "“%(name)s” appears twice in this file for the same region (first on sheet %(sheet)s, "
            "row %(row)d). Keep one row."
        ) % {"name": name.split("\x00")[0], "sheet": first.sheet, "row": first.number}
        self.error(row, column, message)
        return True

    def unit_row(self, row: _Row, seen: dict[tuple[str, int, str], _Row]) -> None:
        errors_before = len(self.errors)
        name = self.required(row, "name", Unit._meta.get_field("name").max_length or 100)
        region = self.region(row)
        fields: dict[str, Any] = {}
        kind_text = row.text("kind")
        if not kind_text:
            self.error(row, "kind", _("Required: fill in this cell."))
        else:
            kinds = self.kind_list(row, "kind")
            if kinds is not None and len(kinds) > 1:
                message = _("A unit has one kind: write one of %(choices)s.") % {
                    "choices": "、".join(KIND_NAMES.values())
                }
                self.error(row, "kind", message)
            elif kinds:
                fields["kind"] = kinds[0]
        self.yes_no(row, "is_enforcement_body", fields, "is_enforcement_body")
        self.yes_no(row, "is_decision_body", fields, "is_decision_body")
        self.text_field(row, "phone", Unit, "phone", fields)
        self.text_field(row, "note", Unit, "note", fields)
        status = normalize_word(row.text("status"))
        if status in _ACTIVE_WORDS:
            fields["is_active"] = True
        elif status in _INACTIVE_WORDS:
            fields["is_active"] = False
        elif status:
            message = _("Write 在用 or 撤销 (or leave it blank), not “%(value)s”.") % {
                "value": row.text("status")
            }
            self.error(row, "status", message)
        short_names = [] if self.is_clear(row, "short_names") else split_list(row.text("short_names"))
        alias_limit = Alias._meta.get_field("name").max_length or 100
        for short in short_names:
            if len(short) > alias_limit:
                self.too_long(row, "short_names", short, alias_limit)
        if not name or region is None:
            return
        if self.duplicate(seen, UNITS, region, name, row, "name"):
            return
        failed = len(self.errors) > errors_before
        self.units.append(_UnitPlan(row, region, name, fields, failed))
        if failed:
            return
        for short in short_names:
            if len(short) <= alias_limit and short != name:
                plan = _AliasPlan(
                    row, "short_names", region, short, None, None, None, name, from_short_name=True
                )
                plan.target = ("unit", (region.pk, name))
                if not self.duplicate(seen, ALIASES, region, f"{short}\x00", row, "short_names"):
                    self.aliases.append(plan)

    def group_row(self, row: _Row, seen: dict[tuple[str, int, str], _Row]) -> None:
        errors_before = len(self.errors)
        name = self.required(row, "name", UnitGroup._meta.get_field("name").max_length or 100)
        region = self.region(row)
        fields: dict[str, Any] = {}
        for key in ("kinds", "flags"):
            if self.is_clear(row, key):
                fields[key] = []
            elif row.text(key):
                values = self.kind_list(row, key) if key == "kinds" else self.flag_list(row)
                if values is not None:
                    fields[key] = values
        self.yes_no(row, "include_subregions", fields, "include_subregions")
        self.text_field(row, "note", UnitGroup, "note", fields)
        member_names: list[str] | None = None
        if self.is_clear(row, "members"):
            member_names = []
        elif row.text("members"):
            member_names = split_list(row.text("members"))
        if not name or region is None:
            return
        if self.duplicate(seen, GROUPS, region, name, row, "name"):
            return
        failed = len(self.errors) > errors_before
        self.groups.append(_GroupPlan(row, region, name, fields, member_names, failed))

    def flag_list(self, row: _Row) -> list[str] | None:
        flags: list[str] = []
        for word in split_list(row.text("flags")):
            flag = self.flags.get(normalize_word(word)) or self.flags.get(normalize_word(word).upper())
            if flag is None:
                message = _("Unknown flag “%(value)s”: use %(choices)s.")
                self.error(row, "flags", message % {"value": word, "choices": "、".join(FLAG_NAMES.values())})
                return None
            if flag not in flags:
                flags.append(flag)
        return flags

    def date(self, row: _Row, key: str) -> tuple[bool, datetime.date | None]:
        try:
            return True, parse_date(row.raw(key))
        except (ValueError, TypeError, OverflowError):
            message = _(
                "Not a date: “%(value)s”. Write it as 2019-01-01, 2019/1/1 or 2019年1月1日, or use an "
                "Excel date."
            ) % {"value": row.text(key)}
            self.error(row, key, message)
            return False, None

    def alias_row(self, row: _Row, seen: dict[tuple[str, int, str], _Row]) -> None:
        name = self.required(row, "name", Alias._meta.get_field("name").max_length or 100)
        region = self.region(row)
        target = row.text("target")
        if not target:
            self.error(row, "target", _("Required: fill in this cell."))
        ok_from, valid_from = self.date(row, "valid_from")
        valid_to: datetime.date | str | None = "keep"
        ok_to = True
        if self.is_clear(row, "valid_to"):
            valid_to = None
        elif row.text("valid_to"):
            ok_to, valid_to = self.date(row, "valid_to")
        if isinstance(valid_to, datetime.date) and valid_from and valid_to < valid_from:
            message = _("The end date %(to)s is before the start date %(from)s.")
            self.error(row, "valid_to", message % {"to": valid_to, "from": valid_from})
            ok_to = False
        note_fields: dict[str, Any] = {}
        self.text_field(row, "note", Alias, "note", note_fields)
        if not (name and region is not None and target and ok_from and ok_to):
            return
        if self.duplicate(seen, ALIASES, region, f"{name}\x00{valid_from or ''}", row, "name"):
            return
        self.aliases.append(
            _AliasPlan(row, "target", region, name, valid_from, valid_to, note_fields.get("note"), target)
        )

    # -- what is stored --

    def row_regions(self) -> list[Region]:
        plans: list[_UnitPlan | _GroupPlan | _AliasPlan] = [*self.units, *self.groups, *self.aliases]
        return [plan.region for plan in plans]

    def load_existing(self) -> None:
        paths = _outermost(region.path for region in self.row_regions())
        subtree = path_q(paths, "region__path")
        self.existing_units: dict[UnitKey, Unit] = {
            (u.region_id, u.name): u
            for u in access.readable_units(self.user).filter(subtree).select_related("region")
        }
        self.existing_groups: dict[UnitKey, UnitGroup] = {
            (g.region_id, g.name): g
            for g in access.readable_groups(self.user)
            .filter(subtree)
            .select_related("region")
            .prefetch_related("members")
        }
        region_ids = {plan.region.pk for plan in self.aliases}
        names = {plan.name for plan in self.aliases}
        self.existing_aliases: list[Alias] = list(
            access.readable_aliases(self.user)
            .filter(region_id__in=region_ids, name__in=names)
            .select_related("unit__region", "group__region")
        )
        # Every unit a member or target may name, whether stored or created by this file.
        self.unit_names: dict[str, dict[UnitKey, Region]] = defaultdict(dict)
        for key, unit in self.existing_units.items():
            self.unit_names[unit.name][key] = unit.region
        for plan in self.units:
            self.unit_names[plan.name][(plan.region.pk, plan.name)] = plan.region
        self.group_names: dict[str, dict[UnitKey, Region]] = defaultdict(dict)
        for key, group in self.existing_groups.items():
            self.group_names[group.name][key] = group.region
        for group_plan in self.groups:
            self.group_names[group_plan.name][(group_plan.region.pk, group_plan.name)] = group_plan.region

    def plan_units(self) -> None:
        for plan in self.units:
            plan.existing = self.existing_units.get((plan.region.pk, plan.name))
            if plan.existing is None:
                plan.changes = {"region": plan.region, "name": plan.name, **plan.fields}
            else:
                plan.changes = {k: v for k, v in plan.fields.items() if getattr(plan.existing, k) != v}

    def find(
        self, text: str, region: Region, kinds: tuple[str, ...], within: bool
    ) -> tuple[list[Target], str]:
        """Units (and groups) a cell names, looked for in `region` first, then below it.

        "区域/名称" picks the one in that region; with `within` that region must lie inside `region`.
        """

        def named(name: str) -> list[tuple[Target, Region]]:
            found: list[tuple[Target, Region]] = []
            for kind in kinds:
                index = self.unit_names if kind == "unit" else self.group_names
                found.extend(((kind, key), r) for key, r in index.get(name, {}).items())
            return found

        candidates = [(t, r) for t, r in named(text) if r.path.startswith(region.path)]
        here = [(t, r) for t, r in candidates if r.pk == region.pk]
        if here:
            candidates = here
        if not candidates:
            head, sep, tail = unicodedata.normalize("NFKC", text).rpartition("/")
            if sep and head and tail:
                place, _problem = self.regions.resolve(head)
                if place is not None and (
                    (within and place.path.startswith(region.path)) or (not within and self.can_read(place))
                ):
                    self.load_region(place)
                    candidates = [(t, r) for t, r in named(tail.strip()) if r.pk == place.pk]
        if len(candidates) > 1:
            names = "、".join(f"{self.regions.full_name(r)}/{t[1][1]}" for t, r in candidates)
            return [], names
        return [t for t, _r in candidates], ""

    def can_read(self, region: Region) -> bool:
        if self._read_paths is None:
            scope = access.scope_for(self.user)
            self._read_paths = ("/",) if scope.is_admin else scope.read_paths
        return any(region.path.startswith(path) for path in self._read_paths)

    def load_region(self, region: Region) -> None:
        # A target written as "区域/名称" may lie outside the file's regions.
        for unit in access.readable_units(self.user).filter(region=region).select_related("region"):
            key = (unit.region_id, unit.name)
            if key not in self.existing_units:
                self.existing_units[key] = unit
                self.unit_names[unit.name][key] = unit.region
        for group in access.readable_groups(self.user).filter(region=region).select_related("region"):
            key = (group.region_id, group.name)
            if key not in self.existing_groups:
                self.existing_groups[key] = group
                self.group_names[group.name][key] = group.region

    def plan_groups(self) -> None:
        for plan in self.groups:
            plan.existing = self.existing_groups.get((plan.region.pk, plan.name))
            members_ok = True
            if plan.member_names is not None:
                for name in plan.member_names:
                    found, ambiguous = self.find(name, plan.region, ("unit",), within=True)
                    if ambiguous:
                        message = _(
                            "Several units are called “%(name)s”: %(candidates)s. Write it as "
                            "“region/unit name”."
                        )
                        self.error(plan.row, "members", message % {"name": name, "candidates": ambiguous})
                        members_ok = False
                    elif not found:
                        message = _(
                            "The unit “%(name)s” is not in the region %(region)s or below it. Check the "
                            "name, or add the unit on the sheet %(sheet)s."
                        ) % {"name": name, "region": self.regions.full_name(plan.region), "sheet": UNITS}
                        self.error(plan.row, "members", message)
                        members_ok = False
                    elif found[0][1] not in plan.members:
                        plan.members.append(found[0][1])
            if plan.failed or not members_ok:
                continue
            old = plan.existing
            old_members = {(u.region_id, u.name) for u in old.members.all()} if old else set()
            if old is None:
                plan.changes = {"region": plan.region, "name": plan.name, **plan.fields}
                plan.members_changed = bool(plan.members)
            else:
                plan.changes = {k: v for k, v in plan.fields.items() if getattr(old, k) != v}
                plan.members_changed = plan.member_names is not None and set(plan.members) != old_members
            kinds = plan.fields.get("kinds", old.kinds if old else [])
            flags = plan.fields.get("flags", old.flags if old else [])
            members = plan.members if plan.member_names is not None else old_members
            if not kinds and not flags and not members:
                column = "members" if plan.row.has("members") else "name"
                self.error(
                    plan.row,
                    column,
                    _("The group would be empty: fill in unit kinds, flags or member units."),
                )

    def plan_aliases(self) -> None:
        by_key = {(a.region_id, a.name, a.valid_from): a for a in self.existing_aliases}
        for plan in self.aliases:
            plan.existing = by_key.get((plan.region.pk, plan.name, plan.valid_from))
            if plan.target is None:
                found, ambiguous = self.find(plan.target_text, plan.region, ("unit", "group"), within=False)
                if ambiguous:
                    message = _(
                        "Several units or groups are called “%(name)s”: %(candidates)s. Write it as "
                        "“region/name”."
                    )
                    self.error(
                        plan.row, "target", message % {"name": plan.target_text, "candidates": ambiguous}
                    )
                    continue
                if not found:
                    message = _(
                        "No unit or group called “%(name)s” in the region %(region)s or below it. Check "
                        "the name, or add it on the sheet %(units)s or %(groups)s."
                    ) % {
                        "name": plan.target_text,
                        "region": self.regions.full_name(plan.region),
                        "units": UNITS,
                        "groups": GROUPS,
                    }
                    self.error(plan.row, "target", message)
                    continue
                plan.target = found[0]
            old = plan.existing
            if (
                plan.from_short_name
                and old is not None
                and (_target_of(old) != plan.target or old.valid_to is not None)
            ):
                message = _(
                    "“%(name)s” is already an alias of %(target)s (%(period)s): change it on the sheet "
                    "%(sheet)s."
                ) % {"name": plan.name, "target": old.target, "period": _period(old), "sheet": ALIASES}
                self.error(plan.row, plan.column, message)
                continue
            if old is None:
                plan.changes = {"region": plan.region, "name": plan.name, "valid_from": plan.valid_from}
                plan.changes["valid_to"] = plan.final_to
                plan.changes["note"] = plan.note or ""
                plan.changes["target"] = plan.target
            else:
                if _target_of(old) != plan.target:
                    plan.changes["target"] = plan.target
                if plan.valid_to != "keep" and old.valid_to != plan.valid_to:
                    plan.changes["valid_to"] = plan.valid_to
                if plan.note is not None and old.note != plan.note:
                    plan.changes["note"] = plan.note
        self.check_overlaps()

    def check_overlaps(self) -> None:
        """One name stands for one unit or group at a time (actions.check_alias_overlap checks it on save)."""
        replaced = {plan.existing.pk for plan in self.aliases if plan.existing is not None}
        stored = [a for a in self.existing_aliases if a.pk not in replaced]
        buckets: dict[tuple[int, str], list[_AliasPlan]] = defaultdict(list)
        for plan in self.aliases:
            if plan.target is not None:
                buckets[(plan.region.pk, plan.name)].append(plan)
        for (region_id, name), plans in buckets.items():
            for index, plan in enumerate(plans):
                to = plan.final_to
                clash = next(
                    (o for o in plans[:index] if _overlap(plan.valid_from, to, o.valid_from, o.final_to)),
                    None,
                )
                if clash is not None:
                    message = _(
                        "The alias “%(name)s” overlaps in time with the one on sheet %(sheet)s, row %(row)d. "
                        "A name can stand for only one unit or group at a time."
                    ) % {"name": name, "sheet": clash.row.sheet, "row": clash.row.number}
                    self.error(plan.row, plan.column, message)
                    continue
                for alias in stored:
                    if (alias.region_id, alias.name) == (region_id, name) and _overlap(
                        plan.valid_from, to, alias.valid_from, alias.valid_to
                    ):
                        message = _(
                            "The alias “%(name)s” already stands for %(target)s (%(period)s) in an "
                            "overlapping period. Change the dates, or change the existing alias first."
                        ) % {"name": name, "target": alias.target, "period": _period(alias)}
                        self.error(plan.row, plan.column, message)
                        break

    # -- counting --

    def counts(self) -> dict[str, SheetCounts]:
        counts = {sheet: SheetCounts() for sheet in SHEET_ORDER}
        for sheet, plans in ((UNITS, self.units), (GROUPS, self.groups), (ALIASES, self.aliases)):
            for plan in plans:
                changed = bool(plan.changes) or bool(getattr(plan, "members_changed", False))
                if plan.existing is None:
                    counts[sheet].created += 1
                elif changed:
                    counts[sheet].updated += 1
                else:
                    counts[sheet].unchanged += 1
        return counts


def _target_of(alias: Alias) -> Target:
    if alias.unit_id is not None and alias.unit is not None:
        return ("unit", (alias.unit.region_id, alias.unit.name))
    assert alias.group is not None
    return ("group", (alias.group.region_id, alias.group.name))


def _overlap(a_from: Any, a_to: Any, b_from: Any, b_to: Any) -> bool:
    return (a_from is None or b_to is None or a_from <= b_to) and (
        b_from is None or a_to is None or b_from <= a_to
    )


def _period(alias: Alias) -> str:
    start, end = alias.valid_from, alias.valid_to
    if start and end:
        return _("%(from)s to %(to)s") % {"from": start, "to": end}
    if start:
        return _("from %(from)s") % {"from": start}
    if end:
        return _("until %(to)s") % {"to": end}
    return _("at all times")


def _outermost(paths: Iterable[str]) -> list[str]:
    kept: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(other) for other in kept):
            kept.append(path)
    return kept


def path_q(paths: list[str], field_name: str) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field_name}__startswith": path})
    return q


def _common_region(regions: Iterable[Region]) -> int | None:
    """The deepest region containing all of them, so the coordinators of that region see the import entry."""
    common: list[int] | None = None
    for region in regions:
        ids = region.ancestor_ids
        if common is None:
            common = ids
        else:
            length = 0
            while length < min(len(common), len(ids)) and common[length] == ids[length]:
                length += 1
            common = common[:length]
    return common[-1] if common else None


# --- writing ------------------------------------------------------------------------------------------------


class _RowFailure(Exception):
    def __init__(self, row: _Row, column: str, problem: str) -> None:
        super().__init__(problem)
        self.row, self.column, self.problem = row, column, problem


def _apply(checker: _Checker) -> None:
    units: dict[UnitKey, Unit] = dict(checker.existing_units)
    for plan in checker.units:
        if not plan.changes:
            continue
        with _row_failures(plan.row, ""):
            units[(plan.region.pk, plan.name)] = actions.save_unit(plan.existing, **plan.changes)
    groups: dict[UnitKey, UnitGroup] = dict(checker.existing_groups)
    for group_plan in checker.groups:
        if not group_plan.changes and not group_plan.members_changed:
            continue
        members = [units[key] for key in group_plan.members] if group_plan.members_changed else None
        with _row_failures(group_plan.row, ""):
            groups[(group_plan.region.pk, group_plan.name)] = actions.save_group(
                group_plan.existing, members=members, **group_plan.changes
            )
    pending = [plan for plan in checker.aliases if plan.changes]
    # Saving one alias can clash for a moment with another that this file moves out of the way later: retry
    # until every one is saved. The whole file was checked for overlaps, so only a true clash remains.
    while pending:
        failed: list[tuple[_AliasPlan, ValidationError]] = []
        for alias_plan in pending:
            fields = dict(alias_plan.changes)
            if "target" in fields:
                kind, key = fields.pop("target")
                fields["unit"] = units[key] if kind == "unit" else None
                fields["group"] = groups[key] if kind == "group" else None
            try:
                actions.save_alias(alias_plan.existing, **fields)
            except ValidationError as error:
                failed.append((alias_plan, error))
            except DatabaseError as error:
                raise _RowFailure(alias_plan.row, alias_plan.column, str(error)) from error
        if len(failed) == len(pending):
            stuck, refusal = failed[0]
            raise _RowFailure(stuck.row, stuck.column, "；".join(refusal.messages))
        pending = [alias_plan for alias_plan, _refusal in failed]


@contextlib.contextmanager
def _row_failures(row: _Row, column: str) -> Iterator[None]:
    """Turn a database or validation error while writing one row into a _RowFailure naming that row."""
    try:
        yield
    except ValidationError as error:
        raise _RowFailure(row, column, "；".join(error.messages)) from error
    except DatabaseError as error:
        raise _RowFailure(row, column, str(error)) from error


# --- the entry points ---------------------------------------------------------------------------------------


def import_directory(data: bytes, file_name: str, user: Any, check_only: bool = False) -> ImportResult:
    """Check a file and, unless `check_only` or it has problems, write it; the caller sets the audit actor."""
    result = ImportResult(file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), check_only=check_only)
    try:
        tables, result.ignored_columns = read_tables(data, file_name)
    except DocumentError as error:
        result.errors.append(RowError("", None, "", error.message))
        return result
    except _FileProblem as problem:
        result.errors.extend(problem.errors)
        return result
    result.sheets = [table.sheet for table in tables]
    try:
        with transaction.atomic():
            # Checked inside the transaction that writes, so what was checked is what gets written to.
            checker = _Checker(user, tables)
            checker.check()
            result.errors.extend(checker.errors)
            result.counts = checker.counts()
            if result.errors or check_only:
                return result
            with batched():
                _apply(checker)
                record(
                    "import",
                    "orgs.directory",
                    result.sha256,
                    file_name[:200],
                    {
                        "file": file_name,
                        "sha256": result.sha256,
                        "created": {sheet: c.created for sheet, c in result.counts.items()},
                        "updated": {sheet: c.updated for sheet, c in result.counts.items()},
                    },
                    region_id=_common_region(checker.row_regions()),
                )
    except _RowFailure as failure:
        message = _("The database refused this row: %(problem)s. Nothing was imported.") % {
            "problem": failure.problem
        }
        result.errors.append(
            RowError(
                failure.row.sheet,
                failure.row.number,
                failure.row.header(failure.column) if failure.column else "",
                message,
            )
        )
        return result
    result.applied = True
    return result


def import_upload(upload: UploadedFile, user: Any, check_only: bool = False) -> ImportResult:
    """The same for an uploaded file: its size is checked before it is read into memory."""
    name = upload.name or "upload"
    try:
        safety.check_length(upload.size or 0, settings.FAZHI_UPLOAD_MAX_BYTES)
    except DocumentError as error:
        result = ImportResult(file_name=name, sha256="", check_only=check_only)
        result.errors.append(RowError("", None, "", error.message))
        return result
    return import_directory(upload.read(), name, user, check_only)
