"""Shared fixtures: the built site served on loopback, and Debian's Chromium (and Firefox ESR) driven by Playwright."""

from pathlib import Path

import pytest

from support import CHROMIUM, CHROMIUM_FLAGS, FIREFOX, ROOT, SITE, RequestLog, StaticServer, free_port  # noqa: F401


@pytest.fixture(scope="session")
def site_dir():
    """The built site (make test builds it first)."""
    if not (SITE / "index.html").exists():
        pytest.fail("site/ is not built: run `make site` (make test does it)")
    return SITE


@pytest.fixture(scope="session")
def server(site_dir):
    """The site served at the root of a loopback origin."""
    srv = StaticServer(site_dir)
    yield srv
    srv.close()


@pytest.fixture(scope="session")
def guide():
    """The newest edition of the guide, loaded and validated."""
    from sitegen.guide import load_edition

    return load_edition(ROOT / "guide_src")


@pytest.fixture(scope="session")
def source_text(guide):
    """The edition's official text."""
    return guide["source"].read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def playwright_api():
    """Playwright's sync API, started once for the session's browsers."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_api):
    """Debian's Chromium, headless, through Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (make test does it as root)")
    b = playwright_api.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
    yield b
    b.close()


@pytest.fixture(scope="session")
def firefox(playwright_api):
    """Debian's Firefox ESR, headless, through Playwright's WebDriver BiDi client."""
    if not Path(FIREFOX).exists():
        pytest.fail(f"{FIREFOX} is missing: apt-get install firefox-esr (make test does it as root)")
    b = playwright_api.firefox.launch(channel="moz-firefox", executable_path=FIREFOX)
    yield b
    b.close()


@pytest.fixture
def context(browser):
    """A fresh browser context (empty cache and storage)."""
    ctx = browser.new_context()
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A page whose requests (and its workers') are recorded in page.requests."""
    pg = context.new_page()
    log = RequestLog()
    context.on("request", log.add)
    pg.requests = log
    errors = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.js_errors = errors
    yield pg
