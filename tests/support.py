"""Test support shared by the suites: the loopback static server, Chromium flags, request logs."""

import base64
import copy
import functools
import http.server
import json
import os
import subprocess
import time
import urllib.error
import urllib.request
import re
import shutil
import socket
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the benchmarks import this module from bench/

from serve import SiteHandler  # noqa: E402

SITE = ROOT / "site"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FIREFOX = os.environ.get("FIREFOX", "/usr/bin/firefox-esr")
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


PHONE = {"width": 390, "height": 844}


def phone_context(browser, **options):
    """A new context in a 390 px phone viewport (Firefox has no mobile emulation: the viewport only)."""
    mobile = {"is_mobile": True, "has_touch": True} if browser.browser_type.name == "chromium" else {}
    return browser.new_context(viewport=PHONE, **mobile, **options)


def launch_firefox(playwright, **options):
    """Debian's Firefox ESR, headless, driven over WebDriver BiDi."""
    return playwright.firefox.launch(channel="moz-firefox", executable_path=FIREFOX, **options)


def free_port():
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _QuietHandler(SiteHandler):
    """The dev server's handler (serve.py: the site's headers, hang-ups taken as normal), logging nothing."""

    def log_message(self, *args):
        pass


class StaticServer:
    """The dev server (serve.py's handler) serving `root` on loopback in a thread, optionally under a sub-path."""

    def __init__(self, root, prefix=""):
        self.prefix = prefix.strip("/")
        if self.prefix:
            # Serve a folder that holds the site at /<prefix>/ and nothing else.
            self._tmp = tempfile.mkdtemp(prefix="serve-")
            os.symlink(Path(root).resolve(), Path(self._tmp) / self.prefix)
            root = self._tmp
        else:
            self._tmp = None
        handler = functools.partial(_QuietHandler, directory=str(root), prefix=f"/{self.prefix}/" if self.prefix else "/")
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


def recorded(pg):
    """The page, with its requests (and its workers') in pg.requests and its script errors in pg.js_errors."""
    log = RequestLog()
    pg.context.on("request", log.add)
    pg.requests = log
    errors = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.js_errors = errors
    return pg


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


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")

NGINX_CONF = """\
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include {mime_types};
    # Debian 12's mime.types (nginx 1.22) lacks .mjs, and a browser refuses a module script served
    # as application/octet-stream: Pyodide's pyodide.mjs and pyodide.asm.mjs would not load.
    types {{ text/javascript mjs; }}
    default_type application/octet-stream;
{log_format_def}    access_log {tmp}/access.log{log_format_name};
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    sendfile on;
{http_extra}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        # Redirects (a directory without its slash) keep the client's host and port.
        absolute_redirect off;
{locations}
    }}
}}
"""


class NginxServer:
    """Debian's nginx on loopback serving {prefix: folder}, as the current user, all state in a tmp dir.

    `http_extra` adds directives to the http block (the benchmarks turn gzip on and log byte counts);
    `locations`, the server block's locations in place of a plain `alias` for each folder.
    """

    def __init__(self, folders, http_extra="", log_format="", locations=None):
        self.tmp = Path(tempfile.mkdtemp(prefix="nginx-"))
        # nginx runs as the current user: when that is root, its workers become `nobody` unless told
        # otherwise, and nobody may not read the site; `user root` is only accepted from root.
        user = "user root;\n" if os.geteuid() == 0 else ""
        port = free_port()
        if locations is None:
            locations = "\n".join(
                f"        location /{prefix.strip('/')}/ {{ alias {Path(folder).resolve()}/; index index.html; }}"
                for prefix, folder in folders.items())
        conf = self.tmp / "nginx.conf"
        conf.write_text(user + NGINX_CONF.format(
            tmp=self.tmp, mime_types=MIME_TYPES, port=port, locations=locations, http_extra=http_extra,
            log_format_def=f"    log_format custom '{log_format}';\n" if log_format else "",
            log_format_name=" custom" if log_format else ""))
        self.log = open(self.tmp / "stderr.log", "wb")
        self.proc = subprocess.Popen([NGINX, "-p", str(self.tmp), "-c", str(conf)], stdout=self.log, stderr=self.log)
        self.origin = f"http://127.0.0.1:{port}"
        self._wait(f"{self.origin}/{next(iter(folders)).strip('/')}/")

    def _wait(self, url):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited {self.proc.returncode}: {self.errors()}")
            try:
                with urllib.request.urlopen(url, timeout=1):
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.05)
        self.close()
        raise RuntimeError(f"nginx did not answer on {url}: {self.errors()}")

    def errors(self):
        """What nginx said on stderr and in its error log."""
        texts = [p.read_text(errors="replace") for p in (self.tmp / "stderr.log", self.tmp / "error.log") if p.exists()]
        return " | ".join(t.strip() for t in texts if t.strip())

    def close(self):
        """Stop this nginx (only the process this object started) and remove its folder."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def poll(page, expression, timeout, interval=0.05):
    """Wait until a page expression is true, up to `timeout` seconds.

    page.evaluate is used, never wait_for_function: that evaluates a string inside the page, which
    the pages' Content-Security-Policy forbids.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(interval)


def open_checker(page, url, timeout):
    """Go to a checker URL and wait (up to `timeout` seconds) for the engine and a first result."""
    page.goto(url)
    poll(page, "Boolean(window.checker)", timeout)
    page.evaluate("window.checker.ready")
    page.wait_for_selector(".ck-programme[data-verdict]", timeout=timeout * 1000)


def value_at(profile, path):
    """The value at a field path (`unit.kind`, `project.achievements[0].date`), or None when there is none."""
    node = profile
    for key in path.replace("[", ".[").split("."):
        if key.startswith("["):
            index = int(key[1:-1])
            node = node[index] if isinstance(node, list) and index < len(node) else None
        else:
            node = node.get(key) if isinstance(node, dict) else None
    return node


def judged_profile(profile, programme):
    """The answers the checker page judges: in "all programmes" mode (no programme) without the request,
    the applicant's choice for one programme, which the page keeps but neither asks nor judges there."""
    judged = copy.deepcopy(profile)
    if programme is None:
        (judged.get("project") or {}).pop("requested_funding", None)
    return judged


def share_fragment(profile, programme=None):
    """The checker's share link fragment: `programme=<id>&profile=<base64url of the profile JSON, no padding>`."""
    text = json.dumps(profile, ensure_ascii=False, separators=(",", ":"))
    code = base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")
    return (f"programme={programme}&" if programme else "") + f"profile={code}"


def read_share_fragment(fragment):
    """(programme or None, profile) of a share link's fragment (what `share_fragment` writes)."""
    params = dict(part.split("=", 1) for part in fragment.lstrip("#").split("&"))
    code = params["profile"]
    assert "=" not in code and "+" not in code and "/" not in code
    return params.get("programme"), json.loads(base64.urlsafe_b64decode(code + "=" * (-len(code) % 4)).decode("utf-8"))


# Trace events of V8 taking a compiled WebAssembly module from Chromium's cache instead of compiling it.
WASM_CACHE_HIT_EVENTS = {"wasm.Deserialize", "v8.wasm.moduleCacheHit"}
WASM_TRACE_CATEGORIES = "v8.wasm,disabled-by-default-v8.wasm.detailed,disabled-by-default-devtools.timeline"


def start_tracing(context, page):
    """Start a Chromium trace of the wasm events through a CDP session of `page`; returns the session."""
    cdp = context.new_cdp_session(page)
    cdp.send("Tracing.start", {"categories": WASM_TRACE_CATEGORIES, "transferMode": "ReturnAsStream"})
    return cdp


def stop_tracing(cdp, timeout=60):
    """The events of the trace `start_tracing` began."""
    streams = []
    cdp.on("Tracing.tracingComplete", lambda event: streams.append(event["stream"]))
    cdp.send("Tracing.end")
    deadline = time.monotonic() + timeout
    while not streams:
        if time.monotonic() > deadline:
            raise AssertionError(f"no trace after {timeout} s")
        cdp.send("Runtime.evaluate", {"expression": "0"})  # lets Playwright dispatch the event
    chunks = []
    while True:
        chunk = cdp.send("IO.read", {"handle": streams[0], "size": 1 << 20})
        chunks.append(chunk["data"])
        if chunk.get("eof"):
            break
    cdp.send("IO.close", {"handle": streams[0]})
    events = json.loads("".join(chunks))
    return events["traceEvents"] if isinstance(events, dict) else events
