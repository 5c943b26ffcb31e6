"""Altering, deleting or reordering audit rows directly in SQL is caught, and the first broken entry named."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from fazhi.audit import chain
from fazhi.audit.models import AppendOnlyError, AuditEntry
from fazhi.audit.recorder import acting_as
from fazhi.orgs import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries() -> list[AuditEntry]:
    with acting_as(None, "test"), transaction.atomic():
        region = actions.save_region(None, name="新城区", level="county")
        for name in ("新城区司法局", "新城区公安分局", "新城区教育局", "新城区财政局"):
            unit = actions.save_unit(None, region=region, name=name, kind="department")
        actions.save_unit(unit, phone="0471-1234567")
    rows = list(AuditEntry.objects.order_by("seq"))
    assert len(rows) == 6
    return rows


def sql(statement: str, params: tuple[str | int, ...] = ()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def names_entry(message: str, seq: int) -> bool:
    """The message names entry `seq` (as a number of its own, whatever the language)."""
    return re.search(rf"(?<!\d){seq}(?!\d)", message) is not None


def disable_append_only_trigger() -> None:
    """What someone with the database owner's rights could do first."""
    if connection.vendor == "postgresql":
        sql("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
    else:
        sql("DROP TRIGGER audit_entry_no_update")


def test_untouched_chain_verifies(entries: list[AuditEntry]) -> None:
    result = chain.verify()
    assert result.ok
    assert result.checked == 6
    assert result.head_seq == 6
    assert result.head_hash == entries[-1].hash


def test_each_entry_links_to_the_one_before(entries: list[AuditEntry]) -> None:
    assert entries[0].prev_hash == "0" * 64
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash


def test_the_database_refuses_to_update_an_entry(entries: list[AuditEntry]) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        sql("UPDATE audit_auditentry SET target_repr = 'forged' WHERE seq = 3")
    assert AuditEntry.objects.get(seq=3).target_repr == entries[2].target_repr


def test_the_orm_refuses_to_update_or_delete_entries(entries: list[AuditEntry]) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq=2).update(action="forged")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq=2).delete()
    with pytest.raises(AppendOnlyError):
        entries[1].save()
    with pytest.raises(AppendOnlyError):
        entries[1].delete()


def test_an_altered_entry_is_named(entries: list[AuditEntry]) -> None:
    disable_append_only_trigger()
    sql("UPDATE audit_auditentry SET changes = %s WHERE seq = 3", ('{"name":[null,"伪造"]}',))
    result = chain.verify()
    assert not result.ok
    assert result.broken_seq == 3
    assert result.checked == 2


def test_an_altered_entry_with_a_recomputed_hash_breaks_the_next_link(entries: list[AuditEntry]) -> None:
    disable_append_only_trigger()
    forged = AuditEntry.objects.get(seq=3)
    forged.actor_name = "someone else"
    sql(
        "UPDATE audit_auditentry SET actor_name = %s, hash = %s WHERE seq = 3",
        (forged.actor_name, forged.compute_hash()),
    )
    result = chain.verify()
    assert not result.ok
    assert result.broken_seq == 4


def test_a_deleted_entry_is_named(entries: list[AuditEntry]) -> None:
    disable_append_only_trigger()
    sql("DELETE FROM audit_auditentry WHERE seq = 3")
    result = chain.verify()
    assert not result.ok
    assert result.broken_seq == 3
    assert names_entry(result.reason, 3)


def test_reordered_entries_are_caught(entries: list[AuditEntry]) -> None:
    disable_append_only_trigger()
    # Swap the positions of entries 2 and 3.
    sql("UPDATE audit_auditentry SET seq = -2 WHERE seq = 2")
    sql("UPDATE audit_auditentry SET seq = 2 WHERE seq = 3")
    sql("UPDATE audit_auditentry SET seq = 3 WHERE seq = -2")
    result = chain.verify()
    assert not result.ok
    assert result.broken_seq == 2


def test_entries_cut_from_the_end_are_caught(entries: list[AuditEntry]) -> None:
    disable_append_only_trigger()
    sql("DELETE FROM audit_auditentry WHERE seq >= 5")
    result = chain.verify()
    assert not result.ok
    assert result.broken_seq == 5
    assert result.checked == 4


def test_a_rewritten_head_is_caught_by_an_anchor_kept_elsewhere(
    entries: list[AuditEntry], tmp_path: Path
) -> None:
    anchor = tmp_path / "anchors.txt"
    chain.write_anchor(anchor)
    disable_append_only_trigger()
    # Cut the last entry and move the head back consistently: the chain alone cannot tell.
    sql("DELETE FROM audit_auditentry WHERE seq = 6")
    sql("UPDATE audit_audithead SET seq = 5, hash = %s WHERE id = 1", (entries[4].hash,))
    assert chain.verify().ok
    problems = chain.check_anchors(anchor)
    assert len(problems) == 1
    assert names_entry(problems[0], 6)


def test_the_command_names_the_first_broken_entry(entries: list[AuditEntry]) -> None:
    call_command("audit", "verify")
    disable_append_only_trigger()
    sql("UPDATE audit_auditentry SET target_id = '999' WHERE seq = 4")
    with pytest.raises(CommandError, match=r"(?<!\d)4(?!\d)"):
        call_command("audit", "verify")


def test_the_command_checks_anchors(entries: list[AuditEntry], tmp_path: Path) -> None:
    anchor = tmp_path / "anchors.txt"
    call_command("audit", "anchor", str(anchor))
    call_command("audit", "verify", "--anchor", str(anchor))
    anchor.write_text(f"6 {'f' * 64} 2026-01-01T00:00:00\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"(?<!\d)6(?!\d)"):
        call_command("audit", "verify", "--anchor", str(anchor))
