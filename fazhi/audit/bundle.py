"""Export the history of some objects as a bundle that can be checked without the database (decision 0009).

A bundle holds every entry of the chosen objects in full and, for every other entry from the first included
one to the head, only its sequence number and content digest: enough to recompute the chain of hashes up to
the head, nothing of what the other entries say. `proof.verify_bundle` checks it; the format is described
there.

Any audited object can be bundled: pass its `(target_type, target_id)` pairs, e.g. a case and its steps
(`[("enforcement.case", "12"), ("enforcement.caseevent", "40"), …]`), or a Q filter on `AuditEntry`.
`export` writes a file (`fazhi audit bundle`); `prepare(…).gzipped()` yields the same bundle, compressed, as
it is read from the chain, for a download that starts at once and holds little in memory (the case page's).
"""

from __future__ import annotations

import functools
import io
import operator
import os
import zlib
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


@dataclass
class Prepared:
    """An export whose objects, first entry and head are fixed: `lines()` produces its text.

    Entries are append-only, so every entry up to the head read here stays as it was while the lines are
    produced, however long that takes (a web download streams them as they come)."""

    included: Q
    header: dict[str, Any]
    first_seq: int
    head_seq: int
    head_hash: str
    batch: int = 2000
    # Known once `lines()` has run to the end.
    full_entries: int = 0
    skeleton_entries: int = 0
    files: int = 0

    def lines(self, chunk_chars: int = 1 << 16) -> Iterator[str]:
        """The bundle's text, in pieces of about `chunk_chars` characters (whole lines each). The stored chain
        is checked on the way: a break raises BundleError before its entry is produced."""
        buffer = io.StringIO()
        writer = proof.BundleWriter(buffer, self.header)
        expected, prev = self.first_seq, self.header["start_prev_hash"]
        for row in _rows(self.first_seq, self.head_seq, self.included, self.batch):
            entry = {name: row[name] for name in _COLUMNS}
            entry["at"] = row["at"].isoformat(timespec="microseconds")
            digest = proof.entry_digest(entry)
            if row["seq"] != expected or row["prev_hash"] != prev or proof.link(prev, digest) != row["hash"]:
                raise BundleError(
                    _("The audit chain is broken at entry #%(seq)s: run `fazhi audit verify`.")
                    % {"seq": expected}
                )
            writer.entry(entry, digest, row["bundle_included"])
            prev = row["hash"]
            expected += 1
            if buffer.tell() >= chunk_chars:
                yield _take(buffer)
        if expected != self.head_seq + 1 or prev != self.head_hash:
            raise BundleError(
                _("The audit chain is broken at entry #%(seq)s: run `fazhi audit verify`.")
                % {"seq": expected}
            )
        writer.end()
        self.full_entries, self.skeleton_entries, self.files = writer.full, writer.skeleton, len(writer.files)
        yield _take(buffer)

    def gzipped(self) -> Iterator[bytes]:
        """The bundle gzip-compressed as it is produced (what `open_bundle` reads from a .gz file)."""
        compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # 16+: the gzip container
        for text in self.lines():
            data = compressor.compress(text.encode("utf-8"))
            if data:
                yield data
        yield compressor.flush()


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def prepare(targets: Iterable[tuple[str, str]] | Q, batch: int = 2000) -> Prepared:
    """Fix what a bundle of `targets` (pairs, or a Q filter on AuditEntry) holds: raises BundleError when the
    chain is empty or holds nothing of them."""
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
    return Prepared(included, header, first, head.seq, head.hash, batch)


def export(targets: Iterable[tuple[str, str]] | Q, path: Path, batch: int = 2000) -> ExportResult:
    """Write the bundle of the entries of `targets` (pairs, or a Q filter on AuditEntry) to `path`.

    The head is read first; entries are append-only, so every entry up to it stays as it was while the rest is
    read. The stored chain is checked on the way: a bundle of a broken chain is refused, not written."""
    prepared = prepare(targets, batch)
    path = Path(path)
    scratch = path.with_name(f".partial-{path.name}")  # same suffix: .gz compresses
    try:
        with proof.open_bundle(scratch, "w") as handle:
            os.chmod(scratch, 0o600)  # the included entries may hold personal data
            for text in prepared.lines():
                handle.write(text)
        os.replace(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)
    return ExportResult(
        path=path,
        first_seq=prepared.first_seq,
        head_seq=prepared.head_seq,
        head_hash=prepared.head_hash,
        full_entries=prepared.full_entries,
        skeleton_entries=prepared.skeleton_entries,
        files=prepared.files,
        size=path.stat().st_size,
    )
