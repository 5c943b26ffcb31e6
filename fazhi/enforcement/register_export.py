"""The registers as .xlsx workbooks in exactly the format fazhi.enforcement.importing reads.

Export → edit in Excel → import is a round trip: the headers are the importer's column names and every value
is written the way the importer reads it back, so an unedited export imports as "unchanged" throughout.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .importing import (
    BODIES,
    COLUMNS,
    KIND_NAMES,
    NATURE_NAMES,
    OFFICERS,
    POWERS,
    REGISTER_NAMES,
    STANDARDS,
    TRAINING,
)
from .models import DiscretionStandard, EnforcementBody, Officer, Power, TrainingRecord

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YES, NO = "是", "否"
DATE_FORMAT = "yyyy-mm-dd"


def _body_rows(bodies: Iterable[EnforcementBody]) -> Iterator[dict[str, Any]]:
    for body in bodies:
        yield {
            "unit": body.unit.name,
            "nature": NATURE_NAMES[body.nature],
            "legal_basis": body.legal_basis,
            "entrusted_by": body.entrusted_by.name if body.entrusted_by else "",
            "jurisdiction": body.jurisdiction,
            "responsibilities": body.responsibilities,
            "credit_code": body.credit_code,
            "address": body.address,
        }


def _officer_rows(officers: Iterable[Officer]) -> Iterator[dict[str, Any]]:
    for officer in officers:
        yield {
            "unit": officer.unit.name,
            "name": officer.name,
            "certificate_number": officer.certificate_number,
            "issuing_authority": officer.issuing_authority,
            "valid_from": officer.valid_from,
            "valid_to": officer.valid_to,
            "field": officer.field,
            "is_legal_reviewer": YES if officer.is_legal_reviewer else NO,
            "is_active": YES if officer.is_active else NO,
        }


def _training_rows(records: Iterable[TrainingRecord]) -> Iterator[dict[str, Any]]:
    for record in records:
        yield {
            "certificate_number": record.officer.certificate_number,
            "issuing_authority": record.officer.issuing_authority,
            "date": record.date,
            "hours": record.hours,
            "subject": record.subject,
        }


def _power_rows(powers: Iterable[Power]) -> Iterator[dict[str, Any]]:
    for power in powers:
        yield {
            "unit": power.unit.name,
            "code": power.code,
            "name": power.name,
            "kind": KIND_NAMES[power.kind],
            "legal_basis": power.legal_basis,
        }


def _standard_rows(standards: Iterable[DiscretionStandard]) -> Iterator[dict[str, Any]]:
    for standard in standards:
        yield {
            "unit": standard.power.unit.name,
            "code": standard.power.code,
            "circumstance": standard.circumstance,
            "min_amount": standard.min_amount,
            "max_amount": standard.max_amount,
            "effective_from": standard.effective_from,
            "effective_to": standard.effective_to,
            "published_on": standard.published_on,
            "filed": standard.filed_with_justice_bureau,
        }


_ROWS: dict[str, Callable[[Iterable[Any]], Iterator[dict[str, Any]]]] = {
    BODIES: _body_rows,
    OFFICERS: _officer_rows,
    TRAINING: _training_rows,
    POWERS: _power_rows,
    STANDARDS: _standard_rows,
}


def export_register(register: str, records: QuerySet[Any]) -> bytes:
    """One sheet named after the register, its header row the importer's column names."""
    columns = COLUMNS[register]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(REGISTER_NAMES[register])
    for number, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = 30 if "依据" in column.header else 16
    sheet.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        header.append(cell)
    sheet.append(header)
    for values in _ROWS[register](records.iterator(chunk_size=2000)):
        sheet.append([_cell(sheet, values[column.key]) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=datetime.datetime.combine(value, datetime.time()))
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, Decimal):
        # Whole yuan and hours stay whole numbers; the importer reads 2000 and 2000.5 alike.
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str) and value.startswith("="):
        # Stored as text, never as a formula, and read back unchanged by the importer.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def filename(register: str, today: datetime.date) -> str:
    return f"{REGISTER_NAMES[register]}-{today:%Y%m%d}.xlsx"
