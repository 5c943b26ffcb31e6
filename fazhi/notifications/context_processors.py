from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .access import unread_count


def inbox(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's unread count for the navbar badge (counted only when a page shows it)."""
    user = getattr(request, "user", None)
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
