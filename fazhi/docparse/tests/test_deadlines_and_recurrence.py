"""Deadlines resolve in the plan year; relative ones stay rules; recurrences are named."""

from __future__ import annotations

import pytest

from fazhi.docparse.deadlines import find_deadlines, find_recurrence, free_text_deadline


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("11月底前完成轮训", "2024-11-30"),
        ("2月底前报送", "2024-02-29"),
        ("于6月5日前报区司法局", "2024-06-05"),
        ("12月底前向区委报告", "2024-12-31"),
        ("年底前完成", "2024-12-31"),
        ("上半年完成清理", "2024-06-30"),
        ("下半年开展评查", "2024-12-31"),
        ("第三季度完成自查", "2024-09-30"),
        ("一季度召开述法会议", "2024-03-31"),
        ("11月中旬前报送", "2024-11-20"),
        ("2025年3月底前完成", "2025-03-31"),
    ],
)
def test_calendar_deadlines_resolve_in_the_plan_year(text: str, date: str) -> None:
    (deadline,) = find_deadlines(text, 2024)
    assert deadline.to_dict()["date"] == date
    assert deadline.rule is None


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("并自公布之日起15日内报区法制办备案", "自公布之日起15日内"),
        ("收到申请后5个工作日内作出决定", "收到申请后5个工作日内"),
        ("应在15日内办结", "15日内"),
    ],
)
def test_relative_deadlines_keep_their_rule(text: str, rule: str) -> None:
    (deadline,) = find_deadlines(text, 2024)
    assert deadline.date is None
    assert deadline.rule == rule


def test_without_a_year_a_calendar_deadline_becomes_a_rule() -> None:
    (deadline,) = find_deadlines("11月底前完成", None)
    assert deadline.to_dict() == {"text": "11月底前", "date": None, "rule": "11月底前"}


def test_deadline_column_text_without_a_pattern_is_kept_as_rule() -> None:
    assert [d.to_dict() for d in free_text_deadline("长期坚持", 2024)] == [
        {"text": "长期坚持", "date": None, "rule": "长期坚持"}
    ]


@pytest.mark.parametrize(
    ("text", "recurrence"),
    [
        ("各单位每月向区法制办报送信息", "monthly"),
        ("每季度开展一次案卷评查", "quarterly"),
        ("每半年通报一次", "half-yearly"),
        ("每年向区政府汇报两次", "yearly"),
        ("每年度报告一次,每季度报送台账", "quarterly"),
        ("每两年清理一次", None),
        ("做好季度、年度评估工作", None),
    ],
)
def test_recurrences(text: str, recurrence: str | None) -> None:
    assert find_recurrence(text) == recurrence


def test_no_deadline_in_ordinary_text() -> None:
    assert find_deadlines("在宣告判决或者裁定前沟通,巩固2016年清查成果。", 2024) == []
