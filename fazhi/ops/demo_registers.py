"""The demo's enforcement registers: what 新城区's bodies would send the 司法局, one spreadsheet per register.

The rows are data, written as an office writes them (units by the names the district uses, 是/否, dates as
text); `fazhi.ops.demo_enforcement` builds the files and imports them through the register import. Powers,
their 裁量基准 and the cases that use them share the codes below.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

D = datetime.date

ISSUER = "内蒙古自治区人民政府"  # 行政执法证 in 内蒙古 are issued by the autonomous region's government

# --- 执法主体 ----------------------------------------------------------------------------------------------

STATUTORY, AUTHORISED, ENTRUSTED = "法定行政机关", "法律法规授权的组织", "受委托组织"

# Each department's field and the laws it enforces (its 三定方案 is named the same way for all).
DEPARTMENTS: dict[str, tuple[str, str]] = {
    "新城区司法局": ("司法行政", "《中华人民共和国律师法》《中华人民共和国法律援助法》"),
    "新城区发展和改革委员会": ("发展改革", "《中华人民共和国节约能源法》《中华人民共和国招标投标法》"),
    "新城区政务服务与数据管理局": ("政务服务", "《中华人民共和国行政许可法》"),
    "呼和浩特市公安局新城区分局": (
        "公安",
        "《中华人民共和国治安管理处罚法》《中华人民共和国道路交通安全法》",
    ),
    "新城区应急管理局": ("应急管理", "《中华人民共和国安全生产法》《中华人民共和国消防法》"),
    "新城区市场监督管理局": (
        "市场监管",
        "《中华人民共和国食品安全法》《中华人民共和国产品质量法》《中华人民共和国价格法》",
    ),
    "新城区住房和城乡建设局": ("住房城乡建设", "《中华人民共和国建筑法》《建设工程质量管理条例》"),
    "新城区教育局": ("教育", "《中华人民共和国教育法》《中华人民共和国民办教育促进法》"),
    "新城区财政局": ("财政", "《中华人民共和国会计法》《中华人民共和国政府采购法》"),
    "新城区民政局": ("民政", "《社会团体登记管理条例》《殡葬管理条例》"),
    "新城区卫生健康委员会": (
        "卫生健康",
        "《中华人民共和国基本医疗卫生与健康促进法》《公共场所卫生管理条例》",
    ),
    "新城区人力资源和社会保障局": ("人力资源社会保障", "《中华人民共和国劳动法》《保障农民工工资支付条例》"),
    "新城区城市管理综合行政执法局": (
        "城市管理",
        "《城市市容和环境卫生管理条例》《城市道路管理条例》《中华人民共和国城乡规划法》",
    ),
}
# The street office that acts for the 城管 bureau under a written entrustment (行政处罚法第二十条); the other
# streets hold the powers the autonomous region gave them (第二十四条).
ENTRUSTED_STREET = ("海拉尔东路街道办事处", "区城管执法局")


# --- 执法人员 ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Staff:
    """A body's officers as its register lists them; `special` names officers the demo needs by name."""

    unit: str  # the name the office writes
    full_name: str  # the directory's name
    short: str  # for case numbers: 新市监罚〔2024〕3号
    area: str  # 执法领域
    size: int
    reviewers: int
    first_number: int  # 执法证号 150102<first_number + i>
    special: dict[str, dict[str, object]] = field(default_factory=dict)


# The demo's officer and legal reviewer logins (`officer`, `reviewer`) are 刘强 and 高敏 of the 市场监管局.
OFFICER_NAME, REVIEWER_NAME = "刘强", "高敏"
EXPIRING = "expiring"  # a certificate that ends `days` after the day the demo is loaded

STAFF = [
    Staff(
        "区市场监管局", "新城区市场监督管理局", "新市监", "市场监管", 12, 2, 21001,
        {
            OFFICER_NAME: {"login": "officer"},
            REVIEWER_NAME: {"reviewer": True, "login": "reviewer"},
            "陈立伟": {"valid_to": EXPIRING, "days": 45},
        },
    ),
    Staff(
        "区城管执法局", "新城区城市管理综合行政执法局", "新城管", "城市管理", 12, 1, 31001,
        {
            "何振东": {"valid_to": D(2024, 6, 30)},  # expired in the demo year and not renewed
            "吴俊峰": {"active": False},  # transferred out (调离)
            "邓晓光": {"valid_to": EXPIRING, "days": 75},
        },
    ),
    Staff(
        "区卫健委", "新城区卫生健康委员会", "新卫健", "卫生健康", 6, 1, 41001,
        {"林雪": {"valid_to": D(2024, 9, 30)}},
    ),
    Staff(
        "区应急局", "新城区应急管理局", "新应急", "应急管理", 5, 1, 51001,
        {"冯建军": {"valid_to": D(2025, 3, 31)}},
    ),
    Staff("区司法局", "新城区司法局", "新司", "司法行政", 4, 1, 11001),
    # Four officers and no legal reviewer: short of the 5% rule, as the figures show.
    Staff("区住建局", "新城区住房和城乡建设局", "新住建", "住房城乡建设", 4, 0, 61001),
]  # fmt: skip

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"  # noqa: E501
GIVEN = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀英", "华", "鹏", "建华", "建国", "志强", "海燕", "晓东", "文博", "雅琴", "宏伟", "丽华", "晓峰",
    "春梅", "国栋", "慧", "斌", "婷", "宇", "浩然", "志刚", "巴特尔", "其其格", "乌兰", "苏日娜",
]  # fmt: skip

# Training sessions of 2024 that every body's officers attend (date, hours, subject); each body adds its own.
TRAINING_ALL = [
    (D(2024, 3, 21), 16, "《中华人民共和国行政处罚法》专题培训"),
    (D(2024, 5, 16), 8, "《中华人民共和国行政复议法》（2023年修订）解读"),
    (D(2024, 9, 12), 12, "行政执法“三项制度”及案卷制作规范培训"),
]
TRAINING_BODY = {
    "市场监管": [(D(2024, 4, 25), 16, "食品安全监管执法实务"), (D(2024, 10, 17), 8, "价格监督检查业务培训")],
    "城市管理": [(D(2024, 4, 11), 16, "城市管理综合执法业务培训"), (D(2024, 10, 24), 8, "违法建设查处程序")],
    "卫生健康": [(D(2024, 6, 13), 16, "卫生监督执法业务培训")],
    "应急管理": [(D(2024, 6, 20), 16, "安全生产执法检查实务")],
    "司法行政": [(D(2024, 7, 11), 8, "律师行业监管执法培训")],
    "住房城乡建设": [(D(2024, 7, 18), 8, "建筑市场执法检查培训")],
}
ONLINE = "内蒙古自治区行政执法人员网络学习（线上课程）"

# --- 权责清单 and 裁量基准 --------------------------------------------------------------------------------

CF, JC, QZ, XK = "处罚", "检查", "强制", "许可"


# Most standards took effect with the year, published mid-December and filed within the 15 days.
IN_FORCE, PUBLISHED, FILED = D(2024, 1, 1), D(2023, 12, 15), D(2023, 12, 22)


@dataclass(frozen=True)
class Line:
    """One line of a 裁量基准: circumstance, fine range, in force from, published on, filed on."""

    circumstance: str
    low: int
    high: int
    start: datetime.date = IN_FORCE
    published: datetime.date | None = PUBLISHED
    filed: datetime.date | None = FILED
    end: datetime.date | None = None


@dataclass(frozen=True)
class PowerRow:
    code: str
    name: str
    kind: str
    basis: str
    lines: tuple[Line, ...] = ()


SLIGHT, GENERAL, SERIOUS = "违法情节轻微", "一般违法情节", "严重违法情节"

POWERS: dict[str, list[PowerRow]] = {
    "区市场监管局": [
        PowerRow("SJ-CF-001", "对食品经营者未按规定查验进货票据的处罚", CF,
                 "《中华人民共和国食品安全法》第一百二十六条第一款第（三）项",
                 (Line(GENERAL, 5000, 20000), Line(SERIOUS, 20000, 50000))),
        PowerRow("SJ-CF-002", "对经营超过保质期的食品的处罚", CF,
                 "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
                 (Line(GENERAL, 50000, 100000), Line(SERIOUS, 100000, 300000))),
        PowerRow("SJ-CF-003", "对经营者不明码标价的处罚", CF, "《中华人民共和国价格法》第四十二条",
                 (Line(SLIGHT, 100, 2000), Line(GENERAL, 2000, 5000))),
        PowerRow("SJ-CF-004", "对销售侵犯注册商标专用权商品的处罚", CF,
                 "《中华人民共和国商标法》第六十条第二款",
                 (Line(GENERAL, 10000, 100000), Line(SERIOUS, 100000, 250000))),
        PowerRow("SJ-JC-001", "对食品经营者的监督检查", JC, "《中华人民共和国食品安全法》第一百一十条"),
        PowerRow("SJ-JC-002", "对特种设备使用单位的监督检查", JC,
                 "《中华人民共和国特种设备安全法》第五十七条"),
        PowerRow("SJ-QZ-001", "查封、扣押不符合食品安全标准的食品", QZ,
                 "《中华人民共和国食品安全法》第一百一十条第（四）项"),
        PowerRow("SJ-XK-001", "食品经营许可", XK, "《中华人民共和国食品安全法》第三十五条"),
    ],
    "区城管执法局": [
        PowerRow("CG-CF-001", "对擅自占用城市道路的处罚", CF, "《城市道路管理条例》第四十二条",
                 (Line(SLIGHT, 100, 1000, published=D(2023, 12, 8), filed=D(2023, 12, 20)),
                  Line(GENERAL, 1000, 5000, published=D(2023, 12, 8), filed=D(2023, 12, 20)),
                  Line(SERIOUS, 5000, 20000, published=D(2023, 12, 8), filed=D(2023, 12, 20)))),
        PowerRow("CG-CF-002", "对餐饮服务单位未使用油烟净化设施或者超标排放油烟的处罚", CF,
                 "《中华人民共和国大气污染防治法》第一百一十八条第一款",
                 # Filed 40 days after publication: late, as the register shows.
                 (Line(GENERAL, 5000, 20000, published=D(2023, 12, 8), filed=D(2024, 1, 17)),
                  Line(SERIOUS, 20000, 50000, published=D(2023, 12, 8), filed=D(2024, 1, 17)))),
        PowerRow("CG-CF-003", "对未取得建设工程规划许可证进行建设的处罚", CF,
                 "《中华人民共和国城乡规划法》第六十四条",
                 (Line("尚可采取改正措施消除对规划实施的影响", 20000, 100000,
                       published=D(2023, 12, 8), filed=D(2023, 12, 20)),
                  # The old standard, replaced at the end of 2023.
                  Line("尚可采取改正措施消除对规划实施的影响", 10000, 80000, start=D(2021, 7, 15),
                       published=D(2021, 7, 1), filed=D(2021, 7, 9), end=D(2023, 12, 31)))),
        PowerRow("CG-CF-004", "对随意倾倒、抛撒、堆放建筑垃圾的处罚", CF,
                 "《城市建筑垃圾管理规定》第二十六条",
                 (Line(GENERAL, 5000, 20000, published=D(2023, 12, 8), filed=D(2023, 12, 20)),
                  Line(SERIOUS, 20000, 50000, published=D(2023, 12, 8), filed=D(2023, 12, 20)))),
        PowerRow("CG-JC-001", "对市容环境卫生的监督检查", JC, "《城市市容和环境卫生管理条例》第三十二条"),
        PowerRow("CG-QZ-001", "强制拆除违法建设", QZ,
                 "《中华人民共和国行政强制法》第四十四条；《中华人民共和国城乡规划法》第六十八条"),
    ],
    "区卫健委": [
        PowerRow("WJ-CF-001", "对公共场所经营者未取得卫生许可证擅自营业的处罚", CF,
                 "《公共场所卫生管理条例实施细则》第三十五条",
                 (Line(SLIGHT, 500, 2000, published=D(2024, 1, 10), filed=D(2024, 1, 19)),
                  Line(GENERAL, 2000, 5000, published=D(2024, 1, 10), filed=D(2024, 1, 19)))),
        PowerRow("WJ-CF-002", "对未取得医疗机构执业许可证擅自执业的处罚", CF,
                 "《中华人民共和国基本医疗卫生与健康促进法》第九十九条第一款",
                 (Line(GENERAL, 50000, 100000, published=D(2024, 1, 10), filed=D(2024, 1, 19)),
                  Line(SERIOUS, 100000, 200000, published=D(2024, 1, 10), filed=D(2024, 1, 19)))),
        PowerRow("WJ-JC-001", "对公共场所卫生的监督检查", JC, "《公共场所卫生管理条例》第十一条"),
        PowerRow("WJ-JC-002", "对医疗机构依法执业的监督检查", JC, "《医疗机构管理条例》第四十条"),
    ],
    "区应急局": [
        PowerRow("YJ-CF-001", "对生产经营单位未按规定对从业人员进行安全生产教育和培训的处罚", CF,
                 "《中华人民共和国安全生产法》第九十七条第（三）项",
                 # Published in March and never filed: overdue, as the register shows.
                 (Line(GENERAL, 10000, 50000, start=D(2024, 3, 1), published=D(2024, 3, 1), filed=None),
                  Line(SERIOUS, 50000, 100000, start=D(2024, 3, 1), published=D(2024, 3, 1), filed=None))),
        PowerRow("YJ-CF-002", "对未在有较大危险因素的生产经营场所设置明显的安全警示标志的处罚", CF,
                 "《中华人民共和国安全生产法》第九十九条第（一）项",
                 (Line(GENERAL, 5000, 20000), Line(SERIOUS, 20000, 50000))),
        PowerRow("YJ-JC-001", "安全生产监督检查", JC, "《中华人民共和国安全生产法》第六十五条"),
        PowerRow("YJ-QZ-001", "查封、扣押不符合保障安全生产的国家标准或者行业标准的设施、设备、器材", QZ,
                 "《中华人民共和国安全生产法》第六十五条第一款第（四）项"),
    ],
    "区司法局": [
        PowerRow("SF-CF-001", "对律师事务所违反规定接受委托、收取费用的处罚", CF,
                 "《中华人民共和国律师法》第五十条",
                 (Line(GENERAL, 10000, 50000), Line(SERIOUS, 50000, 100000))),
        PowerRow("SF-JC-001", "对律师事务所的监督检查", JC, "《律师事务所管理办法》第五十二条"),
    ],
    "区住建局": [
        PowerRow("ZJ-CF-001", "对施工单位未对建筑材料进行检验的处罚", CF,
                 "《建设工程质量管理条例》第六十五条",
                 (Line(GENERAL, 100000, 150000), Line(SERIOUS, 150000, 200000))),
        PowerRow("ZJ-JC-001", "对建筑工程施工现场的监督检查", JC, "《建设工程质量管理条例》第四十八条"),
    ],
}  # fmt: skip
