"""Helpers of the hosting tests: nginx under a sub-path, CSP and error watching, polling a page."""

import os
import textwrap
from pathlib import Path

import support
from sitegen import headers
from support import MIME_TYPES, NGINX, NginxServer

PREFIX = "guide"


class SubPathNginx(NginxServer):
    """The site at /<prefix>/ with the README's nginx configuration (sitegen/headers.py), as a
    deployment under a sub-path would serve it."""

    def __init__(self, root, prefix=PREFIX):
        self.prefix = prefix.strip("/")
        url_prefix = f"/{self.prefix}/"
        location = headers.nginx_location(url_prefix, f"{Path(root).resolve()}/")
        super().__init__({self.prefix: root}, http_extra=textwrap.indent(headers.nginx_map(url_prefix), "    "),
                         locations=textwrap.indent(location, "        "))
        self.url = f"{self.origin}{url_prefix}"


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
    """Wait until a page expression is true (15 s by default for the hosting tests)."""
    support.poll(page, expression, timeout, interval=0.1)
