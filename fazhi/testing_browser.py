"""Browser tests' shared parts: Debian's Chromium driven by Playwright, and one person's signed-in session.

Nothing is downloaded: without Chromium or Playwright a browser test is skipped, unless
FAZHI_REQUIRE_BROWSER=1 (CI sets it), when it fails instead. The `browser` fixture is registered in
fazhi/conftest.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fazhi.testing import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")


def _missing_browser() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install -y chromium)"
    return ""


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    reason = _missing_browser()
    if reason:
        if os.environ.get("FAZHI_REQUIRE_BROWSER") == "1":
            pytest.fail(f"FAZHI_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(f"browser test skipped: {reason}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still
    # synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium refuses its sandbox.
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        try:
            yield chromium
        finally:
            chromium.close()


class Person:
    """One person's browser session against the live server, signed in."""

    def __init__(self, browser: Any, base: str, username: str) -> None:
        self.base = base
        self.context = browser.new_context(locale="zh-CN")
        self.page = self.context.new_page()
        self.page.on("dialog", lambda dialog: dialog.accept())  # data-confirm buttons ask first
        self.open("/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("form[action='/accounts/login/'] button[type=submit]")
        # Home, or where home sends an account without a role (an officer: their cases).
        self.page.wait_for_load_state()
        assert "/accounts/login/" not in self.page.url, f"{username} could not sign in"

    def open(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        assert response is not None, path
        assert response.status == 200, f"{path}: {response.status}"
        return self.page

    def click(self, selector: str) -> None:
        with self.page.expect_navigation():
            self.page.click(selector)
        assert "Server Error" not in self.page.content()
