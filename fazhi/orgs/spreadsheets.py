"""The import template and the directory export: workbooks in exactly the format `importing` reads.

Export → edit in Excel → import is a round trip: every stored value is written the way the importer reads it
back, so an unedited export imports as "unchanged" throughout.
"""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from . import access
from .importing import (
    ACTIVE,
    ALIASES,
    CLEAR_WORD,
    COLUMNS,
    EXAMPLE_ROWS,
    FLAG_NAMES,
    GROUPS,
    INACTIVE,
    KIND_NAMES,
    MAX_DATA_ROWS,
    NO,
    SHEET_ORDER,
    UNITS,
    YES,
    RegionIndex,
)
from .models import Alias, Region, Unit, UnitGroup

OPTIONS_SHEET = "选项"
GUIDE_SHEET = "说明"
# Dropdowns cover this many rows below the header; Excel stores a range, not one rule per cell.
VALIDATED_ROWS = MAX_DATA_ROWS


def template_workbook(user: Any) -> bytes:
    """The three sheets with their headers and one example row each, a 说明 sheet, and dropdowns."""
    regions = list(access.managed_regions(user).order_by("path"))
    index = RegionIndex(user)
    region_name = index.full_name(regions[0]) if regions else ""
    rows: dict[str, list[dict[str, Any]]] = {
        sheet: [{**EXAMPLE_ROWS[sheet], "region": region_name}] for sheet in SHEET_ORDER
    }
    return _workbook(rows, [index.full_name(r) for r in regions], example=True)


def export_workbook(user: Any, region: Region) -> bytes:
    """Every unit, group and alias of `region` and the regions below it, as the user may read them."""
    index = RegionIndex(user)
    units = list(
        access.readable_units(user)
        .in_subtree(region)
        .select_related("region")
        .prefetch_related("aliases")
        .order_by("region__path", "sort_order", "name")
    )
    groups = list(
        access.readable_groups(user)
        .filter(region__path__startswith=region.path)
        .select_related("region")
        .prefetch_related("members__region")
        .order_by("region__path", "name")
    )
    aliases = list(
        access.readable_aliases(user)
        .filter(region__path__startswith=region.path)
        .select_related("region", "unit__region", "group__region")
        .order_by("region__path", "name", "valid_from")
    )
    names = _Names(index, units, groups)
    short_names: dict[int, list[str]] = defaultdict(list)
    alias_rows: list[dict[str, Any]] = []
    for alias in aliases:
        if _is_short_name(alias):
            assert alias.unit_id is not None
            short_names[alias.unit_id].append(alias.name)
            continue
        target = alias.unit or alias.group
        assert target is not None
        alias_rows.append(
            {
                "name": alias.name,
                "region": index.full_name(alias.region),
                "target": names.reference(target, alias.region, within=False),
                "valid_from": alias.valid_from,
                "valid_to": alias.valid_to,
                "note": alias.note,
            }
        )
    unit_rows = [
        {
            "name": unit.name,
            "region": index.full_name(unit.region),
            "kind": KIND_NAMES.get(unit.kind, unit.kind),
            "is_enforcement_body": YES if unit.is_enforcement_body else NO,
            "is_decision_body": YES if unit.is_decision_body else NO,
            "short_names": "、".join(sorted(short_names.get(unit.pk, []))),
            "phone": unit.phone,
            "note": unit.note,
            "status": ACTIVE if unit.is_active else INACTIVE,
        }
        for unit in units
    ]
    group_rows = [
        {
            "name": group.name,
            "region": index.full_name(group.region),
            "kinds": "、".join(KIND_NAMES.get(kind, kind) for kind in group.kinds),
            "flags": "、".join(FLAG_NAMES.get(flag, flag) for flag in group.flags),
            "include_subregions": YES if group.include_subregions else NO,
            "members": "、".join(
                names.reference(member, group.region, within=True)
                for member in sorted(group.members.all(), key=lambda u: (u.region.path, u.name))
            ),
            "note": group.note,
        }
        for group in groups
    ]
    regions = list(access.managed_regions(user).order_by("path"))
    rows: dict[str, list[dict[str, Any]]] = {UNITS: unit_rows, GROUPS: group_rows, ALIASES: alias_rows}
    return _workbook(rows, [index.full_name(r) for r in regions], example=False)


def _is_short_name(alias: Alias) -> bool:
    """An alias the 简称 column can carry: of a unit, in the unit's region, always valid, without a note."""
    unit = alias.unit
    return (
        unit is not None
        and alias.region_id == unit.region_id
        and alias.valid_from is None
        and alias.valid_to is None
        and not alias.note
        and alias.name != unit.name
        and not any(sep in alias.name for sep in "、,，;；\n")
    )


class _Names:
    """How to write a unit or group so that the importer finds that one: its bare name when that is unique
    where the importer looks (the row's region first, then below it), else "region path/name"."""

    def __init__(self, index: RegionIndex, units: list[Unit], groups: list[UnitGroup]) -> None:
        self.index = index
        self.by_name: dict[str, list[Unit | UnitGroup]] = defaultdict(list)
        items: list[Unit | UnitGroup] = [*units, *groups]
        for item in items:
            self.by_name[item.name].append(item)

    def reference(self, target: Unit | UnitGroup, region: Region, within: bool) -> str:
        kinds = (Unit, UnitGroup) if not within else (Unit,)
        candidates = [
            c
            for c in self.by_name.get(target.name, [])
            if isinstance(c, kinds) and c.region.path.startswith(region.path)
        ]
        here = [c for c in candidates if c.region_id == region.pk]
        if here:
            candidates = here
        if len(candidates) == 1 and candidates[0] == target and type(candidates[0]) is type(target):
            return target.name
        return f"{self.index.full_name(target.region)}/{target.name}"


# --- writing the workbook -----------------------------------------------------------------------------------


def _workbook(rows: dict[str, list[dict[str, Any]]], region_names: list[str], example: bool) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    header_fill = PatternFill("solid", fgColor="F2DCDB")
    example_font = Font(italic=True, color="808080")

    for sheet in SHEET_ORDER:
        ws = workbook.create_sheet(sheet)
        columns = COLUMNS[sheet]
        for position, column in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=position, value=column.header)
            cell.font = Font(bold=True, color="C00000" if column.required else "000000")
            cell.fill = header_fill
            cell.alignment = Alignment(horizontal="center")
            if column.required:
                cell.comment = Comment(_("Required."), "Fazhi")
            width = 34 if column.key in ("name", "region", "target", "members", "short_names") else 14
            ws.column_dimensions[get_column_letter(position)].width = width
        for number, values in enumerate(rows[sheet], start=2):
            for position, column in enumerate(columns, start=1):
                value = values.get(column.key)
                cell = ws.cell(row=number, column=position, value=value if value not in (None, "") else None)
                if column.key in ("valid_from", "valid_to") and value:
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(value, str):
                    # Text cells stay text: a phone number like 0471… must keep its leading zero.
                    cell.number_format = "@"
                if example:
                    cell.font = example_font
        ws.freeze_panes = "A2"
        _add_validations(ws, sheet, columns, len(region_names), DataValidation, get_column_letter)

    # The 所属区域 dropdown reads region names from a hidden sheet: an inline list holds 255 characters.
    options = workbook.create_sheet(OPTIONS_SHEET)
    for number, name in enumerate(region_names, start=1):
        options.cell(row=number, column=1, value=name)
    options.sheet_state = "hidden"
    guide = workbook.create_sheet(GUIDE_SHEET, 0)
    _write_guide(guide, Font, Alignment)
    # The template opens on its instructions, an export on its data.
    workbook.active = 0 if example else 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _add_validations(
    ws: Any, sheet: str, columns: Any, region_count: int, DataValidation: Any, letter: Any
) -> None:
    last = VALIDATED_ROWS + 1

    def add(key: str, formula: str, strict: bool, prompt: str) -> None:
        position = next(i for i, c in enumerate(columns, start=1) if c.key == key)
        rule = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop" if strict else "warning",
            error=prompt,
            errorTitle=_("Check this value"),
        )
        col = letter(position)
        rule.add(f"{col}2:{col}{last}")
        ws.add_data_validation(rule)

    yes_no = _("Write 是 or 否, or leave it blank.")
    if region_count:
        formula = f"'{OPTIONS_SHEET}'!$A$1:$A${region_count}"
        add("region", formula, False, _("Choose a region from the list, or write its full path."))
    if sheet == UNITS:
        add("kind", '"' + ",".join(KIND_NAMES.values()) + '"', False, _("Choose a unit kind from the list."))
        add("is_enforcement_body", f'"{YES},{NO}"', True, yes_no)
        add("is_decision_body", f'"{YES},{NO}"', True, yes_no)
        add("status", f'"{ACTIVE},{INACTIVE}"', True, _("Write 在用 or 撤销, or leave it blank."))
    elif sheet == GROUPS:
        add("include_subregions", f'"{YES},{NO}"', True, yes_no)


def _write_guide(ws: Any, Font: Any, Alignment: Any) -> None:
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 8
    ws.column_dimensions["D"].width = 90
    general = [
        _("How to fill in this workbook"),
        _(
            "Fill in the sheets %(sheets)s (any of them; delete the grey example rows). They are imported "
            "together, in that order, so a group or an alias may name a unit added on the same file."
        )
        % {"sheets": "、".join(f"“{s}”" for s in SHEET_ORDER)},
        _(
            "A row whose name already exists in the same region updates that unit, group or alias; "
            "other rows add new ones. Nothing is ever deleted: to retire a unit, set 状态 to 撤销."
        ),
        _(
            "A blank cell keeps what is stored (a new row gets the default). To empty a stored value, write %(clear)s."  # noqa: E501
        )
        % {"clear": CLEAR_WORD},
        _(
            "Lists are separated by 、. Regions are written as a full path such as "
            "内蒙古自治区/呼和浩特市/新城区, or by a name that is unique."
        ),
        _(
            "The whole file is checked first. If any row has a problem, nothing is imported and every "
            "problem is listed with its sheet, row and column. At most %(limit)d data rows per file."
        )
        % {"limit": MAX_DATA_ROWS},
    ]
    row = 1
    for number, text in enumerate(general):
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = Font(bold=number == 0, size=14 if number == 0 else 11)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        cell.alignment = wrap
        ws.row_dimensions[row].height = 20 if number == 0 else 34
        row += 1
    row += 1
    for position, title in enumerate((_("Sheet"), _("Column"), _("Required"), _("What to write")), start=1):
        ws.cell(row=row, column=position, value=title).font = Font(bold=True)
    row += 1
    for sheet in SHEET_ORDER:
        for column in COLUMNS[sheet]:
            values = (
                sheet,
                column.header,
                _("yes") if column.required else "",
                _column_help(sheet, column.key),
            )
            for position, value in enumerate(values, start=1):
                ws.cell(row=row, column=position, value=value).alignment = wrap
            row += 1


def _column_help(sheet: str, key: str) -> str:
    kinds = "、".join(KIND_NAMES.values())
    flags = "、".join(FLAG_NAMES.values())
    texts = {
        (UNITS, "name"): _("The full name, as in official documents (区司法局 is better as an alias)."),
        (UNITS, "region"): _("The region the unit belongs to: full path, or a unique name."),
        (UNITS, "kind"): _("One of: %(kinds)s. Common words such as 局, 街道, 镇 are understood too.")
        % {"kinds": kinds},
        (UNITS, "is_enforcement_body"): _(
            "是 or 否. Blank: 否 for a new unit, unchanged for an existing one."
        ),
        (UNITS, "is_decision_body"): _("是 or 否. Blank: 否 for a new unit, unchanged for an existing one."),
        (UNITS, "short_names"): _(
            "Abbreviations, separated by 、; each becomes an always-valid alias. Only adds."
        ),
        (UNITS, "phone"): _("Optional."),
        (UNITS, "note"): _("Optional."),
        (UNITS, "status"): _("在用 or 撤销. Blank: 在用 for a new unit, unchanged for an existing one."),
        (GROUPS, "name"): _("The collective name used in plans, such as 各街道办事处."),
        (GROUPS, "region"): _("The region whose units the group stands for."),
        (GROUPS, "kinds"): _("Units of any of these kinds belong to the group (、-separated): %(kinds)s.")
        % {"kinds": kinds},
        (GROUPS, "flags"): _("Units must carry all of these flags (、-separated): %(flags)s.")
        % {"flags": flags},
        (GROUPS, "include_subregions"): _(
            "是: also units of the regions below (towns, streets). Blank: 否 for a new group."
        ),
        (GROUPS, "members"): _(
            "Units listed by name (、-separated), in the group's region or below; replaces the listed "
            "members."
        ),
        (GROUPS, "note"): _("Optional."),
        (ALIASES, "name"): _("The other name: an abbreviation or a former name."),
        (ALIASES, "region"): _("The region where plans use this name."),
        (ALIASES, "target"): _(
            "The unit or group it stands for; write “region/name” if the name is not unique."
        ),
        (ALIASES, "valid_from"): _("Optional: the first day the name stands for it, such as 2019-01-01."),
        (ALIASES, "valid_to"): _("Optional: the last day, such as 2018-12-31 for a former name."),
        (ALIASES, "note"): _("Optional."),
    }
    return texts.get((sheet, key), "")
