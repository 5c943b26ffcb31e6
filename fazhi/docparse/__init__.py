"""Framework-free reading of 法治政府建设 plans and reports: files → text blocks → outline → tasks; reports →
sections, quantitative claims, coverage of a plan.

Public API (no Django anywhere in this package):

- ``parse_plan_file(path, year=None, *, max_bytes=...) -> dict``: the contract JSON object for a file.
- ``parse_plan_bytes(data, filename=None, year=None, *, max_bytes=...) -> dict``: the same for an upload.
- ``parse_plan_text(text, year=None) -> dict``: the same for text already in memory.
- ``parse_plan_document(path_or_bytes, filename=None, year=None, *, max_bytes=...) -> PlanDocument``: the
  richer result: the normalised ``source`` text with its blocks, the ``outline``, and tasks with ``span``.
- ``read_path`` / ``read_bytes`` / ``read_text``: only the first layer (files → ``SourceText``).
- ``analyse_report(path_or_bytes, plan=None, ...) -> ReportAnalysis``: an annual report's kind, region, year,
  sections and claims, and with a plan, which tasks it covers and which targets it reports met
  (``to_dict()`` is the contract of ``fazhi report analyze --json``; rules in claims.py and report.py).
- ``DocumentError``: the one exception, with a one-line Chinese message.

See README.md in this folder for the rules behind each JSON field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fazhi.docparse.blocks import Block, Line, SourceText, build_source
from fazhi.docparse.errors import DocumentError
from fazhi.docparse.plan import PlanDocument, Task, parse_source
from fazhi.docparse.readers import read_bytes, read_path
from fazhi.docparse.readers.plain import text_blocks
from fazhi.docparse.report import ReportAnalysis, analyse_report
from fazhi.docparse.safety import DEFAULT_MAX_BYTES

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Block",
    "DocumentError",
    "Line",
    "PlanDocument",
    "ReportAnalysis",
    "SourceText",
    "Task",
    "analyse_report",
    "parse_plan_bytes",
    "parse_plan_document",
    "parse_plan_file",
    "parse_plan_text",
    "read_bytes",
    "read_path",
    "read_text",
]


def read_text(text: str) -> SourceText:
    """The source text of a plan already decoded (pasted text, a scraped page's text)."""
    return build_source(text_blocks(text), "txt")


def parse_plan_document(
    source: str | Path | bytes,
    filename: str | None = None,
    year: int | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> PlanDocument:
    """Read a plan from a path (``str``/``Path``) or from uploaded ``bytes`` (with its ``filename``)."""
    if isinstance(source, bytes):
        text = read_bytes(source, filename, max_bytes=max_bytes)
    else:
        text = read_path(source, max_bytes=max_bytes)
    return parse_source(text, year)


def parse_plan_file(
    path: str | Path, year: int | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> dict[str, Any]:
    """The contract JSON object for the plan in the file at ``path``. Raises ``DocumentError``."""
    return parse_plan_document(path, year=year, max_bytes=max_bytes).to_dict()


def parse_plan_bytes(
    data: bytes, filename: str | None = None, year: int | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> dict[str, Any]:
    """The contract JSON object for an uploaded file's bytes. Raises ``DocumentError``."""
    return parse_plan_document(data, filename, year, max_bytes=max_bytes).to_dict()


def parse_plan_text(text: str, year: int | None = None) -> dict[str, Any]:
    """The contract JSON object for plan text already in memory."""
    return parse_source(read_text(text), year).to_dict()
