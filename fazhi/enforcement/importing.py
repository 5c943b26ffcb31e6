"""Importing the enforcement registers (bodies, officers, training, powers, discretion standards) from a
spreadsheet, one file per register.

The file is an .xlsx workbook (its first sheet is read) or a .csv file. Column names and the words in cells
(是/否, 许可, 处罚 …) are the file format, so they are fixed Chinese literals and never go through gettext.

Contract of one import (`import_register`):
- Units are matched by name or alias (fazhi.orgs.names.resolve) and must lie inside the chosen region and be
  marked as enforcement bodies.
- Rows are upserted by natural key: a body by its unit (执法主体), an officer by (发证机关, 执法证号), a
  training record by (officer, 培训日期, 培训内容), a power by (执法主体, 事项编码), a discretion standard by
  (its power, 情节, 生效日期). Importing the same file again changes nothing. It never deletes.
- The whole file is checked first and every problem collected by row; if there is any, nothing is written.
  Otherwise every change goes through actions.py in one transaction, and one "import" audit entry records
  the file name, its SHA-256 and the counts.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.audit.recorder import batched, record
from fazhi.docparse import safety
from fazhi.docparse.errors import DocumentError
from fazhi.orgs import names
from fazhi.orgs.importing import (
    HEADER_SEARCH_ROWS,
    MAX_COLUMNS,
    MAX_DATA_ROWS,
    Column,
    RowError,
    cell_text,
    csv_grids,
    normalize_header,
    normalize_word,
    open_workbook,
    parse_date,
)
from fazhi.orgs.models import Region, Unit

from . import actions
from .models import (
    CREDIT_CODE_VALIDATOR,
    BodyNature,
    DiscretionStandard,
    EnforcementBody,
    Officer,
    Power,
    PowerKind,
    TrainingRecord,
)

BODIES, OFFICERS, TRAINING, POWERS, STANDARDS = "bodies", "officers", "training", "powers", "standards"
REGISTER_NAMES = {
    BODIES: "执法主体",
    OFFICERS: "执法人员",
    TRAINING: "执法人员培训",
    POWERS: "权责清单",
    STANDARDS: "裁量基准",
}

COLUMNS: dict[str, tuple[Column, ...]] = {
    BODIES: (
        Column("unit", "执法主体", True, ("执法主体名称", "主体名称", "执法单位", "单位名称", "单位")),
        Column("nature", "主体性质", True, ("性质", "主体类别", "主体类型")),
        Column("legal_basis", "主体依据", True, ("主体资格依据", "设立依据", "法律依据", "执法依据", "依据")),
        Column("entrusted_by", "委托机关", False, ("委托单位", "委托行政机关", "委托主体")),
        Column("jurisdiction", "执法区域", False, ("管辖范围", "执法范围", "区域")),
        Column("responsibilities", "职责范围", False, ("主要职责", "执法职责", "职责")),
        Column("credit_code", "统一社会信用代码", False, ("社会信用代码", "信用代码")),
        Column("address", "办公地址", False, ("地址", "单位地址")),
    ),
    OFFICERS: (
        Column("unit", "执法主体", True, ("所属执法主体", "执法单位", "单位名称", "单位")),
        Column("name", "姓名", True, ("执法人员姓名",)),
        Column("certificate_number", "执法证号", True, ("执法证件号", "执法证编号", "证件号码", "证号")),
        Column("issuing_authority", "发证机关", True, ("发证单位", "发证部门")),
        Column("valid_from", "有效期起", True, ("有效期开始", "发证日期", "有效期自")),
        Column("valid_to", "有效期止", False, ("有效期至", "有效期截止", "有效期结束")),
        Column("field", "执法领域", False, ("执法类别", "执法门类")),
        Column("is_legal_reviewer", "法制审核人员", False, ("是否法制审核人员",)),
        Column("is_active", "在岗", False, ("是否在岗", "状态")),
    ),
    TRAINING: (
        Column("certificate_number", "执法证号", True, ("执法证件号", "执法证编号", "证件号码", "证号")),
        Column("issuing_authority", "发证机关", False, ("发证单位", "发证部门")),
        Column("date", "培训日期", True, ("日期",)),
        Column("hours", "学时", True, ("培训学时",)),
        Column("subject", "培训内容", True, ("培训主题", "课程")),
    ),
    POWERS: (
        Column("unit", "执法主体", True, ("实施主体", "执法单位", "单位名称", "单位")),
        Column("code", "事项编码", True, ("编码", "事项代码")),
        Column("name", "事项名称", True, ("名称", "权力名称")),
        Column("kind", "事项类别", True, ("类别", "权力类别", "事项类型")),
        Column("legal_basis", "设定依据", True, ("法律依据", "依据")),
    ),
    STANDARDS: (
        Column("unit", "执法主体", True, ("实施主体", "执法单位", "单位名称", "单位")),
        Column("code", "事项编码", True, ("编码", "事项代码", "权力编码")),
        Column("circumstance", "情节", True, ("违法情节", "裁量情节", "适用情形", "情形", "违法程度")),
        Column("min_amount", "罚款下限", True, ("最低罚款", "罚款最低额", "下限")),
        Column("max_amount", "罚款上限", True, ("最高罚款", "罚款最高额", "上限")),
        Column("effective_from", "生效日期", True, ("施行日期", "执行日期", "起始日期", "有效期起")),
        Column("effective_to", "失效日期", False, ("废止日期", "截止日期", "有效期止", "有效期至")),
        Column("published_on", "发布日期", False, ("公布日期", "印发日期")),
        Column("filed", "备案日期", False, ("司法局备案日期", "报备日期", "备案时间")),
    ),
}
_LOOKUP = {
    register: {
        normalize_header(name): column for column in columns for name in (column.header, *column.synonyms)
    }
    for register, columns in COLUMNS.items()
}

KIND_NAMES: dict[str, str] = {
    PowerKind.LICENSING: "许可",
    PowerKind.PENALTY: "处罚",
    PowerKind.COERCION: "强制",
    PowerKind.INSPECTION: "检查",
    PowerKind.LEVY: "征收",
    PowerKind.BENEFIT: "给付",
    PowerKind.CONFIRMATION: "确认",
    PowerKind.ADJUDICATION: "裁决",
    PowerKind.REWARD: "奖励",
    PowerKind.OTHER: "其他",
}
_KIND_WORDS = {
    **{normalize_word(word): kind for kind, word in KIND_NAMES.items()},
    **{normalize_word("行政" + word): kind for kind, word in KIND_NAMES.items()},
    "其它": PowerKind.OTHER,
    "其他行政权力": PowerKind.OTHER,
    "行政强制措施": PowerKind.COERCION,
    "行政强制执行": PowerKind.COERCION,
    **{kind.value.upper(): kind for kind in PowerKind},
}
NATURE_NAMES: dict[str, str] = {
    BodyNature.STATUTORY: "法定行政机关",
    BodyNature.AUTHORISED: "法律法规授权的组织",
    BodyNature.ENTRUSTED: "受委托组织",
}
# Compared without spaces and 、 (法律、法规授权的组织).
_NATURE_WORDS: dict[str, str] = {
    **{normalize_word(word).replace("、", ""): nature for nature, word in NATURE_NAMES.items()},
    **dict.fromkeys(("行政机关", "法定机关", "行政执法机关", "法定"), BodyNature.STATUTORY),
    **dict.fromkeys(("法律法规授权组织", "授权组织", "被授权组织", "授权"), BodyNature.AUTHORISED),
    **dict.fromkeys(("受委托的组织", "委托组织", "受委托", "委托"), BodyNature.ENTRUSTED),
    **{nature.value.upper(): nature for nature in BodyNature},
}
_YES = {"是", "Y", "YES", "TRUE", "1", "√", "在岗", "在职", "有效"}
_NO = {"否", "N", "NO", "FALSE", "0", "×", "离岗", "调离", "退休", "注销"}


@dataclass
class RegisterImportResult:
    register: str
    file_name: str
    sha256: str
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return _("%(register)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
            "register": REGISTER_NAMES[self.register],
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


# --- reading ------------------------------------------------------------------------------------------------


def _grid(data: bytes, file_name: str) -> Iterator[tuple[Any, ...]]:
    """The rows of the file, after the same hostile-file checks as the directory import."""
    safety.check_size(data, settings.FAZHI_UPLOAD_MAX_BYTES)
    kind = safety.check_kind(data, file_name, {"xlsx", "txt"})
    if kind != "xlsx":
        yield from csv_grids(data)[0][1]
        return
    infos = safety.check_zip(data)
    safety.check_zip_xml(data, infos)
    workbook = open_workbook(data)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        yield from sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
    finally:
        workbook.close()


@dataclass
class _Row:
    number: int
    values: tuple[Any, ...]
    columns: dict[str, int]

    def raw(self, key: str) -> Any:
        position = self.columns.get(key)
        return None if position is None or position >= len(self.values) else self.values[position]

    def text(self, key: str) -> str:
        return cell_text(self.raw(key))


def _read(
    register: str, data: bytes, file_name: str, errors: list[RowError]
) -> tuple[list[_Row], dict[str, str]]:
    sheet = REGISTER_NAMES[register]
    lookup = _LOOKUP[register]
    rows = _grid(data, file_name)
    header_row, header = 0, cast(tuple[Any, ...], ())
    for number, values in enumerate(rows, start=1):
        if len({normalize_header(cell_text(v)) for v in values} & lookup.keys()) >= 2:
            header_row, header = number, values
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    required = [c.header for c in COLUMNS[register] if c.required]
    if not header_row:
        errors.append(
            RowError(
                sheet,
                None,
                "",
                _(
                    "No header row found: one of the first %(rows)d rows must hold the column names "
                    "%(columns)s. Is this the right file for the %(register)s register?"
                )
                % {"rows": HEADER_SEARCH_ROWS, "columns": "、".join(required), "register": sheet},
            )
        )
        return [], {}
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    for position, value in enumerate(header):
        column = lookup.get(normalize_header(cell_text(value)))
        if column is not None and column.key not in columns:
            columns[column.key] = position
            headers[column.key] = cell_text(value)
    missing = [c.header for c in COLUMNS[register] if c.required and c.key not in columns]
    if missing:
        errors.append(
            RowError(
                sheet,
                header_row,
                "",
                _("Missing required columns: %(columns)s. Add them to the header row and import again.")
                % {"columns": "、".join(missing)},
            )
        )
    data_rows: list[_Row] = []
    for number, values in enumerate(rows, start=header_row + 1):
        if not any(cell_text(v) for v in values):
            continue
        if len(data_rows) >= MAX_DATA_ROWS:
            errors.append(
                RowError(
                    sheet,
                    number,
                    "",
                    _("The file has more than %(limit)d data rows. Split it and import the parts one by one.")
                    % {"limit": MAX_DATA_ROWS},
                )
            )
            break
        data_rows.append(_Row(number, tuple(values), columns))
    if not data_rows and not errors:
        errors.append(
            RowError(
                sheet,
                None,
                "",
                _("The file holds no data rows, only column names: fill in at least one row."),
            )
        )
    return data_rows, headers


# --- checking -----------------------------------------------------------------------------------------------


@dataclass
class _Plan:
    row: _Row
    existing: Model | None
    fields: dict[str, Any]


class _Checker:
    def __init__(self, register: str, region: Region, rows: list[_Row], headers: dict[str, str]) -> None:
        self.register, self.region, self.rows, self.headers = register, region, rows, headers
        self.sheet = REGISTER_NAMES[register]
        self.errors: list[RowError] = []
        self.plans: list[_Plan] = []
        self.today = timezone.localdate()
        self._units: dict[str, Unit | None] = {}

    def error(self, row: _Row, key: str, message: str) -> None:
        header = self.headers.get(key, "") if key else ""
        self.errors.append(RowError(self.sheet, row.number, header, message))

    def required(self, row: _Row, key: str, limit: int) -> str | None:
        text = row.text(key)
        if not text:
            self.error(row, key, _("This cell is empty: fill it in."))
            return None
        if len(text) > limit:
            self.error(row, key, _("Too long: at most %(limit)d characters.") % {"limit": limit})
            return None
        return text

    def optional(self, row: _Row, key: str, limit: int) -> str | None:
        text = row.text(key)
        if len(text) > limit:
            self.error(row, key, _("Too long: at most %(limit)d characters.") % {"limit": limit})
            return None
        return text

    def date(self, row: _Row, key: str, required: bool) -> tuple[bool, datetime.date | None]:
        try:
            day = parse_date(row.raw(key))
        except (ValueError, OverflowError):
            self.error(
                row,
                key,
                _("“%(value)s” is not a date: write it as 2025-01-31 or 2025年1月31日.")
                % {"value": row.text(key)},
            )
            return False, None
        if day is None and required:
            self.error(row, key, _("This cell is empty: fill in a date such as 2025-01-31."))
            return False, None
        return True, day

    def yes_no(self, row: _Row, key: str, default: bool) -> bool | None:
        word = normalize_word(row.text(key)).upper()
        if not word:
            return default
        if word in _YES:
            return True
        if word in _NO:
            return False
        self.error(row, key, _("“%(value)s” is not understood: write 是 or 否.") % {"value": row.text(key)})
        return None

    def unit(self, row: _Row) -> Unit | None:
        text = row.text("unit")
        if not text:
            self.error(row, "unit", _("This cell is empty: fill in the enforcement body's name."))
            return None
        if text not in self._units:
            found = names.resolve(self.region, text, on=self.today)
            unit = found.unit if found.kind == "unit" else None
            if unit is not None and not unit.region.path.startswith(self.region.path):
                unit = None
            self._units[text] = unit
        unit = self._units[text]
        if unit is None:
            self.error(
                row,
                "unit",
                _(
                    "No unit named “%(name)s” in %(region)s: use the name or a registered alias from the "
                    "directory, or add the unit to the directory first."
                )
                % {"name": text, "region": self.region.name},
            )
        elif not unit.is_enforcement_body:
            self.error(
                row,
                "unit",
                _(
                    "“%(name)s” is not marked as an administrative enforcement unit in the directory: "
                    "mark it first."
                )
                % {"name": unit.name},
            )
            return None
        return unit

    def duplicate(self, seen: dict[Any, _Row], key: Any, row: _Row, column: str, what: str) -> bool:
        first = seen.setdefault(key, row)
        if first is not row:
            self.error(
                row,
                column,
                _("%(what)s repeats row %(row)d: keep one of the two rows.")
                % {"what": what, "row": first.number},
            )
            return True
        return False

    def check(self) -> None:
        getattr(self, f"check_{self.register}")()

    def plan(self, row: _Row, existing: Model | None, fields: dict[str, Any]) -> None:
        if existing is not None:
            fields = {name: value for name, value in fields.items() if getattr(existing, name) != value}
        self.plans.append(_Plan(row, existing, fields))

    def check_officers(self) -> None:
        seen: dict[Any, _Row] = {}
        existing = {
            (o.issuing_authority, o.certificate_number): o
            for o in Officer.objects.select_related("unit__region").filter(
                certificate_number__in=[normalize_word(r.text("certificate_number")) for r in self.rows]
            )
        }
        for row in self.rows:
            unit = self.unit(row)
            name = self.required(row, "name", 50)
            number = self.required(row, "certificate_number", 50)
            authority = self.required(row, "issuing_authority", 100)
            ok_from, valid_from = self.date(row, "valid_from", True)
            ok_to, valid_to = self.date(row, "valid_to", False)
            field_name = self.optional(row, "field", 100)
            reviewer = self.yes_no(row, "is_legal_reviewer", False)
            active = self.yes_no(row, "is_active", True)
            if number and authority:
                number = normalize_word(number)
                key = (authority, number)
                if self.duplicate(seen, key, row, "certificate_number", _("This certificate number")):
                    continue
                officer = existing.get(key)
                if officer is not None and not officer.unit.region.path.startswith(self.region.path):
                    self.error(
                        row,
                        "certificate_number",
                        _(
                            "This certificate is already registered to an officer of %(unit)s, outside "
                            "%(region)s: check the number, or ask that region to correct its register."
                        )
                        % {"unit": officer.unit.name, "region": self.region.name},
                    )
                    continue
            if valid_from and valid_to and valid_to < valid_from:
                self.error(row, "valid_to", _("The certificate ends before it starts: check both dates."))
                continue
            if None in (unit, name, number, authority, reviewer, active, field_name) or not (
                ok_from and ok_to
            ):
                continue
            fields = {
                "unit": unit,
                "name": name,
                "certificate_number": number,
                "issuing_authority": authority,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "field": field_name,
                "is_legal_reviewer": reviewer,
                "is_active": active,
            }
            self.plan(row, existing.get((authority, number)), fields)  # type: ignore[arg-type]

    def check_training(self) -> None:
        seen: dict[Any, _Row] = {}
        officers: dict[str, list[Officer]] = {}
        numbers = {normalize_word(r.text("certificate_number")) for r in self.rows}
        for holder in Officer.objects.filter(
            unit__region__path__startswith=self.region.path, certificate_number__in=numbers
        ):
            officers.setdefault(holder.certificate_number, []).append(holder)
        for row in self.rows:
            number = self.required(row, "certificate_number", 50)
            authority = row.text("issuing_authority")
            ok_date, day = self.date(row, "date", True)
            subject = self.required(row, "subject", 200)
            hours = self.hours(row)
            officer: Officer | None = None
            if number:
                candidates = [
                    o
                    for o in officers.get(normalize_word(number), [])
                    if not authority or o.issuing_authority == authority
                ]
                if not candidates:
                    self.error(
                        row,
                        "certificate_number",
                        _(
                            "No officer in %(region)s holds certificate “%(number)s”: import the officers "
                            "register first, or check the number."
                        )
                        % {"region": self.region.name, "number": number},
                    )
                elif len(candidates) > 1:
                    self.error(
                        row,
                        "certificate_number",
                        _(
                            "Several officers hold certificate “%(number)s”: add the column 发证机关 to tell "
                            "them apart."
                        )
                        % {"number": number},
                    )
                else:
                    officer = candidates[0]
            if officer is None or subject is None or hours is None or not ok_date or day is None:
                continue
            if self.duplicate(seen, (officer.pk, day, subject), row, "subject", _("This training session")):
                continue
            existing = TrainingRecord.objects.filter(officer=officer, date=day, subject=subject).first()
            self.plan(row, existing, {"officer": officer, "date": day, "subject": subject, "hours": hours})

    def hours(self, row: _Row) -> Decimal | None:
        text = normalize_word(row.text("hours")).removesuffix("学时").removesuffix("课时")
        try:
            hours = Decimal(text)
        except InvalidOperation:
            hours = None
        if hours is None or not hours.is_finite() or not Decimal("0") < hours <= Decimal("1000"):
            self.error(
                row,
                "hours",
                _("“%(value)s” is not a number of hours: write a number greater than 0, such as 3 or 1.5.")
                % {"value": row.text("hours")},
            )
            return None
        if hours != hours.quantize(Decimal("0.01")):
            self.error(row, "hours", _("At most two decimal places, such as 1.5 or 0.25."))
            return None
        return hours.quantize(Decimal("0.01"))

    def check_powers(self) -> None:
        seen: dict[Any, _Row] = {}
        for row in self.rows:
            unit = self.unit(row)
            code = self.required(row, "code", 50)
            name = self.required(row, "name", 200)
            basis = self.required(row, "legal_basis", 5000)
            kind_text = row.text("kind")
            kind = _KIND_WORDS.get(
                normalize_word(re.sub(r"^行政", "", kind_text)).upper()
            ) or _KIND_WORDS.get(normalize_word(kind_text).upper())
            if kind is None:
                self.error(
                    row,
                    "kind",
                    _("“%(value)s” is not a kind of power: write one of %(kinds)s.")
                    % {"value": kind_text, "kinds": "、".join(KIND_NAMES.values())},
                )
            if unit is None or code is None or name is None or basis is None or kind is None:
                continue
            code = normalize_word(code)
            if self.duplicate(seen, (unit.pk, code), row, "code", _("This code")):
                continue
            existing = Power.objects.filter(unit=unit, code=code).first()
            self.plan(
                row, existing, {"unit": unit, "code": code, "name": name, "kind": kind, "legal_basis": basis}
            )

    def check_bodies(self) -> None:
        seen: dict[Any, _Row] = {}
        existing = {
            body.unit_id: body
            for body in EnforcementBody.objects.filter(unit__region__path__startswith=self.region.path)
        }
        for row in self.rows:
            unit = self.unit(row)
            nature = self.nature(row)
            basis = self.required(row, "legal_basis", 5000)
            jurisdiction = self.optional(row, "jurisdiction", 300)
            responsibilities = self.optional(row, "responsibilities", 5000)
            address = self.optional(row, "address", 200)
            credit_code = self.credit_code(row)
            found, entrusting = self.entrusting(row, unit, nature)
            if (
                None in (unit, nature, basis, jurisdiction, responsibilities, address, credit_code)
                or not found
            ):
                continue
            assert unit is not None
            if self.duplicate(seen, unit.pk, row, "unit", _("This enforcement body")):
                continue
            fields = {
                "unit": unit,
                "nature": nature,
                "entrusted_by": entrusting,
                "legal_basis": basis,
                "jurisdiction": jurisdiction,
                "responsibilities": responsibilities,
                "credit_code": credit_code,
                "address": address,
            }
            self.plan(row, existing.get(unit.pk), fields)

    def nature(self, row: _Row) -> str | None:
        text = row.text("nature")
        nature = _NATURE_WORDS.get(normalize_word(text).replace("、", "").upper())
        if nature is None:
            self.error(
                row,
                "nature",
                _("“%(value)s” is not the nature of an enforcement body: write one of %(natures)s.")
                % {"value": text, "natures": "、".join(NATURE_NAMES.values())},
            )
        return nature

    def credit_code(self, row: _Row) -> str | None:
        code = normalize_word(row.text("credit_code")).upper()
        if code:
            try:
                CREDIT_CODE_VALIDATOR(code)
            except ValidationError:
                self.error(
                    row,
                    "credit_code",
                    _(
                        "“%(value)s” is not a unified social credit code: 18 digits and capital letters "
                        "(no I, O, S, V or Z)."
                    )
                    % {"value": row.text("credit_code")},
                )
                return None
        return code

    def entrusting(self, row: _Row, unit: Unit | None, nature: str | None) -> tuple[bool, Unit | None]:
        """The entrusting organ of a 受委托组织, (False, None) after an error."""
        text = row.text("entrusted_by")
        if nature is None:
            return False, None
        if nature != BodyNature.ENTRUSTED:
            if text:
                self.error(
                    row,
                    "entrusted_by",
                    _(
                        "Only an entrusted organisation has an entrusting organ: empty this cell, or write "
                        "受委托组织 as its nature."
                    ),
                )
                return False, None
            return True, None
        if not text:
            self.error(
                row,
                "entrusted_by" if "entrusted_by" in self.headers else "nature",
                _("An entrusted organisation acts for an organ: fill in 委托机关 with the entrusting organ."),
            )
            return False, None
        found = names.resolve(self.region, text, on=self.today)
        organ = found.unit if found.kind == "unit" else None
        if organ is None:
            self.error(
                row,
                "entrusted_by",
                _(
                    "No unit named “%(name)s” in %(region)s or the regions above it: use the name or a "
                    "registered alias from the directory."
                )
                % {"name": text, "region": self.region.name},
            )
            return False, None
        if not organ.is_enforcement_body:
            self.error(
                row,
                "entrusted_by",
                _(
                    "“%(name)s” is not marked as an administrative enforcement unit, so it has no powers to "
                    "entrust: mark it in the directory first."
                )
                % {"name": organ.name},
            )
            return False, None
        if unit is not None and (organ.pk == unit.pk or not unit.region.path.startswith(organ.region.path)):
            self.error(
                row,
                "entrusted_by",
                _(
                    "“%(name)s” cannot entrust this body: the entrusting organ is another unit of the "
                    "body's region or of a region above it."
                )
                % {"name": organ.name},
            )
            return False, None
        return True, organ

    def check_standards(self) -> None:
        seen: dict[Any, _Row] = {}
        codes = {normalize_word(r.text("code")) for r in self.rows}
        powers = {
            (power.unit_id, power.code): power
            for power in Power.objects.filter(unit__region__path__startswith=self.region.path, code__in=codes)
        }
        existing = {
            (line.power_id, line.circumstance, line.effective_from): line
            for line in DiscretionStandard.objects.filter(power__in=list(powers.values()))
        }
        for row in self.rows:
            unit = self.unit(row)
            code = self.required(row, "code", 50)
            circumstance = self.required(row, "circumstance", 300)
            low = self.amount(row, "min_amount")
            high = self.amount(row, "max_amount")
            ok_from, start = self.date(row, "effective_from", True)
            ok_to, end = self.date(row, "effective_to", False)
            ok_published, published = self.date(row, "published_on", False)
            ok_filed, filed = self.date(row, "filed", False)
            power = None
            if unit is not None and code:
                power = powers.get((unit.pk, normalize_word(code)))
                if power is None:
                    self.error(
                        row,
                        "code",
                        _(
                            "%(unit)s has no power with the code “%(code)s”: import the powers register "
                            "first, or check the code."
                        )
                        % {"unit": unit.name, "code": code},
                    )
                elif power.kind != PowerKind.PENALTY:
                    self.error(
                        row,
                        "code",
                        _(
                            "“%(code)s” is a power of the kind %(kind)s: a discretion standard sets a range "
                            "of fines, so it belongs to a penalty power."
                        )
                        % {"code": code, "kind": KIND_NAMES[power.kind]},
                    )
                    power = None
            if low is not None and high is not None and high < low:
                self.error(row, "max_amount", _("The highest fine is below the lowest: check both."))
                continue
            if start and end and end < start:
                self.error(row, "effective_to", _("The standard ends before it starts: check both dates."))
                continue
            if filed and filed > self.today:
                self.error(
                    row,
                    "filed",
                    _("The filing date %(day)s is in the future: record a filing once it is made.")
                    % {"day": filed.isoformat()},
                )
                continue
            if power is None or circumstance is None or low is None or high is None or start is None:
                continue
            if not (ok_from and ok_to and ok_published and ok_filed):
                continue
            key = (power.pk, circumstance, start)
            if self.duplicate(seen, key, row, "circumstance", _("This circumstance with this start date")):
                continue
            fields = {
                "power": power,
                "circumstance": circumstance,
                "min_amount": low,
                "max_amount": high,
                "effective_from": start,
                "effective_to": end,
                "published_on": published,
                "filed_with_justice_bureau": filed,
            }
            self.plan(row, existing.get(key), fields)

    def amount(self, row: _Row, key: str) -> Decimal | None:
        """A fine in yuan: 2000, 2,000, 2000元, 0.2万元."""
        text = normalize_word(row.text(key)).replace(",", "").removesuffix("元")
        factor = Decimal(1)
        if text.endswith("万"):
            text, factor = text.removesuffix("万"), Decimal(10000)
        try:
            amount: Decimal | None = Decimal(text) * factor
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or not Decimal(0) <= amount < Decimal("1e12"):
            self.error(
                row,
                key,
                _("“%(value)s” is not an amount of yuan: write a number of 0 or more, such as 2000 or 0.5万.")
                % {"value": row.text(key)},
            )
            return None
        if amount != amount.quantize(Decimal("0.01")):
            self.error(row, key, _("At most two decimal places (fen), such as 2000 or 199.50."))
            return None
        return amount.quantize(Decimal("0.01"))


# --- writing ------------------------------------------------------------------------------------------------

_SAVERS = {
    BODIES: actions.save_body,
    OFFICERS: actions.save_officer,
    TRAINING: actions.save_training,
    POWERS: actions.save_power,
    STANDARDS: actions.save_discretion_standard,
}


class _RowFailure(Exception):
    def __init__(self, error: RowError) -> None:
        super().__init__(error.message)
        self.error = error


@contextlib.contextmanager
def _row_failures(sheet: str, row: _Row) -> Iterator[None]:
    try:
        yield
    except ValidationError as error:
        problem = "；".join(error.messages)
    except DatabaseError as error:
        problem = str(error)
    else:
        return
    message = _("The database refused this row: %(problem)s. Nothing was imported.") % {"problem": problem}
    raise _RowFailure(RowError(sheet, row.number, "", message))


def import_upload(register: str, region: Region, upload: UploadedFile) -> RegisterImportResult:
    """`import_register` for an uploaded file: its size is checked before it is read into memory."""
    name = upload.name or "upload"
    try:
        safety.check_length(upload.size or 0, settings.FAZHI_UPLOAD_MAX_BYTES)
    except DocumentError as error:
        result = RegisterImportResult(register, name, "")
        result.errors.append(RowError(REGISTER_NAMES[register], None, "", error.message))
        return result
    return import_register(register, region, upload.read(), name)


def import_register(register: str, region: Region, data: bytes, file_name: str) -> RegisterImportResult:
    """Check a file and, if it has no problems, write it; the caller sets the audit actor (acting_as)."""
    if register not in COLUMNS:
        raise ValueError(register)
    result = RegisterImportResult(register, file_name, hashlib.sha256(data).hexdigest())
    try:
        rows, headers = _read(register, data, file_name, result.errors)
    except DocumentError as error:
        result.errors.append(RowError(REGISTER_NAMES[register], None, "", error.message))
        return result
    if result.errors:
        return result
    try:
        with transaction.atomic():
            checker = _Checker(register, region, rows, headers)
            checker.check()
            result.errors.extend(checker.errors)
            if result.errors:
                return result
            save = _SAVERS[register]
            with batched():
                for plan in checker.plans:
                    if plan.existing is not None and not plan.fields:
                        result.unchanged += 1
                        continue
                    with _row_failures(checker.sheet, plan.row):
                        save(plan.existing, **plan.fields)  # type: ignore[operator]
                    if plan.existing is None:
                        result.created += 1
                    else:
                        result.updated += 1
                record(
                    "import",
                    f"enforcement.{register}",
                    result.sha256,
                    file_name[:200],
                    {
                        "file": file_name,
                        "sha256": result.sha256,
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                    },
                    region_id=region.pk,
                )
    except _RowFailure as failure:
        result.errors.append(failure.error)
        result.created = result.updated = result.unchanged = 0
        return result
    result.applied = True
    return result
