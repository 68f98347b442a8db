"""Browsers that cannot run the engine, in Chromium and Firefox: JavaScript off, no WebAssembly, and a
policy that refuses to compile it (old Safari reads the site's CSP so: it does not know 'wasm-unsafe-eval').
The checker page says so plainly and links each programme's checklist; the batch page says so and
points to the command line; neither starts a worker nor downloads the runtime. And a file dropped on
the batch page while its engine loads is screened once the engine is ready."""

import base64
import json
import sys
from pathlib import Path

import pytest

import support
from sitegen.render import checklist_path
from checker_py.strings import CHECKER, UI
from support import CHROMIUM, CHROMIUM_FLAGS, launch_firefox, recorded

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sheets"))
from sheetkit import check_json, row_of, sheet_profiles, write_xlsx  # noqa: E402

BROWSERS = ["chromium", "firefox"]
LANGS = ["zh", "en"]
TIMEOUT = 90  # s: the runtime's start on a shared 2-core machine
# What starting the engine would fetch: the runtime, the wheels, the byte-compiled files, the workers.
ENGINE_FILES = ("/assets/pyodide/", "/wheels/", "/pyc/", "engine-worker.js")
# What the browsers are told to lack: Chromium's V8 without its compilers has no WebAssembly at all;
# Firefox's preference turns it off.
NO_WASM = {"chromium": {"args": CHROMIUM_FLAGS + ["--js-flags=--jitless"]},
           "firefox": {"firefox_user_prefs": {"javascript.options.wasm": False}}}
# A page policy without 'wasm-unsafe-eval', added to the site's own: every script still runs, but
# compiling WebAssembly is refused, as in a browser that ignores the keyword.
NO_WASM_CSP = "script-src 'self' 'unsafe-inline'; worker-src 'self'"
# Chinese sentences follow one another with no space after “。”; English ones with one.
SENTENCE_GAP = {"zh": "", "en": " "}


def prefix(lang):
    """The language's folder in the site."""
    return "" if lang == "zh" else "en/"


def engine_downloads(page):
    """The requests (the page's and its workers') for any file of the engine."""
    return [url for url in page.requests.urls if any(part in url for part in ENGINE_FILES)]


def checklists(guide, lang):
    """(href, title) of each programme's checklist, as the checker page links it."""
    return [("../" + checklist_path(p["id"]), p["title"][lang]) for p in guide["programmes"]]


def assert_checker_fallback(page, guide, lang, first):
    """The checker page says `first`, then links every checklist (each link's anchor exists); no form."""
    fallback = page.locator("#checker .ck-fallback")
    assert fallback.locator("p").all_inner_texts() == [first, CHECKER["checklists_instead"][lang]]
    links = fallback.locator("a").evaluate_all("links => links.map(a => [a.getAttribute('href'), a.textContent])")
    assert [tuple(link) for link in links] == checklists(guide, lang)
    for href, _ in links:
        path, _, anchor = href[3:].partition("#")
        assert f'id="{anchor}"' in (support.SITE / prefix(lang) / path / "index.html").read_text(encoding="utf-8"), href
    assert page.locator(".ck-form").count() == 0


@pytest.fixture(scope="module", params=BROWSERS)
def no_script_browser(request, playwright):
    """(browser, context options) for pages without JavaScript: a Chromium context's own setting;
    Firefox driven over WebDriver BiDi ignores that setting, so it is launched with scripts off."""
    if request.param == "chromium":
        yield request.getfixturevalue("browser"), {"java_script_enabled": False}
        return
    browser = launch_firefox(playwright, firefox_user_prefs={"javascript.enabled": False})
    yield browser, {}
    browser.close()


@pytest.mark.parametrize("lang", LANGS)
def test_without_javascript_the_checker_links_each_checklist_and_the_batch_page_never_says_loading(no_script_browser, server, guide, lang):
    browser, options = no_script_browser
    context = browser.new_context(**options)
    try:
        page = recorded(context.new_page())
        page.goto(f"{server.url}{prefix(lang)}checker/")
        assert_checker_fallback(page, guide, lang, CHECKER["noscript"][lang])
        page.goto(f"{server.url}{prefix(lang)}batch/")
        note = page.locator(".bt-noscript")
        assert note.is_visible() and note.inner_text() == SENTENCE_GAP[lang].join([UI['batch_noscript'][lang], UI['batch_use_cli'][lang]])
        assert UI["batch_loading"][lang] not in page.locator("article").inner_text()
        assert page.locator("#batch-file").is_disabled()
        assert engine_downloads(page) == []
    finally:
        context.close()


@pytest.fixture(scope="module", params=BROWSERS)
def no_wasm_browser(request, playwright):
    """Chromium or Firefox launched without WebAssembly."""
    if request.param == "chromium":
        browser = playwright.chromium.launch(executable_path=CHROMIUM, **NO_WASM["chromium"])
    else:
        browser = launch_firefox(playwright, **NO_WASM["firefox"])
    yield browser
    browser.close()


def assert_no_engine_pages(page, server, guide, lang):
    """Both pages say this browser cannot run them, show no form or file picker, and fetch no engine file."""
    page.goto(f"{server.url}{prefix(lang)}checker/")
    page.locator("#checker .ck-fallback").wait_for(timeout=TIMEOUT * 1000)
    assert_checker_fallback(page, guide, lang, CHECKER["no_wasm"][lang])
    page.goto(f"{server.url}{prefix(lang)}batch/")
    page.locator('#batch[data-state="unsupported"]').wait_for(timeout=TIMEOUT * 1000)
    assert page.locator("#batch-status").inner_text() == SENTENCE_GAP[lang].join([UI['batch_no_wasm'][lang], UI['batch_use_cli'][lang]])
    assert page.locator(".bt-drop").is_hidden()
    assert "WebAssembly is not defined" not in page.locator("body").inner_text()
    assert engine_downloads(page) == []
    # Firefox reports each compile its policy refused (the page's test included) as a page error.
    assert [error for error in page.js_errors if "wasm-unsafe-eval" not in error] == []


@pytest.mark.parametrize("lang", LANGS)
def test_a_browser_without_webassembly_is_told_so_and_downloads_no_engine(no_wasm_browser, server, guide, lang):
    context = no_wasm_browser.new_context()
    try:
        page = recorded(context.new_page())
        page.goto(server.url)
        assert page.evaluate("typeof WebAssembly") == "undefined"  # the browser really lacks it
        assert_no_engine_pages(page, server, guide, lang)
        # Nor does the service worker precache the runtime: it is not registered (offline.js would
        # register it once the page has settled, about 2 s after it loaded).
        page.wait_for_timeout(4000)
        assert page.evaluate("navigator.serviceWorker.getRegistrations().then((all) => all.length)") == 0
        assert engine_downloads(page) == []
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_a_policy_refusing_to_compile_webassembly_is_told_so_and_downloads_no_engine(each_browser, server, guide, lang):
    context = each_browser.new_context(service_workers="block")

    def strict(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": NO_WASM_CSP})

    try:
        context.route("**/checker/", strict)
        context.route("**/batch/", strict)
        page = recorded(context.new_page())
        page.goto(f"{server.url}{prefix(lang)}checker/")
        assert page.evaluate("typeof WebAssembly") == "object"  # present, but compiling is refused
        assert_no_engine_pages(page, server, guide, lang)
    finally:
        context.close()


def test_a_file_dropped_on_the_batch_page_while_the_engine_loads_is_screened_once_it_is_ready(each_page, server, tmp_path):
    from checker_sheets import columns, schema

    page = each_page
    cols = columns(schema())
    profiles = sheet_profiles(cols)[:8]
    sheet = tmp_path / "dropped.xlsx"
    write_xlsx(sheet, [c.label["zh"] for c in cols], [row_of(p, cols) for p in profiles])
    held = []
    page.context.route("**/pyodide.asm.wasm", lambda route: held.append(route))  # held until the file is dropped
    page.goto(f"{server.url}batch/")
    support.poll(page, "document.getElementById('batch-status').textContent !== ''", TIMEOUT)
    for _ in range(TIMEOUT * 20):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the worker never asked for the runtime"
    dropped = page.evaluate_handle("""([name, data]) => {
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name));
        return transfer;
    }""", [sheet.name, base64.b64encode(sheet.read_bytes()).decode("ascii")])
    page.locator(".bt-drop").dispatch_event("drop", {"dataTransfer": dropped})
    assert page.locator("#batch-status").inner_text() == UI["batch_waiting"]["zh"].format(name=sheet.name)
    held[0].continue_()
    support.poll(page, "['done', 'error', 'failed'].includes(document.getElementById('batch').dataset.state)", TIMEOUT)
    assert page.locator("#batch").get_attribute("data-state") == "done", page.locator("#batch-status").inner_text()
    shown = page.evaluate("""() => [...document.querySelectorAll('#batch-table tbody tr')].map(tr =>
        [...tr.querySelectorAll('td .bt-verdict')].map(badge => badge.className.split('bt-').pop()))""")
    import checker_py
    expected = [json.loads(line) for line in check_json(profiles)]
    assert shown == [[e["results"][pid]["verdict"] for pid in checker_py.programme_ids()] for e in expected]
    assert any("pyodide.asm.wasm" in url for url in page.requests.urls)  # the request log sees the worker's fetches
    assert page.js_errors == []
