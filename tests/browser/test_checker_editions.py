"""The checker of each edition, on the site of two (the real 2022 edition and the made-up 2023 one,
tests/editions/2023.yaml, served under /guide/): an older edition's checker judges by its own rules; a
share link keeps its edition and offers the current rules; answers saved under an older edition are
kept and checked under the current one with what changed for this applicant."""

from urllib.parse import urlsplit

import pytest

from support import RequestLog, share_fragment
from test_checker import READY_TIMEOUT, _profiles, assert_local_and_clean, field, open_checker, settle, shown

BORN = "1962-06-01"  # sixty in 2022: within the 2022 threshold (1962-01-01), outside 2023's (1963-01-01)


def without_birth_date():
    """An applicant the major programme admits in both editions, whose leader's birth date is not given yet."""
    profile = _profiles()["major_eligible"]
    del profile["leader"]["birth_date"]
    return profile


def with_birth_date():
    """The same applicant with the leader born on BORN."""
    profile = without_birth_date()
    profile["leader"]["birth_date"] = BORN
    return profile


def answer_birth_date(page, url):
    """Open a checker holding the other answers and type the leader's birth date in its box."""
    open_checker(page, url)
    field(page, "leader.birth_date").locator("input").fill(BORN)


@pytest.fixture
def own_requests_page(browser):
    """A page whose requests are its own: no service worker, whose precache fetches every edition's files."""
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.requests = RequestLog()
    context.on("request", page.requests.add)
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    yield page
    context.close()


@pytest.mark.parametrize("where, edition, verdict", [("2022/checker/", "2022", "eligible"),
                                                     ("checker/", "2023", "ineligible")])
def test_the_2022_checker_under_its_year_judges_by_2022_rules_and_the_root_by_2023s(own_requests_page, two_editions_server, where, edition, verdict):
    page = own_requests_page
    answer_birth_date(page, f"{two_editions_server.url}{where}?programme=major#edition={edition}&{share_fragment(without_birth_date(), 'major')}")
    settle(page, "major", verdict)
    age = next(message for rule, _, message in shown(page, "major")["rules"] if rule == "leader_age_limit")
    assert ("1963 年 1 月 1 日" in age) == (edition == "2023"), age
    assert urlsplit(page.url).path == f"/guide/{where}"
    # Its own wheel, byte-compiled beside the other edition's, with the standard library they share.
    wheels = [url for url in page.requests.urls if url.endswith(".whl")]
    assert len(wheels) == 1 and "/assets/pyc/" in wheels[0] and wheels[0].endswith(f"+{edition}-py3-none-any.whl"), wheels
    assert_local_and_clean(page, two_editions_server)


def test_a_2022_share_link_opens_the_2022_verdict_and_offers_the_2023_one(page, server, two_editions_server):
    # A link made on today's site, where 2022 is the current edition.
    answer_birth_date(page, f"{server.url}checker/?programme=major#{share_fragment(without_birth_date(), 'major')}")
    settle(page, "major", "eligible")
    page.locator('[data-action="share"]').click()
    made = page.locator("#ck-share-link").input_value()
    assert "edition=2022" in made
    # Opened once 2023 is published: the root's checker hands it to the 2022 one.
    link = made.replace(server.url, two_editions_server.url)
    page.goto(link)
    page.locator('.ck-programme[data-programme="major"][data-verdict="eligible"]').wait_for(timeout=READY_TIMEOUT)
    assert urlsplit(page.url).path == "/guide/2022/checker/" and urlsplit(page.url).fragment == urlsplit(made).fragment
    assert page.locator(".ck-edition-note").count() == 0
    # It offers the same answers under the current rules, with what changed for this applicant.
    offer = page.locator(".ck-newer a")
    assert offer.inner_text() == "用同样的回答按 2023 年度规则检查 →"
    offer.click()
    page.locator('.ck-programme[data-programme="major"][data-verdict="ineligible"]').wait_for(timeout=READY_TIMEOUT)
    assert urlsplit(page.url).path == "/guide/checker/"
    note = page.locator(".ck-edition-note")
    assert "这些回答来自 2022 年度指南，本页按 2023 年度规则检查。" in note.inner_text()
    assert note.locator("li").all_inner_texts() == [
        "“项目负责人 1962 年 1 月 1 日以后出生（六十周岁以下）”改为“项目负责人 1963 年 1 月 1 日以后出生（六十周岁以下）” 申报须知 一、（四）"]
    # And back to the 2022 result.
    note.locator("a.ck-edition-old").click()
    page.locator('.ck-programme[data-programme="major"][data-verdict="eligible"]').wait_for(timeout=READY_TIMEOUT)
    assert urlsplit(page.url).path == "/guide/2022/checker/"
    assert [url for url in page.requests.outside(two_editions_server.origin) if not url.startswith(server.origin + "/")] == []
    assert page.js_errors == []


def test_a_link_from_before_links_named_their_edition_opens_the_first_edition(page, two_editions_server):
    page.goto(f"{two_editions_server.url}en/checker/?programme=major#{share_fragment(with_birth_date(), 'major')}")
    page.locator('.ck-programme[data-programme="major"][data-verdict="eligible"]').wait_for(timeout=READY_TIMEOUT)
    assert urlsplit(page.url).path == "/guide/en/2022/checker/"
    assert_local_and_clean(page, two_editions_server)


def test_answers_saved_under_2022_are_kept_and_checked_under_2023_with_what_changed_for_them(page, two_editions_server):
    answer_birth_date(page, f"{two_editions_server.url}en/2022/checker/?programme=major#edition=2022&{share_fragment(without_birth_date(), 'major')}")
    settle(page, "major", "eligible")
    # Back another day, to the current call: the answers are there, judged by its rules.
    page.goto(f"{two_editions_server.url}en/checker/?programme=major")
    page.locator('.ck-programme[data-programme="major"][data-verdict="ineligible"]').wait_for(timeout=READY_TIMEOUT)
    open_checker(page, page.url)
    assert field(page, "leader.birth_date").locator("input").input_value() == BORN
    note = page.locator(".ck-edition-note")
    assert "These answers were given under the 2022 guide; this page checks them against the 2023 rules." in note.inner_text()
    assert note.locator("li").all_inner_texts() == [
        "“The project leader was born on or after 1 January 1962 (aged 60 or under)” became "
        "“The project leader was born on or after 1 January 1963 (aged 60 or under)” Application notice I. (IV)"]
    assert_local_and_clean(page, two_editions_server)


def test_no_serious_or_critical_violation_on_an_older_edition_the_what_changed_page_and_the_note(browser, two_editions_server):
    from test_accessibility import AXE, describe, violations

    context = browser.new_context(service_workers="block")
    context.route(two_editions_server.url + "__axe.js", lambda route: route.fulfill(
        status=200, content_type="text/javascript", body=AXE.read_bytes()))
    page = context.new_page()
    report = {}
    for path in ("changes/", "en/changes/", "2022/notice/", "en/2022/programmes/major/"):
        page.goto(two_editions_server.url + path)
        report[path] = violations(page, two_editions_server)
    page.goto(f"{two_editions_server.url}checker/?programme=major#edition=2023&from=2022&{share_fragment(with_birth_date(), 'major')}")
    page.wait_for_selector(".ck-edition-note li")
    report["checker/ (answers from 2022)"] = violations(page, two_editions_server)
    context.close()
    bad = {name: describe(found) for name, found in report.items() if found}
    assert not bad, "\n\n".join(f"{name}:\n{text}" for name, text in bad.items())
