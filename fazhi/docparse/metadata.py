"""Document metadata and kind: title, issuing body, 文号, date, plan year; plan, report or something else.

Where several places say the same thing, the most official wins (documented in the package README):

- title: the plan's own title line (``新城区2024年法治政府建设工作计划``) > the title inside the cover
  notice's title (``关于印发X的通知`` → X) > the 《X》 the cover notice issues > any early title-like line;
- issuer: the cover notice title's issuer (``X关于印发…``) > the signature (an organisation line followed
  by the date, or ``X 2024年8月6日印发``) > the page's 发文机关/发文单位 > its 发布机构;
- doc_number: the page's 文号 field > a line of the header that is a document number; numbers cited in the
  body (``按照《…规定》(新政办发〔2024〕19号)``) belong to other documents and are never taken;
- date: 成文日期 > the signature date > 发布日期/发表时间 > the first date-only line;
- year: the caller's ``year`` > the year in the title > the year of the date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from fazhi.docparse.blocks import Line
from fazhi.docparse.outline import match_label
from fazhi.docparse.text import find_date, fold, is_date_line, is_debris, looks_like_org_line, parse_cn_number

_YEARISH = r"(?:(?:19|20)\d{2}|年度|十四五|[〇○一二三四五六七八九]{4}年)"
# In the order the regex tries them (longer words first where one starts another).
_PLAN_WORD_LIST = (
    *("工作计划", "工作要点", "实施方案", "工作方案", "行动方案", "任务分工方案", "任务分工表", "任务分工"),
    *("责任分工方案", "责任分工表", "责任分工", "分工方案", "任务清单", "责任清单", "工作台账", "任务台账"),
    *("台账", "重点任务", "工作安排", "计划", "要点", "方案", "清单"),
)
_PLAN_WORDS = "(?:" + "|".join(_PLAN_WORD_LIST) + ")"
_SUFFIX_NOTE = r"(?:\s*\([^)]{1,12}\))?"
# For _may_be_plan_title: the last character of a plan title, and what it may not hold.
_PLAN_TITLE_ENDINGS = frozenset(word[-1] for word in _PLAN_WORD_LIST) | {")"}
_TITLE_STOP = re.compile(r"[。;:!?]")
PLAN_TITLE = re.compile(
    rf"^(?=.*{_YEARISH})(?!.*(?:印发|通知|报告))[^。;:!?]{{3,70}}?{_PLAN_WORDS}{_SUFFIX_NOTE}$"
)
# Before the first numbered item a title needs no year: "某区法治政府建设实施方案".
PLAN_TITLE_HEAD = re.compile(
    rf"^(?=.*(?:法治|依法|法制|普法))(?!.*(?:印发|通知|报告))[^。;:!?,]{{3,70}}?{_PLAN_WORDS}{_SUFFIX_NOTE}$"
)
REPORT_TITLE = re.compile(rf"^(?=.*{_YEARISH})(?!.*印发)[^。;:!?]{{3,70}}?报告{_SUFFIX_NOTE}$")
NOTICE_TITLE = re.compile(
    r"^(?P<issuer>[^。;:!?]{0,40}?)关于(?P<issued>印发)?(?P<inner>[^。;:!?]{2,80}?)的通知$"
)
COVER_ISSUE = re.compile(r"《(?P<inner>[^》]{4,60})》[^。]{0,40}?(?:印发给|现印发|予以印发|现予印发)")
REPORT_PHRASE = re.compile(r"报告如下|情况报告如下|工作情况报告")
DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔\[【(]\s*(?:19|20)\d{2}\s*[〕\]】)]\s*(?:第\s*)?\d{1,4}\s*号"
)
_FIELD = re.compile(
    r"(索\s*引\s*号|主\s*题\s*分\s*类|发\s*布\s*机\s*构|发\s*文\s*机\s*关|发\s*文\s*单\s*位|成\s*文\s*日\s*期|"
    r"发\s*布\s*日\s*期|发\s*表\s*时\s*间|发\s*布\s*时\s*间|文\s*号|公\s*文\s*时\s*效|有\s*效\s*性|来\s*源|"
    r"名\s*称|标\s*题|字\s*号)\s*[:|]?"
)
_TITLE_YEAR = re.compile(r"(?<![\d—\-~至])((?:19|20)\d{2})\s*年")
_TITLE_YEAR_CN = re.compile(r"([〇○零一二三四五六七八九]{4})年")
_ISSUED = re.compile(
    r"^(?P<org>[^,。;:]{2,40}?)\s*(?P<date>(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*印发$"
)
_ORG_END = re.compile(r"(?:人民政府|政府|办公室|办公厅|委员会|局|委|办|中心|院|厅|部|领导小组)$")
_HEADER_SCAN = 80


@dataclass
class Metadata:
    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    date: date | None = None
    year: int | None = None
    doc_type: str | None = None  # "plan" | "report" | "notice" | None, from titles and cover wording
    plan_titles: frozenset[int] = frozenset()  # offsets of plan title lines: each starts a copy of the plan
    body_start: int = 0
    fields: dict[str, str] = field(default_factory=dict)


def read_metadata(lines: list[Line], rows: list[Line], year: int | None = None) -> Metadata:
    """Metadata of a document from its prose lines (debris included: the metadata lives there).

    ``rows`` are the whole texts of table rows that are not ledger rows: a page's metadata table puts
    ``发布机构`` and its value in neighbouring cells.
    """
    meta = Metadata()
    debris = [is_debris(line.text) for line in lines]
    header = [line for line, junk in zip(lines[:_HEADER_SCAN], debris, strict=False) if junk]
    meta.fields = _fields(sorted([*header, *rows[:_HEADER_SCAN]], key=lambda line: line.start))
    plan_titles: list[Line] = []
    notice: re.Match[str] | None = None
    report_title: str | None = None
    cover: str | None = None
    first_title_like: str | None = None
    # The first signal of what the document is decides its type: a report may later quote a plan's name,
    # and a plan's cover notice comes before anything else.
    first_signal: str | None = None
    content_seen = 0
    seen_label = False
    for line, junk in zip(lines, debris, strict=True):
        if junk:
            continue
        folded = fold(line.text)
        early = content_seen < 15
        content_seen += 1
        labelled = match_label(folded) is not None
        seen_label = seen_label or labelled
        if len(folded) <= 90 and not labelled:
            if _may_be_plan_title(folded) and (
                PLAN_TITLE.match(folded) or (not seen_label and PLAN_TITLE_HEAD.match(folded))
            ):
                plan_titles.append(line)
                first_signal = first_signal or "plan"
                continue
            if early and notice is None and "的通知" in folded and (notice := NOTICE_TITLE.match(folded)):
                kind = (
                    "plan" if notice["issued"] and _is_plan_name(_strip_quotes(notice["inner"])) else "notice"
                )
                first_signal = first_signal or kind
            if early and report_title is None and "报告" in folded and REPORT_TITLE.match(folded):
                report_title = line.text
                first_signal = first_signal or "report"
            if first_title_like is None and early and _title_like(folded):
                first_title_like = line.text
        if early:
            cover_match = COVER_ISSUE.search(folded)
            if cover is None and cover_match:
                cover = cover_match["inner"]
                if _is_plan_name(cover):
                    first_signal = first_signal or "plan"
            if REPORT_PHRASE.search(folded):
                first_signal = first_signal or "report"

    notice_inner = _strip_quotes(notice["inner"]) if notice and notice["issued"] else None
    meta.plan_titles = frozenset(line.start for line in plan_titles)
    if plan_titles:
        meta.body_start = plan_titles[0].start
    else:
        meta.body_start = _after_cover(lines, debris)

    meta.doc_type = first_signal

    meta.title = (
        (plan_titles[0].text if plan_titles else None)
        or notice_inner
        or (cover if _is_plan_name(cover) else None)
        or report_title
        or (notice.string if notice else None)
        or _field_title(meta.fields)
        or first_title_like
    )
    signature_org, signature_date = _signature(lines, debris)
    notice_issuer = notice["issuer"].strip() if notice and _ORG_END.search(notice["issuer"].strip()) else None
    meta.issuer = (
        notice_issuer
        or signature_org
        or meta.fields.get("发文机关")
        or meta.fields.get("发文单位")
        or meta.fields.get("发布机构")
        or None
    )
    meta.doc_number = _doc_number(meta.fields.get("文号", ""), lines, debris, meta.body_start)
    meta.date = (
        _field_date(meta.fields, "成文日期")
        or signature_date
        or _field_date(meta.fields, "发布日期", "发表时间", "发布时间")
        or _first_date_line(lines)
    )
    meta.year = year or _title_year(meta.title) or (meta.date.year if meta.date else None)
    return meta


def _may_be_plan_title(folded: str) -> bool:
    """Quick tests that every plan title passes, so that the title patterns run on few lines.

    Every line is asked whether it is a title, and the title patterns' lookaheads read the whole line. A title
    ends with its plan word or a bracketed note of at most 12 characters (``…实施方案(试行)``), and holds no
    sentence stop outside that note.
    """
    if folded.rstrip()[-1:] not in _PLAN_TITLE_ENDINGS:
        return False
    stop = _TITLE_STOP.search(folded)
    return stop is None or stop.start() >= len(folded) - 14


def _title_like(folded: str) -> bool:
    return 8 <= len(folded) <= 60 and not re.search(r"[。;:!?]", folded) and not folded.endswith(",")


def _is_plan_name(name: str | None) -> bool:
    return bool(name) and bool(re.search(_PLAN_WORDS + _SUFFIX_NOTE + "$", fold(name or "")))


def _strip_quotes(text: str) -> str:
    return text.strip().strip('《》“”"').strip()


def _fields(lines: list[Line]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in lines:
        folded = fold(line.text)
        matches = list(_FIELD.finditer(folded))
        for index, match in enumerate(matches):
            end = matches[index + 1].start() if index + 1 < len(matches) else len(folded)
            key = re.sub(r"\s", "", match[1])
            value = line.text[match.end() : end].strip(" :|：\t")
            if value and key not in fields:
                fields[key] = value
            fields.setdefault(key, "")
    return fields


def _field_title(fields: dict[str, str]) -> str | None:
    return fields.get("名称") or fields.get("标题") or None


def _field_date(fields: dict[str, str], *keys: str) -> date | None:
    for key in keys:
        found = find_date(fields.get(key, ""))
        if found:
            return found[0]
    return None


def _first_date_line(lines: list[Line]) -> date | None:
    for line in lines[:_HEADER_SCAN]:
        if is_date_line(line.text):
            found = find_date(line.text)
            if found:
                return found[0]
    return None


def _signature(lines: list[Line], debris: list[bool]) -> tuple[str | None, date | None]:
    """Issuer and date of the signature: ``ORG`` then ``2024年8月6日``, or both on one line with 印发."""
    for index, line in enumerate(lines):
        folded = fold(line.text).strip()
        issued = _ISSUED.match(folded) if "印发" in folded else None
        if issued:
            found = find_date(issued["date"])
            return line.text[: issued.end("org")].strip(), found[0] if found else None
        if is_date_line(folded) and index > 0 and looks_like_org_line(lines[index - 1].text):
            found = find_date(folded)
            return lines[index - 1].text.strip(), found[0] if found else None
    return None, None


def _doc_number(field_value: str, lines: list[Line], debris: list[bool], body_start: int) -> str | None:
    match = DOC_NUMBER.search(fold(field_value))
    if match:
        return field_value[match.start() : match.end()].strip()
    for line in lines:
        if line.start >= body_start and body_start > 0:
            break
        folded = fold(line.text).strip()
        match = DOC_NUMBER.fullmatch(folded)
        if match:
            return line.text.strip()
        if line.start > 4000:
            break
    return None


def _after_cover(lines: list[Line], debris: list[bool]) -> int:
    """Without a plan title line, the plan starts after the cover notice's signature date, if there is one."""
    cover_seen = False
    for index, line in enumerate(lines[:60]):
        folded = fold(line.text)
        if re.search(r"印发给你们|现印发|印发如下|现将.{0,60}印发", folded):
            cover_seen = True
        elif cover_seen and is_date_line(folded):
            return lines[index + 1].start if index + 1 < len(lines) else line.end
    return 0


def _title_year(title: str | None) -> int | None:
    if not title:
        return None
    folded = fold(title)
    match = _TITLE_YEAR.search(folded)
    if match:
        return int(match[1])
    match = _TITLE_YEAR_CN.search(folded)
    if match:
        value = parse_cn_number(match[1])
        return value if value and 1900 <= value <= 2100 else None
    return None
