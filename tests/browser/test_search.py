"""Search as a reader uses it: a word finds its clause among the first three results, in the page's language.

The queries and the clause each must find are in search_cases.yaml. Run this file as a script
(`python tests/browser/test_search.py`) to print the hit rate of the built site/.
"""

import sys
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from support import poll  # noqa: E402

TOP = 3
CASES = yaml.safe_load((HERE / "search_cases.yaml").read_text(encoding="utf-8"))
# Material's own words in the results' header when nothing matches, and once its worker is ready.
NO_RESULT = {"zh": "没有找到", "en": "No matching"}
READY = {"zh": "键入以开始搜索", "en": "Type to start searching"}


def clause_url(ref, lang):
    """Site path of 'major#req-6' (or of a page id alone) in a language: 'en/programmes/major/#req-6'."""
    page_id, _, anchor = ref.partition("#")
    path = "notice/" if page_id == "notice" else f"programmes/{page_id}/"
    return ("en/" if lang == "en" else "") + path + (f"#{anchor}" if anchor else "")


def all_cases():
    """Every case as (lang, query, accepted site paths)."""
    for lang in ("zh", "en"):
        for case in CASES[lang]:
            refs = case.get("any") or [case["find"]]
            yield lang, str(case["query"]), [clause_url(ref, lang) for ref in refs]


def results(page, base_url, lang, query, goto=True):
    """The result items shown for `query` on the language's home page (or the page already open, when
    not `goto`), each as its site paths (no ?h=)."""
    if goto:
        page.goto(base_url + ("en/" if lang == "en" else ""))
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")
    poll(page, f"""document.querySelector('.md-search-result__item') !== null
        || document.querySelector('.md-search-result__meta').textContent.includes({NO_RESULT[lang]!r})""", 15)
    return page.locator(".md-search-result__item").evaluate_all(
        """(items, base) => items.map(li => [...li.querySelectorAll('a')].map(a => {
             const url = new URL(a.href); url.search = ''; return url.href.slice(base.length);
           }))""",
        base_url,
    )


def found(items, accepted):
    """Whether one of the accepted clauses is among the first TOP result items."""
    return any(path in accepted for item in items[:TOP] for path in item)


@pytest.mark.parametrize("lang,query,accepted", list(all_cases()), ids=[f"{l}-{q}" for l, q, _ in all_cases()])
def test_a_query_finds_its_clause_among_the_first_three_results(page, server, lang, query, accepted):
    items = results(page, server.url, lang, query)
    assert found(items, accepted), f"{query!r} should find {accepted} in its first {TOP}: {items[:TOP]}"


@pytest.mark.parametrize("lang,query,words", [("zh", "高新技术企业", "国家高新技术企业"), ("en", "high-tech enterprise", "high-tech enterprise")])
def test_results_are_clauses_of_the_page_language_first_then_the_table_and_glossary(page, server, lang, query, words):
    items = results(page, server.url, lang, query)
    paths = [path for item in items for path in item]
    assert paths and all(path.startswith("en/") == (lang == "en") for path in paths), paths
    prefix = "en/" if lang == "en" else ""
    is_clause = [any(p.startswith((prefix + "notice/#", prefix + "programmes/")) and "#" in p for p in item) for item in items]
    is_other = [any(p.startswith((prefix + "compare/", prefix + "glossary/", prefix + "checker/")) for p in item) for item in items]
    assert any(is_other), "the comparison or glossary should still be found"
    assert max(i for i, c in enumerate(is_clause) if c) < min(i for i, o in enumerate(is_other) if o)
    # The first result shows the clause's own words, the query marked.
    excerpt = page.locator(".md-search-result__item").first.locator("article p").first
    assert words in excerpt.inner_text()
    assert excerpt.locator("mark").count() >= 1


@pytest.mark.parametrize("lang,other,query", [("zh", "en", "自筹资金"), ("en", "zh", "laboratory")])
def test_a_page_loads_without_the_search_entries_and_the_first_query_fetches_those_of_its_language(
        page, server, lang, other, query):
    prefix = "en/" if lang == "en" else ""
    page.goto(server.url + prefix + "programmes/major/")
    # Material fetched its index file and its worker answered (the empty query): search is ready.
    expect(page.locator(".md-search-result__meta")).to_have_text(READY[lang], timeout=15000)
    page.wait_for_load_state("networkidle")
    fetched = lambda name: [u for u in page.requests.urls if u.split("?")[0].endswith("search/" + name)]
    assert fetched("search_index.json")
    assert not fetched(f"search_index.{lang}.json") and not fetched(f"search_index.{other}.json")
    items = results(page, server.url, lang, query, goto=False)
    assert any(path.startswith(prefix + "programmes/major/#") for item in items[:TOP] for path in item), items[:TOP]
    assert len(fetched(f"search_index.{lang}.json")) == 1 and not fetched(f"search_index.{other}.json")
    assert page.js_errors == []


def test_a_result_page_marks_the_query_words_with_only_the_config_left_in_materials_index_file(page, server):
    page.goto(server.url + "programmes/major/?h=自筹资金")
    expect(page.locator("article mark").first).to_have_text("自筹资金", timeout=15000)


def test_the_search_test_set_covers_both_languages_and_every_kind_of_query():
    kinds = {lang: {case["kind"] for case in CASES[lang]} for lang in ("zh", "en")}
    assert len(list(all_cases())) >= 30
    assert {"compound", "number", "programme", "glossary"} <= kinds["zh"]
    assert {"phrase", "number", "programme", "glossary"} <= kinds["en"]


def main():
    """Print the hit rate of the built site/, per language and overall, and the misses."""
    from playwright.sync_api import sync_playwright

    from support import CHROMIUM, CHROMIUM_FLAGS, SITE, StaticServer

    srv = StaticServer(SITE)
    hits = {"zh": [0, 0], "en": [0, 0]}
    same_page = 0  # a looser measure: the clause's page (or its section) among the first three
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page()
            for lang, query, accepted in all_cases():
                items = results(page, srv.url, lang, query)
                ok = found(items, accepted)
                hits[lang][0] += ok
                hits[lang][1] += 1
                page_of = {a.split("#")[0] for a in accepted}
                same_page += any(path.split("#")[0] in page_of for item in items[:TOP] for path in item)
                if not ok:
                    print(f"miss {lang} {query!r}: wanted {accepted[0]}, got {[i[:2] for i in items[:TOP]]}")
            browser.close()
    finally:
        srv.close()
    for lang, (n, total) in hits.items():
        print(f"{lang}: {n}/{total}")
    n, total = sum(h[0] for h in hits.values()), sum(h[1] for h in hits.values())
    print(f"all: {n}/{total} = {n / total:.0%}; the clause's page among the first {TOP}: {same_page}/{total}")


if __name__ == "__main__":
    main()
