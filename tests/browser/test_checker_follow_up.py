"""A follow-up question (ask_when in the rules' field schema) is asked only after the answer it depends on."""

import pytest

from test_checker import clear_answers, one_page


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_the_type_of_public_institution_is_asked_only_of_a_public_institution(page, server, prefix):
    page.goto(server.url + prefix + "checker/")
    page.wait_for_selector(".ck-form")
    one_page(page)
    kind = page.locator('.ck-field[data-path="unit.kind"] select')
    follow_up = page.locator('.ck-field[data-path="unit.institution_type"]')
    kind.wait_for()
    assert follow_up.is_hidden()
    kind.select_option("institution")
    follow_up.wait_for(state="visible")
    follow_up.locator("select").select_option("university")
    kind.select_option("enterprise")
    follow_up.wait_for(state="hidden")
    # The answer is kept while hidden (nothing the user typed is lost) and shows again.
    kind.select_option("institution")
    follow_up.wait_for(state="visible")
    assert follow_up.locator("select").input_value() == "university"
    # Answers are stored after the debounce; wait for it (page.evaluate polling: the CSP forbids
    # wait_for_function's eval) before reloading.
    for _ in range(100):
        stored = page.evaluate("Object.values(localStorage).join()")
        if '"kind":"institution"' in stored and "university" in stored:
            break
        page.wait_for_timeout(100)
    page.reload()
    follow_up.wait_for(state="visible")
    clear_answers(page)
    follow_up.wait_for(state="hidden")
    assert page.js_errors == []
    assert page.requests.outside(server.origin) == []
