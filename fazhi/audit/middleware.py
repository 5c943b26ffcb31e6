from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .recorder import acting_as


def client_ip(request: HttpRequest | None) -> str:
    """The client's address; behind FAZHI_TRUSTED_PROXY_COUNT proxies, read from X-Forwarded-For.

    django-axes uses this too, so login throttling and the audit trail agree on who asked.
    """
    if request is None:
        return ""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count][:45]
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


class AuditActorMiddleware:
    """Attribute every write made while handling a request to the signed-in user and their address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_as(request.user, "web", client_ip(request)):
            return self.get_response(request)
