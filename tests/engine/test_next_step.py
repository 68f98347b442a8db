"""The guided mode's next step comes from the engine: which questions one page asks, the engine's paths
it stands for, and how many questions can still change a verdict. The page only shows them."""

import json

import pytest

import checker_py
from checker_py import next_questions, next_step, next_step_json

UNIT = {"in_karamay": True, "legal_person": True, "kind": "enterprise", "credit_rating": "A", "st_credit_rating": "A",
        "rd_capacity": True, "high_tech_enterprise": True}
LEADER = {"employed_by_unit": True, "birth_date": "1980-01-01", "st_credit_rating": "A", "has_unaccepted_city_project": False}
NO_RESTRICTION = {"same_project_other_category": False, "similar_to_funded_project": False, "already_fiscally_funded": False}


def test_a_follow_up_question_is_no_step_until_the_answer_it_depends_on_asks_for_it():
    # An out-of-city unit: a public university or research institute may apply, so both the kind of
    # unit and the kind of institution can change the verdict...
    unknown_kind = {"unit": {"in_karamay": False}}
    assert "unit.institution_type" in next_questions(unknown_kind)
    # ...but the kind of institution is asked only of an institution.
    assert next_step(unknown_kind)["questions"] == ["unit.kind"]
    institution = {"unit": {"in_karamay": False, "kind": "institution"}}
    assert next_step(institution)["questions"] == ["unit.institution_type"]


def test_the_questions_one_undecided_condition_reads_are_asked_on_one_page():
    profile = {"unit": UNIT, "leader": LEADER}
    step = next_step(profile, "talent")
    assert step["questions"] == ["leader.title", "leader.degree"]
    assert step["paths"] == ["leader.title", "leader.degree"]


def test_a_step_holds_at_most_three_questions_and_only_of_one_group():
    empty = next_step({})
    assert 1 <= len(empty["questions"]) <= checker_py._questions.MAX_STEP
    groups = {question.split(".")[0] for question in empty["questions"]}
    assert len(groups) == 1


def test_a_list_question_stands_for_the_item_answers_the_engine_needs():
    profile = {"unit": UNIT, "leader": dict(LEADER, title="senior"), "restrictions": NO_RESTRICTION,
               "integrity_commitment": True,
               "project": {"total_investment": 100, "requested_funding": 30, "achievements": [{"kind": "invention_patent"}]}}
    step = next_step(profile, "tech_innovation")
    assert step["questions"] == ["project.achievements"]
    assert step["paths"] == next_questions(profile, "tech_innovation")
    assert all(path.startswith("project.achievements[0].") for path in step["paths"])
    assert step["remaining"] == 1


def test_nothing_left_to_ask_is_an_empty_step():
    ruled_out = {"unit": {"in_karamay": False, "kind": "enterprise"}}
    assert next_step(ruled_out) == {"questions": [], "paths": [], "remaining": 0}


def test_the_remaining_count_is_of_questions_not_of_paths():
    profile = {"unit": UNIT, "leader": LEADER}
    paths = next_questions(profile, "major")
    assert next_step(profile, "major")["remaining"] == len({p.split("[")[0] for p in paths})


def test_skipped_answers_are_not_asked_again():
    profile = {"unit": UNIT, "leader": LEADER}
    first = next_step(profile, "talent")
    after = next_step(profile, "talent", skipped=first["paths"])
    assert not set(first["questions"]) & set(after["questions"])


@pytest.mark.parametrize("skipped", ['{"a": 1}', "[1]", "not json"])
def test_the_json_call_names_a_bad_skipped_list(skipped):
    out = json.loads(next_step_json("{}", None, skipped, "en"))
    assert out["error"]["field"] in ("skipped", "")
    assert json.loads(next_step_json("{}", None, "[]", "en"))["questions"]
