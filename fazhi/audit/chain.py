"""Appending to the hash chain and checking it.

Appends are serialised by locking the single `AuditHead` row (SELECT … FOR UPDATE on PostgreSQL; SQLite runs
write transactions one at a time, started IMMEDIATE in settings). The lock is held until the surrounding
transaction commits, so two concurrent writers can never both link to the same previous entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import GENESIS_HASH, AuditEntry, AuditHead


@dataclass
class EntryData:
    action: str
    target_type: str
    target_id: str = ""
    target_repr: str = ""
    changes: str = ""
    region_id: int | None = None
    unit_id: int | None = None
    actor_id: int | None = None
    actor_name: str = ""
    source: str = "system"
    ip: str = ""


def append(items: Iterable[EntryData]) -> list[AuditEntry]:
    """Link the items onto the end of the chain inside the caller's transaction (or a new one)."""
    items = list(items)
    if not items:
        return []
    with transaction.atomic():
        head = _locked_head()
        now = timezone.now()
        entries = []
        seq, prev = head.seq, head.hash
        for item in items:
            seq += 1
            entry = AuditEntry(
                seq=seq,
                at=now,
                actor_id=item.actor_id,
                actor_name=item.actor_name[:150],
                source=item.source[:40],
                ip=item.ip[:45],
                action=item.action[:40],
                target_type=item.target_type[:100],
                target_id=str(item.target_id)[:64],
                target_repr=item.target_repr[:200],
                region_id=item.region_id,
                unit_id=item.unit_id,
                changes=item.changes,
                prev_hash=prev,
            )
            entry.hash = entry.compute_hash()
            prev = entry.hash
            entries.append(entry)
        AuditEntry.objects.bulk_create(entries)
        head.seq, head.hash = seq, prev
        head.save(update_fields=["seq", "hash"])
    return entries


class ChainHeadMissing(RuntimeError):
    pass


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # A fresh (or flushed) database has no head yet; a chain with entries but no head was tampered with,
        # and appending to it would only hide that.
        if AuditEntry.objects.exists():
            raise ChainHeadMissing(_("The audit chain head is missing: run `fazhi audit verify`."))
        AuditHead.objects.get_or_create(pk=1)
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    broken_seq: int | None = None
    reason: str = ""
    notes: list[str] = field(default_factory=list)


def _entries(batch: int) -> Iterator[AuditEntry]:
    # Keyset pagination keeps memory flat on a chain of millions of rows.
    last = 0
    while True:
        chunk = list(AuditEntry.objects.filter(seq__gt=last).order_by("seq")[:batch])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].seq


def verify(batch: int = 5000) -> VerifyResult:
    """Walk the whole chain from the first entry; stop at the first entry that does not check out."""
    head = AuditHead.objects.filter(pk=1).first()
    head_seq = head.seq if head else -1
    head_hash = head.hash if head else ""
    expected_seq, prev, checked = 1, GENESIS_HASH, 0
    for entry in _entries(batch):
        if entry.seq != expected_seq:
            return VerifyResult(
                False, checked, head_seq, head_hash, expected_seq,
                _("entry #%(missing)s is missing (the next entry present is #%(next)s)")
                % {"missing": expected_seq, "next": entry.seq},
            )  # fmt: skip
        if entry.prev_hash != prev:
            return VerifyResult(
                False, checked, head_seq, head_hash, entry.seq,
                _("entry #%(seq)s does not link to the entry before it") % {"seq": entry.seq},
            )  # fmt: skip
        if entry.compute_hash() != entry.hash:
            return VerifyResult(
                False, checked, head_seq, head_hash, entry.seq,
                _("entry #%(seq)s was altered after it was written") % {"seq": entry.seq},
            )  # fmt: skip
        prev = entry.hash
        expected_seq += 1
        checked += 1
    if head is None:
        return VerifyResult(
            False, checked, head_seq, head_hash, expected_seq, _("the chain head row is missing")
        )
    if head.seq != checked or head.hash != prev:
        if head.seq > checked:
            reason = _("entries #%(first)s–#%(last)s were removed from the end of the chain") % {
                "first": checked + 1,
                "last": head.seq,
            }
            return VerifyResult(False, checked, head_seq, head_hash, checked + 1, reason)
        return VerifyResult(
            False, checked, head_seq, head_hash, head.seq + 1,
            _("the chain head (#%(head)s) does not match the last entry (#%(last)s)")
            % {"head": head.seq, "last": checked},
        )  # fmt: skip
    return VerifyResult(True, checked, head_seq, head_hash)


# --- anchors: copies of the head kept outside the database -------------------------------------------------
# Whoever controls the database could rewrite the whole chain and its head consistently. An anchor written
# to a file elsewhere (the backup medium, a printed report) pins the chain as it was at that moment.


def write_anchor(path: Path) -> str:
    head = AuditHead.objects.get(pk=1)
    line = f"{head.seq} {head.hash} {timezone.now().isoformat(timespec='seconds')}\n"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line)
    return line.strip()


def check_anchors(path: Path) -> list[str]:
    """Return a description of every anchor in the file that the chain no longer matches."""
    problems = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        parts = raw.split()
        if len(parts) < 2 or not parts[0].isdigit():
            problems.append(_("line %(line)s is not an anchor") % {"line": number})
            continue
        seq, expected = int(parts[0]), parts[1]
        if seq == 0:
            continue
        stored = AuditEntry.objects.filter(seq=seq).values_list("hash", flat=True).first()
        if stored != expected:
            problems.append(
                _("anchor #%(seq)s (line %(line)s) no longer matches the chain")
                % {"seq": seq, "line": number}
            )
    return problems
