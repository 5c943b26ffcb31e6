"""Two reviewers acting on the same report at the same moment produce exactly one transition."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from fazhi.supervision import actions
from fazhi.supervision.models import EventKind, Progress, Report, ReportStatus
from fazhi.supervision.workflow import Step
from fazhi.testing import Personas, make_plan


@pytest.mark.django_db(transaction=True)
def test_an_accept_and_a_return_racing_produce_one_transition(personas: Personas) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite runs one write transaction at a time: the race needs PostgreSQL's concurrent writers"
        )
    plan = make_plan(personas.region_a, publish=True)
    report = Report.objects.filter(plan=plan, unit=personas.justice_a).first()
    assert report is not None
    with transaction.atomic():
        actions.save_report(report, personas.unit_head, "已完成。", Progress.DONE, {})
        actions.transition(report, Step.SUBMIT, personas.unit_head, ReportStatus.DRAFT)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def review(step: str, user: object) -> None:
        try:
            start.wait()
            with transaction.atomic():
                actions.transition(report, step, user, ReportStatus.SUBMITTED, comment="请补充材料")
            outcomes.append(step)
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=review, args=(Step.ACCEPT, personas.coordinator)),
        threading.Thread(target=review, args=(Step.RETURN, personas.admin)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes).count("refused") == 1
    report.refresh_from_db()
    decisions = report.events.filter(kind__in=[EventKind.ACCEPTED, EventKind.RETURNED])
    assert decisions.count() == 1
    assert report.status == decisions.get().to_status
