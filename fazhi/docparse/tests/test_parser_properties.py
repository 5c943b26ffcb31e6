"""Properties: no input crashes the parser, work grows with the input, regexes cannot backtrack badly."""

from __future__ import annotations

import importlib
import re
import re._constants as sre_constants
import re._parser as sre_parse
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.docparse import DocumentError, parse_plan_bytes, parse_plan_text

PLAN_ALPHABET = (
    "一二三四五六七八九十()（）、.．１２3456789０①②③责任单位牵头配合协办负责"
    ":：;；,，。\n \u3000〔〕【】%％达到不少于"
    "年月日底前内每季度半区司法局各街道办事处-—|《》“”等"
)
FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.text(alphabet=PLAN_ALPHABET, max_size=400))
def test_any_plan_like_text_parses_without_error(text: str) -> None:
    result = parse_plan_text(text)
    assert set(result) == {"title", "issuer", "doc_number", "date", "year", "kind", "tasks", "warnings"}
    assert result["kind"] in ("plan", "report", "other")


@FAST
@given(st.text(max_size=300))
def test_any_unicode_text_parses_without_error(text: str) -> None:
    parse_plan_text(text, 2024)


@FAST
@given(st.binary(max_size=300), st.sampled_from(["a.docx", "a.pdf", "a.txt", "a.html", "a.xlsx", None]))
def test_any_bytes_either_parse_or_raise_document_error(data: bytes, name: str | None) -> None:
    message = ""
    try:
        parse_plan_bytes(data, name)
    except DocumentError as exc:
        message = exc.message
        assert message
    assert "\n" not in message


def plan_copy(index: int, tasks: int) -> str:
    lines = [f"某区{2000 + index}年法治政府建设工作计划", "为推进法治政府建设,制定本计划。", "一、重点任务"]
    for number in range(1, tasks + 1):
        lines.append(
            f"({'一二三四五六七八九'[number - 1]})第{index}号计划的第{number}项任务,"
            f"不少于{number}次。(责任单位:区{index}局)"
        )
    return "\n".join(lines) + "\n"


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=9))
def test_n_distinct_plans_concatenated_yield_n_times_the_tasks(copies: int, tasks: int) -> None:
    text = "".join(plan_copy(index, tasks) for index in range(copies))
    result = parse_plan_text(text)
    assert len(result["tasks"]) == copies * tasks
    assert {unit for task in result["tasks"] for unit in task["units"]} == {f"区{i}局" for i in range(copies)}


def test_the_same_plan_repeated_yields_its_tasks_once() -> None:
    assert len(parse_plan_text(plan_copy(1, 5) * 6)["tasks"]) == 5


MODULES = [
    "text",
    "units",
    "targets",
    "deadlines",
    "outline",
    "metadata",
    "ledger",
    "plan",
    "safety",
    "readers.plain",
    "readers.pdf",
    "readers.web",
]


def compiled_patterns() -> list[tuple[str, re.Pattern[str]]]:
    found = []
    for name in MODULES:
        module = importlib.import_module(f"fazhi.docparse.{name}")
        for attr, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found.append((f"{name}.{attr}", value))
    return found


_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)


def _children(op: Any, arg: Any) -> list[Any]:
    if op in _REPEATS:
        return [arg[2]]
    if op == sre_constants.SUBPATTERN:
        return [arg[-1]]
    if op == sre_constants.BRANCH:
        return list(arg[1])
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return [arg[1]]
    return []


def _nested_unbounded(items: Any, inside: bool = False) -> bool:
    for op, arg in items:
        unbounded = op in _REPEATS and arg[1] == sre_constants.MAXREPEAT
        if unbounded and inside:
            return True
        if any(_nested_unbounded(child, inside or unbounded) for child in _children(op, arg)):
            return True
    return False


def test_no_regex_nests_unbounded_repeats() -> None:
    """A repeat inside an unbounded repeat is what makes a regex backtrack exponentially; none has one."""
    patterns = compiled_patterns()
    assert len(patterns) > 30
    offenders = [
        name
        for name, pattern in patterns
        if _nested_unbounded(sre_parse.parse(pattern.pattern, pattern.flags))
    ]
    assert offenders == []
