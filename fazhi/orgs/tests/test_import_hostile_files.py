"""Hostile or wrong files are refused with one Chinese message before openpyxl reads them, writing nothing."""

from __future__ import annotations

import csv
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest

from fazhi.orgs import importing
from fazhi.orgs.tests.test_import_units import (
    UNIT_HEADER,
    A,
    directory_state,
    good_workbook,
    run_import,
    write_xlsx,
)

_END, _FREE = 0xFFFFFFFE, 0xFFFFFFFF


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file: the container of .xls and .doc, and of an .xlsx saved with a password.

    Sector 0 holds the allocation table, sector 1 the directory, then each stream padded to 4 KB (so no mini
    stream is needed).
    """
    sector = 512
    fat, body, places = [0xFFFFFFFD, _END], b"", []
    for content in streams.values():
        content = content.ljust(4096, b"\0")
        count, first = len(content) // sector, 2 + len(body) // sector
        fat += [first + i + 1 for i in range(count - 1)] + [_END]
        places.append((first, len(content)))
        body += content

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", _FREE, right, child) + b"\0" * 36 + struct.pack("<IQ", start, size)
        )  # fmt: skip

    names = list(streams)
    entries = [entry("Root Entry", 5, 1, _FREE, _END, 0)]
    entries += [
        entry(n, 2, _FREE, i + 2 if i + 1 < len(names) else _FREE, *places[i]) for i, n in enumerate(names)
    ]
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
        + struct.pack("<9I", 0, 1, 1, 0, 4096, _END, 0, _END, 0)  # one FAT sector at 0, the directory at 1
        + struct.pack("<I", 0) + struct.pack("<I", _FREE) * 108
    )  # fmt: skip
    fat_sector = b"".join(struct.pack("<I", v) for v in fat).ljust(sector, b"\xff")
    return header + fat_sector + b"".join(entries).ljust(sector, b"\0") + body


def rewritten(source: Path, target: Path, replace: dict[str, bytes], extra: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, replace.get(info.filename, old.read(info.filename)))
        for name, content in extra.items():
            new.writestr(name, content)
    return target


def refused(path: Path, user: Any) -> str:
    before = directory_state()
    result = run_import(path, user)
    assert not result.applied
    assert len(result.errors) == 1, result.errors
    assert (result.errors[0].sheet, result.errors[0].row) == ("", None)
    assert directory_state() == before
    return result.errors[0].message


def test_a_zip_bomb_is_refused_before_it_is_inflated(personas: Any, tmp_path: Path) -> None:
    bomb = rewritten(
        good_workbook(tmp_path), tmp_path / "bomb.xlsx", {}, {"xl/media/image1.bin": b"\0" * (8 << 20)}
    )
    assert "压缩" in refused(bomb, personas.coordinator)


def test_an_xml_entity_declaration_is_refused(personas: Any, tmp_path: Path) -> None:
    source = good_workbook(tmp_path)
    with zipfile.ZipFile(source) as zf:
        workbook_xml = zf.read("xl/workbook.xml")
    body = workbook_xml.split(b"?>", 1)[-1]  # openpyxl may write no XML declaration
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>' + body
    )
    hostile = rewritten(source, tmp_path / "entity.xlsx", {"xl/workbook.xml": laughs}, {})
    assert "DOCTYPE" in refused(hostile, personas.coordinator)


@pytest.mark.parametrize(
    ("content", "quoted"),
    [
        (compound_file({"Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00"}), ".xls"),
        (compound_file({"WordDocument": b"\xec\xa5\xc1\x00"}), ".doc"),
        (compound_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x01" * 64}), "密码"),
        (b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n", ".xlsx"),
        (b"PK\x05\x06" + b"\0" * 18, ".xlsx"),
    ],
    ids=["xls", "doc", "password-protected", "pdf", "plain zip"],
)
def test_a_file_named_xlsx_is_read_by_what_it_contains(
    content: bytes, quoted: str, personas: Any, tmp_path: Path
) -> None:
    path = tmp_path / "单位名录.xlsx"
    path.write_bytes(content)
    assert quoted in refused(path, personas.coordinator)


def test_empty_and_oversized_files_are_refused(personas: Any, tmp_path: Path, settings: Any) -> None:
    empty = tmp_path / "空.csv"
    empty.write_bytes(b"")
    assert "空" in refused(empty, personas.coordinator)
    settings.FAZHI_UPLOAD_MAX_BYTES = 1024
    assert "MB" in refused(good_workbook(tmp_path), personas.coordinator)


def test_a_workbook_without_the_three_sheets_or_without_data_rows_is_refused(
    personas: Any, tmp_path: Path
) -> None:
    other = write_xlsx(tmp_path / "other.xlsx", {"Sheet1": [UNIT_HEADER, ["新城区审计局", A, "局"]]})
    message = refused(other, personas.coordinator)
    assert "Sheet1" in message
    assert "单位组" in message
    headers_only = write_xlsx(tmp_path / "headers.xlsx", {"单位": [UNIT_HEADER]})
    refused(headers_only, personas.coordinator)
    unknown_csv = tmp_path / "x.csv"
    unknown_csv.write_text("姓名,电话\n张三,123\n", encoding="utf-8")
    assert "单位名称" in refused(unknown_csv, personas.coordinator)


def test_more_rows_than_the_limit_is_refused_and_says_the_limit(personas: Any, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(UNIT_HEADER[:3])
        writer.writerows([f"新城区单位{n}", A, "局"] for n in range(importing.MAX_DATA_ROWS + 1))
    before = directory_state()
    result = run_import(path, personas.coordinator)
    assert [(e.sheet, e.row) for e in result.errors] == [("单位", importing.MAX_DATA_ROWS + 2)]
    assert str(importing.MAX_DATA_ROWS) in result.errors[0].message
    assert directory_state() == before
