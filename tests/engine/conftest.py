"""Compile rules/2022 once per session, in memory, and have the engine use them."""

import pathlib

import pytest

from sitegen.yamlio import load_yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
EDITION = "2022"
RULES_DIR = ROOT / "rules" / EDITION
GUIDE_DIR = ROOT / "guide_src" / EDITION

# The anchor contract, used for any page whose guide file does not exist yet.
_CONTRACT = {
    "notice": ["basic-intro", *[f"basic-{i}" for i in range(1, 8)], "restrictions-intro",
               *[f"restrict-{i}" for i in range(1, 5)], "require-1", "require-2", "procedure",
               *[f"procedure-{i}" for i in range(1, 5)]],
    "major": ["positioning-text", *[f"req-{i}" for i in range(1, 8)], "funding-text",
              *[f"direction-{i}{s}" for i in range(1, 4) for s in ("", "-objectives", "-indicators",
                                                                   "-indicator-1", "-indicator-2", "-indicator-3")]],
    "key_rd": ["positioning-text", *[f"direction-{i}" for i in range(1, 6)], *[f"req-{i}" for i in range(1, 5)], "funding-text"],
    "tech_innovation": ["positioning-text", "directions-intro", *[f"direction-{i}" for i in range(1, 5)],
                        *[f"req-{i}" for i in range(1, 5)], "funding-text"],
    "talent": ["positioning-text", "directions-text", *[f"req-{i}" for i in range(1, 5)], "funding-text"],
    "soft_science": ["directions-text", *[f"req-{i}" for i in range(1, 4)], "funding-text"],
}


def _ids(node, found):
    """Every `id` of sections and blocks, recursively."""
    if isinstance(node, dict):
        if isinstance(node.get("id"), str):
            found.add(node["id"])
        for value in node.values():
            _ids(value, found)
    elif isinstance(node, list):
        for value in node:
            _ids(value, found)
    return found


def collect_clauses(guide_dir=GUIDE_DIR):
    """page id -> anchor ids, from the guide's YAML where it exists, else from the contract."""
    clauses = {page: set(anchors) for page, anchors in _CONTRACT.items()}
    files = [guide_dir / "notice.yaml", *sorted((guide_dir / "programmes").glob("*.yaml"))]
    for path in files:
        if path.exists():
            data = load_yaml(path)
            page = data.get("id", path.stem) if isinstance(data, dict) else path.stem
            clauses[page] = _ids(data.get("sections", []) if isinstance(data, dict) else [], set())
    return clauses


@pytest.fixture(scope="session")
def compiled():
    """The compiled rules, in memory; the engine uses them (the package's data file is the build's)."""
    from checker_py._edition import use_rules
    from sitegen.rules import compile_rules, engine_data
    data = compile_rules(RULES_DIR, collect_clauses())
    use_rules(engine_data(data))
    return data


@pytest.fixture(autouse=True)
def _rules_ready(compiled):
    """Every engine test runs after the compile."""
    return compiled
