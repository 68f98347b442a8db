"""compile_rules: strict validation, one BuildError per kind of mistake, and the generated data."""

import pathlib
import re
import shutil

import pytest
import yaml

from conftest import GUIDE_DIR, RULES_DIR, collect_clauses
from sitegen.errors import BuildError
from sitegen.rules import FACT_KEYS, compile_rules


@pytest.fixture()
def rules_copy(tmp_path):
    """A throwaway copy of rules/2022 to break."""
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    return target


def edit(path, old, new):
    """Replace one exact snippet in a YAML file (it must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def compile_error(rules_dir):
    with pytest.raises(BuildError) as info:
        compile_rules(rules_dir, collect_clauses())
    return info.value


def test_a_rule_citing_a_clause_that_does_not_exist_is_an_error(rules_copy):
    edit(rules_copy / "major.yaml", "clause: major#req-3", "clause: major#req-9")
    err = compile_error(rules_copy)
    assert err.file.endswith("major.yaml") and "req-9" in err.message and err.path.endswith(".clause")


def test_a_rule_reading_an_unknown_profile_field_is_an_error(rules_copy):
    edit(rules_copy / "major.yaml", "field: project.subtopics,", "field: project.subtopic_count,")
    err = compile_error(rules_copy)
    assert "unknown profile field 'project.subtopic_count'" in err.message and "condition" in err.path


def test_a_programme_without_rules_is_an_error(rules_copy):
    path = rules_copy / "soft_science.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["rules"] = []
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    err = compile_error(rules_copy)
    assert err.file.endswith("soft_science.yaml") and err.path == "rules" and "at least one rule" in err.message


def test_a_label_missing_its_english_is_an_error(rules_copy):
    edit(rules_copy / "talent.yaml", ", en: The host unit is an enterprise or public institution registered in Karamay with independent legal-person status}", "}")
    err = compile_error(rules_copy)
    assert err.path == "rules[0].label.en" and err.message == "missing"


def test_a_value_of_the_wrong_type_is_an_error(rules_copy):
    edit(rules_copy / "parameters.yaml", "value: {min: 50, max: 200}", "value: {min: fifty, max: 200}")
    err = compile_error(rules_copy)
    assert err.path == "key_rd_funding.value" and "not a valid money_range value" in err.message


def test_an_unknown_key_is_an_error(rules_copy):
    edit(rules_copy / "tech_innovation.yaml", "    fact: leader_title_degree\n", "    fact: leader_title_degree\n    severity: high\n")
    err = compile_error(rules_copy)
    assert err.path == "rules[1].severity" and err.message.startswith("unknown key (allowed: clause, condition,")


def test_a_duplicate_yaml_key_is_an_error(rules_copy):
    edit(rules_copy / "major.yaml", "order: 1\n", "order: 1\norder: 2\n")
    err = compile_error(rules_copy)
    assert "duplicate key" in err.message


def test_an_enum_value_that_is_not_an_option_is_an_error(rules_copy):
    edit(rules_copy / "parameters.yaml", "value: [associate_senior, senior]", "value: [associate_senior, professor]")
    err = compile_error(rules_copy)
    assert "'professor' is not an option of leader.title" in err.message


def test_the_compiled_rules_keep_the_contract_keys(compiled):
    assert compiled["edition"] == "2022"
    assert compiled["programme_order"] == ["major", "key_rd", "tech_innovation", "talent", "soft_science"]
    assert set(compiled["forms"]) == {"pre_funding", "post_subsidy"}
    titles = {pid: p["title"]["en"] for pid, p in compiled["programmes"].items()}
    assert titles["major"] == "Major S&T Special Project" and titles["soft_science"] == "Soft Science Research Project"
    for pid, prog in compiled["programmes"].items():
        assert set(prog["facts"]) == set(FACT_KEYS)
        assert {"min", "max", "param", "clause", "form", "label"} <= set(prog["funding"])
        assert prog["checklist"] and all(set(i) == {"rule", "clause", "label", "kind"} for i in prog["checklist"])
        assert all({"clause", "label", "reason"} == set(u) for u in prog["unmodelled"])
    assert compiled["programmes"]["major"]["funding"]["label"] == {"zh": "200–1000 万元 · 事前资助", "en": "CNY 2–10 million · pre-funding"}
    assert compiled["programmes"]["tech_innovation"]["funding"]["form"] == {"enterprise": "post_subsidy", "institution": "pre_funding"}
    assert compiled["programmes"]["major"]["facts"]["self_funding_ratio"]["zh"] == "自筹资金占总投资 80% 以上"
    assert compiled["programmes"]["key_rd"]["facts"]["self_funding_ratio"]["zh"] == "自筹资金占总投资 70% 以上"
    assert compiled["programmes"]["talent"]["facts"]["high_tech"]["clause"] is None


def test_every_profile_field_is_labelled_and_used(compiled):
    for field in compiled["fields"]:
        assert field["label"]["zh"] and field["label"]["en"]
        # A question without help is one whose label and clause say it all (no help repeats a clause number).
        assert "help" not in field or (field["help"]["zh"] and field["help"]["en"]), field["path"]
        # The question carries its clause link: a help that only names a clause ("申报限制（一）。") says nothing more.
        assert not re.fullmatch(r"[^，。；]{0,8}（[一二三四五六七八九十]+）。", field.get("help", {}).get("zh", "")), field["path"]
        assert field["programmes"], f"{field['path']} is read by no rule"
    paths = {f["path"] for f in compiled["fields"]}
    assert {"unit.kind", "leader.birth_date", "project.achievements", "integrity_commitment"} <= paths


def test_every_quote_is_verbatim_from_the_source_text(compiled):
    """Catala habit: the clause text beside its rule, and it must be the official text."""
    source = re.sub(r"\s+", "", (GUIDE_DIR / "source.txt").read_text(encoding="utf-8"))
    quotes = [r["quote"] for p in compiled["programmes"].values() for r in p["rules"] if "quote" in r]
    assert len(quotes) > 30
    for quote in quotes:
        assert re.sub(r"\s+", "", quote) in source, quote


def test_every_rule_clause_and_unmodelled_clause_exists_in_the_guide(compiled):
    clauses = collect_clauses()
    cited = set(compiled["checked_clauses"]) | {u["clause"] for p in compiled["programmes"].values() for u in p["unmodelled"]}
    for ref in cited:
        page, anchor = ref.split("#")
        assert anchor in clauses[page], ref


def test_every_requirement_clause_is_a_rule_or_unmodelled(compiled):
    """Done when: every condition in the seed is either a rule or listed as unmodelled."""
    clauses = collect_clauses()
    covered = set(compiled["checked_clauses"]) | {u["clause"] for p in compiled["programmes"].values() for u in p["unmodelled"]}
    wanted = {f"{page}#{a}" for page, anchors in clauses.items() for a in anchors
              if re.fullmatch(r"(basic-[1-7]|restrict-[1-4]|require-[12]|req-\d+|funding-text)", a)}
    assert not wanted - covered, sorted(wanted - covered)
