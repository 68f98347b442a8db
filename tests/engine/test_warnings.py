"""Plausibility warnings come from the engine, so the page, the CLI and the JSON say the same; they
never change a verdict, compare amounts as decimals and take "today" in Karamay (UTC+8)."""

import datetime
import json
import subprocess
import sys

from checker_py import evaluate
from checker_py._edition import current
from checker_py._warnings import karamay_today, plausibility
from test_cases import PROFILES
from test_cli import ROOT


def warned(profile, lang="zh", today=None):
    """{field: message} of the profile's warnings."""
    return {w["field"]: w["message"] for w in plausibility(current(), profile, lang, today)}


def test_amounts_are_compared_as_decimals_so_an_exact_sum_is_no_slip():
    assert warned({"project": {"total_investment": 50.3, "self_funding": 35.7, "requested_funding": 14.6}}) == {}
    over = warned({"project": {"total_investment": 50.3, "self_funding": 35.7, "requested_funding": 14.61}})
    assert over == {"project.self_funding": "自筹资金与申请资助额之和（50.31 万元）超过项目总投资（50.3 万元），请核对。"}


def test_an_amount_in_yuan_more_local_enterprises_than_units_and_a_future_date_are_warned_in_the_readers_language():
    profile = {"leader": {"birth_date": "2030-01"}, "project": {"total_investment": 200000, "consortium_units": 2,
               "local_consortium_enterprises": 5, "achievements": [{"kind": "award", "date": "2031-05-01"}]}}
    got = warned(profile, "en", today=datetime.date(2026, 12, 4))
    assert set(got) == {"leader.birth_date", "project.total_investment", "project.local_consortium_enterprises",
                        "project.achievements[0].date"}
    assert "CNY 2,000 million" in got["project.total_investment"] and "yuan" in got["project.total_investment"]
    assert "after today" in got["leader.birth_date"]


def test_today_is_the_date_in_karamay():
    utc = datetime.datetime.now(datetime.timezone.utc)
    assert karamay_today() == (utc + datetime.timedelta(hours=8)).date()
    tomorrow_there = (utc + datetime.timedelta(hours=8)).date()
    assert warned({"leader": {"birth_date": tomorrow_there.isoformat()}}, today=tomorrow_there) == {}


def test_the_result_and_the_cli_carry_the_warnings_and_the_verdict_is_unchanged():
    profile = {**PROFILES["key_rd_eligible"], "project": {"total_investment": 1000, "requested_funding": 200, "self_funding": 900}}
    result = evaluate(profile, "key_rd")
    assert [w["field"] for w in result["warnings"]] == ["project.self_funding"]
    assert result["results"]["key_rd"]["verdict"] == "eligible"
    out = subprocess.run([sys.executable, "-m", "checker_py", "check", "--programme", "key_rd", "-"], cwd=ROOT,
                         input=json.dumps(profile), capture_output=True, text=True, check=True).stdout
    assert out.startswith("请核对：\n  ⚠ 自筹资金（万元）：自筹资金与申请资助额之和（1100 万元）超过项目总投资（1000 万元）")
