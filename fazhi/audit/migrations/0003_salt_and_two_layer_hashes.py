"""Give each entry a salt and rehash the whole chain with the two-layer formula (decision 0009).

Old:  hash = sha256(json([seq, at, …, changes, prev_hash]))
New:  hash = sha256(prev_hash + ":" + sha256(json([seq, at, …, changes, salt])))

The chain is checked under the old formula first and the migration refuses to run on a broken chain: rehashing
would hide the break. Every entry is then relinked in seq order, the head moved, and (when there were entries)
one `rehash` entry appended that records the old head, so the anchors written before can still be traced to
the chain they pinned. The append-only triggers of 0002 are dropped for the rewrite and made again after it.

The formulas are copied here, not imported, so this migration keeps doing what it did when the live code
changes.
"""

import hashlib
import json
import secrets
from datetime import UTC, datetime

from django.db import migrations, models

import fazhi.audit.models

GENESIS_HASH = "0" * 64
BATCH = 1000

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;
"""
PG_TRIGGER = """
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
"""
SQLITE_TRIGGER = """
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
"""


class ChainBroken(RuntimeError):
    pass


def _base(entry):
    return [
        entry.seq,
        entry.at.isoformat(timespec="microseconds"),
        entry.actor_id,
        entry.actor_name,
        entry.source,
        entry.ip,
        entry.action,
        entry.target_type,
        entry.target_id,
        entry.target_repr,
        entry.region_id,
        entry.unit_id,
        entry.changes,
    ]


def _sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hash_v1(entry):
    return _sha256(json.dumps([*_base(entry), entry.prev_hash], ensure_ascii=False, separators=(",", ":")))


def hash_v2(entry):
    digest = _sha256(json.dumps([*_base(entry), entry.salt], ensure_ascii=False, separators=(",", ":")))
    return _sha256(f"{entry.prev_hash}:{digest}")


def rehash_chain(entry_model, head_model, old, new, salt=False):
    """Check the chain under formula `old`, then relink every entry in seq order under `new`.

    Returns (entries, old head hash, new head hash). Raises ChainBroken, naming the entry, if the chain does
    not check out under `old`."""
    head = head_model.objects.filter(pk=1).first()
    fields = ["salt", "prev_hash", "hash"] if salt else ["prev_hash", "hash"]
    last, old_prev, new_prev = 0, GENESIS_HASH, GENESIS_HASH
    while True:
        # Keyset pages: flat memory on a chain of millions of rows.
        chunk = list(entry_model.objects.filter(seq__gt=last).order_by("seq")[:BATCH])
        if not chunk:
            break
        for entry in chunk:
            if entry.seq != last + 1:
                raise ChainBroken(
                    f"audit entry #{last + 1} is missing; run `fazhi audit verify` before migrating"
                )
            if entry.prev_hash != old_prev or old(entry) != entry.hash:
                raise ChainBroken(
                    f"audit entry #{entry.seq} does not check out; run `fazhi audit verify` first"
                )
            old_prev = entry.hash
            if salt:
                entry.salt = secrets.token_hex(16)
            entry.prev_hash = new_prev
            entry.hash = new(entry)
            new_prev = entry.hash
            last = entry.seq
        entry_model.objects.bulk_update(chunk, fields)
    if head is None or head.seq != last or head.hash != old_prev:
        raise ChainBroken(
            "the audit chain head does not match its last entry; run `fazhi audit verify` first"
        )
    head.seq, head.hash = last, new_prev
    head.save(update_fields=["seq", "hash"])
    return last, old_prev, new_prev


def forward(apps, schema_editor):
    entry_model = apps.get_model("audit", "AuditEntry")
    head_model = apps.get_model("audit", "AuditHead")
    count, old_head, new_head = rehash_chain(entry_model, head_model, hash_v1, hash_v2, salt=True)
    if not count:
        return
    # Recorded in the chain itself: anchors written before the rehash name the old head hash.
    entry = entry_model(
        seq=count + 1,
        at=datetime.now(UTC),
        source="migration",
        actor_name="system",
        action="rehash",
        target_type="audit.chain",
        target_repr="audit.0003_salt_and_two_layer_hashes",
        changes=json.dumps(
            {"old_formula": "v1", "old_head_hash": old_head, "old_head_seq": count},
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        ),
        salt=secrets.token_hex(16),
        prev_hash=new_head,
    )
    entry.hash = hash_v2(entry)
    entry.save(force_insert=True)
    head_model.objects.filter(pk=1).update(seq=entry.seq, hash=entry.hash)


def backward(apps, schema_editor):
    rehash_chain(
        apps.get_model("audit", "AuditEntry"), apps.get_model("audit", "AuditHead"), hash_v2, hash_v1
    )


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        schema_editor.execute(PG_TRIGGER)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def drop_triggers(apps, schema_editor):
    # Dropped rather than disabled: on SQLite, adding the column rebuilds the table and its triggers with it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update;")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_chain_head_and_append_only_triggers"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, add_triggers),
        migrations.AddField(
            model_name="auditentry",
            name="salt",
            field=models.CharField(default=fazhi.audit.models.new_salt, max_length=32, verbose_name="salt"),
        ),
        migrations.RunPython(forward, backward),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
