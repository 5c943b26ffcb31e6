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

from fazhi.audit.recorder import batched

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
