"""Every responsibility form of the plan family becomes lead / responsible / cooperating units."""

from __future__ import annotations

import pytest

from fazhi.docparse.units import parse_assignments, split_responsibility


def units_of(text: str) -> tuple[list[str], list[str], list[str], str]:
    rest, found = split_responsibility(text)
    return found.lead_units, found.units, found.cooperating_units, rest


def test_trailing_responsibility_bracket_is_removed_from_the_text() -> None:
    lead, units, coop, rest = units_of("开展规范性文件清理工作。(责任单位:区司法局、区政府办公室)")
    assert units == ["区司法局", "区政府办公室"]
    assert lead == coop == []
    assert rest == "开展规范性文件清理工作。"


def test_single_responsible_unit_is_the_lead() -> None:
    assert units_of("复议决定书应网上公开。(责任单位:区司法局)")[0] == ["区司法局"]
    assert units_of("做好培训。(区法制办负责)")[0] == ["区法制办"]


def test_role_suffix_bracket_with_lead_cooperating_and_responsible() -> None:
    lead, units, coop, rest = units_of("组织学法。(区法制办牵头,区政府办配合,区政府各部门、各单位负责)")
    assert lead == ["区法制办"]
    assert coop == ["区政府办"]
    assert units == ["区法制办", "区政府办", "区政府各部门", "各单位"]
    assert rest == "组织学法。"


def test_bracket_followed_by_a_full_stop_leaves_one_stop() -> None:
    assert units_of("查询到行政决定。(各行政执法单位负责)。")[3] == "查询到行政决定。"


def test_square_brackets_with_labels_and_full_width_punctuation() -> None:
    lead, units, coop, _ = units_of("报备率达到100%。〔牵头单位：县司法局；责任单位：县政府各部门〕")
    assert lead == ["县司法局"]
    assert units == ["县司法局", "县政府各部门"]
    assert coop == []


def test_own_lines_for_lead_cooperating_and_deadline() -> None:
    text = (
        "全年学法不少于4次。\n牵头单位：县司法局\n配合单位：县委宣传部、县政府办公室\n"
        "完成时限：2024年12月底前"
    )
    rest, found = split_responsibility(text)
    assert rest == "全年学法不少于4次。"
    assert found.lead_units == ["县司法局"]
    assert found.cooperating_units == ["县委宣传部", "县政府办公室"]
    assert found.deadline_texts == ["2024年12月底前"]


def test_assisting_units_line_counts_as_cooperating() -> None:
    _, found = split_responsibility("推进执法监督。\n责任单位:区司法局\n协办单位:区公安分局,区市场监管局")
    assert found.lead_units == ["区司法局"]
    assert found.cooperating_units == ["区公安分局", "区市场监管局"]


def test_label_after_the_last_sentence_on_the_same_line() -> None:
    lead, units, _, rest = units_of("完善调解组织。责任单位:区司法局、各街道办事处")
    assert units == ["区司法局", "各街道办事处"]
    assert lead == []
    assert rest == "完善调解组织。"


@pytest.mark.parametrize(
    ("content", "units"),
    [
        (
            "区财政局、区物价局、国土莲湖分局、区建住局等有收费基金项目的部门负责",
            ["区财政局", "区物价局", "国土莲湖分局", "区建住局"],
        ),
        ("县司法局牵头,县政府各部门按职责分工分别负责", ["县司法局", "县政府各部门"]),
        (
            "区直各单位各部门、保合少镇政府、各街道办事处",
            ["区直各单位各部门", "保合少镇政府", "各街道办事处"],
        ),
        ("区委依法治区办(区司法局)、区法院", ["区委依法治区办(区司法局)", "区法院"]),
        ("区司法局(牵头)、区公安分局", ["区司法局", "区公安分局"]),
        ("各镇街;区政府各部门", ["各镇街", "区政府各部门"]),
    ],
)
def test_unit_lists_are_split_and_cleaned(content: str, units: list[str]) -> None:
    assert parse_assignments(content).units == units


def test_unit_names_keep_their_full_width_brackets() -> None:
    assert parse_assignments("责任单位：区委依法治区办（区司法局）").units == ["区委依法治区办（区司法局）"]


def test_inline_lead_marker_in_a_unit_list() -> None:
    found = parse_assignments("区司法局(牵头)、区公安分局、区法院")
    assert found.lead_units == ["区司法局"]


def test_brackets_that_are_not_responsibility_stay_in_the_text() -> None:
    for text in (
        "执行《实施纲要(2021—2025年)》。",
        "按照《规定》(新政办发〔2024〕19号)落实。",
        "出台办法(试行)。",
    ):
        rest, found = split_responsibility(text)
        assert not found.found
        assert rest == text


def test_leader_names_are_not_units() -> None:
    _, found = split_responsibility("推进述法。\n牵头领导:张某某\n牵头单位:区委依法治区办")
    assert found.units == ["区委依法治区办"]
