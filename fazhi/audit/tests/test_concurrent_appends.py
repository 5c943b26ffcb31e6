"""Two writers appending at the same moment never fork the chain."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from fazhi.audit import chain
from fazhi.audit.models import AuditEntry
from fazhi.audit.recorder import acting_as
from fazhi.orgs import actions
from fazhi.orgs.models import Region


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_produce_one_unbroken_chain() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time; the race needs concurrent writers")
    with acting_as(None, "test"), transaction.atomic():
        region = actions.save_region(None, name="新城区", level="county")
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            start.wait()
            for i in range(10):
                with acting_as(None, f"writer-{number}"), transaction.atomic():
                    actions.save_unit(
                        None, region=Region.objects.get(pk=region.pk), name=f"单位{number}-{i}", kind="other"
                    )
        except BaseException as error:  # reported below, in the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = chain.verify()
    assert result.ok, result.reason
    assert result.checked == AuditEntry.objects.count() == 41
    assert sorted(AuditEntry.objects.values_list("seq", flat=True)) == list(range(1, 42))
