"""Next questions: only what can still change a verdict, most decisive first; and the trace behind it."""

import copy

import pytest

from checker_py import evaluate, next_questions
from test_cases import CASES, PROFILES, profile_of
from test_next_questions import follow


def test_a_complete_eligible_profile_has_nothing_left_to_ask():
    profile = copy.deepcopy(PROFILES["major_eligible"])
    assert next_questions(profile, "major") == ["project.self_funding"]  # its default could be overridden
    profile["project"]["self_funding"] = 3200
    assert next_questions(profile, "major") == []


def test_an_ineligible_programme_asks_nothing_more():
    profile = {"unit": {"kind": "other"}}
    assert evaluate(profile, "major")["results"]["major"]["verdict"] == "ineligible"
    assert next_questions(profile, "major") == []


def test_an_empty_profile_asks_only_what_the_programme_reads():
    asked = next_questions({}, "major")
    assert asked[0].startswith("unit.") and "unit.kind" in asked
    assert "leader.gender" not in asked and "leader.degree" not in asked  # only the talent and soft science rules read them
    low = {"leader": {"degree": "bachelor", "title": "junior"}}  # now only a woman's relaxed condition can pass
    assert "leader.gender" not in next_questions({}, "talent") and "leader.gender" in next_questions(low, "talent")


def test_skipped_questions_are_not_asked_again_and_stay_unknown():
    asked = next_questions({}, "key_rd", skipped=["unit.in_karamay"])
    assert "unit.in_karamay" not in asked and asked


def test_a_question_whose_every_answer_leaves_the_verdict_unchanged_is_not_asked():
    # A female leader with a bachelor's degree meets the talent leader rule whatever her title.
    profile = copy.deepcopy(PROFILES["talent_eligible"])
    profile["leader"].update({"gender": "female", "degree": "bachelor"})
    del profile["leader"]["title"]
    assert evaluate(profile, "talent")["results"]["talent"]["verdict"] == "eligible"
    assert next_questions(profile, "talent") == []


def test_the_institution_type_is_asked_only_where_it_decides():
    profile = copy.deepcopy(PROFILES["soft_science_eligible"])
    assert "unit.institution_type" not in next_questions(profile, "soft_science")
    profile["unit"].update({"in_karamay": False, "kind": "institution"})
    assert next_questions(profile, "soft_science")[0] == "unit.institution_type"


def test_a_year_alone_decides_the_age_limit_when_the_whole_year_is_on_one_side():
    profile = copy.deepcopy(PROFILES["major_eligible"])
    for year, status in (("1962", "pass"), ("1961", "fail"), ("1962-01", "pass")):
        profile["leader"]["birth_date"] = year
        rules = {r["id"]: r["status"] for r in evaluate(profile, "major")["results"]["major"]["rules"]}
        assert rules["leader_age_limit"] == status, year


def test_a_year_that_straddles_a_threshold_leaves_the_rule_unknown_and_the_date_still_needed():
    from checker_py._evaluate import FundingForm
    from checker_py._grammar import holds
    from checker_py._scope import Scope, Trace

    node = {"op": "on_or_after", "field": "leader.birth_date", "date": "2000-06-01"}
    for given, expected in (("2000", None), ("2000-05", False), ("2000-06", True), ("2001", True), ("1999", False)):
        trace = Trace()
        assert holds(node, Scope({"leader": {"birth_date": given}}, FundingForm(None, True), trace)) is expected, given
        assert trace.missing == ([] if expected is not None else ["leader.birth_date"])


def test_each_rule_lists_the_fields_it_read():
    result = evaluate(PROFILES["major_eligible"], "major")["results"]["major"]
    fields = {r["id"]: r["fields"] for r in result["rules"]}
    assert fields["leader_age_limit"] == ["leader.birth_date"]
    assert fields["leader_no_unaccepted_project_for_pre_funding"] == ["unit.kind", "leader.has_unaccepted_city_project"]
    assert "project.achievements[0].award_level" in fields["major_achievement"]
    assert fields["major_self_funding_share"] == ["project.total_investment", "project.self_funding",
                                                  "project.requested_funding"]


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[c["name"] for _, c in CASES])
def test_following_the_questions_ends_with_the_verdict_of_the_full_profile(case):
    answered, _ = follow(profile_of(case), case["programme"])
    expected = evaluate(profile_of(case), case["programme"])["results"][case["programme"]]["verdict"]
    assert evaluate(answered, case["programme"])["results"][case["programme"]]["verdict"] == expected
