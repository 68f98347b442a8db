"""The made-up 2023 edition (tests/editions/2023.yaml) beside the repository's 2022 one, in a temporary
folder: made by `build.py edition`, then edited as the bureau's editor would edit it. Never published."""

import shutil
import subprocess
import sys

import yaml

from support import ROOT

EDITS = ROOT / "tests" / "editions" / "2023.yaml"


def edits():
    """The fixture's edits: [{file, replace, with, count}]."""
    return yaml.safe_load(EDITS.read_text(encoding="utf-8"))["edits"]


def apply(tree, chosen):
    """Apply edits to the sources in `tree`; each replaces text that occurs exactly `count` times (default 1)."""
    for edit in chosen:
        path = tree / edit["file"]
        text = path.read_text(encoding="utf-8")
        found = text.count(edit["replace"])
        assert found == edit.get("count", 1), f"{edit['file']}: {edit['replace'][:60]!r} occurs {found} times"
        path.write_text(text.replace(edit["replace"], edit["with"]), encoding="utf-8")


def make_sources(tree, edited=True):
    """guide_src/ and rules/ in `tree`: the repository's, and edition 2023 made from 2022 by the build's
    own command, then (`edited`) edited as the fixture says. Returns what the command printed."""
    for name in ("guide_src", "rules"):
        shutil.copytree(ROOT / name, tree / name)
    made = subprocess.run([sys.executable, str(ROOT / "build.py"), "edition", "2023", "--from", "2022",
                           "--guide", str(tree / "guide_src"), "--rules", str(tree / "rules")],
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stdout + made.stderr
    if edited:
        apply(tree, edits())
    return made.stdout
