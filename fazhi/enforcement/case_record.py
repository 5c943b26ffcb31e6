"""A case's verifiable record (全过程记录): the audit history of the case and of every row that belongs to
it, as an audit bundle (decision 0009) that `fazhi audit verify-bundle` checks without the database.

What belongs to a case: the case itself (its details, and the investigators named), its steps (each with the
officers involved and the SHA-256 of its evidence files), its legal reviews, its publication (公示) and its
transfers to the police. The office's reviews of the closed file (案卷评查) are the office's record about the
case, not the case's own, and stay out (their scores are not the body's to read before they are published).
A row deleted since (only the administration site deletes) is no longer there to be listed: its entries are
found in the chain by the case its deletion recorded, so its history is not left out.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.db import models

from fazhi.audit import bundle
from fazhi.audit.models import AuditEntry

from .models import Case, CaseEvent, CaseTransfer, LegalReview, Publication

PARTS: tuple[type[models.Model], ...] = (CaseEvent, LegalReview, Publication, CaseTransfer)


def targets(case: Case) -> list[tuple[str, str]]:
    """The `(target_type, target_id)` of the case and of every row of it, deleted ones included."""
    found = [(Case._meta.label_lower, str(case.pk))]
    for model in PARTS:
        rows: Any = model._default_manager.filter(case_id=case.pk).order_by("pk")
        found += [(model._meta.label_lower, str(pk)) for pk in rows.values_list("pk", flat=True)]
    labels = [model._meta.label_lower for model in PARTS]
    deleted = AuditEntry.objects.filter(target_type__in=labels, action="delete", unit_id=case.unit_id)
    for target_type, target_id, changes in deleted.values_list("target_type", "target_id", "changes"):
        try:
            value = json.loads(changes).get("case")
        except (ValueError, AttributeError):
            continue
        if (
            isinstance(value, list)
            and value
            and value[0] == case.pk
            and (target_type, target_id) not in found
        ):
            found.append((target_type, target_id))
    return found


def prepare(case: Case) -> bundle.Prepared:
    """The case's bundle, ready to stream (`.gzipped()`); BundleError if the chain holds nothing of it."""
    return bundle.prepare(targets(case))


def filename(case: Case) -> str:
    """The download's name: the case number (characters a file name cannot hold replaced), then the kind."""
    number = re.sub(r'[\\/:*?"<>|\s]+', "_", case.number).strip("._") or str(case.pk)
    return f"{number}.audit-bundle.jsonl.gz"
