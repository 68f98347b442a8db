"""The edition says when it was published and whether its call is open, on every page, in both languages."""

import copy

import pytest

from sitegen.errors import BuildError
from sitegen.guide import call_notice
from sitehtml import html_pages


def open_call(guide, deadline="2027-03-31", notice=None):
    """The edition's metadata as a future edition with an open call would have it."""
    meta = copy.deepcopy(guide["meta"])
    meta["call"]["status"] = "open"
    meta["call"]["deadline"] = deadline
    meta["call"]["notice"] = notice or {
        "zh": "{edition} 年度申报正在进行，截止日期：{deadline}。",
        "en": "The {edition} call is open until {deadline}.",
    }
    return meta


def test_the_2022_edition_was_published_in_october_2021_and_its_call_is_closed(guide):
    call = guide["meta"]["call"]
    assert (call["published"], call["status"], call.get("deadline")) == ("2021-10", "closed", None)
    assert guide["meta"]["issued"] == {"zh": "2021 年 10 月", "en": "October 2021"}


def test_the_notice_names_the_edition_its_date_and_the_bureau_in_both_languages(guide):
    notice = guide["meta"]["call_notice"]
    assert "2022" in notice["zh"] and "2021 年 10 月" in notice["zh"] and "克拉玛依市科学技术局" in notice["zh"]
    assert "2022" in notice["en"] and "October 2021" in notice["en"] and "Karamay Science and Technology Bureau" in notice["en"]
    assert "已结束" in notice["zh"] and "closed" in notice["en"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_shows_the_edition_notice_in_its_language(site_dir, guide, lang):
    expected = guide["meta"]["call_notice"][lang].replace("&", "&amp;").replace("'", "&#39;")
    missing = [rel for rel, path in html_pages(site_dir, lang).items()
               if f'<p class="call-notice">{expected}</p>' not in path.read_text(encoding="utf-8")]
    assert missing == []


def test_a_future_edition_with_an_open_call_shows_its_deadline(guide):
    notice = call_notice(open_call(guide), "edition.yaml")
    assert notice == {"zh": "2022 年度申报正在进行，截止日期：2027 年 3 月 31 日。",
                      "en": "The 2022 call is open until 31 March 2027."}


def test_an_open_call_without_a_deadline_is_refused(guide):
    meta = open_call(guide)
    del meta["call"]["deadline"]
    with pytest.raises(BuildError) as info:
        call_notice(meta, "guide_src/2023/edition.yaml")
    assert info.value.format().startswith("guide_src/2023/edition.yaml: call.deadline: missing")


def test_an_open_call_whose_notice_hides_the_deadline_is_refused(guide):
    meta = open_call(guide, notice={"zh": "申报进行中。", "en": "The call is open until {deadline}."})
    with pytest.raises(BuildError) as info:
        call_notice(meta, "edition.yaml")
    assert "call.notice.zh" in info.value.format()


def test_a_closed_call_with_a_deadline_or_an_unknown_placeholder_is_refused(guide):
    meta = copy.deepcopy(guide["meta"])
    meta["call"]["deadline"] = "2021-11-30"
    with pytest.raises(BuildError, match="call.deadline"):
        call_notice(meta, "edition.yaml")
    meta = copy.deepcopy(guide["meta"])
    meta["call"]["notice"]["en"] = "See {website}."
    with pytest.raises(BuildError, match=r"call.notice.en: unknown placeholder \{website\}"):
        call_notice(meta, "edition.yaml")


def test_the_about_page_states_the_call_status(site_dir):
    assert "<dt>申报状态</dt><dd>已结束</dd>" in (site_dir / "about" / "index.html").read_text(encoding="utf-8")
    assert "<dt>Call status</dt><dd>Closed</dd>" in (site_dir / "en" / "about" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_home_page_table_of_contents_has_no_second_contents_entry(site_dir, guide, lang):
    home = site_dir / ("en/index.html" if lang == "en" else "index.html")
    html = home.read_text(encoding="utf-8")
    heading = guide["meta"]["contents_heading"][lang]
    assert f'<h2 id="contents">{heading}</h2>' in html, "the guide's own contents heading is still on the page"
    assert 'href="#contents"' not in html, "the contents heading is listed in the table of contents"
