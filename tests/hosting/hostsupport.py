"""Helpers of the hosting tests: nginx under a sub-path, CSP and error watching, polling a page."""

import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from support import free_port

PREFIX = "guide"
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
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    sendfile on;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        # Redirects (a directory without its slash) keep the client's host and port.
        absolute_redirect off;
        location /{prefix}/ {{
            alias {site}/;
            index index.html;
        }}
    }}
}}
"""


class NginxServer:
    """Debian's nginx serving `root` at /<prefix>/ on loopback, as the current user, all state in a tmp dir."""

    def __init__(self, root, prefix=PREFIX):
        self.prefix = prefix.strip("/")
        self.tmp = Path(tempfile.mkdtemp(prefix="nginx-"))
        # nginx runs as the current user: when that is root, its workers become `nobody` unless told
        # otherwise, and nobody may not read the site; `user root` is only accepted from root.
        user = "user root;\n" if os.geteuid() == 0 else ""
        port = free_port()
        conf = self.tmp / "nginx.conf"
        conf.write_text(user + NGINX_CONF.format(tmp=self.tmp, mime_types=MIME_TYPES, port=port,
                                                 prefix=self.prefix, site=Path(root).resolve()))
        self.log = open(self.tmp / "stderr.log", "wb")
        self.proc = subprocess.Popen([NGINX, "-p", str(self.tmp), "-c", str(conf)], stdout=self.log, stderr=self.log)
        self.origin = f"http://127.0.0.1:{port}"
        self.url = f"{self.origin}/{self.prefix}/"
        self._wait()

    def _wait(self):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited {self.proc.returncode}: {self.errors()}")
            try:
                with urllib.request.urlopen(self.url, timeout=1):
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.05)
        self.close()
        raise RuntimeError(f"nginx did not answer on {self.url}: {self.errors()}")

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


def nginx_available():
    """(available, reason): nginx is used when installed; `make browser` installs it as root."""
    if Path(NGINX).exists() and MIME_TYPES.exists():
        return True, ""
    if os.geteuid() == 0:
        return False, ""  # root could have installed it: a missing nginx is then a failure
    return False, f"nginx is not installed ({NGINX}) and this user is not root: sudo apt-get install nginx-light"


# Recorded in every document before its own scripts run (Playwright's init scripts bypass the CSP).
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _console(page, msg):
    # A failed load is judged by its response below, which names the URL; the console does not.
    if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
        page.problems.append(f"console: {msg.text}")


def _response(page, response):
    if response.status >= 400:
        page.problems.append(f"HTTP {response.status}: {response.url}")


def watch_policy(page):
    """Record CSP violations (event and console), page errors and failed loads into page.problems."""
    page.problems = []
    page.context.add_init_script(WATCH_CSP)
    page.on("console", lambda msg: _console(page, msg))
    page.on("pageerror", lambda exc: page.problems.append(f"pageerror: {exc}"))
    page.on("response", lambda response: _response(page, response))
    return page


def violations(page):
    """The CSP violations the current document has seen."""
    return page.evaluate("window.__csp || []")


def poll(page, expression, timeout=15):
    """Wait until a page expression is true; page.evaluate is used, never a string the page must eval."""
    deadline = time.monotonic() + timeout
    while True:
        if page.evaluate(expression):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(0.1)
