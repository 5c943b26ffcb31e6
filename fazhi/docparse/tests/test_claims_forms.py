"""Claims read the forms reports write numbers in, and leave alone what only looks like a count."""

from __future__ import annotations

import pytest

from fazhi.docparse.claims import find_claims


def only(text: str) -> dict[str, object]:
    claims = find_claims(text)
    assert len(claims) == 1, [claim.quantity for claim in claims]
    return claims[0].to_dict()


def test_wan_and_approximation_words_convert_to_the_full_number() -> None:
    assert only("开展安全宣传覆盖5.7万余人。") == {
        "quantity": "5.7万余人",
        "value": 57000,
        "unit": "人",
        "subject": "安全宣传",
        "approx": True,
        "change": False,
    }


def test_yi_yuan_is_counted_in_yuan() -> None:
    claim = only("投入资金1.2亿元。")
    assert (claim["value"], claim["unit"], claim["subject"]) == (120_000_000, "元", "资金")


def test_yu_before_wan_is_an_approximation_too() -> None:
    claim = only("发放各类普法资料10余万份。")
    assert (claim["value"], claim["unit"], claim["approx"]) == (100_000, "份", True)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("召开会议两次。", 2, "次"),
        ("开展培训十二场次。", 12, "场次"),
        ("参训人员一千二百余人。", 1200, "人"),
        ("近百名律师参加。", 100, "名"),
        ("持证率达百分之九十五。", 95, "%"),
        ("审批材料压减三分之二。", 66.67, "%"),
        ("办理各类案件1,234件。", 1234, "件"),
    ],
)
def test_chinese_numerals_fractions_and_thousands_commas_are_read(text: str, value: float, unit: str) -> None:
    claim = only(text)
    assert (claim["value"], claim["unit"]) == (value, unit)


def test_a_range_is_one_claim_valued_at_its_lower_bound() -> None:
    claim = only("选择1-2个行业开展试点。")
    assert (claim["quantity"], claim["value"], claim["unit"], claim["subject"]) == ("1-2个", 1, "个", "行业")


def test_year_on_year_change_is_marked_and_inherits_the_subject() -> None:
    first, second = find_claims("受理行政复议案件120件,同比增长15.3%。")
    assert (first.subject, first.change) == ("行政复议案件", False)
    assert (second.value, second.unit, second.subject, second.change) == (15.3, "%", "行政复议案件", True)


def test_reaching_a_level_is_not_a_change() -> None:
    assert only("不见面办理率上升到97.73%。")["change"] is False


def test_percentage_points_against_last_year_are_a_change() -> None:
    claim = only("出庭应诉率较上年提高5个百分点。")
    assert (claim["unit"], claim["change"], claim["subject"]) == ("个百分点", True, "出庭应诉率")


def test_respectively_gives_each_number_its_own_subject() -> None:
    claims = find_claims("人大代表建议、政协提案分别为99件、91件。")
    assert [(c.subject, c.value) for c in claims] == [("人大代表建议", 99), ("政协提案", 91)]


def test_a_measure_word_followed_by_a_noun_names_what_was_counted() -> None:
    claims = find_claims("挂牌成立10个法官联系点和1个法官工作室。")
    assert [(c.subject, c.value) for c in claims] == [("法官联系点", 10), ("法官工作室", 1)]


def test_action_verbs_are_not_part_of_the_subject() -> None:
    assert only("全年受理办结行政复议案件28件。")["subject"] == "行政复议案件"


def test_two_figures_in_a_row_share_the_subject() -> None:
    claims = find_claims("开展企业安全培训64场1118人。")
    assert [(c.quantity, c.subject) for c in claims] == [("64场", "企业安全培训"), ("1118人", "企业安全培训")]


@pytest.mark.parametrize(
    "text",
    [
        "2024年,新区全面贯彻。",
        "11月底前完成,2025年2月28日。",
        "第三次会议审议了第2批事项。",
        "依据新政办发〔2024〕19号文件。",
        "落实“十四五”规划,深入实施“八五”普法。",
        "一是加强领导;二是健全制度。1.健全制度。",
        "印发《羊山新区安全生产治本攻坚三年行动实施方案(2024—2026年)》。",
        "咨询电话0471-6901234,拨打12345热线。",
        "推进四个意识、三项制度,实现一件事一次办,选派一批干部。",
        "建成“7×24小时不打烊”政务服务受理区。",
        "2021年是中国共产党成立100周年。",
        "将开办时限压缩至3个工作日内。",
        "十分重要,千家万户。",
        "从三个方面提出要求,数十个部门参加,落实两个责任。",
        "第 3 次会议如期召开。",
    ],
)
def test_non_claims_are_not_reported(text: str) -> None:
    assert find_claims(text) == []


def test_an_unclosed_book_title_does_not_hide_the_rest_of_the_text() -> None:
    text = "发布《任务分工方案。\n挂牌成立10个法官联系点。\n下发《规划》。"
    assert [claim.quantity for claim in find_claims(text)] == ["10个"]


def test_a_multiple_is_a_change_in_times() -> None:
    claim = only("受理案件数量同比增长1.5倍。")
    assert (claim["value"], claim["unit"], claim["change"]) == (1.5, "倍", True)
    assert claim["subject"] == "案件数量"
