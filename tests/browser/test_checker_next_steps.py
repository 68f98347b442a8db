"""After the verdict, what to do next: the engine's steps for this applicant, in the page and the print."""

import pytest

from checker_py import evaluate
from support import share_fragment
from test_checker import READY_TIMEOUT, _profiles, assert_local_and_clean


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_admitted_applicant_sees_the_next_steps_on_screen_and_in_print(page, server, lang):
    profile = _profiles()["key_rd_eligible"]
    profile["unit"]["high_tech_enterprise"] = False  # a review: its step says who decides it
    want = evaluate(profile, "key_rd", lang)["results"]["key_rd"]
    assert want["verdict"] == "review"
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server.url}{'' if lang == 'zh' else 'en/'}checker/#{share_fragment(profile, 'key_rd')}")
    page.evaluate("window.checker.ready")
    section = page.locator('.ck-programme[data-programme="key_rd"][data-verdict="review"]')
    section.wait_for(timeout=READY_TIMEOUT)
    steps = section.locator(".ck-next li")
    shown = [item.locator("span").first.inner_text() for item in steps.all()]
    assert shown == [step["text"] for step in want["next_steps"]]
    assert section.locator(".ck-next").is_visible() and section.locator(".ck-next[open]").count() == 1
    # Each step of the guide links its clause.
    for item, step in zip(steps.all(), want["next_steps"]):
        assert (item.locator("a.ck-clause").count() == 1) == bool(step["clause"]), step["id"]
    # Printed with the report, unfolded.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    assert all(item.is_visible() for item in steps.all())
    page.emulate_media(media=None)
    assert_local_and_clean(page, server)


def test_a_ruled_out_programme_lists_no_next_steps(page, server):
    profile = _profiles()["key_rd_eligible"]
    profile["leader"]["birth_date"] = "1950-01-01"
    page.goto(f"{server.url}checker/#{share_fragment(profile, 'key_rd')}")
    page.evaluate("window.checker.ready")
    page.locator('.ck-programme[data-programme="key_rd"][data-verdict="ineligible"]').wait_for(timeout=READY_TIMEOUT)
    assert page.locator(".ck-next").count() == 0
