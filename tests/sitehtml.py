"""Reading the built site: its pages, their visible article text, ids and links."""

from html.parser import HTMLParser
from pathlib import Path

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
