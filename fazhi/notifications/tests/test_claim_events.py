"""Claiming many events at once (`claim_events`): each key once, whoever asks and however they group them,
with the audit entry each claim would have had on its own."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from fazhi.audit.models import AuditEntry
from fazhi.notifications.actions import claim_event, claim_events
from fazhi.notifications.models import NotifiedEvent
from fazhi.supervision.tests.test_chasing_concurrency import run_together


@pytest.mark.django_db
def test_each_key_is_claimed_once_and_recorded() -> None:
    with transaction.atomic():
        assert claim_events(["b", "a", "a"]) == {"a", "b"}
    with transaction.atomic():
        assert claim_event("c")
        assert claim_events(["a", "c", "d"]) == {"d"}
        assert claim_events([]) == set()
    assert sorted(NotifiedEvent.objects.values_list("key", flat=True)) == ["a", "b", "c", "d"]
    recorded = AuditEntry.objects.filter(target_type="notifications.notifiedevent", action="create")
    # The single claim has its own entry; the claims of a batch share one.
    keys = [
        key
        for entry in recorded
        for key in (
            [key for _pk, key in entry.changes_dict()["events"]]
            if "events" in entry.changes_dict()
            else [entry.changes_dict()["key"][1]]
        )
    ]
    assert sorted(keys) == ["a", "b", "c", "d"]
    assert recorded.count() == 3
    call_command("audit", "verify", verbosity=0)


@pytest.mark.django_db
def test_a_rolled_back_claim_is_not_kept() -> None:
    with transaction.atomic():
        assert claim_events(["x"]) == {"x"}
        transaction.set_rollback(True)
    with transaction.atomic():
        assert claim_events(["x"]) == {"x"}


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_overlapping_keys_at_once_share_them_out() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time: two claims cannot overlap there.")
    keys = [f"k{n:03d}" for n in range(100)]

    def claim(chosen: list[str]) -> set[str]:
        with transaction.atomic():
            return claim_events(chosen)

    first, second = run_together(lambda: claim(keys[:70]), lambda: claim(keys[30:]))
    assert first.isdisjoint(second)
    assert first | second == set(keys)
    assert NotifiedEvent.objects.count() == 100
