"""Guided mode's walk in "which programmes fit me?" mode: next_questions for all programmes at once.

test_questions.py follows the questions of each case's programme; here the walk asks for every
programme together, as the page's all-programmes mode does: ask the first question the engine lists,
take the answer from the case's full profile ("I don't know" where it has none, which skips it), and
ask again until nothing is left. A list question is answered whole, as the page does; its item fields
still unknown are then asked one by one. bench/guided_questions.py counts the questions of this walk.
"""

import copy

import pytest

from checker_py import evaluate, next_questions
from support import value_at
from test_cases import CASES, profile_of


def put(profile, path, value):
    """Set the value at a field path; an item's list must be there already (it is answered first)."""
    keys = path.replace("[", ".[").split(".")
    node = profile
    for key in keys[:-1]:
        node = node[int(key[1:-1])] if key.startswith("[") else node.setdefault(key, {})
    node[keys[-1]] = value


def follow(full, programme, skip_first=()):
    """(profile reached, questions asked) following next_questions and answering from `full`."""
    profile, skipped, asked = {}, list(skip_first), []
    for _ in range(200):
        paths = next_questions(profile, programme, skipped)
        if not paths:
            return profile, asked
        path = paths[0]
        assert path not in asked, f"{path} asked twice"
        asked.append(path)
        # A list asked as a whole is answered whole, as the page does; an item's field then stays
        # unknown only where the case leaves it unknown.
        value = value_at(full, path)
        if value is None:
            skipped.append(path)
        else:
            put(profile, path, copy.deepcopy(value))
    raise AssertionError("next_questions never ran out")


def verdicts(profile, programme):
    return {pid: res["verdict"] for pid, res in evaluate(profile, programme)["results"].items()}


def without_request(profile):
    """The profile as all-programmes mode judges it: a request belongs to one programme, so none is given."""
    out = copy.deepcopy(profile)
    (out.get("project") or {}).pop("requested_funding", None)
    return out


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[c["name"] for _, c in CASES])
def test_following_next_questions_for_all_programmes_ends_with_the_full_profiles_verdicts(case):
    full = without_request(profile_of(case))
    reached, asked = follow(full, None)
    assert verdicts(reached, None) == verdicts(full, None)
    # The request is the applicant's choice: all-programmes mode never asks it.
    assert "project.requested_funding" not in asked


def test_a_decided_programme_asks_nothing_and_skipped_questions_are_not_listed():
    assert next_questions({"unit": {"in_karamay": False}}, "major") == []
    first = next_questions({}, "major")
    assert first and first[0] not in next_questions({}, "major", [first[0]])
