"""Precision and recall of claim extraction against the hand-checked claims of seeds 001 and 003.

The score is the one the issue uses on reports from other regions: a claim counts when its value and unit are
right, and, for the second figure, when its subject also names what was counted (one subject contains the
other). The floors are what the extractor reached when the goldens were written; a change that lowers them
has broken something.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from fazhi.docparse.report import analyse_report

GOLDENS = ["001_report.json", "003_report.json"]


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _subjects_agree(expected: str, actual: str) -> bool:
    return bool(expected and actual) and (expected in actual or actual in expected)


def score(seeds: Path, fixtures: Path) -> dict[str, float]:
    true_value = expected_total = actual_total = true_subject = 0
    for name in GOLDENS:
        golden = json.loads((fixtures / "golden" / name).read_text(encoding="utf-8"))
        actual = analyse_report(seeds / golden["seed"]).to_dict()["claims"]
        expected = golden["claims"]
        expected_total += len(expected)
        actual_total += len(actual)
        matched = Counter((c["value"], c["unit"]) for c in expected) & Counter(
            (c["value"], c["unit"]) for c in actual
        )
        true_value += sum(matched.values())
        # Pair claims with the same value and unit in order of appearance to compare their subjects.
        pending: dict[tuple[object, str], list[str]] = {}
        for claim in expected:
            pending.setdefault((claim["value"], claim["unit"]), []).append(claim["subject"])
        for claim in actual:
            subjects = pending.get((claim["value"], claim["unit"]))
            if subjects:
                true_subject += _subjects_agree(subjects.pop(0), claim["subject"])
    precision, recall = true_value / actual_total, true_value / expected_total
    subject_precision, subject_recall = true_subject / actual_total, true_subject / expected_total
    return {
        "value_unit_f1": _f1(precision, recall),
        "precision": precision,
        "recall": recall,
        "subject_f1": _f1(subject_precision, subject_recall),
    }


def test_claims_match_the_hand_checked_goldens_above_the_floor(seeds: Path, fixtures: Path) -> None:
    figures = score(seeds, fixtures)
    print("claims on seeds 001+003: " + ", ".join(f"{key} {value:.3f}" for key, value in figures.items()))
    assert figures["value_unit_f1"] >= 0.99
    assert figures["subject_f1"] >= 0.95
