"""Guided mode used as a person uses it, for every engine case: in Chromium in both languages, in Firefox
in one language or the other, taking turns case by case (so both are walked in each browser).

On a phone (390 px) the person chooses the case's programme and answers each step through its visible
controls only: a radio, an option of a select, a text box; for the achievements the "Yes (list them)"
radio, each item's questions and "Add an achievement". A question the case has no answer for gets
"I don't know". Every Playwright action used waits for its control to be visible and enabled, so a
question the page asks but hides fails the test. At "check your answers" the verdict shown must be the
engine's verdict for the whole profile: what guided mode did not ask cannot change it.

Speed: one page per browser and language serves all its cases (the visible "Clear answers" starts
the next), and the four pages are walked at the same time, each in a thread of its own with its own
Playwright (its objects belong to one thread). A walk spends most of its time waiting for the browser,
not computing, so the four overlap well; each case's test waits for its own walk's outcome.
"""

import json
import threading
from concurrent.futures import Future

import pytest
from playwright.sync_api import sync_playwright

from checker_py import evaluate
from checker_py.strings import CHECKER, ENGINE
from support import CHROMIUM, CHROMIUM_FLAGS, SITE, launch_firefox, phone_context, recorded, value_at
from test_checker import _engine_cases

BROWSERS = ["chromium", "firefox"]
LANGS = ["zh", "en"]
CASES = _engine_cases()
ACTION_TIMEOUT = 10_000  # ms: a control not shown by then is one a person cannot use (a loaded 2-core machine)
READY_TIMEOUT = 120_000  # ms: the Python runtime's first start, four pages at once
WALK_TIMEOUT = 1_500  # s: the longest a case's test waits for the walks before it to finish
MAX_STEPS = 60

# Once the step the last button led to is shown (the form is no longer busy), what it holds, as a
# person sees it. It only reads the page.
STEP = """async () => {
  const form = document.querySelector(".ck-form");
  if (form.hasAttribute("aria-busy")) {
    await new Promise((resolve) => {
      const watch = new MutationObserver(() => {
        if (!form.hasAttribute("aria-busy")) { watch.disconnect(); resolve(); }
      });
      watch.observe(form, { attributes: true, attributeFilter: ["aria-busy"] });
    });
  }
  const shown = (node) => Boolean(node) && node.checkVisibility({ visibilityProperty: true })
    && node.getBoundingClientRect().width > 0;
  return {
    summary: shown(document.querySelector(".ck-g-summary")),
    questions: [...form.querySelectorAll(":scope > .ck-group > .ck-field[data-current]")]
      .map((node) => [node.dataset.path, shown(node)]),
    errors: [...form.querySelectorAll(".ck-error")].filter(shown).map((node) => node.textContent),
  };
}"""


def form_fields():
    """The questions the page is built from (the form data the build wrote)."""
    data = sorted((SITE / "assets" / "checker").glob("form.*.json"))
    assert len(data) == 1, data
    return json.loads(data[0].read_text(encoding="utf-8"))["fields"]


class Person:
    """Someone answering the checker's guided steps on one page, in one language."""

    def __init__(self, page, lang, fields):
        self.page = page
        self.lang = lang
        self.say = {key: text[lang] for key, text in {**ENGINE, **CHECKER}.items()}
        self.fields = {f["path"]: f for f in fields}

    def start_over(self):
        """Clear answers (and confirm): guided mode starts again at the programme choice."""
        self.page.locator('.ck-toolbar [data-action="clear"]').click()
        self.page.locator('.ck-toolbar [data-action="clear-yes"]').click()

    def press(self, action):
        """Press a guided-mode button ("next": Continue, "skip": I don't know); returns the step it leads to (see STEP)."""
        self.page.locator(f'.ck-g-nav [data-guided="{action}"]').click()
        return self.page.evaluate(STEP)

    def answer(self, scope, field, value):
        """Answer one question through its control: a radio, a select's option, or typing."""
        if field["type"] == "bool":
            scope.locator(f'input[type=radio][value="{"yes" if value else "no"}"]').check()
        elif field["type"] == "enum":
            label = next(o["label"][self.lang] for o in field["options"] if o["value"] == value)
            scope.locator("select").select_option(label=label)
        else:
            scope.locator("input").fill(str(value))

    def answer_list(self, scope, field, items):
        """None, or "Yes (list them)" and each item's known answers, adding an item as needed."""
        scope.locator(f'input[data-list-state][value="{"some" if items else "none"}"]').check()
        entries = scope.locator(".ck-item")
        subs = {f["path"]: f for f in field["item_fields"]}
        for i, item in enumerate(items):
            if entries.count() <= i:
                scope.locator(".ck-add").click()
            for path, value in item.items():
                self.answer(entries.nth(i).locator(f'.ck-field[data-path="{path}"]'), subs[path], value)

    def walk(self, profile, programme):
        """Choose the programme (its select is shown only at the first step), then answer every step
        from `profile` until "check your answers"."""
        self.page.locator("#ck-programme").select_option(programme)
        step = self.press("next")
        for _ in range(MAX_STEPS):
            assert not step["errors"], step["errors"]
            if step["summary"]:
                return
            assert step["questions"], "a step without a question"
            hidden = [path for path, shown in step["questions"] if not shown]
            assert not hidden, f"the step asks questions it does not show: {hidden}"
            known = [path for path, _ in step["questions"] if value_at(profile, path) is not None]
            for path in known:
                scope = self.page.locator(f'.ck-form > .ck-group > .ck-field[data-path="{path}"]')
                field = self.fields[path]
                if field["type"] == "list":
                    self.answer_list(scope, field, value_at(profile, path))
                else:
                    self.answer(scope, field, value_at(profile, path))
            step = self.press("next" if known else "skip")
        raise AssertionError(f"no 'check your answers' page after {MAX_STEPS} steps")

    def verdict(self, programme):
        """The verdict the page shows: the phone's bar (with its word) and the programme's result agree."""
        bar = self.page.locator(".ck-verdict-bar")
        shown = bar.get_attribute("data-verdict")
        assert bar.is_visible()
        assert bar.locator(".ck-verdict-text").inner_text() == self.say["verdict_" + shown]
        assert self.page.locator(f'.ck-programme[data-programme="{programme}"]').get_attribute("data-verdict") == shown
        return shown


def walk_all(browser_name, lang, origin, url, cases, outcomes, stop):
    """Walk `cases` on one phone page; each outcome is (verdict shown, new script errors, outside requests)."""
    try:
        with sync_playwright() as p:
            if browser_name == "chromium":
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            else:
                browser = launch_firefox(p)
            # No service worker: its precaching of the whole build is no part of this test.
            context = phone_context(browser, service_workers="block")
            context.set_default_timeout(ACTION_TIMEOUT)
            page = recorded(context.new_page())
            person = Person(page, lang, form_fields())

            def load():
                page.goto(url)
                page.evaluate("window.checker.ready")
                page.locator(".ck-form.ck-mode-guided").wait_for(timeout=READY_TIMEOUT)

            load()
            for name, programme, profile in cases:
                if stop.is_set():
                    break
                errors = len(page.js_errors)
                try:
                    person.start_over()
                    person.walk(profile, programme)
                    outcomes[name].set_result((person.verdict(programme), page.js_errors[errors:], page.requests.outside(origin)))
                except Exception as exc:  # noqa: BLE001 (the case's test raises it)
                    outcomes[name].set_exception(exc)
                    load()  # the next case starts from a fresh page
            browser.close()
    except Exception as exc:  # noqa: BLE001
        for future in outcomes.values():
            if not future.done():
                future.set_exception(exc)
    finally:
        for future in outcomes.values():
            if not future.done():
                future.set_exception(AssertionError("the walk stopped before this case"))


def walked_in(browser_name, lang, index):
    """Whether the case at `index` is walked in this browser and language: in Chromium, every case in
    both languages; in Firefox, every case in one of them, taking turns (both languages are walked
    there, and the suite stays within its time)."""
    return browser_name == "chromium" or LANGS[index % len(LANGS)] == lang


PARAMS = [pytest.param(b, lang, name, programme, profile, id=f"{b}-{lang}-{name}")
          for b in BROWSERS for lang in LANGS for index, (name, programme, _, profile) in enumerate(CASES)
          if walked_in(b, lang, index)]


@pytest.fixture(scope="module")
def walks(request, server):
    """The selected cases' outcomes, keyed (browser, lang, name): walked by one thread per browser and language."""
    chosen = [item.callspec.params for item in request.session.items
              if item.module is request.module and hasattr(item, "callspec") and "browser_name" in item.callspec.params]
    outcomes, threads, stop = {}, [], threading.Event()
    for b in BROWSERS:
        for lang in LANGS:
            cases = [(c["name"], c["programme"], c["profile"]) for c in chosen if (c["browser_name"], c["lang"]) == (b, lang)]
            if not cases:
                continue
            mine = {name: Future() for name, _, _ in cases}
            outcomes.update({(b, lang, name): future for name, future in mine.items()})
            url = f"{server.url}{'' if lang == 'zh' else 'en/'}checker/"
            threads.append(threading.Thread(target=walk_all, args=(b, lang, server.origin, url, cases, mine, stop), daemon=True))
    for thread in threads:
        thread.start()
    yield outcomes
    stop.set()
    for thread in threads:
        thread.join(timeout=120)


@pytest.mark.parametrize(("browser_name", "lang", "name", "programme", "profile"), PARAMS)
def test_a_person_answering_only_what_guided_mode_shows_reaches_the_engines_verdict(walks, browser_name, lang, name, programme, profile):
    shown, errors, outside = walks[browser_name, lang, name].result(timeout=WALK_TIMEOUT)
    assert shown == evaluate(profile, programme, lang)["results"][programme]["verdict"]
    assert errors == []
    assert outside == []
