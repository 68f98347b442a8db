"""Editions: the next call is made from the last one by a command, checked for half-done edits, and
published beside it. Every edition stays on the site, complete, and each says what changed since the one
before. The made-up 2023 edition (tests/editions/2023.yaml) is built beside the real 2022 one into a
temporary folder; it is never published.
"""

import json
import re
import shutil
import subprocess
import sys
import zipfile
from urllib.parse import urljoin

import pytest

import build
from edition_fixture import apply, edits, make_sources
from sitegen.changes import word_diff
from sitegen.errors import BuildError
from sitehtml import broken_links, html_pages, parse
from support import ROOT

EDITION_FILES = [edit for edit in edits() if edit["file"].endswith("edition.yaml")]
MOVED_THRESHOLD = [edit for edit in edits() if "1962" in edit["replace"]]


def page(site, rel):
    """The HTML of a built page, by its site path (`2022/notice/`)."""
    return (site / rel / "index.html").read_text(encoding="utf-8")


def link_target(rel, href):
    """The site path a page's link leads to."""
    return urljoin(f"https://host/{rel}", href).removeprefix("https://host/")


def check(tree):
    """gather_site on the sources in `tree`: (the Site, the warnings), or the BuildError's message."""
    try:
        return build.gather_site(tree / "guide_src", tree / "rules")
    except BuildError as exc:
        return exc.format()


# ------------------------------------------------------------------ the command and the checks


def test_the_command_makes_a_draft_edition_from_the_last_one_and_says_what_is_left(tmp_path):
    said = make_sources(tmp_path, edited=False)
    meta = (tmp_path / "guide_src" / "2023" / "edition.yaml").read_text(encoding="utf-8")
    assert 'edition: "2023"' in meta and "  status: draft" in meta and "2023年度克拉玛依市" in meta
    assert 'edition: "2023"' in (tmp_path / "rules" / "2023" / "common.yaml").read_text(encoding="utf-8")
    # Everything else is 2022's, to be edited: the official text, the values, the translations.
    assert (tmp_path / "guide_src" / "2023" / "source.txt").read_bytes() == (ROOT / "guide_src" / "2022" / "source.txt").read_bytes()
    assert (tmp_path / "rules" / "2023" / "parameters.yaml").read_bytes() == (ROOT / "rules" / "2022" / "parameters.yaml").read_bytes()
    for step in ("guide_src/2023/source.txt", "rules/2023/parameters.yaml", "needs translation", "status"):
        assert step in said, step
    site, warnings = check(tmp_path)
    assert (site.current.year, [e.year for e in site.editions if e.draft], warnings) == ("2022", ["2023"], [])


def test_the_command_refuses_an_edition_that_exists_or_is_not_a_year(tmp_path):
    make_sources(tmp_path, edited=False)
    for args, message in ((["2023"], "guide_src/2023: exists already"), (["next"], "the new edition is a year")):
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), "edition", *args, "--guide", str(tmp_path / "guide_src"),
                               "--rules", str(tmp_path / "rules")], capture_output=True, text=True, timeout=60, cwd=tmp_path)
        assert done.returncode == 1 and message in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_changing_a_parameter_without_its_quote_fails_the_build_naming_both(tmp_path):
    make_sources(tmp_path, edited=False)
    params = tmp_path / "rules" / "2023" / "parameters.yaml"
    params.write_text(params.read_text(encoding="utf-8").replace('value: "1962-01-01"', 'value: "1963-01-01"'), encoding="utf-8")
    assert check(tmp_path) == (
        'rules/2023/parameters.yaml: leader_born_on_or_after.quote: does not state the value 1963 年 1 月 1 日 '
        '(value: "1963-01-01"); quote: 六十周岁以下（1962 年 1 月 1 日以后出生）: change the value and its quote together')


def test_a_quote_that_the_editions_source_text_does_not_hold_fails_the_build(tmp_path):
    make_sources(tmp_path, edited=False)
    apply(tmp_path, [edit for edit in MOVED_THRESHOLD if edit["file"].startswith("rules/")])
    assert check(tmp_path) == ("rules/2023/parameters.yaml: leader_born_on_or_after.quote: not in guide_src/2023/source.txt: "
                               "六十周岁以下（1963 年 1 月 1 日以后出生）")


def test_a_parameter_stated_in_the_guide_needs_its_quote(tmp_path):
    make_sources(tmp_path, edited=False)
    params = tmp_path / "rules" / "2023" / "parameters.yaml"
    params.write_text(params.read_text(encoding="utf-8").replace("  quote: 项目总投入不少于 3000 万元\n", ""), encoding="utf-8")
    assert check(tmp_path).startswith("rules/2023/parameters.yaml: major_min_total_investment.quote: missing")


def test_changed_chinese_with_unchanged_english_is_a_warning_in_a_draft_and_an_error_once_published(tmp_path):
    make_sources(tmp_path, edited=False)
    # The threshold moves everywhere but in the clause's English.
    apply(tmp_path, [edit for edit in MOVED_THRESHOLD if "born on or after" not in edit["replace"]])
    site, warnings = check(tmp_path)
    assert warnings == ["warning: guide_src/2023/notice.yaml: sections[0].blocks[4].en: needs translation: "
                        "the Chinese changed since 2022, the English did not"]
    assert "英文译文待更新" in site.editions[-1].pages["zh/2023/changes.md"]
    apply(tmp_path, EDITION_FILES)
    assert check(tmp_path) == warnings[0].removeprefix("warning: ")


def test_a_site_of_drafts_only_is_refused(tmp_path):
    make_sources(tmp_path, edited=False)
    shutil.rmtree(tmp_path / "guide_src" / "2022")
    shutil.rmtree(tmp_path / "rules" / "2022")
    assert check(tmp_path).startswith("guide_src/2023/edition.yaml: call.status: every edition is a draft")


def test_a_clauses_word_level_diff_keeps_the_words_both_texts_share():
    assert word_diff("六十周岁以下（1962 年 1 月 1 日以后出生）", "六十周岁以下（1963 年 1 月 1 日以后出生）") == [
        ("same", "六十周岁以下（"), ("old", "1962"), ("new", "1963"), ("same", " 年 1 月 1 日以后出生）")]


# ------------------------------------------------------------------ a draft is never served as current


@pytest.fixture(scope="module")
def draft_site(tmp_path_factory):
    """The fixture edition, all edited but still a draft, built beside 2022."""
    tree = tmp_path_factory.mktemp("draft")
    make_sources(tree, edited=False)
    apply(tree, [edit for edit in edits() if edit not in EDITION_FILES])
    build.build_site(tree / "guide_src", tree / "rules", tree / "site", cli_rules=None)
    return tree / "site"


def test_a_draft_is_built_under_its_year_and_the_2022_pages_stay_where_they_are(draft_site, site_dir):
    for lang in ("zh", "en"):
        root = {rel for rel in html_pages(draft_site, lang) if not rel.startswith("2023/")}
        assert root == set(html_pages(site_dir, lang)), "the 2022 edition's pages moved"
        assert {rel for rel in html_pages(draft_site, lang) if rel.startswith("2023/")} == {f"2023/{rel}" for rel in root} | {"2023/changes/"}
    assert "<title>首页 - 克拉玛依市科技计划项目申报指南</title>" in page(draft_site, "")
    assert "2022年度克拉玛依市科技计划储备项目申报指南" in page(draft_site, "")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_of_a_draft_says_it_is_one_and_leads_to_the_current_call(draft_site, lang):
    banner = {"zh": "草稿：2023 年度指南尚未发布", "en": "Draft: the 2023 guide has not been published"}[lang]
    for rel, path in html_pages(draft_site, lang).items():
        html = path.read_text(encoding="utf-8")
        assert (banner in html) == rel.startswith("2023/"), rel
        assert 'class="edition-newer"' not in html, rel
    notice = page(draft_site, ("en/" if lang == "en" else "") + "2023/notice/")
    current = re.search(r'class="edition-draft">[^<]*<a href="([^"]+)"', notice).group(1)
    assert link_target(("en/" if lang == "en" else "") + "2023/notice/", current) == ("en/" if lang == "en" else "") + "notice/"


# ------------------------------------------------------------------ two published editions


def test_once_published_the_root_shows_2023_and_every_2022_page_stays_under_its_year(two_editions, site_dir):
    assert "2023年度克拉玛依市科技计划储备项目申报指南" in page(two_editions, "")
    assert "2023 年 3 月 31 日" in page(two_editions, "")
    for lang in ("zh", "en"):
        ours = set(html_pages(site_dir, lang))
        assert {rel.removeprefix("2022/") for rel in html_pages(two_editions, lang) if rel.startswith("2022/")} == ours
        assert {rel for rel in html_pages(two_editions, lang) if not rel.startswith("2022/")} == ours | {"changes/"}
    assert "2022年度克拉玛依市科技计划储备项目申报指南" in page(two_editions, "2022/")
    assert "1962 年 1 月 1 日以后出生" in page(two_editions, "2022/notice/")
    assert "1963 年 1 月 1 日以后出生" in page(two_editions, "notice/")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_2022_page_says_a_newer_call_exists_and_links_to_the_same_page_there(two_editions, lang):
    folder = "en/" if lang == "en" else ""
    for rel, path in html_pages(two_editions, lang).items():
        html = path.read_text(encoding="utf-8")
        newer = re.search(r'<p class="edition-newer">([^<]*)<a href="([^"]+)"', html)
        if not rel.startswith("2022/"):
            assert newer is None, rel
            continue
        assert newer and "2023" in newer.group(1), rel
        assert link_target(folder + rel, newer.group(2)) == folder + rel.removeprefix("2022/"), rel


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_header_switches_between_editions_to_the_same_page(two_editions, lang):
    folder = "en/" if lang == "en" else ""
    for rel in ("", "notice/", "programmes/major/", "checker/", "changes/"):
        for here in (rel, "2022/" + rel):
            if here == "2022/changes/":
                continue  # 2022 is the first edition: nothing changed before it
            links = dict(re.findall(r'<a href="([^"]+)" class="md-select__link" data-edition="(\d{4})"', page(two_editions, folder + here)))
            targets = {edition: link_target(folder + here, href) for href, edition in links.items()}
            assert targets == {"2023": folder + rel, "2022": folder + ("2022/" if rel == "changes/" else "2022/" + rel)}, here


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_link_of_both_editions_resolves(two_editions, lang):
    problems = broken_links(two_editions, lang)
    assert not problems, "\n".join(problems[:20])


def test_the_what_changed_page_lists_the_changes_in_both_languages(two_editions):
    zh, en = page(two_editions, "changes/"), page(two_editions, "en/changes/")
    # The moved threshold, old -> new, with its clause.
    row = re.search(r'<tr id="param-leader-born-on-or-after">(.*?)</tr>', zh).group(1)
    assert "项目负责人出生日期下限" in row and "1962 年 1 月 1 日" in row and "1963 年 1 月 1 日" in row and "notice/#basic-4" in row
    row = re.search(r'<tr id="param-leader-born-on-or-after">(.*?)</tr>', en).group(1)
    assert "Earliest date of birth of the project leader" in row and "1 January 1962" in row and "1 January 1963" in row
    # The funding range, the new condition, the removed direction.
    assert re.search(r'id="funding-key-rd">.*?50–200 万元.*?50–300 万元', zh)
    assert re.search(r'id="funding-key-rd">.*?CNY 0.5–2 million.*?CNY 0.5–3 million', en)
    assert re.search(r'id="rule-tech-innovation-enterprise-high-tech"><span class="change-status change-added">新增</span> 申报单位为企业的，是国家高新技术企业', zh)
    assert "An applicant enterprise is a national high-tech enterprise" in en
    assert re.search(r'<span class="change-status change-removed">删除</span> 技术创新引导计划：<a href="\.\./2022/programmes/tech_innovation/#direction-4">（四）石油石化领域', zh)
    assert re.search(r'change-removed">Removed</span> Technology Innovation Guidance Programme: <a href="\.\./\.\./en/2022/programmes/tech_innovation/#direction-4">\(IV\) Field of petroleum', en)
    # The changed clauses: a word-level diff of the Chinese, with the English.
    clause = re.search(r'<div class="change-clause" id="clause-notice-basic-4">(.*?)</div>', zh, re.S).group(1)
    assert re.search(r"<del>.*?1962.*?</del><ins>.*?1963.*?</ins>", clause) and "born on or after 1 January 1963" in clause
    clause = re.search(r'<div class="change-clause" id="clause-tech-innovation-req-4">(.*?)</div>', en, re.S).group(1)
    assert re.search(r"<ins>.*?及有关规定.*?</ins>", clause) and "and the related provisions" in clause
    assert "needs translation" not in en and "英文译文待更新" not in zh
    # Linked from the home page and each programme page.
    for rel in ("", "en/"):
        assert any(link_target(rel, href) == rel + "changes/" for href in parse(two_editions / rel / "index.html").links)
    for programme in ("major", "key_rd", "tech_innovation", "talent", "soft_science"):
        hrefs = [href for href in parse(two_editions / "programmes" / programme / "index.html").links if "changes/" in href]
        assert hrefs, programme
    assert any(href.endswith("changes/#changes-tech-innovation") for href in parse(two_editions / "programmes" / "tech_innovation" / "index.html").links)


def _wheel_rules(site, checker_page):
    """The edition and the leader's age threshold in the rules of the wheel a checker page names."""
    wheel = re.search(r'data-wheel="([^"]+)"', page(site, checker_page)).group(1)
    with zipfile.ZipFile(site / link_target(checker_page, wheel)) as archive:
        rules = json.loads(archive.read("checker_py/_data/rules.json"))
    return rules["edition"], rules["params"]["leader_born_on_or_after"]["value"]


def test_each_editions_checker_and_batch_page_carry_that_editions_rules_and_templates(two_editions):
    assert _wheel_rules(two_editions, "checker/") == ("2023", "1963-01-01")
    assert _wheel_rules(two_editions, "2022/checker/") == ("2022", "1962-01-01")
    assert _wheel_rules(two_editions, "en/2022/checker/") == ("2022", "1962-01-01")
    for rel, edition in (("batch/", "2023"), ("2022/batch/", "2022"), ("en/2022/batch/", "2022")):
        html = page(two_editions, rel)
        templates = [link_target(rel, href) for href in re.findall(r'href="([^"]+\.xlsx)"', html)]
        assert templates and all(f"screening-template-{edition}." in t and (two_editions / t).is_file() for t in templates), rel
        wheel = re.search(r'data-wheels="(\S+)', html).group(1)
        assert wheel == re.search(r'data-wheel="([^"]+)"', page(two_editions, rel.replace("batch", "checker"))).group(1)
    # One byte-compiled standard library serves both editions' byte-compiled wheels.
    (folder,) = (two_editions / "assets" / "pyc").iterdir()
    assert sorted(p.name for p in folder.iterdir()) == ["checker_py-0.0.0+2022-py3-none-any.whl",
                                                        "checker_py-0.0.0+2023-py3-none-any.whl", "python_stdlib.zip"]


def test_each_edition_searches_its_own_clauses(two_editions):
    config = json.loads((two_editions / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]
    assert config["entries"] == {"zh": "search/search_index.zh.json", "en": "search/search_index.en.json",
                                 "2022.zh": "search/search_index.2022.zh.json", "2022.en": "search/search_index.2022.en.json"}
    for key, inside in (("2022.zh", r"2022/"), ("2022.en", r"en/2022/"), ("zh", r"(?!2022/|en/)")):
        docs = json.loads((two_editions / config["entries"][key]).read_text(encoding="utf-8"))["docs"]
        assert all(re.match(inside, doc["location"]) for doc in docs), key
        assert any("1962" in doc["text"] for doc in docs) == key.startswith("2022"), key
    worker = re.search(r'"search": "([^"]+)"', page(two_editions, "2022/notice/")).group(1).replace("\\u0026", "&")
    assert worker.endswith("assets/search.js?lang=zh&edition=2022"), worker


def test_the_service_worker_keeps_both_editions_and_the_cli_keeps_the_repositorys_rules(two_editions):
    sw = (two_editions / "sw.js").read_text(encoding="utf-8")
    manifest = json.loads(re.search(r"const MANIFEST = (\{.*?\});", sw, re.S).group(1))
    for path in ("", "2022/", "en/2022/checker/", "2022/changes/" , "changes/"):
        assert (path in manifest) == (path != "2022/changes/"), path
    wheels = [path for path in manifest if path.startswith("assets/checker/wheels/")]
    assert len(wheels) == 2
    rules = json.loads((ROOT / "checker_py" / "_data" / "rules.json").read_text(encoding="utf-8"))
    assert rules["edition"] == "2022", "a build of other sources wrote the command line's rules"


def test_the_pages_editions_add_are_valid_html(two_editions):
    from test_html import is_material, run_vnu, describe

    files = [two_editions / rel / "index.html" for rel in ("", "changes", "en/changes", "2022/notice", "en/2022/checker")]
    ours = [describe(message) for message in run_vnu(files) if not is_material(message)]
    assert not ours, "\n".join(ours)
