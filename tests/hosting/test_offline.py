"""Offline after the first visit: the service worker precaches the build, and a new build replaces it."""

import http.server
import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from hostsupport import PREFIX, poll, watch_policy
import support
from support import CHROMIUM, CHROMIUM_FLAGS, ROOT, StaticServer

MARKER = "rebuilt-edition-marker"
SW_READY = 60  # seconds: the first install downloads and hashes the whole build (~15 MB) on loopback


class SwappableServer(StaticServer):
    """http.server under /guide/ whose content can be replaced by another built site, as a deploy does."""

    def __init__(self, root):
        super().__init__(root, prefix=PREFIX)
        self.paths = []
        handler = self.httpd.RequestHandlerClass
        paths = self.paths

        class Logging(handler.func):  # functools.partial(_QuietHandler, directory=...)
            def log_request(self, code="-", size="-"):
                paths.append(self.path)

        self.httpd.RequestHandlerClass = lambda *a, **kw: Logging(*a, **{**handler.keywords, **kw})

    def go_offline(self, context):
        """Offline as the issue asks (context.set_offline), and the server stopped: Playwright's
        offline mode does not reach a service worker's own fetches (microsoft/playwright#2311)."""
        context.set_offline(True)
        self.httpd.shutdown()
        self.httpd.server_close()

    def serve(self, root):
        """Point /guide/ at another site folder, atomically."""
        link = Path(self._tmp) / self.prefix
        nxt = link.with_name(".next")
        os.symlink(Path(root).resolve(), nxt)
        os.replace(nxt, link)


def worker_build(site):
    """(cache name, manifest) baked into a built site's sw.js."""
    text = (Path(site) / "sw.js").read_text(encoding="utf-8")
    cache = json.loads(re.search(r"^const CACHE = (.*);$", text, re.M).group(1))
    manifest = json.loads(re.search(r"^const MANIFEST = (\{.*?\});$", text, re.M | re.S).group(1))
    return cache, manifest


CACHE_STATE = """async () => {
    const names = (await caches.keys()).filter((n) => n.startsWith("guide-"));
    const sizes = {};
    for (const name of names) sizes[name] = (await (await caches.open(name)).keys()).length;
    return {controlled: !!navigator.serviceWorker.controller, sizes};
}"""


def wait_for_cache(page, cache, entries):
    """Until the page is controlled and the only cache is `cache`, holding every manifest entry."""
    deadline = time.monotonic() + SW_READY
    state = None
    while time.monotonic() < deadline:
        state = page.evaluate(CACHE_STATE)
        # + 1: the manifest the cache keeps of itself, for the next build's install.
        if state["controlled"] and state["sizes"] == {cache: entries + 1}:
            return state
        time.sleep(0.25)
    raise AssertionError(f"no full cache {cache} of {entries + 1} entries: {state}")


def open_checker(page, url):
    support.open_checker(page, url, 15)


def test_the_site_works_offline_after_a_first_visit(browser, site_copy):
    site_dir = site_copy
    cache, manifest = worker_build(site_dir)
    srv = SwappableServer(site_dir)
    context = browser.new_context()
    try:
        page = watch_policy(context.new_page())
        requests = []
        context.on("request", lambda r: requests.append(r.url))
        page.goto(srv.url)
        wait_for_cache(page, cache, len(manifest))
        size = sum((site_dir / (p + "index.html" if p == "" or p.endswith("/") else p)).stat().st_size for p in manifest)
        print(f"\nprecache: {len(manifest)} files, {size / 1e6:.1f} MB, cache {cache}")

        srv.go_offline(context)
        offline_from = len(requests)  # the requests before include the service worker's precache
        assert page.evaluate("fetch('sitemap.xml', {cache: 'no-store'}).then(() => 'online', () => 'offline')") == "offline"
        response = page.reload()
        assert response.status == 200 and response.from_service_worker
        for path, lang, text in [("notice/", "zh", "六十周岁以下"), ("en/notice/", "en", "1 January 1962"),
                                 ("en/programmes/major/", "en", None), ("programmes/talent/", "zh", None)]:
            response = page.goto(srv.url + path)
            assert response.status == 200 and response.from_service_worker, path
            assert page.get_attribute("html", "lang") == lang
            assert page.locator("article h1").count() == 1
            if text:
                assert text in page.locator("article").inner_text()
        # Search runs in Material's worker, on the cached index.
        page.goto(srv.url + "en/")
        box = page.locator("input.md-search__input")
        box.click()
        box.fill("laboratory")
        box.press("End")
        page.wait_for_selector(".md-search-result__item", timeout=15000)
        # The checker: runtime, wheel and form data all come from the cache: first from the HTTP cache
        # the service worker answers from first, then, with that cache emptied, from its own.
        for path, lang in (("checker/", "zh"), ("en/checker/?programme=major", "en")):
            if lang == "en":
                context.new_cdp_session(page).send("Network.clearBrowserCache")
            open_checker(page, srv.url + path)
            result = page.evaluate("l => window.checker.evaluate({}, {programme: 'major', lang: l})", lang)
            assert result["results"]["major"]["verdict"] == "incomplete"
        # ...from the byte-compiled files, as online: the worker's cached copy must not lose their name.
        stdlibs = {u.removeprefix(srv.url) for u in requests[offline_from:] if u.endswith("/python_stdlib.zip")}
        assert stdlibs and all(u.startswith("assets/pyc/") for u in stdlibs), stdlibs
        assert page.problems == []
        assert [u for u in requests if not u.startswith(srv.url) and not u.startswith(("data:", "blob:"))] == []
    finally:
        context.close()
        srv.close()


def test_the_second_visit_of_the_checker_reuses_the_wasm_chromium_compiled_on_the_first(browser, site_copy, tmp_path):
    """On a profile on disk, as a visitor's (an off-the-record one keeps no compiled code for HTTP
    responses): the service worker, controlling the second visit, passes the HTTP-cached wasm through."""
    cache, manifest = worker_build(site_copy)
    srv = StaticServer(site_copy, prefix=PREFIX)
    context = browser.browser_type.launch_persistent_context(tmp_path / "profile", executable_path=CHROMIUM,
                                                             args=CHROMIUM_FLAGS)
    try:
        page = context.new_page()
        cdp = support.start_tracing(context, page)
        open_checker(page, srv.url + "checker/")
        wait_for_cache(page, cache, len(manifest))  # by then V8 has long finished the first compile
        first = [e["name"] for e in support.stop_tracing(cdp)]
        assert "v8.wasm.cachedModule" in first and not support.WASM_CACHE_HIT_EVENTS & set(first)
        page.close()

        page = context.new_page()
        cdp = support.start_tracing(context, page)
        open_checker(page, srv.url + "checker/")
        assert page.evaluate("!!navigator.serviceWorker.controller")
        second = {e["name"] for e in support.stop_tracing(cdp)}
        assert support.WASM_CACHE_HIT_EVENTS & second, "the second visit compiled the wasm again"
    finally:
        context.close()
        srv.close()


@pytest.fixture(scope="module")
def site_copy(site_dir, tmp_path_factory):
    """A private copy of the built site: a rebuild of site/ during the test must not change what is served."""
    copy = tmp_path_factory.mktemp("served") / "site"
    shutil.copytree(site_dir, copy, symlinks=True)
    return copy


@pytest.fixture(scope="module")
def rebuilt_site(tmp_path_factory):
    """A real build of the guide with one English sentence changed."""
    import build

    work = tmp_path_factory.mktemp("rebuild")
    guide = work / "guide_src"
    shutil.copytree(ROOT / "guide_src", guide)
    notice = guide / "2022" / "notice.yaml"
    text = notice.read_text(encoding="utf-8")
    assert text.count("aged 60 or under (born") == 1
    notice.write_text(text.replace("aged 60 or under (born", f"aged 60 or under ({MARKER}; born"), encoding="utf-8")
    build.build_site(guide, ROOT / "rules", work / "site")
    return work / "site"


def test_a_new_build_replaces_the_cache_and_is_what_is_shown_offline(browser, site_copy, rebuilt_site):
    site_dir = site_copy
    old_cache, old_manifest = worker_build(site_dir)
    new_cache, new_manifest = worker_build(rebuilt_site)
    changed = {p for p in new_manifest if old_manifest.get(p) != new_manifest[p]}
    assert old_cache != new_cache and "en/notice/" in changed and "sw.js" not in new_manifest
    srv = SwappableServer(site_dir)
    context = browser.new_context()
    try:
        page = watch_policy(context.new_page())
        page.goto(srv.url + "en/notice/")
        wait_for_cache(page, old_cache, len(old_manifest))
        assert MARKER not in page.content()

        srv.serve(rebuilt_site)
        del srv.paths[:]
        page.reload()  # network first: the new page at once; the browser also finds the new sw.js
        assert MARKER in page.locator("article").inner_text()
        wait_for_cache(page, new_cache, len(new_manifest))  # and the old cache is gone
        # Files whose hash did not change were copied from the old cache, not downloaded again.
        fetched = {p.split("?")[0][len("/guide/"):] for p in srv.paths}
        assert not any(p.startswith("assets/pyodide/") for p in fetched), sorted(fetched)

        srv.go_offline(context)
        response = page.reload()
        assert response.from_service_worker
        assert MARKER in page.locator("article").inner_text()
        assert page.problems == []
    finally:
        context.close()
        srv.close()
