"""The English pages state amounts in English: no bare 万 outside the bracketed official figures."""

import re
from html import unescape

# "CNY 30 million (3000 万元)" is fine; "3000万" or "at least 3000 万" is not.
BARE_WAN = re.compile(r"\d\s*万(?!元)")


def _text(html):
    """The visible text of a page: no tags, scripts or styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_no_english_page_shows_a_bare_wan(site_dir):
    pages = sorted((site_dir / "en").rglob("*.html"))
    assert len(pages) >= 10
    found = [(p.relative_to(site_dir).as_posix(), m.group(0)) for p in pages
             for m in BARE_WAN.finditer(_text(p.read_text(encoding="utf-8")))]
    assert not found, found[:10]


def test_the_check_finds_a_bare_wan():
    assert BARE_WAN.search(_text("<p>Total investment at least 3000万</p>"))
    assert not BARE_WAN.search(_text("<p>CNY 30 million (3000 万元)</p>"))
