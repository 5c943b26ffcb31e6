"""Hostile or unreadable files raise DocumentError with a clear Chinese message before a library opens
them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from fazhi.docparse import DocumentError, parse_plan_bytes, parse_plan_file
from fazhi.docparse.safety import check_zip
from fazhi.docparse.tests.builders import make_pdf, write_docx, zip_with

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def ole_with(*streams: str) -> bytes:
    """An OLE compound file header followed by directory entries naming ``streams`` (UTF-16LE)."""
    return OLE + b"".join(name.encode("utf-16-le").ljust(128, b"\x00") for name in streams)


def docx_bytes(tmp_path: Path) -> bytes:
    return write_docx(tmp_path / "plan.docx", ["某区2024年法治政府建设工作计划"]).read_bytes()


def replace_member(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {info.filename: source.read(info) for info in source.infolist()}
    members[name] = content
    return zip_with(members)


def refused(data: bytes, filename: str, **kwargs: int) -> str:
    with pytest.raises(DocumentError) as caught:
        parse_plan_bytes(data, filename, **kwargs)
    message = caught.value.message
    assert "\n" not in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)
    return message


def test_legacy_doc_is_refused_with_a_save_as_hint() -> None:
    assert ".docx" in refused(ole_with("WordDocument", "1Table"), "plan.doc")


def test_encrypted_docx_is_refused() -> None:
    assert "密码" in refused(ole_with("EncryptionInfo", "EncryptedPackage"), "plan.docx")


def test_corrupt_docx_is_refused(tmp_path: Path) -> None:
    broken = replace_member(docx_bytes(tmp_path), "word/document.xml", b"<w:document><unclosed>")
    assert "损坏" in refused(broken, "plan.docx")


def test_truncated_zip_is_refused(tmp_path: Path) -> None:
    assert "损坏" in refused(docx_bytes(tmp_path)[:300], "plan.docx")


def test_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    bomb = replace_member(docx_bytes(tmp_path), "word/media/filler.bin", b"\x00" * (20 * 1024 * 1024))
    assert len(bomb) < 200_000
    assert "压缩" in refused(bomb, "plan.docx")


def test_declared_total_size_limit_is_a_parameter(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="解压后"):
        check_zip(docx_bytes(tmp_path), max_total=1000)
    with pytest.raises(DocumentError, match="部件"):
        check_zip(docx_bytes(tmp_path), max_members=3)


def test_xml_entity_declarations_are_refused(tmp_path: Path) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        b"<w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
    )
    assert "实体" in refused(replace_member(docx_bytes(tmp_path), "word/document.xml", laughs), "plan.docx")


def test_pdf_without_text_layer_is_refused() -> None:
    assert "OCR" in refused(make_pdf([[]]), "scan.pdf")


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes("某区2024年法治政府建设工作计划\n".encode() * 100)
    with pytest.raises(DocumentError, match="过大"):
        parse_plan_file(path, max_bytes=1024)
    assert "上限" in refused(path.read_bytes(), "big.txt", max_bytes=1024)


@pytest.mark.parametrize("content", [b"", b"   \n\t  "])
def test_empty_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match="空"):
        parse_plan_file(path)


@pytest.mark.parametrize(
    ("maker", "filename", "said"),
    [
        (lambda tmp: make_pdf([["一、任务"]]), "plan.docx", "PDF"),
        (docx_bytes, "plan.pdf", "Word"),
        (lambda tmp: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "plan.txt", "图片"),
    ],
)
def test_wrong_extension_is_refused(
    tmp_path: Path, maker: Callable[[Path], bytes], filename: str, said: str
) -> None:
    message = refused(maker(tmp_path), filename)
    assert "扩展名" in message
    assert said in message


def test_missing_file_is_a_document_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="找不到"):
        parse_plan_file(tmp_path / "nope.docx")


def test_unsupported_formats_name_what_to_do() -> None:
    assert "另存为" in refused(b"{\\rtf1\\ansi hello}", "plan.rtf")
    assert "另存为" in refused(zip_with({"a.txt": b"x"}), "plan.zip")
