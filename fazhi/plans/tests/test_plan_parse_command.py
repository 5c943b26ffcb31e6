"""`fazhi plan parse FILE [--year YYYY] --json` prints the fixed JSON contract; bad files exit 2, one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT / "fazhi" / "docparse" / "tests" / "fixtures" / "seeds"
KEYS = {"title", "issuer", "doc_number", "date", "year", "kind", "tasks", "warnings"}
TASK_KEYS = {
    "path",
    "title",
    "text",
    "lead_units",
    "units",
    "cooperating_units",
    "targets",
    "deadlines",
    "recurrence",
}


def fazhi(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FAZHI_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "fazhi.cli", "plan", "parse", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_a_plan_prints_the_contract_json(tmp_path: Path) -> None:
    result = fazhi(str(SEEDS / "000_04f4bfefc4535b71.txt"), "--year", "2024", "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert set(document) == KEYS
    assert document["kind"] == "plan"
    assert document["year"] == 2024
    assert len(document["tasks"]) == 30
    assert all(set(task) == TASK_KEYS for task in document["tasks"])
    assert document["tasks"][0]["path"] == ["一", "(一)"]


def test_a_report_is_recognised_as_a_report(tmp_path: Path) -> None:
    result = fazhi(str(SEEDS / "001_414aed995e5eda95.txt"), "--json", tmp_path=tmp_path)
    assert result.returncode == 0
    document = json.loads(result.stdout)
    assert (document["kind"], document["tasks"]) == ("report", [])


def test_an_unreadable_file_exits_2_with_one_chinese_line(tmp_path: Path) -> None:
    doc = tmp_path / "plan.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    result = fazhi(str(doc), "--json", tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert ".docx" in lines[0]


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = fazhi(str(tmp_path / "nothing.docx"), "--json", tmp_path=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
