"""The guide's pages in a real browser: they render, switch language in place, search, and stay local."""

import pytest
from playwright.sync_api import expect

from support import StaticServer, search
from sitehtml import html_pages

SEARCHES = [
    ("", "高新技术企业", ["programmes/major/", "programmes/key_rd/"]),
    ("", "自筹资金", ["programmes/major/", "programmes/key_rd/"]),
    ("en/", "self-raised", ["en/programmes/major/", "en/programmes/key_rd/"]),
    ("en/", "laboratory", ["en/programmes/major/"]),
]


def visit_all(page, base_url, site_dir):
    """Open every page of both languages; return a list of problems."""
    problems = []
    for lang, prefix in (("zh", ""), ("en", "en/")):
        for rel in sorted(html_pages(site_dir, lang)):
            if rel == "checker/":
                continue  # the checker page has its own tests (it starts the Python runtime)
            response = page.goto(base_url + prefix + rel)
            if response.status != 200:
                problems.append(f"{prefix + rel}: HTTP {response.status}")
                continue
            if page.locator("article h1").count() != 1:
                problems.append(f"{prefix + rel}: no single <h1>")
            if page.get_attribute("html", "lang") != lang:
                problems.append(f"{prefix + rel}: html lang is not {lang}")
    return problems


def test_every_page_renders_in_both_languages_without_errors_or_outside_requests(page, server, site_dir):
    assert visit_all(page, server.url, site_dir) == []
    assert page.js_errors == []
    assert page.requests.outside(server.origin) == []
    assert len(page.requests.urls) > 40


def test_the_page_shows_the_guide_text(page, server):
    page.goto(server.url + "notice/")
    assert "六十周岁以下" in page.locator("#basic-4").inner_text()
    page.goto(server.url + "en/notice/")
    assert "1 January 1962" in page.locator("#basic-4").inner_text()


@pytest.mark.parametrize("start", ["programmes/major/", "notice/", ""])
def test_the_language_switcher_stays_on_the_same_page_both_ways(page, server, start):
    page.goto(server.url + start)
    page.locator('a.md-select__link[hreflang="en"]').first.dispatch_event("click")
    page.wait_for_url(server.url + "en/" + start)
    assert page.get_attribute("html", "lang") == "en"
    page.locator('a.md-select__link[hreflang="zh"]').first.dispatch_event("click")
    page.wait_for_url(server.url + start)
    assert page.get_attribute("html", "lang") == "zh"


@pytest.mark.parametrize("prefix,query,expected", SEARCHES)
def test_search_finds_the_clause_in_either_language(page, server, prefix, query, expected):
    page.goto(server.url + prefix)
    links = search(page, query)
    for target in expected:
        assert any(link.startswith(server.url + target) for link in links), f"{query!r}: {links}"


def test_search_for_a_missing_word_finds_nothing(page, server):
    page.goto(server.url)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("量子引力波")
    box.press("End")
    # The index may still be initialising when the query is typed: wait for the search's final word.
    expect(page.locator(".md-search-result__meta")).to_contain_text("没有找到", timeout=15000)
    assert page.locator(".md-search-result__item").count() == 0


def test_the_whole_site_works_under_a_sub_path(page, site_dir):
    srv = StaticServer(site_dir, prefix="guide")
    try:
        assert srv.url.endswith("/guide/")
        assert visit_all(page, srv.url, site_dir) == []
        page.goto(srv.url + "programmes/talent/")
        page.locator('a.md-select__link[hreflang="en"]').first.dispatch_event("click")
        page.wait_for_url(srv.url + "en/programmes/talent/")
        page.goto(srv.url)
        assert any(link.startswith(srv.url + "programmes/major/") for link in search(page, "高新技术企业"))
        outside = [u for u in page.requests.urls if not u.startswith(srv.url)]
        assert outside == [], outside[:5]
        assert page.js_errors == []
    finally:
        srv.close()


def test_a_clause_badge_keeps_its_title_for_the_browsers_own_tooltip_and_gets_no_scripted_one(page, server):
    page.goto(server.url + "en/programmes/major/")
    badge = page.locator("a.clause-checked").first
    badge.hover()
    badge.focus()
    page.wait_for_timeout(500)  # Material shows its tooltips 250 ms after hover or focus
    assert badge.get_attribute("title") == "The eligibility self-check evaluates this clause"
    assert page.locator(".md-tooltip2").count() == 0


@pytest.mark.parametrize("path", ["notice/", "en/glossary/"])
def test_chinese_text_is_drawn_in_a_font_the_page_names(page, server, path):
    """Pages list Chinese fonts (site.css): text found in no listed font sends Chromium looking for
    a fallback character by character, which was most of the Chinese checker's blocking time on a
    phone. The font that draws Chinese text, on a Chinese page and in an English one, is one the
    page names."""
    page.goto(server.url + path)
    page.evaluate("""() => {
      const span = document.createElement("span");
      span.id = "font-probe";
      span.textContent = "克拉玛依市科技计划储备项目申报指南";
      document.querySelector("article").append(span);
    }""")
    named = page.eval_on_selector("#font-probe", "e => getComputedStyle(e).fontFamily")
    names = {name.strip().strip("\"'").lower() for name in named.split(",")}
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    probe = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#font-probe"})["nodeId"]
    used = [font["familyName"] for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": probe})["fonts"]]
    assert used, "no font drew the probe"
    assert [name for name in used if name.lower() not in names] == [], \
        f"Chinese text is drawn in {used}, which the page does not name ({named}): name it in site.css"
