"""The numbered outline at any depth, in every numbering form, with headings on their own line or inline."""

from __future__ import annotations

from typing import Any

from fazhi.docparse import parse_plan_text
from fazhi.docparse.outline import line_labels
from fazhi.docparse.text import fold

TITLE = "某区2024年法治政府建设工作要点\n"


def tasks(body: str) -> dict[str, dict[str, Any]]:
    return {"/".join(t["path"]): t for t in parse_plan_text(TITLE + body)["tasks"]}


def test_labels_in_every_form_fold_to_ascii_paths() -> None:
    assert [lb.text for lb in line_labels(fold("（三）加强培训"))] == ["(三)"]
    assert [lb.text for lb in line_labels(fold("１．加强培训"))] == ["1"]
    assert [lb.text for lb in line_labels(fold("2、加强培训"))] == ["2"]
    assert [lb.text for lb in line_labels(fold("(4)加强培训"))] == ["(4)"]
    assert [lb.text for lb in line_labels(fold("③加强培训"))] == ["③"]
    assert [lb.text for lb in line_labels(fold("十二、加强培训"))] == ["十二"]


def test_numbers_that_are_not_labels() -> None:
    for line in ("1.5亿元用于建设", "2024年完成", "12345热线", "(2021-2025年)"):
        assert line_labels(fold(line)) == []


def test_run_together_area_and_first_task() -> None:
    found = tasks("一、1.推行三项制度。(责任单位:区司法局)\n2.开展评查。(责任单位:各行政执法单位)\n")
    assert list(found) == ["一/1", "一/2"]


def test_heading_and_first_child_on_one_line() -> None:
    found = tasks("一、严格规范执法1.推行三项制度。(责任单位:区司法局)\n2.开展评查。(区司法局负责)\n")
    assert list(found) == ["一/1", "一/2"]
    assert found["一/1"]["text"] == "推行三项制度。"


def test_full_width_numbers_and_circled_sub_items() -> None:
    body = (
        "一、加强执法监督\n（一）完善监督机制\n"
        "①建立执法监督员制度。（责任单位：区司法局）\n②开展执法检查，全年不少于２次。（责任单位：各行政执法单位）\n"
    )
    found = tasks(body)
    assert list(found) == ["一/(一)/①", "一/(一)/②"]
    assert found["一/(一)/②"]["targets"][0]["value"] == 2


def test_inline_heading_becomes_the_title() -> None:
    found = tasks("一、主要任务\n(一)坚持依法决策。严格执行重大行政决策程序。(责任单位:区政府办公室)\n")
    assert found["一/(一)"]["title"] == "坚持依法决策"
    assert found["一/(一)"]["text"] == "严格执行重大行政决策程序。"


def test_heading_on_its_own_line_becomes_the_title() -> None:
    found = tasks("一、主要任务\n(一)坚持依法决策\n严格执行重大行政决策程序。(责任单位:区政府办公室)\n")
    assert found["一/(一)"]["title"] == "坚持依法决策"


def test_task_spanning_two_paragraphs_keeps_both() -> None:
    body = (
        "一、主要任务\n(一)加强执法人员管理\n全面落实持证上岗制度。\n"
        "规范执法辅助人员管理。(责任单位:区司法局)\n(二)下一项。(责任单位:区法院)\n"
    )
    found = tasks(body)
    assert found["一/(一)"]["text"] == "全面落实持证上岗制度。\n规范执法辅助人员管理。"


def test_closing_remarks_after_the_last_task_are_not_part_of_it() -> None:
    body = (
        "一、主要任务\n(一)做好年度报告。(责任单位:区政府办公室)\n各单位要高度重视,确保各项任务落地落实。\n"
    )
    assert tasks(body)["一/(一)"]["text"] == "做好年度报告。"


def test_framing_sections_are_not_tasks() -> None:
    body = (
        "一、指导思想\n坚持以习近平法治思想为指导。\n二、工作目标\n到年底基本建成法治政府。\n"
        "三、重点任务\n(一)推进依法决策。(责任单位:区司法局)\n四、保障措施\n(一)加强组织领导。各单位要落实责任。\n"
    )
    assert list(tasks(body)) == ["三/(一)"]


def test_sub_points_introduced_by_a_colon_belong_to_their_task() -> None:
    body = (
        "一、主要任务\n1.加强执法培训,重点做好:\n(1)开展岗位培训;\n(2)开展年度轮训。\n"
        "责任单位:区司法局\n2.开展评查。(责任单位:区法院)\n"
    )
    found = tasks(body)
    assert list(found) == ["一/1", "一/2"]
    assert "(1)开展岗位培训;" in str(found["一/1"]["text"])
    assert found["一/1"]["units"] == ["区司法局"]


def test_heading_responsibility_is_inherited_by_its_items() -> None:
    body = "一、主要任务\n(一)严格规范执法(牵头单位:区司法局)\n1.推行三项制度。\n2.开展案卷评查。\n"
    found = tasks(body)
    assert list(found) == ["一/(一)/1", "一/(一)/2"]
    assert found["一/(一)/2"]["lead_units"] == ["区司法局"]


def test_cover_notice_numbered_paragraphs_are_not_tasks() -> None:
    text = (
        "关于印发《某区2024年法治政府建设工作要点》的通知\n各街道办事处,区政府各部门:\n"
        "现将《某区2024年法治政府建设工作要点》印发给你们,现就有关事项通知如下:\n"
        "一、提高认识。各单位要高度重视。\n二、按时报送。请于12月10日前报送总结。\n"
        "某区人民政府办公室\n2024年3月1日\n" + TITLE + "一、重点任务\n(一)推进依法决策。(责任单位:区司法局)\n"
    )
    result = parse_plan_text(text)
    assert [t["path"] for t in result["tasks"]] == [["一", "(一)"]]
    assert (result["issuer"], result["date"]) == ("某区人民政府办公室", "2024-03-01")
