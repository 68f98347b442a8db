"""Hypothesis against the command line: malformed JSON, JSON lines and YAML files never crash it.

Every run ends with status 0 and results, or status 2 and, on stderr, one line per bad profile that
names the field (or says the file is not valid JSON/YAML); never a traceback. The CLI's `main` runs
in-process (a subprocess per example would take minutes); a few hostile files also go through the
real `python -m checker_py` at the end.
"""

import contextlib
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker_py._cli import main
from test_cases import PROFILES

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
VALID = [json.dumps(p, ensure_ascii=False) for p in PROFILES.values()]
PROGRAMMES = [None, "major", "talent", "nope"]

_json = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10),
              st.sampled_from(["1962-01-01", "2022-02-30", "yes", "<script>alert(1)</script>", "1e309", "-0"])),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(
        st.one_of(st.sampled_from(["unit", "leader", "project", "kind", "birth_date", "achievements",
                                   "integrity_commitment", "__proto__", ""]), st.text(max_size=6)),
        children, max_size=4)),
    max_leaves=15,
)


@st.composite
def _mutated(draw):
    """A valid profile's JSON text, cut, spliced or sprinkled with junk."""
    text = draw(st.sampled_from(VALID))
    how = draw(st.sampled_from(["cut", "insert", "replace", "swap_value", "as_is"]))
    i = draw(st.integers(0, len(text)))
    junk = draw(st.sampled_from(["{", "}", "[", "]", ",", ":", '"', "\\", "\x00", "\ufeff", "NaN", "Infinity",
                                 "\n", "\t", "null", "-", "e", "中"]))
    if how == "cut":
        return text[:i]
    if how == "insert":
        return text[:i] + junk + text[i:]
    if how == "replace":
        return text[:i] + junk + text[i + 1:]
    if how == "swap_value":
        profile = json.loads(text)
        group = draw(st.sampled_from(sorted(k for k, v in profile.items() if isinstance(v, dict)) or [None]))
        if group:
            key = draw(st.sampled_from(sorted(profile[group])))
            profile[group][key] = draw(_json)
        return json.dumps(profile, ensure_ascii=False)
    return text


_yaml_text = st.one_of(
    _json.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
    st.sampled_from([
        "unit: {kind: enterprise\n", "unit:\n\tkind: enterprise\n", "leader:\n  birth_date: 1962-01-01\n",
        "leader: {birth_date: 1962-01-01}\n", "integrity_commitment: yes\n", "integrity_commitment: on\n",
        "unit: !!python/object/apply:os.system [echo pwned]\n", "a: &a [1]\nb: *a\n", "unit: *undefined\n",
        "--- {}\n--- {}\n", "? [complex, key]\n: value\n", "project: {total_investment: .inf}\n",
        "project: {total_investment: 1_000}\n", "%YAML 1.1\n---\nunit: {}\n", "unit: {kind: enterprise, kind: other}\n",
    ]),
    st.text(max_size=40),
)


def run_cli(args, text):
    """main() on a temporary file holding `text`: (status, stdout, stderr); any exception fails the test."""
    with tempfile.TemporaryDirectory() as tmp:
        suffix = ".jsonl" if "--jsonl" in args else args.pop()
        path = Path(tmp) / f"profile{suffix}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass") if _encodable(text) else path.write_bytes(
            text.encode("utf-8", "replace"))
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main(["check", *[a for a in args if a != "--jsonl"], str(path)])
            except SystemExit as exc:  # argparse
                status = exc.code
        return status, out.getvalue(), err.getvalue()


def _encodable(text):
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _options(programme, lang, fmt):
    args = []
    if programme:
        args += ["--programme", programme]
    return args + ["--lang", lang, "--format", fmt]


def check_single(status, out, err, fmt):
    assert status in (0, 2), (status, err)
    assert "Traceback" not in err
    if status == 0:
        assert err == ""
        if fmt == "json":
            assert "results" in json.loads(out)
    else:
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and len(lines[0]) > len("error: "), err
        assert lines[0].isprintable()
        assert out == ""


@SETTINGS
@given(st.one_of(_mutated(), _json.map(json.dumps), st.text(max_size=60)),
       st.sampled_from(PROGRAMMES), st.sampled_from(["zh", "en"]), st.sampled_from(["json", "text"]))
def test_any_json_file_gives_results_or_one_error_line(text, programme, lang, fmt):
    status, out, err = run_cli(_options(programme, lang, fmt) + [".json"], text)
    check_single(status, out, err, fmt)
    if programme == "nope":
        assert status == 2 and "--programme" in err


@SETTINGS
@given(_yaml_text, st.sampled_from(["zh", "en"]))
def test_any_yaml_file_gives_results_or_one_error_line(text, lang):
    status, out, err = run_cli(_options(None, lang, "json") + [".yaml"], text)
    check_single(status, out, err, "json")
    assert "pwned" not in out + err or "python/object" in err


@SETTINGS
@given(st.lists(st.one_of(_mutated(), _json.map(json.dumps), st.sampled_from(["", "   ", "{}", "[]", "null"])),
                min_size=1, max_size=6), st.sampled_from(["zh", "en"]))
def test_any_jsonl_batch_gives_one_line_per_profile_and_names_each_bad_line(lines, lang):
    lines = [line.replace("\n", " ").replace("\r", " ") for line in lines]
    text = "\n".join(lines) + "\n"
    status, out, err = run_cli(_options(None, lang, "json") + ["--jsonl"], text)
    assert status in (0, 2) and "Traceback" not in err
    kept = [n for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    results = [json.loads(line) for line in out.splitlines()]
    assert len(results) == len(kept)
    bad = [(n, r) for n, r in zip(kept, results) if "error" in r]
    assert (status == 2) == bool(bad)
    errors = err.splitlines()
    assert len(errors) == len(bad)
    for line, (n, r) in zip(errors, bad):
        assert line.startswith(f"line {n}: ") and line.isprintable()
        assert r["error"]["message"]
    assert all(r["line"] == n for n, r in bad)


HOSTILE = {
    "deep.json": "[" * 100_000 + "]" * 100_000,
    "deep.jsonl": '{"unit": ' + "[" * 100_000 + "]" * 100_000 + "}\n{}\n",
    "deep.yaml": "[" * 100_000 + "]" * 100_000,
    "laughs.yaml": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                   "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nunit: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
    "tag.yaml": "unit: !!python/object/apply:os.system [echo pwned]\n",
    "bad-utf8.json": b"\xff\xfe{}",
    "nul.json": '{"unit": {"kind": "enterprise\x00"}}',
    "huge-number.json": '{"project": {"total_investment": 1' + "0" * 5000 + "}}",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_through_the_real_command(name, tmp_path):
    path = tmp_path / name
    content = HOSTILE[name]
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    run = subprocess.run([sys.executable, "-m", "checker_py", "check", "--format", "json", str(path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2, run.stdout[:200] + run.stderr[-500:]
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(("error: ", "line 1: ")), run.stderr[-500:]


def test_the_browser_entry_point_reports_nesting_too_deep_as_invalid_json():
    from checker_py import evaluate_json

    for text in ("[" * 100_000 + "]" * 100_000, '{"unit": ' + "{\"a\": " * 50_000 + "1" + "}" * 50_001):
        out = json.loads(evaluate_json(text, None, "en"))
        assert out["error"]["field"] == "" and "invalid JSON" in out["error"]["message"]
