"""What people type and what links and storage hold, in the checker page, in Chromium and Firefox ESR.

Dates and amounts typed into the visible boxes (full-width digits, 1988年7月1日, 1,200万元) are read by
the engine's one reader: the form, a share link, `check`, `screen` and the batch page give the same
verdict for the same typed answers. A link or kept answers of any JSON shape leave a usable page that says what it
could not restore; a second tab follows the first's answers; a visit under other rules is told so;
an absurdly long list is cut to its limit, and said to be.
"""

import copy
import csv
import importlib.util
import json
from urllib.parse import quote

import pytest

import support
from test_checker import (READY_TIMEOUT, STORAGE_KEY, _profiles, clear_answers, cli, field, fill, form_fields,  # noqa: F401
                          one_page, settle)

SHEETKIT = support.ROOT / "tests" / "sheets" / "sheetkit.py"
AGE_RULE = "leader_age_limit"


@pytest.fixture(params=["chromium", "firefox"])
def engine_browser(request):
    """Each test runs in Debian's Chromium and in Firefox ESR."""
    return request.getfixturevalue("browser" if request.param == "chromium" else "firefox")


@pytest.fixture
def context(engine_browser):
    """A fresh context (empty storage) of the browser under test."""
    ctx = engine_browser.new_context()
    yield ctx
    ctx.close()


def new_tab(context):
    """A page whose uncaught errors are kept in page.js_errors."""
    tab = context.new_page()
    tab.js_errors = []
    tab.on("pageerror", lambda exc: tab.js_errors.append(str(exc)))
    return tab


@pytest.fixture
def tab(context):
    return new_tab(context)


@pytest.fixture(scope="module")
def form_data():
    """The checker's form data as built: fields, interface strings (ui) and the rules' fingerprint."""
    data = sorted((support.SITE / "assets" / "checker").glob("form.*.json"))
    assert len(data) == 1, data
    return json.loads(data[0].read_text(encoding="utf-8"))


def ui(form_data, key, lang="zh", **values):
    """An interface string as the page shows it."""
    text = form_data["ui"][key][lang]
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def open_page(tab, url):
    """Open the checker, wait for the engine and a first result, and show all questions on one page."""
    support.open_checker(tab, url, READY_TIMEOUT / 1000)
    one_page(tab)


def message(tab):
    return tab.locator(".ck-message").inner_text()


def verdict_of(tab, programme):
    return tab.locator(f'.ck-programme[data-programme="{programme}"]').get_attribute("data-verdict")


def usable(tab):
    """The page still works: its questions are there, a result is shown, and nothing was thrown."""
    assert tab.locator(".ck-form .ck-field").count() > 20
    tab.wait_for_selector(".ck-programme[data-verdict]", timeout=10_000)
    assert tab.js_errors == []


def typed(base, leader=None, project=None, items=None):
    """A profile of the engine tests with some answers replaced by text as a person types it."""
    profile = copy.deepcopy(_profiles()[base])
    profile["leader"].update(leader or {})
    profile.setdefault("project", {}).update(project or {})
    for i, item in enumerate(items or []):
        profile["project"]["achievements"][i].update(item)
    return profile


# -- dates and amounts typed into the form ------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_birth_date_typed_in_full_width_digits_or_as_chinese_write_it_is_judged_as_that_date(tab, form_fields, form_data, server, lang):
    open_page(tab, f"{server.url}{'' if lang == 'zh' else 'en/'}checker/?programme=key_rd")
    fill(tab, typed("key_rd_eligible", project={"total_investment": "1,000万元", "requested_funding": "２００"}), form_fields)
    settle(tab, "key_rd", "eligible")
    box = field(tab, "leader.birth_date").locator("input")
    age = tab.locator(f'.ck-programme[data-programme="key_rd"] .ck-rule[data-rule="{AGE_RULE}"]')
    # Each answer changes the verdict, so each one's own result is the one awaited.
    for text, verdict in [("１９５０-01-01", "ineligible"), ("1988年7月1日", "eligible"), ("١٩٥٠", "ineligible"),
                          ("1962年1月1日", "eligible"), ("1961/12/31", "ineligible"), ("19620101", "eligible"),
                          ("１９６１", "ineligible"), ("1962.1", "eligible")]:
        box.fill(text)
        settle(tab, "key_rd", verdict)
        assert age.get_attribute("data-status") == ("pass" if verdict == "eligible" else "fail"), text
    # What the engine read is what the page exports and lists: a date, and the amounts as numbers.
    profile = tab.evaluate("window.checker.currentProfile()")
    assert profile["leader"]["birth_date"] == "1962-01"
    assert (profile["project"]["total_investment"], profile["project"]["requested_funding"]) == (1000, 200)
    # A date that cannot be read is named beside its question, in the page's language; no verdict is judged.
    box.fill("1988-02-30")
    error = field(tab, "leader.birth_date").locator(":scope > .ck-error")
    error.wait_for(state="visible")
    assert error.inner_text() == ui(form_data, "expected_date", lang)
    assert box.get_attribute("aria-invalid") == "true"
    box.fill("1988年7月1日")
    error.wait_for(state="hidden")
    assert tab.js_errors == []


def test_check_screen_the_batch_page_the_form_and_a_share_link_give_the_same_verdict_for_the_same_typed_answers(tab, form_fields, server, tmp_path):
    cases = [  # (programme, typed profile, the verdict the typed answers must get)
        ("key_rd", typed("key_rd_eligible", {"birth_date": "１９５０年1月1日"},
                         {"total_investment": "1,000万元", "requested_funding": "２００"}), "ineligible"),
        ("key_rd", typed("key_rd_eligible", {"birth_date": "1988/7/1"},
                         {"total_investment": "１，０００", "requested_funding": "200万"}), "eligible"),
        ("key_rd", typed("key_rd_eligible", {"birth_date": "1962"}), "eligible"),
        ("key_rd", typed("key_rd_eligible", {"birth_date": "1961.12"}), "ineligible"),
        ("tech_innovation", typed("tech_innovation_eligible", {"birth_date": "19700601"},
                                  {"total_investment": "120", "requested_funding": "50万元"}, [{"date": "2016年1月1日"}]), "eligible"),
        ("tech_innovation", typed("tech_innovation_eligible", project={"requested_funding": "1,000"}), "ineligible"),
        ("talent", typed("talent_eligible", {"birth_date": "１９７７．１．１"}, {"requested_funding": "20 万元"}), "eligible"),
        ("key_rd", typed("key_rd_eligible", {"birth_date": "1988-02-30"}), "error"),
    ]
    # check: one JSON-lines batch per programme.
    by_check = {}
    for programme in {p for p, _, _ in cases}:
        mine = [i for i, case in enumerate(cases) if case[0] == programme]
        for i, line in zip(mine, cli([cases[i][1] for i in mine], programme)):
            by_check[i] = line["error"]["field"] if "error" in line else line["results"][programme]["verdict"]
    # screen: the same answers as the cells of a CSV, one row each (field paths as the header).
    spec = importlib.util.spec_from_file_location("sheetkit", SHEETKIT)
    sheetkit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sheetkit)
    from checker_sheets import columns, schema
    cols = columns(schema())
    sheet = tmp_path / "typed.csv"
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.path for c in cols])
        for _, profile, _ in cases:
            writer.writerow(["" if v is None else v for v in sheetkit.row_of(profile, cols, "value", style="csv")])
    status, _, err = sheetkit.screen(sheet, "--output", tmp_path / "typed.jsonl")
    assert status == 2, err  # the last row's date cannot be read
    lines = [json.loads(line) for line in (tmp_path / "typed.jsonl").read_text(encoding="utf-8").splitlines()]
    by_screen = {i: line["error"]["field"] if "error" in line else line["results"][cases[i][0]]["verdict"]
                 for i, line in enumerate(lines)}
    # The batch page, screening the same file in the browser.
    tab.goto(server.url + "batch/")
    support.poll(tab, "document.getElementById('batch').dataset.state === 'ready'", READY_TIMEOUT / 1000)
    tab.set_input_files("#batch-file", str(sheet))
    support.poll(tab, "document.getElementById('batch').dataset.state === 'done'", READY_TIMEOUT / 1000)
    rows = tab.evaluate("""() => [...document.querySelectorAll('#batch-table tbody tr')].map((tr) => [
        Object.fromEntries([...tr.querySelectorAll('td .bt-verdict')].map((badge) => [badge.dataset.programme, badge.className.split('bt-').pop()])),
        tr.lastElementChild.textContent])""")
    by_batch = {i: "leader.birth_date" if verdicts[cases[i][0]] == "error" and "leader.birth_date" in errors
                else verdicts[cases[i][0]] for i, (verdicts, errors) in enumerate(rows)}
    # The form, typed into, and the share link, opened.
    open_page(tab, server.url + "checker/")
    by_form, by_link = {}, {}
    for i, (programme, profile, _) in enumerate(cases):
        by_link[i] = shown_for(tab, programme, lambda: tab.evaluate("(hash) => { location.hash = hash; }",
                                                                   support.share_fragment(profile, programme)))
        clear_answers(tab)
        tab.locator("#ck-programme").select_option(programme)

        def type_in(profile=profile):
            fill(tab, profile, form_fields)
        by_form[i] = shown_for(tab, programme, type_in)
    want = {i: "leader.birth_date" if verdict == "error" else verdict for i, (_, _, verdict) in enumerate(cases)}
    assert by_check == want
    assert by_screen == want
    assert by_batch == want
    assert by_form == want
    assert by_link == want
    assert tab.js_errors == []


def shown_for(tab, programme, act):
    """What the page shows for `programme` once `act()` has put answers in: its verdict, or the
    question beside which an answer is refused."""
    section = f'.ck-programme[data-programme="{programme}"]'
    before = tab.locator(section).element_handle() if tab.locator(section).count() else None
    act()
    for _ in range(300):
        if tab.locator(".ck-error:visible").count() or (
                tab.locator(section).count() and not tab.locator(section).evaluate("(e, old) => e === old", before)):
            break
        tab.wait_for_timeout(50)
    else:
        raise AssertionError(f"no new result for {programme}")
    tab.wait_for_timeout(500)  # the last answer's result (debounced) may still be on its way
    error = tab.locator(".ck-error:visible")
    return error.first.evaluate("e => e.closest('.ck-field').dataset.path") if error.count() else verdict_of(tab, programme)


# -- share links and kept answers of any shape --------------------------------------------------


def link(profile_json, programme=None):
    """A share link's fragment holding `profile_json` (any JSON text) as the page would encode it."""
    import base64
    code = base64.urlsafe_b64encode(profile_json.encode("utf-8")).decode("ascii").rstrip("=")
    return (f"programme={quote(programme)}&" if programme else "") + f"profile={code}"


def test_a_share_link_of_any_shape_leaves_a_usable_page_that_says_what_it_could_not_restore(tab, form_data, server):
    # Opened as the first page: the whole checker was once replaced by "Cannot convert object to primitive value".
    open_page(tab, server.url + "checker/#" + link('{"toString": 1}'))
    usable(tab)
    said = message(tab)
    assert ui(form_data, "share_restored") in said and "toString" in said
    assert ui(form_data, "answers_left_out", n=1, fields="toString") in said

    # Then changed in the address of the open page, as a hostile page or a mistyped link would.
    kind = next(f for f in form_data["fields"] if f["path"] == "unit.kind")["label"]["zh"]
    cases = [
        ('{"unit": {"kind": {"toString": 1}, "in_karamay": true}, "leader": {"birth_date": {"valueOf": 1}}}', None,
         [ui(form_data, "share_restored"), ui(form_data, "answers_left_out", n=2, fields=kind + "；项目负责人出生日期")]),
        ('{"unit": {"in_karamay": true}}', "no_such_programme",
         [ui(form_data, "share_restored"), ui(form_data, "share_unknown_programme", programme="no_such_programme")]),
        ('{"unit": {"in_karamay": true}, "project": {"achievements": [1, {"kind": "award", "bogus": 2}]}}', None,
         [ui(form_data, "share_restored"), "其中 2 项", "成果 1；", "成果 2 · bogus"]),
    ]
    for profile_json, programme, parts in cases:
        tab.evaluate("(hash) => { location.hash = hash; }", link(profile_json, programme))
        support.poll(tab, f"document.querySelector('.ck-message').textContent.includes({json.dumps(parts[-1])})", 10)
        said = message(tab)
        assert all(part in said for part in parts), (profile_json, said)
        assert field(tab, "unit.in_karamay").locator('input[value="yes"]').is_checked()
        assert tab.locator("#ck-programme").input_value() == ""
        usable(tab)
    # null, a list, a string, a number: no answers at all, and never "restored".
    for profile_json in ("null", "[]", '[{"unit": {}}]', '"unit"', "5", "{", "%%%"):
        tab.evaluate("() => { document.querySelector('.ck-message').textContent = ''; }")
        tab.evaluate("(hash) => { location.hash = hash; }", link(profile_json) if profile_json != "%%%" else "profile=%%%")
        support.poll(tab, "document.querySelector('.ck-message').textContent !== ''", 10)
        assert message(tab) == ui(form_data, "share_bad"), profile_json
        assert field(tab, "unit.in_karamay").locator('input[value="yes"]').is_checked()  # the answers stay
    usable(tab)


KEPT = [  # what another script, an old build or a broken write may have left under the checker's key
    ("not JSON", "stored_bad"),
    ("null", "stored_bad"),
    ("[]", "stored_bad"),
    ('{"toString": 1}', "stored_bad"),
    ('{"edition": "2022", "profile": null}', "stored_bad"),
    ('{"edition": "2022", "profile": [1, 2]}', "stored_bad"),
    ('{"edition": "2022", "profile": {"toString": 1}}', "answers_left_out"),
    ('{"edition": "2022", "programme": {"toString": 1}, "profile": {"unit": {"kind": {"toString": 1}, "in_karamay": true}}}',
     "answers_left_out"),
]


def test_kept_answers_of_any_shape_leave_a_usable_page_with_a_message_and_clear_still_works(tab, form_data, server):
    url = server.url + "checker/"
    for kept, key in KEPT:
        tab.goto(server.url + "about/")  # the same origin, so the same storage
        tab.evaluate("([key, value]) => localStorage.setItem(key, value)", [STORAGE_KEY, kept])
        open_page(tab, url)
        usable(tab)
        said = message(tab)
        assert ui(form_data, key).split("{")[0] in said and tab.locator(".ck-message.ck-bad").count() == 1, (kept, said)
        if "in_karamay" in kept:
            assert field(tab, "unit.in_karamay").locator('input[value="yes"]').is_checked()
        clear_answers(tab)
        assert tab.evaluate(f"localStorage.getItem({STORAGE_KEY!r})") is None, kept
    assert tab.js_errors == []


def test_a_second_tab_follows_the_answers_changed_in_the_first_and_says_so(context, form_data, server):
    first, second = new_tab(context), new_tab(context)
    for tab in (first, second):
        open_page(tab, server.url + "checker/?programme=talent")
    field(first, "unit.in_karamay").locator('input[value="yes"]').check()
    field(first, "leader.birth_date").locator("input").fill("1990年5月1日")
    support.poll(second, "document.querySelector('.ck-field[data-path=\"leader.birth_date\"] input').value === '1990年5月1日'", 10)
    assert field(second, "unit.in_karamay").locator('input[value="yes"]').is_checked()
    assert message(second) == ui(form_data, "other_tab")
    settle(second, "talent", "incomplete")
    # The second tab changes an answer: the first follows it; nothing either typed vanishes unseen.
    field(second, "unit.in_karamay").locator('input[value="no"]').check()
    support.poll(first, "document.querySelector('.ck-field[data-path=\"unit.in_karamay\"] input[value=\"no\"]').checked", 10)
    settle(first, "talent", "ineligible")
    assert field(first, "leader.birth_date").locator("input").input_value() == "1990年5月1日"
    # Clearing in one tab clears the other too.
    clear_answers(first)
    support.poll(second, "document.querySelector('.ck-field[data-path=\"leader.birth_date\"] input').value === ''", 10)
    assert first.js_errors == [] and second.js_errors == []


def test_answers_kept_under_other_rules_are_said_to_be_judged_anew_once(tab, form_data, server):
    kept = {"edition": form_data["edition"], "rules": "000000000000", "programme": "talent",
            "profile": {"unit": {"in_karamay": True}}}
    tab.goto(server.url + "about/")
    tab.evaluate("([key, value]) => localStorage.setItem(key, value)", [STORAGE_KEY, json.dumps(kept)])
    open_page(tab, server.url + "checker/")
    assert message(tab) == ui(form_data, "rules_changed")
    assert field(tab, "unit.in_karamay").locator('input[value="yes"]').is_checked()
    assert tab.locator("#ck-programme").input_value() == "talent"
    stored = json.loads(tab.evaluate(f"localStorage.getItem({STORAGE_KEY!r})"))
    assert stored == {**kept, "rules": form_data["rules"]}
    # Said once: the next visit, and answers kept under these rules, say nothing.
    open_page(tab, server.url + "checker/")
    assert message(tab) == ""
    assert field(tab, "unit.in_karamay").locator('input[value="yes"]').is_checked()
    assert tab.js_errors == []


def test_a_link_with_hundreds_of_achievements_restores_the_lists_limit_and_says_the_rest_were_left_out(tab, form_data, form_fields, server):
    limit = next(f for f in form_fields if f["path"] == "project.achievements")["max_items"]
    items = [{"kind": "invention_patent", "date": f"{2000 + i % 20}-01-01"} for i in range(300)]
    open_page(tab, server.url + "checker/?programme=major#" + support.share_fragment({"project": {"achievements": items}}, "major"))
    usable(tab)
    achievements = field(tab, "project.achievements")
    assert achievements.locator(".ck-item").count() == limit
    assert not achievements.locator(".ck-add").is_visible()  # no more than the limit can be added
    label = next(f for f in form_fields if f["path"] == "project.achievements")["label"]["zh"]
    # Chinese sentences follow one another without a space after “。”.
    assert message(tab) == ui(form_data, "share_restored") + ui(form_data, "items_cut", list=label, max=limit, n=300 - limit)
    assert verdict_of(tab, "major") in ("incomplete", "ineligible")
    # One removed, one can be added again.
    achievements.locator(".ck-remove").first.click()
    assert achievements.locator(".ck-add").is_visible()
    # An imported file over the limit is refused by the engine, by name.
    tab.locator("#ck-import-file").set_input_files({"name": "long.json", "mimeType": "application/json",
                                                   "buffer": json.dumps({"project": {"achievements": items}}).encode()})
    tab.wait_for_selector(".ck-message.ck-bad >> text=project.achievements")
    assert ui(form_data, "too_many_items", max=limit, n=300) in message(tab)
    assert tab.js_errors == []
