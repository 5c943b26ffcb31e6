"""Who reads which notifications: each person their own, nobody anyone else's (administrators included —
the inbox is personal; the admin site shows deliveries for troubleshooting)."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from fazhi.orgs.access import get_or_404

from .models import Notification


def inbox(user: Any) -> QuerySet[Notification]:
    """The user's messages, unread first, then newest first."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return (
        Notification.objects.filter(recipient_id=user.pk)
        .annotate(unread=unread)
        .order_by("-unread", "-created_at", "-pk")
    )


def unread_count(user: Any) -> int:
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def get_notification_for_user(user: Any, pk: Any) -> Notification:
    notification: Notification = get_or_404(inbox(user), pk)
    return notification
