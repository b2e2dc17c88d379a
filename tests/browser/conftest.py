"""Playwright driving Debian's Chromium (no browser download) against a live server."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("KVISA_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("KVISA_SCREENSHOTS", "var/screenshots"))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's Chromium is required at {CHROMIUM} (apt-get install chromium)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def shot() -> object:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: object, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
        return path
    return take


@pytest.fixture(autouse=True)
def _settle_pages(browser) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """After each test, let every page's requests finish, then close its contexts.

    A request still running in the live server (an autosave, say) when the
    test database is flushed holds locks, and the flush fails.
    """
    yield
    for context in list(browser.contexts):
        for page in context.pages:
            # a closed or stuck page is closed below anyway
            with contextlib.suppress(Exception):
                page.wait_for_load_state("networkidle", timeout=10_000)
        context.close()
