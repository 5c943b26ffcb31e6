"""A bundle is checked with no database at all: by the `fazhi` command, or by proof.py alone."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from fazhi.audit import proof
from fazhi.audit.management.commands.audit import BUNDLE_MESSAGES
from fazhi.testing import Personas

from .history import export, make_history

NO_DATABASE = "postgres://nobody@127.0.0.1:1/none"


@pytest.fixture
def bundle_file(personas: Personas, tmp_path: Path) -> Path:
    return export(make_history(personas), tmp_path / "unit.jsonl").path


def tamper(path: Path) -> int:
    """Alter the first included entry after the first; returns its seq."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines[2:], start=2) if line.startswith("{"))
    lines[number] = lines[number].replace('"source":"web"', '"source":"cli"')
    path.write_text("".join(lines), encoding="utf-8")
    return int(lines[number].split('"seq":', 1)[1].split(",", 1)[0])


def run(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or settings.BASE_DIR,
        timeout=120,
        check=False,
    )


def test_proof_imports_only_the_standard_library() -> None:
    tree = ast.parse(Path(proof.__file__).read_text(encoding="utf-8"))
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]  # type: ignore[union-attr]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported - {"__future__"} <= set(sys.stdlib_module_names)


@pytest.mark.django_db
def test_the_command_checks_a_bundle_with_no_database_reachable(bundle_file: Path) -> None:
    env = {**os.environ, "DATABASE_URL": NO_DATABASE}
    good = run("-m", "fazhi.cli", "audit", "verify-bundle", str(bundle_file), env=env)
    assert good.returncode == 0, good.stderr
    # The entry numbers are named in either language ("#39" or "第39条").
    assert re.search(r"(?:#|第)\d+", good.stdout), good.stdout
    seq = tamper(bundle_file)
    bad = run("-m", "fazhi.cli", "audit", "verify-bundle", str(bundle_file), env=env)
    assert bad.returncode == 1
    assert re.search(rf"(?:#|第){seq}(?!\d)", bad.stderr), bad.stderr
    assert "127.0.0.1" not in bad.stderr  # it failed on the bundle, not on a connection


@pytest.mark.django_db
def test_proof_py_alone_checks_a_bundle_on_a_machine_without_fazhi(bundle_file: Path, tmp_path: Path) -> None:
    # A copy of the one file, run in isolated mode from elsewhere: no Django, no settings, no fazhi package.
    alone = tmp_path / "elsewhere"
    alone.mkdir()
    shutil.copy(proof.__file__, alone / "proof.py")
    env = {"PATH": os.environ.get("PATH", "")}
    good = run("-I", str(alone / "proof.py"), str(bundle_file), env=env, cwd=alone)
    assert good.returncode == 0, good.stderr
    assert "Bundle intact" in good.stdout
    seq = tamper(bundle_file)
    bad = run("-I", str(alone / "proof.py"), str(bundle_file), env=env, cwd=alone)
    assert bad.returncode == 1
    assert f"Entry #{seq} was altered" in bad.stderr


@pytest.mark.django_db
def test_python_dash_m_runs_the_same_check(bundle_file: Path) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(settings.BASE_DIR)}
    result = run("-m", "fazhi.audit.proof", str(bundle_file), env=env)
    assert result.returncode == 0, result.stderr


def test_the_command_words_every_problem_as_proof_does() -> None:
    assert set(BUNDLE_MESSAGES) == set(proof.MESSAGES)
    with translation.override("en"):
        for code, message in BUNDLE_MESSAGES.items():
            assert str(message) == proof.MESSAGES[code], code
