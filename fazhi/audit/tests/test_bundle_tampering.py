"""A bundle altered after export fails to verify, and the message names the entry (or the stretch) altered."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fazhi.audit import proof
from fazhi.testing import Personas

from .history import History, export, make_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(personas: Personas, tmp_path: Path) -> tuple[History, Path]:
    history = make_history(personas)
    return history, export(history, tmp_path / "unit.jsonl").path


def rewrite(path: Path, change: Callable[[list[Any]], None]) -> None:
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    change(items)
    path.write_text(
        "".join(json.dumps(i, ensure_ascii=False, separators=(",", ":")) + "\n" for i in items),
        encoding="utf-8",
    )


def at(items: list[Any], seq: int) -> int:
    """The line index of entry `seq`."""
    return next(
        n for n, item in enumerate(items) if (item[0] if isinstance(item, list) else item.get("seq")) == seq
    )


def names_entry(message: str, seq: int) -> bool:
    return re.search(rf"(?:#|第){seq}(?!\d)", message) is not None


def failure(path: Path) -> proof.Problem:
    result = proof.verify_bundle(path)
    assert not result.ok
    return result.problems[0]


def test_an_altered_field_of_an_included_entry_names_that_entry(made: tuple[History, Path]) -> None:
    history, path = made
    seq = history.seqs[2]
    rewrite(path, lambda items: items[at(items, seq)].update(actor_name="someone else"))
    problem = failure(path)
    assert (problem.code, problem.seq) == ("altered", seq)
    assert names_entry(problem.english(), seq)


def test_an_altered_entry_with_a_recomputed_hash_is_caught_at_the_next_included_entry(
    made: tuple[History, Path],
) -> None:
    history, path = made
    forged_seq, next_seq = history.seqs[2], history.seqs[3]

    def forge(items: list[Any]) -> None:
        entry = items[at(items, forged_seq)]
        entry["changes"] = entry["changes"].replace("inspect", "close")
        entry["hash"] = proof.link(entry["prev_hash"], proof.entry_digest(entry))

    rewrite(path, forge)
    problem = failure(path)
    assert (problem.code, problem.seq) == ("unlinked", next_seq)
    assert problem.params["first"] <= forged_seq <= problem.params["last"]


def test_an_altered_digest_is_narrowed_to_the_stretch_that_holds_it(made: tuple[History, Path]) -> None:
    history, path = made
    altered = history.other_seqs[1]
    rewrite(path, lambda items: items[at(items, altered)].__setitem__(1, "f" * 64))
    problem = failure(path)
    assert problem.code == "unlinked"
    assert problem.seq == min(s for s in history.seqs if s > altered)
    assert problem.params["first"] <= altered <= problem.params["last"]
    assert names_entry(problem.english(), problem.params["first"])


def test_an_altered_digest_after_the_last_included_entry_breaks_the_head(made: tuple[History, Path]) -> None:
    history, path = made
    altered = history.other_seqs[-1]
    rewrite(path, lambda items: items[at(items, altered)].__setitem__(1, "e" * 64))
    problem = failure(path)
    assert problem.code == "head_mismatch"
    assert problem.params["first"] <= altered <= problem.params["last"]


def test_reordered_entries_are_named(made: tuple[History, Path]) -> None:
    history, path = made
    first, second = history.other_seqs[1], history.other_seqs[2]
    assert second == first + 1

    def swap(items: list[Any]) -> None:
        i, j = at(items, first), at(items, second)
        items[i], items[j] = items[j], items[i]

    rewrite(path, swap)
    problem = failure(path)
    assert (problem.code, problem.seq) == ("missing", first)
    assert names_entry(problem.english(), first)


@pytest.mark.parametrize("which", ["digest", "included entry"])
def test_a_removed_entry_is_named(made: tuple[History, Path], which: str) -> None:
    history, path = made
    removed = history.other_seqs[0] if which == "digest" else history.seqs[-2]
    rewrite(path, lambda items: items.pop(at(items, removed)))
    problem = failure(path)
    assert (problem.code, problem.seq) == ("missing", removed)


def test_an_altered_head_hash_is_caught(made: tuple[History, Path]) -> None:
    _history, path = made
    rewrite(path, lambda items: items[0].update(head_hash="a" * 64))
    problem = failure(path)
    assert problem.code == "head_mismatch"
    assert problem.seq == proof.verify_bundle(path).head_seq


def test_entries_cut_from_the_end_are_named(made: tuple[History, Path]) -> None:
    history, path = made
    cut = history.other_seqs[-1]

    def cut_tail(items: list[Any]) -> None:
        del items[at(items, cut) : -1]

    rewrite(path, cut_tail)
    problem = failure(path)
    assert (problem.code, problem.seq) == ("truncated", cut)


def test_a_later_head_claimed_without_its_entries_is_caught(made: tuple[History, Path]) -> None:
    _history, path = made
    rewrite(path, lambda items: items[0].update(head_seq=items[0]["head_seq"] + 1))
    problem = failure(path)
    assert problem.code == "truncated"


def test_an_altered_list_of_file_hashes_is_caught(made: tuple[History, Path]) -> None:
    _history, path = made
    rewrite(path, lambda items: items[-1]["files"][0].update(sha256="0" * 64))
    assert failure(path).code == "end_mismatch"


def test_a_file_that_is_not_a_bundle_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello\n", encoding="utf-8")
    assert failure(path).code in {"bad_line", "not_a_bundle"}


def test_the_command_fails_naming_the_first_broken_entry(made: tuple[History, Path]) -> None:
    history, path = made
    call_command("audit", "verify-bundle", str(path))
    rewrite(path, lambda items: items[at(items, history.seqs[1])].update(target_repr="伪造"))
    with pytest.raises(CommandError, match=rf"(?:#|第){history.seqs[1]}(?!\d)"):
        call_command("audit", "verify-bundle", str(path))
