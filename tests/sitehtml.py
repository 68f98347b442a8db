"""Reading the built site: its pages, their visible article text, ids and links."""

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Editorial additions around the guide's text: anchors, badges, typo notes.
SKIP_CLASSES = {"headerlink", "clause-meta", "typo-note"}


class _ArticleText(HTMLParser):
    """Collects the text of <article> (the page content), minus editorial additions."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth_article = 0
        self.stack = []
        self.skip = 0
        self.parts = []
        self.ids = set()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href") is not None:
            self.links.append(attrs["href"])
        if tag in VOID:
            return
        classes = set((attrs.get("class") or "").split())
        skipping = bool(classes & SKIP_CLASSES)
        self.stack.append((tag, skipping))
        if skipping:
            self.skip += 1
        if tag == "article":
            self.depth_article += 1

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            open_tag, skipping = self.stack.pop()
            if skipping:
                self.skip -= 1
            if open_tag == "article":
                self.depth_article -= 1
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.depth_article and not self.skip:
            self.parts.append(data)


def parse(path):
    """Parse one HTML file: article text, all ids, all link targets."""
    parser = _ArticleText()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    return parser


def html_pages(site, lang):
    """The content pages of one language: {'notice/': Path, ...} (no 404, no assets)."""
    site = Path(site)
    pages = {}
    for path in site.rglob("index.html"):
        rel = path.parent.relative_to(site).as_posix()
        rel = "" if rel == "." else rel + "/"
        if rel.startswith(("assets/", "search/")):
            continue
        is_en = rel == "en/" or rel.startswith("en/")
        if lang == "en" and is_en:
            pages[rel[3:]] = path
        elif lang == "zh" and not is_en:
            pages[rel] = path
    return pages


def broken_links(site_dir, lang):
    """What is wrong with the links of one language's pages: an absolute or root-absolute link (the
    site must work from any host and sub-path), a target that is missing, or its #anchor."""
    site_dir = Path(site_dir)
    problems = []
    cache = {}
    for rel, path in html_pages(site_dir, lang).items():
        for href in parse(path).links:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https", "mailto", "javascript", "data") or href.startswith("//"):
                if parts.scheme in ("http", "https") or href.startswith("//"):
                    problems.append(f"{rel or '/'}: absolute link {href}")
                continue
            if href.startswith("/"):
                problems.append(f"{rel or '/'}: root-absolute link {href} breaks under a sub-path")
                continue
            base = path.parent.relative_to(site_dir).as_posix()
            target = posixpath.normpath(posixpath.join(base, unquote(parts.path))) if parts.path else base
            file = site_dir / target
            if file.is_dir():
                file = file / "index.html"
            if not file.exists():
                problems.append(f"{rel or '/'}: {href} -> missing {target}")
                continue
            if parts.fragment and file.suffix == ".html":
                ids = cache.setdefault(file, parse(file).ids)
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{rel or '/'}: {href} -> no #{parts.fragment}")
    return problems
