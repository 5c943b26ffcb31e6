"""Sending queued deliveries by e-mail and SMS: claimed under lock, sent outside any transaction, at most
once.

1. Claim: in a short transaction, take up to `limit` pending deliveries whose time has come, with
   SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL (a second worker skips the rows the first holds instead of
   waiting), and mark them "sending" with a lease. SQLite has no row locks (Django ignores the FOR UPDATE
   there), but its write transactions are IMMEDIATE (see settings.DATABASES): a second worker's claim waits
   for the first one's commit and then finds the rows no longer pending. Either way each row is claimed by
   exactly one worker.
2. Send each claimed delivery with no transaction open, so a slow mail server never holds a lock (on SQLite
   it would block every other write).
3. Mark it sent; or, on an error, pending again after a pause (attempts 1 and 2) or failed (attempt 3).

A worker killed between 2 and 3 leaves a row "sending"; once its lease has run out it is marked failed, not
sent again: we cannot know whether it went out, and the message is in the inbox anyway.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.handler import DEFAULT_MAILER_ALIAS
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from fazhi.audit.recorder import batched

from . import sms
from .models import Channel, Delivery, DeliveryStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# The pause after the first and the second failed attempt.
BACKOFF = (datetime.timedelta(minutes=5), datetime.timedelta(minutes=30))
# Longer than any batch can take to send (SMTP timeout × batch size).
LEASE = datetime.timedelta(hours=1)


@dataclass
class DeliveryResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    interrupted: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.retrying + self.failed


def deliver_pending(limit: int = 50) -> DeliveryResult:
    """Send up to `limit` due deliveries; safe to run in several workers at once (none is sent twice)."""
    result = DeliveryResult(interrupted=_give_up_interrupted())
    claimed = _claim(limit)
    if not claimed:
        return result
    sms_backend: sms.SmsBackend | None = None
    for delivery in claimed:
        try:
            # Inside the try: a gateway that cannot even be loaded fails (and retries) its rows like any
            # other error, instead of leaving every claimed row "sending" until its lease runs out.
            if delivery.channel == Channel.SMS and sms_backend is None:
                sms_backend = sms.get_backend()
            _send(delivery, sms_backend)
        except Exception as error:  # any failure of the mail server or gateway: recorded, retried
            logger.warning("delivery %s (%s) failed: %s", delivery.pk, delivery.channel, error)
            _finish(delivery, error, result)
        else:
            _finish(delivery, None, result)
    return result


def _give_up_interrupted() -> int:
    now = timezone.now()
    with transaction.atomic(), batched():
        stale = list(
            Delivery.objects.select_for_update(skip_locked=True).filter(
                status=DeliveryStatus.SENDING, next_attempt_at__lt=now
            )[:500]
        )
        for delivery in stale:
            delivery.status = DeliveryStatus.FAILED
            with override(settings.LANGUAGE_CODE):
                delivery.error = _(
                    "The worker stopped while sending; it is not sent again, to avoid a double."
                )
            delivery.save()
    return len(stale)


def _claim(limit: int) -> list[Delivery]:
    now = timezone.now()
    with transaction.atomic(), batched():
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .select_related("notification")
            .order_by("next_attempt_at", "pk")[:limit]
        )
        for delivery in rows:
            delivery.status = DeliveryStatus.SENDING
            delivery.attempts += 1
            delivery.next_attempt_at = now + LEASE
            delivery.save()
    return rows


def _send(delivery: Delivery, sms_backend: sms.SmsBackend | None) -> None:
    notification = delivery.notification
    if delivery.channel == Channel.EMAIL:
        with override(settings.LANGUAGE_CODE):
            footer = _("Sign in to Fazhi to read and act on it.")
        # Links are paths of our own pages; FAZHI_SITE_URL ("https://fazhi.example.gov.cn"), when set, makes
        # them whole addresses a mail client can open.
        link = (
            f"{getattr(settings, 'FAZHI_SITE_URL', '').rstrip('/')}{notification.url}"
            if notification.url
            else ""
        )
        body = "\n\n".join(part for part in (notification.body, footer, link) if part)
        EmailMessage(subject=notification.title, body=body, to=[delivery.address]).send(
            using=DEFAULT_MAILER_ALIAS
        )
    elif delivery.channel == Channel.SMS:
        if sms_backend is None:
            raise RuntimeError("SMS is no longer configured (FAZHI_SMS_BACKEND is empty)")
        sms_backend.send(delivery.address, notification.title)
    else:  # pragma: no cover - the choices above are the only channels
        raise RuntimeError(f"unknown channel {delivery.channel!r}")


def _finish(delivery: Delivery, error: Exception | None, result: DeliveryResult) -> None:
    now = timezone.now()
    if error is None:
        delivery.status, delivery.sent_at, delivery.error = DeliveryStatus.SENT, now, ""
        result.sent += 1
    else:
        delivery.error = f"{type(error).__name__}: {error}"[:2000]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            result.failed += 1
        else:
            delivery.status = DeliveryStatus.PENDING
            delivery.next_attempt_at = now + BACKOFF[min(delivery.attempts, len(BACKOFF)) - 1]
            result.retrying += 1
    with transaction.atomic():
        delivery.save(update_fields=["status", "sent_at", "error", "next_attempt_at"])
