"""A Content-Security-Policy <meta> tag on every built page, hashing that page's own inline scripts.

Material's base.html writes small inline scripts whose text varies per page (for example
`__md_scope=new URL("../..",location)`), so the hashes can only be computed once mkdocs has written
the HTML. `with_csp()` is the pure transform of one page; `write_csp()` applies it to a site folder.
"""

import base64
import hashlib
import re
from pathlib import Path

# The policy without its script hashes. Each directive in a line of its own, with its reason.
POLICY = (
    ("default-src", "'self'"),
    # Pyodide compiles WebAssembly; 'wasm-unsafe-eval' allows exactly that and no JavaScript eval.
    # The page's inline scripts are added as hashes, per page.
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    # Material writes inline style attributes (palette, sidebar heights, tooltips), so styles cannot
    # be hashed; inline styles cannot run code, and every stylesheet file still comes from 'self'.
    ("style-src", "'self' 'unsafe-inline'"),
    # Material's icons are data: SVGs in its stylesheet.
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    # The search worker, the checker's module worker and the service worker.
    ("worker-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)
# frame-ancestors, report-uri and sandbox are ignored in a <meta> policy: the host sends
# frame-ancestors in a header (sitegen/headers.py).

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_SRC = re.compile(r"\bsrc\s*=", re.I)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
# Types the browser executes; anything else (application/json, ...) is a data block CSP ignores.
_SCRIPT_TYPES = {"", "module", "text/javascript", "application/javascript", "text/ecmascript"}
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.I)
_EXISTING = re.compile(r"<meta\s+http-equiv=[\"']?Content-Security-Policy", re.I)


def inline_scripts(html):
    """The text of every inline script the browser would run, in page order."""
    scripts = []
    for match in _SCRIPT.finditer(html):
        attrs, body = match.group(1), match.group(2)
        if _SRC.search(attrs):
            continue
        kind = _TYPE.search(attrs)
        if (kind.group(1).lower() if kind else "") in _SCRIPT_TYPES:
            scripts.append(body)
    return scripts


def script_hash(text):
    """The CSP source expression of one inline script: its UTF-8 text's SHA-256, base64."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(hashes):
    """The policy text with these script hashes (deduplicated, order kept)."""
    hashes = list(dict.fromkeys(hashes))
    parts = []
    for name, value in POLICY:
        if name == "script-src" and hashes:
            value = value + " " + " ".join(hashes)
        parts.append(f"{name} {value}")
    return "; ".join(parts)


def with_csp(html):
    """The page with its CSP <meta> placed before any script: right after <meta charset>, or <head>."""
    if _EXISTING.search(html):
        raise ValueError("the page already has a Content-Security-Policy meta tag")
    head = _HEAD.search(html)
    if head is None:
        raise ValueError("the page has no <head>")
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(map(script_hash, inline_scripts(html)))}">'
    charset = _CHARSET.search(html, head.end())
    first_script = html.lower().find("<script", head.end())
    at = charset.end() if charset and (first_script < 0 or charset.end() < first_script) else head.end()
    return html[:at] + "\n" + tag + html[at:]


def write_csp(site_dir):
    """Add the policy to every HTML page of a built site; return {site-relative path: number of hashes}."""
    counts = {}
    for path in sorted(Path(site_dir).rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        path.write_text(with_csp(html), encoding="utf-8")
        counts[path.relative_to(site_dir).as_posix()] = len(set(inline_scripts(html)))
    return counts
