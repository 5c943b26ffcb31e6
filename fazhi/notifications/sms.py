"""Sending text messages: an interface for the SMS gateway a deployment has, and two simple backends.

Government networks use many different gateways (a carrier's HTTP API, a provincial messaging platform), so
Fazhi ships none: a deployment writes a small class with `send(phone, text)` and names it in the environment
variable FAZHI_SMS_BACKEND ("mypackage.sms.GatewayBackend"). Without it no SMS deliveries are made.
"""

from __future__ import annotations

import logging
import threading
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsBackend:
    """Sends one text message. Raise any exception when it was not accepted; the worker retries later."""

    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class LoggingSmsBackend(SmsBackend):
    """For trials: writes each message to the log instead of sending it."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class MemorySmsBackend(SmsBackend):
    """For tests: keeps every message in `MemorySmsBackend.outbox` (shared by all instances and threads)."""

    outbox: ClassVar[list[tuple[str, str]]] = []
    # Numbers that fail, to test retries.
    failing: ClassVar[set[str]] = set()
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def send(self, phone: str, text: str) -> None:
        if phone in self.failing:
            raise ConnectionError(f"gateway refused {phone}")
        with self._lock:
            self.outbox.append((phone, text))

    @classmethod
    def reset(cls) -> None:
        with cls._lock:
            cls.outbox.clear()
            cls.failing.clear()


def backend_path() -> str:
    return str(getattr(settings, "FAZHI_SMS_BACKEND", "") or "")


def get_backend() -> SmsBackend | None:
    """The configured backend, or None when SMS is not set up."""
    path = backend_path()
    if not path:
        return None
    try:
        backend_class = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(f"FAZHI_SMS_BACKEND={path!r} cannot be imported: {error}") from None
    if not (isinstance(backend_class, type) and issubclass(backend_class, SmsBackend)):
        raise ImproperlyConfigured(
            f"FAZHI_SMS_BACKEND={path!r} must name a subclass of fazhi.notifications.sms.SmsBackend."
        )
    return backend_class()
