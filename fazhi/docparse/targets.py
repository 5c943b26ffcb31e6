"""Quantified targets in a task's text: ``不少于60学时``, ``达100%``, ``1-2个行业``, ``汇报两次``.

Rules (documented in the package README):

- ``不少于/不低于/至少/不可少于 … N`` → ``>=``; ``不超过/不高于/最多 … N`` and ``N以内/以下`` → ``<=``;
  ``超过/高于 N`` → ``>``; ``低于/少于 N`` → ``<``; up to 12 characters may stand between the comparator and
  the number (``不可少于本单位执法人员总数的5%``).
- Reaching a level is a floor: ``达/达到/提高到/保持/实现 N`` and ``N以上`` → ``>=``
  (``执行率达100%`` means at least 100%, which for a rate is also exactly 100%).
- ``N-M`` (``-—~至到``) with a measure word → ``range`` with ``value`` N and ``value_max`` M.
- A bare count after a verb (``汇报两次``, ``开展3次``) → ``=``, only from 2 upwards: a bare ``一次`` is the
  frequency of a recurrence (``每季度开展一次``), not a target.
- A bare rate (``覆盖率100%``) → ``=``.
- ``unit`` is the measure word only (``个`` for ``1-2个行业``, ``学时``, ``次``, ``%``, ``㎡``);
  Chinese numerals (两, 三, 十二, 一百) are read as numbers. Numbers inside quotes (``"最多跑一次"``)
  and years are not targets.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from fazhi.docparse.numbers import MEASURE_WORDS
from fazhi.docparse.numbers import NUMBER as _NUM
from fazhi.docparse.numbers import number_value as _number
from fazhi.docparse.text import fold

_UNITS = [
    *MEASURE_WORDS,
    "万元",
    "亿元",
    "分",
    "周",
]
_UNIT = "(" + "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True)) + ")"
_GE = "不少于|不低于|不小于|不得少于|不得低于|不可少于|不能少于|不应少于|应不少于|不下于|至少|最少|最低"
_LE = "不超过|不多于|不高于|不大于|不得超过|不得多于|最多|最高|控制在"
_REACH = "达到|提高到|提高至|提升到|提升至|增加到|增长到|保持在|保持|实现|确保|达"
_GAP = r"[^,。;:!?、\d\n]{0,12}?"

# When every alternative a pattern opens with starts with a plain character, the regex engine jumps straight
# to the positions holding one of those characters; a lookahead or lookbehind in front makes it try every
# position, which costs twice as much. So "超过 not after 不" is written 超过(?<!不..), the lookbehind after
# the word.
_NOT_AFTER_BU = "(?<!不..)"
_STRICT = "|".join(word + _NOT_AFTER_BU for word in ("超过", "高于", "多于", "大于", "低于", "少于", "小于"))
_COMPARED = re.compile(rf"(?P<cmp>{_GE}|{_LE}|{_STRICT}){_GAP}{_NUM}\s*{_UNIT}(?P<tail>以内|以下|以上)?")
_REACHED = re.compile(rf"(?P<cmp>{_REACH}){_NUM}\s*{_UNIT}(?P<tail>以内|以下|以上)?")
_RANGE = re.compile(
    rf"(?<![\d.第])(\d+(?:\.\d+)?|[一二两三四五六七八九十]{{1,3}})\s*[-—–~至到]\s*{_NUM}\s*{_UNIT}"
)
_BOUNDED = re.compile(rf"(?<![\d.第]){_NUM}\s*{_UNIT}(以上|以内|以下)")
_COUNT = re.compile(
    rf"(?:开展|汇报|召开|组织|举办|进行|报告|培训|检查|督查|听取|学法|评查|通报|研究){_NUM}\s*(次|场|期|批次|轮)"
)
_RATE = re.compile(r"率(?:为|是)?\s*(\d+(?:\.\d+)?)\s*(%)")
_NOT_REACH = frozenset("下传送表通抵发转到")
_RANGE_HINT = re.compile(r"\d\s*[-—–~至到]|[一二两三四五六七八九十][至到]")
_RANGE_MARK = re.compile(r"[-—–~至到]")  # a range needs one, and a one-character class is quick to find
# Time spans are deadlines ("15日内"), never targets.
_TIME_UNITS = frozenset({"个工作日", "工作日", "天", "个月", "周"})

_COMPARATOR = {
    **dict.fromkeys(_GE.split("|"), ">="),
    **dict.fromkeys(_LE.split("|"), "<="),
    **dict.fromkeys(_REACH.split("|"), ">="),
    **dict.fromkeys(("超过", "高于", "多于", "大于"), ">"),
    **dict.fromkeys(("低于", "少于", "小于"), "<"),
}


@dataclass(frozen=True, slots=True)
class Target:
    text: str
    comparator: str
    value: float | int
    value_max: float | int | None
    unit: str

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "comparator": self.comparator,
            "value": self.value,
            "value_max": self.value_max,
            "unit": self.unit,
        }


def find_targets(text: str) -> list[Target]:
    """Targets in ``text`` in order of appearance, overlapping readings resolved to the earliest, longest."""
    folded = fold(text)
    found: list[tuple[int, int, str, float | int | None, float | int | None, str]] = []

    # _COMPARED, _REACHED, _COUNT and _RATE open with plain characters, so the regex engine skips straight to
    # the places where they may match. _RANGE and _BOUNDED open with a lookbehind and would be tried at every
    # position: they run only when the text holds a character or word they need.
    for match in _COMPARED.finditer(folded):
        comparator = _COMPARATOR[match["cmp"]]
        if match["cmp"] == "控制在" and match["tail"] not in ("以内", "以下"):
            continue
        found.append((match.start(), match.end(), comparator, *_value(match[2]), match[3]))
    for match in _REACHED.finditer(folded):
        # "实现/确保/保持" are too common as verbs to count without a percentage.
        if match["cmp"] in ("实现", "确保", "保持") and match[3] not in ("%", "‰"):
            continue
        # "下达3项任务", "传达2次": 达 only means "reach" on its own.
        if match["cmp"] == "达" and folded[match.start() - 1 : match.start()] in _NOT_REACH:
            continue
        found.append((match.start(), match.end(), ">=", *_value(match[2]), match[3]))
    may_have_range = _RANGE_MARK.search(folded) and _RANGE_HINT.search(folded)
    for match in _RANGE.finditer(folded) if may_have_range else ():
        low, high = _number(match[1]), _number(match[2])
        if low is None or high is None or high <= low or high >= 1900:
            continue
        found.append((match.start(), match.end(), "range", low, high, match[3]))
    has_bound = "以上" in folded or "以内" in folded or "以下" in folded
    for match in _BOUNDED.finditer(folded) if has_bound else ():
        comparator = ">=" if match[3] == "以上" else "<="
        found.append((match.start(), match.end(), comparator, *_value(match[1]), match[2]))
    for match in _COUNT.finditer(folded):
        value = _number(match[1])
        if value is not None and value >= 2:
            start = match.start(1)
            found.append((start, match.end(), "=", value, None, match[2]))
    for match in _RATE.finditer(folded):
        found.append((match.start(1), match.end(), "=", *_value(match[1]), match[2]))

    targets: list[Target] = []
    last_end = -1
    quotes = _Quotes(folded)
    for start, end, comparator, value, value_max, unit in sorted(found, key=lambda f: (f[0], -f[1])):
        if start < last_end or value is None or unit in _TIME_UNITS or quotes.inside(start):
            continue
        if unit == "年" or (isinstance(value, int) and value >= 1900 and unit not in ("%", "元", "万元")):
            continue
        targets.append(Target(text[start:end], comparator, value, value_max, unit))
        last_end = end
    return targets


def _value(text: str) -> tuple[float | int | None, None]:
    return _number(text), None


class _Quotes:
    """Whether a position lies inside “…”, answered by bisection so that many targets stay linear."""

    def __init__(self, text: str) -> None:
        self.opens = [i for i, ch in enumerate(text) if ch == "“"] if "“" in text else []
        self.closes = [i for i, ch in enumerate(text) if ch == "”"] if self.opens else []

    def inside(self, position: int) -> bool:
        opened = bisect_left(self.opens, position)
        if not opened:
            return False
        closed = bisect_left(self.closes, position)
        return not closed or self.opens[opened - 1] > self.closes[closed - 1]
