"""Plans written the way other regions write them: each snippet is a realistic excerpt of that style."""

from __future__ import annotations

from typing import Any

from fazhi.docparse import parse_plan_text


def by_path(text: str, year: int | None = None) -> dict[str, dict[str, Any]]:
    return {"/".join(t["path"]): t for t in parse_plan_text(text, year)["tasks"]}


COUNTY_OWN_LINES = """某某县2024年法治政府建设工作要点
一、深入学习贯彻习近平法治思想
（一）将习近平法治思想纳入县政府常务会议会前学法内容，全年学法不少于４次。
牵头单位：县司法局
配合单位：县委宣传部、县政府办公室
完成时限：2024年12月底前
（二）开展党政主要负责人述法工作。
责任单位：县委依法治县办，各乡镇人民政府
完成时限：第一季度
二、推进严格规范公正文明执法
（一）全面推行行政执法三项制度，重大执法决定法制审核率达到100%。
牵头单位：县司法局
责任单位：各行政执法单位
"""


def test_county_plan_with_own_line_roles_and_deadlines() -> None:
    tasks = by_path(COUNTY_OWN_LINES)
    first = tasks["一/(一)"]
    assert first["lead_units"] == ["县司法局"]
    assert first["cooperating_units"] == ["县委宣传部", "县政府办公室"]
    assert first["deadlines"] == [{"text": "2024年12月底前", "date": "2024-12-31", "rule": None}]
    assert tasks["一/(二)"]["deadlines"][0]["date"] == "2024-03-31"
    assert tasks["二/(一)"]["units"] == ["县司法局", "各行政执法单位"]
    assert tasks["二/(一)"]["targets"][0]["comparator"] == ">="


CITY_BRACKETS = """某市2023年法治政府建设工作计划
一、健全依法行政制度体系
1．加强规范性文件合法性审核，审核率达100%。〔牵头单位：市司法局；责任单位：市政府各部门、各区县政府〕
2．开展规范性文件清理，6月30日前完成。〔牵头单位：市司法局〕
二、提升行政复议应诉质效
1．行政机关负责人出庭应诉率保持100%。〔牵头单位：市司法局；配合单位：市中级法院；责任单位：各区县政府〕
"""


def test_city_plan_with_square_bracket_roles() -> None:
    tasks = by_path(CITY_BRACKETS)
    assert list(tasks) == ["一/1", "一/2", "二/1"]
    assert tasks["一/1"]["units"] == ["市司法局", "市政府各部门", "各区县政府"]
    assert tasks["一/2"]["deadlines"][0]["date"] == "2023-06-30"
    assert tasks["二/1"]["cooperating_units"] == ["市中级法院"]
    assert tasks["二/1"]["lead_units"] == ["市司法局"]


PDF_EXPORT = """某区2024年法治政府建设工作计划
一、加强党的领导
（一）学习贯彻习近平法治思想。将习近平法治思想纳入党委（党组）理论学习中心组
学习重点内容，全年集中学法不少于4次。（责任单位：区直各单位各部门、各街道办
事处）
- 2 -
（二）落实第一责任人职责。党政主要负责人年底前完成述法，述法覆盖率达100%
。（责任单位：区委依法治区办）
— 3 —
二、规范行政执法
（一）加强执法人员培训，每人每年不少于60学时，培训合格率达到95%以上，确保持
证上岗率100%。（责任单位：区司法局）
（二）推进执法监督，每季度开展一次案卷评查，评查结果10个工作日内通报各执法单位
并在门户网站公开。（责任单位：区司法局、各行政执法单位）
"""


def test_text_extracted_from_a_pdf_with_wrapped_lines_and_page_markers() -> None:
    tasks = by_path(PDF_EXPORT)
    assert list(tasks) == ["一/(一)", "一/(二)", "二/(一)", "二/(二)"]
    assert tasks["一/(一)"]["units"] == ["区直各单位各部门", "各街道办事处"]
    assert "- 2 -" not in str(tasks["一/(一)"]["text"])
    assert tasks["一/(二)"]["units"] == ["区委依法治区办"]
    assert tasks["二/(二)"]["recurrence"] == "quarterly"
    assert tasks["二/(二)"]["deadlines"][0]["rule"] == "10个工作日内"


DEPARTMENT_PLAN = """某市市场监督管理局2024年法治建设工作要点
一、总体要求
以习近平法治思想为指导，全面提升依法行政水平。
二、主要任务
（一）完善制度建设
1.制定年度立法计划，上半年报送市司法局。（法规科负责）
2.开展规范性文件清理。（法规科牵头，各业务科室配合）
（二）规范执法行为
1.每季度开展案卷评查，全年评查案卷不少于50卷。（法规科、稽查局负责）
三、保障措施
（一）加强组织领导。
（二）强化考核评价。
"""


def test_department_plan_with_sections_and_offices() -> None:
    tasks = by_path(DEPARTMENT_PLAN)
    assert list(tasks) == ["二/(一)/1", "二/(一)/2", "二/(二)/1"]
    assert tasks["二/(一)/2"]["cooperating_units"] == ["各业务科室"]
    assert tasks["二/(二)/1"]["targets"] == [
        {"text": "不少于50卷", "comparator": ">=", "value": 50, "value_max": None, "unit": "卷"}
    ]
    assert tasks["二/(一)/1"]["deadlines"][0]["date"] == "2024-06-30"


def test_year_argument_overrides_the_title() -> None:
    result = parse_plan_text("某区法治政府建设工作要点\n一、任务\n(一)11月底前完成。(区司法局负责)\n", 2025)
    assert result["year"] == 2025
    assert result["tasks"][0]["deadlines"][0]["date"] == "2025-11-30"


DIVISION_OF_WORK = """某县2024年法治政府建设重点任务分工方案
一、完善依法行政制度体系
1.开展行政规范性文件清理。（牵头单位：县司法局；责任单位：各乡镇人民政府、县直各部门；完成时限：2024年12月底）
2.落实重大行政决策程序。（县政府办公室牵头，县司法局配合）
"""


def test_division_of_work_with_deadline_inside_the_bracket() -> None:
    tasks = by_path(DIVISION_OF_WORK)
    first, second = tasks["一/1"], tasks["一/2"]
    assert first["text"] == "开展行政规范性文件清理。"
    assert first["deadlines"] == [{"text": "2024年12月底", "date": "2024-12-31", "rule": None}]
    assert first["units"] == ["县司法局", "各乡镇人民政府", "县直各部门"]
    assert (second["title"], second["text"]) == (None, "落实重大行政决策程序。")
    assert second["cooperating_units"] == ["县司法局"]
