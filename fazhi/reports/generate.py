"""The annual 法治政府建设情况报告 of a region or a unit, assembled from the year's records.

The report is a structure — sections → paragraphs → sentences — and every sentence carries the figures it
states and the records it came from. Sentences are built by `say()`, which refuses a template or plain part
containing a digit: every number in the prose is a `Figure` (an indicator value or a count, with its source
ids), and any other digit can only come from a `Quote` of record text (a plan title, a unit's own report).

Content follows the 2019 规定 (中共中央办公厅、国务院办公厅《法治政府建设与责任落实督察工作规定》第二十六条):
the measures and results, the shortcomings and their causes, how the principal leaders performed their duty as
the first person responsible, next year's work, and anything else to report. The order is configurable; the
default is the common order of seed 001.

Deterministic: rows are read in a fixed order and nothing depends on the clock (`as_of` defaults to 31
December of the year).
"""

from __future__ import annotations

import datetime
import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from fazhi.orgs.models import Unit
from fazhi.plans.models import Plan, Task, TaskKind
from fazhi.supervision.models import EventKind, Report, ReportEvent, ReportStatus

from . import indicators
from .indicators import Records, Scope, Sources, merge, sources_of
from .models import IndicatorSource, IndicatorValue

DIGIT = re.compile(r"\d")
NUMERALS = "一二三四五六七八九十"

# --- the structure ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A number stated in the prose: its text as printed, the indicator (or count) it is, its records."""

    text: str
    value: Decimal
    code: str
    sources: Sources


@dataclass(frozen=True)
class Quote:
    """Record text repeated as written (a title, a unit's name, what a unit reported)."""

    text: str
    sources: Sources = field(default_factory=dict)


@dataclass(frozen=True)
class Sentence:
    text: str
    figures: tuple[Figure, ...] = ()
    quotes: tuple[str, ...] = ()
    sources: Sources = field(default_factory=dict)


@dataclass(frozen=True)
class Paragraph:
    sentences: tuple[Sentence, ...]
    heading: bool = False  # a 二级标题 line ("（一）…")

    @property
    def text(self) -> str:
        return "".join(sentence.text for sentence in self.sentences)


@dataclass(frozen=True)
class Section:
    key: str
    title: str  # with its 一、 number
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class AnnualReport:
    title: Sentence
    opening: Paragraph
    sections: tuple[Section, ...]
    closing: Paragraph
    scope: Scope
    values: dict[str, indicators.Value] = field(default_factory=dict)

    def paragraphs(self) -> list[Paragraph]:
        found = [self.opening]
        for section in self.sections:
            found.extend(section.paragraphs)
        return [*found, self.closing]

    def sentences(self) -> list[Sentence]:
        return [self.title, *(s for p in self.paragraphs() for s in p.sentences)]


@functools.lru_cache(maxsize=256)
def _names(template: str) -> tuple[str, ...]:
    """The {named} parts of a template (checked for digits once: reports say the same few thousand times)."""
    if DIGIT.search(template):
        raise ValueError(f"a template may not contain digits: {template!r}")
    return tuple(re.findall(r"{(\w+)}", template))


def say(template: str, **parts: Figure | Quote | str) -> Sentence:
    """A sentence from a template with {named} parts; digits may only come from figures and quotes."""
    texts: dict[str, str] = {}
    figures: list[Figure] = []
    quotes: list[str] = []
    sources: list[Sources] = []
    for name in _names(template):
        part = parts[name]
        if isinstance(part, Figure):
            figures.append(part)
            sources.append(part.sources)
            texts[name] = part.text
        elif isinstance(part, Quote):
            quotes.append(part.text)
            sources.append(part.sources)
            texts[name] = part.text
        else:
            if DIGIT.search(part):
                raise ValueError(f"a plain part may not contain digits: {part!r}")
            texts[name] = part
    return Sentence(template.format(**texts), tuple(figures), tuple(quotes), merge(*sources))


def number(n: int) -> str:
    """一 … 九十九, for 一、 and （一） labels and 一是 enumerations."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


def figure_text(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


# --- assembling ---------------------------------------------------------------------------------------------

SECTION_TITLES = {
    "duty": "党政主要负责人履行推进法治建设第一责任人职责情况",
    "measures": "推进法治政府建设的主要举措和成效",
    "shortcomings": "推进法治政府建设存在的不足和原因",
    "next_year": "下一年度推进法治政府建设的工作安排",
    "other": "其他需要报告的情况",
}
DEFAULT_ORDER = ("duty", "measures", "shortcomings", "next_year", "other")
# A task concerns the principal leaders' duty when its text or its area says so.
DUTY_WORDS = ("主要负责人", "第一责任人", "述法", "党的领导")
LIST_LIMIT = 10  # tasks named one by one in a list; the count always covers all of them
QUOTE_LIMIT = 3  # units' own reports quoted for one task (in the units' order); the others are counted


class Builder:
    def __init__(self, records: Records) -> None:
        self.records = records
        self.scope = records.scope
        self.values = indicators.compute(records)
        units = Unit.objects.filter(pk__in=self._unit_ids()).order_by("pk")
        self.units: dict[int, str] = {}
        self.unit_order: dict[int, tuple[int, str, int]] = {}
        for pk, name, sort_order in units.values_list("pk", "name", "sort_order"):
            self.units[pk] = name
            self.unit_order[pk] = (sort_order, name, pk)
        self.tasks = {task.pk: task for task in records.tasks}
        self.complete = set(records.complete_tasks)
        self.latest = self._latest_accepted()
        self.areas, self.area_of = self._areas()
        self.area_titles: dict[int | None, str] = {a.pk: a.title for a in self.areas if a is not None}

    def _unit_ids(self) -> set[int]:
        return {unit for rows in self.records.assignments.values() for _a, unit, _d in rows}

    def _latest_accepted(self) -> dict[int, list[tuple[int, int, str]]]:
        """Task id → [(unit id, report id, text)]: each unit's newest accepted report that says something."""
        newest: dict[tuple[int, int], tuple[tuple[datetime.date, float, int], indicators.ReportRow]] = {}
        accepted = ReportStatus.ACCEPTED
        for row in self.records.reports:
            if row.status != accepted:
                continue
            order = row.order_key
            key = (row.task_id, row.unit_id)
            current = newest.get(key)
            if current is None or current[0] < order:
                newest[key] = (order, row)
        texts = dict(
            Report.objects.filter(pk__in=[row.pk for _o, row in newest.values()])
            .order_by()  # no join for the default ordering
            .values_list("pk", "text")
        )
        found: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
        for (task_id, unit_id), (_o, row) in sorted(
            newest.items(), key=lambda item: self._unit_key(item[0][1])
        ):
            text = " ".join((texts.get(row.pk) or "").split())
            if text:
                found[task_id].append((unit_id, row.pk, text))
        return found

    def _unit_key(self, unit_id: int) -> tuple[int, str, int]:
        return self.unit_order.get(unit_id, (0, "", unit_id))

    def _areas(self) -> tuple[list[Task | None], dict[int, int | None]]:
        """The plans' top-level areas in order (None: tasks outside any area), and each task's area."""
        nodes = list(
            Task.objects.filter(plan__in=self.records.plans, kind=TaskKind.AREA).order_by(
                "plan_id", "position", "pk"
            )
        )
        parents = {node.pk: node.parent_id for node in nodes}

        def top(pk: int | None) -> int | None:
            seen: set[int] = set()
            while pk is not None and parents.get(pk) is not None and pk not in seen:
                seen.add(pk)
                pk = parents[pk]
            return pk if pk in parents else None

        area_of = {task.pk: top(task.parent_id) for task in self.records.tasks}
        used = set(area_of.values())
        areas: list[Task | None] = [node for node in nodes if node.parent_id is None and node.pk in used]
        if None in used:
            areas.append(None)
        return areas, area_of

    # figures --------------------------------------------------------------------------------------------

    def figure(self, code: str) -> Figure:
        value = self.values[code]
        return Figure(figure_text(value.value), value.value, code, value.sources)

    def count(self, code: str, ids: Sequence[int], key: str) -> Figure:
        return Figure(str(len(ids)), Decimal(len(ids)), code, sources_of(**{key: ids}))

    def year(self, offset: int = 0) -> Figure:
        year = self.scope.year + offset
        return Figure(str(year), Decimal(year), "year", sources_of(plan=[p.pk for p in self.records.plans]))

    def has(self, *codes: str) -> bool:
        return all(code in self.values for code in codes)

    # quotes ---------------------------------------------------------------------------------------------

    def subject(self) -> Quote:
        if self.scope.unit is not None:
            return Quote(self.scope.unit.name)
        return Quote(self.scope.region.name)

    def task_quote(self, task: Task) -> Quote:
        text = task.title or task.text
        text = text if len(text) <= 40 else text[:40] + "…"
        return Quote(text.rstrip("。；;，,"), sources_of(task=[task.pk]))

    def task_list(self, ids: Iterable[int]) -> Quote:
        tasks = [self.tasks[pk] for pk in ids]
        shown = "；".join(f"“{self.task_quote(task).text}”" for task in tasks[:LIST_LIMIT])
        return Quote(
            shown + ("等" if len(tasks) > LIST_LIMIT else ""), sources_of(task=[t.pk for t in tasks])
        )

    def units_of(self, task_id: int, unfinished_only: bool = False) -> Quote:
        rows = self.records.assignments.get(task_id, [])
        ids = sorted({unit for _a, unit, done in rows if not (unfinished_only and done)}, key=self._unit_key)
        return Quote("、".join(self.units[pk] for pk in ids), sources_of(task=[task_id]))

    def reported(self, task_id: int) -> list[Sentence]:
        """What units reported on the task: up to QUOTE_LIMIT of them quoted, the others counted."""
        sentences = []
        found = self.latest.get(task_id, [])
        for unit_id, report_id, text in found[:QUOTE_LIMIT]:
            text = text if text[-1] in "。！？；" else text + "。"
            quote = Quote(text, sources_of(report=[report_id]))
            if self.scope.unit is not None:  # the unit's own report: no need to name it each time
                sentences.append(say("{text}", text=quote))
                continue
            unit = Quote(self.units[unit_id], sources_of(report=[report_id]))
            sentences.append(say("{unit}：{text}", unit=unit, text=quote))
        rest = [report_id for _u, report_id, _t in found[QUOTE_LIMIT:]]
        if rest:
            sentences.append(
                say("另有{n}个单位报送了进展情况。", n=self.count("units_reported", rest, "report"))
            )
        return sentences

    # sections -------------------------------------------------------------------------------------------

    def opening(self) -> Paragraph:
        plans = self.records.plans
        if plans:
            titles = Quote("、".join(f"《{p.title}》" for p in plans), sources_of(plan=[p.pk for p in plans]))
            first = say(
                "{year}年，{subject}坚持以习近平法治思想为指导，按照{plans}的部署，扎实推进法治政府建设各项工作。",
                year=self.year(),
                subject=self.subject(),
                plans=titles,
            )
        else:
            first = say(
                "{year}年，{subject}扎实推进法治政府建设各项工作。", year=self.year(), subject=self.subject()
            )
        return Paragraph((first, say("现将有关情况报告如下：")))

    def duty(self) -> list[Paragraph]:
        ids = [
            task.pk
            for task in self.records.tasks
            if any(word in f"{task.title}{task.text}{self._area_title(task.pk)}" for word in DUTY_WORDS)
        ]
        if not ids:
            return [Paragraph((say("本年度计划中没有单列党政主要负责人履行第一责任人职责的任务。"),))]
        done = [pk for pk in ids if pk in self.complete]
        paragraphs = [
            Paragraph(
                (
                    say(
                        "年度计划中涉及党政主要负责人履行推进法治建设第一责任人职责的任务共{n}项，已完成{done}项。",
                        n=self.count("tasks", ids, "task"),
                        done=self.count("tasks_completed", done, "task"),
                    ),
                )
            )
        ]
        for pk in ids:
            reported = self.reported(pk)
            if reported:
                lead = say(
                    "围绕{task}：",
                    task=Quote(f"“{self.task_quote(self.tasks[pk]).text}”", sources_of(task=[pk])),
                )
                paragraphs.append(Paragraph((lead, *reported)))
        return paragraphs

    def _area_title(self, task_id: int) -> str:
        return self.area_titles.get(self.area_of.get(task_id), "")

    def measures(self) -> list[Paragraph]:
        if not self.records.tasks:
            return [Paragraph((say("本年度没有已发布的法治政府建设工作计划任务。"),))]
        overall = [
            say(
                "全年共部署计划任务{tasks}项，已完成{done}项，完成率{rate}%。",
                tasks=self.figure("tasks"),
                done=self.figure("tasks_completed"),
                rate=self.figure("completion_rate"),
            )
        ]
        if self.has("reports", "reports_accepted", "on_time_rate"):
            overall.append(
                say(
                    "{who}应报进展报告{reports}份，审核通过{accepted}份，按时报送率{on_time}%。",
                    who="本单位" if self.scope.unit is not None else "各责任单位",
                    reports=self.figure("reports"),
                    accepted=self.figure("reports_accepted"),
                    on_time=self.figure("on_time_rate"),
                )
            )
        paragraphs = [Paragraph(tuple(overall))]
        targets_by_task: dict[int, list[indicators.TargetResult]] = defaultdict(list)
        for result in self.records.targets:
            targets_by_task[result.target.task_id].append(result)
        tasks_of: dict[int | None, list[int]] = defaultdict(list)
        for task in self.records.tasks:
            tasks_of[self.area_of[task.pk]].append(task.pk)
        for index, area in enumerate(self.areas, start=1):
            ids = tasks_of.get(area.pk if area else None, [])
            title = Quote(area.title, sources_of(task=[area.pk])) if area is not None else Quote("其他工作")
            paragraphs.append(Paragraph((say("（{n}）{title}", n=number(index), title=title),), heading=True))
            done = [pk for pk in ids if pk in self.complete]
            sentences = [
                say(
                    "本方面部署任务{n}项，已完成{done}项。",
                    n=self.count("tasks", ids, "task"),
                    done=self.count("tasks_completed", done, "task"),
                )
            ]
            for pk in ids:
                sentences.extend(self.reported(pk))
                for result in targets_by_task.get(pk, []):
                    if result.met:
                        sentences.append(
                            self._target_sentence(result, "{target}的目标已实现，报告值为{value}。")
                        )
            paragraphs.append(Paragraph(tuple(sentences)))
        enforcement = self.enforcement()
        if enforcement:
            heading = say("（{n}）行政执法基本情况", n=number(len(self.areas) + 1))
            paragraphs += [Paragraph((heading,), heading=True), Paragraph(tuple(enforcement))]
        return paragraphs

    def enforcement(self) -> list[Sentence]:
        """The region's enforcement figures (registers and cases), where it keeps them in the platform."""
        sentences = []
        if self.has("officers", "officers_certified_rate", "officers_trained_rate"):
            sentences.append(
                say(
                    "{region}共有行政执法人员{officers}名，执法证在有效期内的占{certified}%，"
                    "年度培训达到规定学时的占{trained}%。",
                    region=self.subject(),
                    officers=self.figure("officers"),
                    certified=self.figure("officers_certified_rate"),
                    trained=self.figure("officers_trained_rate"),
                )
            )
        if self.has("cases", "penalty_cases"):
            sentences.append(
                say(
                    "全年立案办理行政执法案件{cases}件，其中行政处罚案件{penalties}件。",
                    cases=self.figure("cases"),
                    penalties=self.figure("penalty_cases"),
                )
            )
        if self.has("major_review_rate"):
            sentences.append(say("重大执法决定法制审核率{rate}%。", rate=self.figure("major_review_rate")))
        return sentences

    def _target_sentence(self, result: indicators.TargetResult, template: str) -> Sentence:
        target = result.target
        values = "、".join(figure_text(v) + target.measure for v in result.values)
        value = Figure(values, result.values[0], "target_value", result.sources)
        return say(template, target=Quote(f"“{target.text}”", sources_of(target=[target.pk])), value=value)

    def shortcomings(self) -> list[Paragraph]:
        points: list[list[Sentence]] = []
        unfinished = self.records.unfinished_tasks
        if unfinished:
            points.append(
                [
                    say("部分任务尚未完成。"),
                    say(
                        "截至{year}年底，计划任务中有{n}项尚未完成：{tasks}。",
                        year=self.year(),
                        n=self.figure("tasks_unfinished"),
                        tasks=self.task_list(unfinished),
                    ),
                ]
            )
        unmet = [result for result in self.records.targets if result.met is False]
        if unmet:
            point = [say("部分量化目标未实现。")]
            point += [
                self._target_sentence(result, "{target}的报告值为{value}，未达到目标。") for result in unmet
            ]
            points.append(point)
        late = self.values.get("reports_late")
        if late is not None and late.value:
            point = [
                say(
                    "进展报送不够及时。{late}份进展报告逾期报送或至今未报送", late=self.figure("reports_late")
                )
            ]
            if self.has("red_cards") and self.values["red_cards"].value:
                point[0] = say(
                    "进展报送不够及时。{late}份进展报告逾期报送或至今未报送，其中{red}份被亮红牌。",
                    late=self.figure("reports_late"),
                    red=self.figure("red_cards"),
                )
            else:
                point[0] = say(
                    "进展报送不够及时。{late}份进展报告逾期报送或至今未报送。",
                    late=self.figure("reports_late"),
                )
            points.append(point)
        returned = self.values.get("reports_returned")
        if returned is not None and returned.value:
            point = [say("报送质量有待提高。{n}份进展报告被退回修改。", n=self.figure("reports_returned"))]
            comments = self._return_comments(returned.sources.get(indicators.REPORT, ()))
            if comments:
                point.append(say("审核退回的原因主要是：{comments}", comments=comments))
            points.append(point)
        if not points:
            return [
                Paragraph((say("对照年度计划，未发现未完成的任务、未实现的目标或逾期、退回的进展报告。"),))
            ]
        paragraphs = []
        for index, point in enumerate(points, start=1):
            first = point[0]
            lead = Sentence(f"{number(index)}是" + first.text, first.figures, first.quotes, first.sources)
            paragraphs.append(Paragraph((lead, *point[1:])))
        return paragraphs

    def _return_comments(self, report_ids: Sequence[int]) -> Quote | None:
        # The scope's returned reports as a subquery (a county has a thousand of them: a list of their ids
        # would make most of the SQL); `report_ids` then picks the events as before.
        wanted = set(report_ids)
        returned = Report.objects.filter(plan__in=self.records.plans, times_returned__gt=0)
        if self.scope.unit is not None:
            returned = returned.filter(unit=self.scope.unit)
        events = (
            ReportEvent.objects.filter(report__in=returned.values("pk"), kind=EventKind.RETURNED)
            .exclude(comment="")
            .order_by("at", "pk")
            .values_list("pk", "report_id", "comment")
        )
        seen: dict[str, list[int]] = {}
        for pk, report_id, comment in events:
            if report_id not in wanted:
                continue
            seen.setdefault(" ".join(comment.split()).rstrip("。"), []).append(pk)
        if not seen:
            return None
        shown = list(seen.items())[:3]
        text = "；".join(f"“{comment}”" for comment, _ids in shown) + "。"
        return Quote(text, sources_of(**{"supervision.reportevent": [pk for _c, ids in shown for pk in ids]}))

    def next_year(self) -> list[Paragraph]:
        paragraphs = [
            Paragraph(
                (
                    say(
                        "{year}年，{subject}将继续深入学习贯彻习近平法治思想，对照年度计划逐项抓好落实。",
                        year=self.year(1),
                        subject=self.subject(),
                    ),
                )
            )
        ]
        unfinished = self.records.unfinished_tasks
        if unfinished:
            sentences = [say("继续推进本年度未完成的任务：")]
            for pk in unfinished:
                sentences.append(
                    say(
                        "{task}，由{units}负责。",
                        task=Quote(f"“{self.task_quote(self.tasks[pk]).text}”", sources_of(task=[pk])),
                        units=self.units_of(pk, unfinished_only=True),
                    )
                )
            paragraphs.append(Paragraph(tuple(sentences)))
        following = list(
            Plan.objects.published().filter(region=self.scope.region, year=self.scope.year + 1).order_by("pk")
        )
        for plan in following:
            areas = list(
                Task.objects.filter(plan=plan, kind=TaskKind.AREA, parent=None).order_by("position", "pk")
            )
            plan_quote = Quote(f"《{plan.title}》", sources_of(plan=[plan.pk]))
            if areas:
                names = Quote("、".join(a.title for a in areas), sources_of(task=[a.pk for a in areas]))
                paragraphs.append(
                    Paragraph((say("按照{plan}，重点抓好{areas}等工作。", plan=plan_quote, areas=names),))
                )
            else:
                paragraphs.append(Paragraph((say("按照{plan}的部署抓好落实。", plan=plan_quote),)))
        return paragraphs

    def other(self) -> list[Paragraph]:
        values = (
            IndicatorValue.objects.reportable()
            .filter(
                region=self.scope.region,
                unit=self.scope.unit,
                year=self.scope.year,
                indicator__source=IndicatorSource.ENTERED,
            )
            .select_related("indicator")
            .order_by("indicator__position", "indicator__code")
        )
        sentences = []
        for value in values:
            entered = value.sources or {}
            figure = Figure(
                figure_text(value.value),
                value.value,
                value.indicator.code,
                merge({"reports.indicatorvalue": (value.pk,)}, {k: tuple(v) for k, v in entered.items()}),
            )
            sentences.append(
                say(
                    "{name}：{value}{measure}。",
                    name=Quote(value.indicator.name),
                    value=figure,
                    measure=Quote(value.indicator.measure),
                )
            )
        if not sentences:
            sentences = [say("无其他需要报告的情况。")]
        return [Paragraph(tuple(sentences))]


def generate(scope: Scope, order: Sequence[str] = DEFAULT_ORDER) -> AnnualReport:
    """The report of `scope` with its sections in `order` (keys of SECTION_TITLES)."""
    unknown = [key for key in order if key not in SECTION_TITLES]
    if unknown:
        raise ValueError(f"unknown sections: {', '.join(unknown)} (known: {', '.join(SECTION_TITLES)})")
    builder = Builder(indicators.load(scope))
    sections = []
    for index, key in enumerate(order, start=1):
        paragraphs = getattr(builder, key)()
        sections.append(Section(key, f"{number(index)}、{SECTION_TITLES[key]}", tuple(paragraphs)))
    title = say("{subject}{year}年法治政府建设情况报告", subject=builder.subject(), year=builder.year())
    closing = Paragraph((say("特此报告。"),))
    return AnnualReport(title, builder.opening(), tuple(sections), closing, scope, builder.values)


# --- the 数据来源 appendix ---------------------------------------------------------------------------------

RECORD_NAMES = {
    indicators.PLAN: "计划",
    indicators.TASK: "任务",
    indicators.REPORT: "进展报告",
    indicators.TARGET: "目标",
    indicators.TARGET_VALUE: "目标报告值",
    "supervision.reportevent": "审核记录",
    "reports.indicatorvalue": "指标值",
    "reports.indicatorevidence": "佐证材料",
    "enforcement.officer": "执法人员",
    "enforcement.case": "执法案件",
}


@dataclass(frozen=True)
class SourceEntry:
    number: int
    where: str  # the section (and paragraph) the sentence stands in
    excerpt: str
    records: str  # "指标：任务完成率（completion_rate）；进展报告 3、5；任务 2"


def ranges(ids: Sequence[int]) -> str:
    """1、2、3、5 → "1—3、5"."""
    runs: list[list[int]] = []
    for pk in sorted(ids):
        if runs and pk == runs[-1][1] + 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])
    return "、".join(str(a) if a == b else f"{a}—{b}" for a, b in runs)


def _records_text(sentence: Sentence, names: dict[str, str]) -> str:
    parts = []
    codes = sorted({figure.code for figure in sentence.figures})
    if codes:
        parts.append("指标：" + "、".join(f"{names.get(code, code)}（{code}）" for code in codes))
    for key, ids in sorted(sentence.sources.items()):
        parts.append(f"{RECORD_NAMES.get(key, key)} " + ranges(ids))
    return "；".join(parts)


def source_entries(report: AnnualReport) -> list[SourceEntry]:
    """Every sentence that rests on records, numbered in reading order, with the records it came from."""
    from .models import Indicator

    names = dict(Indicator.objects.values_list("code", "name"))
    names.update({"year": "年度", "target_value": "目标报告值"})
    places: list[tuple[str, Sentence]] = [("标题", report.title)]
    places += [("开头", s) for s in report.opening.sentences]
    for section in report.sections:
        for index, paragraph in enumerate(section.paragraphs, start=1):
            places += [
                (f"{section.title.split('、')[0]}、第{number(index)}段", s) for s in paragraph.sentences
            ]
    entries: list[SourceEntry] = []
    for where, sentence in places:
        if not sentence.sources and not sentence.figures:
            continue
        excerpt = sentence.text if len(sentence.text) <= 30 else sentence.text[:30] + "…"
        entries.append(SourceEntry(len(entries) + 1, where, excerpt, _records_text(sentence, names)))
    return entries
