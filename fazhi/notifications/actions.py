"""Every write to notifications: telling people something, claiming an event, reading messages.

`notify` puts one message in each person's inbox and queues its e-mail and SMS deliveries; `fazhi worker`
sends those (fazhi.notifications.delivery). Both are idempotent on keys, so a scan that runs twice, or in two
workers at once, tells nobody anything twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core import mail
from django.core.mail.handler import DEFAULT_MAILER_ALIAS
from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.audit.recorder import batched, record

from . import sms
from .models import Channel, Delivery, DeliveryStatus, Notification, NotifiedEvent


def email_configured() -> bool:
    # MAILERS is empty in production without an SMTP server: then messages stay in the inbox (and SMS).
    return DEFAULT_MAILER_ALIAS in mail.mailers


def channels() -> list[str]:
    """The channels besides the inbox that this deployment sends on."""
    found: list[str] = []
    if email_configured():
        found.append(Channel.EMAIL)
    if sms.backend_path():
        found.append(Channel.SMS)
    return found


def _address(user: Any, channel: str) -> str:
    value = user.email if channel == Channel.EMAIL else getattr(user, "phone", "")
    return (value or "").strip()


def _safe_url(url: str) -> str:
    # Links in the inbox are our own pages; anything else (another site, javascript:) is dropped.
    return url if url.startswith("/") and not url.startswith("//") else ""


@transaction.atomic
def notify(users: Iterable[Any], kind: str, title: str, body: str, url: str, key: str) -> list[Notification]:
    """Put a message in each user's inbox, once per (user, key), and queue its e-mail/SMS deliveries.

    Returns the notifications created now (a user who already has one with this key is skipped). Safe
    against a concurrent call with the same key: the unique (recipient, key) index decides, inside a
    savepoint, and the loser creates nothing.
    """
    people = {user.pk: user for user in users if user is not None and user.is_active}
    if not people:
        return []
    existing = set(
        Notification.objects.filter(recipient_id__in=people, key=key).values_list("recipient_id", flat=True)
    )
    wanted = channels()
    created: list[Notification] = []
    with batched():
        for pk in sorted(set(people) - existing):
            user = people[pk]
            try:
                with transaction.atomic():
                    notification = Notification.objects.create(
                        recipient=user, kind=kind[:20], title=title[:200], body=body,
                        url=_safe_url(url)[:300], key=key[:200],
                    )  # fmt: skip
            except IntegrityError:
                continue  # another process told this person first
            for channel in wanted:
                address = _address(user, channel)
                Delivery.objects.create(
                    notification=notification,
                    channel=channel,
                    address=address,
                    status=DeliveryStatus.PENDING if address else DeliveryStatus.SKIPPED,
                )
            created.append(notification)
    return created


def claim_event(key: str) -> bool:
    """Claim an event for the caller's transaction; False when it was already told (by anyone).

    Call inside the transaction that tells people about it: if that transaction rolls back, so does the
    claim. On PostgreSQL a concurrent claim of the same key waits on the unique index until the first
    transaction ends, then finds the key taken.
    """
    if NotifiedEvent.objects.filter(key=key).exists():
        return False
    try:
        with transaction.atomic():
            NotifiedEvent.objects.create(key=key[:200])
    except IntegrityError:
        return False
    return True


def claim_events(keys: Iterable[str]) -> set[str]:
    """Claim many events at once for the caller's transaction; returns the keys claimed now (the others had
    been told already, by anyone). Call inside the transaction that tells people about them.

    For a scan that may claim thousands of events in a morning (a province's time limits after a holiday, the
    first run after an import of old cases): one read of the keys already claimed and one insert of the rest,
    recorded in the audit trail by one entry per thousand claims rather than one each. If another worker
    claims one of them in between, the insert fails on the unique index (on PostgreSQL after waiting for that
    worker's transaction) and the keys are claimed one by one instead, each decided by the index as in
    `claim_event`.
    """
    wanted = sorted({key[:200] for key in keys})
    if not wanted:
        return set()
    told = already_told(wanted)
    fresh = [key for key in wanted if key not in told]
    if not fresh:
        return set()
    with batched():
        try:
            with transaction.atomic():
                # Key order, as in the scans' single claims: two workers inserting overlapping sets wait on
                # the same first key instead of deadlocking.
                created = NotifiedEvent.objects.bulk_create([NotifiedEvent(key=key) for key in fresh])
        except IntegrityError:
            return {key for key in fresh if claim_event(key)}
        # bulk_create sends no signals: the claims are recorded here, a thousand to an entry.
        for start in range(0, len(created), 1000):
            chunk = created[start : start + 1000]
            record(
                "create",
                NotifiedEvent._meta.label_lower,
                "",
                f"{len(chunk)} events",
                {"events": [[event.pk, event.key] for event in chunk]},
            )
    return set(fresh)


def already_told(keys: Iterable[str]) -> set[str]:
    """Which of these event keys have been claimed (one query per thousand keys)."""
    keys = list(keys)
    found: set[str] = set()
    for start in range(0, len(keys), 1000):
        chunk = keys[start : start + 1000]
        found.update(NotifiedEvent.objects.filter(key__in=chunk).values_list("key", flat=True))
    return found


@transaction.atomic
def mark_read(notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        # read_at is not audited (see the model), so this save writes no audit entry.
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(user: Any) -> int:
    """Mark every unread message of `user` read; returns how many. (read_at is not audited, so a bulk
    update needs no audit record.)"""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
