"""Bigram TF-IDF similarity: punctuation and spaces ignored, genre words found by frequency, deterministic."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from fazhi.lib.similarity import Similarity, bigrams

# Twelve task texts in the genre: every one says 法治/建设/推进, each has its own subject.
GENRE = [
    "推进法治建设,加强行政复议规范化建设,提高行政复议案件办理质效。",
    "推进法治建设,严格落实行政机关负责人出庭应诉制度,出庭应诉率保持100%。",
    "推进法治建设,全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度。",
    "推进法治建设,加强行政执法人员培训,每人每年不少于60学时。",
    "推进法治建设,编制并公布年度重大行政决策事项目录,履行公众参与、专家论证等程序。",
    "推进法治建设,严格落实行政规范性文件合法性审核机制,做到有件必备、有备必审。",
    "推进法治建设,健全人民调解、行政调解、司法调解联动工作体系。",
    "推进法治建设,修订完善突发事件总体应急预案,加强应急演练。",
    "推进法治建设,坚持以公开为常态、不公开为例外,规范办理政府信息公开申请。",
    "推进法治建设,健全政府法律顾问工作规则,实现法律顾问全覆盖。",
    "推进法治建设,全面推行“双随机、一公开”监管和信用风险分类监管。",
    "推进法治建设,组织开展习近平法治思想专题宣讲活动。",
]


def test_bigrams_never_span_punctuation_and_ignore_spaces_and_width() -> None:
    assert bigrams("加强执法,规范管理") == ["加强", "强执", "执法", "规范", "范管", "管理"]
    assert bigrams("加强 执法，规范\n管理") == bigrams("加强执法,规范管理")
    assert bigrams("５Ｇ网络") == bigrams("5g网络")
    assert bigrams("“双随机、一公开”") == ["双随", "随机", "一公", "公开"]
    assert bigrams("区") == ["区"]


def test_the_same_text_scores_one_and_texts_without_shared_bigrams_score_zero() -> None:
    model = Similarity(GENRE)
    assert model.score(GENRE[0], GENRE[0]) == 1.0
    assert model.score("行政复议", "突发事件") == 0.0
    assert model.score("", GENRE[0]) == 0.0
    assert model.score("，。、", "；：") == 0.0


def test_genre_bigrams_found_in_most_texts_become_stop_bigrams() -> None:
    model = Similarity(GENRE)
    assert {"法治", "治建", "建设", "推进", "进法"} <= model.stop_bigrams
    # 行政 is in seven of twelve texts (over the 30% share); 复议 in one: it carries the meaning.
    assert "行政" in model.stop_bigrams
    assert "复议" not in model.stop_bigrams
    # Two texts about nothing but the genre's words have nothing left to compare.
    assert model.score("推进法治建设", "法治建设推进") == 0.0


def test_a_small_corpus_keeps_every_bigram() -> None:
    assert Similarity(GENRE[:5]).stop_bigrams == frozenset()


def test_a_reworded_task_ranks_its_original_first() -> None:
    model = Similarity(GENRE)
    reworded = "区司法局牵头做好行政复议工作,推行复议决定书网上公开,提升复议案件办理质量。"
    ranked = model.rank(reworded, GENRE)
    assert ranked[0][0] == 0
    assert ranked[0][1] > 2 * ranked[1][1]
    training = "组织全区行政执法人员参加法律知识培训,全年培训不少于60学时。"
    assert model.rank(training, GENRE, limit=1)[0][0] == 3


def test_ranking_breaks_ties_by_candidate_order_and_respects_the_limit() -> None:
    model = Similarity(GENRE)
    ranked = model.rank("应急预案", ["突发事件", "应急预案", "行政复议", "应急预案"], limit=3)
    assert [index for index, _ in ranked] == [1, 3, 0]
    assert ranked[0][1] == ranked[1][1] == 1.0
    assert ranked[2][1] == 0.0


def test_scores_do_not_depend_on_the_corpus_order() -> None:
    shuffled = GENRE[:]
    random.Random(7).shuffle(shuffled)
    first, second = Similarity(GENRE), Similarity(shuffled)
    for a in GENRE:
        assert [first.score(a, b) for b in GENRE] == [second.score(a, b) for b in GENRE]


_CJK = st.text(
    alphabet=st.sampled_from("法治政府建设行政执法复议应诉决策文件审核公开监督,。、 "), max_size=40
)


@given(_CJK, _CJK)
def test_scores_are_symmetric_and_between_zero_and_one(a: str, b: str) -> None:
    model = Similarity([*GENRE, a, b])
    score = model.score(a, b)
    assert 0.0 <= score <= 1.0
    assert abs(score - model.score(b, a)) < 1e-12
    if model.vector(a):
        assert abs(model.score(a, a) - 1.0) < 1e-9
