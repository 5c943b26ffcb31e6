"""The reusable hostile-file API: sniffing by content, zip and XML checks, text decoding."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi.docparse import DocumentError
from fazhi.docparse.safety import check_kind, check_xml, check_zip, check_zip_xml, decode_text, sniff
from fazhi.docparse.tests.builders import make_pdf, write_docx, write_xlsx, zip_with


def test_sniff_names_files_by_content(tmp_path: Path) -> None:
    docx_file = write_docx(tmp_path / "a.docx", ["正文"])
    xlsx_file = write_xlsx(tmp_path / "a.xlsx", "台账", ["序号", "任务"], [["1", "甲"]], 0)
    assert sniff(docx_file.read_bytes()) == "docx"
    assert sniff(xlsx_file.read_bytes()) == "xlsx"
    assert sniff(make_pdf([["文字"]])) == "pdf"
    assert sniff("<!DOCTYPE html><html><body>计划</body></html>".encode()) == "html"
    assert sniff("一、加强党的领导".encode("gb18030")) == "txt"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le")) == "doc"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le")) == "xls"
    assert sniff(zip_with({"OFD.xml": b"<ofd/>"})) == "ofd"
    assert sniff(b"\x89PNG\r\n\x1a\n") == "image"
    assert sniff(b"  \n") == "empty"


def test_check_kind_accepts_matching_and_text_like_extensions(tmp_path: Path) -> None:
    assert check_kind("计划".encode(), "plan.txt", ["txt", "html"]) == "txt"
    assert check_kind(b"<html><body>x</body></html>", "plan.txt", ["txt", "html"]) == "html"
    assert check_kind(make_pdf([["文字"]]), None, ["pdf"]) == "pdf"
    with pytest.raises(DocumentError, match="不支持"):
        check_kind(make_pdf([["文字"]]), "x.pdf", ["docx"])


def test_check_zip_returns_members_of_a_sound_file(tmp_path: Path) -> None:
    infos = check_zip(write_docx(tmp_path / "a.docx", ["正文"]).read_bytes())
    assert "word/document.xml" in {info.filename for info in infos}


def test_check_xml_refuses_doctype_in_utf8_and_utf16() -> None:
    check_xml(b"<?xml version='1.0'?><a>ok <!-- comment --></a>")
    with pytest.raises(DocumentError, match="实体"):
        check_xml(b'<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>')
    with pytest.raises(DocumentError):
        check_xml("<!DOCTYPE a><a/>".encode("utf-16-le"))


def test_check_zip_xml_looks_inside_every_part() -> None:
    with pytest.raises(DocumentError):
        check_zip_xml(zip_with({"[Content_Types].xml": b"<Types/>", "xl/x.xml": b"<!ENTITY a 'b'>"}))


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("区司法局\r\n2024年".encode("utf-16-le"), "区司法局\r\n2024年"),
        ("法治 2024".encode("utf-16-be"), "法治 2024"),
        ("\ufeff区司法局".encode("utf-16-le"), "区司法局"),
        ("区司法局".encode("utf-32"), "区司法局"),
    ],
)
def test_decode_text_finds_utf16_and_utf32(data: bytes, text: str) -> None:
    assert decode_text(data) == text
