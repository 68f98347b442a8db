"""The built site on two real static servers under /guide/: Python's http.server and Debian's nginx.

Nothing here knows the host: the same crawl and the same browser checks run on both (the `host` fixture).
"""

import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from hostsupport import NGINX, PREFIX, SubPathNginx, nginx_available, poll, watch_policy
from sitehtml import html_pages
from support import StaticServer, search


@pytest.fixture(scope="module", params=["http.server", "nginx"])
def host(request, site_dir):
    """The site under /guide/ on each real server in turn."""
    if request.param == "nginx":
        available, reason = nginx_available()
        if not available:
            if reason:
                pytest.skip(reason)
            pytest.fail(f"nginx is missing ({NGINX}): run `make browser` as root")
        srv = SubPathNginx(site_dir)
    else:
        srv = StaticServer(site_dir, prefix=PREFIX)
    srv.kind = request.param
    yield srv
    srv.close()


# Attributes that name something the page loads or links to; the checker's URLs sit in data-*.
URL_ATTRS = {"href", "src", "data-form", "data-wheel", "data-pyodide", "data-worker"}
SEARCHES = [("", "高新技术企业", "programmes/major/"), ("en/", "laboratory", "en/programmes/major/")]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in URL_ATTRS and value and not value.startswith(("data:", "mailto:", "tel:", "javascript:")):
                self.urls.append(value)


def fetch(url):
    """(status, content type, body) of a GET, without following a redirect silently."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read(), response.url
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), b"", url


def crawl(base):
    """Follow every internal link and resource from both home pages; return (pages, resources, problems)."""
    pages, resources, problems = set(), set(), []
    queue, seen = [base, base + "en/"], set()
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, ctype, body, final = fetch(url)
        if status != 200:
            problems.append(f"HTTP {status}: {url}")
            continue
        if final != url:
            problems.append(f"redirected: {url} -> {final}")
        if not ctype.startswith("text/html"):
            resources.add(url)
            continue
        pages.add(url)
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        for ref in parser.urls:
            target = urldefrag(urljoin(url, ref)).url
            if urlsplit(target).netloc != urlsplit(base).netloc:
                continue  # another site: not ours to serve (the browser test checks none is requested)
            if not target.startswith(base):
                problems.append(f"{url} links outside the site: {ref}")
            elif target not in seen:
                queue.append(target)
    return pages, resources, problems


@pytest.fixture(scope="module")
def crawled(host):
    return crawl(host.url)


def test_every_page_of_both_languages_is_reached_and_every_internal_link_resolves(host, crawled, site_dir):
    pages, resources, problems = crawled
    assert problems == []
    for lang, prefix in (("zh", ""), ("en", "en/")):
        expected = {host.url + prefix + rel for rel in html_pages(site_dir, lang)}
        # The checker is linked with ?programme=…: one page, several addresses.
        reached = {p.split("?")[0] for p in pages if (p.startswith(host.url + "en/") == (lang == "en"))}
        assert reached == expected, sorted(expected ^ reached)
    assert len(resources) > 10
    distinct = {p.split("?")[0] for p in pages}
    print(f"\n{host.kind}: {len(distinct)} pages crawled "
          f"({sum(not p.startswith(host.url + 'en/') for p in distinct)} zh, "
          f"{sum(p.startswith(host.url + 'en/') for p in distinct)} en; {len(pages)} addresses), "
          f"{len(resources)} resources")


def test_webassembly_is_served_as_application_wasm_and_the_worker_scripts_as_javascript(host, site_dir):
    wasm = next(site_dir.glob("assets/pyodide/*/pyodide.asm.wasm")).relative_to(site_dir).as_posix()
    status, ctype, body, _ = fetch(host.url + wasm)
    assert status == 200 and ctype.split(";")[0] == "application/wasm"
    assert body[:4] == b"\0asm"
    for rel in ("sw.js", "assets/engine-worker.js", "assets/offline.js"):
        status, ctype, _, _ = fetch(host.url + rel)
        assert status == 200 and ctype.split(";")[0] in ("text/javascript", "application/javascript"), rel
    mjs = next(site_dir.glob("assets/pyodide/*/pyodide.mjs")).relative_to(site_dir).as_posix()
    assert fetch(host.url + mjs)[1].split(";")[0] in ("text/javascript", "application/javascript")


def test_search_and_the_checker_work_and_nothing_leaves_the_origin(host, context):
    page = watch_policy(context.new_page())
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    for prefix, query, target in SEARCHES:
        page.goto(host.url + prefix)
        links = search(page, query)
        assert any(link.startswith(host.url + target) for link in links), (query, links)
    page.goto(host.url + "en/checker/")
    poll(page, "Boolean(window.checker)")
    page.evaluate("window.checker.ready")
    result = page.evaluate("window.checker.evaluate({}, {programme: 'major', lang: 'en'})")
    assert result["results"]["major"]["verdict"] == "incomplete"
    assert page.problems == []
    outside = [u for u in requests if not u.startswith(host.url) and urlsplit(u).scheme not in ("data", "blob")]
    assert outside == []
    assert any(u.endswith(".wasm") for u in requests)
