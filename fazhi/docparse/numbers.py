"""Numbers as government prose writes them: ``60``, ``1,130``, ``97.73``, ``两``, ``十二``, ``一百零五``.

Shared by the plan's targets (``不少于60学时``) and the report's claims (``5.7万余人``), so that both read a
number the same way.
"""

from __future__ import annotations

from fazhi.docparse.text import parse_cn_number

# A number as written: Arabic digits (thousands commas allowed, decimals) or up to six Chinese numerals.
NUMBER = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]{1,6})"

# 万/亿 after a number multiply it (``5.7万`` → 57000).
MULTIPLIERS = {"万": 10_000, "亿": 100_000_000, "万亿": 1_000_000_000_000, "千万": 10_000_000}


def number_value(text: str) -> float | int | None:
    """The value of ``text`` in Arabic digits (commas allowed) or Chinese numerals; None if neither."""
    if text[:1].isdigit():
        value = float(text.replace(",", ""))
        return int(value) if value.is_integer() else value
    return parse_cn_number(text)


def scaled(value: float | int, multiplier: str | None) -> float | int:
    """``value`` times 万/亿, kept an int when whole (``5.7`` 万 → ``57000``, not ``57000.00000000001``)."""
    if not multiplier:
        return value
    result = round(value * MULTIPLIERS[multiplier], 6)
    return int(result) if float(result).is_integer() else result


# Measure words that follow a number both in plan targets (targets.py) and in report claims (claims.py); each
# module adds its own.
MEASURE_WORDS = (
    "%",
    "‰",
    "㎡",
    "个",
    "人",
    "件",
    "份",
    "元",
    "册",
    "卷",
    "台",
    "名",
    "场",
    "处",
    "天",
    "套",
    "家",
    "座",
    "张",
    "户",
    "所",
    "批",
    "期",
    "本",
    "条",
    "次",
    "篇",
    "类",
    "起",
    "轮",
    "辆",
    "部",
    "间",
    "项",
    "个月",
    "人次",
    "件次",
    "公里",
    "千米",
    "学时",
    "家次",
    "小时",
    "户次",
    "批次",
    "课时",
    "工作日",
    "平方米",
    "百分点",
    "个工作日",
    "个百分点",
)
