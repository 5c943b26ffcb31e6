from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "fazhi.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        checks.register(check_sms_backend, "fazhi")
        # Supervision's chasing tells people about each step of a report; it hooks into the workflow when
        # imported (it lives beside the workflow, in fazhi.supervision, and sends through this app).
        from fazhi.supervision import chasing

        chasing.connect()


def check_sms_backend(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A misspelt FAZHI_SMS_BACKEND stops `fazhi check` (and the start-up) instead of failing every SMS."""
    from .sms import get_backend

    try:
        get_backend()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="fazhi.E101")]
    return []
