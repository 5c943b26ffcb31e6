"""Two workers at once never tell, nor send, the same thing twice (on PostgreSQL: truly concurrent)."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection, connections

from fazhi.notifications.delivery import deliver_pending
from fazhi.notifications.models import Delivery, DeliveryStatus, Notification
from fazhi.supervision import chasing
from fazhi.supervision.models import Report
from fazhi.testing import Personas, make_plan

pytestmark = pytest.mark.django_db(transaction=True)

D = datetime.date


def run_together(*functions: Callable[[], Any]) -> list[Any]:
    """Run the functions in threads (each with its own database connection), released at the same moment."""
    start = threading.Barrier(len(functions))
    results: list[Any] = [None] * len(functions)
    errors: list[BaseException] = []

    def run(index: int, function: Callable[[], Any]) -> None:
        try:
            start.wait()
            results[index] = function()
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


@pytest.fixture
def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time: two workers cannot overlap there.")


def test_two_scans_that_group_differently_still_tell_each_report_once(
    personas: Personas, postgresql_only: None
) -> None:
    plan = make_plan(personas.region_a, publish=True)
    one, two = Report.objects.filter(plan=plan, unit=personas.justice_a, round__kind="quarterly")[:2]
    # Worker A scans "yesterday" and sees one report due soon; worker B scans "today" and sees both. The
    # report with the greater event key is the one both see, so B's grouped message has another key than A's.
    # Without the per-event claim (NotifiedEvent) nothing would stop both messages — the unique index on
    # (recipient, message key) only catches identical groupings — and the liaison would be told about that
    # report twice.
    for report in (one, two):
        Report.objects.filter(pk=report.pk).update(due_date=D(2025, 6, 30), red_date=D(2025, 7, 7))
    both = Report.objects.filter(pk__in=[one.pk, two.pk])
    keys = {r.pk: chasing.Event(chasing.REMINDER, r).key for r in both}
    smaller, greater = sorted(keys, key=keys.__getitem__)
    Report.objects.filter(pk=greater).update(remind_date=D(2025, 6, 24))
    Report.objects.filter(pk=smaller).update(remind_date=D(2025, 6, 25))

    results = run_together(lambda: chasing.scan(D(2025, 6, 24)), lambda: chasing.scan(D(2025, 6, 25)))

    # The town's report due the same day is an event too (though nobody there has a role to be told).
    assert sum(result.told[chasing.REMINDER] for result in results) == 3
    bodies = [n.body for n in Notification.objects.filter(recipient=personas.liaison)]
    greater_round = Report.objects.get(pk=greater).round.name
    assert sum(body.count(greater_round) for body in bodies) == 1
    smaller_round = Report.objects.get(pk=smaller).round.name
    assert sum(body.count(smaller_round) for body in bodies) == 1


def test_two_workers_sending_at_once_send_each_message_once(
    personas: Personas, postgresql_only: None
) -> None:
    for person in (personas.liaison, personas.unit_head, personas.coordinator):
        type(person).objects.filter(pk=person.pk).update(email=f"{person.username}@example.org")
    make_plan(personas.region_a, publish=True)
    chasing.scan(D(2025, 4, 9))
    chasing.scan(D(2025, 12, 26))
    pending = Delivery.objects.filter(status=DeliveryStatus.PENDING).count()
    assert pending >= 3
    mail.outbox = []

    # Each worker claims rows with SELECT … FOR UPDATE SKIP LOCKED and marks them "sending" before it sends.
    # Without that claim both would read the same pending rows and each would send them: the outbox would hold
    # every message twice.
    results = run_together(lambda: deliver_pending(limit=2), lambda: deliver_pending(limit=2),
                           lambda: deliver_pending(limit=50))  # fmt: skip

    assert sum(result.sent for result in results) == pending
    assert len(mail.outbox) == pending
    sent = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert len(set(sent)) == len(sent)
    assert not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()
