"""Named personas for tests: two regions, their units, and one account per role.

Region A is 新城区 (呼和浩特市, 内蒙古自治区) with a town below it; region B is 莲湖区 (西安市, 陕西省), which
must never see region A's data, nor A see B's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from fazhi.audit.recorder import acting_as
from fazhi.orgs import actions
from fazhi.orgs.models import Region, Role, Unit, UnitGroup, User

PASSWORD = "Fazhi-test-2024!"  # noqa: S105 -- test accounts only


@dataclass
class Personas:
    region_a: Region
    town_a: Region
    region_b: Region
    justice_a: Unit  # 新城区司法局: enforcement body
    reform_a: Unit  # 新城区发展和改革委员会: decision body
    town_unit_a: Unit  # 保合少镇人民政府, in the town-level region
    justice_b: Unit  # 莲湖区司法局
    enforcement_group_a: UnitGroup
    admin: User
    coordinator: User
    leader: User
    unit_head: User
    liaison: User
    liaison_other_unit: User
    coordinator_b: User
    liaison_b: User
    no_role: User

    def by_name(self) -> dict[str, User | None]:
        """Every persona, the anonymous public included (as None)."""
        return {
            "admin": self.admin,
            "coordinator": self.coordinator,
            "leader": self.leader,
            "unit_head": self.unit_head,
            "liaison": self.liaison,
            "liaison_other_unit": self.liaison_other_unit,
            "coordinator_b": self.coordinator_b,
            "liaison_b": self.liaison_b,
            "no_role": self.no_role,
            "public": None,
        }


def _person(username: str, full_name: str) -> User:
    return actions.create_person(username, PASSWORD, full_name=full_name)


def make_personas() -> Personas:
    with acting_as(None, "test"), transaction.atomic():
        nmg = actions.save_region(None, name="内蒙古自治区", level="province", code="150000")
        hhht = actions.save_region(None, name="呼和浩特市", level="city", parent=nmg, code="150100")
        region_a = actions.save_region(None, name="新城区", level="county", parent=hhht, code="150102")
        town_a = actions.save_region(None, name="保合少镇", level="town", parent=region_a)
        shaanxi = actions.save_region(None, name="陕西省", level="province", code="610000")
        xian = actions.save_region(None, name="西安市", level="city", parent=shaanxi, code="610100")
        region_b = actions.save_region(None, name="莲湖区", level="county", parent=xian, code="610104")

        justice_a = actions.save_unit(
            None, region=region_a, name="新城区司法局", kind="department", is_enforcement_body=True
        )
        reform_a = actions.save_unit(
            None, region=region_a, name="新城区发展和改革委员会", kind="department", is_decision_body=True
        )
        town_unit_a = actions.save_unit(
            None, region=town_a, name="保合少镇人民政府", kind="town", is_enforcement_body=True
        )
        justice_b = actions.save_unit(
            None, region=region_b, name="莲湖区司法局", kind="department", is_enforcement_body=True
        )
        group = actions.save_group(
            None,
            region=region_a,
            name="各行政执法单位",
            flags=["is_enforcement_body"],
            include_subregions=True,
        )
        actions.save_alias(None, region=region_a, name="区司法局", unit=justice_a)
        actions.save_alias(None, region=region_b, name="区司法局", unit=justice_b)

        admin = _person("admin", "系统管理员")
        actions.grant_role(admin, Role.ADMIN)
        coordinator = _person("coordinator", "依法治区办 王协调")
        actions.grant_role(coordinator, Role.COORDINATOR, region=region_a)
        leader = _person("leader", "区长 李领导")
        actions.grant_role(leader, Role.LEADER, region=region_a)
        unit_head = _person("unit_head", "司法局 赵局长")
        actions.grant_role(unit_head, Role.UNIT_HEAD, unit=justice_a)
        liaison = _person("liaison", "司法局 钱联络")
        actions.grant_role(liaison, Role.LIAISON, unit=justice_a)
        liaison_other = _person("liaison_other_unit", "发改委 孙联络")
        actions.grant_role(liaison_other, Role.LIAISON, unit=reform_a)
        coordinator_b = _person("coordinator_b", "莲湖区 周协调")
        actions.grant_role(coordinator_b, Role.COORDINATOR, region=region_b)
        liaison_b = _person("liaison_b", "莲湖区司法局 吴联络")
        actions.grant_role(liaison_b, Role.LIAISON, unit=justice_b)
        no_role = _person("no_role", "新用户")

    return Personas(
        region_a=region_a,
        town_a=town_a,
        region_b=region_b,
        justice_a=justice_a,
        reform_a=reform_a,
        town_unit_a=town_unit_a,
        justice_b=justice_b,
        enforcement_group_a=group,
        admin=admin,
        coordinator=coordinator,
        leader=leader,
        unit_head=unit_head,
        liaison=liaison,
        liaison_other_unit=liaison_other,
        coordinator_b=coordinator_b,
        liaison_b=liaison_b,
        no_role=no_role,
    )


# A small plan in the style of seed 000, naming units of region A (and one name the directory does not know).
SAMPLE_PLAN = """新城区2025年法治政府建设工作计划
一、加强党的领导
(一)坚持党的集中统一领导
党政主要负责人切实履行推进法治建设第一责任人职责,每季度听取法治建设工作汇报。(责任单位:区司法局、各行政执法单位)
(二)强化监督考核评价
将法治建设纳入考核指标体系,11月底前完成年度考核。(责任单位:区司法局)
二、严格规范公正文明执法
(一)加强执法人员培训
全年执法人员培训不少于60学时,持证率达100%。(区司法局牵头,各行政执法单位负责,区海洋局配合)
"""


def make_plan(region: Region, text: str = SAMPLE_PLAN, publish: bool = False, year: int = 2025) -> Any:
    """A plan of `region` read from `text` (published if asked, with unknown names confirmed as not units)."""
    from fazhi.docparse import parse_plan_document
    from fazhi.plans import actions as plan_actions
    from fazhi.plans.models import Plan

    document = parse_plan_document(text.encode("utf-8"), filename="plan.txt", year=year)
    with acting_as(None, "test"), transaction.atomic():
        plan = plan_actions.create_draft(
            region, document, plan_actions.Source("plan.txt", text.encode()), year=year
        )
        if publish:
            for name in plan_actions.unknown_names(plan):
                plan_actions.ignore_name(plan, name)
            plan_actions.publish(plan)
    return Plan.objects.get(pk=plan.pk)
