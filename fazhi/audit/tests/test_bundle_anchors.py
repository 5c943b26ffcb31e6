"""An anchor file pins the chain at the heads it recorded; a bundle can be checked against those that fall
inside it. Anchors written after the export cannot be, and the check says so instead of passing them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from fazhi.audit import chain, proof
from fazhi.audit.recorder import acting_as
from fazhi.orgs import actions
from fazhi.testing import Personas

from .history import History, export, make_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(personas: Personas) -> History:
    return make_history(personas)


def codes(problems: list[proof.Problem]) -> list[str]:
    return [p.code for p in problems]


def test_an_anchor_at_the_bundles_head_is_checked(history: History, tmp_path: Path) -> None:
    anchor = tmp_path / "anchors.txt"
    chain.write_anchor(anchor)
    result = proof.verify_bundle(export(history, tmp_path / "b.jsonl").path, anchor=anchor)
    assert result.ok, codes(result.problems)
    assert result.anchors_checked == [result.head_seq]
    assert result.notes == []


def test_entries_after_the_latest_anchor_are_pointed_out(personas: Personas, tmp_path: Path) -> None:
    anchor = tmp_path / "anchors.txt"
    chain.write_anchor(anchor)  # before the history: only the entries written since lie past it
    history = make_history(personas)
    chain.write_anchor(anchor)
    with acting_as(None, "test"), transaction.atomic():
        actions.save_unit(personas.justice_a, phone="0471-1000009")
    path = export(history, tmp_path / "b.jsonl").path
    result = proof.verify_bundle(path, anchor=anchor)
    assert result.ok
    assert codes(result.notes) == ["not_anchored"]
    assert result.notes[0].params["count"] == 1
    assert len(result.anchors_checked) == 2


def test_an_anchor_later_than_the_bundle_cannot_be_checked_and_is_not_passed(
    personas: Personas, history: History, tmp_path: Path
) -> None:
    path = export(history, tmp_path / "b.jsonl").path
    with acting_as(None, "test"), transaction.atomic():
        actions.save_unit(None, region=personas.region_a, name="新城区城管局", kind="department")
    anchor = tmp_path / "anchors.txt"
    chain.write_anchor(anchor)
    result = proof.verify_bundle(path, anchor=anchor)
    assert codes(result.problems) == ["anchor_none"]
    assert codes(result.notes) == ["anchor_later"]


def test_a_consistently_rewritten_bundle_passes_alone_but_not_against_an_anchor(
    history: History, tmp_path: Path
) -> None:
    anchor = tmp_path / "anchors.txt"
    chain.write_anchor(anchor)
    path = export(history, tmp_path / "b.jsonl").path
    # Rewrite the last included entry and recompute every hash after it, head included: without something
    # kept outside the bundle, nothing can tell.
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    forged = next(i for i in items[1:-1] if isinstance(i, dict) and i["seq"] == history.seqs[-1])
    forged["changes"] = forged["changes"].replace("0471-1000002", "0471-9999999")
    forged["hash"] = proof.link(forged["prev_hash"], proof.entry_digest(forged))
    prev = forged["hash"]
    for item in items[items.index(forged) + 1 : -1]:
        prev = proof.link(prev, item[1])
    items[0]["head_hash"] = prev
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    assert proof.verify_bundle(path).ok
    result = proof.verify_bundle(path, anchor=anchor)
    assert codes(result.problems) == ["anchor_mismatch"]
    assert result.problems[0].seq == result.head_seq


def test_a_forged_anchor_line_is_named(history: History, tmp_path: Path) -> None:
    path = export(history, tmp_path / "b.jsonl").path
    anchor = tmp_path / "anchors.txt"
    anchor.write_text(
        f"not an anchor\n{history.seqs[1]} {'c' * 64} 2026-01-01T00:00:00+08:00\n", encoding="utf-8"
    )
    result = proof.verify_bundle(path, anchor=anchor)
    assert codes(result.problems) == ["anchor_mismatch", "anchor_line"]
    assert result.problems[0].seq == history.seqs[1]
    assert result.problems[0].params["line"] == 2


def test_the_command_checks_the_anchor(history: History, tmp_path: Path) -> None:
    anchor = tmp_path / "anchors.txt"
    call_command("audit", "anchor", str(anchor))
    path = export(history, tmp_path / "b.jsonl").path
    call_command("audit", "verify-bundle", str(path), "--anchor", str(anchor))
    head = proof.verify_bundle(path).head_seq
    anchor.write_text(f"{head} {'f' * 64} 2026-01-01T00:00:00+08:00\n", encoding="utf-8")
    with pytest.raises(CommandError, match=rf"(?:#|第){head}(?!\d)"):
        call_command("audit", "verify-bundle", str(path), "--anchor", str(anchor))
