"""The command line: exit codes, the JSON contract, jsonl batches, one-line errors without traceback."""

import json
import pathlib
import subprocess
import sys

import pytest
import yaml

from checker_py import evaluate, evaluate_json
from test_cases import PROFILES

ROOT = pathlib.Path(__file__).resolve().parents[2]


def cli(*args, stdin=None):
    """Run `python -m checker_py` from the repo root."""
    return subprocess.run([sys.executable, "-m", "checker_py", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, encoding="utf-8")


@pytest.fixture()
def profile_file(tmp_path):
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(PROFILES["major_eligible"], ensure_ascii=False), encoding="utf-8")
    return path


def test_json_output_follows_the_contract_and_matches_the_browser_bytes(profile_file):
    run = cli("check", "--format", "json", str(profile_file))
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["edition"] == "2022"
    assert list(out["results"]) == sorted(["major", "key_rd", "tech_innovation", "talent", "soft_science"])
    major = out["results"]["major"]
    assert major["verdict"] == "eligible"
    assert all(set(r) == {"id", "status", "clause", "message", "fields"} for r in major["rules"])
    # Self-raised funds default to total − request: an explicit figure could still change the verdict.
    assert major["next_questions"] == ["project.self_funding"] and all(r["fields"] for r in major["rules"])
    assert major["funding"]["max_request"] == 800 and major["funding"]["form"] == "pre_funding"
    assert run.stdout.rstrip("\n") == evaluate_json(profile_file.read_text(encoding="utf-8"))


def test_one_programme_in_english(profile_file):
    run = cli("check", "--programme", "talent", "--lang", "en", "--format", "json", str(profile_file))
    out = json.loads(run.stdout)
    assert list(out["results"]) == ["talent"] and out["results"]["talent"]["title"] == "Innovative Talent Project"


def test_text_output_is_a_readable_report(profile_file):
    run = cli("check", "--programme", "major", str(profile_file))
    assert run.returncode == 0
    assert "✔ 重大科技专项 (major)：符合申报条件" in run.stdout and "<notice#basic-1>" in run.stdout


def test_yaml_profile_is_read(tmp_path):
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(PROFILES["talent_eligible"], allow_unicode=True), encoding="utf-8")
    run = cli("check", "--programme", "talent", "--format", "json", str(path))
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["results"]["talent"]["verdict"] == "eligible"


def test_stdin_is_read():
    run = cli("check", "--format", "json", "-", stdin="{}")
    assert run.returncode == 0 and json.loads(run.stdout)["results"]["major"]["verdict"] == "incomplete"


@pytest.mark.parametrize("text, field", [
    ('{"leader": {"birth_date": "1962-02-30"}}', "leader.birth_date"),
    ('{"unit": {"colour": "red"}}', "unit.colour"),
    ('{"project": {"achievements": [{"kind": "medal"}]}}', "project.achievements[0].kind"),
    ('{"project": {"total_investment": -5}}', "project.total_investment"),
    ('{"integrity_commitment": "yes"}', "integrity_commitment"),
])
def test_bad_input_exits_2_with_one_line_naming_the_field(text, field):
    run = cli("check", "-", stdin=text)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and field in run.stderr and "Traceback" not in run.stderr


def test_invalid_json_and_unknown_programme_exit_2(tmp_path, profile_file):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    for run in (cli("check", str(bad)), cli("check", "--programme", "nope", str(profile_file)),
                cli("check", str(tmp_path / "missing.json")), cli("frobnicate")):
        assert run.returncode == 2 and "Traceback" not in run.stderr and run.stderr.strip()


def test_jsonl_batch_gives_one_line_per_profile_and_names_bad_lines(tmp_path):
    lines = [json.dumps(PROFILES["major_eligible"]), json.dumps({"leader": {"title": "professor"}}), "", "{}"]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = cli("check", "--format", "json", "--programme", "major", str(path))
    assert run.returncode == 2
    out = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(out) == 3
    assert out[0]["results"]["major"]["verdict"] == "eligible"
    assert out[1]["error"]["field"] == "leader.title" and out[1]["line"] == 2
    assert out[2]["results"]["major"]["verdict"] == "incomplete"
    assert run.stderr.startswith("line 2: leader.title:") and "Traceback" not in run.stderr


def test_evaluate_json_reports_errors_in_the_requested_language():
    out = json.loads(evaluate_json('{"leader": {"gender": "x"}}', None, "en"))
    error = {"field": "leader.gender", "message": "leader.gender: expected one of female | male"}
    assert out == {"error": error, "errors": [error]}
    assert json.loads(evaluate_json("[", None, "zh"))["error"]["message"].startswith("JSON 无效")
    assert json.loads(evaluate_json("{}", "nope", "en"))["error"]["field"] == "programme"


def test_output_is_deterministic():
    profile = PROFILES["key_rd_eligible"]
    assert evaluate_json(json.dumps(profile)) == evaluate_json(json.dumps(profile))
    assert json.dumps(evaluate(profile), sort_keys=True) == json.dumps(evaluate(profile), sort_keys=True)


def test_the_package_imports_only_the_standard_library():
    """No third-party import anywhere in checker_py (it ships to Pyodide)."""
    import ast
    allowed = set(sys.stdlib_module_names) | {"checker_py"}
    for path in (ROOT / "checker_py").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
            for name in names:
                if name.split(".")[0] == "yaml":
                    continue  # optional, guarded: YAML input on the CLI only
                assert name.split(".")[0] in allowed, f"{path.name}: {name}"


def test_the_engine_alone_checks_and_points_screen_to_the_spreadsheet_layer(tmp_path):
    """An installed engine without the spreadsheet layer next to it: check works, and screen (which the
    engine never imports) is one line naming the spreadsheet layer's command."""
    import shutil

    shutil.copytree(ROOT / "checker_py", tmp_path / "checker_py", ignore=shutil.ignore_patterns("__pycache__"))
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)}
    check = subprocess.run([sys.executable, "-m", "checker_py", "check", "--format", "json", "-"], input="{}",
                           capture_output=True, text=True, cwd=tmp_path, env=env)
    assert check.returncode == 0 and json.loads(check.stdout)["results"], check.stderr
    screen = subprocess.run([sys.executable, "-m", "checker_py", "screen", "x.csv", "--output", "y.xlsx"],
                            capture_output=True, text=True, cwd=tmp_path, env=env)
    assert screen.returncode == 2 and screen.stderr.splitlines() == [
        "python -m checker_py: screen is a command of the spreadsheet layer: python -m checker_sheets screen INPUT --output REPORT"]


@pytest.mark.parametrize("text,suffix", [('{"unit": ', ".json"), ("unit: [1,\n", ".yaml"), ("[" * 100000, ".json")])
def test_a_broken_file_is_explained_in_chinese_without_the_parser_s_english(tmp_path, text, suffix):
    path = tmp_path / f"profile{suffix}"
    path.write_text(text, encoding="utf-8")
    run = cli("check", str(path))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    message = run.stderr.strip()
    assert message.startswith("error: ") and ("JSON 无效：" in message or "YAML 无效：" in message)
    words = [w for w in message.removeprefix("error: ").replace("JSON", "").replace("YAML", "").split() if w.isascii() and w.isalpha()]
    assert words == [], message
    english = cli("check", "--lang", "en", str(path)).stderr
    assert "invalid JSON" in english or "invalid YAML" in english


def test_a_priority_only_answer_is_never_listed_as_still_needed():
    profile = json.loads(json.dumps(PROFILES["major_eligible"]))
    profile["unit"].pop("research_platform", None)
    result = evaluate(profile, "major")["results"]["major"]
    assert result["verdict"] == "eligible"
    assert "unit.research_platform" not in result["missing"]
    assert any(note["status"] == "unknown" for note in result["notes"])


def test_english_text_output_names_questions_by_their_wording_and_shows_no_bare_wan(tmp_path):
    import re

    path = tmp_path / "partial.json"
    partial = {**PROFILES["major_eligible"], "project": {"total_investment": 2000, "requested_funding": 300}}
    path.write_text(json.dumps(partial), encoding="utf-8")
    run = cli("check", "--lang", "en", "--programme", "key_rd", str(path))
    assert run.returncode == 0, run.stderr
    assert "Not eligible" in run.stdout and "Requested funding CNY 3 million; the funding per project is CNY 0.5–2 million" in run.stdout
    assert run.stdout.splitlines()[2].startswith("    ✘ [Fail]"), "the failing reasons come first"
    assert not re.search(r"\d\s*万(?!元)", run.stdout)
    unknown = {**PROFILES["major_eligible"], "project": {"total_investment": 4000, "requested_funding": 800}}
    path.write_text(json.dumps(unknown), encoding="utf-8")
    run = cli("check", "--lang", "en", "--programme", "major", str(path))
    assert "Still needed: Subtopic units and subtopic leaders all meet basic conditions (II)–(V), Number of joint applicant units (industry-university-research-user, applicant unit included)," in run.stdout
    assert "project.consortium_units" not in run.stdout


@pytest.mark.parametrize("lang, words", [("zh", "符合申报条件（可申请 50–200 万元）"), ("en", "Eligible (for a request of CNY 0.5–2 million)")])
def test_a_profile_without_a_request_is_eligible_for_a_request_range_in_the_text_and_the_json(lang, words):
    profile = {**PROFILES["key_rd_eligible"], "project": {"total_investment": 1000}}
    run = cli("check", "--programme", "key_rd", "--lang", lang, "-", stdin=json.dumps(profile))
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0].endswith(words)
    res = json.loads(cli("check", "--format", "json", "--programme", "key_rd", "--lang", lang, "-", stdin=json.dumps(profile)).stdout)
    key_rd = res["results"]["key_rd"]
    assert key_rd["verdict"] == "eligible" and key_rd["verdict_text"] == words
    assert (key_rd["funding"]["request_range"]["min"], key_rd["funding"]["request_range"]["max"]) == (50, 200)
