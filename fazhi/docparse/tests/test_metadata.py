"""Title, issuer, 文号, date and year: the most official source wins (metadata.py documents the order)."""

from __future__ import annotations

from fazhi.docparse import parse_plan_text

NOTICE = """某某市人民政府办公室关于印发某某市2024年法治政府建设工作要点的通知
某政办发〔2024〕8号
各县(市、区)人民政府,市政府各部门:
《某某市2024年法治政府建设工作要点》已经市政府同意,现印发给你们,请认真贯彻执行。
某某市人民政府办公室
二〇二四年三月五日
某某市2024年法治政府建设工作要点
一、重点任务
(一)推进依法决策。(责任单位:市司法局)
(二)规范文件管理,执行《某某市规范性文件管理办法》(某政发〔2020〕3号)。(责任单位:市司法局)
"""


def test_notice_title_signature_and_standalone_document_number() -> None:
    result = parse_plan_text(NOTICE)
    assert result["title"] == "某某市2024年法治政府建设工作要点"
    assert result["issuer"] == "某某市人民政府办公室"
    assert result["doc_number"] == "某政办发〔2024〕8号"
    assert result["date"] == "2024-03-05"
    assert result["year"] == 2024
    assert len(result["tasks"]) == 2


def test_document_numbers_cited_in_tasks_are_not_the_plans_number() -> None:
    text = NOTICE.replace("某政办发〔2024〕8号\n", "")
    assert parse_plan_text(text)["doc_number"] is None


def test_page_fields_in_one_line() -> None:
    text = (
        "发布机构:区政府办公室      文号:莲政办发〔2017〕20号      发表时间:2017-05-24    字号: A | A+\n"
        "莲湖区2017年法治政府建设工作要点\n一、主要任务\n(一)推进依法决策。(区法制办负责)\n"
    )
    result = parse_plan_text(text)
    assert result["doc_number"] == "莲政办发〔2017〕20号"
    assert result["issuer"] == "区政府办公室"
    assert result["date"] == "2017-05-24"


def test_title_without_year_before_the_first_item() -> None:
    result = parse_plan_text(
        "某区法治政府建设实施方案\n一、重点任务\n(一)推进依法决策。(责任单位:区司法局)\n", 2023
    )
    assert (result["title"], result["kind"], result["year"]) == ("某区法治政府建设实施方案", "plan", 2023)


def test_plan_without_any_title_but_with_assignments_is_a_plan_with_a_warning() -> None:
    body = "".join(f"({n})第{n}项工作。(责任单位:区司法局)\n" for n in "一二三")
    result = parse_plan_text("一、重点任务\n" + body)
    assert result["kind"] == "plan"
    assert len(result["tasks"]) == 3
    assert any("计划标题" in warning for warning in result["warnings"])
