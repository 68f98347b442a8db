"""The one table of interface strings (checker_py/strings.py) for every surface: every key used is defined,
every key defined is used, every text in both languages."""

import re

from support import ROOT
from checker_py.strings import CHECKER, ENGINE, SHEETS, UI

CODE = [*ROOT.glob("checker_py/*.py"), *ROOT.glob("sitegen/*.py"), *ROOT.glob("sitegen/templates/*.j2"),
        *ROOT.glob("webapp/**/*.js"), *ROOT.glob("overrides/**/*.html"), ROOT / "build.py",
        *ROOT.glob("checker_sheets/*.py")]
SECTIONS = {"ENGINE": ENGINE, "CHECKER": CHECKER, "UI": UI, "SHEETS": SHEETS}
TABLE = {**ENGINE, **CHECKER, **UI, **SHEETS}
# How code names a string: text("key"), t("key"), this.t("key"), ui.key, ui['key']. Material's own
# lang.t("key") (in the theme partials overrides/ copies) names the theme's strings, not ours.
USES = [r"\bconfig\.extra\.strings\.([a-z0-9_]+)", r"""\btext\(\s*["']([a-z0-9_]+)["']""", r"""(?<!lang\.)\bt\(\s*["']([a-z0-9_]+)["']""", r"\bui\.([a-z0-9_]+)",
        r"""\bui\[\s*["']([a-z0-9_]+)["']\s*\]""", r"""\bSHEETS\[\s*["']([a-z0-9_]+)["']"""]
# A key built from a prefix ("verdict_" + verdict) counts as used when code builds that prefix.
PREFIX = r"""["'`]([a-z0-9_]+_)["'`]?\s*(?:\+|~|\$\{)|\bf["']([a-z0-9_]+_)\{"""


def _code():
    return {path: path.read_text(encoding="utf-8") for path in CODE if path.name != "strings.py"}


def _forms(text):
    """A language's text as its forms: one, or a plural text's singular and plural."""
    return [text["one"], text["other"]] if isinstance(text, dict) else [text]


def test_the_sections_share_no_key_and_every_string_has_both_languages():
    names = list(SECTIONS)
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            assert not set(SECTIONS[first]) & set(SECTIONS[second]), (first, second)
    for key, text in TABLE.items():
        # A few sheet texts are families keyed by what they name (a clause, an answer): each is a text.
        for name, each in (text.items() if "zh" not in text else [(None, text)]):
            assert set(each) == {"zh", "en"} and all(_forms(each["zh"])) and all(_forms(each["en"])), (key, name)


def test_a_plural_text_names_its_count_in_both_forms_and_the_same_slots_as_the_other_language():
    plurals = {key: text for key, text in TABLE.items() if any(isinstance(v, dict) for v in text.values())
               and "zh" in text}
    assert {"batch_progress", "batch_done", "batch_shown", "progress_answered", "fix_answers", "screened"} <= set(plurals)
    for key, text in plurals.items():
        for lang, value in text.items():
            slots = [set(re.findall(r"\{(\w+)", form)) for form in _forms(value)]
            if isinstance(value, dict):
                assert set(value) == {"count", "one", "other"} and all(value["count"] in s for s in slots), key
            assert all(s == set(re.findall(r"\{(\w+)", _forms(text["zh"])[0])) for s in slots), (key, lang)


def test_a_plural_text_takes_the_singular_for_one_and_the_plural_otherwise():
    from checker_py import phrase

    text = UI["batch_shown"]["en"]
    assert phrase(text, shown=1, total=1) == "Showing 1 of 1 row"
    assert phrase(text, shown=0, total=3) == "Showing 0 of 3 rows"
    assert phrase(CHECKER["progress_answered"]["en"], n=4, m=1) == "4 answered; 1 question could change the verdict now"
    assert phrase(CHECKER["progress_answered"]["zh"], n=4, m=1) == "已回答 4 题；目前还有 1 个问题可能改变结论"


def test_every_key_the_code_names_is_in_the_table():
    missing = sorted({(path.name, key) for path, text in _code().items() for pattern in USES
                      for key in re.findall(pattern, text) if key not in TABLE and not key.endswith("_")})
    assert not missing, missing


def test_every_key_in_the_table_is_used_by_some_code():
    code = "\n".join(_code().values())
    prefixes = {prefix for found in re.findall(PREFIX, code) for prefix in found if prefix}
    unused = [key for key in TABLE if not re.search(rf"""["'.]{key}\b""", code)
              and not any(key.startswith(prefix) for prefix in prefixes)]
    assert not unused, unused


def test_the_cli_and_the_browser_use_the_same_verdict_words_and_icons():
    import json

    form = json.loads(next((ROOT / "site" / "assets" / "checker").glob("form.*.json")).read_text(encoding="utf-8"))
    for verdict in ("eligible", "ineligible", "incomplete", "review"):
        assert form["ui"][f"verdict_{verdict}"] == ENGINE[f"verdict_{verdict}"]
    for status in ("pass", "fail", "unknown", "review"):
        assert form["ui"][f"icon_{status}"] == ENGINE[f"icon_{status}"]


def _script_code(path):
    """A script's code without its comments."""
    code = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"(?m)(^|\s)//.*$", "", code)


def test_no_script_holds_interface_text_or_formats_money_or_dates():
    """The browser app shows the table's strings and the engine's texts: no Chinese in a script, no
    English sentence in a string, no number or date formatting of its own."""
    found = []
    for path in sorted((ROOT / "webapp").rglob("*.js")):
        for number, line in enumerate(_script_code(path).splitlines(), 1):
            if "Error(" in line or "console." in line:
                continue  # a developer's message, never shown as the page's text
            literals = re.findall(r'"((?:[^"\\]|\\.)*)"|`([^`]*)`|\'((?:[^\'\\]|\\.)*)\'', line)
            texts = [next((part for part in parts if part), "") for parts in literals]
            if any(re.search(r"[\u4e00-\u9fff]", text) for text in texts) \
                    or any(re.search(r"\b[A-Za-z][a-z]+ [a-z]+ [a-z]+", text) for text in texts) \
                    or re.search(r"toLocale\w*String|toFixed|Intl\.|toISOString", line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert found == []
