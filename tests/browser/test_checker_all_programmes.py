"""“Which programme fits me?”: the checker in "all programmes" mode, guided, on a phone, zh and en.

The request is the applicant's choice for one programme, so this mode never asks it: a programme whose
other conditions hold reads "eligible for a request of min–X", as the engine and the CLI say. The
progress line says that nothing else can change the result only when that is true.
"""

import pytest

from checker_py import evaluate, normalise
from support import RequestLog, judged_profile, read_share_fragment, share_fragment, value_at
from test_checker import READY_TIMEOUT, _profiles, assert_local_and_clean, form_fields  # noqa: F401 (a fixture)
from test_checker_guided import PHONE, walk


def phone_page(browser):
    """A phone-sized page whose requests (page.requests) and script errors (page.js_errors) are collected."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.requests = RequestLog()
    context.on("request", page.requests.add)
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    return context, page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_all_programmes_mode_never_asks_the_request_and_leads_with_what_fits_and_for_how_much(browser, server, form_fields, lang):
    profile = _profiles()["key_rd_eligible"]  # it holds a request, which this mode must not ask
    judged = judged_profile(profile, None)
    want = evaluate(judged, None, lang)["results"]
    assert want["key_rd"]["funding"]["request_range"]["text"] in want["key_rd"]["verdict_text"]
    context, page = phone_page(browser)
    try:
        page.goto(f"{server.url}{'' if lang == 'zh' else 'en/'}checker/")
        page.evaluate("window.checker.ready")
        asked = walk(page, profile, form_fields, "")
        assert "project.requested_funding" not in asked
        for pid, res in want.items():
            page.wait_for_selector(f'.ck-programme[data-programme="{pid}"][data-verdict="{res["verdict"]}"]', timeout=READY_TIMEOUT)
        # The result leads with the programmes these answers admit, each with what may be requested.
        fits = {item.get_attribute("data-programme"): item.inner_text() for item in page.locator(".ck-fits li").all()}
        admitted = [pid for pid, res in want.items() if res["verdict"] in ("eligible", "review")]
        assert list(fits) == admitted and "key_rd" in fits
        for pid in admitted:
            assert want[pid]["verdict_text"] in fits[pid]
        assert page.locator(".ck-fits").bounding_box()["y"] < page.locator(".ck-matrix").bounding_box()["y"]
        # Some verdict still waits for an answer the person did not know: the page must not say that
        # nothing else can change the result.
        assert any(res["verdict"] == "incomplete" for res in want.values())
        progress = page.locator(".ck-g-progress").inner_text()
        done = {"zh": "其余问题不会改变结论", "en": "no other answer can change the verdict"}[lang]
        assert done not in progress
        assert page.js_errors == []
    finally:
        context.close()


def test_a_share_link_keeps_the_request_and_the_progress_counts_the_answers_it_restored(browser, server, form_fields):
    profile = _profiles()["major_eligible"]
    answered = [f["path"] for f in form_fields if value_at(judged_profile(profile, None), f["path"]) is not None]
    context, page = phone_page(browser)
    try:
        page.goto(f"{server.url}checker/#{share_fragment(profile, None)}")
        page.evaluate("window.checker.ready")
        page.wait_for_selector('.ck-programme[data-programme="major"][data-verdict]', timeout=READY_TIMEOUT)
        page.wait_for_function("document.querySelector('.ck-g-progress').textContent.includes('已回答')")
        assert f"已回答 {len(answered)} 题" in page.locator(".ck-g-progress").inner_text()
        # The request is kept (not judged in this mode): choosing the programme judges it again.
        assert page.evaluate("window.checker.currentProfile()") == profile
        page.locator('[data-action="share"]').click()
        linked_programme, linked = read_share_fragment(page.locator(".ck-share-link").input_value().split("#", 1)[1])
        assert (linked_programme, normalise(linked)) == (None, profile)  # the link keeps the answers as typed
        assert_local_and_clean(page, server)
    finally:
        context.close()

