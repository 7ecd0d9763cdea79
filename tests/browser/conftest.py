"""Fixtures for driving the real app in headless Chromium.

Where Chromium or Playwright is missing these tests skip and say why; with
DIGITS_REQUIRE_BROWSER=1 (set by .ci/run) a missing browser fails them instead.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.chromium import VIEWPORT, launch, missing_reason
from tests.server import ROOT, running_app

SCREENSHOTS = ROOT / "screenshots"


@pytest.fixture(scope="session")
def browser_ready() -> None:
    reason = missing_reason()
    if reason:
        if os.environ.get("DIGITS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"the browser tests must run here, but {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def app_url(browser_ready) -> Iterator[str]:
    with running_app() as url:
        yield url


@pytest.fixture(scope="session")
def playwright(browser_ready):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright):
    chromium = launch(playwright)
    yield chromium
    chromium.close()


# Streamlit's front end looks for its server under the page's own path first
# (/train/_stcore/health), then under the root: those two 404s are its way of working.
_BASE_PATH_PROBES = re.compile(r"/[^/]+/_stcore/(health|host-config)$")


class Problems:
    """JavaScript exceptions, console errors and failed requests seen by a page."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(f"exception: {error}"))
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message) -> None:
        # A failed request is reported by its response below, with its address.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(f"console: {message.text}")

    def _response(self, response) -> None:
        if response.status >= 400 and not _BASE_PATH_PROBES.search(response.url):
            self.errors.append(f"HTTP {response.status}: {response.url}")


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport=VIEWPORT)
    tab = context.new_page()
    tab.problems = Problems(tab)
    yield tab
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    print(f"\nscreenshots are written to {SCREENSHOTS}")
    return SCREENSHOTS
