"""Quantitative statements in a report's prose: ``出庭应诉率达100%``, ``行政复议案件28件``, ``5.7万余人``.

One claim per number that counts or measures something:

- ``quantity`` is the verbatim span (approximation words and ``以上`` included), ``value`` the number with
  万/亿 and Chinese numerals converted (``5.7万余人`` → 57000, ``两次`` → 2), ``unit`` the measure word;
  a range (``1-2个``) is one claim whose value is its lower bound.
- ``subject`` names what was counted: the noun after a measure word when one follows (``84个社区``), else
  the words before the number, from the start of the clause and after its last action verb
  (``全年受理办结行政复议案件28件`` → ``行政复议案件``). A clause with no words of its own (``64场1118人``,
  ``同比提高9%``) takes the subject of the claim before it; ``A、B分别为N1、N2`` gives each its own.
- ``approx`` for 余/多/约/近/超/逾/以上/左右; ``change`` for a rise or fall (增长/下降/提高 …) compared with
  something (同比, 较上年, or a percentage): ``上升到97.73%`` reaches a level and is not a change.

Not claims: years, dates and deadlines (``2024年``, ``11月底前``, ``3个工作日内``), ordinals (``第三次``),
document numbers, list markers, numbers inside quotes or book titles (``“八五”普法``, ``《…三年行动方案》``,
``“12345”热线``), a bare ``一`` (``一件事一次办``, ``一批``) and slogans such as ``四个意识``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from fazhi.docparse.numbers import MEASURE_WORDS, number_value, scaled
from fazhi.docparse.text import fold

_UNITS = [
    *MEASURE_WORDS,
    "个次",
    "亩",
    "位",
    "例",
    "倍",
    "公顷",
    "分钟",
    "单",
    "吨",
    "场次",
    "块",
    "堂",
    "宗",
    "幅",
    "平方公里",
    "支",
    "架次",
    "笔",
    "米",
    "群众",
    "课",
    "车次",
    "首",
]
_UNIT = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
# Possessive quantifiers: a long run of digits with no unit after it must fail once, not once per digit.
_DIGITS = r"\d++(?:,\d{3})*+(?:\.\d++)?+"
_CN = "[零〇一二两三四五六七八九十百千]{1,6}"
_NUM = rf"(?:{_DIGITS}|{_CN})"
_CLAIM = re.compile(
    rf"(?<![\d.])(?P<num>{_NUM})(?:\s*[-—–~至到]\s*(?P<num2>{_NUM}))?(?P<a1>余|多)?(?P<mult>万亿|千万|亿|万)?(?P<a2>余|多)?"
    rf"\s*(?P<unit>{_UNIT})(?P<tail>以上|左右)?"
)
# 百分之九十五 → 95 %, 千分之三 → 3 ‰, 三分之二 → 66.67 %.
_FRACTION = re.compile(rf"(?<![\d.])(?P<base>{_DIGITS}|{_CN})分之(?P<num>{_DIGITS}|{_CN})")
_TIME_UNITS = frozenset({"个工作日", "工作日", "天", "个月", "小时", "分钟"})
_CLASSIFIERS = frozenset("个名位家所项件条份篇部支类批处座间张台辆套本册宗例笔首幅块")
_PREFIX_APPROX = ("约", "近", "超过", "超", "逾", "多达", "将近", "接近")
# Slogans that read like counts when unquoted: 四个意识, 两个维护, 三项制度 …
_SLOGANS = re.compile(
    r"(?:四个(?:意识|自信|全面|服务|最严)|两个(?:维护|确立|结合|毫不动摇|责任|轮子|大局|一百年)|三个(?:代表|务必|一批|区分开来)|"
    r"三项制度|五个(?:一|振兴))"
)
# 从三个方面: a count of the report's own points, not of work done.
_POINTS = re.compile(r"[个项大](?:方面|层面|维度|环节|阶段|步骤|原则|重点|坚持|转变|统筹|覆盖|不|必须)")
_SENTENCE_BREAK = re.compile(r"[。;!?\n]")
_CLAUSE_BREAK = re.compile(r"[,。;:!?\n]|其中")
# Words between a subject and its number: 出庭应诉率 | 同比下降 | 14.59%.
_LINK_TAIL = re.compile(
    r"(?:同比|环比|(?:较|比)(?:上一?年度?|去年|\d{4}年度?)?(?:同期)?)?"
    r"(?:增长|下降|提高|降低|上升|减少|增加|提升|缩短|压减|压缩|缩减|精简)?了?"
    r"(?:到|至)?(?:均|都|全部)?(?:分别为|分别是|分别达|分别|共计|合计|总计|累计|共|达到|达|(?<=[率数量])为)?"
    r"(?:约|近|超过|超|逾|多达|将近|接近)?(?:覆盖|惠及)?"
    r"(?:不少于|不低于|不超过|不高于|至少|均|持续保持|保持在|保持|缩减为|缩减至|压缩至|压缩为|控制在|降至|降为|占)?$"
)
_LEAD = re.compile(
    r"(?:[、和及与]|通过|其中|同时|此外|另外|全年|今年以来|今年|年内|本年度内?|截至目前|目前|累计|共计|[一二三四五六七八九十]是|"
    r"\d{4}年(?:度|以来)?|\(?[一二三四五六七八九十]\)|\d+\.)+"
)
# Action verbs after which the counted thing is named: 受理办结|行政复议案件.
_VERBS = re.compile(
    r"组织开展|开展|办理|受理|办结|处理|发布|梳理出|梳理|汇总形成|形成|实现|完成|建成|开通|推行|投入|认领|编制|选派|"
    r"选聘|聘请|推出|发放|举办|召开|参加|参与|出具|研究|取消|保留|覆盖|解答|备案|评查|清查|化解|排查|答复|配备|加入|"
    r"设立|成立|印发|制定了|出台|修订|明确|审查|审核|审结|立案|查处|调解|接待|提供|新增|累计|惠及|共有|现有|拥有|提出|挽回|抽查|检查|接受|新建"
)
_FOLLOW_STOP = re.compile(
    r"[,。;:!?、\n《》]|和|与|及|的|进行|实现|作为|兼职|增加|减少|加入|用于|参与|参加|建立|配备|具体|负责|无|"
    r"开展|完成|纳入|获得|被|已|均|全部|通过|达|为"
)
_CHANGE_VERB = re.compile(r"(?:增长|下降|提高|降低|上升|减少|增加|提升|缩短|压减|压缩|缩减|精简)了?$")
_COMPARISON = re.compile(r"同比|环比|比上年|较上年|比去年|较去年|较|比")


@dataclass(frozen=True, slots=True)
class Claim:
    quantity: str
    value: float | int
    unit: str
    subject: str
    approx: bool
    change: bool
    span: tuple[int, int]  # [start, end) of ``quantity`` in the text given to ``find_claims``

    def to_dict(self) -> dict[str, object]:
        return {
            "quantity": self.quantity,
            "value": self.value,
            "unit": self.unit,
            "subject": self.subject,
            "approx": self.approx,
            "change": self.change,
        }


def find_claims(text: str) -> list[Claim]:
    """The quantitative statements in ``text``, in order of appearance."""
    folded = fold(text)
    shelter = _Sheltered(folded)
    found: list[tuple[int, int, float | int, str, bool]] = []
    for match in _FRACTION.finditer(folded) if "分之" in folded else ():
        value, base = number_value(match["num"]), number_value(match["base"])
        if value is None or not base or shelter.inside(match.start()):
            continue
        if match["base"] in ("百", "千"):
            found.append((match.start(), match.end(), value, "%" if match["base"] == "百" else "‰", False))
        else:
            found.append((match.start(), match.end(), round(value / base * 100, 2), "%", False))
    taken = [(start, end) for start, end, *_ in found]
    for match in _CLAIM.finditer(folded):
        start, end = match.start(), match.end()
        if any(s < end and start < e for s, e in taken) or _rejected(folded, match, shelter):
            continue
        value = number_value(match["num"])
        if value is None:
            continue
        approx = bool(match["a1"] or match["a2"] or match["tail"])
        found.append((start, end, scaled(value, match["mult"]), match["unit"], approx))
    found.sort()

    claims: list[Claim] = []
    previous_end = 0
    previous_subject = ""
    for start, end, value, unit, approx in found:
        clause_start = _clause_start(folded, start, previous_end)
        before = folded[clause_start:start]
        prefix = next((word for word in _PREFIX_APPROX if before.endswith(word)), "")
        approx = approx or bool(prefix)
        change = _is_change(before, unit)
        subject = _subject(folded, text, clause_start, start, end, unit)
        if not subject and _bare_clause(folded, clause_start, start) and previous_end:
            subject = previous_subject
        claims.append(Claim(text[start:end], value, unit, subject, approx, change, (start, end)))
        previous_end, previous_subject = end, subject
    return _respectively(folded, claims)


def _bare_clause(folded: str, clause_start: int, start: int) -> bool:
    """Whether the clause before a number holds only linking words (``同比提高``) or nothing."""
    tail = _LINK_TAIL.search(folded, clause_start, start)
    stop = tail.start() if tail else start
    lead = _LEAD.match(folded, clause_start, stop)
    return (lead.end() if lead else clause_start) >= stop


def _rejected(folded: str, match: re.Match[str], shelter: _Sheltered) -> bool:
    start, end = match.start(), match.end()
    number, unit = match["num"], match["unit"]
    before = folded[max(0, start - 4) : start].rstrip()[-1:]  # scraped text: 第 3 次
    after = folded[end : end + 1]
    if before in ("第", "×", "*", "x", "X", ".", "/", "〔", "[") or before.isdigit():
        return True
    if after == "年" or (unit in _TIME_UNITS and after in ("内", "前", "后")):
        return True
    if shelter.inside(start):
        return True
    if not number[:1].isdigit():
        value = number_value(number)
        # 一 is an article more often than a count (一批, 一件事一次办); 百家/千户 are idioms; 十分 an adverb.
        if value is None or value < 2 or unit in ("分", "%", "‰"):
            return True
        # 百名 alone is an idiom (百家争鸣); 近百名, 上千人 are round counts.
        if number in ("百", "千") and folded[max(0, start - 1) : start] not in ("近", "约", "超", "逾", "上"):
            return True
        if _SLOGANS.match(folded, start) or (number == "十" and after == "分"):
            return True
        if _POINTS.match(folded, start + len(number)):
            return True
        # A numeral inside a word: 统一 / 唯一 / 万一 are not numbers.
        # 数十个 / 几百人 / 若干 are not numbers either.
        if before in ("统", "唯", "万", "之", "周", "星", "期", "数", "几", "若"):
            return True
    return False


def _clause_start(folded: str, position: int, floor: int) -> int:
    start = floor
    for match in _CLAUSE_BREAK.finditer(folded, floor, position):
        start = match.end()
    return start


def _is_change(before: str, unit: str) -> bool:
    stripped = re.sub(r"(?:约|近|超过|超|逾)$", "", before)
    if not _CHANGE_VERB.search(stripped):
        return False
    return unit in ("%", "‰", "个百分点", "百分点") or bool(_COMPARISON.search(stripped))


def _subject(folded: str, text: str, clause_start: int, start: int, end: int, unit: str) -> str:
    if unit == "群众":
        return unit
    if unit in _CLASSIFIERS or unit.endswith("个"):
        following = _following_noun(folded, end)
        if following:
            return text[end : end + len(following)]
    stop = start
    tail = _LINK_TAIL.search(folded, clause_start, stop)
    if tail:
        stop = tail.start()
    begin = clause_start
    lead = _LEAD.match(folded, begin, stop)
    if lead:
        begin = lead.end()
    is_rate = unit in ("%", "‰")
    # After the last action verb that leaves a few characters to name the thing.
    for verb in reversed(list(_VERBS.finditer(folded, begin, stop))):
        rest = folded[verb.end() : stop].lstrip("的出了")
        if rest[:1] in ("率", "、") or (is_rate and not (rest.endswith("率") and len(rest) >= 4)):
            continue
        if len(rest) >= 2:
            begin = stop - len(rest)
            break
    lead = _LEAD.match(folded, begin, stop)
    if lead:
        begin = lead.end()
    subject = text[begin:stop].strip()
    return "" if _VERBS.fullmatch(fold(subject)) else subject


def _following_noun(folded: str, end: int) -> str:
    window = folded[end : end + 16]
    if not window or not ("\u3400" <= window[0] <= "\u9fff" or window[0] in "“("):
        return ""
    stop = _FOLLOW_STOP.search(window, 1 if window[0] in "“(" else 0)
    noun = window[: stop.start()] if stop else window[:12]
    depth = 0
    for index, char in enumerate(noun):
        depth += (char in "(“") - (char in ")”")
        if depth < 0:
            noun = noun[:index]
            break
    if depth > 0:
        return ""
    return noun if len(noun) >= 2 and not _CLAIM.match(noun) else ""


def _respectively(folded: str, claims: list[Claim]) -> list[Claim]:
    """``人大代表建议、政协提案分别为99件、91件``: each number gets its own subject, in order."""
    result = list(claims)
    if "分别" not in folded:
        return result
    for index, claim in enumerate(claims):
        clause = folded[_clause_start(folded, claim.span[0], max(0, claim.span[0] - 80)) : claim.span[0]]
        if "分别" not in clause:
            continue
        parts = [part for part in re.split(r"[、和及与]", claim.subject) if part]
        group = [index]
        while len(group) < len(parts) and group[-1] + 1 < len(claims):
            gap = folded[claims[group[-1]].span[1] : claims[group[-1] + 1].span[0]]
            if gap not in ("、", "和", "及", ",", "与"):
                break
            group.append(group[-1] + 1)
        if len(group) == len(parts) > 1:
            for part, member in zip(parts, group, strict=True):
                old = result[member]
                result[member] = Claim(
                    old.quantity, old.value, old.unit, part, old.approx, old.change, old.span
                )
    return result


class _Sheltered:
    """Whether a position lies inside “…” or 《…》: numbers in quoted slogans and titles are names.

    A quote closes on its own line within 80 characters; an opening left unclosed by a scraped page
    (``《…方案。``) shelters nothing, so that it cannot hide the rest of the document.
    """

    _PAIRS = {"“": "”", "《": "》", "「": "」"}
    _LIMIT = 80

    def __init__(self, text: str) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        if not any(opening in text for opening in self._PAIRS):
            return
        for index, char in enumerate(text):
            closing = self._PAIRS.get(char)
            if closing is None or (self.ends and index < self.ends[-1]):
                continue
            window = text[index + 1 : index + 1 + self._LIMIT]
            close = window.find(closing)
            if close >= 0 and "\n" not in window[:close]:
                self.starts.append(index)
                self.ends.append(index + 1 + close)

    def inside(self, position: int) -> bool:
        at = bisect_left(self.starts, position)
        return at > 0 and position <= self.ends[at - 1]
