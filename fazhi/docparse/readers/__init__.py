"""Files → text blocks. One reader per format, chosen by content (``safety.sniff``), never by name alone."""

from __future__ import annotations

from pathlib import Path

from fazhi.docparse.blocks import RawBlock, SourceText, build_source
from fazhi.docparse.errors import DocumentError
from fazhi.docparse.safety import (
    DEFAULT_MAX_BYTES,
    check_kind,
    check_length,
    check_size,
    check_zip,
    check_zip_xml,
)

SUPPORTED_KINDS = ("docx", "xlsx", "pdf", "html", "txt")


def read_bytes(data: bytes, filename: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Check ``data`` as a hostile upload and read it into a ``SourceText``.

    ``filename`` is only used to compare its extension with the content. Raises ``DocumentError``.
    """
    check_size(data, max_bytes)
    kind = check_kind(data, filename, SUPPORTED_KINDS)
    raw: list[RawBlock]
    if kind in ("docx", "xlsx"):
        check_zip_xml(data, check_zip(data))
        if kind == "docx":
            from fazhi.docparse.readers.word import read_docx

            raw = read_docx(data)
        else:
            from fazhi.docparse.readers.excel import read_xlsx

            raw = read_xlsx(data)
    elif kind == "pdf":
        from fazhi.docparse.readers.pdf import read_pdf

        raw = read_pdf(data)
    elif kind == "html":
        from fazhi.docparse.readers.web import read_html

        raw = read_html(data)
    else:
        from fazhi.docparse.readers.plain import read_plain

        raw = read_plain(data)
    source = build_source(raw, kind)
    if not source.text.strip():
        raise DocumentError("文件中没有可读取的文字:请确认文件内容,或改为上传含文字的 Word(.docx)版本。")
    return source


def read_path(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read a file from disk; its size is checked before a byte of it is loaded."""
    file = Path(path)
    try:
        if not file.is_file():
            raise DocumentError(f"找不到文件或不是普通文件:{file}。请检查路径是否正确。")
        check_length(file.stat().st_size, max_bytes)
        data = file.read_bytes()
    except PermissionError as exc:
        raise DocumentError(f"没有读取权限:{file}。请检查文件权限。") from exc
    except OSError as exc:
        raise DocumentError(f"无法读取文件:{file}({exc.strerror or exc})。请检查文件是否可以打开。") from exc
    return read_bytes(data, file.name, max_bytes=max_bytes)
