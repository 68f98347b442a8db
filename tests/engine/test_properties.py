"""Hypothesis: random and malformed profiles never raise (beyond ProfileError), and verdicts obey precedence."""

import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from checker_py import ProfileError, evaluate, evaluate_json
from checker_py._api import dumps
from conftest import RULES_DIR, collect_clauses
from sitegen.rules import compile_rules

# Strategies are built at collection time, before the session fixture writes rules.json.
FIELDS = compile_rules(RULES_DIR, collect_clauses())["fields"]
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _value(field):
    """A valid value or null for one field definition."""
    kind = field["type"]
    if kind == "bool":
        base = st.booleans()
    elif kind == "enum":
        base = st.sampled_from([o["value"] for o in field["options"]])
    elif kind == "date":
        base = st.dates().map(lambda d: d.isoformat())
    elif kind == "int":
        base = st.integers(min_value=0, max_value=10)
    elif kind == "number":
        base = st.one_of(st.integers(min_value=0, max_value=20000),
                         st.floats(min_value=0, max_value=20000, allow_nan=False).map(lambda x: round(x, 2)))
    else:
        item = st.fixed_dictionaries({}, optional={f["path"]: _value(f) for f in field["item_fields"]})
        base = st.lists(item, max_size=3)
    return st.one_of(st.none(), base)


def _profiles():
    groups = {}
    for field in FIELDS:
        *group, name = field["path"].split(".")
        groups.setdefault(group[0] if group else None, {})[name] = _value(field)
    top = {name: strat for name, strat in groups.pop(None, {}).items()}
    for group, members in groups.items():
        top[group] = st.one_of(st.none(), st.fixed_dictionaries({}, optional=members))
    return st.fixed_dictionaries({}, optional=top)


def _check_precedence(result):
    for res in result["results"].values():
        statuses = {r["status"] for r in res["rules"]}
        assert statuses <= {"pass", "fail", "unknown", "review"}
        expected = ("ineligible" if "fail" in statuses else "incomplete" if "unknown" in statuses
                    else "review" if "review" in statuses else "eligible")
        assert res["verdict"] == expected
        assert all(r["message"] and r["clause"] for r in res["rules"])
        assert bool(res["missing"]) == ("unknown" in statuses or any(n["status"] == "unknown" for n in res["notes"]))


@SETTINGS
@given(_profiles(), st.sampled_from(["zh", "en"]))
def test_random_valid_profiles_evaluate_and_obey_verdict_precedence(profile, lang):
    result = evaluate(profile, None, lang)
    assert set(result["results"]) == {"major", "key_rd", "tech_innovation", "talent", "soft_science"}
    _check_precedence(result)
    # The browser path gives the same object, serialised.
    assert evaluate_json(json.dumps(profile), None, lang) == dumps(result)  # byte-for-byte parity


@SETTINGS
@given(_profiles(), st.sampled_from(["unit", "leader", "project", "restrictions", "integrity_commitment"]))
# A kind of unit the guide gives no funding form: the programme's one form still holds for it.
@example({"unit": {"kind": "other"}, "leader": {"has_unaccepted_city_project": True}}, "unit")
def test_more_information_never_unsettles_a_settled_rule(profile, dropped):
    """Monotonicity of the Kleene logic: a status known with less information stays the same with more.

    The request is a choice, not a fact: a rule decided at the request assumed when none is given
    (the most favourable one) may change once a request is given.
    """
    thinner = {k: v for k, v in profile.items() if k != dropped}
    before, after = evaluate(thinner, None, "en"), evaluate(profile, None, "en")
    assumed = (thinner.get("project") or {}).get("requested_funding") is None
    for pid, res in before["results"].items():
        for old, new in zip(res["rules"], after["results"][pid]["rules"]):
            if assumed and "project.requested_funding" in old["fields"]:
                continue
            if old["status"] != "unknown":
                assert new["status"] == old["status"], (pid, old, new)


_json = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12)),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.text(max_size=12), children, max_size=3)),
    max_leaves=12,
)
_keys = st.sampled_from(["unit", "leader", "project", "restrictions", "integrity_commitment", "unit.kind", "x"])


@SETTINGS
@given(st.one_of(_json, st.dictionaries(_keys, _json, max_size=4),
                 _profiles().flatmap(lambda p: st.fixed_dictionaries({"leader": st.dictionaries(st.sampled_from(
                     ["birth_date", "title", "gender", "bogus"]), _json, max_size=3)}).map(lambda extra: {**p, **extra}))))
def test_malformed_profiles_raise_only_profile_error(profile):
    try:
        result = evaluate(profile)
    except ProfileError as exc:
        assert exc.problems and isinstance(exc.field, str)
        assert all(p.zh and p.en and isinstance(p.field, str) for p in exc.problems)
    else:
        _check_precedence(result)


@SETTINGS
@given(st.text(max_size=60))
def test_evaluate_json_never_raises_on_any_text(text):
    out = json.loads(evaluate_json(text, None, "en"))
    assert "error" in out or "results" in out
