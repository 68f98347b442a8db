"""Shared fixtures: the built site served on loopback, and Debian's Chromium driven by Playwright."""

import functools
import http.server
import os
import shutil
import socket
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port():
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class StaticServer:
    """Python's http.server serving `root` on loopback in a thread, optionally under a sub-path."""

    def __init__(self, root, prefix=""):
        self.prefix = prefix.strip("/")
        if self.prefix:
            # Serve a folder that holds the site at /<prefix>/ and nothing else.
            self._tmp = tempfile.mkdtemp(prefix="serve-")
            os.symlink(Path(root).resolve(), Path(self._tmp) / self.prefix)
            root = self._tmp
        else:
            self._tmp = None
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        host, port = self.httpd.server_address
        self.origin = f"http://{host}:{port}"
        self.url = f"{self.origin}/{self.prefix + '/' if self.prefix else ''}"

    def close(self):
        """Stop serving and remove the temporary root."""
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)


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
def browser():
    """Debian's Chromium, headless, through Playwright."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (make test does it as root)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()


class RequestLog:
    """Every request the page (and its workers) makes, to judge third-party traffic."""

    def __init__(self):
        self.urls = []

    def add(self, request):
        self.urls.append(request.url)

    def outside(self, origin):
        """Requests to anything but `origin` (data: and blob: URLs are local)."""
        return [
            u for u in self.urls
            if not u.startswith(origin + "/") and u != origin and urlsplit(u).scheme not in ("data", "blob")
        ]


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
