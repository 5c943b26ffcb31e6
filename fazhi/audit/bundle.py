"""Export the history of some objects as a bundle that can be checked without the database (decision 0009).

A bundle holds every entry of the chosen objects in full and, for every other entry from the first included
one to the head, only its sequence number and content digest: enough to recompute the chain of hashes up to
the head, nothing of what the other entries say. `proof.verify_bundle` checks it; the format is described
there.

Any audited object can be bundled: pass its `(target_type, target_id)` pairs, e.g. a case and its steps
(`[("enforcement.case", "12"), ("enforcement.caseevent", "40"), …]`), or a Q filter on `AuditEntry`.
"""

from __future__ import annotations

import functools
import operator
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import BooleanField, Case, Min, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from . import proof
from .models import AuditEntry, AuditHead

_COLUMNS = [*proof.CONTENT_FIELDS, "prev_hash", "hash"]


class BundleError(Exception):
    pass


@dataclass
class ExportResult:
    path: Path
    first_seq: int
    head_seq: int
    head_hash: str
    full_entries: int
    skeleton_entries: int
    files: int
    size: int


def targets_filter(targets: Iterable[tuple[str, str]]) -> Q:
    """One condition per object type: `target_type = t AND target_id IN (…)`, OR-ed together."""
    by_type: dict[str, set[str]] = defaultdict(set)
    for target_type, target_id in targets:
        by_type[target_type].add(str(target_id))
    if not by_type:
        raise BundleError(_("No objects to export."))
    conditions = [Q(target_type=t, target_id__in=sorted(ids)) for t, ids in sorted(by_type.items())]
    return functools.reduce(operator.or_, conditions)


def _rows(first: int, head: int, included: Q, batch: int) -> Iterator[dict[str, Any]]:
    # Keyset pages with the "included" flag computed by the database: memory stays flat however long the
    # stretch between the first included entry and the head.
    flag = Case(When(included, then=Value(True)), default=Value(False), output_field=BooleanField())
    last = first - 1
    while last < head:
        chunk = list(
            AuditEntry.objects.filter(seq__gt=last, seq__lte=head)
            .order_by("seq")
            .annotate(bundle_included=flag)
            .values(*_COLUMNS, "bundle_included")[:batch]
        )
        if not chunk:
            return
        yield from chunk
        last = chunk[-1]["seq"]


def export(targets: Iterable[tuple[str, str]] | Q, path: Path, batch: int = 2000) -> ExportResult:
    """Write the bundle of the entries of `targets` (pairs, or a Q filter on AuditEntry) to `path`.

    The head is read first; entries are append-only, so every entry up to it stays as it was while the rest is
    read. The stored chain is checked on the way: a bundle of a broken chain is refused, not written."""
    described: str | list[list[str]]
    if isinstance(targets, Q):
        included, described = targets, str(targets)
    else:
        pairs = [(str(t), str(i)) for t, i in targets]
        included, described = targets_filter(pairs), [list(pair) for pair in pairs]
    head = AuditHead.objects.filter(pk=1).first()
    if head is None or head.seq == 0:
        raise BundleError(_("The audit chain is empty."))
    first = AuditEntry.objects.filter(included, seq__lte=head.seq).aggregate(first=Min("seq"))["first"]
    if first is None:
        raise BundleError(_("No audit entries for these objects."))
    start_prev = AuditEntry.objects.values_list("prev_hash", flat=True).get(seq=first)
    header = {
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "targets": described,
        "first_seq": first,
        "start_prev_hash": start_prev,
        "head_seq": head.seq,
        "head_hash": head.hash,
    }
    path = Path(path)
    scratch = path.with_name(f".partial-{path.name}")  # same suffix: .gz compresses
    try:
        with proof.open_bundle(scratch, "w") as handle:
            os.chmod(scratch, 0o600)  # the included entries may hold personal data
            writer = proof.BundleWriter(handle, header)
            expected, prev = first, start_prev
            for row in _rows(first, head.seq, included, batch):
                entry = {name: row[name] for name in _COLUMNS}
                entry["at"] = row["at"].isoformat(timespec="microseconds")
                digest = proof.entry_digest(entry)
                if (
                    row["seq"] != expected
                    or row["prev_hash"] != prev
                    or proof.link(prev, digest) != row["hash"]
                ):
                    raise BundleError(
                        _("The audit chain is broken at entry #%(seq)s: run `fazhi audit verify`.")
                        % {"seq": expected}
                    )
                writer.entry(entry, digest, row["bundle_included"])
                prev = row["hash"]
                expected += 1
            if expected != head.seq + 1 or prev != head.hash:
                raise BundleError(
                    _("The audit chain is broken at entry #%(seq)s: run `fazhi audit verify`.")
                    % {"seq": expected}
                )
            writer.end()
        os.replace(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)
    return ExportResult(
        path=path,
        first_seq=first,
        head_seq=head.seq,
        head_hash=head.hash,
        full_entries=writer.full,
        skeleton_entries=writer.skeleton,
        files=len(writer.files),
        size=path.stat().st_size,
    )
