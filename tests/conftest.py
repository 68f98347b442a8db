"""Shared fixtures: the built site served on loopback, and Debian's Chromium and Firefox ESR driven by Playwright."""

from pathlib import Path

import pytest

from support import CHROMIUM, CHROMIUM_FLAGS, FIREFOX, ROOT, SITE, RequestLog, StaticServer, free_port, launch_firefox, recorded  # noqa: F401


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
def two_editions(tmp_path_factory):
    """The repository's 2022 edition and the made-up 2023 one (tests/editions/2023.yaml), published and
    built together into a temporary site: 2023 at its root, 2022 under 2022/ and en/2022/."""
    import build
    from edition_fixture import make_sources

    tree = tmp_path_factory.mktemp("two-editions")
    make_sources(tree)
    build.build_site(tree / "guide_src", tree / "rules", tree / "site", cli_rules=None)
    return tree / "site"


@pytest.fixture(scope="session")
def two_editions_server(two_editions):
    """The two-edition site served under a sub-path, /guide/."""
    srv = StaticServer(two_editions, prefix="guide")
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
def playwright():
    """Playwright's driver, one for the whole session (it runs one at a time)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright):
    """Debian's Chromium, headless, through Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (make test does it as root)")
    b = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
    yield b
    b.close()


@pytest.fixture(scope="session")
def firefox(playwright):
    """Debian's Firefox ESR, headless, through Playwright (WebDriver BiDi)."""
    if not Path(FIREFOX).exists():
        pytest.fail(f"{FIREFOX} is missing: apt-get install firefox-esr (make test does it as root)")
    b = launch_firefox(playwright)
    yield b
    b.close()


@pytest.fixture(scope="session", params=["chromium", "firefox"])
def each_browser(request):
    """Chromium, then Firefox: for the tests that must hold in both engines."""
    return request.getfixturevalue("browser" if request.param == "chromium" else "firefox")


@pytest.fixture
def context(browser):
    """A fresh browser context (empty cache and storage)."""
    ctx = browser.new_context()
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A page of a fresh Chromium context, its requests and script errors recorded."""
    yield recorded(context.new_page())


@pytest.fixture
def each_page(each_browser):
    """A page of a fresh context in Chromium, then in Firefox, its requests and script errors recorded."""
    ctx = each_browser.new_context()
    yield recorded(ctx.new_page())
    ctx.close()
