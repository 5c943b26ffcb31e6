from __future__ import annotations

from typing import Any

import pytest

from fazhi.testing import Personas, make_personas


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


@pytest.fixture
def personas(db: Any) -> Personas:
    return make_personas()
