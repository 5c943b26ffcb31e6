"""PDFs with a real Chinese text layer (written by builders.make_pdf); wrapped lines and page markers."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi.docparse import DocumentError, parse_plan_bytes, parse_plan_file
from fazhi.docparse.tests.builders import make_pdf

PAGES = [
    [
        "某区2024年法治政府建设工作计划",
        "一、加强党的领导",
        "（一）学习贯彻习近平法治思想。全年集中学法不少于",
        "4次。（责任单位：区司法局）",
        "- 1 -",
    ],
    ["（二）落实述法制度，年底前完成。（责任单位：区委依法治区办）", "— 2 —"],
]


def test_pdf_text_layer_is_read_with_wrapped_lines_joined(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(make_pdf(PAGES))
    result = parse_plan_file(path)
    assert result["title"] == "某区2024年法治政府建设工作计划"
    first, second = result["tasks"]
    assert first["text"] == "全年集中学法不少于4次。"
    assert first["targets"][0]["value"] == 4
    assert second["units"] == ["区委依法治区办"]
    assert second["deadlines"][0]["date"] == "2024-12-31"


def test_page_markers_are_dropped() -> None:
    from fazhi.docparse import parse_plan_document

    text = parse_plan_document(make_pdf(PAGES), "plan.pdf").source.text
    assert "- 1 -" not in text
    assert "— 2 —" not in text


def test_pdf_without_text_layer_is_refused() -> None:
    with pytest.raises(DocumentError, match="文字层"):
        parse_plan_bytes(make_pdf([[], []]), "scan.pdf")


def test_committed_fixture_pdf_reads(fixtures: Path) -> None:
    result = parse_plan_file(fixtures / "plan_sample.pdf")
    assert [t["path"] for t in result["tasks"]] == [["一", "(一)"], ["一", "(二)"]]


def test_damaged_pdf_is_refused() -> None:
    with pytest.raises(DocumentError, match="PDF"):
        parse_plan_bytes(b"%PDF-1.4\n1 0 obj <<>> garbage", "broken.pdf")
