"""The CLI prints JSON on success and one Chinese line on stderr with exit status 2 on any unreadable file."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from fazhi.docparse.cli import main

ROOT = Path(__file__).resolve().parents[3]


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def test_json_output_is_exactly_the_contract(seeds: Path) -> None:
    status, out, err = run([str(seeds / "002_67b0e456f0c9070f.txt"), "--json"])
    assert (status, err) == (0, "")
    result = json.loads(out)
    assert list(result) == ["title", "issuer", "doc_number", "date", "year", "kind", "tasks", "warnings"]
    assert list(result["tasks"][0]) == [
        "path",
        "title",
        "text",
        "lead_units",
        "units",
        "cooperating_units",
        "targets",
        "deadlines",
        "recurrence",
    ]


def test_year_option_resolves_deadlines(seeds: Path) -> None:
    status, out, _ = run([str(seeds / "002_67b0e456f0c9070f.txt"), "--year", "2018", "--json"])
    assert status == 0
    assert json.loads(out)["tasks"][2]["deadlines"][0]["date"] == "2018-11-30"


def test_summary_without_json(seeds: Path) -> None:
    status, out, _ = run([str(seeds / "000_04f4bfefc4535b71.txt")])
    assert status == 0
    assert "任务:30 项" in out


def test_unreadable_file_exits_2_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "plan.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"))
    status, out, err = run([str(path), "--json"])
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("错误:")
    assert ".docx" in err


def test_size_limit_option(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(b"x" * 5000)
    status, _, err = run([str(path), "--max-mb", "0.001"])
    assert status == 2
    assert "过大" in err


def test_bad_arguments_exit_2() -> None:
    status, _, err = run(["--year", "abc"])
    assert status == 2
    assert err.startswith("错误:")


def test_module_entry_point(tmp_path: Path, seeds: Path) -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "fazhi.docparse",
            str(seeds / "002_67b0e456f0c9070f.txt"),
            "--year",
            "2017",
            "--json",
        ],
        capture_output=True,
        cwd=ROOT,
        check=False,
    )
    assert completed.returncode == 0
    assert len(json.loads(completed.stdout)["tasks"]) == 39
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    completed = subprocess.run(
        [sys.executable, "-m", "fazhi.docparse", str(empty)], capture_output=True, cwd=ROOT, check=False
    )
    assert completed.returncode == 2
    assert completed.stderr.decode().count("\n") == 1
