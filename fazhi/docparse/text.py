"""Text normalisation shared by every layer: width folding, line cleaning, Chinese numerals, web debris.

Two forms of every line exist side by side:

- the *clean* text: whitespace tidied, characters as written (full-width punctuation kept), which is what the
  output shows and what task spans index into;
- the *folded* text (``fold``): full-width ASCII forms mapped to ASCII (``（一）``→``(一)``, ``１．``→``1.``,
  ``：``→``:``). Folding maps one character to one character, so an offset found by a regex on the folded text
  is the same offset in the clean text. All pattern matching runs on folded text.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

# U+FF01..U+FF5E are the full-width forms of ASCII 0x21..0x7E; U+3000 is the ideographic space.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200B: 0x20, 0xFEFF: 0x20})
_FOLD.update({0x2212: 0x2D, 0xFE59: 0x28, 0xFE5A: 0x29})
_NEEDS_FOLD = re.compile("[\uff01-\uff5e\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff\u2212\ufe59\ufe5a]")
_FOLDED_CHAR = {chr(code): chr(folded) for code, folded in _FOLD.items()}


def _fold_match(match: re.Match[str]) -> str:
    return _FOLDED_CHAR[match[0]]


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Map full-width ASCII forms and odd spaces to ASCII, one character for one character.

    Every layer folds the same lines again, so the result is cached. ``str.translate`` looks up every
    character of CJK text in the table (about 0.2 µs each); the regex finds the few characters to replace
    and leaves the rest alone, which is 5-20 times faster on a plan's lines.
    """
    return _NEEDS_FOLD.sub(_fold_match, text)


_SPACES = re.compile(r"[ \t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff\r\f\v]+")


def clean_line(text: str) -> str:
    """Tidy one line: odd spaces become one ASCII space, runs collapse, ends are trimmed."""
    # Every character _SPACES matches, except the ASCII space, is "not printable" to Python (Unicode
    # categories Zs, Cc and Cf), so a printable line without a double space has nothing to replace; most
    # lines are like that, and the test is far cheaper than the substitution.
    if text.isprintable() and "  " not in text:
        return text.strip()
    return _SPACES.sub(" ", text).strip()


def clear_caches() -> None:
    """Forget the per-line caches (called after each document so that no text outlives its parse)."""
    fold.cache_clear()
    is_debris.cache_clear()
    is_date_line.cache_clear()


def split_clean_lines(text: str) -> list[str]:
    """Split text into clean, non-empty lines."""
    return [line for line in (clean_line(part) for part in text.splitlines()) if line]


CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
CN_NUMERAL_CHARS = "零〇○一二两三四五六七八九十百千万"


def parse_cn_number(text: str) -> int | None:
    """Value of a Chinese numeral (``十二`` → 12, ``两`` → 2, ``一百零五`` → 105, ``二〇二四`` → 2024)."""
    if not text or any(ch not in CN_DIGITS and ch not in _CN_UNITS for ch in text):
        return None
    if not any(ch in _CN_UNITS for ch in text):
        # Digit-by-digit form used for years: 二〇二四.
        value = 0
        for ch in text:
            value = value * 10 + CN_DIGITS[ch]
        return value
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
            continue
        unit = _CN_UNITS[ch]
        if unit == 10000:
            total += (section + (digit or 0)) * unit
            section, digit = 0, None
        else:
            section += (1 if digit is None else digit) * unit
            digit = None
    return total + section + (digit or 0)


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Characters that may be part of a Chinese sentence (CJK ideographs and CJK punctuation).
CJK_RANGE = "\u3400-\u9fff\uf900-\ufaff"

_DATE_NUM = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_DATE_CN = re.compile(
    r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)


def find_date(text: str) -> tuple[date, int, int] | None:
    """First calendar date written in ``text`` (arabic or Chinese numerals) with its span."""
    folded = fold(text)
    found: list[tuple[int, int, date]] = []
    match = _DATE_NUM.search(folded)
    if match:
        parsed = _make_date(int(match[1]), int(match[2]), int(match[3]))
        if parsed:
            found.append((match.start(), match.end(), parsed))
    match = _DATE_CN.search(folded)
    if match:
        year, month, day = (parse_cn_number(match[i]) for i in (1, 2, 3))
        parsed = _make_date(year or 0, month or 0, day or 0)
        if parsed:
            found.append((match.start(), match.end(), parsed))
    if not found:
        return None
    start, end, value = min(found)
    return value, start, end


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


_DATE_ONLY = re.compile(
    r"^[(\[]?\s*(?:(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)"
    r"\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:印发|发布)?\s*[)\]]?$"
)


@lru_cache(maxsize=65536)
def is_date_line(text: str) -> bool:
    """A line holding nothing but a date (a signature date or a publication stamp)."""
    folded = fold(text).strip()
    # Every line is asked this. A date line starts with its year, 19../20.. or four Chinese digits and 年
    # (after at most a bracket and spaces); looking there first turns almost every other line away.
    start = folded[1:].lstrip() if folded[:1] in ("(", "[") else folded
    return (start[:2] in ("19", "20") or start[4:5] == "年") and bool(_DATE_ONLY.match(folded))


# Lines that belong to the web page or the print layout, never to the plan. Matched on folded text.
_PAGE_MARKER = re.compile(
    r"^(?:[-—–~·_\s]*\d{1,4}[-—–~·_\s]*|第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})$"
)
_META_KEYS = (
    r"索\s*引\s*号|主\s*题\s*分\s*类|发\s*布\s*机\s*构|发\s*文\s*机\s*关|发\s*文\s*单\s*位|成\s*文\s*日\s*期|"
    r"发\s*布\s*日\s*期|发\s*表\s*时\s*间|发\s*布\s*时\s*间|文\s*号|公\s*文\s*时\s*效|有\s*效\s*性|来\s*源|"
    r"名\s*称|标\s*题|作\s*者|责任编辑|信息来源|浏览次数|访问次数|阅读次数|点击次数|点击数|浏览量|"
    r"体裁分类|组配分类|服务对象|信息分类|公开方式|公开范围|公开时限|生成日期|有效日期|废止日期|统一编号|登记号"
)
_META_LINE = re.compile(rf"^(?:{_META_KEYS})\s*(?:[:|]|\s|$)")
_WIDGET_LINE = re.compile(
    r"^(?:\d{1,2}\.\s*)?(?:字号|字体|分享到|分享|打印本页|打印|关闭本页|关闭窗口|关闭|收藏|返回顶部|返回|上一篇|下一篇|"
    r"扫一扫|当前位置|您的位置|您现在的位置|所在位置|搜本站|搜索|站内搜索|相关链接|相关文章|相关阅读|附件下载|"
    r"list|首页|网站首页|无障碍|长者模式|繁體|简体|English|登录|注册|【\s*(?:大|中|小|打印|关闭)[^】]*】|"
    r"\[\s*(?:大|中|小|打印|关闭)[^\]]*\])"
    r"(?:\s*[:>|]|\s*$)"
)
_WIDGET_ANYWHERE = re.compile(
    r"字号\s*[:]?\s*(?:大\s*中\s*小|A\s*\|)|分享到\s*[:]|扫一扫|【\s*(?:打印|关闭)[^】]{0,4}】|打印本页|关闭窗口|"
    r"首页\s*>|>\s*正文\s*$|当前位置\s*[:]|浏览次数\s*[:]|访问量\s*[:]"
)
_PIPE_ROW = re.compile(r"^\|?\s*-{3,}\s*\||\|.*\|")
_END_MATTER = re.compile(r"^(?:(?:抄送|抄报|主送)\s*:|\(?此(?:件公开发布|页无正文)\)?$|附件\s*(?:[:\d]|$))")
_ISSUED_LINE = re.compile(r"^[^,。;:]{2,40}?\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*印发$")


def is_page_marker(folded: str) -> bool:
    """``- 2 -``, ``— 2 —``, ``第2页 共10页``, ``2/10``: print layout, not text. A bare number counts too."""
    # Every form ends with a digit, 页, a dash or a space; testing the last character first spares the regex
    # on almost every line of prose.
    last = folded[-1:]
    if not last or not (last.isdecimal() or last.isspace() or last in "-—–~·_页"):
        return False
    return bool(_PAGE_MARKER.match(folded))


@lru_cache(maxsize=65536)
def is_debris(line: str) -> bool:
    """True for lines that a scraped page or a print layout adds around the document text.

    Metadata tables (索引号/发布机构/文号…), navigation and breadcrumbs, 字号/分享/打印/关闭 widgets, hit
    counters, page markers, 抄送/印发 end matter and date-only lines. The metadata reader reads these lines
    before they are dropped.
    """
    folded = fold(line).strip()
    if not folded:
        return True
    if is_page_marker(folded) or _META_LINE.match(folded) or _WIDGET_LINE.match(folded):
        return True
    if folded.count("|") >= 2 and _PIPE_ROW.search(folded):
        return True
    if len(folded) <= 80 and _WIDGET_ANYWHERE.search(folded):
        return True
    if _END_MATTER.match(folded) or ("印发" in folded and _ISSUED_LINE.match(folded)):
        return True
    return is_date_line(folded)


_ORG_SUFFIX = re.compile(r"(?:人民政府|政府|办公室|办公厅|委员会|局|委|办|中心|院|厅|部|处|所|领导小组)$")
_SENTENCE_MARK = re.compile(r"[,。;:!?、]")
_NUMBERED_START = re.compile(r"^[(\d一二三四五六七八九十①-⑳]")


def looks_like_org_line(line: str) -> bool:
    """A short line that names an organisation and nothing else (a signature line)."""
    folded = fold(line).strip()
    return (
        2 <= len(folded) <= 40
        and not _SENTENCE_MARK.search(folded)
        and bool(_ORG_SUFFIX.search(folded))
        and not _NUMBERED_START.match(folded)
    )
