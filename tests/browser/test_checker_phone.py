"""The checker on a phone (390 px) and a small laptop (1024 px): the toolbar shows what a person uses and
keeps the JSON files behind "More"; Material's back-to-top pill covers no control; verdicts break only
between phrases and the all-programmes table scrolls in its own box; the clause panel fits the screen;
each question carries its clauses in one short link. Answered through the visible controls."""

import pytest

import support

ENGINE_TIMEOUT = 120  # seconds: the Python runtime starts on a shared 2-core machine
LAPTOP = {"width": 1024, "height": 768}

# Each element's number of laid-out lines: the distinct tops of its text's boxes.
LINES = """els => els.map(e => {
  const tops = new Set();
  const walk = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(n);
    for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
  }
  return { text: e.textContent, lines: tops.size };
})"""


def open_page(browser, url, viewport=None):
    """A page of a new context (a phone's, unless `viewport` is given) on `url`, the engine ready."""
    context = browser.new_context(viewport=viewport) if viewport else support.phone_context(browser)
    page = support.recorded(context.new_page())
    support.open_checker(page, url, ENGINE_TIMEOUT)
    return page


def overlaps(a, b):
    """Whether two bounding boxes share any area."""
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def answer_all_questions_form(page):
    """Show every question on one page, as a person does with the mode buttons."""
    page.locator('.ck-modes [data-mode="form"]').click()
    page.wait_for_selector(".ck-form.ck-mode-form")


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_the_toolbar_shows_share_print_and_clear_and_keeps_the_json_files_behind_a_keyboard_usable_more(browser, server, prefix):
    page = open_page(browser, server.url + prefix + "checker/")
    toolbar = page.locator(".ck-toolbar")
    shown = toolbar.locator("[data-action]:visible").evaluate_all("els => els.map((e) => e.dataset.action)")
    assert shown == ["share", "print", "clear", "more"]
    more = toolbar.locator('[data-action="more"]')
    assert more.get_attribute("aria-expanded") == "false"
    assert not toolbar.locator('[data-action="export"]').is_visible()
    # By keyboard: the button opens the rarer actions and puts the focus on the first; Escape closes them.
    more.focus()
    page.keyboard.press("Enter")
    assert more.get_attribute("aria-expanded") == "true"
    assert toolbar.locator('[data-action="export"]').is_visible() and toolbar.locator('[data-action="import"]').is_visible()
    assert page.evaluate("document.activeElement.dataset.action") == "export"
    page.keyboard.press("Escape")
    assert not toolbar.locator('[data-action="export"]').is_visible()
    assert more.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.dataset.action") == "more"
    # The row of actions a person uses fits on the phone's screen: at most two lines.
    heights = toolbar.locator("[data-action]:visible").evaluate_all("els => new Set(els.map((e) => Math.round(e.getBoundingClientRect().top))).size")
    assert heights <= 2
    assert page.js_errors == []
    page.context.close()


def test_the_back_to_top_pill_covers_no_control_of_the_checker_after_scrolling(browser, server):
    page = open_page(browser, server.url + "checker/")
    answer_all_questions_form(page)
    pill = page.locator(".md-top")
    controls = ".ck-toolbar [data-action]:visible, .ck-modes button, .ck-verdict-bar > *, .ck-status, .ck-field:visible"
    # Down the page, then a little back up (Material shows the pill when the reader scrolls up), at
    # several places: the toolbar near the top of the screen, mid-form, and near the end.
    for down, up in [(900, 500), (2500, 400), (6000, 600)]:
        page.mouse.wheel(0, down)
        page.wait_for_timeout(300)
        page.mouse.wheel(0, -up)
        page.wait_for_timeout(600)
        assert pill.get_attribute("hidden") is None, "the pill did not show: this test checks nothing"
        box = pill.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
        covered = [el for el in page.locator(controls).evaluate_all(
            "els => els.map((e) => { const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height, what: e.className || e.tagName}; })")
            if el["width"] and el["height"] and el["y"] < page.viewport_size["height"] and el["y"] + el["height"] > 0
            and overlaps(box, el) and not el["what"].startswith("ck-field")]
        assert covered == [], covered
        # Nor does it sit on a question's text or controls: only the verdict bar's free end is under it.
        under = page.evaluate("""([x, y]) => document.elementsFromPoint(x, y).map((e) => e.className)""",
                              [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
        assert not any(isinstance(c, str) and ("ck-field" in c or "ck-control" in c or "ck-label" in c) for c in under), under
    assert page.js_errors == []
    page.context.close()


@pytest.mark.parametrize("prefix", ["", "en/"])
@pytest.mark.parametrize("width", [390, 1024])
def test_verdict_badges_break_only_between_phrases_and_the_table_scrolls_in_its_own_box(browser, server, prefix, width):
    viewport = None if width == 390 else LAPTOP
    page = open_page(browser, server.url + prefix + "checker/", viewport)
    answer_all_questions_form(page)
    # A few answers through the controls, so that the verdicts differ (the unit is not in Karamay).
    page.locator('.ck-field[data-path="unit.in_karamay"] input[value="no"]').check()
    page.wait_for_selector('.ck-programme[data-verdict="ineligible"]', timeout=30_000)
    page.wait_for_timeout(500)
    badges = page.locator(".ck-verdict:visible")
    assert badges.count() >= 10  # the table's five, and each programme's
    # Every phrase of a verdict on one line; a verdict on at most as many lines as it has phrases.
    phrases = page.locator(".ck-verdict:visible .ck-phrase").evaluate_all(LINES)
    assert phrases and all(p["lines"] == 1 for p in phrases), [p for p in phrases if p["lines"] != 1]
    for verdict in badges.all():
        count = verdict.locator(".ck-phrase").count()
        lines = verdict.locator(".ck-verdict-text").evaluate_all(LINES)[0]["lines"]
        assert lines <= count, (verdict.inner_text(), lines)
    # The table's verdicts are whole, on one line; its programme names are not squeezed.
    assert all(v["lines"] == 1 for v in page.locator(".ck-matrix .ck-verdict-text").evaluate_all(LINES))
    names = page.locator(".ck-matrix th[scope=row]").evaluate_all(LINES)
    assert all(len(n["text"]) / n["lines"] >= 3 for n in names), names
    # Whatever is too wide scrolls inside the table's own box: the page never pans sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator(".ck-matrix-scroll").evaluate("e => e.getBoundingClientRect().right <= window.innerWidth")
    assert page.js_errors == []
    page.context.close()


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_the_clause_panel_fits_a_phone_with_its_close_button_and_no_permalink_mark(each_browser, server, prefix):
    page = open_page(each_browser, server.url + prefix + "checker/")
    if each_browser.browser_type.name != "chromium":
        page.set_viewport_size(support.PHONE)
    answer_all_questions_form(page)
    page.locator(".ck-clause-open:visible").first.click()
    page.wait_for_selector(".ck-clause-text")
    page.wait_for_timeout(300)
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    panel = page.locator(".ck-clause-panel").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= width + 0.5, (panel, width)
    close = page.locator(".ck-clause-close").bounding_box()
    assert close["x"] >= 0 and close["x"] + close["width"] <= width + 0.5, (close, width)
    # The clause's words only: no permalink mark ("#", "¶") and no "checked by the self-check" mark.
    texts = page.locator(".ck-clause-text > p").all_inner_texts()
    assert texts and all(t.strip() for t in texts)
    for text in texts:
        lines = [line.strip() for line in text.splitlines()]
        assert not any(line.startswith(("#", "¶")) or line.endswith(("#", "¶")) for line in lines), text
        assert "自查已覆盖" not in text and "Checked by the self-check" not in text, text
    page.locator(".ck-clause-close").click()
    assert not page.locator(".ck-clause-panel").is_visible()
    assert page.js_errors == []
    page.context.close()


def test_each_question_carries_its_clauses_in_one_short_link_that_opens_them_all(browser, server):
    page = open_page(browser, server.url + "checker/")
    answer_all_questions_form(page)
    questions = page.locator(".ck-form > .ck-group > .ck-field")
    assert questions.count() > 20
    assert questions.evaluate_all("els => els.every((e) => e.dataset.path)")
    links = page.locator(".ck-form .ck-clauses:visible")
    assert links.count() > 20
    for clauses in links.all():
        assert clauses.locator("a, button").count() == 1
        assert len(clauses.inner_text()) <= 40, clauses.inner_text()
    # The link opens every clause it stands for: in "all programmes", the notice's and each programme's.
    first = page.locator('.ck-field[data-path="unit.in_karamay"] .ck-clause-open')
    refs = first.get_attribute("data-shown").split(" ")
    assert len(refs) > 2 and "等" in first.inner_text()
    first.click()
    page.wait_for_selector(".ck-clause-text")
    assert page.locator(".ck-clause-text").evaluate_all("els => els.map((e) => e.dataset.clause)") == refs
    page.locator(".ck-clause-close").click()
    # For one programme: only the notice's clause and that programme's.
    page.locator("#ck-programme").select_option("major")
    refs = first.get_attribute("data-shown").split(" ")
    assert refs and all(ref.split("#")[0] in ("notice", "major") for ref in refs)
    assert page.js_errors == []
    page.context.close()


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_an_achievement_with_every_long_option_fits_a_phone_without_panning(each_browser, server, prefix):
    """An item's select sizes itself to its longest option (the award level's "other" is a sentence):
    the item still fits a 390 px screen, and its last question can be answered by a tap."""
    page = open_page(each_browser, server.url + prefix + "checker/?programme=tech_innovation")
    answer_all_questions_form(page)
    achievements = page.locator('.ck-form > .ck-group > .ck-field[data-path="project.achievements"]')
    achievements.locator('input[data-list-state][value="some"]').check()
    item = achievements.locator(".ck-item").first
    width = page.evaluate("window.innerWidth")
    for select in item.locator("select").all():
        box = select.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, select.get_attribute("id")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    item.locator('.ck-field[data-path="evaluation_report"] input[type=radio][value="yes"]').check(timeout=5000)
    assert page.js_errors == []
    page.context.close()
