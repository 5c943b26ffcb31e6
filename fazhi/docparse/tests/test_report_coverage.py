"""Seed 001 (report) checked against seed 000 (plan): which tasks it evidences, which targets it meets.

fixtures/golden/000_001_coverage.json holds the hand judgement (and the tasks left out as undecidable).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fazhi.docparse import parse_plan_document
from fazhi.docparse.report import ReportAnalysis, analyse_report


@pytest.fixture(scope="module")
def analysis() -> ReportAnalysis:
    seeds = Path(__file__).parent / "fixtures" / "seeds"
    plan = parse_plan_document(seeds / "000_04f4bfefc4535b71.txt")
    return analyse_report(seeds / "001_414aed995e5eda95.txt", plan)


@pytest.fixture(scope="module")
def golden() -> dict[str, object]:
    path = Path(__file__).parent / "fixtures" / "golden" / "000_001_coverage.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_coverage_agrees_with_the_hand_judgement_above_the_floor(
    analysis: ReportAnalysis, golden: dict
) -> None:
    assert analysis.coverage is not None
    status = {"/".join(item.path): item.to_dict()["status"] for item in analysis.coverage}
    judged = [("/".join(path), "reported") for path in golden["reported"]]
    judged += [("/".join(path), "not_reported") for path in golden["not_reported"]]
    agree = sum(status[path] == expected for path, expected in judged)
    found = sum(status[path] == "reported" for path, expected in judged if expected == "reported")
    false_alarms = sum(status[path] == "reported" for path, expected in judged if expected == "not_reported")
    print(
        f"coverage 000/001: {agree}/{len(judged)} agree, {found}/{len(golden['reported'])} reported found, "
        f"{false_alarms}/{len(golden['not_reported'])} false alarms"
    )
    assert agree / len(judged) >= 0.8
    assert false_alarms <= 1


def test_every_plan_task_is_listed_once_in_plan_order(analysis: ReportAnalysis) -> None:
    assert analysis.coverage is not None
    assert len(analysis.coverage) == 30
    assert [item.path[0] for item in analysis.coverage] == sorted(
        (item.path[0] for item in analysis.coverage), key="一二三四五六七八九".index
    )


def test_evidence_quotes_the_report_and_never_its_plans_for_next_year(analysis: ReportAnalysis) -> None:
    assert analysis.coverage is not None
    assert analysis.source is not None
    appeal = next(item for item in analysis.coverage if item.path == ("六", "(三)"))
    assert any("出庭应诉率达100%" in sentence for sentence in appeal.evidence)
    next_year = analysis.source.text.index("四、下一年度")
    for item in analysis.coverage:
        for sentence in item.evidence:
            assert sentence in analysis.source.text
            assert analysis.source.text.index(sentence) < next_year


def test_plan_targets_are_met_or_not_reported_as_judged(analysis: ReportAnalysis, golden: dict) -> None:
    assert analysis.targets is not None
    actual = [{"path": list(t.path), "target": t.target, "status": t.status} for t in analysis.targets]
    assert actual == golden["targets"]
    appeal = next(t for t in analysis.targets if t.target == "保持100%")
    assert appeal.reported == "本级行政机关负责人出庭应诉率100%"


def test_a_target_the_report_falls_short_of_is_not_met(seeds: Path) -> None:
    plan = parse_plan_document(seeds / "000_04f4bfefc4535b71.txt")
    report = "2024年,新城区扎实推进法治政府建设。\n一、主要举措和成效\n全区行政机关负责人出庭应诉率达85%。\n"
    result = analyse_report(report.encode("utf-8"), plan, filename="report.txt")
    assert result.targets is not None
    appeal = next(t for t in result.targets if t.target == "保持100%")
    assert (appeal.status, appeal.reported) == ("not_met", "全区行政机关负责人出庭应诉率85%")


def test_the_same_inputs_give_the_same_comparison(analysis: ReportAnalysis, seeds: Path) -> None:
    plan = parse_plan_document(seeds / "000_04f4bfefc4535b71.txt")
    again = analyse_report(seeds / "001_414aed995e5eda95.txt", plan)
    assert again.to_dict() == analysis.to_dict()
