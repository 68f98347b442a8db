"""On a phone (390 px) the comparison and the checker fit the screen; the language switcher keeps the
reader's place; a clause's permalink mark shows only on hover and focus."""

import pytest

import support

PHONE = {"width": 390, "height": 844}
ENGINE_TIMEOUT = 90  # seconds: the checker starts its Python runtime (a shared 2-core machine)

# For each element: its text and the number of lines it is laid out on.
LINES = """els => els.map(el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
  return { text: el.textContent.replace(/\\s+/g, ''), lines: tops.size, width: el.getBoundingClientRect().width };
})"""


@pytest.fixture
def phone(browser):
    """A page in a 390 px wide phone viewport, with its script errors recorded."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()


def overflow(page):
    """How many CSS pixels the page is wider than the screen (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def squeezed(page, selector):
    """The elements (of `selector`) whose text is laid out fewer than three characters a line."""
    shown = page.locator(selector).evaluate_all(LINES)
    return [(el["text"][:12], el["lines"]) for el in shown
            if el["lines"] > 1 and len(el["text"]) / el["lines"] < 3]


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_the_comparison_fits_a_phone_with_no_label_wrapped_one_character_per_line(phone, server, prefix):
    phone.goto(server.url + prefix + "compare/")
    assert overflow(phone) <= 0
    cells = ".compare-table th[scope=row], .compare-table td"
    assert squeezed(phone, cells) == []
    narrow = phone.locator(cells).evaluate_all("els => els.filter(el => el.getBoundingClientRect().width < 120).length")
    assert narrow == 0, "a column is narrower than a word"
    # Each value still says which programme it belongs to.
    first = phone.locator(".compare-table tbody td").first
    label = first.evaluate("el => getComputedStyle(el, '::before').content")
    assert first.get_attribute("data-programme") in label
    assert phone.js_errors == []


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_the_checker_fits_a_phone_with_no_label_wrapped_one_character_per_line(phone, server, prefix):
    support.open_checker(phone, server.url + prefix + "checker/?programme=major", ENGINE_TIMEOUT)
    assert overflow(phone) <= 0
    assert squeezed(phone, "#checker label, #checker legend, #checker h2, #checker h3") == []
    assert phone.js_errors == []


@pytest.mark.parametrize("start,anchor,query", [
    ("notice/", "#basic-4", ""),
    ("programmes/major/", "#req-6", ""),
    ("checker/", "", "?programme=talent"),
])
def test_the_language_switcher_keeps_the_anchor_and_the_query_both_ways(page, server, start, anchor, query):
    page.goto(server.url + start + query + anchor)
    page.locator('a.md-select__link[hreflang="en"]').first.dispatch_event("click")
    page.wait_for_url(server.url + "en/" + start + query + anchor)
    assert page.get_attribute("html", "lang") == "en"
    if anchor:
        assert page.evaluate("document.querySelector(':target').id") == anchor[1:]
    page.locator('a.md-select__link[hreflang="zh"]').first.dispatch_event("click")
    page.wait_for_url(server.url + start + query + anchor)
    assert page.get_attribute("html", "lang") == "zh"


def test_the_language_switcher_follows_a_clause_link_followed_on_the_page(page, server):
    page.goto(server.url + "notice/")
    page.goto(server.url + "notice/#restrict-2")  # same document: only the anchor changes
    page.locator('a.md-select__link[hreflang="en"]').first.dispatch_event("click")
    page.wait_for_url(server.url + "en/notice/#restrict-2")


def test_a_clause_permalink_mark_shows_only_on_hover_and_focus(page, server):
    page.goto(server.url + "notice/")
    clause = page.locator("#basic-4")
    mark = clause.locator(".clause-anchor")
    opacity = "el => getComputedStyle(el).opacity"
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)  # past the fade
    assert mark.evaluate(opacity) == "0"
    clause.hover()
    page.wait_for_timeout(300)
    assert mark.evaluate(opacity) == "1"
    page.mouse.move(0, 0)
    mark.focus()
    page.wait_for_timeout(300)
    assert mark.evaluate(opacity) == "1"
