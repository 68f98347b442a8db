"""Run the OpenFisca-style YAML cases in cases/: each a full-sentence name, an input and expectations."""

import copy
import pathlib

import pytest
import yaml

from checker_py import evaluate, summarise

HERE = pathlib.Path(__file__).parent
PROFILES = yaml.safe_load((HERE / "profiles.yaml").read_text(encoding="utf-8"))
CASE_KEYS = {"name", "programme", "base", "input", "output", "lang"}
OUTPUT_KEYS = {"verdict", "rules", "notes", "messages", "funding", "missing", "notes_messages"}


def merge(base, patch):
    """Deep-merge `patch` into a copy of `base`; None deletes, lists replace."""
    out = copy.deepcopy(base)
    for key, value in (patch or {}).items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def load_cases():
    """Every case of every cases/*.yaml, as (file, case) pairs."""
    cases = []
    for path in sorted((HERE / "cases").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            assert set(case) <= CASE_KEYS, f"{path.name}: {case.get('name')}: unknown keys {set(case) - CASE_KEYS}"
            assert set(case["output"]) <= OUTPUT_KEYS, f"{path.name}: {case['name']}: unknown output keys"
            cases.append((path.name, case))
    return cases


CASES = load_cases()


def profile_of(case):
    """The case's full input profile."""
    base = PROFILES[case["base"]] if case.get("base") else {}
    return merge(base, case.get("input"))


def run(case):
    """Evaluate a case; returns the programme's result."""
    result = evaluate(profile_of(case), case["programme"], case.get("lang", "zh"))
    return result["results"][case["programme"]]


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[c["name"] for _, c in CASES])
def test_case(case):
    """The result matches every expectation the case states."""
    res = run(case)
    out = case["output"]
    statuses = {r["id"]: r["status"] for r in res["rules"]}
    messages = {r["id"]: r["message"] for r in res["rules"]}
    if "verdict" in out:
        assert res["verdict"] == out["verdict"], res["rules"]
    for rule_id, status in (out.get("rules") or {}).items():
        assert statuses.get(rule_id) == status, messages.get(rule_id)
    for rule_id, status in (out.get("notes") or {}).items():
        assert {n["id"]: n["status"] for n in res["notes"]}.get(rule_id) == status
    for rule_id, text in (out.get("messages") or {}).items():
        assert messages[rule_id] == text
    for key, value in (out.get("funding") or {}).items():
        assert res["funding"][key] == value, key
    if "missing" in out:
        assert res["missing"] == out["missing"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_brief_result_of_every_case_says_what_the_full_result_says(lang):
    """summarise (what a screening report shows) gives every case's verdicts, requests, reasons and missing
    answers as evaluate does, for all programmes and for the one a case names."""
    for _, case in CASES:
        profile = profile_of(case)
        full = evaluate(profile, lang=lang)["results"]
        brief = summarise(profile, lang=lang)
        assert list(brief) == list(full)
        for pid, res in full.items():
            funding = res["funding"]
            assert brief[pid] == {
                "verdict": res["verdict"], "verdict_text": res["verdict_text"],
                "max_request": funding["max_request"], "max_request_text": funding["max_request_text"],
                "request_range": funding["request_range"],
                "reasons": [r["message"] for r in res["rules"] if r["status"] in ("fail", "review")],
                "missing": res["missing"],
            }, (case["name"], pid)
        pid = case["programme"]
        assert summarise(profile, pid, lang) == {pid: brief[pid]}, case["name"]


def test_case_names_are_sentences():
    """OpenFisca habit: names are full sentences, and unique."""
    names = [c["name"] for _, c in CASES]
    assert len(names) == len(set(names))
    for name in names:
        assert name[0].isupper() and name.endswith("."), name


def test_every_rule_seen_passing_failing_and_unknown(compiled):
    """Across the cases, every rule (common ones in any programme) passes, fails (or goes to review) and is unknown.

    A rule that reads only the applicant's choice (the request) is never unknown: without a request the
    programme is judged at its most favourable one. It is seen passing and failing.
    """
    choice = next(f["path"] for f in compiled["fields"] if f.get("applicant_choice"))
    seen = {}
    for _, case in CASES:
        res = run(case)
        for entry in res["rules"] + res["notes"]:
            status = "fail" if entry["status"] == "review" else entry["status"]
            seen.setdefault(entry["id"], set()).add(status)
    gaps = []
    for pid, prog in compiled["programmes"].items():
        for rule in prog["rules"]:
            got = seen.get(rule["id"], set())
            wanted = {"pass", "fail"} if rule["condition"].get("field") == choice else {"pass", "fail", "unknown"}
            if not wanted <= got:
                gaps.append(f"{pid}/{rule['id']}: {sorted(got)}")
    assert not gaps, "\n".join(gaps)


@pytest.mark.parametrize("lang, with_share, range_only", [
    ("zh", "满足资助额度和自筹比例的最大申请额", "资助额度内的最大申请额"),
    ("en", "Largest request within the funding range and the share of self-raised funds", "Largest request within the funding range"),
])
def test_the_largest_request_names_the_self_raised_share_only_for_a_programme_that_sets_one(lang, with_share, range_only):
    results = evaluate(PROFILES["major_eligible"], lang=lang)["results"]
    assert results["major"]["funding"]["max_request_label"] == with_share
    assert results["key_rd"]["funding"]["max_request_label"] == with_share
    assert results["talent"]["funding"]["max_request_label"] == range_only
    assert results["soft_science"]["funding"]["max_request_label"] == range_only
