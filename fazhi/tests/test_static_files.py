"""Every page's static files are collected and served from our own origin, as in production."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from fazhi.testing import Personas

VENDOR = Path(settings.BASE_DIR) / "build" / "static" / "vendor"
needs_build = pytest.mark.skipif(
    not VENDOR.exists(), reason="front-end libraries not built (npm ci && npm run build)"
)


@needs_build
@pytest.mark.django_db
def test_pages_render_with_the_production_static_storage(
    settings: Any, tmp_path: Path, personas: Personas
) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()
    for path in ("/", "/accounts/login/"):
        assert client.get(path).status_code == 200, path
    client.force_login(personas.coordinator)
    page = client.get("/home/").content.decode()
    for asset in (
        "vendor/bootstrap/bootstrap.min",
        "vendor/htmx/htmx.min",
        "vendor/echarts/echarts.min",
        "fazhi/app",
    ):
        assert f"/static/{asset}." in page, asset
    assert "//cdn" not in page
    assert "https://" not in page


def test_no_page_loads_anything_from_another_origin() -> None:
    templates = Path(settings.BASE_DIR) / "fazhi"
    offenders = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if 'src="http' in path.read_text(encoding="utf-8") or 'href="http' in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
