"""The HTTP headers the site needs from its host, defined once: the dev server (serve.py) sends them,
the build writes them into `_headers` for hosts that read one, and `nginx_snippet()` is the README's
nginx configuration (a test runs it on Debian's nginx).

Caching: a page, sw.js and every file that keeps its name are revalidated on every visit
(`no-cache`), so a returning visitor gets what was deployed since, the checker's new rules included;
a file whose name changes with its content is kept a year (`immutable`). Every response also forbids
framing by another origin (a <meta> policy cannot: sitegen/csp.py holds the rest of the policy),
MIME sniffing and the Referer header.
`cache_control()`, `for_path()`, `headers_file()` and the nginx functions are pure; `site_paths()`
reads a built site and `write_headers_file()` writes its `_headers`.
"""

import re
from pathlib import Path

# Site paths whose name changes whenever their content does, each matched from the site's root. They
# are kept a year by browsers and served cache first by the service worker (sitegen/offline.py).
IMMUTABLE = (
    r"assets/pyodide/[^/]+/",  # the Pyodide runtime, under its pinned version
    r"assets/(?:checker/wheels|pyc|batch/wheels)/[0-9a-f]+/",  # wheels and byte-compiled files, under their hash
    r".*\.[0-9a-f]{8,}(?:\.min)?\.(?:js|css|json)$",  # hashed names: Material's bundles, the checker's modules and data
)
IMMUTABLE_PATH = re.compile("^(?:" + "|".join(IMMUTABLE) + ")")
REVALIDATE = "no-cache"
KEEP = "public, max-age=31536000, immutable"
# With every response. 'self': the site may frame its own pages, no other origin may.
SECURITY = {
    "Content-Security-Policy": "frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # as the pages' own <meta name="referrer">
}
HEADERS_FILE = "_headers"
# Pre-compressed copies are sent under their file's own URL (sitegen/precompress.py), never their own.
COPIES = (".gz", ".br")
NGINX_CACHE_VARIABLE = "$guide_cache_control"


def cache_control(path):
    """The Cache-Control of a site path (`programmes/major/` for a page, `assets/site.css`)."""
    return KEEP if IMMUTABLE_PATH.match(path) else REVALIDATE


def for_path(path):
    """Every header the host sends with the site path `path`."""
    return {"Cache-Control": cache_control(path), **SECURITY}


def cache_rules(paths):
    """[(URL pattern, Cache-Control)] putting every site path (and every page's folder address) under
    exactly one rule: a folder whose files all share a policy is one `/folder/*` rule; in any other
    folder each file is named.

    Never two rules for one URL: hosts combine them differently (Cloudflare Pages joins the values,
    which would make `no-cache, …, immutable`; Netlify keeps one), and Cloudflare Pages reads at most
    100 rules, so the files are not simply listed one by one.
    """
    policies = {path: cache_control(path) for path in paths}
    rules = []

    def cover(folder):
        inside = {path: policy for path, policy in policies.items() if path.startswith(folder)}
        if folder and len(set(inside.values())) == 1:
            rules.append((f"/{folder}*", next(iter(inside.values()))))
            return
        for name in sorted({path[len(folder):].split("/", 1)[0] + ("/" if "/" in path[len(folder):] else "")
                            for path in inside}):
            if name.endswith("/"):
                cover(folder + name)
                continue
            if name == "index.html":
                rules.append((f"/{folder}", policies[folder + name]))
            rules.append((f"/{folder}{name}", policies[folder + name]))

    cover("")
    return rules


def site_paths(site_dir):
    """The site paths of every file a visitor may ask for by its own URL, sorted."""
    site_dir = Path(site_dir)
    return sorted(path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*")
                  if path.is_file() and not path.name.endswith(COPIES) and path.name != HEADERS_FILE)


def headers_file(paths):
    """The text of `_headers` (Netlify, Cloudflare Pages and other hosts) for a site of these paths."""
    blocks = ["# The headers this site needs: written by build.py from sitegen/headers.py (README, \"Deploying\").",
              "/*\n" + "".join(f"  {name}: {value}\n" for name, value in SECURITY.items())]
    blocks += [f"{pattern}\n  Cache-Control: {policy}\n" for pattern, policy in cache_rules(paths)]
    return "\n".join(blocks)


def write_headers_file(site_dir):
    """Write `_headers` at the root of a built site; return the number of its rules."""
    text = headers_file(site_paths(site_dir))
    (Path(site_dir) / HEADERS_FILE).write_text(text, encoding="utf-8")
    return sum(1 for line in text.splitlines() if line.startswith("/"))


def nginx_map(prefix):
    """The nginx `map` (http block) choosing the Cache-Control of a URL under `prefix` (`/guide/`)."""
    pattern = "~^" + re.escape(prefix) + "(?:" + "|".join(IMMUTABLE) + ")"
    return (f"map $uri {NGINX_CACHE_VARIABLE} {{\n"
            f"    default \"{REVALIDATE}\";\n"
            f"    \"{pattern}\" \"{KEEP}\";\n"
            "}\n")


def nginx_location(prefix, folder):
    """The nginx `location` (server block) serving the site folder `folder` at `prefix` with its headers."""
    lines = [f"    alias {folder};", f"    add_header Cache-Control {NGINX_CACHE_VARIABLE} always;"]
    lines += [f"    add_header {name} \"{value}\" always;" for name, value in SECURITY.items()]
    return f"location {prefix} {{\n" + "\n".join(lines) + "\n}\n"


def nginx_snippet(prefix="/guide/", folder="/srv/guide/site/"):
    """The README's nginx configuration: the `.mjs` type and the map in `http`, the location in `server`."""
    return ("# in http { }, after include mime.types; (Debian: a file in /etc/nginx/conf.d/)\n"
            "types { text/javascript mjs; }\n"
            + nginx_map(prefix)
            + "# in server { }\n"
            + nginx_location(prefix, folder))
