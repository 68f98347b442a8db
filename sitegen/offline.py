"""The service worker that keeps the site usable offline after a first visit.

`manifest()` and `service_worker()` are pure: every file a visitor may need, keyed by its site
path, with its SHA-256, baked into sw.js. Any changed file changes sw.js, and so a new build
installs a new cache and deletes the old ones. `write_service_worker()` writes sw.js at the root
of a built site, after everything else (the CSP step included) has written its files.
"""

import hashlib
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from .headers import IMMUTABLE_PATH

TEMPLATE = Path(__file__).resolve().parent.parent / "webapp" / "service-worker.js"
SW_NAME = "sw.js"
# Never fetched by a visitor's browser: source maps, the sitemap for crawlers, the worker itself, the
# host's header rules, and the pre-compressed copies (a host sends them in place of their file, under
# the file's own URL).
EXCLUDE = re.compile(r"(\.map|^sitemap\.xml|^sw\.js|^_headers|\.gz|\.br)$")


def page_key(rel):
    """The path a browser asks for: `programmes/major/` for programmes/major/index.html."""
    return rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel


def manifest(site_dir):
    """{site path: sha256 hex} of every file a visitor may fetch, pages first."""
    site_dir = Path(site_dir)
    entries = {}
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(site_dir).as_posix()
        if EXCLUDE.search(rel):
            continue
        entries[page_key(rel)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return dict(sorted(entries.items(), key=lambda item: (not item[0].endswith("/") and item[0] != "", item[0])))


def versioned(entries, versioned_urls=()):
    """The manifest paths safe to serve cache first: hashed or pinned names, and `?v=<hash>` URLs."""
    with_query = {urlsplit(url).path for url in versioned_urls if "v=" in urlsplit(url).query}
    # Files whose name changes with their content (sitegen/headers.py) are served cache first.
    return sorted(path for path in entries if IMMUTABLE_PATH.match(path) or path in with_query)


def by_query(versioned_paths):
    """The versioned paths whose name stays the same: only their URL's `?v=<hash>` tells the build."""
    return [path for path in versioned_paths if not IMMUTABLE_PATH.match(path)]


def service_worker(entries, versioned_paths, template=None):
    """The text of sw.js for this manifest; the cache name is the manifest's own hash."""
    text = TEMPLATE.read_text(encoding="utf-8") if template is None else template
    digest = hashlib.sha256(json.dumps(entries, sort_keys=True).encode("utf-8")).hexdigest()[:16]
    replacements = {
        "/*MANIFEST*/ {}": json.dumps(entries, indent=0, separators=(",", ":")),
        "/*VERSIONED*/ []": json.dumps(list(versioned_paths), indent=0, separators=(",", ":")),
        "/*BY_QUERY*/ []": json.dumps(by_query(versioned_paths), indent=0, separators=(",", ":")),
        '/*CACHE*/ "guide"': json.dumps(f"guide-{digest}"),
    }
    for marker, value in replacements.items():
        if text.count(marker) != 1:
            raise ValueError(f"{TEMPLATE.name} must hold {marker} exactly once")
        text = text.replace(marker, value)
    return text


def write_service_worker(site_dir, versioned_urls=()):
    """Write sw.js at the root of a built site; return (manifest, total bytes precached)."""
    site_dir = Path(site_dir)
    entries = manifest(site_dir)
    (site_dir / SW_NAME).write_text(service_worker(entries, versioned(entries, versioned_urls)), encoding="utf-8")
    size = sum((site_dir / (path + "index.html" if path == "" or path.endswith("/") else path)).stat().st_size for path in entries)
    return entries, size
