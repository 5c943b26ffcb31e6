"""Targets with comparator, value and unit: the documented rules in targets.py."""

from __future__ import annotations

import pytest

from fazhi.docparse.targets import find_targets


def parts(text: str) -> list[tuple[str, float | int, float | int | None, str]]:
    return [(t.comparator, t.value, t.value_max, t.unit) for t in find_targets(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("每年组织开展不少于60学时的法律知识培训", [(">=", 60, None, "学时")]),
        ("重大执法决定审核制度执行率达100%", [(">=", 100, None, "%")]),
        ("报备率达到100%", [(">=", 100, None, "%")]),
        ("法治审核人员不可少于本单位执法人员总数的5%", [(">=", 5, None, "%")]),
        ("选择1-2个行业作为试点", [("range", 1, 2, "个")]),
        ("每年向区政府汇报两次依法行政工作情况", [("=", 2, None, "次")]),
        ("全年组织学法活动不少于4次", [(">=", 4, None, "次")]),
        ("全年不少于十二次", [(">=", 12, None, "次")]),
        ("每百户不少于20㎡建筑面积", [(">=", 20, None, "㎡")]),
        ("每年至少开展一次案卷评查", [(">=", 1, None, "次")]),
        ("败诉率控制在5%以内", [("<=", 5, None, "%")]),
        ("培训合格率90%以上", [(">=", 90, None, "%")]),
        ("全年培训考核不少于３次", [(">=", 3, None, "次")]),
        ("出庭应诉率持续保持100%", [(">=", 100, None, "%")]),
        ("办理时限不超过15个工作日", []),
    ],
)
def test_target_forms(text: str, expected: list[tuple[str, float | int, float | int | None, str]]) -> None:
    assert parts(text) == expected


def test_target_text_is_the_phrase_as_written() -> None:
    assert [t.text for t in find_targets("全年学法不少于４次，审核率达100%。")] == ["不少于４次", "达100%"]


@pytest.mark.parametrize(
    "text",
    [
        "推进“最多跑一次”改革",
        "确保实现政务服务“一次一评”“一事一评”",
        "每季度开展一次行政复议案件分析研判",
        "贯彻《法治政府建设实施纲要(2021-2025年)》",
        "充分发挥12345政务服务热线作用",
        "下达3项任务",
        "落实行政执法“三项制度”",
    ],
)
def test_phrases_that_are_not_targets(text: str) -> None:
    assert find_targets(text) == []


def test_contract_dict_has_exactly_the_contract_keys() -> None:
    (target,) = find_targets("不少于60学时")
    assert target.to_dict() == {
        "text": "不少于60学时",
        "comparator": ">=",
        "value": 60,
        "value_max": None,
        "unit": "学时",
    }
