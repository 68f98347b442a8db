"""Named parameters: each threshold of the guide is defined once, and changing it changes everything."""

import json
import re
import shutil

import yaml

from checker_py import evaluate
from checker_py._edition import use_rules
from conftest import GUIDE_DIR, RULES_DIR, collect_clauses
from sitegen.rules import compile_rules, engine_data
from test_cases import PROFILES

# Operators that compare with a threshold take it from parameters.yaml, never as a literal.
THRESHOLD_OPERATORS = ("on_or_after", "at_least", "between", "self_funding_at_least")


def _conditions(node):
    """Every condition mapping inside a rules file's YAML."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _conditions(value)
    elif isinstance(node, list):
        for value in node:
            yield from _conditions(value)


def test_no_rule_writes_a_threshold_as_a_literal():
    for path in sorted(RULES_DIR.glob("*.yaml")):
        if path.name == "parameters.yaml":
            continue
        for node in _conditions(yaml.safe_load(path.read_text(encoding="utf-8"))):
            for op in THRESHOLD_OPERATORS:
                if op in node:
                    assert str(node[op]).startswith("$"), f"{path.name}: {op}: {node[op]} is not a parameter"
            if "range" in node:
                assert str(node["range"]).startswith("$"), path.name


def test_each_threshold_value_appears_once_in_the_rules():
    texts = {p.name: p.read_text(encoding="utf-8") for p in RULES_DIR.glob("*.yaml")}
    for value in ("1962-01-01", "1977-01-01", "1972-01-01", "2017-01-01", "2016-01-01", "2018-01-01"):
        places = [name for name, text in texts.items() for line in text.splitlines()
                  if value in line and not line.strip().startswith(("quote:", "#"))]
        assert places == ["parameters.yaml"], (value, places)


def test_changing_one_parameter_changes_the_verdict_the_messages_and_the_pages(tmp_path):
    from sitegen import render
    from sitegen.guide import load_edition

    rules = tmp_path / "rules" / "2022"
    shutil.copytree(RULES_DIR, rules)
    params = rules / "parameters.yaml"
    # The value and its quote, the clause's words, change together (the build refuses one without the other).
    params.write_text(params.read_text(encoding="utf-8").replace('value: "1962-01-01"', 'value: "1963-01-01"')
                      .replace("（1962 年 1 月 1 日以后出生）", "（1963 年 1 月 1 日以后出生）"), encoding="utf-8")
    profile = {**PROFILES["major_eligible"], "leader": {**PROFILES["major_eligible"]["leader"], "birth_date": "1962-06-01"}}
    assert evaluate(profile, "major")["results"]["major"]["verdict"] == "eligible"
    changed = compile_rules(rules, collect_clauses())
    try:
        use_rules(engine_data(changed))
        result = evaluate(profile, "major", "en")["results"]["major"]
        assert result["verdict"] == "ineligible"
        message = next(r["message"] for r in result["rules"] if r["id"] == "leader_age_limit")
        assert message == "The project leader's date of birth is 1 June 1962; born on or after 1 January 1963 is required"
    finally:
        use_rules(engine_data(compile_rules(RULES_DIR, collect_clauses())))
    pages = render.render_pages(load_edition(GUIDE_DIR.parent, "2022"), changed)
    assert "项目负责人 1963 年 1 月 1 日以后出生" in pages["zh/programmes/major.md"]
    assert "born on or after 1 January 1963" in pages["en/programmes/talent.md"]
    assert "1963 年 1 月 1 日" in pages["zh/compare.md"] and "1962 年 1 月 1 日以后出生（" not in pages["zh/compare.md"]


def test_a_rule_naming_an_unknown_parameter_is_an_error(tmp_path):
    import pytest

    from sitegen.errors import BuildError

    rules = tmp_path / "2022"
    shutil.copytree(RULES_DIR, rules)
    major = rules / "major.yaml"
    major.write_text(major.read_text(encoding="utf-8").replace("at_least: $major_min_subtopics", "at_least: $major_min_topics"),
                     encoding="utf-8")
    with pytest.raises(BuildError) as err:
        compile_rules(rules, collect_clauses())
    assert err.value.path.endswith("condition.at_least") and "unknown parameter '$major_min_topics'" in err.value.message


def test_english_rule_texts_never_show_a_bare_wan():
    compiled = compile_rules(RULES_DIR, collect_clauses())
    texts = [item["label"]["en"] for p in compiled["programmes"].values() for item in p["checklist"]]
    texts += [f[lang] for p in compiled["programmes"].values() for f in p["facts"].values() for lang in ("en",)]
    for case in ("major_eligible", "key_rd_eligible"):
        low = {**PROFILES[case], "project": {**PROFILES[case]["project"], "requested_funding": 1, "total_investment": 2}}
        for res in evaluate(low, None, "en")["results"].values():
            texts += [r["message"] for r in res["rules"]] + [res["funding"]["label"]]
    bare = [t for t in texts if re.search(r"\d\s?万(?!元)", t)]
    assert not bare, bare


def test_changing_an_option_list_a_title_list_and_a_funding_range_changes_every_wording_with_no_other_edit(tmp_path):
    """Option parameters print their words from the field's labels; ranges print from their values: a
    changed value reaches the checklists, the comparison page, the checker's messages and the report."""
    import io

    import openpyxl

    from checker_sheets.browser import report_bytes, screen_file
    from sitegen import render
    from sitegen.guide import load_edition

    rules = tmp_path / "rules" / "2022"
    shutil.copytree(RULES_DIR, rules)
    params = rules / "parameters.yaml"
    text = params.read_text(encoding="utf-8")
    for old, new in (("  field: unit.credit_rating\n  value: [A, B]", "  field: unit.credit_rating\n  value: [A]"),
                     ("  field: leader.title\n  value: [associate_senior, senior]\n", "  field: leader.title\n  value: [senior]\n"),
                     ("value: {min: 200, max: 1000}", "value: {min: 300, max: 900}"),
                     ("quote: 单项资助额度 200-1000 万元", "quote: 单项资助额度 300-900 万元")):  # a value and its quote change together
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    params.write_text(text, encoding="utf-8")
    changed = compile_rules(rules, collect_clauses())
    words = {"zh": ["A 级以上（含 A 级）", "正高级及以上", "300–900 万元"], "en": ["Grade A or above", "senior or higher", "CNY 3–9 million"]}

    pages = render.render_pages(load_edition(GUIDE_DIR.parent, "2022"), changed)
    for lang, expected in words.items():
        for word in expected:
            assert word in pages[f"{lang}/programmes/major.md"], (lang, word)  # the checklist
            assert word in pages[f"{lang}/compare.md"] or word.startswith(("A 级", "Grade A")), (lang, word)
        assert "B 级以上" not in pages["zh/programmes/major.md"] and "副高级及以上" not in pages["zh/compare.md"]

    profile = {**PROFILES["major_eligible"], "unit": {**PROFILES["major_eligible"]["unit"], "credit_rating": "B"},
               "leader": {**PROFILES["major_eligible"]["leader"], "title": "associate_senior"},
               "project": {**PROFILES["major_eligible"]["project"], "requested_funding": 950}}
    try:
        use_rules(engine_data(changed))
        for lang, expected in words.items():
            messages = " ".join(r["message"] for r in evaluate(profile, "major", lang)["results"]["major"]["rules"])
            assert all(word in messages for word in expected), (lang, messages)
        csv = "unit.credit_rating,leader.title,project.requested_funding,project.total_investment\nB,associate_senior,950,4000\n"
        assert "error" not in json.loads(screen_file(csv.encode("utf-8"), "rows.csv", "zh"))
        cells = " ".join(str(c.value) for ws in openpyxl.load_workbook(io.BytesIO(report_bytes())).worksheets
                         for row in ws.iter_rows() for c in row if c.value is not None)
        assert all(word in cells for word in words["zh"]), cells[:400]
    finally:
        use_rules(engine_data(compile_rules(RULES_DIR, collect_clauses())))


def test_no_rule_text_restates_an_option_or_range_threshold_in_words():
    """“B 级以上”, “副高级及以上”, a funding range: printed from their parameter, never typed in a rule's text."""
    compiled = compile_rules(RULES_DIR, collect_clauses())
    typed = [param["text"][lang] for param in compiled["params"].values() if param["type"] == "options" for lang in ("zh", "en")]
    for path in sorted(RULES_DIR.glob("*.yaml")):
        if path.name == "parameters.yaml":
            continue
        for node in _conditions(yaml.safe_load(path.read_text(encoding="utf-8"))):
            for key in ("label", "fail", "review"):
                for lang, text in (node.get(key) or {}).items() if isinstance(node.get(key), dict) else ():
                    for words in typed:
                        assert words not in text, (path.name, node.get("id"), words)
