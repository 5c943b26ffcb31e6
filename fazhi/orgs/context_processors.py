from typing import Any

from django.http import HttpRequest

from .access import scope_for


def roles(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's scope, so the navigation shows only what their roles reach."""
    user = getattr(request, "user", None)
    return {"scope": scope_for(user)}
