"""`verify-bundle --files DIR`: the files handed over with a bundle are the ones its entries recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fazhi.audit import proof
from fazhi.testing import Personas

from .history import EVIDENCE, History, export, make_history, write_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(personas: Personas, tmp_path: Path) -> tuple[History, Path]:
    history = make_history(personas)
    return history, export(history, tmp_path / "b.jsonl").path


def test_files_matching_the_recorded_hashes_pass(made: tuple[History, Path], tmp_path: Path) -> None:
    _history, path = made
    result = proof.verify_bundle(path, files=write_evidence(tmp_path / "evidence"))
    assert result.ok
    assert result.files_matched == len(EVIDENCE)
    assert result.notes == []


def test_an_altered_file_is_named(made: tuple[History, Path], tmp_path: Path) -> None:
    _history, path = made
    folder = write_evidence(tmp_path / "evidence")
    (folder / "现场照片.jpg").write_bytes(b"\xff\xd8retouched")
    result = proof.verify_bundle(path, files=folder)
    assert [p.code for p in result.problems] == ["file_unrecorded"]
    assert result.problems[0].params["path"] == "现场照片.jpg"
    # The original is then missing too: a note, as files may rightly be kept elsewhere.
    assert [n.code for n in result.notes] == ["file_absent"]


def test_a_missing_file_is_noted_not_failed(made: tuple[History, Path], tmp_path: Path) -> None:
    history, path = made
    folder = write_evidence(tmp_path / "evidence")
    (folder / "现场照片.jpg").unlink()
    result = proof.verify_bundle(path, files=folder)
    assert result.ok
    assert [(n.code, n.seq) for n in result.notes] == [("file_absent", history.seqs[2])]


def test_the_command_checks_the_files(made: tuple[History, Path], tmp_path: Path) -> None:
    _history, path = made
    folder = write_evidence(tmp_path / "evidence")
    call_command("audit", "verify-bundle", str(path), "--files", str(folder))
    (folder / "extra.txt").write_text("not recorded", encoding="utf-8")
    with pytest.raises(CommandError, match=r"extra\.txt"):
        call_command("audit", "verify-bundle", str(path), "--files", str(folder))
