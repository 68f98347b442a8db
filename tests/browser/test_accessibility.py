"""Accessibility: axe-core (npm, pinned in package-lock.json) finds no serious or critical violation.

axe is injected with Playwright into the home page, a programme page, the comparison page and the
checker (before a result is shown, while the runtime is held back, and after), in both languages.

Every page carries a CSP `<meta>` with `script-src 'self'` and hashes, which refuses the inline
<script> that `page.add_script_tag(path=...)` would write. So axe is served from the site's own
origin: a Playwright route fulfils `<site>/__axe.js` with node_modules/axe-core/axe.min.js, and
`add_script_tag(url=...)` loads it like any same-origin script. The page's policy stays fully in force
(nothing is bypassed: a violation the CSP would cause still shows), and the only thing added is axe
itself. The context blocks service workers, so every request reaches the route.

A keyboard-only test then completes the checker's form with Tab, arrow keys, Space and typing, and
reaches a result.
"""

import pytest
import yaml

from test_checker import ENGINE_TESTS, READY_TIMEOUT, one_page, poll, settle

from support import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
RUN_AXE = """async () => {
    const result = await axe.run(document, {resultTypes: ["violations"]});
    return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => n.target.join(" "))}));
}"""


@pytest.fixture
def axe_page(browser, server):
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run `npm ci` (make does it)")
    context = browser.new_context(service_workers="block")
    context.route(server.url + "__axe.js", lambda route: route.fulfill(
        status=200, content_type="text/javascript", body=AXE.read_bytes()))
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()


def violations(page, server):
    page.add_script_tag(url=server.url + "__axe.js")
    found = page.evaluate(RUN_AXE)
    return [v for v in found if v["impact"] in BLOCKING]


def describe(found):
    return "\n".join(f"{v['impact']} {v['id']}: {v['help']} — {v['nodes'][:4]}" for v in found)


@pytest.mark.parametrize("lang", ["", "en/"], ids=["zh", "en"])
def test_no_serious_or_critical_violation_on_the_main_pages_and_the_checker(axe_page, server, lang):
    page = axe_page
    report = {}
    for path in ("", "programmes/major/", "compare/"):
        page.goto(server.url + lang + path)
        report[path or "home"] = violations(page, server)

    # The checker before a result: the form is built, the runtime is held back.
    held = []
    page.route("**/pyodide.asm.wasm", lambda route: held.append(route))
    page.goto(server.url + lang + "checker/")
    page.wait_for_selector(".ck-form")
    report["checker (before a result)"] = violations(page, server)
    for _ in range(400):
        if held:
            break
        page.wait_for_timeout(50)
    held[0].continue_()
    poll(page, "Boolean(window.checker)")
    page.evaluate("window.checker.ready")
    # After: every programme judged (the matrix), one ineligible with its reasons open.
    page.wait_for_selector(".ck-matrix tbody tr >> nth=4", timeout=READY_TIMEOUT)
    report["checker (guided, with a result)"] = violations(page, server)
    one_page(page)
    page.locator('.ck-field[data-path="unit.in_karamay"] input[value="no"]').check()
    settle(page, "major", "ineligible")
    report["checker (with a result)"] = violations(page, server)
    print("\n" + "\n".join(f"{lang or 'zh/'}{name}: {len(v)} serious/critical" for name, v in report.items()))
    bad = {name: describe(v) for name, v in report.items() if v}
    assert not bad, "\n\n".join(f"{name}:\n{text}" for name, text in bad.items())
    assert page.js_errors == []


def _profile():
    return yaml.safe_load((ENGINE_TESTS / "profiles.yaml").read_text(encoding="utf-8"))["talent_eligible"]


FOCUS = """() => {
    const el = document.activeElement;
    const wrap = el && el.closest(".ck-field[data-path]");
    return {tag: el ? el.tagName.toLowerCase() : "", type: el ? (el.type || "") : "", id: el ? el.id : "",
            path: wrap ? wrap.dataset.path : null, inForm: Boolean(el && el.closest(".ck-form")),
            options: el && el.tagName === "SELECT" ? [...el.options].map((o) => o.value) : null};
}"""


def test_the_checker_form_can_be_completed_with_the_keyboard_only(browser, server):
    """Tab from the top of the page through the form; answer with arrows, Space and typing; no mouse."""
    context = browser.new_context(service_workers="block", locale="en-US")
    try:
        page = context.new_page()
        page.goto(server.url + "en/checker/?programme=talent")
        poll(page, "Boolean(window.checker)")
        page.evaluate("window.checker.ready")
        page.wait_for_selector('.ck-programme[data-programme="talent"][data-verdict]', timeout=READY_TIMEOUT)
        # Guided mode is the default: Tab to "All questions on one page" and press Enter.
        for _ in range(60):
            if page.evaluate("document.activeElement.dataset.mode") == "form":
                break
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_selector(".ck-form.ck-mode-form")
        answers = {}
        for group, values in _profile().items():
            for key, value in (values.items() if isinstance(values, dict) else [(None, values)]):
                answers[f"{group}.{key}" if key else group] = value
        visible = set(page.eval_on_selector_all(
            ".ck-form > .ck-group > .ck-field[data-path]", "els => els.filter(e => e.offsetParent).map(e => e.dataset.path)"))
        answers = {path: value for path, value in answers.items() if path in visible}
        assert len(answers) >= 15
        done = set()
        for _ in range(400):
            page.keyboard.press("Tab")
            focus = page.evaluate(FOCUS)
            path = focus["path"]
            if not focus["inForm"] or path not in answers or path in done:
                if done and not focus["inForm"] and done >= set(answers):
                    break
                continue
            value = answers[path]
            if focus["type"] == "radio":  # one tab stop per group: arrows move and choose
                for _ in range({True: 1, False: 2}[value]):
                    page.keyboard.press("ArrowRight")
            elif focus["tag"] == "select":
                for _ in range(focus["options"].index(value)):
                    page.keyboard.press("ArrowDown")
            elif focus["type"] == "date":
                year, month, day = value.split("-")
                page.keyboard.type(month + day + year)  # en-US order: mm/dd/yyyy
            else:
                page.keyboard.type(str(value))
            done.add(path)
        assert done == set(answers), sorted(set(answers) - done)
        settle(page, "talent", "eligible")
        # The values really are in the form, and the result is the one the profile deserves.
        assert page.locator('.ck-field[data-path="leader.birth_date"] input').input_value() == answers["leader.birth_date"]
        assert page.locator('.ck-programme[data-programme="talent"]').get_attribute("data-verdict") == "eligible"
        # Space works too: it toggles the "Show the reasons" disclosure of the result.
        summary = page.locator('.ck-programme[data-programme="talent"] .ck-details > summary')
        summary.focus()
        opened = summary.evaluate("s => s.parentElement.open")
        page.keyboard.press("Space")
        assert summary.evaluate("s => s.parentElement.open") is not opened
    finally:
        context.close()
