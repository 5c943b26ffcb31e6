"""``report analyze FILE [--plan PLAN_FILE] [--json]``: contract JSON, a short summary, exit 2 on errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

from fazhi.docparse.cli import analyze_main


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = analyze_main(argv, stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def test_json_output_is_exactly_the_contract(seeds: Path) -> None:
    status, out, err = run([str(seeds / "001_414aed995e5eda95.txt"), "--json"])
    assert (status, err) == (0, "")
    result = json.loads(out)
    assert list(result) == ["kind", "region", "year", "sections", "claims"]
    assert list(result["sections"][0]) == ["title", "part"]
    assert list(result["claims"][0]) == ["quantity", "value", "unit", "subject", "approx", "change"]


def test_with_a_plan_the_json_adds_coverage_and_targets(seeds: Path) -> None:
    report, plan = seeds / "001_414aed995e5eda95.txt", seeds / "000_04f4bfefc4535b71.txt"
    status, out, err = run([str(report), "--plan", str(plan), "--json"])
    assert (status, err) == (0, "")
    result = json.loads(out)
    assert list(result) == ["kind", "region", "year", "sections", "claims", "coverage", "targets"]
    assert list(result["coverage"][0]) == ["path", "task", "evidence", "status"]
    assert list(result["targets"][0]) == ["path", "target", "reported", "status"]
    assert {item["status"] for item in result["coverage"]} == {"reported", "not_reported"}


def test_summary_names_the_region_the_parts_and_unreported_tasks(seeds: Path) -> None:
    report, plan = seeds / "001_414aed995e5eda95.txt", seeds / "000_04f4bfefc4535b71.txt"
    status, out, _ = run([str(report), "--plan", str(plan)])
    assert status == 0
    assert out.startswith("类型:情况报告  地区:羊山新区  年度:2024  数据表述:43 处\n")
    assert "[存在的不足]" in out
    assert "未见报告:二.(一)  加强政务诚信建设" in out
    assert "指标 六.(三) 保持100%:已达到(本级行政机关负责人出庭应诉率100%)" in out


def test_missing_file_exits_2_with_one_chinese_line(tmp_path: Path) -> None:
    status, out, err = run([str(tmp_path / "missing.docx"), "--json"])
    assert (status, out) == (2, "")
    assert err.startswith("错误:")
    assert err.count("\n") == 1


def test_a_plan_file_without_tasks_is_refused(seeds: Path) -> None:
    report = seeds / "001_414aed995e5eda95.txt"
    status, out, err = run([str(report), "--plan", str(seeds / "003_05bb39de674042e2.txt")])
    assert (status, out) == (2, "")
    assert "没有识别到计划任务" in err
    assert err.count("\n") == 1


def test_wrong_arguments_exit_2_with_the_usage(seeds: Path) -> None:
    status, _, err = run(["--plan"])
    assert status == 2
    assert "用法:report analyze FILE [--plan PLAN_FILE] [--json]" in err


def test_hostile_file_is_refused_not_crashed(tmp_path: Path) -> None:
    bomb = tmp_path / "report.docx"
    bomb.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    status, out, err = run([str(bomb)])
    assert (status, out) == (2, "")
    assert err.startswith("错误:")
