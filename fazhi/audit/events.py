"""Security events that are not model writes: logins, logouts, failed logins."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.http import HttpRequest

from .middleware import client_ip
from .recorder import acting_as, record


def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    with acting_as(user, "web", client_ip(request)), transaction.atomic():
        record("login", user._meta.label_lower, user.pk, user.get_username())


def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    with acting_as(user, "web", client_ip(request)), transaction.atomic():
        record("logout", user._meta.label_lower, user.pk, user.get_username())


def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    with acting_as(None, "web", client_ip(request)), transaction.atomic():
        record("login_failed", "orgs.user", "", username)


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="fazhi_audit_login")
    user_logged_out.connect(_logged_out, dispatch_uid="fazhi_audit_logout")
    user_login_failed.connect(_login_failed, dispatch_uid="fazhi_audit_login_failed")
