"""The corpus of broken inputs (tests/broken_inputs/): each one fails the real build command clearly and safely.

For every case, `build.py` runs as a subprocess on temporary copies of guide_src/ and rules/ with the
case's patch applied, and a previous build in its --site-dir. It must exit 1 and print exactly one line
on stderr, `error: <file>: <field path>: <message>`, with the repository-relative file name, no
traceback, and leave the previous site byte-for-byte as it was (and no temporary folder behind).
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from test_build_errors import _tree_digest

ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = ROOT / "tests" / "broken_inputs"
CASES = sorted(CASES_DIR.glob("*.yaml"))
TOPS = ("guide_src", "rules")


def apply(case, tree):
    """Apply one case's patch to the copy of the repository's inputs in `tree`."""
    target = tree / case["file"]
    assert case["file"].split("/")[0] in TOPS and target.is_file(), case["file"]
    if case.get("delete"):
        target.unlink()
        return
    text = target.read_text(encoding="utf-8")
    if "replace_regex" in case:
        new, count = re.subn(case["replace_regex"], lambda _: case["with"], text, count=1, flags=re.M | re.S)
        assert count == 1, f"{case['replace_regex']!r} not in {case['file']}"
    else:
        assert case["replace"] in text, f"{case['replace']!r} not in {case['file']}: the case needs updating"
        new = text.replace(case["replace"], case["with"], 1)
    target.write_text(new, encoding="utf-8")


def previous_site(folder):
    """A stand-in for the last good build: a few pages and binary files."""
    (folder / "en" / "checker").mkdir(parents=True)
    (folder / "index.html").write_text("<!doctype html><title>previous build</title>", encoding="utf-8")
    (folder / "en" / "checker" / "index.html").write_text("previous checker", encoding="utf-8")
    (folder / "assets.bin").write_bytes(bytes(range(256)))
    return folder


def test_the_corpus_covers_every_kind_of_mistake_of_the_issue():
    names = {p.stem for p in CASES}
    for kind in ("yaml_syntax", "duplicate_key", "missing_en", "missing_zh", "wrong_type", "unknown_key"):
        assert {f"guide_{kind}", f"rules_{kind}"} <= names, kind
    assert {"rules_unknown_clause", "rules_unknown_profile_field", "rules_programme_without_rules",
            "rules_glossary_term_undefined"} <= names
    assert len(CASES) >= 20


@pytest.mark.parametrize("case_file", CASES, ids=[p.stem for p in CASES])
def test_a_broken_input_fails_with_one_line_naming_file_and_path_and_keeps_the_site(case_file, tmp_path):
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    assert set(case) <= {"about", "file", "replace", "replace_regex", "with", "delete", "expect"}, case_file.name
    tree = tmp_path / "repo"
    for top in TOPS:
        shutil.copytree(ROOT / top, tree / top)
    apply(case, tree)
    out = tmp_path / "out"
    site = previous_site(out / "site")
    before = _tree_digest(site)

    run = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--guide", str(tree / "guide_src"), "--rules", str(tree / "rules"),
         "--site-dir", str(site)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.splitlines() == [f"error: {case['expect']}"]
    assert str(tmp_path) not in run.stderr, "messages name files as the editor knows them, not absolute paths"
    file_part = case["expect"].split(": ", 1)[0]
    assert file_part.startswith(TOPS), "the message starts with the repository-relative file"
    assert _tree_digest(site) == before
    assert [p.name for p in out.iterdir()] == ["site"], "temporary build folders were left behind"
