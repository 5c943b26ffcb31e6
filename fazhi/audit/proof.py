"""The audit chain's hash formula, and the check of an exported bundle, with the standard library only.

Nothing here imports Django, so a bundle can be checked on any machine with Python 3.12 and this one file:

    python -m fazhi.audit.proof BUNDLE [--anchor ANCHOR_FILE] [--files DIR]

(`fazhi audit verify-bundle` calls the same `verify_bundle` and words the result through gettext.)

**The formula** (decision 0009). Each entry has two hashes:

    content_digest = sha256( JSON [seq, at, actor_id, actor_name, source, ip, action, target_type, target_id,
                                   target_repr, region_id, unit_id, changes, salt] )
    hash           = sha256( prev_hash + ":" + content_digest )        (ASCII hex, lower case)

The JSON is `json.dumps(values, ensure_ascii=False, separators=(",", ":"))` in UTF-8; `at` is the ISO time
with microseconds, `changes` the canonical JSON text exactly as stored, `salt` 32 random hex digits. The first
entry's prev_hash is 64 zeros. Because the link needs only the previous hash and the digest, anyone holding
the digests of the entries in between can follow the chain without seeing their content; the salt stops a
digest being used to confirm a guess of that content.

**A bundle** is a JSON Lines file (gzip-compressed when its name ends in .gz): a header object (format,
export time, targets, first seq and the hash before it, head seq and hash), then one line per entry from the
first included entry to the head, in seq order (an object with every field for an included entry, a
`[seq, content_digest]` pair for any other), then an end object (counts and the file hashes the included
entries mention). Lines are read one at a time, so checking a bundle of millions of entries needs little
memory.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

GENESIS_HASH = "0" * 64
FORMAT = "fazhi-audit-bundle"
VERSION = 1
FORMULA = 'hash = sha256(prev_hash + ":" + sha256(json([' + ", ".join(
    (
        "seq", "at", "actor_id", "actor_name", "source", "ip", "action", "target_type", "target_id",
        "target_repr", "region_id", "unit_id", "changes", "salt",
    )
) + "])))"  # fmt: skip

# The entry fields covered by the content digest, in the order they are hashed.
CONTENT_FIELDS = (
    "seq", "at", "actor_id", "actor_name", "source", "ip", "action", "target_type", "target_id",
    "target_repr", "region_id", "unit_id", "changes", "salt",
)  # fmt: skip
_INT_FIELDS = {"seq"}
_OPTIONAL_INT_FIELDS = {"actor_id", "region_id", "unit_id"}
_HEX64 = re.compile(r"[0-9a-f]{64}")


def content_digest(values: Sequence[Any]) -> str:
    """SHA-256 of the entry's content fields (CONTENT_FIELDS, in order), as lower-case hex."""
    canonical = json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def link(prev_hash: str, digest: str) -> str:
    """The entry's chain hash: its content digest linked to the hash of the entry before it."""
    return hashlib.sha256(f"{prev_hash}:{digest}".encode("ascii")).hexdigest()


def entry_digest(entry: Mapping[str, Any]) -> str:
    return content_digest([entry[name] for name in CONTENT_FIELDS])


def is_hash(value: Any) -> bool:
    return isinstance(value, str) and _HEX64.fullmatch(value) is not None


# --- file hashes mentioned by entries ----------------------------------------------------------------------


@dataclass(frozen=True)
class FileRef:
    sha256: str
    seq: int
    target: str
    field: str


def file_refs(entry: Mapping[str, Any]) -> list[FileRef]:
    """The file hashes an entry's changes mention: any SHA-256 under a field whose name contains "sha256"
    (`sha256` of an evidence row, `evidence_sha256` of a case step), old and new values alike."""
    if not entry.get("changes"):
        return []
    try:
        changes = json.loads(entry["changes"])
    except ValueError:
        return []
    if not isinstance(changes, dict):
        return []
    target = f"{entry['target_type']}:{entry['target_id']}"
    refs: list[FileRef] = []
    seen: set[tuple[str, str]] = set()
    for name, value in sorted(changes.items()):
        if "sha256" not in name:
            continue
        for sha in _hashes_in(value):
            if (sha, name) not in seen:
                seen.add((sha, name))
                refs.append(FileRef(sha, entry["seq"], target, name))
    return refs


def _hashes_in(value: Any) -> Iterator[str]:
    if is_hash(value):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _hashes_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _hashes_in(item)


# --- writing a bundle --------------------------------------------------------------------------------------


def open_bundle(path: Path, mode: str) -> IO[str]:
    if mode == "w":
        if path.name.endswith(".gz"):
            return gzip.open(path, "wt", encoding="utf-8", newline="\n")
        return path.open("w", encoding="utf-8", newline="\n")
    with path.open("rb") as probe:
        compressed = probe.read(2) == b"\x1f\x8b"
    if compressed:
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def _line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


class BundleWriter:
    """Writes a bundle line by line; the caller feeds entries in seq order."""

    def __init__(self, handle: IO[str], header: Mapping[str, Any]) -> None:
        self.handle = handle
        self.full = 0
        self.skeleton = 0
        self.files: list[FileRef] = []
        handle.write(_line({"format": FORMAT, "version": VERSION, "formula": FORMULA, **header}))

    def entry(self, entry: Mapping[str, Any], digest: str, included: bool) -> None:
        if included:
            self.handle.write(_line(dict(entry)))
            self.files.extend(file_refs(entry))
            self.full += 1
        else:
            self.handle.write(_line([entry["seq"], digest]))
            self.skeleton += 1

    def end(self) -> None:
        self.handle.write(
            _line(
                {
                    "end": True,
                    "full_entries": self.full,
                    "skeleton_entries": self.skeleton,
                    "files": [ref.__dict__ for ref in self.files],
                }
            )
        )


# --- checking a bundle -------------------------------------------------------------------------------------

# The problems verify_bundle can report, with their English wording. `fazhi audit verify-bundle` has the same
# texts as gettext msgids (a test keeps the two in step); `seq` is the entry a problem names.
MESSAGES = {
    "unreadable": "The bundle cannot be read: %(error)s.",
    "not_a_bundle": "This is not an audit bundle (line 1 has no %(format)s header).",
    "bad_line": "Line %(line)s of the bundle is neither an entry nor an entry digest.",
    "no_entries": "The bundle holds no entries of the objects it was exported for.",
    "missing": "Entry #%(seq)s is missing from its place in the bundle (entry #%(next)s is there instead).",
    "out_of_order": "Entry #%(seq)s is out of order: it comes after entry #%(previous)s.",
    "beyond_head": "Entry #%(seq)s comes after the bundle's head (#%(head)s).",
    "altered": "Entry #%(seq)s was altered: its content does not match its hash.",
    "prev_altered": "Entry #%(seq)s was altered: its previous hash is not the hash of the entry before it.",
    "unlinked": (
        "Entry #%(seq)s does not link to the entries before it: one of entries #%(first)s–#%(last)s "
        "was altered."
    ),
    "unlinked_one": "Entry #%(seq)s does not link to entry #%(previous)s: one of the two was altered.",
    "truncated": "Entries #%(first)s–#%(last)s are missing from the end of the bundle.",
    "head_mismatch": (
        "The bundle's head #%(seq)s does not match its entries: the head or one of entries "
        "#%(first)s–#%(last)s was altered."
    ),
    "no_end": "The bundle has no end line: it was cut short.",
    "end_mismatch": "The bundle's end line does not match its entries (counts or file hashes were altered).",
    "anchor_line": "Line %(line)s of the anchor file is not an anchor.",
    "anchor_mismatch": "Anchor #%(seq)s (line %(line)s of the anchor file) does not match the bundle.",
    "anchor_none": (
        "No anchor in the file falls within the bundle (entries #%(first)s–#%(head)s), so it could not be "
        "checked against one."
    ),
    "file_unrecorded": "File %(path)s (SHA-256 %(sha256)s) is not one the entries record.",
    # Notes: facts worth knowing that do not make the bundle fail.
    "anchor_later": (
        "Anchor #%(seq)s (line %(line)s) is later than the bundle's head #%(head)s and cannot be checked "
        "against it; export a new bundle to check it."
    ),
    "not_anchored": (
        "%(count)s included entries after #%(seq)s (the latest anchor checked) rest on the bundle's own head "
        "only."
    ),
    "file_absent": "No file in the folder has SHA-256 %(sha256)s (recorded by entry #%(seq)s).",
}


@dataclass
class Problem:
    code: str
    seq: int | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def english(self) -> str:
        return MESSAGES[self.code] % {"seq": self.seq, **self.params}


@dataclass
class BundleResult:
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    exported_at: str = ""
    targets: list[Any] = field(default_factory=list)
    first_seq: int = 0
    head_seq: int = 0
    head_hash: str = ""
    full_entries: int = 0
    skeleton_entries: int = 0
    files: list[FileRef] = field(default_factory=list)
    included_seqs: list[int] = field(default_factory=list)
    anchors_checked: list[int] = field(default_factory=list)
    files_matched: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def broken_seq(self) -> int | None:
        """The first entry named by a problem, if any."""
        return next((p.seq for p in self.problems if p.seq is not None), None)


class _Stop(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def verify_bundle(path: Path, anchor: Path | None = None, files: Path | None = None) -> BundleResult:
    """Check a bundle without any database: every included entry's content against its hash, the chain of
    hashes from the first included entry to the head, and optionally an anchor file and a folder of files.

    Chain checking stops at the first entry that does not check out (everything after it is unproven)."""
    result = BundleResult()
    anchors = _read_anchors(anchor, result) if anchor is not None else {}
    try:
        with open_bundle(path, "r") as handle:
            _check_chain(handle, result, anchors)
    except _Stop as stop:
        result.problems.insert(0, stop.problem)
    except (OSError, UnicodeDecodeError, EOFError) as error:
        result.problems.insert(0, Problem("unreadable", params={"error": str(error)}))
    else:
        # Only a chain that checks out says which anchors and file hashes it vouches for.
        if anchor is not None:
            _conclude_anchors(result, anchors)
        if files is not None:
            _check_files(files, result)
    return result


def _read_anchors(path: Path, result: BundleResult) -> dict[int, tuple[int, str]]:
    """seq → (line number, hash) of every anchor line written by `fazhi audit anchor`."""
    anchors: dict[int, tuple[int, str]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        result.problems.append(Problem("unreadable", params={"error": str(error)}))
        return anchors
    for number, raw in enumerate(lines, start=1):
        parts = raw.split()
        if not parts:
            continue
        if len(parts) < 2 or not parts[0].isdigit() or not is_hash(parts[1]):
            result.problems.append(Problem("anchor_line", params={"line": number}))
            continue
        anchors[int(parts[0])] = (number, parts[1])
    return anchors


def _parse(raw: str, number: int) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        raise _Stop(Problem("bad_line", params={"line": number})) from None


def _valid_entry(value: Any) -> bool:
    if not isinstance(value, dict) or not is_hash(value.get("hash")) or not is_hash(value.get("prev_hash")):
        return False
    for name in CONTENT_FIELDS:
        item = value.get(name, ...)
        if name in _INT_FIELDS:
            ok = isinstance(item, int) and not isinstance(item, bool)
        elif name in _OPTIONAL_INT_FIELDS:
            ok = item is None or (isinstance(item, int) and not isinstance(item, bool))
        else:
            ok = isinstance(item, str)
        if not ok:
            return False
    return True


def _check_chain(handle: Iterable[str], result: BundleResult, anchors: dict[int, tuple[int, str]]) -> None:
    lines = iter(enumerate(handle, start=1))
    first = next(lines, None)
    header = _parse(first[1], 1) if first else None
    if (
        not isinstance(header, dict)
        or header.get("format") != FORMAT
        or header.get("version") != VERSION
        or not isinstance(header.get("first_seq"), int)
        or not isinstance(header.get("head_seq"), int)
        or not is_hash(header.get("start_prev_hash"))
        or not is_hash(header.get("head_hash"))
    ):
        raise _Stop(Problem("not_a_bundle", params={"format": FORMAT}))
    result.exported_at = str(header.get("exported_at", ""))
    result.targets = list(header.get("targets") or [])
    result.first_seq, result.head_seq = header["first_seq"], header["head_seq"]
    result.head_hash = header["head_hash"]

    expected, prev = result.first_seq, header["start_prev_hash"]
    # Only included entries carry a recorded hash; between two of them the chain is known by computation
    # alone, so a break found at an included entry (or the head) is narrowed to the stretch since the last.
    last_full = result.first_seq
    _check_anchor(anchors, result.first_seq - 1, prev, result)
    derived: list[FileRef] = []
    end: dict[str, Any] | None = None
    for number, raw in lines:
        if not raw.strip():
            continue
        item = _parse(raw, number)
        if isinstance(item, dict) and item.get("end") is True:
            end = item
            extra = next((n for n, rest in lines if rest.strip()), None)
            if extra is not None:
                raise _Stop(Problem("bad_line", params={"line": extra}))
            break
        if isinstance(item, list) and len(item) == 2 and isinstance(item[0], int) and is_hash(item[1]):
            seq, digest, entry = item[0], item[1], None
        elif _valid_entry(item):
            seq, digest, entry = item["seq"], entry_digest(item), item
        else:
            raise _Stop(Problem("bad_line", params={"line": number}))
        if seq != expected:
            if seq > expected:
                raise _Stop(Problem("missing", expected, {"next": seq}))
            raise _Stop(Problem("out_of_order", seq, {"previous": expected - 1}))
        if seq > result.head_seq:
            raise _Stop(Problem("beyond_head", seq, {"head": result.head_seq}))
        if entry is None:
            if seq == result.first_seq:
                # The first line must be an included entry: nothing else pins the hash before it.
                raise _Stop(Problem("bad_line", params={"line": number}))
            prev = link(prev, digest)
            result.skeleton_entries += 1
        else:
            computed = link(prev, digest)
            if computed != entry["hash"]:
                if link(entry["prev_hash"], digest) != entry["hash"]:
                    raise _Stop(Problem("altered", seq))
                if seq == result.first_seq:
                    raise _Stop(Problem("prev_altered", seq))
                if last_full == seq - 1:
                    raise _Stop(Problem("unlinked_one", seq, {"previous": seq - 1}))
                raise _Stop(Problem("unlinked", seq, {"first": last_full, "last": seq - 1}))
            if entry["prev_hash"] != prev:
                raise _Stop(Problem("prev_altered", seq))
            prev = computed
            last_full = seq
            result.full_entries += 1
            result.included_seqs.append(seq)
            derived.extend(file_refs(entry))
        _check_anchor(anchors, seq, prev, result)
        expected += 1
    if expected <= result.head_seq:
        raise _Stop(Problem("truncated", expected, {"first": expected, "last": result.head_seq}))
    if prev != result.head_hash:
        raise _Stop(Problem("head_mismatch", result.head_seq, {"first": last_full, "last": result.head_seq}))
    if result.full_entries == 0:
        raise _Stop(Problem("no_entries"))
    if end is None:
        raise _Stop(Problem("no_end"))
    result.files = derived
    if (
        end.get("full_entries") != result.full_entries
        or end.get("skeleton_entries") != result.skeleton_entries
        or end.get("files") != [ref.__dict__ for ref in derived]
    ):
        raise _Stop(Problem("end_mismatch"))


def _check_anchor(anchors: dict[int, tuple[int, str]], seq: int, computed: str, result: BundleResult) -> None:
    found = anchors.get(seq)
    if found is None or seq == 0:
        return
    line, expected = found
    if computed != expected:
        raise _Stop(Problem("anchor_mismatch", seq, {"line": line}))
    result.anchors_checked.append(seq)


def _conclude_anchors(result: BundleResult, anchors: dict[int, tuple[int, str]]) -> None:
    for seq, (line, _hash) in sorted(anchors.items()):
        if seq > result.head_seq:
            result.notes.append(Problem("anchor_later", seq, {"line": line, "head": result.head_seq}))
    if not result.anchors_checked:
        result.problems.append(
            Problem("anchor_none", params={"first": result.first_seq, "head": result.head_seq})
        )
        return
    latest = max(result.anchors_checked)
    unanchored = [seq for seq in result.included_seqs if seq > latest]
    if unanchored:
        result.notes.append(Problem("not_anchored", latest, {"count": len(unanchored)}))


def _check_files(folder: Path, result: BundleResult) -> None:
    recorded = {ref.sha256: ref for ref in reversed(result.files)}
    matched: set[str] = set()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        sha = _sha256_file(path)
        if sha in recorded:
            matched.add(sha)
        else:
            result.problems.append(
                Problem("file_unrecorded", params={"path": str(path.relative_to(folder)), "sha256": sha})
            )
    result.files_matched = len(matched)
    for sha, ref in sorted(recorded.items(), key=lambda item: item[1].seq):
        if sha not in matched:
            result.notes.append(Problem("file_absent", ref.seq, {"sha256": sha}))


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- `python -m fazhi.audit.proof`: the same check on a machine without Fazhi installed --------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m fazhi.audit.proof", description="Check an audit bundle without any database."
    )
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--anchor", type=Path, help="an anchor file written by `fazhi audit anchor`")
    parser.add_argument("--files", type=Path, help="a folder of files whose SHA-256 the entries record")
    args = parser.parse_args(argv)
    result = verify_bundle(args.bundle, args.anchor, args.files)
    for note in result.notes:
        print(note.english())
    if not result.ok:
        for problem in result.problems:
            print(problem.english(), file=sys.stderr)
        return 1
    print(
        f"Bundle intact: {result.full_entries} entries of its objects and {result.skeleton_entries} digests "
        f"of others link up to head #{result.head_seq} {result.head_hash}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
