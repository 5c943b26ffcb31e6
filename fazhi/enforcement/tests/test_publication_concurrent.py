"""Two people publishing the same decision at the same moment produce one publication (the row lock)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from fazhi.audit.models import AuditEntry
from fazhi.audit.recorder import acting_as
from fazhi.enforcement import publication
from fazhi.enforcement.models import Publication, PublicationStatus
from fazhi.testing import Personas

from .casefile import Body, reseed
from .publishing import decided_case


# Skipped at collection on SQLite: even setting up a serialized-rollback test there clashes with the others.
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one write transaction at a time: the race needs PostgreSQL's concurrent writers",
)
@pytest.mark.django_db(transaction=True)
def test_two_publishers_racing_publish_once(body: Body, personas: Personas) -> None:
    reseed()  # the flush after other transactional tests removed the seeded rules
    case = decided_case(body)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def publish(user: object, facts: str) -> None:
        try:
            start.wait()
            with acting_as(user, "test"), transaction.atomic():
                publication.publish(case, user, facts=facts)
            outcomes.append(facts)
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=publish, args=(personas.liaison, "甲")),
        threading.Thread(target=publish, args=(personas.unit_head, "乙")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("refused") == 1
    done = Publication.objects.get(case=case)
    assert done.status == PublicationStatus.PUBLISHED
    assert done.facts == next(o for o in outcomes if o != "refused")
    updates = AuditEntry.objects.filter(target_type="enforcement.publication", target_id=str(done.pk))
    assert updates.count() == 2  # created when decided, then published once
