"""Notifications: a person's in-app inbox, and the deliveries of each message by e-mail or SMS.

`key` makes sending idempotent: the same reminder for the same report and due date is one row, however many
workers run. When several events are told in one message (a unit's five reports due this week), each event is
first claimed as a `NotifiedEvent`, so no event is told twice even if two workers group them differently.
Deliveries are claimed by workers with row locks and sent at most once.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message in a person's inbox; `key` makes sending idempotent (one reminder per report and date)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    # Reading a message is not a change anyone needs to audit.
    AUDIT_IGNORED_FIELDS: ClassVar[tuple[str, ...]] = ("read_at",)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotifiedEvent(models.Model):
    """Something people have been told about, once: "reminder:report:12:2025-10-09".

    The transaction that tells people claims the event's key first; a second worker finds it taken (or waits
    on the unique index until the first commits) and tells no one.
    """

    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notified event")
        verbose_name_plural = _("notified events")

    def __str__(self) -> str:
        return self.key


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("not sent (no address)")


class Delivery(models.Model):
    """Sending a notification outside the app, by e-mail or SMS.

    A worker claims pending rows (status → sending, with a lease until `next_attempt_at`), sends them outside
    any transaction, and marks each sent, pending again (retry after a pause) or failed.
    """

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254, blank=True)
    status = models.CharField(max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Pending: not before this time (retries back off). Sending: the claim's lease ends then.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel")
        ]
        # The worker's claim: pending rows whose time has come, oldest first.
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.notification} · {self.channel} · {self.status}"
