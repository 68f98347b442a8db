"""The headers of a deploy (sitegen/headers.py) as the dev server and the README's nginx send them, and
as the build's `_headers` file gives them: pages revalidated on every visit, hashed files kept a year,
no framing by another origin, no MIME sniffing, no Referer.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from hostsupport import NGINX, PREFIX, SubPathNginx, nginx_available
from sitegen import headers
from support import ROOT, StaticServer, free_port

MARKER = "deployed-after-the-first-visit"
TEN_DAYS = 10 * 24 * 3600


def start(kind, root):
    """The site folder `root` under /guide/ on the dev server or on nginx with the README's configuration."""
    if kind == "nginx":
        available, reason = nginx_available()
        if not available:
            if reason:
                pytest.skip(reason)
            pytest.fail(f"nginx is missing ({NGINX}): run `make browser` as root")
        return SubPathNginx(root)
    return StaticServer(root, prefix=PREFIX)


@pytest.fixture(scope="module", params=["serve.py", "nginx"])
def host(request, site_dir):
    """The built site under /guide/ on each server in turn."""
    srv = start(request.param, site_dir)
    srv.kind = request.param
    yield srv
    srv.close()


def head(url):
    """The response headers of a HEAD request (of an error response too)."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=10) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as err:
        return err.code, err.headers


def page_addresses(paths):
    """The address a visitor types for each page: `en/checker/` for en/checker/index.html."""
    return [path[: -len("index.html")] for path in paths if path == "index.html" or path.endswith("/index.html")]


def test_the_policy_keeps_hashed_and_versioned_files_a_year_and_revalidates_everything_else(site_dir):
    paths = headers.site_paths(site_dir)
    keep = {path for path in paths if headers.cache_control(path) == headers.KEEP}
    for path in ("assets/pyodide/314.0.7/pyodide.asm.wasm", "assets/checker/form.0123456789ab.json",
                 "assets/checker/checker.0123456789ab.js", "assets/javascripts/bundle.0123abcd.min.js",
                 "assets/pyc/0123456789ab/python_stdlib.zip", "assets/batch/wheels/0123456789ab/x.whl"):
        assert headers.cache_control(path) == headers.KEEP, path
    for path in ("", "index.html", "en/checker/", "sw.js", "assets/site.css", "assets/engine-worker.js",
                 "assets/checker/checker.js", "search/search_index.zh.json", "assets/javascripts/bundle.0123abcd.min.js.map"):
        assert headers.cache_control(path) == headers.REVALIDATE, path
    # The built site has every kind: the runtime, the wheels, the byte-compiled files, hashed modules and data.
    for pattern in (r"^assets/pyodide/", r"^assets/checker/wheels/", r"^assets/pyc/", r"^assets/batch/wheels/",
                    r"^assets/checker/checker\.[0-9a-f]{12}\.js$", r"^assets/checker/form\.[0-9a-f]{12}\.json$",
                    r"^assets/stylesheets/main\.[0-9a-f]{8}\.min\.css$"):
        assert any(re.search(pattern, path) for path in keep), pattern
    assert not any(path.endswith(".html") or path == "sw.js" for path in keep)


def test_every_file_and_page_is_sent_with_its_cache_policy_and_the_security_headers(host, site_dir):
    paths = headers.site_paths(site_dir)
    addresses = paths + page_addresses(paths) + ["no/such/page/"]
    wrong = []
    for path in addresses:
        status, sent = head(host.url + path)
        expected = headers.for_path(path)
        got = {name: sent.get(name) for name in expected}
        if got != expected or status != (404 if path.startswith("no/") else 200):
            wrong.append((path, status, got))
    assert wrong == []
    assert len(addresses) > 100


# Adds an iframe of `url` to the page and waits for it to load (the error page of a refused one too).
FRAME = """url => new Promise((resolve) => {
  const frame = document.createElement("iframe");
  frame.addEventListener("load", () => resolve());
  frame.src = url;
  document.body.append(frame);
})"""


def framed(browser, framer, url):
    """(address, lang) of the document `url` becomes in an iframe of the page at `framer`."""
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        page.goto(framer)
        page.evaluate(FRAME, url)
        [frame] = [f for f in page.frames if f.parent_frame == page.main_frame]
        return frame.url, frame.locator("html").get_attribute("lang")
    finally:
        context.close()


def test_the_checker_cannot_be_framed_by_another_origin_but_can_by_the_site_itself(host, browser, tmp_path):
    checker = host.url + "en/checker/"
    (tmp_path / "index.html").write_text("<!doctype html><title>another origin</title><body>", encoding="utf-8")
    another = StaticServer(tmp_path)  # another port: another origin
    try:
        assert framed(browser, another.url, checker)[0] != checker, "another origin framed the checker"
    finally:
        another.close()
    assert framed(browser, host.url + "en/", checker) == (checker, "en")


@pytest.fixture(scope="module", params=["serve.py", "nginx"])
def deployed(request, site_dir, tmp_path_factory):
    """A copy of the site whose English checker page was last changed ten days ago, served under /guide/."""
    copy = tmp_path_factory.mktemp("deployed") / "site"
    shutil.copytree(site_dir, copy, copy_function=link_or_copy, ignore=shutil.ignore_patterns("*.gz", "*.br"))
    page = copy / "en" / "checker" / "index.html"
    replace(page, page.read_bytes(), time.time() - TEN_DAYS)
    srv = start(request.param, copy)
    srv.kind, srv.copy = request.param, copy
    yield srv
    srv.close()


def link_or_copy(source, target):
    """A hard link where the file system allows (instant; a deploy below replaces a file, never
    writes into it), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def replace(path, data, mtime):
    """Replace a file as a deploy does (a new file renamed over it), dated `mtime`."""
    new = path.with_name(path.name + ".new")
    new.write_bytes(data)
    os.utime(new, (mtime, mtime))
    os.replace(new, path)


def test_a_returning_visitor_gets_the_page_deployed_since_their_last_visit(deployed, browser):
    """Without Cache-Control, Chromium keeps a page last changed ten days ago for a day (a tenth of its
    age) and shows it again without asking: the checker and its rules as they were."""
    url = deployed.url + "en/checker/"
    context = browser.new_context(service_workers="block")  # the HTTP cache alone; test_offline.py has the worker
    try:
        page = context.new_page()
        assert page.goto(url).headers["cache-control"] == headers.REVALIDATE
        assert MARKER not in page.content()
        page.goto(deployed.url + "en/")  # a visit elsewhere: coming back is a new navigation, not a reload
        page_file = deployed.copy / "en" / "checker" / "index.html"
        html = page_file.read_text(encoding="utf-8").replace("</body>", f"<p>{MARKER}</p></body>", 1)
        replace(page_file, html.encode("utf-8"), time.time())
        response = page.goto(url)
        assert MARKER in page.content(), f"the page of the first visit was shown again ({response.status})"
    finally:
        context.close()


def rules(text):
    """[(URL pattern, {header: value})] of a `_headers` file."""
    found = []
    for line in text.splitlines():
        if line.startswith("/"):
            found.append((line.strip(), {}))
        elif line.startswith("  ") and ":" in line:
            name, value = line.strip().split(":", 1)
            found[-1][1][name] = value.strip()
    return found


def matches(pattern, url):
    """Whether a `_headers` pattern matches a URL path (a trailing * matches any rest, as on every host)."""
    return url.startswith(pattern[:-1]) if pattern.endswith("*") else url == pattern


def test_the_headers_file_gives_every_address_one_cache_policy_and_every_one_the_security_headers(site_dir):
    found = rules((site_dir / headers.HEADERS_FILE).read_text(encoding="utf-8"))
    paths = headers.site_paths(site_dir)
    for path in paths + page_addresses(paths):
        url = "/" + path
        sent = [values for pattern, values in found if matches(pattern, url)]
        policies = [values["Cache-Control"] for values in sent if "Cache-Control" in values]
        # One rule only: where two match, Cloudflare Pages joins their values and Netlify keeps one.
        assert policies == [headers.cache_control(path)], url
        for name, value in headers.SECURITY.items():
            assert [values[name] for values in sent if name in values] == [value], (url, name)
    assert len(found) <= 100, "Cloudflare Pages reads at most 100 rules"


def test_the_readme_s_nginx_configuration_is_the_one_the_tests_run():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^( *)```nginx\n(.*?\n)\1```", readme, re.S | re.M)
    assert headers.nginx_snippet() in [re.sub(f"^{indent}", "", block, flags=re.M) for indent, block in blocks]


def test_make_serve_runs_the_dev_server_with_the_site_s_headers(site_dir):
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^serve: .*\n\t\$\(PY\) serve\.py --port \$\(PORT\)$", makefile, re.M)
    port = free_port()
    server = subprocess.Popen([sys.executable, str(ROOT / "serve.py"), "--port", str(port), "--directory", str(site_dir)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        wasm = next(site_dir.glob("assets/pyodide/*/pyodide.asm.wasm")).relative_to(site_dir).as_posix()
        for path in ("", "sw.js", wasm):
            status, sent = head(f"http://127.0.0.1:{port}/{path}")
            assert status == 200 and {name: sent.get(name) for name in headers.for_path(path)} == headers.for_path(path)
        assert head(f"http://127.0.0.1:{port}/{wasm}")[1]["Content-Type"] == "application/wasm"
    finally:
        server.terminate()
        server.wait(timeout=10)
