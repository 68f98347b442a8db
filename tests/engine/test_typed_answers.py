"""Answers as people type them: the engine's one reader of dates and amounts (every surface uses it),
and the bound on a list's length.

A date is read into a real date, whatever digits it is typed in, and compared as a date; a typed
amount is read as the number it means. What cannot be read is refused by name, in both languages.
"""

import copy
import datetime
import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import checker_py
from checker_py import InvalidAnswer, ProfileError, evaluate, normalise, read_amount, read_date
from test_cases import PROFILES
from test_cli import ROOT
from test_properties import FIELDS, _profiles, _value

DATES = [
    ("1988-07-01", "1988-07-01"), ("1988/7/1", "1988-07-01"), ("1988.7.1", "1988-07-01"),
    ("1988-7-1", "1988-07-01"), ("1988年7月1日", "1988-07-01"), ("1988 年 7 月 1 日", "1988-07-01"),
    ("19880701", "1988-07-01"), (" 1988/07/01 ", "1988-07-01"), ("1988年7月1号", "1988-07-01"),
    ("1988", "1988"), ("1988年", "1988"), ("1988-07", "1988-07"), ("1988/7", "1988-07"), ("1988年7月", "1988-07"),
    # Other digits: full width (a Chinese input method in full-width mode), Arabic-Indic, Devanagari.
    ("１９８８－０７－０１", "1988-07-01"), ("１９８８年７月１日", "1988-07-01"), ("１９８８／７／１", "1988-07-01"),
    ("١٩٨٨-٠٧-٠١", "1988-07-01"), ("१९८८", "1988"), ("１９５０", "1950"),
    (datetime.date(1988, 7, 1), "1988-07-01"), (datetime.datetime(1988, 7, 1, 9, 30), "1988-07-01"),
]
NOT_DATES = ["1988-02-30", "1988-13", "1988-00", "0000", "88-7-1", "1988/7-1", "1988-07-01T00:00", "July 1988",
             "一九八八年", "", "   ", "1988-7-1-1", "198807011", 1988, 19880701, 1988.5, True, None, [], {}]
AMOUNTS = [
    ("250", False, 250), ("1,200", False, 1200), ("1,200万元", False, 1200), ("250万元", False, 250),
    ("250 万", False, 250), ("99.5", False, 99.5), ("１，２００", False, 1200), ("２５０万元", False, 250),
    ("٣", True, 3), ("3", True, 3), ("3.0", True, 3), ("1,000", True, 1000), ("1e3", False, 1000),
    (250, False, 250), (250.0, False, 250), (99.5, False, 99.5), (3.0, True, 3), (0, True, 0),
]
NOT_AMOUNTS = [
    ("1,2", False, "数字"), ("12,00", False, "数字"), ("250元", False, "数字"), ("二百五十", False, "数字"),
    ("250万元", True, "整数"), ("1.5", True, "整数"), ("-3", False, "负数"), ("－３", True, "负数"),
    ("9" * 5000, False, "数字"), ("1e400", False, "有限"), ("", False, "数字"), (True, False, "数字"),
    (float("inf"), False, "有限"), (None, True, "整数"), ([], False, "数字"),
]


@pytest.mark.parametrize("typed,iso", DATES, ids=[repr(t) for t, _ in DATES])
def test_a_date_typed_in_any_of_the_accepted_forms_is_read_as_that_day_month_or_year(typed, iso):
    assert read_date(typed) == iso


@pytest.mark.parametrize("typed", NOT_DATES, ids=[repr(t) for t in NOT_DATES])
def test_anything_else_in_a_date_field_is_refused_by_name_in_both_languages(typed):
    with pytest.raises(InvalidAnswer) as caught:
        read_date(typed)
    assert "1988年7月1日" in caught.value.zh and "19880701" in caught.value.en
    if typed is not None:  # (null is "unknown" in a profile, not an answer)
        with pytest.raises(ProfileError) as refused:
            evaluate({"leader": {"birth_date": typed}})
        assert refused.value.field == "leader.birth_date"
        assert refused.value.message("zh").startswith("leader.birth_date: 应为有效日期")
        assert refused.value.message("en").startswith("leader.birth_date: expected a valid date")


@pytest.mark.parametrize("typed,whole,number", AMOUNTS, ids=[f"{t!r}{' (count)' if w else ''}" for t, w, _ in AMOUNTS])
def test_an_amount_typed_as_people_write_it_is_read_as_the_number_it_means(typed, whole, number):
    read = read_amount(typed, whole=whole)
    assert read == number and type(read) is type(number)


@pytest.mark.parametrize("typed,whole,word", NOT_AMOUNTS, ids=[f"{t!r}"[:30] + (" (count)" if w else "") for t, w, _ in NOT_AMOUNTS])
def test_an_amount_that_cannot_be_read_is_refused_with_what_is_expected(typed, whole, word):
    with pytest.raises(InvalidAnswer) as caught:
        read_amount(typed, whole=whole)
    assert word in caught.value.zh and caught.value.en


def test_a_leader_born_in_1950_fails_the_age_limit_whatever_digits_the_year_is_typed_in():
    """Full-width and Arabic-Indic years were once compared as text, which put them after 1962."""
    base = copy.deepcopy(PROFILES["key_rd_eligible"])
    assert evaluate(base, "key_rd")["results"]["key_rd"]["verdict"] == "eligible"
    for typed in ("１９５０-01-01", "١٩٥٠-٠١-٠١", "１９５０", "1950年1月1日", "19500101", "1950/1/1"):
        profile = copy.deepcopy(base)
        profile["leader"]["birth_date"] = typed
        result = evaluate(profile, "key_rd")["results"]["key_rd"]
        assert result["verdict"] == "ineligible", typed
        age = next(r for r in result["rules"] if r["id"] == "leader_age_limit")
        assert age["status"] == "fail" and "1950" in age["message"], typed


def test_typed_answers_give_exactly_the_result_of_the_same_answers_as_iso_dates_and_numbers():
    typed = copy.deepcopy(PROFILES["major_eligible"])
    typed["leader"]["birth_date"] = "1970年6月1日"
    typed["project"].update(total_investment="4,000万元", requested_funding="８００", consortium_units="３")
    typed["project"]["achievements"][0]["date"] = "2017/1/1"
    clean = normalise(typed)
    assert clean == PROFILES["major_eligible"]
    for lang in ("zh", "en"):
        assert evaluate(typed, None, lang) == evaluate(PROFILES["major_eligible"], None, lang)
    assert json.loads(checker_py.normalise_json(json.dumps(typed, ensure_ascii=False))) == clean


def test_normalise_names_every_answer_it_cannot_read():
    refused = json.loads(checker_py.normalise_json(json.dumps(
        {"leader": {"birth_date": "1988-02-30"}, "project": {"total_investment": "250元", "subtopics": "2.5"}}), lang="en"))
    assert [e["field"] for e in refused["errors"]] == ["leader.birth_date", "project.total_investment", "project.subtopics"]
    assert "whole number" in refused["errors"][2]["message"]


def test_check_reads_typed_dates_and_amounts_and_names_an_unreadable_one_in_the_chosen_language(tmp_path):
    typed = copy.deepcopy(PROFILES["key_rd_eligible"])
    typed["leader"]["birth_date"] = "１９５０年1月1日"
    typed["project"]["total_investment"] = "1,000万元"
    path = tmp_path / "typed.json"
    path.write_text(json.dumps(typed, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "checker_py", "check", "--programme", "key_rd", "--format", "json", str(path)],
                         cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["results"]["key_rd"]["verdict"] == "ineligible"
    typed["leader"]["birth_date"] = "1950年13月1日"
    path.write_text(json.dumps(typed, ensure_ascii=False), encoding="utf-8")
    for lang, words in (("zh", "应为有效日期"), ("en", "expected a valid date")):
        run = subprocess.run([sys.executable, "-m", "checker_py", "check", "--lang", lang, str(path)],
                             cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
        assert run.returncode == 2 and run.stderr.startswith(f"error: leader.birth_date: {words}"), run.stderr


# -- the bound on a list, and work that grows linearly with it ----------------------------------


def achievements(n, dated=True):
    """n achievements of the four kinds in turn (with different dates), each with answers still unknown."""
    kinds = ["award", "invention_patent", "utility_model", "plant_variety"]
    items = [{"kind": kinds[i % 4]} for i in range(n)]
    if dated:
        for i, item in enumerate(items):
            item["date"] = (datetime.date(2000, 1, 1) + datetime.timedelta(days=37 * i)).isoformat()
    return items


def test_a_list_longer_than_its_limit_is_refused_by_name_and_one_at_the_limit_is_judged(compiled):
    limit = next(f for f in compiled["fields"] if f["path"] == "project.achievements")["max_items"]
    assert 10 <= limit <= 100
    profile = {"unit": {"kind": "enterprise"}, "project": {"achievements": achievements(limit)}}
    assert evaluate(profile)["results"]
    profile["project"]["achievements"] = achievements(limit + 1)
    with pytest.raises(ProfileError) as refused:
        evaluate(profile)
    assert refused.value.field == "project.achievements"
    assert refused.value.message("zh") == f"project.achievements: 最多填写 {limit} 项，这里有 {limit + 1} 项"
    assert refused.value.message("en") == f"project.achievements: at most {limit} items, not {limit + 1}"
    out = json.loads(checker_py.next_questions_json(json.dumps({"project": {"achievements": [{}] * 300}}), lang="en"))
    assert out["error"]["field"] == "project.achievements"


def reads_while(monkeypatch, compute):
    """How many answers `compute()` reads (Scope.value calls): the engine's work, counted, not timed."""
    from checker_py._scope import Scope

    count = [0]
    value = Scope.value

    def counted(self, field):
        count[0] += 1
        return value(self, field)

    monkeypatch.setattr(Scope, "value", counted)
    compute()
    monkeypatch.setattr(Scope, "value", value)
    return count[0]


def growth(monkeypatch, programme):
    """The answers evaluate reads for 8, 16, 24 and 32 achievements of four kinds, and each step's increase."""
    work = []
    for n in (8, 16, 24, 32):
        profile = {"unit": {"kind": "enterprise"}, "project": {"achievements": achievements(n, dated=False)}}
        work.append(reads_while(monkeypatch, lambda: evaluate(profile, programme)))
    return work, [after - before for before, after in zip(work, work[1:])]


@pytest.mark.parametrize("programme", [None, "major"])
def test_evaluate_reads_each_answer_a_bounded_number_of_times_however_long_the_list(monkeypatch, programme):
    """Linear: every eight more achievements add the same number of reads. Trying each item's
    answers on the whole list (as the engine once did) adds more at every step: quadratic."""
    from checker_py._questions import Trials, with_answer

    work, steps = growth(monkeypatch, programme)
    assert steps[0] > 0 and max(steps) == min(steps), work
    monkeypatch.setattr(Trials, "item_trial", lambda self, answers, item, answer, rule, form: with_answer(answers, item.group(0), answer))
    work, steps = growth(monkeypatch, programme)
    assert steps[0] < steps[1] < steps[2], work


ITEM_FIELDS = next(f for f in FIELDS if f["path"] == "project.achievements")["item_fields"]
_items = st.lists(st.fixed_dictionaries({}, optional={f["path"]: _value(f) for f in ITEM_FIELDS}), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_profiles(), _items, st.sampled_from([None, "major", "tech_innovation"]))
def test_trying_an_items_answers_among_its_witnesses_asks_what_trying_them_in_the_whole_list_asks(profile, items, programme):
    """The linear next questions (an item tried with the few items that decide, Trials.item_trial)
    are those of trying every answer on the whole profile."""
    from checker_py._questions import Trials, with_answer

    profile = {**profile, "project": {**(profile.get("project") or {}), "achievements": items}}
    linear = checker_py.next_questions(profile, programme)
    witnesses = Trials.item_trial

    def whole_list(self, answers, item, answer, rule, form):
        return with_answer(answers, item.group(0), answer)

    Trials.item_trial = whole_list
    try:
        assert checker_py.next_questions(profile, programme) == linear
    finally:
        Trials.item_trial = witnesses
