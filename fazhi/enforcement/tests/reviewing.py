"""Closed case files to review, a checklist and rounds, for the 案卷评查 and 两法衔接 tests.

Cases are 行政检查 (opened, investigated by two certified officers, closed): the shortest way to a closed
file through the real write path.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import file_review
from fazhi.enforcement.models import Case, CaseKind, CaseStep, FileReviewChecklist, FileReviewRound

from .casefile import Body, D, open_case, step

# Three items, 100 points: 优秀 from 90, 良好 from 80, 合格 from 60 (the model's default lines).
ITEMS = [("程序合法", "程序合法", 50), ("事实证据", "证据确凿", 30), ("文书规范", "文书规范", 20)]


def closed_case(body: Body, closed: datetime.date, **fields: Any) -> Case:
    case = open_case(body, kind=CaseKind.INSPECTION, on=closed - datetime.timedelta(days=10), **fields)
    step(case, CaseStep.INVESTIGATE, closed - datetime.timedelta(days=5), officers=[body.zhang, body.li])
    return step(case, CaseStep.CLOSE, closed)


APRIL = D(2025, 4, 1)


def closed_cases(body: Body, count: int, first: datetime.date = APRIL) -> list[Case]:
    return [closed_case(body, first + datetime.timedelta(days=i)) for i in range(count)]


def make_checklist(personas: Any, region: Any = None, **fields: Any) -> FileReviewChecklist:
    with acting_as(None, "test"), transaction.atomic():
        checklist = file_review.save_checklist(
            None, None, region=region or personas.region_a, name="评查标准", effective_from=D(2025, 1, 1),
            **fields,
        )  # fmt: skip
        for order, (group, text, points) in enumerate(ITEMS, start=1):
            file_review.save_item(
                None,
                None,
                checklist=checklist,
                group=group,
                text=text,
                max_points=Decimal(points),
                order=order,
            )
    return checklist


def make_round(
    personas: Any, checklist: FileReviewChecklist, user: Any = None, **fields: Any
) -> FileReviewRound:
    values: dict[str, Any] = {
        "region": personas.region_a,
        "title": "2025年第二季度行政执法案卷评查",
        "period_start": D(2025, 4, 1),
        "period_end": D(2025, 6, 30),
        "checklist": checklist,
        "sample_size": 3,
        **fields,
    }
    with acting_as(user, "test"), transaction.atomic():
        return file_review.create_round(user, **values)


def draw(round: FileReviewRound, seed: int | None = None, user: Any = None) -> FileReviewRound:
    with acting_as(user, "test"), transaction.atomic():
        return file_review.draw(user, round, seed=seed)


def drawn_ids(round: FileReviewRound) -> list[int]:
    return list(round.samples.order_by("position").values_list("case_id", flat=True))


def full_scores(round: FileReviewRound, points: list[str]) -> dict[int, file_review.ItemScore]:
    items = list(round.checklist.items.all())
    return {item.pk: file_review.ItemScore(Decimal(p), "意见") for item, p in zip(items, points, strict=True)}


def score(round: FileReviewRound, sample: Any, points: list[str], user: Any = None) -> Any:
    with acting_as(user, "test"), transaction.atomic():
        return file_review.score_file(user, sample, full_scores(round, points), "总体意见")


def publish(round: FileReviewRound, user: Any = None) -> FileReviewRound:
    with acting_as(user, "test"), transaction.atomic():
        return file_review.publish(user, round)


def make_walk_objects(personas: Any) -> None:
    """For the permission walk: in each region (side "a" and "b"), on its justice bureau, a published round
    (`review_round_{side}`, with its first file `review_sample_{side}`), a closed case
    (`review_case_{side}`), a transfer awaiting its reply (`transfer_{side}`) and a replied one
    (`transfer_replied_{side}`). Dates are in 2025, in the past whatever the clock says."""
    from fazhi.enforcement import actions, transfers

    for side in ("a", "b"):
        unit = getattr(personas, f"justice_{side}")
        region = getattr(personas, f"region_{side}")
        with acting_as(None, "test"), transaction.atomic():
            officers = [
                actions.save_officer(
                    None,
                    unit=unit,
                    name=f"评查{side}{n}",
                    certificate_number=f"walk-review-{side}-{n}",
                    issuing_authority="人民政府",
                    valid_from=D(2020, 1, 1),
                )
                for n in (1, 2)
            ]
            case = actions.open_case(
                None, unit=unit, kind=CaseKind.INSPECTION, on=D(2025, 4, 1), number=f"walk-review-{side}",
                party_name="某公司", party_type="legal",
            )  # fmt: skip
            actions.advance(case, CaseStep.INVESTIGATE, None, on=D(2025, 4, 2), officers=officers)
            case = actions.advance(case, CaseStep.CLOSE, None, on=D(2025, 4, 10))
            checklist = file_review.save_checklist(
                None, None, region=region, name="评查标准", effective_from=D(2025, 1, 1)
            )
            for order, (group, text, points) in enumerate(ITEMS, start=1):
                file_review.save_item(
                    None, None, checklist=checklist, group=group, text=text, max_points=Decimal(points),
                    order=order,
                )  # fmt: skip
            round = file_review.create_round(
                None, region=region, title=f"walk-review-{side}", period_start=D(2025, 4, 1),
                period_end=D(2025, 6, 30), checklist=checklist, sample_size=1,
            )  # fmt: skip
            round = file_review.draw(None, round, seed=1)
            sample = round.samples.get()
            file_review.score_file(None, sample, full_scores(round, ["45", "25", "15"]))
            round = file_review.publish(None, round)
            sent = transfers.record_transfer(
                None, case, transferred_on=D(2025, 5, 1), receiving_authority="公安分局",
                suspected_offence="非法经营罪",
            )  # fmt: skip
            replied = transfers.record_transfer(
                None, case, transferred_on=D(2025, 5, 2), receiving_authority="公安分局",
                suspected_offence="非法经营罪",
            )  # fmt: skip
            replied = transfers.record_reply(None, replied, accepted=True, replied_on=D(2025, 5, 20))
        setattr(personas, f"review_case_{side}", case)
        setattr(personas, f"review_round_{side}", round)
        setattr(personas, f"review_sample_{side}", sample)
        setattr(personas, f"transfer_{side}", sent)
        setattr(personas, f"transfer_replied_{side}", replied)
