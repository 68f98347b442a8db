"""The built site's shape: the expected pages, English twins, stable anchors, working links."""

import json

import pytest

from sitehtml import broken_links, html_pages, parse
from support import ROOT

EXPECTED_PAGES = {
    "",
    "notice/",
    "programmes/major/",
    "programmes/key_rd/",
    "programmes/tech_innovation/",
    "programmes/talent/",
    "programmes/soft_science/",
    "compare/",
    "checker/",
    "batch/",
    "procedure/",
    "glossary/",
    "about/",
}


def _anchor_ids(sections):
    for section in sections:
        yield section["id"]
        for block in section.get("blocks") or []:
            yield block["id"]
        yield from _anchor_ids(section.get("sections") or [])


def test_the_chinese_site_has_exactly_the_expected_pages(site_dir):
    assert set(html_pages(site_dir, "zh")) == EXPECTED_PAGES


def test_every_chinese_page_has_an_english_twin_and_back(site_dir):
    assert set(html_pages(site_dir, "en")) == set(html_pages(site_dir, "zh"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_clause_of_the_guide_has_its_stable_anchor(site_dir, guide, lang):
    pages = html_pages(site_dir, lang)
    for page_id, page in guide["pages"].items():
        url = "notice/" if page_id == "notice" else f"programmes/{page_id}/"
        ids = parse(pages[url]).ids
        expected = set(_anchor_ids(page["sections"]))
        assert expected <= ids, f"{lang} {url}: missing anchors {sorted(expected - ids)[:5]}"


def test_the_notice_clause_anchor_named_in_the_issue_exists(site_dir):
    assert "basic-4" in parse(site_dir / "notice" / "index.html").ids


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_internal_link_resolves_to_a_file_and_anchor(site_dir, lang):
    """Relative links only (any host, any sub-path); each target exists, and so does its #anchor."""
    problems = broken_links(site_dir, lang)
    assert not problems, "\n".join(problems[:20])


def test_clauses_are_named_as_the_guide_numbers_them(guide):
    from sitegen.guide import clause_labels

    labels = clause_labels(guide)
    assert labels["notice#basic-4"] == {"zh": "一、（四）", "en": "I. (IV)"}
    assert labels["major#req-5"] == {"zh": "三、（五）", "en": "III. (V)"}
    assert labels["talent#req-3"]["zh"] == "（三）3."
    # A clause without its own enumerator is named by its section.
    assert labels["major#positioning-text"]["zh"] == "一、基本定位"
    compiled = json.loads((ROOT / "checker_py" / "_data" / "rules.json").read_text(encoding="utf-8"))
    rule_clauses = {rule["clause"] for prog in compiled["programmes"].values() for rule in prog["rules"]}
    assert rule_clauses <= set(labels), sorted(rule_clauses - set(labels))


def test_materials_search_file_holds_only_its_config_and_each_language_has_an_entries_file_of_its_own(site_dir):
    material = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert material["docs"] == [] and material["config"]["separator"] and material["config"]["token"]
    assert set(material["config"]["entries"]) == {"zh", "en"}
    counts = {}
    for lang, rel in material["config"]["entries"].items():
        docs = json.loads((site_dir / rel).read_text(encoding="utf-8"))["docs"]
        assert docs and all(doc["lang"] == lang for doc in docs), rel
        counts[lang] = len(docs)
    # Every clause, heading and page is there in both languages.
    assert counts["zh"] == counts["en"] > 100
