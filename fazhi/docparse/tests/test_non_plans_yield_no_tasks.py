"""Annual reports, news and notices are recognised as such: kind report/other, no tasks, a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi.docparse import parse_plan_file, parse_plan_text


@pytest.mark.parametrize(
    ("seed", "kind"),
    [
        ("001_414aed995e5eda95.txt", "report"),
        ("003_05bb39de674042e2.txt", "report"),
        ("004_98a81501e618baf7.txt", "other"),
    ],
)
def test_seed_non_plans_are_recognised(seeds: Path, seed: str, kind: str) -> None:
    result = parse_plan_file(seeds / seed)
    assert result["kind"] == kind
    assert result["tasks"] == []
    assert any("不是工作计划" in warning for warning in result["warnings"])


def test_report_keeps_its_metadata(seeds: Path) -> None:
    result = parse_plan_file(seeds / "003_05bb39de674042e2.txt")
    assert result["title"] == "乌恰县2021年度法治政府建设工作报告"
    assert result["doc_number"] == "恰政发〔2022〕16号"
    assert result["issuer"] == "乌恰县人民政府"
    assert result["date"] == "2022-03-31"


def test_notice_with_numbered_paragraphs_is_other() -> None:
    text = """关于开展2024年法治政府建设示范创建活动的通知
各乡镇人民政府,县直各部门:
为推进法治政府建设,现就有关事项通知如下:
一、创建范围
全县各乡镇、各部门均可申报。
二、申报时间
请于2024年5月31日前报送申报材料。
三、工作要求
各单位要高度重视。
某某县司法局
2024年4月1日
"""
    result = parse_plan_text(text)
    assert result["kind"] == "other"
    assert result["tasks"] == []
    assert "通知" in result["warnings"][0]


def test_report_that_quotes_a_plan_name_stays_a_report() -> None:
    text = """2024年,我局深入推进法治政府建设,现将有关情况报告如下:
一、主要举措和成效
(一)完善制度。印发《某局2024年法治政府建设工作要点》,明确任务12项。
二、存在的不足
三、2025年工作安排
"""
    assert parse_plan_text(text)["kind"] == "report"
