"""The Chinese catalogue is complete, and the committed compiled catalogue matches it."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

LOCALE = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES"
needs_msgfmt = pytest.mark.skipif(
    shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed"
)


def msgfmt(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["msgfmt", *args], capture_output=True, text=True, check=False)


@needs_msgfmt
def test_every_message_is_translated() -> None:
    result = msgfmt("--check", "--statistics", "-o", "/dev/null", str(LOCALE / "django.po"))
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


@needs_msgfmt
def test_the_committed_compiled_catalogue_matches_the_source(tmp_path: Path) -> None:
    fresh = tmp_path / "django.mo"
    assert msgfmt("-o", str(fresh), str(LOCALE / "django.po")).returncode == 0
    with fresh.open("rb") as a, (LOCALE / "django.mo").open("rb") as b:
        compiled, committed = gettext.GNUTranslations(a), gettext.GNUTranslations(b)
    assert committed._catalog == compiled._catalog, "run `make messages` and commit django.mo"  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_pages_speak_chinese(client: Client) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert "登录" in page
    assert "Sign in" not in page
