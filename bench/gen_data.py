"""Synthetic data for demos and benchmarks: `fazhi gen-data --scale province`.

Generation runs as a list of stages (regions → units → groups and aliases → people and roles → plans →
reporting rounds → progress reports). Each stage writes with bulk inserts inside its own transaction and
records one audit entry per bulk insert, because bulk_create bypasses the signals that audit ordinary saves.
Then enforcement cases with their steps (officers, powers and discretion standards first), and last the
公示 of their decisions, masked (published on time, late, not yet, or withdrawn).
Each stage draws from its own `random.Random` seeded with the seed and the stage name, so the same seed gives
the same data and a new stage does not change what the earlier ones produce. The reports' states depend on
the day the generator runs as well (what is due, what is late).

Generated accounts are named `g<code>-…` and share one password, hashed once (hashing 50,000 passwords with
PBKDF2 would take hours). `--replace` deletes the generated province's whole subtree and those accounts,
recording one audit entry per bulk delete; audit entries themselves are never deleted.
"""

from __future__ import annotations

import contextlib
import random
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from typing import Any, NamedTuple, Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models import CharField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from bench import plan_texts, publication_texts
from bench.plan_texts import SubArea
from fazhi.audit.recorder import acting_as, record
from fazhi.docparse.deadlines import find_deadlines, find_recurrence
from fazhi.notifications.models import Delivery, Notification
from fazhi.orgs.models import (
    Alias,
    Region,
    RegionLevel,
    Role,
    RoleAssignment,
    Unit,
    UnitGroup,
    UnitKind,
    User,
)
from fazhi.plans.models import (
    Assignment,
    Deadline,
    Plan,
    PlanImport,
    PlanStatus,
    Resolution,
    Target,
    Task,
    TaskKind,
    TaskUnit,
    UnitRole,
)
from fazhi.supervision.deadlines import DueDateCalculator, calendars_for
from fazhi.supervision.models import (
    CalendarDay,
    EventKind,
    Evidence,
    Progress,
    Report,
    ReportEvent,
    ReportStatus,
    Round,
    RoundKind,
    ScoreAdjustment,
    SupervisionNotice,
    SupervisionRules,
    TargetValue,
)
from fazhi.supervision.rounds import plan_rounds

DEFAULT_PROVINCE = "示范省"
DEFAULT_CODE = "99"  # no real province uses 99, so generated division codes cannot clash with real ones
DEMO_PASSWORD = "Shifan-demo-2025!"  # noqa: S105 (printed in the summary: demo data only)
BATCH_SIZE = 1000
# People are built and inserted this many at a time, so memory stays flat however many there are.
PEOPLE_FLUSH = 5000
# Plans are inserted this many counties at a time, reports this many at a time (with their threads).
PLAN_FLUSH = 10
REPORT_FLUSH = 5000


@dataclass(frozen=True)
class Scale:
    name: str
    cities: int
    counties: int
    min_counties_per_city: int
    towns_per_county: tuple[int, int]
    units_per_county: int
    users: int
    admins: int
    # level → (coordinators, leaders) per region of that level
    staff: dict[str, tuple[int, int]]
    # Each county's plan: rows of its outline (9 areas and 36 sub-areas, then tasks, one lead unit each), how
    # many areas and sub-areas (of plan_texts.AREAS), and the reports an assignment owes in the year, on
    # average (the office opens rounds for every task until it does: issue 5 asks for 10 per assignment).
    plan_rows: int = 1045  # 1,000 tasks: 100,000 tasks and assignments in a province of 100 counties
    areas: int = 9
    subareas: int = 4
    reports_per_assignment: float = 10.5
    # Enforcement cases registered in the year per county (the "cases" stage): 1,000,000 in a province of 100.
    cases_per_county: int = 10_000


SCALES = {
    "province": Scale(
        "province", cities=12, counties=100, min_counties_per_city=5, towns_per_county=(8, 12),
        units_per_county=100, users=50_000, admins=3,
        staff={"province": (2, 2), "city": (2, 2), "county": (3, 4)},
    ),
    "county": Scale(
        "county", cities=1, counties=1, min_counties_per_city=1, towns_per_county=(8, 12),
        units_per_county=100, users=500, admins=1,
        staff={"province": (1, 1), "city": (1, 1), "county": (2, 2)},
    ),
    "tiny": Scale(
        "tiny", cities=2, counties=3, min_counties_per_city=1, towns_per_county=(2, 2),
        units_per_county=12, users=100, admins=1,
        staff={"province": (1, 1), "city": (1, 1), "county": (1, 1)},
        plan_rows=30, areas=3, subareas=2, reports_per_assignment=10, cases_per_county=100,
    ),
}  # fmt: skip


class GenerationRefused(Exception):
    """The database already holds data this run would collide with."""


# --- names --------------------------------------------------------------------------------------------------

_PLACE_FIRST = (
    "青安平永宁新东西南北长清德兴和丰昌华泰武文明汉金云白龙凤鹤松柳桃石临沙梅河江湖山阳林宝瑞福嘉盛靖"
)
_PLACE_SECOND = (
    "川山江河阳源安平宁泉州原丰城台水溪湖林峰岭桥坪口湾庄堡关门田谷坡塘洲屯集店营寨里沟滩岗头渡陵浦亭乐"
)
_AWKWARD_NAMES = {"汉堡"}  # hamburger
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟"
    "谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国志红文斌海燕鹏飞辉宇浩然"
    "晓东雪梅俊峰佳欣思雨子涵博睿"
)


def place_names(rng: random.Random) -> Iterator[str]:
    """Two-character place names, each used once in a province (so 青石司法所 names one unit only)."""
    names = [a + b for a in _PLACE_FIRST for b in _PLACE_SECOND if a != b]
    rng.shuffle(names)
    # Skipped after the shuffle, so the random draws that follow (town counts) stay the same.
    return (name for name in names if name not in _AWKWARD_NAMES)


def person_name(rng: random.Random) -> str:
    given = rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(_SURNAMES) + given


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


# County-level units, most common first: a county with fewer slots keeps the head of the list.
# (name template, kind, enforcement body, decision body); {c} is the county's name, {s} its suffix (区/县).
_GOV, _DEPT, _PARTY, _OTHER = (
    UnitKind.GOVERNMENT_OFFICE,
    UnitKind.DEPARTMENT,
    UnitKind.PARTY_ORGAN,
    UnitKind.OTHER,
)
COUNTY_UNITS: tuple[tuple[str, str, bool, bool], ...] = (
    ("{c}人民政府办公室", _GOV, False, False),
    ("{c}司法局", _DEPT, True, False),
    ("{c}发展和改革局", _DEPT, True, True),
    ("{c}财政局", _DEPT, True, True),
    ("{c}公安局", _DEPT, True, False),
    ("{c}市场监督管理局", _DEPT, True, True),
    ("{c}教育局", _DEPT, True, True),
    ("{c}民政局", _DEPT, True, True),
    ("{c}人力资源和社会保障局", _DEPT, True, True),
    ("{c}自然资源局", _DEPT, True, True),
    ("{c}住房和城乡建设局", _DEPT, True, True),
    ("{c}交通运输局", _DEPT, True, True),
    ("{c}农业农村局", _DEPT, True, True),
    ("{c}卫生健康委员会", _DEPT, True, True),
    ("{c}应急管理局", _DEPT, True, False),
    ("{c}生态环境分局", _DEPT, True, False),
    ("{c}水务局", _DEPT, True, True),
    ("{c}文化和旅游局", _DEPT, True, False),
    ("{c}城市管理综合执法局", _DEPT, True, True),
    ("{c}商务局", _DEPT, True, False),
    ("{c}审计局", _DEPT, True, False),
    ("{c}统计局", _DEPT, True, False),
    ("{c}医疗保障局", _DEPT, True, False),
    ("{c}退役军人事务局", _DEPT, True, False),
    ("{c}科学技术局", _DEPT, False, False),
    ("{c}工业和信息化局", _DEPT, True, False),
    ("{c}政务服务和数据管理局", _DEPT, False, True),
    ("{c}信访局", _DEPT, False, False),
    ("{c}民族宗教事务局", _DEPT, True, False),
    ("{c}林业和草原局", _DEPT, True, False),
    ("{c}人民防空办公室", _DEPT, True, False),
    ("{c}粮食和物资储备局", _DEPT, True, False),
    ("{c}乡村振兴局", _DEPT, False, True),
    ("{c}国有资产服务中心", _OTHER, False, False),
    ("中共{c}委办公室", _PARTY, False, False),
    ("中共{c}委组织部", _PARTY, False, False),
    ("中共{c}委宣传部", _PARTY, False, False),
    ("中共{c}委统战部", _PARTY, False, False),
    ("中共{c}委政法委员会", _PARTY, False, False),
    ("中共{c}委机构编制委员会办公室", _PARTY, False, False),
    ("中共{c}委网络安全和信息化委员会办公室", _PARTY, False, False),
    ("中共{c}委社会工作部", _PARTY, False, False),
    ("中共{c}纪律检查委员会", _PARTY, False, False),
    ("中共{c}委全面依法治{s}委员会办公室", _PARTY, False, False),
    ("{c}人民法院", UnitKind.COURT, False, False),
    ("{c}人民检察院", UnitKind.PROCURATORATE, False, False),
    ("{c}人大常委会办公室", _OTHER, False, False),
    ("{c}政协办公室", _OTHER, False, False),
    ("{c}总工会", _OTHER, False, False),
    ("共青团{c}委员会", _OTHER, False, False),
    ("{c}妇女联合会", _OTHER, False, False),
    ("{c}残疾人联合会", _OTHER, False, False),
    ("{c}科学技术协会", _OTHER, False, False),
    ("{c}红十字会", _OTHER, False, False),
    ("{c}工商业联合会", _OTHER, False, False),
    ("{c}法学会", _OTHER, False, False),
    ("{c}档案馆", _OTHER, False, False),
    ("{c}融媒体中心", _OTHER, False, False),
    ("{c}机关事务服务中心", _OTHER, False, False),
    ("{c}公共资源交易中心", _OTHER, False, False),
    ("{c}疾病预防控制中心", _OTHER, False, False),
    ("{c}消防救援大队", _OTHER, True, False),
    ("国家税务总局{c}税务局", _OTHER, True, False),
    ("{c}气象局", _OTHER, True, False),
    ("{c}烟草专卖局", _OTHER, True, False),
    ("{c}农业综合行政执法大队", _OTHER, True, False),
    ("{c}市场监管综合行政执法大队", _OTHER, True, False),
    ("{c}文化市场综合行政执法大队", _OTHER, True, False),
    ("{c}交通运输综合行政执法大队", _OTHER, True, False),
    ("{c}生态环境保护综合行政执法大队", _OTHER, True, False),
    ("{c}自然资源综合行政执法大队", _OTHER, True, False),
    ("{c}投资促进服务中心", _OTHER, False, False),
    ("{c}供销合作社联合社", _OTHER, False, False),
    ("{c}人民医院", _OTHER, False, False),
    ("{c}社会保险事业服务中心", _OTHER, False, False),
    ("{c}不动产登记中心", _OTHER, False, False),
    ("{c}住房公积金管理部", _OTHER, False, False),
    ("{c}地方金融服务中心", _OTHER, False, False),
    ("{c}体育事业发展中心", _OTHER, False, False),
    ("{c}就业服务中心", _OTHER, False, False),
)
MIN_COUNTY_UNITS = 6  # the head of COUNTY_UNITS: enough for every standard group to have members
TOWN_UNITS_PER_TOWN = 3  # its government or street office, its 司法所, its 派出所
# Units the county's 法治政府建设领导小组 lists by name (indexes into COUNTY_UNITS).
LEADING_GROUP = (0, 1, 2, 3, 4, 5, 9, 10, 18, 34, 44, 45)
# (alias, index into COUNTY_UNITS, valid from): abbreviations and former names plans still use.
UNIT_ALIASES: tuple[tuple[str, int, date | None], ...] = (
    ("{s}司法局", 1, None),
    # 法制办 was merged into 司法局 in the 2018 reform.
    ("{s}法制办", 1, date(2019, 1, 1)),
    ("{s}政府办", 0, None),
    ("{s}发改委", 2, None),
    ("{s}市场监管局", 5, None),
)


# --- the run ------------------------------------------------------------------------------------------------


@dataclass
class County:
    region: Region
    suffix: str  # 区 or 县: "区直各单位" or "县直各单位"
    towns: list[Region] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)  # county-level units in COUNTY_UNITS order, then towns'


@dataclass
class Context:
    scale: Scale
    seed: int
    province_name: str
    code: str
    password_hash: str
    province: Region | None = None
    cities: list[Region] = field(default_factory=list)
    counties: list[County] = field(default_factory=list)
    # Sample accounts, one per kind, for the summary.
    samples: dict[str, str] = field(default_factory=dict)
    # The day the reports' states are generated for (what is done, due or late), and the moment.
    now: datetime = field(default_factory=timezone.now)
    plans: list[tuple[County, Plan]] = field(default_factory=list)

    def rng(self, stage: str) -> random.Random:
        # A string seed is hashed with SHA-512, the same on every machine and every run.
        return random.Random(f"{self.seed}:{stage}")

    @property
    def user_prefix(self) -> str:
        return f"g{self.code}-"

    @property
    def province_code(self) -> str:
        return f"{self.code}0000"

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)

    @property
    def year(self) -> int:
        # Plans are issued in January: in January itself the generated year is the one just ended.
        return self.today.year if self.today.month > 1 else self.today.year - 1


class Stage(Protocol):
    name: str

    def generate(self, ctx: Context) -> dict[str, int]:
        """Write this stage's rows in one transaction; return rows written per model label."""
        ...

    def delete(self, province: Region | None, user_prefix: str) -> dict[str, int]:
        """Delete what an earlier run of this stage wrote (called in reverse stage order)."""
        ...


def _bulk_create(model: type[models.Model], objects: Sequence[Any], ctx: Context, **extra: Any) -> list[Any]:
    created = model._default_manager.bulk_create(objects, batch_size=BATCH_SIZE)
    ids = [obj.pk for obj in created]
    record(
        action="bulk_create",
        target_type=model._meta.label_lower,
        changes={
            "count": len(created),
            "first_id": min(ids) if ids else None,
            "last_id": max(ids) if ids else None,
            "seed": ctx.seed,
            **extra,
        },
        region_id=ctx.province.pk if ctx.province else None,
    )
    return created


def _bulk_delete(queryset: models.QuerySet[Any], province: Region | None) -> int:
    # A raw delete: the collector would load every row and send a signal each, so 50,000 users would
    # become 50,000 audit entries. One entry states the bulk delete instead.
    count = queryset._raw_delete(queryset.db) or 0  # None when the filter can match nothing
    if count:
        record(
            action="bulk_delete",
            target_type=queryset.model._meta.label_lower,
            changes={"count": count, "reason": "gen-data --replace"},
            region_id=province.pk if province else None,
        )
    return count


def _subtree(province: Region | None, field_name: str) -> Q:
    return Q(**{f"{field_name}__startswith": province.path}) if province else Q(pk__in=[])


class RegionStage:
    name = "regions"

    def generate(self, ctx: Context) -> dict[str, int]:
        rng = ctx.rng(self.name)
        names = place_names(rng)
        scale = ctx.scale
        with transaction.atomic():
            province = Region(name=ctx.province_name, level=RegionLevel.PROVINCE, code=ctx.province_code)
            ctx.province = province
            self._insert_level(ctx, [province])

            ctx.cities = [
                Region(
                    name=next(names) + "市",
                    level=RegionLevel.CITY,
                    parent=province,
                    code=f"{ctx.code}{i:02d}00",
                )
                for i in range(1, scale.cities + 1)
            ]
            self._insert_level(ctx, ctx.cities)

            counties: list[County] = []
            per_city = _split(rng, scale.counties, scale.cities, scale.min_counties_per_city)
            for city, count in zip(ctx.cities, per_city, strict=True):
                # About a third are urban districts (区, codes from 02), the rest counties (县, codes
                # from 21), as division codes number them.
                districts = max(1, round(count * 0.35))
                for k in range(count):
                    suffix, number = ("区", 2 + k) if k < districts else ("县", 21 + k - districts)
                    region = Region(
                        name=next(names) + suffix, level=RegionLevel.COUNTY, parent=city,
                        code=f"{city.code[:4]}{number:02d}",
                    )  # fmt: skip
                    counties.append(County(region, suffix))
            ctx.counties = counties
            self._insert_level(ctx, [c.region for c in counties])

            towns: list[Region] = []
            for county in counties:
                towns_here = rng.randint(*scale.towns_per_county)
                # Every county has at least one street office (the county seat) and one town.
                streets = max(
                    1, min(towns_here - 1, round(towns_here * (0.7 if county.suffix == "区" else 0.15)))
                )
                for t in range(towns_here):
                    if t < streets:
                        suffix, number = "街道", 1 + t
                    elif county.suffix == "县" and t >= towns_here - 2 and towns_here > 3:
                        suffix, number = "乡", 201 + t
                    else:
                        suffix, number = "镇", 101 + t
                    town = Region(
                        name=next(names) + suffix, level=RegionLevel.TOWN, parent=county.region,
                        code=f"{county.region.code}{number:03d}000",
                    )  # fmt: skip
                    county.towns.append(town)
                    towns.append(town)
            self._insert_level(ctx, towns)
        return {Region._meta.label_lower: 1 + len(ctx.cities) + len(counties) + len(towns)}

    def _insert_level(self, ctx: Context, regions: list[Region]) -> None:
        _bulk_create(Region, regions, ctx, level=regions[0].level)
        ids = [region.pk for region in regions]
        # The same path Region.save() derives ("/1/7/42/"), set for a whole level in one UPDATE. It is derived
        # data the audit ignores (Region.AUDIT_IGNORED_FIELDS), as it does when save() writes it.
        if regions[0].parent_id is None:
            prefix: Any = Value("/")
        else:
            prefix = Subquery(Region.objects.filter(pk=OuterRef("parent_id")).values("path")[:1])
        Region.objects.filter(pk__in=ids).update(
            path=Concat(prefix, Cast("pk", CharField()), Value("/"), output_field=CharField())
        )
        paths = dict(Region.objects.filter(pk__in=ids).values_list("pk", "path"))
        for region in regions:
            region.path = paths[region.pk]

    def delete(self, province: Region | None, user_prefix: str) -> dict[str, int]:
        # One statement: the parent foreign key is checked at commit, when the whole subtree is gone.
        return {
            Region._meta.label_lower: _bulk_delete(
                Region.objects.filter(_subtree(province, "path")), province
            )
        }


def _split(rng: random.Random, total: int, parts: int, minimum: int) -> list[int]:
    """`total` split into `parts` counts of at least `minimum`, unevenly, as cities differ in size."""
    counts = [minimum] * parts
    for index in rng.choices(range(parts), k=total - minimum * parts):
        counts[index] += 1
    return counts


class UnitStage:
    name = "units"

    def generate(self, ctx: Context) -> dict[str, int]:
        rng = ctx.rng(self.name)
        units: list[Unit] = []
        area_codes = {city.pk: f"0{rng.randrange(300, 1000)}" for city in ctx.cities}

        def unit(region: Region, name: str, kind: str, order: int, enforcement: bool, decision: bool) -> Unit:
            city_id = region.ancestor_ids[1]
            phone = f"{area_codes[city_id]}-{rng.randrange(2_000_000, 9_000_000)}"
            return Unit(
                region=region, name=name, kind=kind, sort_order=order * 10, phone=phone,
                is_enforcement_body=enforcement, is_decision_body=decision,
            )  # fmt: skip

        for county in ctx.counties:
            slots = ctx.scale.units_per_county - TOWN_UNITS_PER_TOWN * len(county.towns)
            if not MIN_COUNTY_UNITS <= slots <= len(COUNTY_UNITS):
                raise ValueError(f"{county.region.name}: {slots} county-level units do not fit the catalogue")
            c, s = county.region.name, county.suffix
            for order, (template, kind, enforcement, decision) in enumerate(COUNTY_UNITS[:slots]):
                county.units.append(
                    unit(county.region, template.format(c=c, s=s), kind, order, enforcement, decision)
                )
            for town in county.towns:
                base = town.name
                for suffix in ("街道", "镇", "乡"):
                    base = base.removesuffix(suffix)
                if town.name.endswith("街道"):
                    own = (town.name + "办事处", UnitKind.STREET_OFFICE)
                else:
                    own = (town.name + "人民政府", UnitKind.TOWN)
                # Since the 2021 行政处罚法 towns and street offices may exercise delegated enforcement.
                county.units += [
                    unit(town, *own, 0, True, False),
                    unit(town, base + "司法所", _OTHER, 1, False, False),
                    unit(town, base + "派出所", _OTHER, 2, True, False),
                ]
            units.extend(county.units)
        with transaction.atomic():
            _bulk_create(Unit, units, ctx)
        return {Unit._meta.label_lower: len(units)}

    def delete(self, province: Region | None, user_prefix: str) -> dict[str, int]:
        return {
            Unit._meta.label_lower: _bulk_delete(
                Unit.objects.filter(_subtree(province, "region__path")), province
            )
        }


class DirectoryStage:
    """The collective names plans use (各行政执法单位, 区直各单位各部门 …) and the aliases of units."""

    name = "directory"

    def generate(self, ctx: Context) -> dict[str, int]:
        groups: list[UnitGroup] = []
        listed: list[tuple[UnitGroup, Unit]] = []
        aliases: list[Alias] = []
        county_kinds = [_GOV, _DEPT, _PARTY, UnitKind.COURT, UnitKind.PROCURATORATE, _OTHER]
        for county in ctx.counties:
            region, s = county.region, county.suffix
            groups += [
                UnitGroup(
                    region=region,
                    name="各行政执法单位",
                    flags=["is_enforcement_body"],
                    include_subregions=True,
                ),
                UnitGroup(
                    region=region, name="各决策承办单位", flags=["is_decision_body"], include_subregions=True
                ),
                direct := UnitGroup(region=region, name=f"{s}直各单位各部门", kinds=county_kinds),
                UnitGroup(region=region, name=f"{s}政府各部门", kinds=[_GOV, _DEPT]),
                UnitGroup(
                    region=region,
                    name="各街道办事处",
                    kinds=[UnitKind.STREET_OFFICE],
                    include_subregions=True,
                ),
                UnitGroup(
                    region=region, name="各乡镇人民政府", kinds=[UnitKind.TOWN], include_subregions=True
                ),
                leading := UnitGroup(
                    region=region, name=f"{s}法治政府建设领导小组成员单位", note="成员单位名单"
                ),
            ]
            county_units = [u for u in county.units if u.region_id == region.pk]
            listed.extend((leading, county_units[i]) for i in LEADING_GROUP if i < len(county_units))

            for name, index, valid_from in UNIT_ALIASES:
                if index < len(county_units):
                    aliases.append(
                        Alias(
                            region=region,
                            name=name.format(s=s),
                            unit=county_units[index],
                            valid_from=valid_from,
                        )
                    )
            aliases.append(Alias(region=region, name=f"{s}直各部门", group=direct))
        with transaction.atomic():
            _bulk_create(UnitGroup, groups, ctx)
            through = UnitGroup.members.through
            members = [through(unitgroup_id=g.pk, unit_id=u.pk) for g, u in listed]
            _bulk_create(through, members, ctx)
            _bulk_create(Alias, aliases, ctx)
        return {
            UnitGroup._meta.label_lower: len(groups),
            through._meta.label_lower: len(members),
            Alias._meta.label_lower: len(aliases),
        }

    def delete(self, province: Region | None, user_prefix: str) -> dict[str, int]:
        through = UnitGroup.members.through
        listed = through.objects.filter(
            _subtree(province, "unit__region__path") | _subtree(province, "unitgroup__region__path")
        )
        return {
            Alias._meta.label_lower: _bulk_delete(
                Alias.objects.filter(_subtree(province, "region__path")), province
            ),
            through._meta.label_lower: _bulk_delete(listed, province),
            UnitGroup._meta.label_lower: _bulk_delete(
                UnitGroup.objects.filter(_subtree(province, "region__path")), province
            ),
        }


RoleSpec = tuple[Role, Region | None, Unit | None]


class PeopleStage:
    """Accounts and roles: per unit a head and a liaison officer (and more in larger units), per region its
    office coordinators and leaders, and a few system administrators."""

    name = "people"

    def generate(self, ctx: Context) -> dict[str, int]:
        rng = ctx.rng(self.name)
        scale = ctx.scale
        assert ctx.province is not None
        regions_by_level = [
            ("province", [ctx.province]),
            ("city", ctx.cities),
            ("county", [c.region for c in ctx.counties]),
        ]
        region_staff = scale.admins + sum(
            sum(scale.staff[lvl]) * len(regions) for lvl, regions in regions_by_level
        )
        units = [unit for county in ctx.counties for unit in county.units]
        extras = scale.users - region_staff - 2 * len(units)
        if extras < 0:
            raise ValueError(
                f"{scale.users} users cannot staff {len(units)} units and {region_staff} offices"
            )
        # Larger units (government offices, departments, towns) get more of the extra staff.
        weight: dict[str, int] = {_GOV: 3, _DEPT: 3, UnitKind.TOWN: 2, UnitKind.STREET_OFFICE: 2}
        weights = [weight.get(unit.kind, 1) for unit in units]
        extra_by_unit = Counter(rng.choices(range(len(units)), weights=weights, k=extras))

        buffer = _PeopleBuffer(ctx)
        for n in range(1, scale.admins + 1):
            buffer.add(f"{ctx.user_prefix}admin{n}", rng, [(Role.ADMIN, None, None)], staff=True)
        justice = {county.region.pk: county.units[1] for county in ctx.counties}
        for level, regions in regions_by_level:
            coordinators, leaders = scale.staff[level]
            for region in regions:
                for n in range(1, coordinators + 1):
                    roles: list[RoleSpec] = [(Role.COORDINATOR, region, None)]
                    if n == 1 and region.pk in justice:
                        # The rule-of-law office sits in the justice bureau: its first coordinator is that
                        # bureau's liaison officer as well.
                        roles.append((Role.LIAISON, None, justice[region.pk]))
                    buffer.add(f"{ctx.user_prefix}{region.code}-coord{n}", rng, roles)
                for n in range(1, leaders + 1):
                    buffer.add(
                        f"{ctx.user_prefix}{region.code}-leader{n}", rng, [(Role.LEADER, region, None)]
                    )
        position = 0
        for county in ctx.counties:
            for number, unit in enumerate(county.units, start=1):
                stem = f"{ctx.user_prefix}{county.region.code}-u{number:03d}"
                heads, liaisons = 1, 1
                for _extra in range(extra_by_unit[position]):
                    # Deputy heads answer for the unit too; the rest report as liaison officers.
                    if rng.random() < 0.25:
                        heads += 1
                    else:
                        liaisons += 1
                for n in range(1, heads + 1):
                    buffer.add(f"{stem}-head{n}", rng, [(Role.UNIT_HEAD, None, unit)])
                for n in range(1, liaisons + 1):
                    buffer.add(f"{stem}-liaison{n}", rng, [(Role.LIAISON, None, unit)])
                position += 1
        buffer.flush()
        ctx.samples.update(buffer.samples)
        return {
            User._meta.label_lower: buffer.users_written,
            RoleAssignment._meta.label_lower: buffer.roles_written,
        }

    def delete(self, province: Region | None, user_prefix: str) -> dict[str, int]:
        generated = Q(username__startswith=user_prefix)
        roles = RoleAssignment.objects.filter(
            Q(user__username__startswith=user_prefix)
            | _subtree(province, "region__path")
            | _subtree(province, "unit__region__path")
        )
        return {
            RoleAssignment._meta.label_lower: _bulk_delete(roles, province),
            User._meta.label_lower: _bulk_delete(User.objects.filter(generated), province),
        }


class _PeopleBuffer:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.users: list[User] = []
        self.roles: list[list[RoleSpec]] = []
        self.users_written = self.roles_written = 0
        self.samples: dict[str, str] = {}

    def add(self, username: str, rng: random.Random, roles: list[RoleSpec], staff: bool = False) -> None:
        if len(self.users) >= PEOPLE_FLUSH:
            self.flush()
        user = User(
            username=username, password=self.ctx.password_hash, full_name=person_name(rng), phone=mobile(rng),
            is_staff=staff, is_superuser=staff,
        )  # fmt: skip
        self.users.append(user)
        self.roles.append(roles)
        role, region, _unit = roles[0]
        self.samples.setdefault(f"{role} {region.level}" if region else str(role), username)

    def flush(self) -> None:
        if not self.users:
            return
        with transaction.atomic():
            _bulk_create(User, self.users, self.ctx)
            assignments = [
                RoleAssignment(user_id=user.pk, role=role, region=region, unit=unit)
                for user, roles in zip(self.users, self.roles, strict=True)
                for role, region, unit in roles
            ]
            _bulk_create(RoleAssignment, assignments, self.ctx)
        self.users_written += len(self.users)
        self.roles_written += len(assignments)
        self.users, self.roles = [], []


# --- plans, rounds and reports ------------------------------------------------------------------------------

_NUMERALS = "一二三四五六七八九十"
# Rounds the office opens by hand for every task (name, month, day), as many as the scale's average asks.
MANUAL_ROUNDS = (
    ("一季度重点任务督查", 4, 10),
    ("上半年重点任务督查", 7, 10),
    ("三季度重点任务督查", 10, 10),
    ("年度考核前督查", 11, 25),
    ("年中专项督查", 6, 5),
)


def _label(n: int) -> str:
    return _NUMERALS[n - 1] if n <= 10 else f"十{_NUMERALS[n - 11]}" if n < 20 else str(n)


@contextlib.contextmanager
def _given_times(*fields: Any) -> Iterator[None]:
    """Keep the times the generator sets on auto_now(_add) fields: the threads happened in the past."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add


class _Timing(NamedTuple):
    text: str
    recurrence: str
    deadlines: list[Any]


class PlanStage:
    """Each county's published plan: areas, sub-areas and tasks from plan_texts, each task assigned to one
    unit as its lead (a TaskUnit row saying so), its recurrence and deadlines read from its text by the same
    docparse functions an imported plan goes through."""

    name = "plans"

    def generate(self, ctx: Context) -> dict[str, int]:
        rng = ctx.rng(self.name)
        counts: Counter[str] = Counter()
        timings: dict[str, _Timing] = {}
        pending: list[tuple[County, Plan]] = []
        for county in ctx.counties:
            pending.append((county, self._plan(ctx, county, rng)))
            if len(pending) >= PLAN_FLUSH:
                self._flush(ctx, pending, rng, timings, counts)
        self._flush(ctx, pending, rng, timings, counts)
        return dict(counts)

    def _plan(self, ctx: Context, county: County, rng: random.Random) -> Plan:
        year, name = ctx.year, county.region.name
        issued = date(year, 1, rng.randint(10, 28))
        return Plan(
            region=county.region, year=year, status=PlanStatus.PUBLISHED,
            title=f"{name}{year}年法治政府建设工作要点任务分工方案", issuer=f"{name}人民政府办公室",
            doc_number=f"{name[:2]}政办发〔{year}〕{rng.randint(1, 30)}号", issued_on=issued,
            published_at=datetime.combine(issued, clock(10), ZoneInfo(settings.TIME_ZONE)),
        )  # fmt: skip

    def _flush(
        self,
        ctx: Context,
        pending: list[tuple[County, Plan]],
        rng: random.Random,
        timings: dict[str, _Timing],
        counts: Counter[str],
    ) -> None:
        if not pending:
            return
        scale = ctx.scale
        _bulk_create(Plan, [plan for _c, plan in pending], ctx)
        counts[Plan._meta.label_lower] += len(pending)
        areas: list[Task] = []
        subareas: list[tuple[Task, Task, SubArea]] = []
        for _county, plan in pending:
            for a, area in enumerate(plan_texts.AREAS[: scale.areas], start=1):
                areas.append(Task(plan=plan, kind=TaskKind.AREA, path=[f"{_label(a)}、"], title=area.title))
        _bulk_create(Task, areas, ctx)
        by_plan: dict[int, list[Task]] = defaultdict(list)
        for task in areas:
            by_plan[task.plan_id].append(task)
        for _county, plan in pending:
            for area_task, area in zip(by_plan[plan.pk], plan_texts.AREAS, strict=False):
                for s, sub in enumerate(area.subareas[: scale.subareas], start=1):
                    row = Task(plan=plan, parent=area_task, kind=TaskKind.AREA, path=[f"（{_label(s)}）"],
                               title=sub.title)  # fmt: skip
                    subareas.append((area_task, row, sub))
        _bulk_create(Task, [row for _a, row, _s in subareas], ctx)
        counts[Task._meta.label_lower] += len(areas) + len(subareas)

        weights = [t.weight for t in plan_texts.TIMINGS]
        tasks: list[Task] = []
        owners: list[tuple[Unit, str, Deadline | None]] = []
        subs_by_plan: dict[int, list[tuple[Task, Task, SubArea]]] = defaultdict(list)
        for entry in subareas:
            subs_by_plan[entry[1].plan_id].append(entry)
        for county, plan in pending:
            subs = subs_by_plan[plan.pk]
            n_tasks = scale.plan_rows - len(subs) - len(by_plan[plan.pk])
            per_sub = [n_tasks // len(subs) + (1 if i < n_tasks % len(subs) else 0) for i in range(len(subs))]
            position = 0
            for area_task in by_plan[plan.pk]:
                area_task.position = position = position + 1
                for (parent_area, sub_task, sub), count in zip(subs, per_sub, strict=True):
                    if parent_area is not area_task:
                        continue
                    sub_task.position = position = position + 1
                    for n in range(1, count + 1):
                        text = sub.tasks[(n - 1) % len(sub.tasks)]
                        clause = plan_texts.fill(rng.choices(plan_texts.TIMINGS, weights)[0].text, rng)
                        timing = timings.get(clause)
                        if timing is None:
                            timing = timings[clause] = _Timing(
                                clause, find_recurrence(clause) or "", find_deadlines(clause, ctx.year)
                            )
                        unit = _owner(county, text.who, rng)
                        due = next((d for d in timing.deadlines if d.date), None)
                        deadline = Deadline(text=due.text, due_date=due.date) if due else None
                        position += 1
                        body = plan_texts.fill(text.text, rng) + clause + "。"
                        tasks.append(Task(
                            plan=plan, parent=sub_task, kind=TaskKind.TASK, path=[f"{n}."], position=position,
                            text=body, recurrence=timing.recurrence,
                        ))  # fmt: skip
                        owners.append((unit, unit.name, deadline))
        Task.objects.bulk_update(
            [row for _a, row, _s in subareas] + areas, ["position"], batch_size=BATCH_SIZE
        )
        _bulk_create(Task, tasks, ctx)
        counts[Task._meta.label_lower] += len(tasks)
        assignments, named, deadlines = [], [], []
        for task, (unit, written, deadline) in zip(tasks, owners, strict=True):
            assignments.append(Assignment(task=task, unit=unit, role=UnitRole.LEAD))
            named.append(TaskUnit(task=task, name=written, role=UnitRole.LEAD, resolution=Resolution.UNIT,
                                  unit=unit))  # fmt: skip
            if deadline is not None:
                deadline.task = task
                deadlines.append(deadline)
        for model, rows in ((Assignment, assignments), (TaskUnit, named), (Deadline, deadlines)):
            _bulk_create(model, rows, ctx)
            counts[model._meta.label_lower] += len(rows)
        ctx.plans.extend(pending)
        pending.clear()

    def delete(self, province: Region | None, user_prefix: str) -> dict[str, int]:
        where = _subtree(province, "task__plan__region__path")
        plans = Plan.objects.filter(_subtree(province, "region__path"))
        return {
            Deadline._meta.label_lower: _bulk_delete(Deadline.objects.filter(where), province),
            TaskUnit._meta.label_lower: _bulk_delete(TaskUnit.objects.filter(where), province),
            Target._meta.label_lower: _bulk_delete(Target.objects.filter(where), province),
            Assignment._meta.label_lower: _bulk_delete(Assignment.objects.filter(where), province),
            PlanImport._meta.label_lower: _bulk_delete(
                PlanImport.objects.filter(_subtree(province, "region__path")), province
            ),
            Task._meta.label_lower: _bulk_delete(
                Task.objects.filter(_subtree(province, "plan__region__path")), province
            ),
            Plan._meta.label_lower: _bulk_delete(plans, province),
        }


def _owner(county: County, who: str, rng: random.Random) -> Unit:
    units = county.units
    here = [u for u in units if u.region_id == county.region.pk]
    if who == "office":
        return here[0]
    if who.startswith("name:"):
        ending = who.removeprefix("name:")
        return next((u for u in units if u.name.endswith(ending)), here[1])
    pools = {
        "enforcement": [u for u in units if u.is_enforcement_body],
        "decision": [u for u in units if u.is_decision_body],
        "dept": [u for u in here if u.kind in (_GOV, _DEPT)],
        "town": [u for u in units if u.kind in (UnitKind.TOWN, UnitKind.STREET_OFFICE)],
        "any": units,
    }
    pool = pools.get(who) or [here[1]]  # "justice", or a pool the county lacks: the justice bureau
    return rng.choice(pool)


class ReportStage:
    """Each plan's reporting rounds, as `fazhi.supervision.rounds` opens them on publication (plus the
    office's own rounds for every task), and every report with its review thread as of `ctx.now`.

    Bulk inserts bypass the per-row audit and the workflow's `transition`; the threads are built so the
    invariants hold all the same: a report's status is the `to_status` of its last step, the first step starts
    from `pending`, each step's `from_status` is the previous step's `to_status`, steps lie between the plan's
    publication and `ctx.now`, and submitted_at / first_submitted_at / accepted_at / times_returned agree
    with the steps."""

    name = "reports"

    def generate(self, ctx: Context) -> dict[str, int]:
        rng = ctx.rng(self.name)
        counts: Counter[str] = Counter()
        users = dict(User.objects.filter(username__startswith=ctx.user_prefix).values_list("username", "pk"))
        for county, plan in ctx.plans:
            liaisons = {
                unit.pk: users.get(f"{ctx.user_prefix}{county.region.code}-u{number:03d}-liaison1")
                for number, unit in enumerate(county.units, start=1)
            }
            reviewer = users.get(f"{ctx.user_prefix}{county.region.code}-coord1")
            specs = plan_rounds(plan)
            per_assignment = sum(len(s.task_ids) for s in specs) / max(1, len(specs[-1].task_ids))
            extra = max(0, round(ctx.scale.reports_per_assignment - per_assignment))
            all_tasks = specs[-1].task_ids  # the year-end round covers every task
            calculator = DueDateCalculator(county.region)
            rounds: list[tuple[Round, Any, set[int]]] = []
            for spec in specs:
                dates = calculator.dates(spec.due)
                round_ = Round(plan=plan, kind=spec.kind, name=spec.name, period_end=spec.due,
                               due_date=dates.due)  # fmt: skip
                rounds.append((round_, dates, spec.task_ids))
            for name, month, day in MANUAL_ROUNDS[:extra]:
                due = date(plan.year, month, day)
                dates = calculator.dates(due)
                round_ = Round(
                    plan=plan, kind=RoundKind.MANUAL, name=name, period_end=due, due_date=dates.due,
                    opened_by_id=reviewer,
                )  # fmt: skip
                rounds.append((round_, dates, all_tasks))
            _bulk_create(Round, [r for r, _d, _t in rounds], ctx, plan=plan.pk)
            counts[Round._meta.label_lower] += len(rounds)
            assignments = list(
                Assignment.objects.filter(task__plan=plan).values_list("pk", "task_id", "unit_id")
            )
            builder = _ThreadBuilder(ctx, rng, plan, liaisons, reviewer)
            for round_, dates, task_ids in rounds:
                for assignment_id, task_id, unit_id in assignments:
                    if task_id in task_ids:
                        builder.add(round_, dates, assignment_id, task_id, unit_id)
            builder.flush()
            counts[Report._meta.label_lower] += builder.reports_written
            counts[ReportEvent._meta.label_lower] += builder.events_written
        return dict(counts)

    def delete(self, province: Region | None, user_prefix: str) -> dict[str, int]:
        reports = Q(report__plan__region__path__startswith=province.path) if province else Q(pk__in=[])
        notices = SupervisionNotice.objects.filter(_subtree(province, "region__path"))
        generated = Q(notification__recipient__username__startswith=user_prefix)
        return {
            Delivery._meta.label_lower: _bulk_delete(Delivery.objects.filter(generated), province),
            Notification._meta.label_lower: _bulk_delete(
                Notification.objects.filter(recipient__username__startswith=user_prefix), province
            ),
            "supervision.supervisionnotice_reports": _bulk_delete(
                SupervisionNotice.reports.through.objects.filter(
                    _subtree(province, "supervisionnotice__region__path")
                ),
                province,
            ),
            SupervisionNotice._meta.label_lower: _bulk_delete(notices, province),
            ScoreAdjustment._meta.label_lower: _bulk_delete(
                ScoreAdjustment.objects.filter(_subtree(province, "region__path")), province
            ),
            ReportEvent._meta.label_lower: _bulk_delete(ReportEvent.objects.filter(reports), province),
            TargetValue._meta.label_lower: _bulk_delete(TargetValue.objects.filter(reports), province),
            Evidence._meta.label_lower: _bulk_delete(Evidence.objects.filter(reports), province),
            Report._meta.label_lower: _bulk_delete(
                Report.objects.filter(_subtree(province, "plan__region__path")), province
            ),
            Round._meta.label_lower: _bulk_delete(
                Round.objects.filter(_subtree(province, "plan__region__path")), province
            ),
            SupervisionRules._meta.label_lower: _bulk_delete(
                SupervisionRules.objects.filter(_subtree(province, "region__path")), province
            ),
            CalendarDay._meta.label_lower: _bulk_delete(
                CalendarDay.objects.filter(_subtree(province, "region__path")), province
            ),
        }


S = ReportStatus


class _ThreadBuilder:
    """Reports and their threads, inserted REPORT_FLUSH reports at a time so memory stays flat."""

    def __init__(
        self,
        ctx: Context,
        rng: random.Random,
        plan: Plan,
        liaisons: dict[int, int | None],
        reviewer: int | None,
    ) -> None:
        self.ctx, self.rng, self.plan = ctx, rng, plan
        self.liaisons, self.reviewer = liaisons, reviewer
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.start = plan.published_at or ctx.now
        self.reports: list[Report] = []
        self.threads: list[list[ReportEvent]] = []
        self.reports_written = self.events_written = 0

    def _moment(self, day: date) -> datetime:
        return datetime.combine(day, clock(self.rng.randint(8, 17), self.rng.randrange(60)), self.zone)

    def add(self, round_: Round, dates: Any, assignment_id: int, task_id: int, unit_id: int) -> None:
        rng, now = self.rng, self.ctx.now
        report = Report(
            assignment_id=assignment_id, round=round_, unit_id=unit_id, task_id=task_id, plan=self.plan,
            due_date=dates.due, remind_date=dates.remind, red_date=dates.red, updated_at=self.start,
        )  # fmt: skip
        # The intended path; the thread stops at ctx.now, which decides where each report stands.
        draw = rng.random()
        late = rng.random() < 0.12
        returned = rng.random() < 0.15
        abandon = draw > 0.93  # never handed in: overdue once past the due date
        submit_day = dates.due + timedelta(days=rng.randint(1, 12) if late else -rng.randint(0, 8))
        liaison = self.liaisons.get(unit_id)
        text = "".join(plan_texts.fill(p, rng) for p in rng.sample(plan_texts.PROGRESS, 2))
        steps: list[tuple[datetime, str, str, str, int | None, str]] = []
        status: str = S.PENDING
        if rng.random() < 0.4 or abandon:
            steps.append((self._moment(submit_day - timedelta(days=rng.randint(1, 5))), EventKind.SAVED,
                          status, ReportStatus.DRAFT, liaison, ""))  # fmt: skip
            status = ReportStatus.DRAFT
        if not abandon or draw > 0.97:
            steps.append(
                (self._moment(submit_day), EventKind.SUBMITTED, status, ReportStatus.SUBMITTED, liaison, "")
            )
            day = submit_day
            if returned:
                day += timedelta(days=rng.randint(1, 4))
                comment = rng.choice(plan_texts.RETURN_COMMENTS)
                steps.append(
                    (self._moment(day), EventKind.RETURNED, S.SUBMITTED, S.RETURNED, self.reviewer, comment)
                )
                if not abandon:
                    day += timedelta(days=rng.randint(1, 6))
                    steps.append((self._moment(day), EventKind.SUBMITTED, ReportStatus.RETURNED,
                                  ReportStatus.SUBMITTED, liaison, ""))  # fmt: skip
            if not abandon and rng.random() < 0.92:
                day += timedelta(days=rng.randint(1, 7))
                comment = rng.choice(plan_texts.ACCEPT_COMMENTS)
                steps.append(
                    (self._moment(day), EventKind.ACCEPTED, S.SUBMITTED, S.ACCEPTED, self.reviewer, comment)
                )
        thread: list[ReportEvent] = []
        status = S.PENDING
        for at, kind, before, after, actor, comment in steps:
            if at > now:
                break
            at = max(at, self.start)
            if kind == EventKind.SAVED or (kind == EventKind.SUBMITTED and before != ReportStatus.RETURNED):
                report.text = text
                progress = (
                    Progress.DONE
                    if dates.due < self.ctx.today and rng.random() < 0.6
                    else Progress.IN_PROGRESS
                )
                report.progress = progress
            elif kind == EventKind.SUBMITTED:
                report.text = text + rng.choice(plan_texts.REVISIONS)
            if kind == EventKind.SUBMITTED:
                report.submitted_at = at
                report.first_submitted_at = report.first_submitted_at or at
            elif kind == EventKind.RETURNED:
                report.times_returned += 1
            elif kind == EventKind.ACCEPTED:
                report.accepted_at = at
                report.quality = rng.choice((3, 4, 4, 5, 5))
            snapshot = {"progress": report.progress, "text": report.text, "values": {}, "evidence": []}
            thread.append(ReportEvent(kind=kind, from_status=before, to_status=after, actor_id=actor,
                                      comment=comment, snapshot=snapshot, at=at))  # fmt: skip
            status = after
            report.updated_at = at
        report.status = status
        self.reports.append(report)
        self.threads.append(thread)
        if len(self.reports) >= REPORT_FLUSH:
            self.flush()

    def flush(self) -> None:
        if not self.reports:
            return
        with _given_times(Report._meta.get_field("updated_at"), ReportEvent._meta.get_field("at")):
            _bulk_create(Report, self.reports, self.ctx)
            events = []
            for report, thread in zip(self.reports, self.threads, strict=True):
                for event in thread:
                    event.report = report
                    events.append(event)
            _bulk_create(ReportEvent, events, self.ctx)
        self.reports_written += len(self.reports)
        self.events_written += len(events)
        self.reports, self.threads = [], []


# --- enforcement cases --------------------------------------------------------------------------------------

CASE_FLUSH = 5000  # cases built and inserted at a time, with their steps
OFFICERS_PER_BODY = 8  # the last one a legal reviewer (above the default 5% ratio)
# (kind, share of the cases, number prefix); shares as the yearly statistics of a typical province show them.
CASE_MIX = (
    ("inspection", 0.35, "检"), ("penalty_simple", 0.25, "简罚"), ("penalty_ordinary", 0.30, "罚"),
    ("coercion", 0.10, "强"),
)  # fmt: skip
MAJOR_SHARE = 0.10  # of ordinary penalties and coercive measures


class CaseStage:
    """Officers, powers and discretion standards of every enforcement body, then a year of cases with steps.

    Works from the database (the province's enforcement bodies), so it can also run on its own on a province
    generated earlier (`add_stage`). Every generated case follows the workflow table and would pass the
    guards of fazhi.enforcement.actions: two certified officers of the body investigate, a major decision has
    a passed review by the body's legal reviewer and a collective discussion, decisions come 20 days after the
    notice (after the hearing window) or, in the simplified procedure, after the party's waiver, and fines lie
    inside the discretion standard or carry a reason.
    """

    name = "cases"

    def generate(self, ctx: Context) -> dict[str, int]:
        from fazhi.enforcement.models import DiscretionStandard, Officer, Power

        assert ctx.province is not None
        rng = ctx.rng(self.name)
        counties = list(
            Region.objects.filter(path__startswith=ctx.province.path, level=RegionLevel.COUNTY).order_by(
                "path"
            )
        )
        bodies_by_county: dict[int, list[Unit]] = defaultdict(list)
        county_paths = [(c.path, c.pk) for c in counties]
        bodies = Unit.objects.filter(
            region__path__startswith=ctx.province.path, is_enforcement_body=True, is_active=True
        ).select_related("region")
        for body in bodies.order_by("pk"):
            for path, pk in county_paths:
                if body.region.path.startswith(path):
                    bodies_by_county[pk].append(body)
        authority = ctx.province_name + "人民政府"
        officers = [
            Officer(
                unit=body,
                name=person_name(rng),
                certificate_number=f"{ctx.code}{body.pk:07d}{i:02d}",
                issuing_authority=authority,
                valid_from=date(2020, 1, 1),
                valid_to=date(2030, 12, 31),
                field=body.name,
                is_legal_reviewer=i == OFFICERS_PER_BODY - 1,
            )
            for county_bodies in bodies_by_county.values()
            for body in county_bodies
            for i in range(OFFICERS_PER_BODY)
        ]
        _bulk_create(Officer, officers, ctx)
        crew: dict[int, list[Officer]] = defaultdict(list)
        for officer in officers:
            crew[officer.unit_id].append(officer)
        kinds = (("penalty", "处罚"), ("penalty", "处罚"), ("coercion", "强制"), ("inspection", "检查"))
        powers = [
            Power(unit=body, code=f"{ctx.code}{body.pk:07d}{i}", name=f"{body.name}行政{word}事项{i}",
                  kind=kind, legal_basis="《中华人民共和国行政处罚法》")
            for county_bodies in bodies_by_county.values()
            for body in county_bodies
            for i, (kind, word) in enumerate(kinds)
        ]  # fmt: skip
        _bulk_create(Power, powers, ctx)
        by_body: dict[int, dict[str, list[Power]]] = defaultdict(lambda: defaultdict(list))
        for power in powers:
            by_body[power.unit_id][power.kind].append(power)
        standards = [
            DiscretionStandard(
                power=power,
                circumstance="一般情节",
                min_amount=500,
                max_amount=20000,
                effective_from=date(2020, 1, 1),
                filed_with_justice_bureau=date(2020, 1, 10),
            )
            for power in powers
            if power.kind == "penalty"
        ]
        _bulk_create(DiscretionStandard, standards, ctx)
        standard_of = {s.power_id: s for s in standards}
        writer = _CaseWriter(ctx, rng, crew, by_body, standard_of)
        for county in counties:
            county_bodies = bodies_by_county.get(county.pk, [])
            if not county_bodies:
                continue
            # Bigger bodies (市场监管, 城管, 公安) handle most cases: weights fall with the catalogue order.
            weights = [1 / (1 + i % 40) for i in range(len(county_bodies))]
            for body in rng.choices(county_bodies, weights, k=ctx.scale.cases_per_county):
                writer.add(body)
        writer.flush()
        return {
            Officer._meta.label_lower: len(officers), Power._meta.label_lower: len(powers),
            DiscretionStandard._meta.label_lower: len(standards), **writer.counts,
        }  # fmt: skip

    def delete(self, province: Region | None, user_prefix: str) -> dict[str, int]:
        from fazhi.enforcement.models import Case, CaseEvent, DiscretionStandard, LegalReview, Officer, Power

        here = _subtree(province, "case__unit__region__path")
        deleted = {}
        for queryset in (
            CaseEvent.officers.through.objects.filter(
                _subtree(province, "caseevent__case__unit__region__path")
            ),
            CaseEvent.objects.filter(here),
            LegalReview.objects.filter(here),
            Case.investigators.through.objects.filter(here),
            Case.objects.filter(_subtree(province, "unit__region__path")),
            DiscretionStandard.objects.filter(_subtree(province, "power__unit__region__path")),
            Power.objects.filter(_subtree(province, "unit__region__path")),
            Officer.objects.filter(_subtree(province, "unit__region__path")),
        ):
            deleted[queryset.model._meta.label_lower] = _bulk_delete(queryset, province)
        return deleted


class _CaseWriter:
    def __init__(
        self, ctx: Context, rng: random.Random, crew: dict[int, list[Any]],
        powers: dict[int, dict[str, list[Any]]], standards: dict[int, Any],
    ) -> None:  # fmt: skip
        from fazhi.enforcement.models import Case, CaseEvent, LegalReview

        self.ctx, self.rng, self.crew, self.powers, self.standards = ctx, rng, crew, powers, standards
        self.Case, self.CaseEvent, self.LegalReview = Case, CaseEvent, LegalReview
        self.year = ctx.year
        self.last_day = min(date(self.year, 12, 31), ctx.today - timedelta(days=1))
        self.span = (self.last_day - date(self.year, 1, 1)).days
        self.numbers: Counter[int] = Counter()
        self.counts: Counter[str] = Counter()
        self.pending: list[tuple[Any, list[tuple[Any, list[Any]]], list[Any], list[Any]]] = []

    def add(self, body: Unit) -> None:
        rng = self.rng
        kind, prefix = rng.choices([(k, p) for k, _share, p in CASE_MIX], [s for _k, s, _p in CASE_MIX])[0]
        self.numbers[body.pk] += 1
        major = kind in ("penalty_ordinary", "coercion") and rng.random() < MAJOR_SHARE
        natural = rng.random() < 0.4
        power_kind = {"inspection": "inspection", "coercion": "coercion"}.get(kind, "penalty")
        power = rng.choice(self.powers[body.pk][power_kind])
        case = self.Case(
            unit=body, kind=kind, number=f"{prefix}〔{self.year}〕{self.numbers[body.pk]}号", power=power,
            cause=power.name,
            party_name=(
                person_name(rng) if natural else f"{body.region.name}某{rng.randrange(1, 999)}号有限公司"
            ),
            party_type="natural" if natural else "legal",
            party_id_number=(
                f"{rng.randrange(10**17, 10**18)}" if natural else f"91{rng.randrange(10**15, 10**16)}X"
            ),
            party_phone=mobile(rng), is_major=major, status="registered",
            registered_on=date(self.year, 1, 1) + timedelta(days=rng.randrange(self.span + 1)),
        )  # fmt: skip
        team = self.crew[body.pk]
        investigators = rng.sample(team[:-1], 2)
        reviewer = team[-1]
        events: list[tuple[Any, list[Any]]] = []
        reviews: list[Any] = []
        day = case.registered_on
        # How far the case has come: most are decided by the end of the year, some still open.
        reach = rng.random()

        def step(name: str, to: str, on: date, officers: list[Any] = (), notes: str = "") -> bool:  # type: ignore[assignment]
            if on > self.last_day:
                return False
            event = self.CaseEvent(step=name, from_status=case.status, to_status=to, on=on, notes=notes)
            events.append((event, list(officers)))
            case.status = to
            field_name = _STEP_FIELDS.get(name)
            if field_name:
                setattr(case, field_name, on)
            return True

        step("register", "registered", day)
        if kind == "inspection":
            if (
                step("investigate", "investigating", day + timedelta(days=1), investigators)
                and reach < 0.85
                and step("close", "closed", day + timedelta(days=3))
                and reach < 0.5
            ):
                step("archive", "archived", day + timedelta(days=20))
        elif kind == "penalty_simple":
            ok = step("investigate", "investigating", day, investigators) and step("notify", "notified", day)
            ok = ok and step("waive", "notified", day, notes="当事人当场放弃陈述申辩")
            if ok and step("decide", "decided", day):
                case.penalty_amount = self._amount(power, case)
                if (
                    step("serve", "served", day)
                    and reach < 0.9
                    and step("execute", "executed", day + timedelta(days=rng.randrange(1, 15)))
                    and step("close", "closed", day + timedelta(days=16))
                    and reach < 0.6
                ):
                    step("archive", "archived", day + timedelta(days=30))
        else:
            ok = step("investigate", "investigating", day + timedelta(days=2), investigators)
            ok = ok and reach < 0.95 and step("notify", "notified", day + timedelta(days=20))
            if ok and major:
                if step(
                    "review_pass",
                    "reviewed",
                    day + timedelta(days=27),
                    [reviewer],
                    "事实清楚，证据确凿，适用依据正确",
                ):
                    reviews.append(
                        self.LegalReview(
                            reviewer=reviewer, result="passed", opinion="同意", on=day + timedelta(days=27)
                        )
                    )
                    ok = step("discuss", "discussed", day + timedelta(days=32), notes="集体讨论同意")
                else:
                    ok = False
            if ok and reach < 0.85 and step("decide", "decided", day + timedelta(days=40)):
                if kind == "penalty_ordinary":
                    case.penalty_amount = self._amount(power, case)
                if (
                    step("serve", "served", day + timedelta(days=42))
                    and reach < 0.7
                    and step("execute", "executed", day + timedelta(days=55))
                    and step("close", "closed", day + timedelta(days=60))
                    and reach < 0.4
                ):
                    step("archive", "archived", day + timedelta(days=75))
        self.pending.append((case, events, investigators if len(events) > 1 else [], reviews))
        if len(self.pending) >= CASE_FLUSH:
            self.flush()

    def _amount(self, power: Any, case: Any) -> Decimal:
        standard = self.standards[power.pk]
        case.discretion_standard = standard
        if self.rng.random() < 0.03:
            case.discretion_reason = "情节严重，经集体讨论从重处罚"
            return Decimal(30000)
        return Decimal(self.rng.randrange(5, 200) * 100)

    def flush(self) -> None:
        if not self.pending:
            return
        cases = _bulk_create(self.Case, [p[0] for p in self.pending], self.ctx)
        Investigators = self.Case.investigators.through
        links = [
            Investigators(case_id=c.pk, officer_id=o.pk) for c, _e, crew, _r in self.pending for o in crew
        ]
        _bulk_create(Investigators, links, self.ctx)
        events = []
        for case, steps, _crew, _reviews in self.pending:
            for event, _officers in steps:
                event.case = case
                events.append(event)
        _bulk_create(self.CaseEvent, events, self.ctx)
        EventOfficers = self.CaseEvent.officers.through
        involved = [
            EventOfficers(caseevent_id=event.pk, officer_id=o.pk)
            for _c, steps, _crew, _r in self.pending for event, officers in steps for o in officers
        ]  # fmt: skip
        _bulk_create(EventOfficers, involved, self.ctx)
        reviews = []
        for case, _steps, _crew, case_reviews in self.pending:
            for review in case_reviews:
                review.case = case
                reviews.append(review)
        _bulk_create(self.LegalReview, reviews, self.ctx)
        for model, rows in ((self.Case, cases), (Investigators, links), (self.CaseEvent, events),
                            (EventOfficers, involved), (self.LegalReview, reviews)):  # fmt: skip
            self.counts[model._meta.label_lower] += len(rows)
        self.pending = []


_STEP_FIELDS = {
    "register": "registered_on", "investigate": "investigated_on", "notify": "notified_on",
    "waive": "rights_waived_on", "review_pass": "reviewed_on", "discuss": "discussed_on",
    "decide": "decided_on",
    "serve": "served_on", "execute": "executed_on", "close": "closed_on", "archive": "archived_on",
}  # fmt: skip


# --- publications (公示) of decisions -----------------------------------------------------------------------

PUBLICATION_FLUSH = 5000  # publications built and inserted at a time
# How bodies keep the 公示 period (the office's overdue list needs some late and some missing): of the
# decisions published by now, most on time, some late; a few are never published; a few are withdrawn later.
ON_TIME_SHARE, LATE_SHARE = 0.90, 0.06  # the rest (4%) stays pending, overdue once its due day has passed
WITHDRAWN_SHARE = 0.005  # of the published ones: revoked on review or by a court


class PublicationStage:
    """The 公示 of every decided case whose kind is published where its body is: the pending row
    `publication.on_decided` makes (due by the PublicationRule in force, in working days on the region's
    calendar), and for most of them the masked text `publication.publish` freezes (through the same
    `preview` and `freeze`: the party's name, ID number and phone masked in the text too).

    The texts stand for the summary staff write for the public: the facts (what the party did, where, when,
    the evidence) and the decision (the provision broken, the one the penalty rests on, the penalty), from
    bench.publication_texts by the kind of body, with the case's cause, party and fine. Publications are
    inserted in the order the decisions were taken, as on_decided creates them. Works from the database, so it
    runs on a province generated before the stage existed (`add_stage("publications", …)`).
    """

    name = "publications"

    def generate(self, ctx: Context) -> dict[str, int]:
        from fazhi.enforcement.models import Case, Publication, PublicationRule

        assert ctx.province is not None
        rules = list(PublicationRule.objects.filter(publish=True))
        kinds = {rule.case_kind for rule in rules}
        decided = (
            Case.objects.filter(
                unit__region__path__startswith=ctx.province.path, decided_on__isnull=False, kind__in=kinds
            )
            .order_by("decided_on", "pk")
            .values_list("pk", flat=True)
        )
        ids = list(decided)
        bodies = {
            unit.pk: unit
            for unit in Unit.objects.filter(
                region__path__startswith=ctx.province.path, is_enforcement_body=True
            ).select_related("region__parent")
        }
        regions = {unit.region_id: unit.region for unit in bodies.values()}
        liaisons: dict[int, int] = {}
        for unit_id, user_id in (
            RoleAssignment.objects.filter(role=Role.LIAISON, unit_id__in=bodies)
            .order_by("-user__username")
            .values_list("unit_id", "user_id")
        ):
            liaisons[unit_id] = user_id  # the first liaison of each unit (last written wins)
        writer = _PublicationWriter(ctx, rules, calendars_for(regions.values()), bodies, liaisons)
        for start in range(0, len(ids), PUBLICATION_FLUSH):
            chunk = ids[start : start + PUBLICATION_FLUSH]
            cases = Case.objects.filter(pk__in=chunk).select_related("power").in_bulk()
            for pk in chunk:
                writer.add(cases[pk])
            writer.flush()
        return {Publication._meta.label_lower: writer.written}

    def delete(self, province: Region | None, user_prefix: str) -> dict[str, int]:
        from fazhi.enforcement.models import Publication

        found = Publication.objects.filter(_subtree(province, "unit__region__path"))
        return {Publication._meta.label_lower: _bulk_delete(found, province)}


class _PublicationWriter:
    def __init__(
        self, ctx: Context, rules: list[Any], calendars: dict[int, Any], bodies: dict[int, Unit],
        liaisons: dict[int, int],
    ) -> None:  # fmt: skip
        from fazhi.enforcement.models import Publication

        self.Publication = Publication
        self.ctx, self.rules, self.calendars, self.bodies, self.liaisons = (
            ctx,
            rules,
            calendars,
            bodies,
            liaisons,
        )
        self.rng = ctx.rng(PublicationStage.name)
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.pending: list[Any] = []
        self.written = 0
        self.withdrawals = 0

    def rule_for(self, kind: str, region: Region, on: date) -> Any:
        # As PublicationRule.for_case, from the rows loaded once: the nearest region's rule in force wins.
        depth = {pk: i for i, pk in enumerate(region.ancestor_ids)}
        rows = [
            rule for rule in self.rules
            if rule.case_kind == kind and (rule.region_id is None or rule.region_id in depth)
            and rule.effective_from <= on and (rule.effective_to is None or rule.effective_to >= on)
        ]  # fmt: skip
        rows.sort(key=lambda r: (-1 if r.region_id is None else depth[r.region_id], r.effective_from))
        return rows[-1] if rows else None

    def _at(self, day: date) -> datetime:
        return datetime.combine(day, clock(self.rng.randint(8, 17), self.rng.randrange(60)), self.zone)

    def add(self, case: Any) -> None:
        from fazhi.enforcement import masking, publication

        rng, today = self.rng, self.ctx.today
        body = self.bodies[case.unit_id]
        case.unit = body
        rule = self.rule_for(case.kind, body.region, case.decided_on)
        if rule is None:
            return
        calendar = self.calendars[body.region_id]
        item = self.Publication(
            case=case, unit_id=case.unit_id, rule=rule, case_kind=case.kind, decided_on=case.decided_on,
            due_on=publication.due_day(rule, case.decided_on, calendar),
        )  # fmt: skip
        self.pending.append(item)
        draw = rng.random()
        if draw < ON_TIME_SHARE:
            late = rng.randint(1, rule.days)
            if rule.working_days:
                day = calendar.add_workdays(case.decided_on, late)
            else:
                day = min(calendar.next_workday(case.decided_on + timedelta(days=late)), item.due_on)
        elif draw < ON_TIME_SHARE + LATE_SHARE:
            day = calendar.next_workday(item.due_on + timedelta(days=rng.randint(1, 30)))
        else:
            return  # never published: on the office's overdue list once due
        if day > today:
            return  # not yet
        publication.freeze(item, case, publication.preview(case, *self._texts(case)))
        item.status = "published"
        item.published_at = self._at(day)
        item.published_by_id = self.liaisons.get(case.unit_id)
        if rng.random() < WITHDRAWN_SHARE:
            withdrawn = calendar.next_workday(day + timedelta(days=rng.randint(30, 120)))
            if withdrawn <= today:
                item.status = "withdrawn"
                item.withdrawn_at = self._at(withdrawn)
                item.withdrawn_by_id = item.published_by_id
                item.withdrawal_note = masking.mask_text(
                    self._withdrawal_note(body, withdrawn), publication.party_of(case)
                )

    def _texts(self, case: Any) -> tuple[str, str]:
        """What staff write for the public: the facts and the decision, naming the party in full (the
        masking in `preview` is what hides the personal data, as when staff publish)."""
        rng = self.rng
        body = case.unit
        violation = rng.choice(publication_texts.sector_of(body.name))
        if case.party_type == "natural":
            party = f"当事人{case.party_name}（身份证号{case.party_id_number}，联系电话{case.party_phone}）"
        else:
            party = (
                f"当事人{case.party_name}（统一社会信用代码{case.party_id_number}，法定代表人"
                f"{person_name(rng)}，联系电话{case.party_phone}）"
            )
        place = f"{body.region.name}{rng.choice(publication_texts.ROADS)}{rng.randrange(1, 300)}号"
        inspected = case.investigated_on or case.registered_on
        facts = publication_texts.facts(rng, violation, party, place, f"{inspected:%Y年%-m月%-d日}")
        items = []
        simple = case.kind == "penalty_simple"
        if (case.penalty_amount is not None and case.penalty_amount <= 200) or rng.random() < 0.15:
            items.append("警告")
        if case.penalty_amount:
            items.append(f"罚款人民币{publication_texts.yuan(case.penalty_amount)}元")
        if not simple and rng.random() < 0.25:
            items.append(f"没收违法所得人民币{rng.randrange(2, 90) * 100}元")
        decision = publication_texts.decision(
            violation, case.cause, case.party_name, items or ["警告"], simple
        )
        return facts, decision

    def _withdrawal_note(self, body: Unit, on: date) -> str:
        self.withdrawals += 1
        county = body.region if body.region.level == RegionLevel.COUNTY else body.region.parent
        assert county is not None
        return self.rng.choice(publication_texts.WITHDRAWAL).format(
            county=county.name, year=on.year, n=self.withdrawals,
            court=f"{county.name}人民法院", court_code=f"{self.ctx.province_name[:1]}{county.code[2:]}",
        )  # fmt: skip

    def flush(self) -> None:
        if self.pending:
            _bulk_create(self.Publication, self.pending, self.ctx)
            self.written += len(self.pending)
        self.pending = []


def add_stage(stage_name: str, scale: Scale, province_name: str = DEFAULT_PROVINCE, code: str = DEFAULT_CODE,
              seed: int = 1, replace: bool = False) -> tuple[dict[str, int], float]:  # fmt: skip
    """Run one stage on a province generated earlier (e.g. `cases` on a province without cases).

    With `replace`, what an earlier run of that stage wrote is deleted first. Returns rows and seconds."""
    stage = next(s for s in STAGES if s.name == stage_name)
    province = Region.objects.get(
        parent=None, level=RegionLevel.PROVINCE, name=province_name, code=f"{code}0000"
    )
    started = time.perf_counter()
    with acting_as(None, "gen-data"):
        ctx = Context(scale, seed, province_name, code, password_hash="", province=province)
        with transaction.atomic():
            if replace:
                stage.delete(province, ctx.user_prefix)
            written = stage.generate(ctx)
    return written, time.perf_counter() - started


STAGES: list[Stage] = [
    RegionStage(), UnitStage(), DirectoryStage(), PeopleStage(), PlanStage(), ReportStage(), CaseStage(),
    PublicationStage(),
]  # fmt: skip


# --- entry point --------------------------------------------------------------------------------------------


@dataclass
class Result:
    scale: str
    seed: int
    province: str
    password: str
    rows: dict[str, int]
    stages: list[tuple[str, int, float]]  # name, rows, seconds
    seconds: float
    peak_rss_mb: float
    samples: dict[str, str]
    deleted: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        stages = [{"name": n, "rows": r, "seconds": round(s, 3)} for n, r, s in self.stages]
        return {
            "scale": self.scale, "seed": self.seed, "province": self.province, "password": self.password,
            "rows": self.rows, "stages": stages, "seconds": round(self.seconds, 3),
            "peak_rss_mb": round(self.peak_rss_mb, 1), "samples": self.samples, "deleted": self.deleted,
        }  # fmt: skip


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _check_existing(province_name: str, code: str, replace: bool) -> Region | None:
    """The previously generated province to delete first, or None; refuse if anything else is in the way."""
    previous = Region.objects.filter(
        parent=None, level=RegionLevel.PROVINCE, name=province_name, code=f"{code}0000"
    ).first()
    clashes = Region.objects.filter(Q(name=province_name) | Q(code__startswith=code))
    if previous is not None:
        clashes = clashes.exclude(path__startswith=previous.path)
    clash = clashes.first()
    if clash is not None:
        raise GenerationRefused(
            _(
                "The region “%(region)s” (division code “%(code)s”) was not made by gen-data but has the "
                "same name or code prefix as the province to generate. Choose another --province or --code."
            )
            % {"region": clash.name, "code": clash.code}
        )
    users = User.objects.filter(username__startswith=f"g{code}-").exists()
    if (previous is not None or users) and not replace:
        raise GenerationRefused(
            _(
                "The database already holds generated data for “%(province)s”. Run again with --replace to "
                "delete it and generate anew."
            )
            % {"province": province_name}
        )
    return previous


def generate(
    scale: Scale,
    seed: int = 1,
    province_name: str = DEFAULT_PROVINCE,
    code: str = DEFAULT_CODE,
    password: str = DEMO_PASSWORD,
    replace: bool = False,
    progress: Callable[[str, int, float], None] | None = None,
    now: datetime | None = None,
    stages: Sequence[str] | None = None,
) -> Result:
    """Generate one province at `scale`; refuse (GenerationRefused) if one is there, unless `replace`.

    `stages` names the stages to run, a prefix of STAGES (later stages need the earlier ones); None runs all.
    """
    chosen = STAGES if stages is None else STAGES[: len(stages)]
    if [stage.name for stage in chosen] != list(stages or [s.name for s in STAGES]):
        raise ValueError(f"stages must be a prefix of {[stage.name for stage in STAGES]}")
    started = time.perf_counter()
    deleted: dict[str, int] = {}
    with acting_as(None, "gen-data"):
        previous = _check_existing(province_name, code, replace)
        if replace:
            stage_started = time.perf_counter()
            with transaction.atomic():
                for stage in reversed(STAGES):
                    deleted.update(stage.delete(previous, f"g{code}-"))
            if progress:
                progress("delete", sum(deleted.values()), time.perf_counter() - stage_started)
        ctx = Context(scale, seed, province_name, code, make_password(password))
        if now is not None:
            ctx.now = now
        rows: dict[str, int] = {}
        timings: list[tuple[str, int, float]] = []
        for stage in chosen:
            stage_started = time.perf_counter()
            # One transaction per stage: a failed stage leaves nothing half-written (earlier stages stay,
            # and --replace clears them).
            with transaction.atomic():
                written = stage.generate(ctx)
            seconds = time.perf_counter() - stage_started
            rows.update(written)
            timings.append((stage.name, sum(written.values()), seconds))
            if progress:
                progress(stage.name, sum(written.values()), seconds)
    return Result(
        scale=scale.name, seed=seed, province=province_name, password=password, rows=rows, stages=timings,
        seconds=time.perf_counter() - started, peak_rss_mb=peak_rss_mb(), samples=ctx.samples,
        deleted=deleted,
    )  # fmt: skip
