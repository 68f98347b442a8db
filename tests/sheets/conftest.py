"""Fixtures of the spreadsheet tests: the compiled rules and the template's columns."""

import pytest


@pytest.fixture(scope="session")
def rules():
    """The compiled rules the engine reads (the build writes them)."""
    from checker_sheets import schema

    return schema()


@pytest.fixture(scope="session")
def cols(rules):
    """The template's columns."""
    from checker_sheets import columns

    return columns(rules)


@pytest.fixture(scope="session")
def site_rules(guide):
    """The compiled rules as the build sees them (fields annotated with the clauses that read them)."""
    from sitegen.rules import compile_rules
    from support import ROOT

    return compile_rules(ROOT / "rules" / guide["edition"], guide["anchors"], guide["glossary"])


@pytest.fixture(scope="session")
def profiles_for_sheets(cols):
    """The engine's test profiles a sheet row can hold and the engine accepts."""
    from sheetkit import sheet_profiles

    return sheet_profiles(cols)
