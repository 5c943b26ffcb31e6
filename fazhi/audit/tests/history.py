"""A history to bundle: one unit of region A and one case step with evidence, interleaved with region B."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from fazhi.audit import bundle
from fazhi.audit.models import AuditEntry
from fazhi.audit.recorder import acting_as, record
from fazhi.orgs import actions
from fazhi.testing import Personas

EVIDENCE = {"现场检查笔录.pdf": "检查笔录".encode(), "现场照片.jpg": b"\xff\xd8photo"}
SECRETS = ("029-8800-SECRET", "莲湖区机密备注")


@dataclass
class History:
    targets: list[tuple[str, str]]
    seqs: list[int]  # of the entries that go in full
    other_seqs: list[int]  # of region B's entries written in between
    evidence_sha256: dict[str, str]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def last_seq() -> int:
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def make_history(p: Personas) -> History:
    hashes = {name: sha256(data) for name, data in EVIDENCE.items()}
    targets = [("orgs.unit", str(p.justice_a.pk)), ("enforcement.caseevent", "40")]
    seqs = list(AuditEntry.objects.filter(bundle.targets_filter(targets)).values_list("seq", flat=True))
    other: list[int] = []
    with acting_as(p.coordinator, "web", "10.0.0.1"), transaction.atomic():
        actions.save_unit(p.justice_a, phone="0471-1000001")
    seqs.append(last_seq())
    with acting_as(p.coordinator_b, "web", "10.9.9.9"), transaction.atomic():
        actions.save_unit(p.justice_b, phone=SECRETS[0])
    other.append(last_seq())
    with acting_as(p.coordinator, "web"), transaction.atomic():
        # What a case step records (enforcement.CaseEvent.evidence_sha256), written here by hand.
        record(
            "create",
            "enforcement.caseevent",
            40,
            "XC-2025-012 现场检查",
            {
                "case": [None, 12],
                "evidence_sha256": [None, sorted(hashes.values())],
                "step": [None, "inspect"],
            },
            region_id=p.region_a.pk,
            unit_id=p.justice_a.pk,
        )
    seqs.append(last_seq())
    with acting_as(p.coordinator_b, "web"), transaction.atomic():
        actions.save_unit(p.justice_b, note=SECRETS[1])
        actions.save_unit(p.justice_b, phone="029-8800-0002")
    other += [last_seq() - 1, last_seq()]
    with acting_as(p.coordinator, "web"), transaction.atomic():
        actions.save_unit(p.justice_a, phone="0471-1000002")
    seqs.append(last_seq())
    with acting_as(p.coordinator_b, "web"), transaction.atomic():
        actions.save_unit(p.justice_b, phone="029-8800-0003")
    other.append(last_seq())
    return History(targets, sorted(seqs), other, hashes)


def export(history: History, path: Path, batch: int = 2000) -> bundle.ExportResult:
    return bundle.export(history.targets, path, batch=batch)


def write_evidence(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in EVIDENCE.items():
        (folder / name).write_bytes(data)
    return folder
