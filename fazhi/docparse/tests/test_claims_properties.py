"""Properties of claim extraction on arbitrary text: it never fails, every claim points at its own words."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.docparse.claims import find_claims

REPORT_ALPHABET = st.sampled_from(
    [
        *list("0123456789.,-%万亿余多约近以上同比增长下降提高率件项人次个名家份场期卷年月日第《》“”()、,。;"),
        "开展",
        "办理",
        "案件",
        "培训",
        "分别为",
        "其中",
        "两",
        "三",
        "十",
        "百",
        "分之",
        "\n",
    ]
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.lists(REPORT_ALPHABET, max_size=80).map("".join))
def test_every_claim_quotes_its_own_span_and_has_a_unit(text: str) -> None:
    claims = find_claims(text)
    for claim in claims:
        start, end = claim.span
        assert text[start:end] == claim.quantity
        assert claim.unit
        assert claim.value >= 0
    assert [claim.span for claim in claims] == sorted(claim.span for claim in claims)


@FAST
@given(st.text(max_size=200))
def test_any_text_is_read_without_error(text: str) -> None:
    find_claims(text)


@FAST
@given(st.integers(min_value=1, max_value=99_999), st.sampled_from(["件", "人", "次", "项", "个"]))
def test_a_plain_count_is_read_back_exactly(number: int, unit: str) -> None:
    (claim,) = find_claims(f"全年办理行政复议案件{number}{unit}。")
    assert (claim.value, claim.unit, claim.approx, claim.change) == (number, unit, False, False)
