"""`fazhi import-units FILE --user NAME [--check]`: the importer in a shell, exit status 1 on problems."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fazhi.audit.models import AuditEntry, AuditHead
from fazhi.orgs.models import Unit
from fazhi.orgs.tests.test_import_units import UNIT_HEADER, directory_state, good_workbook, write_xlsx


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_units", *args, stdout=out)
    return out.getvalue()


def test_the_command_imports_as_the_named_user_and_prints_the_summary(personas: Any, tmp_path: Path) -> None:
    before = AuditHead.objects.get(pk=1).seq
    output = run(str(good_workbook(tmp_path)), "--user", "coordinator")
    assert "名录.xlsx" in output
    assert "单位" in output
    assert "2" in output
    assert Unit.objects.filter(name="新城区市场监督管理局").exists()
    entries = AuditEntry.objects.filter(seq__gt=before)
    assert set(entries.values_list("actor_name", "source")) == {("coordinator", "cli")}
    assert entries.filter(action="import").count() == 1


def test_check_only_writes_nothing(personas: Any, tmp_path: Path) -> None:
    before = directory_state()
    run(str(good_workbook(tmp_path)), "--user", "coordinator", "--check")
    assert directory_state() == before


def test_a_bad_file_prints_the_error_table_and_exits_1(personas: Any, tmp_path: Path) -> None:
    bad = write_xlsx(tmp_path / "bad.xlsx", {"单位": [UNIT_HEADER, ["新城区审计局", "莲湖区", "局"]]})
    before = directory_state()
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_units", str(bad), "--user", "coordinator", stdout=out)
    assert raised.value.returncode == 1
    lines = out.getvalue().splitlines()
    assert lines[1].split("\t")[:3] == ["单位", "2", "所属区域"]
    assert "莲湖区" in lines[1]
    assert directory_state() == before


def test_an_unknown_user_or_a_missing_file_is_an_error(personas: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        run(str(good_workbook(tmp_path)), "--user", "nobody")
    with pytest.raises(CommandError):
        run(str(tmp_path / "missing.xlsx"), "--user", "coordinator")
