"""Test support shared by the suites: the loopback static server, Chromium flags, request logs."""

import functools
import http.server
import os
import re
import shutil
import socket
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

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


def search(page, query):
    """Type a query into Material's search; return the result links (without ?h=) once shown.

    Material searches on key events, not `input`: fill in the text (as an IME would), then press a key.
    """
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    links = page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")
    return [re.sub(r"\?h=[^#]*", "", link) for link in links]
