from __future__ import annotations

from typing import Any

import pytest
from asgiref.local import Local
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.tasks import task_backends

from fazhi.testing import Personas, make_personas
from fazhi.testing_browser import browser  # noqa: F401 -- the fixture, for every app's browser tests


@receiver(setting_changed)
def _reset_task_backends(setting: str, **kwargs: Any) -> None:
    # Django resets caches and databases when tests change their settings, but not task backends (6.1).
    if setting == "TASKS":
        handler: Any = task_backends
        handler._settings = None
        handler.__dict__.pop("settings", None)
        handler._connections = Local(handler.thread_critical)


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Any) -> None:
    # Static files are served from the finders in tests (no collectstatic manifest needed).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Hashing with the production work factor would make each test account cost half a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # Every audited write in our code must run inside a transaction (see fazhi/audit/recorder.py).
    settings.FAZHI_AUDIT_STRICT = True
    # Background jobs run at once, inside the request that enqueues them (tests that need the database queue
    # and a worker set TASKS themselves).
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def personas(db: Any) -> Personas:
    return make_personas()
