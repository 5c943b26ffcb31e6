"""Migration 0003 rehashes an existing chain to the two-layer formula, and refuses a broken chain."""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from fazhi.audit import chain
from fazhi.audit.models import AuditEntry, AuditHead
from fazhi.audit.recorder import acting_as
from fazhi.orgs import actions
from fazhi.testing import Personas

migration = importlib.import_module("fazhi.audit.migrations.0003_salt_and_two_layer_hashes")
STATE = ("audit", "0003_salt_and_two_layer_hashes")


def historical_apps() -> Any:
    return MigrationExecutor(connection).loader.project_state(STATE).apps


def historical() -> tuple[Any, Any]:
    apps = historical_apps()
    return apps.get_model("audit", "AuditEntry"), apps.get_model("audit", "AuditHead")


def allow_updates() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_update")


def make_old_chain() -> int:
    """Relink the current chain under the old one-layer formula, as a database from before 0003 holds it."""
    allow_updates()
    entry_model, head_model = historical()
    count, _old, _new = migration.rehash_chain(entry_model, head_model, migration.hash_v2, migration.hash_v1)
    return count


@pytest.mark.django_db
def test_rehashing_an_old_chain_leaves_it_verifying(personas: Personas) -> None:
    count = make_old_chain()
    old_head = AuditHead.objects.get(pk=1).hash
    assert not chain.verify().ok
    migration.forward(historical_apps(), None)
    result = chain.verify()
    assert result.ok, result.reason
    assert result.checked == count + 1
    last = AuditEntry.objects.get(seq=count + 1)
    assert last.action == "rehash"
    assert json.loads(last.changes) == {"old_formula": "v1", "old_head_hash": old_head, "old_head_seq": count}
    assert len({e.salt for e in AuditEntry.objects.all()}) == count + 1


@pytest.mark.django_db
def test_new_writes_link_onto_the_rehashed_chain(personas: Personas) -> None:
    make_old_chain()
    migration.forward(historical_apps(), None)
    with acting_as(None, "test"), transaction.atomic():
        actions.save_unit(personas.justice_a, phone="0471-7777777")
    assert chain.verify().ok


@pytest.mark.django_db
def test_a_broken_old_chain_is_refused_not_laundered(personas: Personas) -> None:
    make_old_chain()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET target_repr = 'forged' WHERE seq = 3")
    with pytest.raises(migration.ChainBroken, match=r"#3(?!\d)"):
        migration.forward(historical_apps(), None)


@pytest.mark.django_db
def test_an_empty_chain_stays_empty() -> None:
    migration.forward(historical_apps(), None)
    assert AuditEntry.objects.count() == 0
    assert AuditHead.objects.get(pk=1).seq == 0


@pytest.mark.django_db(transaction=True)
def test_migrating_back_and_forth_keeps_a_verifying_chain() -> None:
    with acting_as(None, "test"), transaction.atomic():
        region = actions.save_region(None, name="新城区", level="county")
        actions.save_unit(None, region=region, name="新城区司法局", kind="department")
    before = AuditEntry.objects.count()
    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0002_chain_head_and_append_only_triggers")])
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT seq, hash FROM audit_audithead WHERE id = 1")
            head_seq, head_hash = cursor.fetchone()
        assert head_seq == before
        executor = MigrationExecutor(connection)
        executor.migrate([STATE])
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    result = chain.verify()
    assert result.ok, result.reason
    assert result.checked == before + 1
    assert json.loads(AuditEntry.objects.get(seq=before + 1).changes)["old_head_hash"] == head_hash
    # The trigger is back (DatabaseError on both vendors).
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'x' WHERE seq = 1")
