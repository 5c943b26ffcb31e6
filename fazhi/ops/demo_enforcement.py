"""The demo's enforcement year: 新城区's registers and a year of cases, kept the way its bodies and office
keep them.

- Registers arrive as an office sends them, one spreadsheet per register (执法主体, 执法人员, 培训, 权责清单,
  裁量基准; fazhi.ops.demo_registers), built here as .xlsx or .csv bytes and read by the register import
  (fazhi.enforcement.importing.import_register), so every row passes the import's checks and each file is one
  "import" entry in the audit trail. Two certificates expired during 2024, two end soon, one officer left,
  some officers trained under 60 hours, one body has no legal reviewer, one standard was filed late and one
  never.
- Cases of four bodies (市场监管, 城管执法, 卫健, 应急) are worked through fazhi.enforcement.actions by their
  people: steps recorded by the body's officer (the demo login `officer` at the 市场监管局) or its liaison
  officer, the 法制审核 by the body's legal reviewer (`reviewer` there). So every guard applies: two certified
  investigators, the 陈述申辩/听证 window, a passed review by a non-investigator and a collective discussion
  before a major decision, the fine against the 裁量基准 in force. Each investigation keeps a file (the
  inspection record, or a photo on the spot) as a step's evidence does. A few stories are written out (a
  review returned first, hearings, a departure from the standard with its reason, two transfers to the police,
  a decision revoked on 行政复议, a major case waiting for the reviewer); the rest are drawn, and those of the
  last weeks are left where a year's end finds them.
- Penalty decisions are published on the portal (fazhi.enforcement.publication, masked), one a few days late;
  one is withdrawn with its note; two are left unpublished, overdue. The office draws the third quarter's
  closed files for 案卷评查 (fazhi.enforcement.file_review) from a recorded seed, scores and publishes them.

Dates: steps, reviews, transfers and replies carry their day through the actions (`on=`, `transferred_on=` …).
What the actions stamp with the clock — when a step was keyed in, when a decision went on the portal, when the
sample was drawn and scored — is moved to the story's day afterwards by the demo's audited correction
(`demo_progress.BACKDATE_SOURCE`), as for the progress reports.

Deterministic: one seeded random draw in a fixed order, and files built with fixed timestamps. One exception
on purpose: certificates end on days counted from the day the demo is loaded (two of them within weeks), so
the officer register shows the same picture whenever the demo is loaded. Idempotent: a region that already
has enforcement bodies or cases is left alone.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import random
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import openpyxl
from django.db import transaction
from django.utils import timezone

from fazhi.audit.recorder import acting_as, batched
from fazhi.enforcement import actions, case_evidence, file_review, importing, publication, transfers
from fazhi.enforcement.access import REVIEW_STEPS
from fazhi.enforcement.deadlines import calendar_for
from fazhi.enforcement.models import (
    Case,
    CaseEvent,
    CaseKind,
    CaseStep,
    CaseTransfer,
    DiscretionStandard,
    EnforcementBody,
    FileReviewRound,
    Officer,
    PartyType,
    Power,
    Publication,
)
from fazhi.lib.workdays import Calendar
from fazhi.orgs import actions as org_actions
from fazhi.orgs.models import Region, Role, Unit, User
from fazhi.supervision.models import ScoreAdjustment

from . import demo_registers as reg
from .demo_progress import BACKDATE_SOURCE, _docx, _person_with, _png

YEAR = 2024
RANDOM_SEED = 118  # 国办发〔2018〕118号, the 三项制度
CUTOFF = datetime.date(YEAR, 12, 31)  # the demo's present for its cases: nothing is recorded after the year
# The seed the office read out when it drew the 案卷评查 sample (twelve digits, as the page offers them).
REVIEW_SEED = 202410150931
POLICE = "呼和浩特市公安局新城区分局"

K, T = CaseKind, CaseStep
NATURAL, LEGAL = PartyType.NATURAL, PartyType.LEGAL


@dataclass(frozen=True)
class Template:
    """A kind of case a body handles: its power, 案由, decision and the standard line its fines follow."""

    kind: str
    power: str
    cause: str  # {party}: the party's name
    weight: int
    parties: tuple[str, ...] = (LEGAL, NATURAL)
    line: str = ""  # the 裁量基准 circumstance of the fine
    major: bool = False
    decision: str = ""  # {amount}: the fine; {basis}: the power's legal basis


@dataclass(frozen=True)
class Caseload:
    staff: str  # reg.Staff.unit
    drawn: int  # cases drawn besides the written-out stories
    templates: tuple[Template, ...]
    businesses: tuple[str, ...]  # company name endings of its parties


FINE = "依据{basis}，决定给予警告，并处罚款{amount}元。"
SIMPLE = "依据{basis}，适用简易程序当场作出行政处罚决定：罚款{amount}元。"

CASELOADS = [
    Caseload("区市场监管局", 30, (
        Template(K.INSPECTION, "SJ-JC-001", "对{party}开展食品安全日常监督检查", 10),
        Template(K.INSPECTION, "SJ-JC-002", "对{party}电梯等特种设备使用情况开展监督检查", 3, (LEGAL,)),
        Template(K.PENALTY_SIMPLE, "SJ-CF-003", "{party}经营场所内商品未按规定明码标价", 7,
                 line=reg.SLIGHT, decision=SIMPLE),
        Template(K.PENALTY_ORDINARY, "SJ-CF-001", "{party}未按规定查验并记录食品进货票据", 5,
                 line=reg.GENERAL, decision=FINE),
        Template(K.PENALTY_ORDINARY, "SJ-CF-002", "{party}经营超过保质期的食品", 2, line=reg.GENERAL,
                 major=True, decision="依据{basis}，决定没收违法经营的食品，并处罚款{amount}元。"),
        Template(K.COERCION, "SJ-QZ-001", "对{party}涉嫌不符合食品安全标准的食品实施扣押", 3,
                 decision="依据{basis}，决定扣押涉案食品，期限三十日。"),
    ), ("商贸有限公司", "超市有限公司", "餐饮管理有限公司", "食品有限公司")),
    Caseload("区城管执法局", 26, (
        Template(K.INSPECTION, "CG-JC-001", "对{party}门前市容环境卫生责任区开展检查", 7),
        Template(K.PENALTY_SIMPLE, "CG-CF-001", "{party}擅自占用城市道路摆摊经营", 8, (NATURAL,),
                 line=reg.SLIGHT, decision=SIMPLE),
        Template(K.PENALTY_ORDINARY, "CG-CF-002", "{party}未使用油烟净化设施排放油烟", 4, (LEGAL,),
                 line=reg.GENERAL, decision=FINE),
        Template(K.PENALTY_ORDINARY, "CG-CF-004", "{party}随意倾倒建筑垃圾", 3, (LEGAL,), line=reg.GENERAL,
                 decision=FINE),
        Template(K.PENALTY_ORDINARY, "CG-CF-003", "{party}未取得建设工程规划许可证进行建设", 2,
                 line="尚可采取改正措施消除对规划实施的影响", major=True,
                 decision="依据{basis}，决定责令限期改正，并处罚款{amount}元。"),
        Template(K.COERCION, "CG-QZ-001", "{party}逾期未拆除违法建设", 2, major=True,
                 decision="依据{basis}，决定强制拆除违法建设。"),
    ), ("餐饮有限公司", "建筑工程有限公司", "装饰工程有限公司", "物业服务有限公司")),
    Caseload("区卫健委", 14, (
        Template(K.INSPECTION, "WJ-JC-001", "对{party}开展公共场所卫生监督检查", 6, (LEGAL,)),
        Template(K.INSPECTION, "WJ-JC-002", "对{party}开展医疗机构依法执业监督检查", 3, (LEGAL,)),
        Template(K.PENALTY_SIMPLE, "WJ-CF-001", "{party}未取得公共场所卫生许可证擅自营业", 3, (LEGAL,),
                 line=reg.SLIGHT, decision=SIMPLE),
        Template(K.PENALTY_ORDINARY, "WJ-CF-001", "{party}未取得公共场所卫生许可证擅自营业", 3, (LEGAL,),
                 line=reg.GENERAL, decision=FINE),
    ), ("宾馆有限公司", "洗浴有限公司", "美容美发有限公司", "口腔门诊部有限公司")),
    Caseload("区应急局", 12, (
        Template(K.INSPECTION, "YJ-JC-001", "对{party}开展安全生产监督检查", 7, (LEGAL,)),
        Template(K.PENALTY_ORDINARY, "YJ-CF-001", "{party}未按规定对从业人员进行安全生产教育和培训", 2,
                 (LEGAL,), line=reg.GENERAL, decision=FINE),
        Template(K.PENALTY_ORDINARY, "YJ-CF-002",
                 "{party}未在有较大危险因素的生产经营场所设置明显的安全警示标志", 3, (LEGAL,),
                 line=reg.GENERAL, decision=FINE),
        Template(K.COERCION, "YJ-QZ-001", "对{party}不符合国家标准的设备实施查封", 1, (LEGAL,),
                 decision="依据{basis}，决定查封涉案设备，期限三十日。"),
    ), ("建材有限公司", "汽车维修有限公司", "物流有限公司", "化工产品销售有限公司")),
]  # fmt: skip

KIND_WORDS: dict[str, str] = {
    K.INSPECTION: "检",
    K.PENALTY_SIMPLE: "简罚",
    K.PENALTY_ORDINARY: "罚",
    K.COERCION: "强",
}
SIMPLE_CAP: dict[str, int] = {
    NATURAL: 200,
    LEGAL: 3000,
}  # 行政处罚法第五十一条: 当场处罚 at most 200 / 3000 yuan

# The parties: made-up firms and housing estates in the district's streets.
FIRMS = [
    "鑫源", "恒泰", "华宇", "金桥", "博远", "瑞丰", "蒙源", "青城", "北辰", "万通",
    "德顺", "盛世", "祥和", "锦程", "天诚", "汇通", "宏达", "兴业", "安泰", "众鑫",
]  # fmt: skip
ESTATES = ["青城花园", "锦绣家园", "滨河小区", "明珠园", "和平里", "北垣小区", "东影南路小区", "新华家园"]
PARTY_STREETS = [
    "海拉尔东路街道", "锡林北路街道", "迎新路街道", "东街街道", "西街街道", "东风路街道", "中山东路街道",
]  # fmt: skip


# --- the registers ------------------------------------------------------------------------------------------


@dataclass
class Desk:
    """One case-working body: its officers and the people who record its steps."""

    unit: Unit
    short: str
    clerk: User  # records the steps (the demo officer at the 市场监管局, the liaison officer elsewhere)
    reviewer_user: User
    reviewer: Officer
    officers: list[Officer]  # investigators: active, not legal reviewers
    demo_officer: Officer | None = None
    powers: dict[str, Power] = field(default_factory=dict)
    lines: dict[tuple[str, str], DiscretionStandard] = field(default_factory=dict)

    def certified(self, day: datetime.date) -> list[Officer]:
        return [o for o in self.officers if o.certified_on(day)]


def load(district: Region, coordinator: User) -> bool:
    """Load the enforcement year of `district` unless it has enforcement records already; say if it did."""
    if (
        EnforcementBody.objects.filter(unit__region__path__startswith=district.path).exists()
        or Case.objects.in_region(district).exists()
    ):
        return False
    rng = random.Random(RANDOM_SEED)  # noqa: S311 -- a reproducible demo, not a secret
    calendar = calendar_for(district)
    # One transaction; the audit entries linked onto the chain in one append at its end.
    with transaction.atomic(), batched():
        _import_registers(district, coordinator, rng)
        desks = _desks(district)
        drawn = _drawn_stories(desks, calendar, rng)
        _lapse(drawn, calendar)
        stories = _written_stories(desks, calendar) + drawn
        _number(stories)
        stamps = Stamps()
        for story in sorted(stories, key=lambda s: (s.registered, s.desk.unit.sort_order, s.number)):
            _play(story, stamps)
        _review_round(district, coordinator, rng, stamps)
        _backdate(district, stamps, rng)
    return True


def _import_registers(district: Region, coordinator: User, rng: random.Random) -> None:
    officers, training = _officer_rows(rng)
    files = [
        (
            importing.BODIES,
            "新城区行政执法主体清单（2024年）.xlsx",
            _xlsx("新城区行政执法主体清单", _body_rows()),
        ),
        (
            importing.OFFICERS,
            "新城区行政执法人员名册（2024年）.xlsx",
            _xlsx("新城区行政执法人员名册", officers),
        ),
        (importing.TRAINING, "新城区行政执法人员2024年度培训台账.csv", _csv(training)),
        (importing.POWERS, "新城区行政执法事项清单（权责清单）.xlsx", _xlsx("新城区权责清单", _power_rows())),
        (
            importing.STANDARDS,
            "新城区行政处罚裁量基准.xlsx",
            _xlsx("新城区行政处罚裁量基准", _standard_rows()),
        ),
    ]
    with acting_as(coordinator, "load-demo"):
        for register, name, data in files:
            result = importing.import_register(register, district, data, name)
            if not result.applied:
                raise RuntimeError(f"the demo's {name} did not import: {result.errors}")


def _body_rows() -> list[list[Any]]:
    rows: list[list[Any]] = [["序号", "执法主体", "主体性质", "主体依据", "委托机关", "执法区域", "职责范围"]]
    for name, (area, laws) in reg.DEPARTMENTS.items():
        basis = f"《{name}职能配置、内设机构和人员编制规定》；{laws}"
        rows.append([len(rows), name, reg.STATUTORY, basis, "", "新城区行政区域", f"{area}领域行政执法"])
    rows.append([
        len(rows), "保合少镇人民政府", reg.STATUTORY,
        "《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》；《中华人民共和国行政处罚法》第二十四条",
        "", "保合少镇行政区域", "自治区赋予苏木乡镇的行政处罚权事项",
    ])  # fmt: skip
    for street in _street_offices():
        if street == reg.ENTRUSTED_STREET[0]:
            nature, organ = reg.ENTRUSTED, reg.ENTRUSTED_STREET[1]
            basis = (
                "《中华人民共和国行政处罚法》第二十条；新城区城市管理综合行政执法局行政执法委托书（2023年）"
            )
            duties = "受委托实施城市管理领域部分行政处罚"
        else:
            nature, organ = reg.AUTHORISED, ""
            basis = "《中华人民共和国行政处罚法》第二十四条；自治区赋予街道的行政处罚权事项目录"
            duties = "自治区赋予街道的行政处罚权事项"
        rows.append([len(rows), street, nature, basis, organ, f"{street.removesuffix('办事处')}辖区", duties])
    return rows


def _street_offices() -> list[str]:
    from .demo import STREETS as NAMES

    return [f"{street}办事处" for street in NAMES]


def _officer_rows(rng: random.Random) -> tuple[list[list[Any]], list[list[Any]]]:
    """The officers' register and their 2024 training, as two tables."""
    today = timezone.localdate()
    officers: list[list[Any]] = [
        [
            "序号",
            "执法主体",
            "姓名",
            "执法证号",
            "发证机关",
            "有效期起",
            "有效期止",
            "执法领域",
            "法制审核人员",
            "在岗",
        ]
    ]
    training: list[list[Any]] = [["姓名", "执法证号", "发证机关", "培训日期", "学时", "培训内容"]]
    used: set[str] = set()
    for staff in reg.STAFF:
        names = list(staff.special)
        while len(names) < staff.size:
            name = rng.choice(reg.SURNAMES) + rng.choice(reg.GIVEN)
            if name not in used and name not in names:
                names.append(name)
        used.update(names)
        reviewers = [n for n in names if staff.special.get(n, {}).get("reviewer")]
        for name in names:
            if len(reviewers) >= staff.reviewers:
                break
            if name not in reviewers and not staff.special.get(name):
                reviewers.append(name)
        for index, name in enumerate(names):
            special = staff.special.get(name, {})
            number = f"150102{staff.first_number + index:05d}"
            # Issued 2021–2023, so valid through the demo year. The end dates are counted from the day the
            # demo is loaded (one to four years on; weeks for the two "expiring"): fixed dates would let the
            # whole register run out as the demo ages, and the expiring ones would be expired.
            start = datetime.date(rng.choice((2021, 2022, 2023)), rng.randint(1, 12), 1)
            end: Any = special.get("valid_to", today + datetime.timedelta(days=rng.randint(400, 1500)))
            if end == reg.EXPIRING:
                end = today + datetime.timedelta(days=int(str(special["days"])))
            active = "是" if special.get("active", True) else "否"
            reviewer = "是" if name in reviewers else "否"
            officers.append([
                len(officers), staff.unit, name, number, reg.ISSUER, start.isoformat(), end.isoformat(),
                staff.area, reviewer, active,
            ])  # fmt: skip
            training += _training_rows(rng, staff, name, number)
    return officers, training


def _training_rows(rng: random.Random, staff: reg.Staff, name: str, number: str) -> list[list[Any]]:
    sessions = [*reg.TRAINING_ALL, *reg.TRAINING_BODY[staff.area]]
    # About one officer in six falls short of the 60 hours: missed sessions, no online study.
    short = rng.random() < 0.17
    attended = [s for s in sessions if rng.random() < (0.6 if short else 0.95)]
    rows = [[name, number, reg.ISSUER, day.isoformat(), hours, subject] for day, hours, subject in attended]
    hours = sum(h for _, h, _ in attended)
    target = rng.randint(64, 84)
    if not short and hours < target:
        day = datetime.date(YEAR, 11, rng.randint(4, 29))
        rows.append([name, number, reg.ISSUER, day.isoformat(), target - hours, reg.ONLINE])
    return rows


def _power_rows() -> list[list[Any]]:
    rows: list[list[Any]] = [["执法主体", "事项编码", "事项名称", "事项类别", "设定依据"]]
    for unit, powers in reg.POWERS.items():
        rows += [[unit, p.code, p.name, p.kind, p.basis] for p in powers]
    return rows


def _standard_rows() -> list[list[Any]]:
    rows: list[list[Any]] = [
        [
            "执法主体",
            "事项编码",
            "情节",
            "罚款下限",
            "罚款上限",
            "生效日期",
            "失效日期",
            "发布日期",
            "备案日期",
        ]
    ]
    for unit, powers in reg.POWERS.items():
        for power in powers:
            for line in power.lines:
                rows.append([
                    unit, power.code, line.circumstance, line.low, line.high, _day(line.start),
                    _day(line.end), _day(line.published), _day(line.filed),
                ])  # fmt: skip
    return rows


def _day(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


FIXED = (2024, 1, 2, 9, 0, 0)


def _xlsx(title: str, rows: list[list[Any]]) -> bytes:
    """A workbook with a title line above the table, as offices send them; zipped with fixed dates, so the
    bytes (and the hash the import records) are the same on every load."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sheet1"
    sheet.append([title])
    for row in rows:
        sheet.append(row)
    moment = datetime.datetime(*FIXED)
    workbook.properties.created = workbook.properties.modified = moment
    workbook.properties.creator = "新城区司法局"
    raw = io.BytesIO()
    workbook.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time over the properties above.
                data = _fixed_core(data)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _fixed_core(data: bytes) -> bytes:
    import re

    stamp = b"2024-01-02T09:00:00Z"
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data)


def _csv(rows: list[list[Any]]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")  # Excel's "CSV UTF-8"


def _desks(district: Region) -> dict[str, Desk]:
    """The case-working bodies with their people; the demo's officer and reviewer get their accounts."""
    desks: dict[str, Desk] = {}
    for load in CASELOADS:
        staff = next(s for s in reg.STAFF if s.unit == load.staff)
        unit = Unit.objects.get(region__path__startswith=district.path, name=staff.full_name)
        officers = list(Officer.objects.filter(unit=unit).order_by("certificate_number"))
        logins = {str(v["login"]): name for name, v in staff.special.items() if "login" in v}
        office = staff.unit.removeprefix("区")  # 市场监管局: as the demo names its accounts
        # The body's legal reviewer records its reviews under their own account; the demo's is printed.
        reviewer = next(
            o for o in officers if o.is_legal_reviewer and logins.get("reviewer", o.name) == o.name
        )
        username = "reviewer" if "reviewer" in logins else f"reviewer{unit.sort_order:03d}"
        reviewer_user = _account(reviewer, username, f"{office}法制审核人员 {reviewer.name}")
        # Steps are keyed in by the demo's officer at the 市场监管局, by the liaison officer elsewhere.
        demo_officer = next((o for o in officers if o.name == logins.get("officer")), None)
        if demo_officer is not None:
            clerk = _account(demo_officer, "officer", f"{office}执法人员 {demo_officer.name}")
        else:
            clerk = _person_with(unit, Role.LIAISON, f"liaison{unit.sort_order:03d}", f"{unit.name}联络员")
        desks[load.staff] = Desk(
            unit=unit,
            short=staff.short,
            clerk=clerk,
            reviewer_user=reviewer_user,
            reviewer=reviewer,
            officers=[o for o in officers if o.is_active and not o.is_legal_reviewer],
            demo_officer=demo_officer,
            powers={p.code: p for p in Power.objects.filter(unit=unit)},
            lines={
                (line.power.code, line.circumstance): line
                for line in DiscretionStandard.objects.filter(
                    power__unit=unit, effective_to__isnull=True
                ).select_related("power")
            },
        )
    return desks


def _account(officer: Officer, username: str, full_name: str) -> User:
    """A login for an officer (the demo's password): the officer register links it, no role is needed."""
    from .demo import DEMO_PASSWORD

    with acting_as(None, "load-demo"):
        user = User.objects.filter(username=username).first() or org_actions.create_person(
            username, DEMO_PASSWORD, full_name=full_name
        )
        actions.save_officer(officer, user=user)
    return user


# --- the cases ----------------------------------------------------------------------------------------------


@dataclass
class Party:
    name: str
    type: str
    id_number: str
    address: str


@dataclass
class Step:
    """One thing done to a case on a day: a CaseStep, or "publish", "withdraw", "transfer", "reply",
    "outcome"."""

    name: str
    day: datetime.date
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Story:
    desk: Desk
    template: Template
    party: Party
    registered: datetime.date
    steps: list[Step]
    number: str = ""
    amount: Decimal | None = None
    publish: bool = True


@dataclass
class Stamps:
    """Times the actions stamped with the clock, and the days the stories say they happened."""

    published: dict[int, datetime.date] = field(default_factory=dict)  # publication id → day
    withdrawn: dict[int, datetime.date] = field(default_factory=dict)
    transfers: dict[int, datetime.date] = field(default_factory=dict)  # transfer id → day recorded
    round: dict[str, datetime.date] = field(default_factory=dict)


def _party(rng: random.Random, load: Caseload, kind: str) -> Party:
    street = rng.choice(PARTY_STREETS)
    if kind == LEGAL:
        name = f"呼和浩特市新城区{rng.choice(FIRMS)}{rng.choice(load.businesses)}"
        address = f"内蒙古自治区呼和浩特市新城区{street}{rng.choice(ESTATES)}{rng.randint(1, 30)}号底商"
        return Party(name, LEGAL, _credit_code(rng), address)
    name = rng.choice(reg.SURNAMES) + rng.choice(reg.GIVEN)
    room = f"{rng.randint(1, 20)}号楼{rng.randint(1, 4)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}室"
    address = f"内蒙古自治区呼和浩特市新城区{street}{rng.choice(ESTATES)}{room}"
    return Party(name, NATURAL, _id_number(rng), address)


def _id_number(rng: random.Random) -> str:
    """A 居民身份证 number of 新城区 (150102) whose check digit is deliberately wrong: it has the shape the
    masking must catch, and cannot be anybody's real number."""
    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randint(0, 40 * 365))
    body = f"150102{born:%Y%m%d}{rng.randint(100, 999)}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    right = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    wrong = "0123456789X"
    return body + wrong[(wrong.index(right) + 1) % 11]


def _credit_code(rng: random.Random) -> str:
    """A 统一社会信用代码 of a company registered in 新城区, its check character deliberately wrong (no real
    company's)."""
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91150102MA" + "".join(rng.choice(chars) for _ in range(7))
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    right = chars[(31 - sum(chars.index(c) * w for c, w in zip(body, weights, strict=True)) % 31) % 31]
    return body + chars[(chars.index(right) + 1) % 31]


def _pair(desk: Desk, rng: random.Random, day: datetime.date) -> list[Officer]:
    """Two of the body's officers certified on the day; the demo officer in about half his body's cases."""
    pool = desk.certified(day)
    if desk.demo_officer is not None and desk.demo_officer in pool and rng.random() < 0.5:
        others = [o for o in pool if o != desk.demo_officer]
        return [desk.demo_officer, rng.choice(others)]
    return rng.sample(pool, 2)


def _amount(rng: random.Random, line: DiscretionStandard, cap: int | None = None) -> Decimal:
    low, high = int(line.min_amount), int(line.max_amount)
    if cap is not None:
        high = min(high, cap)
    step = 100 if high <= 5000 else 1000
    return Decimal(rng.randint(-(-low // step), high // step) * step)


def _investigation(desk: Desk, rng: random.Random, day: datetime.date, what: str = "现场检查") -> Step:
    notes = f"{what}，制作现场检查笔录，拍摄现场照片{rng.randint(2, 9)}张。"
    return Step(T.INVESTIGATE, day, {"officers": _pair(desk, rng, day), "notes": notes})


def _drawn_stories(desks: dict[str, Desk], calendar: Calendar, rng: random.Random) -> list[Story]:
    """The bodies' ordinary year, drawn: registered on working days from January to December, each case taken
    as far as it had gone by the end of the year. A quarter of them come with the autumn's campaigns (秋冬季
    专项整治), so the year ends with cases at every stage."""
    stories = []
    for load in CASELOADS:
        desk = desks[load.staff]
        for _ in range(load.drawn):
            template = rng.choices(load.templates, weights=[t.weight for t in load.templates])[0]
            party = _party(rng, load, rng.choice(template.parties))
            first = datetime.date(YEAR, 1, 8) if rng.random() < 0.75 else datetime.date(YEAR, 10, 14)
            last = datetime.date(YEAR, 12, 20)
            start = calendar.next_workday(
                first + datetime.timedelta(days=rng.randint(0, (last - first).days))
            )
            story = Story(desk, template, party, start, [])
            _draw_steps(story, calendar, rng)
            publish = [s for s in story.steps if s.name == "publish"]
            steps = [s for s in story.steps if s.name != "publish" and s.day <= CUTOFF]
            if start >= datetime.date(YEAR, 11, 18) and rng.random() < 0.6:
                # Late in the year, work in hand: the case has got only so far by the end of December.
                steps = steps[: rng.randint(0, max(len(steps) - 2, 0))]
            story.steps = steps + (publish if any(s.name == T.DECIDE for s in steps) else [])
            stories.append(story)
    return stories


def _lapse(stories: list[Story], calendar: Calendar) -> None:
    """Of the decisions of the autumn, two are never published (overdue on the office's list ever since)
    and one is published a few days late."""
    autumn = [
        story
        for story in sorted(stories, key=lambda s: (s.registered, s.party.name))
        if any(s.name == "publish" for s in story.steps)
        and datetime.date(YEAR, 9, 1) <= _decided(story) <= datetime.date(YEAR, 11, 30)
    ]
    for story in autumn[:2]:
        story.steps = [s for s in story.steps if s.name != "publish"]
    late = autumn[2]
    due = calendar.add_workdays(_decided(late), 7)  # the rule migration 0005 seeds: 7 working days
    for step in late.steps:
        if step.name == "publish":
            step.day = calendar.add_workdays(due, 3)


def _decided(story: Story) -> datetime.date:
    return next(s.day for s in story.steps if s.name == T.DECIDE)


def _draw_steps(story: Story, calendar: Calendar, rng: random.Random) -> None:
    desk, template, day = story.desk, story.template, story.registered

    def later(low: int, high: int) -> datetime.date:
        nonlocal day
        day = calendar.add_workdays(day, rng.randint(low, high))
        return day

    steps = story.steps
    if template.kind == K.PENALTY_SIMPLE:
        # On the spot: heard, decided and served the same day; the fine paid within fifteen days.
        line = desk.lines[(template.power, template.line)]
        story.amount = _amount(rng, line, SIMPLE_CAP[story.party.type])
        heard = rng.choice((T.STATEMENT, T.WAIVE))
        steps += [
            _investigation(desk, rng, day, "现场检查发现违法行为"),
            Step(T.NOTIFY, day, {"notes": "当场告知拟作出的行政处罚内容及事实、理由、依据和陈述申辩权利。"}),
            Step(
                heard,
                day,
                {"notes": "当事人当场陈述：对违法事实无异议，已自行改正。"} if heard == T.STATEMENT else {},
            ),
            _decision(story, day, line),
            Step(T.SERVE, day, {"notes": "当场交付行政处罚决定书。"}),
        ]
        _tail(story, calendar, rng, day, paid=True)
        return
    steps.append(_investigation(desk, rng, later(0, 2)))
    if template.kind == K.INSPECTION:
        if rng.random() < 0.3:
            steps.append(_investigation(desk, rng, later(3, 8), "复查"))
        steps.append(Step(T.CLOSE, later(2, 10), {"notes": rng.choice(INSPECTION_RESULTS)}))
        steps.append(Step(T.ARCHIVE, later(5, 15)))
        return
    if rng.random() < 0.35:
        steps.append(_investigation(desk, rng, later(3, 8), "调查询问，制作询问笔录"))
    notified = later(4, 12)
    steps.append(Step(T.NOTIFY, notified, {"notes": NOTICE}))
    window_end = calendar.add_workdays(notified, 5)
    if rng.random() < 0.65:
        steps.append(Step(T.WAIVE, later(1, 3), {"notes": "当事人书面表示放弃陈述、申辩和听证权利。"}))
    else:
        steps.append(Step(T.STATEMENT, later(1, 4), {"notes": rng.choice(STATEMENTS)}))
        day = max(day, window_end)
    if template.major:
        steps += _review_and_discussion(later(1, 4), calendar.add_workdays(day, rng.randint(2, 4)))
        day = steps[-1].day
    standard = desk.lines.get((template.power, template.line))
    if standard is not None:
        story.amount = _amount(rng, standard)
    steps.append(_decision(story, later(1, 3), standard))
    steps.append(Step(T.SERVE, later(0, 4), {"notes": "直接送达当事人。"}))
    _tail(story, calendar, rng, day, paid=template.kind in (K.PENALTY_ORDINARY,))


def _tail(story: Story, calendar: Calendar, rng: random.Random, served: datetime.date, paid: bool) -> None:
    """执行 (the fine paid within fifteen days, or the measure carried out), 结案, 归档; and the 公示."""
    steps = story.steps
    # Now and then a fine is not paid: the case waits, served, for the court's enforcement (第七十二条).
    if not (paid and story.template.kind == K.PENALTY_ORDINARY and rng.random() < 0.1):
        executed = served + datetime.timedelta(days=rng.randint(0, 14) if paid else rng.randint(1, 5))
        note = "当事人已按期缴纳罚款，有缴款凭证。" if paid else "已执行完毕。"
        steps.append(Step(T.EXECUTE, executed, {"notes": note}))
        closed = calendar.add_workdays(executed, rng.randint(1, 5))
        steps.append(Step(T.CLOSE, closed, {"notes": "案件执行完毕，予以结案。"}))
        steps.append(Step(T.ARCHIVE, calendar.add_workdays(closed, rng.randint(5, 30))))
    if story.template.kind in (K.PENALTY_SIMPLE, K.PENALTY_ORDINARY):
        decided = next(s.day for s in steps if s.name == T.DECIDE)
        # Published within the seven working days, and all of them before the year ends.
        steps.append(Step("publish", min(calendar.add_workdays(decided, rng.randint(1, 5)), CUTOFF)))


def _decision(story: Story, day: datetime.date, line: DiscretionStandard | None) -> Step:
    template = story.template
    power = story.desk.powers[template.power]
    notes = template.decision.format(basis=power.legal_basis, amount=story.amount)
    data: dict[str, Any] = {"notes": notes}
    if template.kind in (K.PENALTY_SIMPLE, K.PENALTY_ORDINARY) and story.amount is not None:
        data["penalty_amount"] = story.amount
        # A standard that takes effect later (one published in March) does not apply to an earlier decision.
        if line is not None and line.effective_from <= day:
            data["discretion_standard"] = line
    return Step(T.DECIDE, day, data)


def _review_and_discussion(reviewed: datetime.date, discussed: datetime.date) -> list[Step]:
    opinion = "经审核，本案事实清楚、证据确凿，适用依据正确，程序合法，裁量适当，同意拟作出的处理决定。"
    return [
        Step(T.REVIEW_PASS, reviewed, {"notes": opinion}),
        Step(T.DISCUSS, discussed, {"notes": "经局案件审理委员会集体讨论，同意按拟处理意见作出决定。"}),
    ]


NOTICE = (
    "送达行政处罚事先告知书，告知拟作出行政处罚的内容及事实、理由、依据，以及陈述、申辩和要求听证的权利。"
)
STATEMENTS = [
    "当事人提出书面陈述：系初次违法，已立即整改，请求从轻处罚。经复核，相关情况已在裁量中考虑。",
    "当事人陈述对违法事实无异议，表示今后严格遵守相关规定。",
    "当事人申辩称对相关规定不了解。经复核，申辩理由不成立，不予采纳。",
]
INSPECTION_RESULTS = [
    "检查未发现违法行为，予以结案。",
    "检查发现问题已当场责令整改，复查已整改到位，予以结案。",
    "检查发现的问题已下达责令改正通知书，当事人已整改，予以结案。",
]


WAIVED = "当事人书面表示放弃陈述、申辩和听证权利。"
SERVED = "直接送达当事人。"
RETURNED = "违法建设工程造价认定依据不足，缺少造价鉴定意见，请补充调查后重新告知。"
DECLINED = (
    "经审查，当事人行为尚未造成就诊人死亡或者严重损害健康等后果，未达到非法行医罪立案追诉标准，决定不予立案。"
)
REVOKED = (
    "新城区人民政府作出行政复议决定（新政复决字〔2024〕17号），以主要事实不清为由撤销该行政处罚决定，"
    "故撤回公示。"
)
REDUCED = "当事人系初次违法，危害后果轻微并及时改正，依据《中华人民共和国行政处罚法》第三十二条减轻处罚。"
UNLICENSED = Template(
    K.PENALTY_ORDINARY, "WJ-CF-002", "{party}未取得《医疗机构执业许可证》擅自执业", 0, line=reg.GENERAL,
    major=True, decision="依据{basis}，决定没收违法所得和药品、器械，并处罚款{amount}元。",
)  # fmt: skip
COUNTERFEIT = Template(K.INSPECTION, "SJ-JC-001", "对{party}涉嫌销售假冒注册商标的商品开展检查", 0)


def _written_stories(desks: dict[str, Desk], calendar: Calendar) -> list[Story]:
    """The stories the demo needs by name: a legal review returned first, hearings, a departure from the
    standard, two transfers to the police, a decision revoked on 行政复议, a case waiting for the reviewer."""
    rng = random.Random(RANDOM_SEED + 1)  # noqa: S311 -- the investigators and parties of these stories
    market, city, health = "区市场监管局", "区城管执法局", "区卫健委"
    loads = {load.staff: load for load in CASELOADS}

    def story(body: str, power: str | Template, party: str, month: int, day: int) -> Story:
        """A case of `body` registered on the working day from `month`/`day`: an ordinary penalty under
        `power`, or the template given."""
        load = loads[body]
        if isinstance(power, Template):
            template = power
        else:
            template = next(t for t in load.templates if t.power == power and t.kind == K.PENALTY_ORDINARY)
        registered = calendar.next_workday(datetime.date(YEAR, month, day))
        return Story(desks[body], template, _party(rng, load, party), registered, [])

    def at(start: datetime.date, workdays: int) -> datetime.date:
        return calendar.add_workdays(start, workdays)

    def decide(story: Story, amount: int, day: datetime.date, served: datetime.date) -> None:
        story.amount = Decimal(amount)
        line = story.desk.lines[(story.template.power, story.template.line)]
        story.steps += [_decision(story, day, line), Step(T.SERVE, served, {"notes": SERVED})]

    # 城管: unauthorised building, major. The reviewer returns it (the cost evidence is missing); after more
    # investigation a new notice, a hearing, the review passes, the heads discuss it, the fine is decided.
    building = story(city, "CG-CF-003", NATURAL, 4, 8)
    r = building.registered
    building.steps = [
        _investigation(desks[city], rng, at(r, 1)),
        _investigation(desks[city], rng, at(r, 5), "现场勘验测量，制作勘验笔录"),
        Step(T.NOTIFY, at(r, 8), {"notes": NOTICE}),
        Step(T.WAIVE, at(r, 10), {"notes": WAIVED}),
        Step(T.REVIEW_RETURN, at(r, 12), {"notes": RETURNED}),
        _investigation(desks[city], rng, at(r, 16), "委托造价鉴定，调取鉴定意见书"),
        Step(T.NOTIFY, at(r, 20), {"notes": NOTICE}),
        Step(T.REQUEST_HEARING, at(r, 22), {"notes": "当事人书面申请听证。"}),
        Step(T.HOLD_HEARING, at(r, 30), {"notes": "举行听证，当事人到场陈述申辩，对造价鉴定意见无异议。"}),
        *_review_and_discussion(at(r, 33), at(r, 35)),
    ]
    decide(building, 45000, at(r, 37), at(r, 38))
    _tail(building, calendar, rng, at(r, 38), paid=True)

    # 市场监管: expired food on sale, major, a hearing asked for and held.
    expired = story(market, "SJ-CF-002", LEGAL, 6, 11)
    r = expired.registered
    expired.steps = [
        _investigation(desks[market], rng, at(r, 1)),
        _investigation(desks[market], rng, at(r, 4), "调取进货台账，询问相关人员"),
        Step(T.NOTIFY, at(r, 10), {"notes": NOTICE}),
        Step(T.REQUEST_HEARING, at(r, 12), {"notes": "当事人委托代理人书面申请听证。"}),
        Step(
            T.HOLD_HEARING, at(r, 20), {"notes": "举行听证，当事人提出货值金额较小的申辩意见，已记录在案。"}
        ),
        *_review_and_discussion(at(r, 23), at(r, 25)),
    ]
    decide(expired, 60000, at(r, 27), at(r, 28))
    _tail(expired, calendar, rng, at(r, 28), paid=True)

    # 城管: kitchen fumes, not major, a hearing.
    fumes = story(city, "CG-CF-002", LEGAL, 8, 5)
    r = fumes.registered
    fumes.steps = [
        _investigation(desks[city], rng, at(r, 1), "现场检查，委托第三方监测油烟排放浓度"),
        Step(T.NOTIFY, at(r, 9), {"notes": NOTICE}),
        Step(T.REQUEST_HEARING, at(r, 11), {"notes": "当事人书面申请听证。"}),
        Step(T.HOLD_HEARING, at(r, 18), {"notes": "举行听证，当事人承认违法事实，称已安装净化设施。"}),
    ]
    decide(fumes, 8000, at(r, 20), at(r, 21))
    _tail(fumes, calendar, rng, at(r, 21), paid=True)

    # 市场监管: an inspection finds counterfeit goods; the case goes to the police, who open a criminal case.
    counterfeit = story(market, COUNTERFEIT, LEGAL, 5, 13)
    r = counterfeit.registered
    sent = {
        "receiving_authority": POLICE,
        "suspected_offence": "涉嫌销售假冒注册商标的商品罪",
        "facts": "当事人销售假冒注册商标的白酒，涉案货值约8.6万元，达到刑事立案追诉标准。",
        "documents_sha256": _hashes(r, "涉嫌犯罪案件移送书", "案件调查报告", "涉案物品清单"),
    }
    counterfeit.steps = [
        _investigation(desks[market], rng, at(r, 1), "现场检查，查获涉嫌假冒注册商标的白酒312瓶"),
        _investigation(desks[market], rng, at(r, 3), "询问当事人，调取销售记录，涉案货值约8.6万元"),
        Step("transfer", at(r, 5), sent),
        Step("reply", at(r, 14), {"accepted": True}),
        Step(T.CLOSE, at(r, 16), {"notes": "案件已移送公安机关并已立案，行政检查予以结案。"}),
        Step(T.ARCHIVE, at(r, 26)),
        Step(
            "outcome", datetime.date(YEAR, 9, 20), {"outcome": "公安机关已立案侦查，已移送检察院审查起诉。"}
        ),
    ]

    # 卫健: unlicensed practice of medicine; the police decline (below the threshold of the crime), the case
    # comes back and is decided as a major penalty after a hearing.
    unlicensed = story(health, UNLICENSED, NATURAL, 7, 22)
    r = unlicensed.registered
    reply = at(r, 30)
    sent = {
        "receiving_authority": POLICE,
        "suspected_offence": "涉嫌非法行医罪",
        "facts": "当事人未取得医生执业资格，在出租屋内非法开展诊疗活动。",
        "documents_sha256": _hashes(r, "涉嫌犯罪案件移送书", "案件调查报告", "询问笔录"),
    }
    unlicensed.steps = [
        _investigation(desks[health], rng, at(r, 1), "现场检查，当事人在出租屋内为他人诊疗"),
        _investigation(desks[health], rng, at(r, 5), "询问当事人及就诊人员，制作询问笔录"),
        Step("transfer", at(r, 14), sent),
        Step("reply", reply, {"accepted": False, "reason": DECLINED}),
        _investigation(desks[health], rng, at(reply, 2), "补充调查，核实违法所得"),
        Step(T.NOTIFY, at(reply, 4), {"notes": NOTICE}),
        Step(T.REQUEST_HEARING, at(reply, 6), {"notes": "当事人书面申请听证。"}),
        Step(T.HOLD_HEARING, at(reply, 11), {"notes": "举行听证，当事人对违法事实无异议，请求减轻处罚。"}),
        *_review_and_discussion(at(reply, 14), at(reply, 15)),
    ]
    decide(unlicensed, 50000, at(reply, 16), at(reply, 17))
    _tail(unlicensed, calendar, rng, at(reply, 17), paid=True)
    outcome = "公安机关不予立案，案件退回区卫生健康委员会依法作出行政处罚，罚款已缴纳。"
    unlicensed.steps.append(Step("outcome", at(reply, 24), {"outcome": outcome}))

    # 城管: construction waste; decided, served and published, then revoked on 行政复议: the publication is
    # withdrawn with its note, and the fine is never collected.
    waste = story(city, "CG-CF-004", LEGAL, 3, 11)
    r = waste.registered
    waste.steps = [
        _investigation(desks[city], rng, at(r, 1)),
        Step(T.NOTIFY, at(r, 8), {"notes": NOTICE}),
        Step(
            T.STATEMENT,
            at(r, 10),
            {"notes": "当事人申辩称建筑垃圾系他人倾倒。经复核，申辩理由不成立，不予采纳。"},
        ),
    ]
    decide(waste, 10000, at(r, 15), at(r, 16))
    waste.steps += [Step("publish", at(r, 18)), Step("withdraw", at(r, 65), {"note": REVOKED})]

    # 市场监管: a fine below the standard's range, with the reason written down (减轻处罚).
    reduced = story(market, "SJ-CF-001", NATURAL, 9, 9)
    r = reduced.registered
    reduced.steps = [
        _investigation(desks[market], rng, at(r, 1)),
        Step(T.NOTIFY, at(r, 6), {"notes": NOTICE}),
        Step(T.WAIVE, at(r, 7), {"notes": WAIVED}),
    ]
    decide(reduced, 2000, at(r, 9), at(r, 10))
    reduced.steps[-2].data["discretion_reason"] = REDUCED
    _tail(reduced, calendar, rng, at(r, 10), paid=True)

    # 市场监管: a major case notified and waived in December, waiting for the legal reviewer (the demo's
    # `reviewer` login finds it in the list).
    waiting = story(market, "SJ-CF-002", LEGAL, 12, 2)
    r = waiting.registered
    waiting.steps = [
        _investigation(desks[market], rng, at(r, 1)),
        _investigation(desks[market], rng, at(r, 4), "调取进货台账，询问相关人员"),
        Step(T.NOTIFY, at(r, 10), {"notes": NOTICE}),
        Step(T.WAIVE, at(r, 12), {"notes": WAIVED}),
    ]
    return [building, expired, fumes, counterfeit, unlicensed, waste, reduced, waiting]


def _hashes(day: datetime.date, *titles: str) -> list[str]:
    """The SHA-256 of the documents sent with a transfer (the files themselves stay with the body)."""
    return [hashlib.sha256(f"{title}·{day}".encode()).hexdigest() for title in titles]


def _number(stories: list[Story]) -> None:
    """Case numbers in the order the cases were registered: 新市监罚〔2024〕3号."""
    counters: dict[tuple[str, str], int] = defaultdict(int)
    for story in sorted(stories, key=lambda s: (s.registered, s.party.name)):
        word = KIND_WORDS[story.template.kind]
        counters[(story.desk.short, word)] += 1
        story.number = f"{story.desk.short}{word}〔{YEAR}〕{counters[(story.desk.short, word)]}号"


def _play(story: Story, stamps: Stamps) -> None:
    """Open the case and take its steps through the actions, as the body's people."""
    desk, template, party = story.desk, story.template, story.party
    clerk = desk.clerk
    with acting_as(clerk, "load-demo"):
        case = actions.open_case(
            clerk, unit=desk.unit, on=story.registered, number=story.number, kind=template.kind,
            power=desk.powers[template.power], cause=template.cause.format(party=party.name)[:300],
            party_name=party.name, party_type=party.type, party_id_number=party.id_number,
            party_address=party.address, is_major=template.major,
            notes="经审查，符合立案条件，予以立案。",
        )  # fmt: skip
    transfer: CaseTransfer | None = None
    for step in story.steps:
        data = dict(step.data)
        if step.name in REVIEW_STEPS:
            reviewer = desk.reviewer_user
            with acting_as(reviewer, "load-demo"):
                case = actions.advance(case, step.name, reviewer, on=step.day, reviewer=desk.reviewer, **data)
        elif step.name in T.values:
            if step.name == T.INVESTIGATE:
                data["evidence_sha256"] = [_evidence(story, step)]
            with acting_as(clerk, "load-demo"):
                case = actions.advance(case, step.name, clerk, on=step.day, **data)
        elif step.name == "publish":
            with acting_as(clerk, "load-demo"):
                published = publication.publish(case, clerk)
            stamps.published[published.pk] = step.day
        elif step.name == "withdraw":
            with acting_as(clerk, "load-demo"):
                withdrawn = publication.withdraw(Publication.objects.get(case=case), clerk, data["note"])
            stamps.withdrawn[withdrawn.pk] = step.day
        elif step.name == "transfer":
            with acting_as(clerk, "load-demo"):
                transfer = transfers.record_transfer(clerk, case, transferred_on=step.day, **data)
            stamps.transfers[transfer.pk] = step.day
        elif step.name == "reply":
            assert transfer is not None
            with acting_as(clerk, "load-demo"):
                transfer = transfers.record_reply(clerk, transfer, replied_on=step.day, **data)
        elif step.name == "outcome":
            assert transfer is not None
            with acting_as(clerk, "load-demo"):
                transfer = transfers.record_outcome(clerk, transfer, on=step.day, **data)
        else:
            raise ValueError(step.name)


def _evidence(story: Story, step: Step) -> str:
    """A file of the investigation (全过程记录), stored as a case step's evidence is: a photo of a simple
    procedure on the spot, else the inspection record."""
    if story.template.kind == K.PENALTY_SIMPLE:
        seed = int(hashlib.sha256(f"{story.number}{step.day}".encode()).hexdigest()[:8], 16)
        name, data = f"{story.number}现场照片.png", _png(random.Random(seed))  # noqa: S311
    else:
        lines = [
            "现场检查（勘验）笔录",
            f"案号：{story.number}",
            f"当事人：{story.party.name}",
            f"检查时间：{step.day:%Y年%m月%d日}",
            f"执法人员：{'、'.join(o.name for o in step.data['officers'])}",
            f"检查情况：{step.data['notes']}",
        ]
        name, data = f"{story.number}现场检查笔录.docx", _docx(lines)
    checked = case_evidence.check_file(name, data)
    case_evidence.store(checked)
    return checked.sha256


# --- 案卷评查 -----------------------------------------------------------------------------------------------

ITEM_COMMENTS = {
    "主体合法": "未记录执法人员出示执法证件的情况。",
    "事实证据": "现场检查笔录缺少当事人签名或者拒签说明。",
    "适用法律": "引用法律条款未具体到项。",
    "程序合法": "事先告知书未载明申请听证的期限。",
    "裁量适当": "未说明适用裁量基准的理由。",
    "文书规范": "卷内文书未按顺序编排页码。",
}


def _review_round(district: Region, coordinator: User, rng: random.Random, stamps: Stamps) -> None:
    """The third quarter's 案卷评查: eight closed files drawn from a recorded seed, scored, published."""
    with acting_as(coordinator, "load-demo"):
        checklist = file_review.save_checklist(
            coordinator, None, region=district, name="新城区行政执法案卷评查标准（2024年版）",
            effective_from=datetime.date(YEAR, 1, 1),
        )  # fmt: skip
        for order, (group, text, points) in enumerate(file_review.STANDARD_CHECKLIST, start=1):
            file_review.save_item(
                coordinator, None, checklist=checklist, group=group, text=text, max_points=Decimal(points),
                order=order,
            )  # fmt: skip
        round = file_review.create_round(
            coordinator, region=district, title="2024年第三季度行政执法案卷评查",
            period_start=datetime.date(YEAR, 7, 1), period_end=datetime.date(YEAR, 9, 30),
            checklist=checklist, sample_size=8,
        )  # fmt: skip
        round = file_review.draw(coordinator, round, seed=REVIEW_SEED)
        items = list(checklist.items.order_by("order"))
        for sample in round.samples.order_by("position"):
            scores = {}
            for item in items:
                share = rng.choice(("1", "1", "0.9", "0.8", "0.8", "0.6"))
                given = (item.max_points * Decimal(share) * 2).to_integral_value() / 2  # to half points
                comment = "" if given == item.max_points else ITEM_COMMENTS[item.group]
                scores[item.pk] = file_review.ItemScore(given, comment)
            file_review.score_file(coordinator, sample, scores, "案卷基本规范，扣分项已逐项注明。")
        file_review.publish(coordinator, round)
    stamps.round = {
        "created": datetime.date(YEAR, 10, 8),
        "drawn": datetime.date(YEAR, 10, 15),
        "scored": datetime.date(YEAR, 10, 22),
        "published": datetime.date(YEAR, 11, 5),
    }


# --- dating what the actions stamped with the clock --------------------------------------------------------


def _at(day: datetime.date, minutes: int) -> datetime.datetime:
    """`minutes` after 9:00 on `day`, Beijing time."""
    moment = datetime.datetime.combine(day, datetime.time(9)) + datetime.timedelta(minutes=minutes)
    return timezone.make_aware(moment)


def _backdate(district: Region, stamps: Stamps, rng: random.Random) -> None:
    """Move the clock's stamps to the stories' days, as an audited correction (see the module docstring)."""
    with acting_as(None, BACKDATE_SOURCE):
        events = CaseEvent.objects.filter(case__unit__region__path__startswith=district.path).select_related(
            "case__unit"
        )
        # Each step keyed in on its day, in office hours; a day's steps in the order they were taken.
        last: dict[tuple[int, datetime.date], int] = {}
        for event in events.order_by("case_id", "on", "pk"):
            key = (event.case_id, event.on)
            minutes = last[key] + rng.randint(5, 25) if key in last else rng.randint(0, 240)
            last[key] = minutes
            event.at = _at(event.on, minutes)
            event.save(update_fields=["at"])
        for pk, day in stamps.published.items():
            item = Publication.objects.select_related("unit").get(pk=pk)
            item.published_at = _at(day, rng.randint(30, 420))
            item.save(update_fields=["published_at"])
        for pk, day in stamps.withdrawn.items():
            item = Publication.objects.select_related("unit").get(pk=pk)
            item.withdrawn_at = _at(day, rng.randint(30, 420))
            item.save(update_fields=["withdrawn_at"])
        for pk, day in stamps.transfers.items():
            transfer = CaseTransfer.objects.select_related("unit").get(pk=pk)
            transfer.created_at = _at(day, rng.randint(30, 420))
            transfer.save(update_fields=["created_at"])
        if stamps.round:
            _backdate_round(district, stamps.round, rng)


def _backdate_round(district: Region, days: dict[str, datetime.date], rng: random.Random) -> None:
    round = FileReviewRound.objects.get(region=district, title="2024年第三季度行政执法案卷评查")
    round.created_at = _at(days["created"], 60)
    round.drawn_at = _at(days["drawn"], 30)
    round.published_at = _at(days["published"], 90)
    round.save(update_fields=["created_at", "drawn_at", "published_at"])
    moments = {"sampled": round.drawn_at, "scoring": _at(days["scored"], 0), "published": round.published_at}
    for event in round.events.order_by("pk"):
        event.round = round
        event.at = moments[event.to_status]
        event.save(update_fields=["at"])
    scored = days["scored"]
    for sample in round.samples.order_by("position"):
        sample.round = round
        sample.scored_at = _at(scored, rng.randint(0, 420))
        sample.save(update_fields=["scored_at"])
        scored = min(scored + datetime.timedelta(days=1), days["published"] - datetime.timedelta(days=3))
    adjustments = ScoreAdjustment.objects.filter(pk__in=round.body_results.values("adjustment_id"))
    for adjustment in adjustments.order_by("pk"):
        adjustment.created_at = round.published_at
        adjustment.save(update_fields=["created_at"])
