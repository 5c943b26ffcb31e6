"""Both seed plans parse end to end into the hand-checked golden JSON (fixtures/000_expected.json, 002_…)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fazhi.docparse import parse_plan_document, parse_plan_file

CASES = [("000_04f4bfefc4535b71.txt", "000_expected.json"), ("002_67b0e456f0c9070f.txt", "002_expected.json")]


@pytest.mark.parametrize(("seed", "golden"), CASES)
def test_seed_plan_matches_golden_json(seeds: Path, fixtures: Path, seed: str, golden: str) -> None:
    expected = json.loads((fixtures / golden).read_text(encoding="utf-8"))
    actual = parse_plan_file(seeds / seed)
    assert {k: v for k, v in actual.items() if k != "tasks"} == {
        k: v for k, v in expected.items() if k != "tasks"
    }
    assert [t["path"] for t in actual["tasks"]] == [t["path"] for t in expected["tasks"]]
    for got, want in zip(actual["tasks"], expected["tasks"], strict=True):
        assert got == want, "/".join(want["path"])


def test_scraped_page_holding_the_plan_twice_yields_each_task_once(seeds: Path) -> None:
    result = parse_plan_file(seeds / "000_04f4bfefc4535b71.txt")
    paths = [tuple(task["path"]) for task in result["tasks"]]
    assert len(paths) == len(set(paths)) == 30
    assert [p[0] for p in paths if p[1] == "(一)"] == list("一二三四五六七八九")
    assert any("重复" in warning for warning in result["warnings"])


def test_seed_000_metadata_comes_from_the_page_and_the_signature(seeds: Path) -> None:
    result = parse_plan_file(seeds / "000_04f4bfefc4535b71.txt")
    assert result["title"] == "新城区2024年法治政府建设工作计划"
    assert result["issuer"] == "呼和浩特市新城区人民政府办公室"
    # The page's 文号 field is empty; 新政办发〔2024〕19号 in 四(一) is the number of another document.
    assert result["doc_number"] is None
    assert (result["date"], result["year"], result["kind"]) == ("2024-08-06", 2024, "plan")


def test_seed_002_framing_sections_are_not_tasks(seeds: Path) -> None:
    result = parse_plan_file(seeds / "002_67b0e456f0c9070f.txt")
    assert {task["path"][0] for task in result["tasks"]} == {"二"}
    assert len(result["tasks"]) == 39
    assert result["doc_number"] == "莲政办发〔2017〕20号"


def test_seed_002_roles_inside_brackets(seeds: Path) -> None:
    tasks = {"/".join(t["path"]): t for t in parse_plan_file(seeds / "002_67b0e456f0c9070f.txt")["tasks"]}
    learning = tasks["二/(二)/1"]
    assert learning["lead_units"] == ["区法制办"]
    assert learning["cooperating_units"] == ["区政府办"]
    assert learning["units"] == ["区法制办", "区政府办", "区政府各部门", "各单位"]
    assert tasks["二/(一)/2"]["lead_units"] == ["区法制办"]
    assert tasks["二/(九)/3"]["units"] == ["区审计局", "区监察局"]


def test_seed_002_deadlines_and_recurrences(seeds: Path) -> None:
    tasks = {"/".join(t["path"]): t for t in parse_plan_file(seeds / "002_67b0e456f0c9070f.txt")["tasks"]}
    assert [d["date"] for d in tasks["二/(一)/3"]["deadlines"]] == ["2017-11-30", "2017-12-31"]
    assert tasks["二/(六)/4"]["deadlines"][0]["date"] == "2017-11-20"
    assert tasks["二/(六)/5"]["deadlines"] == [
        {"text": "自公布之日起15日内", "date": None, "rule": "自公布之日起15日内"}
    ]
    assert tasks["二/(六)/3"]["recurrence"] == "quarterly"
    assert tasks["二/(二)/5"]["recurrence"] == "monthly"
    assert tasks["二/(一)/2"]["recurrence"] == "yearly"


def test_task_spans_point_at_the_task_in_the_normalised_source(seeds: Path) -> None:
    document = parse_plan_document(seeds / "000_04f4bfefc4535b71.txt")
    for task in document.tasks:
        start, end = task.span
        shown = document.source.text[start:end]
        assert shown.startswith("(" + task.path[-1].strip("()") + ")")
        assert task.text.split("\n")[0][:20] in shown
        assert shown.rstrip().endswith(")")
