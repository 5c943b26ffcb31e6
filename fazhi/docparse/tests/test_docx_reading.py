"""Word files: paragraphs and tables in document order, ledgers with merged cells, automatic numbering."""

from __future__ import annotations

from pathlib import Path

from fazhi.docparse import parse_plan_document, parse_plan_file
from fazhi.docparse.tests.builders import LEDGER_HEADER, LEDGER_ROWS, numbered_docx, write_docx


def test_docx_plan_paragraphs_become_tasks(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "plan.docx",
        [
            "某区2024年法治政府建设工作计划",
            "为推进法治政府建设,制定本计划。",
            "一、加强党的领导",
            "(一)坚持党的集中统一领导",
            "将习近平法治思想列入理论学习中心组学习重点内容。(责任单位:区直各单位各部门)",
            "(二)强化监督考核评价。11月底前完成年度考核。(责任单位:区委组织部、区委依法治区办)",
        ],
    )
    result = parse_plan_file(path)
    assert result["kind"] == "plan"
    assert [t["path"] for t in result["tasks"]] == [["一", "(一)"], ["一", "(二)"]]
    assert result["tasks"][1]["deadlines"][0]["date"] == "2024-11-30"


def test_task_ledger_table_with_merged_first_level_cells(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "ledger.docx",
        ["某区2024年法治政府建设重点任务台账"],
        [LEDGER_HEADER, *LEDGER_ROWS],
        merge_column=1,
    )
    tasks = parse_plan_file(path)["tasks"]
    assert [t["path"] for t in tasks] == [["一", "(一)", "1"], ["一", "(二)", "2"], ["二", "(一)", "3"]]
    assert tasks[0]["lead_units"] == ["区司法局"]
    assert tasks[0]["units"] == ["区司法局", "区直各单位"]
    assert tasks[1]["units"] == ["区委依法治区办", "各街道办事处", "区直各部门"]
    assert tasks[0]["deadlines"] == [{"text": "2024年12月底前", "date": "2024-12-31", "rule": None}]
    assert tasks[1]["deadlines"][0]["date"] == "2024-03-31"
    assert tasks[2]["deadlines"] == [{"text": "长期坚持", "date": None, "rule": "长期坚持"}]
    assert tasks[2]["targets"][0]["value"] == 100


def test_merged_cell_is_read_for_every_row_it_spans(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "ledger.docx", ["台账"], [LEDGER_HEADER, *LEDGER_ROWS], merge_column=1)
    document = parse_plan_document(path)
    rows = [block for block in document.source.blocks if block.is_row]
    assert [row.cells[1] for row in rows[1:]] == [
        "一、加强党的领导",
        "一、加强党的领导",
        "二、严格规范公正文明执法",
    ]


def test_paragraphs_after_a_table_keep_their_order(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "mixed.docx", ["开头"], [["甲", "乙"]], after=["结尾"])
    texts = [block.text for block in parse_plan_document(path).source.blocks]
    assert texts == ["开头", "甲 | 乙", "结尾"]


def test_word_automatic_numbering_is_written_out(tmp_path: Path) -> None:
    result = parse_plan_file(numbered_docx(tmp_path / "numbered.docx"))
    assert [t["path"] for t in result["tasks"]] == [["一", "(一)"], ["一", "(二)"], ["二", "(一)"]]
    assert result["tasks"][1]["deadlines"][0]["date"] == "2024-12-31"
    assert result["tasks"][2]["units"] == ["各行政执法单位"]


def test_task_spans_index_the_normalised_source(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "ledger.docx", ["台账"], [LEDGER_HEADER, *LEDGER_ROWS], merge_column=1)
    document = parse_plan_document(path)
    start, end = document.tasks[2].span
    assert "重大执法决定法制审核率达100%" in document.source.text[start:end]
