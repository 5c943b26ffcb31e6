"""Checks for hostile files, shared by every reader of uploaded files (plans, evidence, Excel imports).

Every uploaded file is treated as hostile: the extension is a claim, the content decides. The API is small and
framework-free:

- ``check_size(data, max_bytes)`` / ``check_length(size, max_bytes)``: refuse empty files and files over the
  limit (the second before reading a file from disk).
- ``sniff(data) -> str``: what the bytes are, from magic numbers and structure, never from the name.
- ``check_zip(data, ...)``: member count, total uncompressed size and compression ratio, read from the zip
  directory *before* any library inflates a member (python-docx and openpyxl trust the directory, and
  ``zipfile`` never inflates past a member's declared size, so checking the declared sizes bounds the work).
- ``check_xml(data, name)`` / ``check_zip_xml(data)``: refuse any XML part that declares a DOCTYPE or ENTITY
  (billion laughs, external entities); Office files never need one.
- ``decode_text(data) -> str``: BOM, then UTF-16 without BOM, then strict UTF-8, then strict GB18030.
- ``check_kind(data, filename, allowed)``: sniff and compare with the extension in one call.

All failures raise ``DocumentError`` with a one-line Chinese message that says what to do.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import PurePath

from fazhi.docparse.errors import DocumentError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_UNCOMPRESSED = 256 * 1024 * 1024
# Deflated XML is 5-30x smaller than the text; a member inflating more than 200x is a bomb, not a document.
DEFAULT_MAX_RATIO = 200
DEFAULT_MAX_MEMBERS = 5000
# Small members cannot do harm whatever their ratio (a 2 KB run of spaces compresses 1000x).
_RATIO_FLOOR = 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

KIND_NAMES = {
    "docx": "Word 文档(.docx)",
    "xlsx": "Excel 表格(.xlsx)",
    "pdf": "PDF 文件",
    "html": "网页(.html)",
    "txt": "文本文件(.txt)",
    "doc": "旧版 Word 文档(.doc)",
    "xls": "旧版 Excel 表格(.xls)",
    "encrypted-office": "加密的 Office 文档",
    "ole": "旧版 Office 文件",
    "pptx": "PowerPoint 演示文稿",
    "odf": "OpenDocument 文件",
    "ofd": "OFD 版式文件",
    "zip": "压缩包",
    "damaged-zip": "损坏的压缩文件",
    "archive": "压缩包",
    "rtf": "RTF 文档",
    "xml": "XML 文件",
    "image": "图片",
    "binary": "二进制文件",
    "empty": "空文件",
}

EXTENSION_KINDS = {
    ".docx": "docx",
    ".docm": "docx",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".doc": "doc",
    ".wps": "doc",
    ".xls": "xls",
    ".et": "xls",
    ".ppt": "ole",
    ".pptx": "pptx",
    ".odt": "odf",
    ".ods": "odf",
    ".ofd": "ofd",
    ".zip": "zip",
    ".rar": "archive",
    ".7z": "archive",
    ".rtf": "rtf",
    ".xml": "xml",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".gif": "image",
    ".tif": "image",
    ".tiff": "image",
    ".bmp": "image",
}

# Text-like kinds are interchangeable: a scraped page saved as .txt is still read, as HTML.
_TEXT_KINDS = frozenset({"html", "txt"})


def check_size(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Refuse an empty file or one larger than ``max_bytes``."""
    check_length(len(data), max_bytes)
    if not data.strip():
        raise DocumentError("文件是空的:没有可读取的内容,请检查是否上传了正确的文件。")


def check_length(size: int, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Refuse a file of ``size`` bytes before reading it: empty, or larger than ``max_bytes``."""
    if size == 0:
        raise DocumentError("文件是空的:没有可读取的内容,请检查是否上传了正确的文件。")
    if size > max_bytes:
        raise DocumentError(
            f"文件过大({size / 1048576:.1f} MB),超过 {max_bytes / 1048576:g} MB 的上限:"
            "请删去图片等内容或拆分后再导入。"
        )


def sniff(data: bytes) -> str:
    """Name what ``data`` is from its content alone.

    Returns one of: ``docx xlsx pptx odf ofd zip damaged-zip pdf doc xls ole encrypted-office rtf image
    archive html xml txt binary empty``.
    """
    if not data.strip():
        return "empty"
    head = data[:2048]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(data)
    if head.startswith(_OLE_MAGIC):
        return _sniff_ole(data)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")):
        return "image"
    if head.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b", b"BZh")):
        return "archive"
    try:
        text = decode_text(data[:8192], partial=True)
    except DocumentError:
        return "binary"
    return _sniff_text(text)


def _sniff_text(text: str) -> str:
    start = text.lstrip("\ufeff \t\r\n")[:1024].lower()
    if start.startswith(("<!doctype html", "<html")) or "<html" in start or "<body" in start:
        return "html"
    if start.startswith("<?xml"):
        return "html" if "<html" in text[:4096].lower() else "xml"
    if start.startswith(("<div", "<p>", "<p ", "<table", "<meta", "<head", "<!--")):
        return "html"
    return "txt"


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        # A zip whose directory cannot be read: a damaged (often truncated) Office file or archive.
        return "damaged-zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "OFD.xml" in names:
        return "ofd"
    if "content.xml" in names and "mimetype" in names:
        return "odf"
    return "zip"


def _sniff_ole(data: bytes) -> str:
    # The OLE directory holds stream names in UTF-16LE; looking for them avoids parsing the compound file.
    def has(name: str) -> bool:
        return name.encode("utf-16-le") in data

    if has("EncryptionInfo") or has("EncryptedPackage"):
        return "encrypted-office"
    if has("WordDocument"):
        return "doc"
    if has("Workbook") or has("Book"):
        return "xls"
    return "ole"


def check_kind(data: bytes, filename: str | None, allowed: Iterable[str]) -> str:
    """Sniff ``data``, check it against the extension of ``filename`` and the ``allowed`` kinds.

    Returns the kind to read the file as. Raises ``DocumentError`` for kinds that are not allowed and for
    files whose extension names one kind while the content is another.
    """
    kind = sniff(data)
    allowed_kinds = frozenset(allowed)
    if kind in _REFUSALS:
        raise DocumentError(_REFUSALS[kind])
    suffix = PurePath(filename).suffix.lower() if filename else ""
    claimed = EXTENSION_KINDS.get(suffix)
    if claimed and claimed != kind and not (claimed in _TEXT_KINDS and kind in _TEXT_KINDS):
        raise DocumentError(
            f"文件扩展名是 {suffix},但内容是{KIND_NAMES.get(kind, kind)}:"
            "请确认上传的是正确的文件,或按实际格式改正扩展名后再导入。"
        )
    if kind not in allowed_kinds:
        names = "、".join(KIND_NAMES.get(k, k) for k in sorted(allowed_kinds))
        raise DocumentError(f"不支持的文件格式({KIND_NAMES.get(kind, kind)}):请另存为 {names} 后再导入。")
    return kind


_REFUSALS = {
    "empty": "文件是空的:没有可读取的内容,请检查是否上传了正确的文件。",
    "doc": "这是旧版 Word 文档(.doc/.wps),无法安全读取:请在 Word 或 WPS 中另存为 .docx 后再导入。",
    "xls": "这是旧版 Excel 表格(.xls),无法安全读取:请在 Excel 或 WPS 中另存为 .xlsx 后再导入。",
    "encrypted-office": "文档设置了打开密码(已加密),无法读取:请取消密码保护、重新保存后再导入。",
    "ole": "这是旧版 Office 文件,无法安全读取:请另存为 .docx 或 .xlsx 后再导入。",
    "damaged-zip": "文件已损坏(内部压缩结构不完整,可能没有上传完整):请用 Word/Excel 打开后重新保存再导入。",
}


def check_zip(
    data: bytes,
    *,
    max_total: int = DEFAULT_MAX_UNCOMPRESSED,
    max_ratio: float = DEFAULT_MAX_RATIO,
    max_members: int = DEFAULT_MAX_MEMBERS,
) -> list[zipfile.ZipInfo]:
    """Check a zip container before anything inflates it; return its members.

    Refuses: a damaged directory, more than ``max_members`` members, encrypted members, a declared total
    uncompressed size over ``max_total``, and any member over 1 MB inflating more than ``max_ratio`` times.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise DocumentError(
            "文件已损坏,无法作为 Office 文档打开:请用 Word/Excel 打开后重新保存再导入。"
        ) from exc
    if len(infos) > max_members:
        raise DocumentError(
            f"文件内部包含 {len(infos)} 个部件,超过 {max_members} 个的上限,疑似异常文件,已拒绝读取。"
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise DocumentError("文档设置了打开密码(已加密),无法读取:请取消密码保护、重新保存后再导入。")
        total += info.file_size
        if total > max_total:
            raise DocumentError(
                f"文件解压后超过 {max_total / 1048576:.0f} MB,疑似压缩炸弹,已拒绝读取:请检查文件来源。"
            )
        if info.file_size > _RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            raise DocumentError("文件内部压缩比异常(疑似压缩炸弹),已拒绝读取:请检查文件来源。")
    return infos


_XML_SUFFIXES = (".xml", ".rels", ".vml")
_FORBIDDEN_XML = (b"<!DOCTYPE", b"<!ENTITY")
_FORBIDDEN_XML_UTF16 = tuple(
    token.decode("ascii").encode(codec) for token in _FORBIDDEN_XML for codec in ("utf-16-le", "utf-16-be")
)


def check_xml(data: bytes, name: str = "XML") -> None:
    """Refuse XML that declares a DOCTYPE or entities, in UTF-8 or UTF-16."""
    # XML keywords are case-sensitive, so a byte search is exact; "<!" is rare enough to gate the rest.
    if b"<!" not in data and b"<\x00!" not in data and b"\x00<\x00!" not in data:
        return
    if any(token in data for token in _FORBIDDEN_XML) or any(t in data for t in _FORBIDDEN_XML_UTF16):
        raise DocumentError(f"文件内部的 {name} 含有实体声明(DOCTYPE/ENTITY),存在安全风险,已拒绝读取。")


def check_zip_xml(data: bytes, infos: list[zipfile.ZipInfo] | None = None) -> None:
    """Run ``check_xml`` on every XML part of a zip that ``check_zip`` has passed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in infos if infos is not None else zf.infolist():
                if info.filename.lower().endswith(_XML_SUFFIXES):
                    check_xml(zf.read(info), info.filename)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise DocumentError(
            "文件已损坏,无法作为 Office 文档打开:请用 Word/Excel 打开后重新保存再导入。"
        ) from exc


def decode_text(data: bytes, *, partial: bool = False) -> str:
    """Decode text bytes: BOM first, then UTF-16 without BOM, then strict UTF-8, then strict GB18030.

    ``partial`` tolerates a multi-byte character cut at the end (for sniffing a prefix). Raises
    ``DocumentError`` for bytes that are none of these or that hold NUL characters (binary data).
    """
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            return _checked(_decode(data[len(bom) :], codec, partial))
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _checked(_decode(data, utf16, partial))
    for codec in ("utf-8", "gb18030"):
        try:
            return _checked(_decode(data, codec, partial))
        except UnicodeDecodeError:
            continue
    raise DocumentError(
        "无法识别文本的编码(不是 UTF-8、GBK/GB18030 或 UTF-16):请另存为 UTF-8 编码的文本后再导入。"
    )


def _decode(data: bytes, codec: str, partial: bool) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        # A prefix may end inside a character; only an error near the end is forgiven.
        if partial and exc.start >= len(data) - 4:
            return data[: exc.start].decode(codec)
        if codec in ("utf-8", "gb18030"):
            raise
        raise DocumentError("文本编码损坏,无法读取:请另存为 UTF-8 编码的文本后再导入。") from exc


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    # Text never holds NUL, so zeros mean UTF-16: ASCII characters (digits, newlines) put their zero byte at
    # odd offsets in little-endian and even offsets in big-endian; CJK characters rarely contain a zero byte.
    if odd_zeros > 4 * even_zeros:
        return "utf-16-le"
    if even_zeros > 4 * odd_zeros:
        return "utf-16-be"
    return None


def _checked(text: str) -> str:
    if "\x00" in text:
        raise DocumentError("文件含有二进制数据,不是文本文件:请上传 .docx、.pdf、.xlsx、.html 或 .txt 文件。")
    return text
