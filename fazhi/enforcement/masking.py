"""Masking of personal data in published decisions (行政执法决定公示): pure functions, no database.

What the public sees of a party, and why (国办发〔2018〕118号 asks for decisions to be published "with
personal data protected"; the rules below follow the common practice of local 行政执法公示办法 and of
信用中国):

- A natural person's name keeps the surname only: 张三 → 张*, 欧阳修 → 欧阳* (compound surnames below). One
  star whatever the length, so the length of the given name is not shown either.
- A legal person or other organisation keeps its name (its decisions are public as such), but the names
  of people who act for it (法定代表人, 负责人, 经营者 …) are masked wherever a label introduces them in
  the text.
- A 居民身份证 number keeps its first 6 characters (the issuing area, no more precise than the district the
  masked address shows) and its last 4; the 8 digits of the birth date are hidden: 110101********1234. The
  older 15-digit numbers keep 6 + 3. Other identity documents keep their first and last character only. The
  统一社会信用代码 of a legal person is public (企业信用信息公示) and is kept.
- Mobile numbers keep the first 3 and last 4 digits (138****5678); landlines keep the area code and the last 2
  digits (0471-*****00).
- Addresses keep the administrative divisions down to the street (街道, 镇, 乡, 苏木) or, without one, the
  county (区, 县, 旗, county-level 市); the rest (road, house number, room) becomes ***.

In free text (the facts and the decision) the same rules apply to anything that looks like an ID or phone
number, to the party's own name, ID, phone and address wherever they are repeated, to names after a
label (法定代表人：张三), and to building, unit and room numbers. Every function is idempotent: masking a
masked value changes nothing, so a republished text is stable.

What this cannot catch: a third person's name written without a label. Staff read the preview before
publishing (fazhi.enforcement.publication_views).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

STAR = "*"
HIDDEN = "***"

# 复姓: the common compound surnames (the 百家姓 list and those frequent today).
_COMPOUND_SURNAMES = (
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 司空 夏侯 令狐 端木 独孤 南宫 西门 轩辕 "
    "呼延 澹台 公冶 太史 申屠 钟离 闻人 赫连 万俟 濮阳 第五 仲孙 拓跋 百里 东郭 左丘 段干 微生 梁丘 "
    "羊舌 乐正 夹谷 单于 公羊 谷梁 宰父 巫马 漆雕 壤驷 公良 子车 颛孙 亓官 司寇 鲜于 闾丘 东门 "
    "公西 太叔 叱干 贺兰 完颜 纳兰 爱新觉罗 钮祜禄"
)
COMPOUND_SURNAMES = frozenset(_COMPOUND_SURNAMES.split())

ID_KEEP_HEAD = 6
ID_KEEP_TAIL = 4

_CJK = "\u4e00-\u9fff"
# An 18-digit 居民身份证 number (17 digits and a check character) or a 15-digit older one, not inside a longer
# run of letters or digits (which would be something else, such as a bank account).
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
# Mobile: 11 digits from 13x to 19x, optionally +86, optionally grouped 3-4-4 with spaces or hyphens.
_MOBILE_RE = re.compile(r"(?<![\d*])(?P<cc>(?:\+?86[- ]?)?)(?P<num>1[3-9]\d(?:[- ]?\d{4}){2})(?![\d*])")
# Landline: an area code 0xx or 0xxx (optionally in brackets) and a 7- or 8-digit number.
_LANDLINE_RE = re.compile(r"(?<![\d*])(?P<area>[(（]?0\d{2,3}[)）]?[- ]?)(?P<num>\d{3,4}[- ]?\d{4})(?![\d*])")
# A label that introduces a person's name, then the name (at most 4 characters, taken greedily so a compound
# surname is never cut; a following star means it is masked already).
_LABELLED_NAME_RE = re.compile(
    r"(?P<label>法定代表人|法人代表|负责人|经营者|投资人|姓名|委托代理人|代理人|联系人)"
    rf"(?P<sep>(?:[：:\s]|为|是)*)(?P<name>[{_CJK}·]{{1,4}}\*?)"
)
# Building, unit and room numbers of a dwelling: 3号楼, 2单元, 501室 (not the 号 of a case number).
_DWELLING_RE = re.compile(r"\d+(?:-\d+)*(?:号楼|栋|幢|单元|号院|室|户)")

# Administrative divisions, from the top. A token is a run of Chinese characters ending with a level's suffix;
# each token must be of a lower level than the one before it (so 小区 after a county is not a county).
_PROVINCE, _CITY, _COUNTY, _STREET = 1, 2, 3, 4
_LEVEL_SUFFIXES = (
    (_PROVINCE, ("特别行政区", "自治区", "省")),
    (_CITY, ("自治州", "地区", "市", "州", "盟")),
    (_COUNTY, ("自治县", "自治旗", "区", "县", "旗", "市")),
    (_STREET, ("街道办事处", "街道", "镇", "乡", "苏木")),
)
_TOKEN_RE = re.compile(
    rf"[{_CJK}]{{1,12}}?(?:特别行政区|自治区|自治州|自治县|自治旗|街道办事处|街道|苏木|地区|[省市州盟区县旗镇乡])"
)


@dataclass(frozen=True)
class Party:
    name: str
    type: str  # "natural" or "legal" (models.PartyType)
    id_number: str = ""
    phone: str = ""
    address: str = ""

    @property
    def is_natural(self) -> bool:
        return self.type == "natural"


@dataclass(frozen=True)
class MaskedParty:
    name: str
    id_number: str
    phone: str
    address: str


# --- single values ------------------------------------------------------------------------------------------


def surname(name: str) -> str:
    for length in (4, 2):
        if len(name) > length and name[:length] in COMPOUND_SURNAMES:
            return name[:length]
    return name[:1]


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳修 → 欧阳*; a one-character name becomes *. Masked names stay as they are."""
    name = name.strip()
    if not name or name.endswith(STAR):
        return name
    if len(name) == 1:
        return STAR
    return surname(name) + STAR


def _mask_id_match(value: str) -> str:
    tail = ID_KEEP_TAIL if len(value) == 18 else 3
    return value[:ID_KEEP_HEAD] + STAR * (len(value) - ID_KEEP_HEAD - tail) + value[-tail:]


def mask_id_number(value: str) -> str:
    """A natural person's identity document number (身份证 or another document)."""
    value = value.strip()
    if not value or STAR in value:
        return value
    if _ID_RE.fullmatch(value):
        return _mask_id_match(value)
    if len(value) <= 2:
        return STAR * len(value)
    return value[0] + STAR * (len(value) - 2) + value[-1]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _mask_mobile(match: re.Match[str]) -> str:
    digits = _digits(match["num"])
    return match["cc"] + digits[:3] + STAR * 4 + digits[-4:]


def _mask_landline(match: re.Match[str]) -> str:
    digits = _digits(match["num"])
    return match["area"] + STAR * (len(digits) - 2) + digits[-2:]


def mask_phone(value: str) -> str:
    """Any phone number: mobile numbers and landlines as in the text; anything else but its last 2 digits."""
    value = value.strip()
    if not value or STAR in value:
        return value
    masked = _mask_numbers(value)
    if masked != value:
        return masked
    digits = _digits(value)
    if len(digits) <= 2:
        return STAR * len(value)
    return STAR * (len(digits) - 2) + digits[-2:]


def divisions(address: str) -> str:
    """The leading administrative divisions of an address, down to the street or county (may be empty)."""
    kept, level, position = "", 0, 0
    while level < _STREET:
        match = _TOKEN_RE.match(address, position)
        if match is None:
            break
        token = match.group()
        token_level = _token_level(token, level)
        if token_level is None:
            break
        kept += token
        level, position = token_level, match.end()
    return kept


def _token_level(token: str, after: int) -> int | None:
    """The level of a division name coming after one of level `after` (None if it cannot come next)."""
    for level, suffixes in _LEVEL_SUFFIXES:
        if level > after and token.endswith(suffixes):
            return level
    return None


def mask_address(value: str) -> str:
    """内蒙古自治区呼和浩特市新城区海东路街道幸福小区3号楼 → 内蒙古自治区呼和浩特市新城区海东路街道***."""
    value = value.strip()
    if not value or value.endswith(HIDDEN):
        return value
    kept = divisions(value)
    if kept == value:
        return value
    return kept + HIDDEN


def mask_party(party: Party) -> MaskedParty:
    if party.is_natural:
        return MaskedParty(
            name=mask_name(party.name),
            id_number=mask_id_number(party.id_number),
            phone=mask_phone(party.phone),
            address=mask_address(party.address),
        )
    # An organisation's name, credit code and registered address are public registers; its phone may be a
    # person's mobile, so it is masked like any phone.
    return MaskedParty(
        name=party.name.strip(),
        id_number=party.id_number.strip(),
        phone=mask_phone(party.phone),
        address=party.address.strip(),
    )


# --- free text ----------------------------------------------------------------------------------------------


def _mask_numbers(text: str, keep: frozenset[str] = frozenset()) -> str:
    text = _ID_RE.sub(lambda m: m.group() if m.group() in keep else _mask_id_match(m.group()), text)
    text = _MOBILE_RE.sub(_mask_mobile, text)
    return _LANDLINE_RE.sub(_mask_landline, text)


def _mask_labelled(match: re.Match[str]) -> str:
    name = match["name"]
    if name.endswith(STAR):
        return match.group()
    return match["label"] + match["sep"] + mask_name(name)


def _replace_all(text: str, old: str, new: str) -> str:
    # Until nothing is left: a replacement can never create a new occurrence, but loop to be sure.
    while old and old in text and old != new:
        text = text.replace(old, new)
    return text


def mask_text(text: str, party: Party | None = None) -> str:
    """Mask personal data inside free text (the facts or the decision of a case)."""
    keep: frozenset[str] = frozenset()
    if party is not None:
        masked = mask_party(party)
        if party.is_natural:
            # The party's own values first, whole, before the patterns cut them up.
            for raw, shown in (
                (party.address.strip(), masked.address),
                (party.id_number.strip(), masked.id_number),
                (party.phone.strip(), masked.phone),
            ):
                if len(raw) >= 4:
                    text = _replace_all(text, raw, shown)
            detail = party.address.strip()[len(divisions(party.address.strip())) :]
            if len(detail) >= 4:
                text = _replace_all(text, detail, HIDDEN)
            name = party.name.strip()
            if len(name) >= 2:
                text = _replace_all(text, name, masked.name)
        elif party.id_number.strip():
            keep = frozenset({party.id_number.strip()})
    text = _mask_numbers(text, keep)
    text = _LABELLED_NAME_RE.sub(_mask_labelled, text)
    return _DWELLING_RE.sub(HIDDEN, text)
