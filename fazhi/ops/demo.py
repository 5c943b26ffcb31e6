"""The demo region: 新城区 of 呼和浩特市, 内蒙古自治区, with the units its 2024 plan names (seed 000).

It also loads the district's 2024 plan, published, with a year of progress reports (`demo_progress`), the
year's enforcement registers and cases (`demo_enforcement`), and the annual report drafted from them.

Loading is idempotent: existing rows are found by name and left as they are, missing ones are created, so
running `fazhi load-demo` twice changes nothing the second time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from fazhi.audit.recorder import acting_as
from fazhi.enforcement.models import Officer
from fazhi.ops import demo_enforcement, demo_progress
from fazhi.orgs import actions
from fazhi.orgs.models import Alias, Region, Role, RoleAssignment, Unit, UnitGroup, User

DEMO_PASSWORD = "Demo-2024-fazhi"  # noqa: S105 -- printed by load-demo on purpose; demo data only

PROVINCE = ("内蒙古自治区", "150000")
CITY = ("呼和浩特市", "150100")
DISTRICT = ("新城区", "150102")
TOWN = "保合少镇"
STREETS = [
    "海拉尔东路街道", "锡林北路街道", "迎新路街道", "东街街道", "西街街道",
    "东风路街道", "中山东路街道", "成吉思汗大街街道", "鼓楼街道",
]  # fmt: skip

E, D = "enforcement", "decision"
# (full name, kind, flags, aliases as the plan writes them)
DISTRICT_UNITS: list[tuple[str, str, set[str], list[str]]] = [
    ("新城区人民政府办公室", "government_office", {D}, ["区政府办公室", "区政府办"]),
    ("中共新城区委员会组织部", "party_organ", set(), ["区委组织部"]),
    ("中共新城区委员会宣传部", "party_organ", set(), ["区委宣传部"]),
    ("中共新城区委员会政法委员会", "party_organ", set(), ["区委政法委"]),
    ("中共新城区委员会全面依法治区委员会办公室", "party_organ", set(), ["区委依法治区办", "依法治区办"]),
    ("新城区司法局", "department", {E, D}, ["区司法局"]),
    ("新城区发展和改革委员会", "department", {E, D}, ["区发改委"]),
    ("新城区政务服务与数据管理局", "department", {E, D}, ["区政数局"]),
    ("呼和浩特市公安局新城区分局", "department", {E}, ["区公安分局"]),
    ("新城区信访局", "department", set(), ["区信访局"]),
    ("新城区应急管理局", "department", {E, D}, ["区应急局"]),
    ("新城区市场监督管理局", "department", {E, D}, ["区市场监督管理局", "区市场监管局"]),
    ("新城区住房和城乡建设局", "department", {E, D}, ["区住建局"]),
    ("新城区教育局", "department", {E, D}, ["区教育局"]),
    ("新城区财政局", "department", {E, D}, ["区财政局"]),
    ("新城区民政局", "department", {E, D}, ["区民政局"]),
    ("新城区卫生健康委员会", "department", {E, D}, ["区卫健委"]),
    ("新城区人力资源和社会保障局", "department", {E, D}, ["区人社局"]),
    ("新城区城市管理综合行政执法局", "department", {E}, ["区城管执法局", "区综合执法局"]),
    ("新城区接诉即办指挥调度中心", "other", set(), ["区接诉即办指挥调度中心"]),
    ("新城区人民法院", "court", set(), ["区法院"]),
    ("新城区人民检察院", "procuratorate", set(), ["区检察院"]),
    ("新城区法学会", "other", set(), ["区法学会"]),
]

# (name, kinds, flags, include lower regions, aliases)
GROUPS: list[tuple[str, list[str], list[str], bool, list[str]]] = [
    ("各行政执法单位", [], ["is_enforcement_body"], True, ["各行政执法部门", "各执法单位"]),
    ("各决策承办单位", [], ["is_decision_body"], False, []),
    (
        "区直各单位各部门",
        ["government_office", "department", "party_organ", "other"],
        [],
        False,
        ["区直各单位", "区直各部门"],
    ),
    ("区政府各部门", ["government_office", "department"], [], False, ["各部门"]),
    ("各街道办事处", ["street_office"], [], True, ["各街道"]),
    ("各镇街", ["town", "street_office"], [], True, ["镇街"]),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    role: Role | None  # None: an enforcement officer, whose account the officer register links
    scope: str
    legal_reviewer: bool = False

    @property
    def label(self) -> str:
        if self.role is not None:
            return str(self.role.label)
        if self.legal_reviewer:
            return str(Officer._meta.get_field("is_legal_reviewer").verbose_name)  # 法制审核人员
        return str(Officer._meta.verbose_name)  # 执法人员


LOGINS = [
    DemoLogin("admin", "系统管理员", Role.ADMIN, ""),
    DemoLogin("coordinator", "依法治区办 王晓燕", Role.COORDINATOR, DISTRICT[0]),
    DemoLogin("leader", "副区长 李建国", Role.LEADER, DISTRICT[0]),
    DemoLogin("unithead", "司法局局长 赵志刚", Role.UNIT_HEAD, "新城区司法局"),
    DemoLogin("liaison", "司法局联络员 钱丽", Role.LIAISON, "新城区司法局"),
    DemoLogin("liaison2", "发改委联络员 孙鹏", Role.LIAISON, "新城区发展和改革委员会"),
]
# Made with the enforcement registers (demo_enforcement), so only with the demo year.
OFFICER_LOGINS = [
    DemoLogin("officer", "市场监管局执法人员 刘强", None, "新城区市场监督管理局"),
    DemoLogin("reviewer", "市场监管局法制审核人员 高敏", None, "新城区市场监督管理局", legal_reviewer=True),
]


def _region(name: str, level: str, parent: Region | None, code: str = "") -> Region:
    existing = Region.objects.filter(parent=parent, name=name).first()
    return existing or actions.save_region(None, name=name, level=level, parent=parent, code=code)


def _unit(region: Region, name: str, kind: str, flags: set[str], order: int) -> Unit:
    existing = Unit.objects.filter(region__path__startswith=region.path, name=name).first()
    if existing:
        return existing
    return actions.save_unit(
        None,
        region=region,
        name=name,
        kind=kind,
        is_enforcement_body=E in flags,
        is_decision_body=D in flags,
        sort_order=order,
    )


def _alias(
    region: Region, name: str, unit: Unit | None = None, group: UnitGroup | None = None, **extra: object
) -> None:
    if not Alias.objects.filter(region=region, name=name).exists():
        actions.save_alias(None, region=region, name=name, unit=unit, group=group, **extra)


def load(with_year: bool = True) -> list[DemoLogin]:
    """Create whatever of the demo region is missing; return the demo logins.

    `with_year=False` leaves out the 2024 plan and its progress, the enforcement records and the annual report
    (half a minute of work: tests of the directory alone skip it)."""
    with acting_as(None, "load-demo"), transaction.atomic():
        province = _region(PROVINCE[0], "province", None, PROVINCE[1])
        city = _region(CITY[0], "city", province, CITY[1])
        district = _region(DISTRICT[0], "county", city, DISTRICT[1])
        units = {}
        for order, (name, kind, flags, aliases) in enumerate(DISTRICT_UNITS, start=1):
            units[name] = _unit(district, name, kind, flags, order * 10)
            for alias in aliases:
                _alias(district, alias, units[name])
        town = _region(TOWN, "town", district)
        units["保合少镇人民政府"] = _unit(town, "保合少镇人民政府", "town", {E}, 500)
        _alias(district, "保合少镇政府", units["保合少镇人民政府"])
        for order, street in enumerate(STREETS, start=1):
            region = _region(street, "town", district)
            units[street] = _unit(region, f"{street}办事处", "street_office", {E}, 500 + order * 10)
        # The 2018 reform merged the legal affairs office into the justice bureau: plans from 2019 on that
        # still say 区法制办 mean 区司法局.
        _alias(
            district, "区法制办", units["新城区司法局"], valid_from=datetime.date(2019, 1, 1),
            note="2018年机构改革，区政府法制办公室职责划入区司法局",
        )  # fmt: skip
        for name, kinds, group_flags, subregions, aliases in GROUPS:
            group = UnitGroup.objects.filter(region=district, name=name).first()
            if group is None:
                group = actions.save_group(
                    None,
                    region=district,
                    name=name,
                    kinds=kinds,
                    flags=group_flags,
                    include_subregions=subregions,
                )
            for alias in aliases:
                _alias(district, alias, group=group)
        for login in LOGINS:
            _login(login, district, units)
    if not with_year:
        return LOGINS
    coordinator = User.objects.get(username="coordinator")
    # The 2024 plan and a year of progress on it (seed 000): see fazhi.ops.demo_progress.
    demo_progress.load_year(district, coordinator)
    # The year's enforcement registers and cases, before the report that counts them.
    demo_enforcement.load(district, coordinator)
    demo_progress.publish_report(district, coordinator)
    return LOGINS + OFFICER_LOGINS


def _login(login: DemoLogin, district: Region, units: dict[str, Unit]) -> None:
    assert login.role is not None, "officer logins come with the officer register (demo_enforcement)"
    user = User.objects.filter(username=login.username).first()
    if user is None:
        user = actions.create_person(login.username, DEMO_PASSWORD, full_name=login.full_name)
    region = district if login.role in (Role.COORDINATOR, Role.LEADER) else None
    unit = units[login.scope] if login.role in (Role.UNIT_HEAD, Role.LIAISON) else None
    if not RoleAssignment.objects.filter(user=user, role=login.role, region=region, unit=unit).exists():
        actions.grant_role(user, login.role, region=region, unit=unit)
