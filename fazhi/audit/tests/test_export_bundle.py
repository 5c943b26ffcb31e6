"""`fazhi audit bundle`: one object's history in full, every other entry up to the head as a digest only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from fazhi.audit import bundle, chain, proof
from fazhi.audit.models import AuditEntry, AuditHead
from fazhi.audit.recorder import acting_as
from fazhi.orgs import actions
from fazhi.testing import Personas

from .history import SECRETS, export, make_history

pytestmark = pytest.mark.django_db


def lines(path: Path) -> list[object]:
    with proof.open_bundle(path, "r") as handle:
        return [json.loads(line) for line in handle]


def test_a_bundle_of_interleaved_writes_verifies(personas: Personas, tmp_path: Path) -> None:
    history = make_history(personas)
    result = export(history, tmp_path / "unit.jsonl")
    head = AuditHead.objects.get(pk=1)
    assert (result.first_seq, result.head_seq, result.head_hash) == (history.seqs[0], head.seq, head.hash)
    assert result.full_entries == len(history.seqs)
    assert result.full_entries + result.skeleton_entries == head.seq - history.seqs[0] + 1
    checked = proof.verify_bundle(result.path)
    assert checked.ok, [p.english() for p in checked.problems]
    assert checked.included_seqs == history.seqs
    assert checked.head_hash == head.hash


def test_the_bundle_holds_full_entries_for_its_objects_and_digests_for_the_rest(
    personas: Personas, tmp_path: Path
) -> None:
    history = make_history(personas)
    header, *body, end = lines(export(history, tmp_path / "unit.jsonl").path)
    assert isinstance(header, dict)
    assert header["targets"] == [list(t) for t in history.targets]
    full = [item for item in body if isinstance(item, dict)]
    digests = [item for item in body if isinstance(item, list)]
    assert [e["seq"] for e in full] == history.seqs
    assert {(e["target_type"], e["target_id"]) for e in full} == set(history.targets)
    assert all(len(item) == 2 for item in digests)
    assert set(history.other_seqs) <= {seq for seq, _digest in digests}
    for seq, digest in digests:
        entry = AuditEntry.objects.get(seq=seq)
        assert digest == entry.content_digest()
    assert isinstance(end, dict)
    assert end["end"] is True


def test_the_bundle_says_nothing_of_the_other_region(personas: Personas, tmp_path: Path) -> None:
    history = make_history(personas)
    text = export(history, tmp_path / "unit.jsonl").path.read_text(encoding="utf-8")
    for secret in (*SECRETS, "莲湖区", "coordinator_b", "10.9.9.9"):
        assert secret not in text
    for seq in history.other_seqs:
        # Nor their salts, which would let a reader confirm a guess of an entry from its digest.
        assert AuditEntry.objects.get(seq=seq).salt not in text


def test_the_bundle_lists_the_evidence_hashes_its_entries_record(personas: Personas, tmp_path: Path) -> None:
    history = make_history(personas)
    result = export(history, tmp_path / "unit.jsonl")
    end = lines(result.path)[-1]
    assert isinstance(end, dict)
    assert {f["sha256"] for f in end["files"]} == set(history.evidence_sha256.values())
    assert {f["target"] for f in end["files"]} == {"enforcement.caseevent:40"}
    assert result.files == 2


def test_export_reads_the_chain_in_pages(personas: Personas, tmp_path: Path) -> None:
    history = make_history(personas)
    small = export(history, tmp_path / "small.jsonl", batch=3)
    assert proof.verify_bundle(small.path).ok
    big = export(history, tmp_path / "big.jsonl")
    assert lines(small.path)[1:] == lines(big.path)[1:]  # the header's export time may differ


def test_a_compressed_bundle_verifies(personas: Personas, tmp_path: Path) -> None:
    history = make_history(personas)
    result = export(history, tmp_path / "unit.jsonl.gz")
    assert result.path.read_bytes()[:2] == b"\x1f\x8b"
    assert proof.verify_bundle(result.path).ok


def test_the_command_writes_a_bundle_that_the_command_verifies(personas: Personas, tmp_path: Path) -> None:
    history = make_history(personas)
    output = tmp_path / "unit.jsonl"
    targets = [
        arg
        for target_type, target_id in history.targets
        for arg in ("--target", f"{target_type}:{target_id}")
    ]
    call_command("audit", "bundle", *targets, "--output", str(output))
    call_command("audit", "verify-bundle", str(output))
    call_command("audit", "verify")


def test_an_object_without_entries_is_refused(personas: Personas, tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command(
            "audit", "bundle", "--target", "enforcement.case:999999", "--output", str(tmp_path / "b")
        )
    assert not (tmp_path / "b").exists()


def test_a_broken_chain_is_not_exported(personas: Personas, tmp_path: Path) -> None:
    history = make_history(personas)
    if connection.vendor == "postgresql":
        statement = "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only"
    else:
        statement = "DROP TRIGGER audit_entry_no_update"
    with connection.cursor() as cursor:
        cursor.execute(statement)
        cursor.execute("UPDATE audit_auditentry SET changes = '{}' WHERE seq = %s", [history.other_seqs[0]])
    with pytest.raises(bundle.BundleError, match=rf"(?:#|第){history.other_seqs[0]}(?!\d)"):
        export(history, tmp_path / "unit.jsonl")
    assert not (tmp_path / "unit.jsonl").exists()


def test_entries_written_after_the_export_do_not_disturb_it(personas: Personas, tmp_path: Path) -> None:
    history = make_history(personas)
    result = export(history, tmp_path / "unit.jsonl")
    with acting_as(None, "test"), transaction.atomic():
        actions.save_unit(personas.justice_a, phone="0471-1000003")
    assert chain.verify().ok
    assert proof.verify_bundle(result.path).head_seq == result.head_seq
