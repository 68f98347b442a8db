"""Guided mode (the default) in a real browser: a phone, the keyboard only, zh and en; and the share link.

The person's answers come from the engine tests' profiles; the verdict reached must be the one the
engine gives for the whole profile. The share link (`#programme=…&profile=<base64url JSON>`) must
restore every engine case's answers and show its verdict.
"""

import json

import pytest

from checker_py import evaluate, normalise
from support import read_share_fragment, share_fragment, value_at
from test_checker import READY_TIMEOUT, _engine_cases, _profiles, assert_local_and_clean, form_fields  # noqa: F401 (a fixture)

PHONE = {"width": 390, "height": 844}


def active(page):
    """What has the keyboard focus: (tag, the question's path or the button's action)."""
    return page.evaluate("""() => { const a = document.activeElement;
        return [a.tagName, a.closest('.ck-field')?.dataset.path || a.dataset.guided || a.id || ''] }""")


def tab_to(page, test, limit=300):
    """Press Tab until the focused element passes `test(tag, key)`."""
    for _ in range(limit):
        if test(*active(page)):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached the target; focus is on {active(page)}")


def answer_by_keyboard(page, path, value, options):
    """Answer the focused question with keys only."""
    tag, _ = active(page)
    if isinstance(value, bool):
        # Radios: not answered, yes, no; the arrow keys move and check.
        page.keyboard.press("ArrowRight")
        if value is False:
            page.keyboard.press("ArrowRight")
    elif tag == "SELECT":
        values = [""] + [o["value"] for o in options]
        for _ in range(values.index(value)):
            page.keyboard.press("ArrowDown")
    else:
        page.keyboard.type(str(value))


def walk(page, profile, fields, programme):
    """Go through guided mode with the keyboard, answering from `profile`; returns the questions asked."""
    by_path = {f["path"]: f for f in fields}
    tab_to(page, lambda tag, key: key == "ck-programme")
    values = [""] + [programme]
    options = page.locator("#ck-programme option").evaluate_all("os => os.map(o => o.value)")
    for _ in range(options.index(programme)):
        page.keyboard.press("ArrowDown")
    assert page.locator("#ck-programme").input_value() == values[1]
    page.keyboard.press("Enter")
    asked = []
    for _ in range(60):
        page.wait_for_timeout(150)  # the step renders after the engine answers
        if page.locator(".ck-g-summary").is_visible():
            return asked
        current = page.locator(".ck-field[data-current]").evaluate_all("els => els.map(e => e.dataset.path)")
        if not current:
            continue
        known = [p for p in current if value_at(profile, p) is not None and by_path[p]["type"] != "list"]
        asked += current
        if not known:
            # Nothing to give: "I don't know" (every question offers it).
            tab_to(page, lambda tag, key: key == "skip")
            page.keyboard.press("Enter")
            continue
        for path in known:
            tab_to(page, lambda tag, key, p=path: key == p and tag in ("INPUT", "SELECT"))
            answer_by_keyboard(page, path, value_at(profile, path), by_path[path].get("options", []))
        page.keyboard.press("Enter")
    raise AssertionError("guided mode never reached the check-your-answers page")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_guided_mode_reaches_the_engines_verdict_on_a_phone_with_the_keyboard_only(browser, server, form_fields, lang):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        prefix = "" if lang == "zh" else "en/"
        programme = "key_rd" if lang == "zh" else "talent"
        profile = _profiles()["key_rd_eligible"] if lang == "zh" else _profiles()["tech_innovation_eligible"]
        page.goto(f"{server.url}{prefix}checker/")
        page.evaluate("window.checker.ready")
        assert page.locator(".ck-form.ck-mode-guided").count() == 1
        asked = walk(page, profile, form_fields, programme)
        want = evaluate(profile, programme, lang)["results"][programme]["verdict"]
        page.wait_for_selector(f'.ck-programme[data-programme="{programme}"]', timeout=READY_TIMEOUT)
        shown = page.locator(f'.ck-programme[data-programme="{programme}"]').get_attribute("data-verdict")
        # Unasked answers cannot change the verdict: the engine's verdict of the whole profile is reached.
        assert shown == want
        visible = [f for f in form_fields if not f.get("programmes") or programme in f["programmes"]]
        assert len(set(asked)) < len(visible)
        # The check-your-answers page lists the answers with a change link each; the phone's bar shows the verdict.
        assert page.locator(".ck-g-summary .ck-g-row").count() >= 1
        assert page.locator(".ck-g-summary [data-guided=change]").count() >= page.locator(".ck-g-summary .ck-g-row").count()
        bar = page.locator(".ck-verdict-bar")
        assert bar.is_visible() and bar.get_attribute("data-verdict") == want
        box = bar.bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"] + 1  # in view, at the bottom
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # Back returns to the last question, with its answer kept.
        page.locator("[data-guided=back]").focus()
        page.keyboard.press("Enter")
        page.wait_for_selector(".ck-field[data-current]")
        assert not page.locator(".ck-g-summary").is_visible()
        assert errors == []
    finally:
        context.close()


def test_the_share_link_round_trips_every_engine_case(page, server):
    cases = _engine_cases()
    assert len(cases) > 20
    page.goto(server.url + "checker/")
    page.evaluate("window.checker.ready")
    for name, programme, _, profile in cases:
        page.evaluate("(hash) => { location.hash = hash; }", share_fragment(profile, programme))
        want = evaluate(profile, programme)["results"][programme]["verdict"]
        for _ in range(100):
            state = page.evaluate("""(programme) => [window.checker.currentProfile(),
                document.querySelector(`.ck-programme[data-programme="${programme}"]`)?.dataset.verdict]""", programme)
            if state == [profile, want]:
                break
            page.wait_for_timeout(50)
        assert state == [profile, want], name
        assert page.locator("#ck-programme").input_value() == programme
    # The page's own link says the same: Copy link puts these answers (as typed) in the address.
    page.locator('[data-action="share"]').click()
    link = page.locator(".ck-share-link").input_value()
    programme, answers = read_share_fragment(link.split("#", 1)[1])
    assert (programme, normalise(answers)) == (cases[-1][1], normalise(cases[-1][3]))
    assert page.url == link
    # Its QR code is drawn in the page: an SVG of 17 + 4v modules a side (version v).
    modules = int(page.locator(".ck-qr").get_attribute("data-modules"))
    assert (modules - 17) % 4 == 0 and 1 <= (modules - 17) // 4 <= 40
    assert page.locator(".ck-qr path").get_attribute("d").count("h1v1h-1z") > modules * 4
    # A broken link changes nothing and says so.
    page.evaluate("location.hash = 'profile=%%%'")
    page.wait_for_selector(".ck-message.ck-bad")
    assert page.evaluate("window.checker.currentProfile()") == cases[-1][3]
    assert_local_and_clean(page, server)


def test_slips_are_warned_beside_their_question_and_a_failing_rule_names_its_questions(page, server):
    from test_checker import field, one_page, open_checker, settle
    open_checker(page, server.url + "checker/?programme=major")
    one_page(page)
    profile = {"unit": {"in_karamay": True}, "project": {"total_investment": 200000, "self_funding": 150000,
               "requested_funding": 60000, "consortium_units": 2, "local_consortium_enterprises": 5},
               "leader": {"birth_date": "2999-01"}}
    field(page, "unit.in_karamay").locator('input[value="yes"]').check()
    for path in ("project.total_investment", "project.self_funding", "project.requested_funding",
                 "project.consortium_units", "project.local_consortium_enterprises", "leader.birth_date"):
        group, name = path.split(".")
        field(page, path).locator("input").fill(str(profile[group][name]))
    want = evaluate(profile, "major")["results"]["major"]
    settle(page, "major", want["verdict"])
    warned = {path: field(page, path).locator(".ck-warning") for path in
              ("project.total_investment", "project.self_funding", "project.local_consortium_enterprises", "leader.birth_date")}
    for path, warning in warned.items():
        assert warning.is_visible(), path
    assert "万元" in warned["project.total_investment"].inner_text()
    assert "5" in warned["project.local_consortium_enterprises"].inner_text()
    # Warnings, not verdicts: no error, and the verdict is the engine's for these very answers.
    assert page.locator(".ck-error:visible").count() == 0
    assert page.evaluate("window.checker.currentProfile()") == profile
    # A failing rule names the questions it read, by their wording.
    failing = [r for r in want["rules"] if r["status"] == "fail"]
    assert failing
    rule = page.locator(f'.ck-rule[data-rule="{failing[0]["id"]}"] .ck-rule-fields')
    labels = rule.locator("a").all_inner_texts()
    assert labels and all("." not in label for label in labels)
    assert_local_and_clean(page, server)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_your_answers_lists_each_achievement_by_its_answers(page, server, form_fields, lang):
    profile = _profiles()["major_eligible"]
    first = profile["project"]["achievements"][0]
    profile["project"]["achievements"] = [first, dict(first, kind="utility_model", date="2019-06-30")]
    page.goto(f"{server.url}{'' if lang == 'zh' else 'en/'}checker/#{share_fragment(profile, 'major')}")
    page.evaluate("window.checker.ready")
    row = page.locator('.ck-g-summary .ck-g-row[data-path="project.achievements"]')
    row.wait_for()
    kind = next(f for f in form_fields if f["path"] == "project.achievements")["item_fields"][0]
    words = {o["value"]: o["label"][lang] for o in kind["options"]}
    lines = row.locator(".ck-items-given li").all_inner_texts()
    assert len(lines) == 2
    dates = {"zh": "2019 年 6 月 30 日", "en": "30 June 2019"}  # as the guide writes a date
    assert dates[lang] in lines[1]
    for line, item in zip(lines, profile["project"]["achievements"]):
        assert words[item["kind"]] in line, line
    # Every answer as the engine words it (the printout and the CLI say the same): money formatted,
    # never a bare 万元 on an English page.
    answers = evaluate(profile, "major", lang=lang)["answers"]
    rows = page.locator(".ck-g-summary .ck-g-row")
    assert rows.locator(".ck-g-answer").all_inner_texts() == [a["text"] for a in answers]
    assert lines == next(a["items"] for a in answers if a["path"] == "project.achievements")
    total = page.locator('.ck-g-summary .ck-g-row[data-path="project.total_investment"] .ck-g-answer').inner_text()
    assert total == {"zh": "4000 万元", "en": "CNY 40 million"}[lang], total
    assert_local_and_clean(page, server)
