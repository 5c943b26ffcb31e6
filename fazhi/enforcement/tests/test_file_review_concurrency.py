"""Two people publishing the same round at once publish it once: one result per body, one assessment entry
(the round's row lock)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, transaction

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import file_review
from fazhi.enforcement.models import FileReviewBodyResult, FileReviewEvent, FileReviewStatus
from fazhi.supervision.models import ScoreAdjustment

from .casefile import Body, reseed
from .reviewing import closed_cases, draw, make_checklist, make_round, score


# Skipped before the database fixture on SQLite, which runs one write transaction at a time: the race needs
# PostgreSQL's concurrent writers (and a transactional test's serialized rollback is not free).
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="the race needs PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_two_publications_racing_publish_once(body: Body, personas: Any) -> None:
    reseed()  # the flush after other transactional tests removed the seeded rules
    closed_cases(body, 2)
    round = draw(make_round(personas, make_checklist(personas), sample_size=2), seed=4)
    for sample in round.samples.all():
        score(round, sample, ["10", "10", "10"])  # 30: 不合格, −1 point
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def publish(user: Any) -> None:
        try:
            start.wait()
            with acting_as(user, "test"), transaction.atomic():
                file_review.publish(user, round)
            outcomes.append("published")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(personas.coordinator,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["published", "refused"]
    round.refresh_from_db()
    assert round.status == FileReviewStatus.PUBLISHED
    assert FileReviewBodyResult.objects.filter(round=round).count() == 1
    assert ScoreAdjustment.objects.count() == 1
    assert FileReviewEvent.objects.filter(round=round, to_status="published").count() == 1
