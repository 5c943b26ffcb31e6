"""Both seed reports read into the hand-checked goldens (fixtures/golden/001_report.json, 003_report.json).

The goldens were written from the seed text figure by figure (see fixtures/README.md); subjects are compared
in test_claims_score.py, where two of them are known to differ from the extractor's.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fazhi.docparse.report import analyse_report, part_of

GOLDENS = ["001_report.json", "003_report.json"]


def load(fixtures: Path, name: str) -> dict[str, object]:
    return json.loads((fixtures / "golden" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", GOLDENS)
def test_seed_report_kind_region_year_and_sections_match_golden(
    seeds: Path, fixtures: Path, name: str
) -> None:
    golden = load(fixtures, name)
    actual = analyse_report(seeds / str(golden["seed"])).to_dict()
    assert (actual["kind"], actual["region"], actual["year"]) == (
        golden["kind"],
        golden["region"],
        golden["year"],
    )
    assert actual["sections"] == golden["sections"]


@pytest.mark.parametrize("name", GOLDENS)
def test_seed_report_figures_match_golden(seeds: Path, fixtures: Path, name: str) -> None:
    golden = load(fixtures, name)
    actual = analyse_report(seeds / str(golden["seed"])).to_dict()

    def figures(claims: object) -> list[tuple[object, ...]]:
        assert isinstance(claims, list)
        return [(c["quantity"], c["value"], c["unit"], c["approx"], c["change"]) for c in claims]

    assert figures(actual["claims"]) == figures(golden["claims"])


def test_report_year_is_the_year_reported_on_not_the_year_signed(seeds: Path) -> None:
    # 001 has no title and is signed 2025年2月28日; it opens with "2024年,在市委、市政府的坚强领导下".
    result = analyse_report(seeds / "001_414aed995e5eda95.txt")
    assert (result.year, result.region) == (2024, "羊山新区")


def test_a_plan_and_a_news_article_are_not_reports(seeds: Path) -> None:
    assert analyse_report(seeds / "000_04f4bfefc4535b71.txt").kind == "plan"
    assert analyse_report(seeds / "004_98a81501e618baf7.txt").kind == "other"


@pytest.mark.parametrize(
    ("heading", "part"),
    [
        ("党政主要负责人履行推进法治建设第一责任人职责情况", "leaders"),
        ("推进法治政府建设的主要举措和成效", "measures"),
        ("主要工作开展情况", "measures"),
        ("健全政府机构职能体系", "measures"),
        ("推进法治政府建设存在的不足和原因", "shortcomings"),
        ("存在的问题", "shortcomings"),
        ("下一年度推进法治政府建设的工作安排", "next_year"),
        ("2022年工作安排", "next_year"),
        ("2025年工作思路", "next_year"),
        ("其他需要报告的情况", "other"),
    ],
)
def test_headings_map_to_the_parts_of_the_mandated_report(heading: str, part: str) -> None:
    assert part_of(heading) == part


def test_report_bytes_read_like_the_file(seeds: Path) -> None:
    path = seeds / "003_05bb39de674042e2.txt"
    from_bytes = analyse_report(path.read_bytes(), filename="report.txt").to_dict()
    assert from_bytes == analyse_report(path).to_dict()
