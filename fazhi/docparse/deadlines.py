"""Deadlines and recurrences in a task's text.

- Calendar deadlines resolve to a date in the plan year (or the year written beside them): ``11月底前`` →
  YYYY-11-30, ``6月5日前`` → YYYY-06-05, ``11月中旬前`` → YYYY-11-20 (上旬 10, 中旬 20, 下旬 the month's
  end), ``年底前`` → YYYY-12-31, ``上半年`` → YYYY-06-30, ``下半年`` → YYYY-12-31, ``第三季度`` → YYYY-09-30.
- Relative deadlines keep their wording as the rule and have no date: ``自公布之日起15日内``,
  ``收到通知后5个工作日内``, ``15日内``.
- Without a plan year a calendar deadline also has no date; its wording becomes the rule.
- Recurrence: 每月/按月 monthly, 每季度 quarterly, 每半年 half-yearly, 每年/每年度 yearly; when a task names
  several, the most frequent wins (it is the one that drives reminders).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from fazhi.docparse.text import fold, parse_cn_number

_BEFORE = r"(?:之前|以前|前)?"
# Patterns start at their first fixed character (a digit, 年); a year written before them is looked for in
# the few characters before the match, which keeps the engine from trying an optional prefix everywhere.
_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:之前|以前|前)")
_MONTH_END = re.compile(rf"(\d{{1,2}})\s*月\s*(?:份)?(?:底|末){_BEFORE}")
_MONTH_PART = re.compile(rf"(\d{{1,2}})\s*月\s*(上旬|中旬|下旬)(?:末)?{_BEFORE}")
_YEAR_END = re.compile(r"年(?:底|末)" + _BEFORE)
_YEAR_BEFORE = re.compile(r"((?:19|20)\d{2})\s*(年\s*)?$")
_HALF = re.compile(r"(?<!每)(上半年|下半年)")
_QUARTER = re.compile(r"(?<![每个])第?([一二三四1-4])季度(?:末|底)?" + _BEFORE)
_RELATIVE = re.compile(
    r"(?:(?:自|从)[^,。;\n]{0,20}?(?:之日起|起)|(?:在|于|收到|接到)?[^,。;\n]{0,20}?后)\s*"
    r"(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*个?(?:工作日|日|天|个月)\s*(?:内|以内)"
)
_WITHIN = re.compile(r"(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*个?(?:工作日|日|天)\s*(?:内|以内)")

_RECURRENCES = (
    ("monthly", re.compile(r"每月|每个月|按月|逐月|每一个月")),
    ("quarterly", re.compile(r"每季度?|每个季度|每一季度|按季度?|逐季")),
    ("half-yearly", re.compile(r"每半年|半年一次")),
    ("yearly", re.compile(r"每年度?|每一年|按年度|一年一次|每个年度")),
)


@dataclass(frozen=True, slots=True)
class Deadline:
    text: str
    date: date | None
    rule: str | None

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "date": self.date.isoformat() if self.date else None, "rule": self.rule}


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _last_day(year: int, month: int) -> int:
    # calendar.monthrange also works out the weekday (as an enum), which costs more than the rest of a match.
    return 29 if month == 2 and calendar.isleap(year) else _DAYS_IN_MONTH[month - 1]


def find_deadlines(text: str, year: int | None) -> list[Deadline]:
    """Deadlines in ``text`` in order of appearance; calendar ones resolved in ``year``."""
    folded = fold(text)
    found: list[tuple[int, int, date | None, bool]] = []

    def add(start: int, end: int, year_mark: bool, month: int, day: int | None) -> None:
        written_year = None
        if year_mark:
            # "2024年12月底前" / "2024年底前": the year stands just before the match.
            before = _YEAR_BEFORE.search(folded[max(0, start - 7) : start])
            if before and (before[2] or folded[start] == "年"):
                written_year = before[1]
                start -= len(before[0])
        resolved_year = int(written_year) if written_year else year
        if resolved_year is None or not 1 <= month <= 12:
            found.append((start, end, None, True))
            return
        last = _last_day(resolved_year, month)
        found.append((start, end, date(resolved_year, month, min(day or last, last)), False))

    # Each pattern needs a word or two that most sentences lack; a membership test is far cheaper than letting
    # the regex engine try every position of the text. Where the word is found, the scan starts just before
    # its first occurrence: a match cannot start earlier.
    month_at = folded.find("月")
    if month_at >= 0:
        # "12 月": a month pattern starts with one or two digits and any spaces before its 月.
        month_scan = month_at
        while month_scan > 0 and folded[month_scan - 1].isspace():
            month_scan -= 1
        month_scan = max(0, month_scan - 2)
        if "日" in folded and "前" in folded:
            for match in _DAY.finditer(folded, month_scan):
                add(match.start(), match.end(), True, int(match[1]), int(match[2]))
        if "底" in folded or "末" in folded:
            for match in _MONTH_END.finditer(folded, month_scan):
                add(match.start(), match.end(), True, int(match[1]), None)
        if "旬" in folded:
            for match in _MONTH_PART.finditer(folded, month_scan):
                add(match.start(), match.end(), True, int(match[1]), {"上旬": 10, "中旬": 20}.get(match[2]))
    if "年底" in folded or "年末" in folded:
        for match in _YEAR_END.finditer(folded):
            add(match.start(), match.end(), True, 12, 31)
    half_at = folded.find("半年")
    if half_at >= 0:
        for match in _HALF.finditer(folded, max(0, half_at - 1)):
            add(match.start(), match.end(), False, 6 if match[1] == "上半年" else 12, None)
    quarter_at = folded.find("季度")
    if quarter_at >= 0:
        for match in _QUARTER.finditer(folded, max(0, quarter_at - 2)):
            quarter = parse_cn_number(match[1]) if not match[1].isdigit() else int(match[1])
            add(match.start(), match.end(), False, 3 * (quarter or 4), None)
    if "内" in folded and ("起" in folded or "后" in folded or "日" in folded or "天" in folded):
        for pattern in (_RELATIVE, _WITHIN):
            for match in pattern.finditer(folded):
                found.append((match.start(), match.end(), None, True))

    deadlines: list[Deadline] = []
    last_end = -1
    for start, end, value, is_rule in sorted(found, key=lambda f: (f[0], -f[1])):
        if start < last_end:
            continue
        written = text[start:end].strip()
        deadlines.append(Deadline(written, value, written if is_rule else None))
        last_end = end
    return deadlines


def free_text_deadline(text: str, year: int | None) -> list[Deadline]:
    """A deadline column's cell: the patterns above, else the cell itself as a rule (``长期坚持``)."""
    text = text.strip()
    if not text:
        return []
    return find_deadlines(text, year) or [Deadline(text, None, text)]


def find_recurrence(text: str) -> str | None:
    """The most frequent recurrence the text names, or None."""
    folded = fold(text)
    # Every recurrence is written with 每, 按, 逐 or "…一次"; most tasks name none.
    if not ("每" in folded or "按" in folded or "逐" in folded or "一次" in folded):
        return None
    for name, pattern in _RECURRENCES:
        if pattern.search(folded):
            return name
    return None
