"""The words of generated 公示 of penalty decisions: what the party did, the provision it broke, the one the
penalty rests on, by the kind of body that decides.

A body is matched by the first `Sector` whose marker its name contains (so 市场监管综合行政执法大队 reads as a
market regulator and 青石派出所 as the police); a body matching none uses `GENERIC`. Each `Violation` is the
conduct as a decision states it, after "当事人…", and two provisions of the same law: the one violated and
the one the penalty is imposed under. They are the provisions real decisions of the kind cite; the amounts
come from the case (its discretion standard), not from here.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import NamedTuple


class Violation(NamedTuple):
    conduct: str
    law: str
    violated: str  # the article broken
    penalised: str  # the article the penalty rests on
    business: bool = True  # committed at a place of business (else a site, a vehicle, a plot of land)


class Sector(NamedTuple):
    markers: tuple[str, ...]
    violations: tuple[Violation, ...]


V = Violation
FOOD = "《中华人民共和国食品安全法》"
AIR = "《中华人民共和国大气污染防治法》"

SECTORS: tuple[Sector, ...] = (
    Sector(("市场监", "市场监督"), (
        V("未取得食品经营许可从事餐饮服务活动", FOOD, "第三十五条第一款", "第一百二十二条第一款"),
        V("超范围经营，在食品经营许可核定的项目之外制售冷食类食品", FOOD, "第三十五条第一款",
          "第一百二十二条第一款"),
        V("经营超过保质期的预包装食品", FOOD, "第三十四条第十项", "第一百二十四条第一款第五项"),
        V("餐饮服务中使用未经清洗消毒的餐具", FOOD, "第三十三条第一款第五项", "第一百二十六条第一款第五项"),
        V("销售商品未按规定明码标价", "《中华人民共和国价格法》", "第十三条第一款", "第四十二条"),
        V("发布含有虚假内容的广告", "《中华人民共和国广告法》", "第二十八条第一款", "第五十五条第一款"),
    )),
    Sector(("城市管理", "镇人民政府", "乡人民政府", "街道办事处"), (
        V("擅自占用城市道路摆摊设点经营", "《城市市容和环境卫生管理条例》", "第十四条", "第三十六条第二项"),
        V("未经批准擅自设置户外广告设施", "《城市市容和环境卫生管理条例》", "第十一条", "第三十六条第三项"),
        V("餐饮服务场所未安装油烟净化设施，油烟直接排放", AIR, "第八十一条第一款", "第一百一十八条第一款"),
        V("未取得建设工程规划许可证进行建设", "《中华人民共和国城乡规划法》", "第四十条第一款", "第六十四条",
          False),
        V("露天焚烧秸秆、落叶等产生烟尘污染的物质", AIR, "第七十七条", "第一百一十九条第一款", False),
    )),
    Sector(("公安", "派出所"), (
        V("经营旅馆未按规定登记住宿旅客信息", "《中华人民共和国治安管理处罚法》", "第五十六条第一款",
          "第五十六条第一款"),
        V("娱乐场所超时营业", "《娱乐场所管理条例》", "第二十八条", "第五十条"),
        V("未取得《易制毒化学品购买备案证明》购买易制毒化学品", "《易制毒化学品管理条例》", "第十四条",
          "第三十八条第一款"),
    )),
    Sector(("交通运输",), (
        V("未取得道路运输经营许可，擅自从事道路旅客运输经营", "《中华人民共和国道路运输条例》", "第十条",
          "第六十三条", False),
        V("超范围从事道路货物运输经营，超出许可的经营范围", "《中华人民共和国道路运输条例》", "第二十四条",
          "第六十六条", False),
        V("驾驶超限运输车辆在公路上行驶", "《公路安全保护条例》", "第三十五条", "第六十四条", False),
    )),
    Sector(("生态环境",), (
        V("超过大气污染物排放标准排放大气污染物", AIR, "第十八条", "第九十九条第二项"),
        V("建设项目环境影响报告表未经批准擅自开工建设", "《中华人民共和国环境影响评价法》", "第二十五条",
          "第三十一条第一款"),
        V("餐饮服务项目油烟排放超过排放标准", AIR, "第八十一条第一款", "第一百一十八条第一款"),
    )),
    Sector(("自然资源",), (
        V("未经批准非法占用集体土地建设厂房", "《中华人民共和国土地管理法》", "第四十四条第一款",
          "第七十七条第一款", False),
        V("未取得采矿许可证擅自开采建筑用砂石", "《中华人民共和国矿产资源法》", "第三条第三款",
          "第三十九条第一款", False),
    )),
    Sector(("卫生健康",), (
        V("未取得《医疗机构执业许可证》擅自执业", "《中华人民共和国基本医疗卫生与健康促进法》", "第三十八条",
          "第九十九条第一款"),
        V("超范围开展诊疗活动，诊疗科目超出登记范围", "《医疗机构管理条例》", "第二十六条", "第四十六条"),
        V("公共场所未取得卫生许可证擅自营业", "《公共场所卫生管理条例》", "第八条", "第十四条第一款第四项"),
    )),
    Sector(("文化",), (
        V("互联网上网服务营业场所接纳未成年人进入", "《互联网上网服务营业场所管理条例》", "第二十一条",
          "第三十一条第二项"),
        V("未取得营业性演出许可证擅自举办营业性演出", "《营业性演出管理条例》", "第十三条第一款",
          "第四十三条第一款"),
    )),
    Sector(("农业",), (
        V("经营劣质农药", "《农药管理条例》", "第二十九条", "第五十六条第一款"),
        V("未取得种子生产经营许可证生产经营种子", "《中华人民共和国种子法》", "第三十三条第一款",
          "第七十六条第一款"),
    )),
    Sector(("应急管理",), (
        V("未按照规定对从业人员进行安全生产教育和培训", "《中华人民共和国安全生产法》", "第二十八条第一款",
          "第九十七条第三项"),
        V("未取得危险化学品经营许可证经营危险化学品", "《危险化学品安全管理条例》", "第三十三条第一款",
          "第七十七条第三款"),
    )),
    Sector(("消防",), (
        V("占用、堵塞、封闭疏散通道、安全出口", "《中华人民共和国消防法》", "第二十八条",
          "第六十条第一款第三项"),
        V("消防设施、器材未保持完好有效", "《中华人民共和国消防法》", "第十六条第一款第二项",
          "第六十条第一款第一项"),
    )),
    Sector(("人力资源",), (
        V("未按照规定向劳动者支付加班工资", "《劳动保障监察条例》", "第十一条", "第二十六条"),
        V("未依法为劳动者办理社会保险登记", "《中华人民共和国社会保险法》", "第五十八条第一款", "第八十四条"),
    )),
    Sector(("住房和城乡建设",), (
        V("未取得施工许可证擅自施工", "《建设工程质量管理条例》", "第十三条", "第五十七条", False),
        V("未取得燃气经营许可证从事燃气经营活动", "《城镇燃气管理条例》", "第十五条第一款",
          "第四十五条第一款"),
    )),
    Sector(("水务",), (
        V("未取得取水许可擅自取水", "《中华人民共和国水法》", "第四十八条第一款", "第六十九条第二项", False),
    )),
    Sector(("烟草",), (
        V("无烟草专卖零售许可证经营烟草制品零售业务", "《中华人民共和国烟草专卖法实施条例》", "第十条",
          "第五十七条"),
    )),
    Sector(("税务",), (
        V("未按照规定期限办理纳税申报和报送纳税资料", "《中华人民共和国税收征收管理法》", "第二十五条第一款",
          "第六十二条"),
    )),
    Sector(("发展和改革",), (
        V("不执行政府指导价，超出规定的收费标准收取费用", "《中华人民共和国价格法》", "第十二条",
          "第三十九条"),
    )),
    Sector(("财政",), (
        V("未按照规定设置会计账簿", "《中华人民共和国会计法》", "第三条", "第四十二条第一款第一项"),
    )),
    Sector(("教育",), (
        V("未经审批擅自举办学科类校外培训机构", "《中华人民共和国民办教育促进法》", "第十二条",
          "第六十四条"),
    )),
    Sector(("统计",), (
        V("提供不真实的统计资料", "《中华人民共和国统计法》", "第七条", "第四十一条第二款第二项"),
    )),
    Sector(("医疗保障",), (
        V("超范围使用医疗保障基金结算费用", "《医疗保障基金使用监督管理条例》", "第十五条第一款",
          "第三十八条第一款第六项"),
    )),
    Sector(("林业",), (
        V("未取得林木采伐许可证滥伐林木", "《中华人民共和国森林法》", "第五十六条第一款", "第七十六条第二款",
          False),
    )),
    Sector(("司法",), (
        V("未取得法律职业资格擅自以律师名义从事有偿法律服务", "《中华人民共和国律师法》", "第十三条",
          "第五十五条"),
    )),
)  # fmt: skip
GENERIC = (
    V("未按照规定履行法定义务", "《中华人民共和国行政处罚法》", "第三条", "第九条"),
    V("未取得相关行政许可擅自从事经营活动", "《中华人民共和国行政许可法》", "第十二条", "第八十一条"),
)

ROADS = ("人民路", "建设路", "解放路", "中山路", "新华路", "和平路", "文化路", "胜利路", "工业路", "迎宾大道")
SITES = ("经营场所", "门店", "营业场所", "店铺")
EVIDENCE = (
    "现场检查笔录、询问笔录、现场照片",
    "现场检查笔录、询问笔录、营业执照复印件",
    "现场笔录、视听资料、当事人陈述",
    "询问笔录、相关票据、执法记录仪视频",
)
# How an inspection came about, before "执法人员…".
ORIGINS = ("根据群众举报，", "在日常监督检查中，", "根据“双随机、一公开”抽查安排，", "根据上级交办线索，", "")
WITHDRAWAL = (
    "经{county}人民政府行政复议决定撤销原处罚决定（{county}政复决〔{year}〕{n}号）。",
    "经{court}判决撤销原处罚决定（（{year}）{court_code}行初{n}号）。",
    "原处罚决定适用依据错误，本机关已依法自行撤销。",
)


def sector_of(body_name: str) -> tuple[Violation, ...]:
    for sector in SECTORS:
        if any(marker in body_name for marker in sector.markers):
            return sector.violations
    return GENERIC


def yuan(amount: Decimal) -> str:
    """2300.00 → 2300, 125.50 → 125.50 (a decision states whole yuan without decimals)."""
    text = f"{amount:.2f}"
    return text[:-3] if text.endswith(".00") else text


def facts(rng: random.Random, violation: Violation, party: str, place: str, on: str) -> str:
    site = rng.choice(SITES) if violation.business else "现场"
    extra = f"，违法所得{rng.randrange(2, 90) * 100}元" if violation.business and rng.random() < 0.3 else ""
    return (
        f"{rng.choice(ORIGINS)}执法人员于{on}对{party}位于{place}的{site}进行检查，发现当事人{violation.conduct}"
        f"{extra}。上述事实有{rng.choice(EVIDENCE)}等证据证实，当事人对违法事实无异议。"
    )


def decision(violation: Violation, cause: str, party: str, items: list[str], simple: bool) -> str:
    how = "当场作出如下行政处罚" if simple else "决定作出如下行政处罚"
    return (
        f"当事人的上述行为违反了{violation.law}{violation.violated}的规定，属{cause}所涉违法行为。依据"
        f"{violation.law}{violation.penalised}的规定，对当事人{party}{how}：{'；'.join(items)}。"
    )
