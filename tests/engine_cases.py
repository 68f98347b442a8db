"""The engine's YAML cases and the compiled rules, for tests outside tests/engine (site, browser)."""

import sys

from support import ROOT

sys.path.insert(0, str(ROOT / "tests" / "engine"))
from test_cases import CASES, PROFILES, profile_of  # noqa: E402,F401


def compiled_rules():
    """The newest edition's rules compiled in memory as the build does; the engine uses them."""
    from checker_py._edition import use_rules
    from sitegen.guide import load_edition
    from sitegen.rules import compile_rules, engine_data

    guide = load_edition(ROOT / "guide_src")
    data = compile_rules(ROOT / "rules" / guide["edition"], guide["anchors"], guide["glossary"])
    use_rules(engine_data(data))
    return data
