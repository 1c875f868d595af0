"""Headless Chromium for page tests: Debian's /usr/bin/chromium driven by Playwright.

    from browser import chromium, open_page   # the fixture and a helper (tests/ is on sys.path)

    def test_page(chromium, tmp_path):
        page, log = open_page(chromium, tmp_path / "timeline.html")
        assert log.errors == [] and log.requests == []

Never runs ``playwright install``: CI installs chromium with scripts/install-browser.sh.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("TIMELINE_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


def missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} not found; install Debian's chromium (bash scripts/install-browser.sh)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -e '.[test]')"
    return None


def launch(playwright, **options):
    """A headless Chromium from ``sync_playwright()``: Debian's binary, no sandbox, no background traffic."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True, **options)


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium browser shared by the session; skips when chromium is absent."""
    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageLog:
    """What a page did: console errors, uncaught exceptions, network requests, dialogs."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def open_page(browser, path, *, width=1280, height=720, ready="window.timelineReady === true", timeout=30000):
    """Open a local HTML file in a new page of ``width`` x ``height``; wait until ``ready`` is true.

    Returns ``(page, log)``; requests to anything but file/data/blob URLs are
    logged (and aborted), and dialogs are dismissed and logged.
    """
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    log = PageLog()
    page.on("console", lambda message: message.type == "error" and log.errors.append(message.text))
    page.on("pageerror", lambda error: log.errors.append(str(error)))
    page.on("dialog", lambda dialog: (log.dialogs.append(dialog.message), dialog.dismiss()))

    def route(request_route):
        url = request_route.request.url
        if url.startswith(LOCAL_SCHEMES):
            request_route.continue_()
        else:
            log.requests.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("request", lambda request: None if request.url.startswith(LOCAL_SCHEMES) or request.url in log.requests
            else log.requests.append(request.url))
    page.goto(Path(path).resolve().as_uri())
    if ready:
        wait_until(page, ready, timeout=timeout)
    return page, log


def wait_until(page, expression: str, *, timeout: float = 30000) -> None:
    """Poll a JavaScript expression until it is true (``page.wait_for_function`` needs 'unsafe-eval', which
    the timeline page's Content-Security-Policy forbids; ``page.evaluate`` goes through the debugger)."""
    import time

    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{expression!r} still false after {timeout / 1000:g} s")
        page.wait_for_timeout(25)


def screenshot(html_path, png_path, *, width=1280, height=720, full_page=False) -> Path:
    """Save a PNG of a local HTML page at the given viewport size; return its path."""
    from playwright.sync_api import sync_playwright

    png_path = Path(png_path)
    png_path.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page, _ = open_page(browser, html_path, width=width, height=height)
            page.wait_for_timeout(300)
            page.screenshot(path=str(png_path), full_page=full_page)
        finally:
            browser.close()
    return png_path
