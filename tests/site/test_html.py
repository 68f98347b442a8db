"""Valid HTML: the Nu Html Checker (vnu.jar from npm, on Debian's Java) finds no error on any built page.

The checker runs once, on every page of both languages (404 included). The only errors it may
report are Material's own, listed in MATERIAL_ERRORS with the reason they stay (README, "Valid
HTML"); anything else is ours and fails. Material partials we override to fix its markup are
compared with the installed theme's, so a theme upgrade that changes them is noticed.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import material
import pytest

from support import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java") or "/usr/bin/java"
MATERIAL = Path(material.__file__).parent / "templates"
# (message start, markup the error is about): Material's errors that a small override cannot fix.
MATERIAL_ERRORS = [
    # base.html writes its drawer and search toggles as <input type="checkbox" autocomplete="off">
    # outside any template block (overriding them means forking base.html). The attribute stops
    # Firefox from restoring a toggle's state on Back; the checker rejects it on checkboxes.
    ("Attribute “autocomplete” is only allowed when the input type is", re.compile(
        r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" id="__(drawer|search)" autocomplete="off">')),
]
# Our copies of Material's partials and the one change each makes: (original, ours, how many times).
OVERRIDDEN = {
    "partials/search.html": ('role="dialog">', 'role="dialog" aria-label="{{ lang.t(\'search\') }}">', 1),
    "partials/nav-item.html": ('tabindex="{{ tabindex }}"', '{% if tabindex %}tabindex="{{ tabindex }}"{% endif %}', 2),
}
HEADER = re.compile(r"\A\{#-.*?-#\}\n", re.S)


def pages(site_dir):
    """Every HTML page of the site (the assets hold none that a reader opens)."""
    return sorted(p for p in site_dir.rglob("*.html") if "assets" not in p.relative_to(site_dir).parts)


def run_vnu(files):
    """The Nu Html Checker's errors on `files`, as its JSON messages."""
    if not VNU.exists():
        pytest.fail("node_modules/vnu-jar is missing: run `npm ci` (make does it)")
    if not Path(JAVA).exists():
        pytest.fail(f"{JAVA} is missing: the Nu Html Checker needs Java (apt-get install default-jre-headless)")
    done = subprocess.run([JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
                          capture_output=True, text=True, timeout=600)
    report = json.loads(done.stderr or done.stdout)
    return [m for m in report["messages"] if m["type"] in ("error", "non-document-error")]


def is_material(message):
    """True when the error is one of Material's listed ones."""
    return any(message["message"].startswith(start) and markup.search(message.get("extract", ""))
               for start, markup in MATERIAL_ERRORS)


def describe(message):
    """One line per error: page, line, message and the markup quoted."""
    where = message.get("url", "").split("/site/")[-1]
    return f"{where}:{message.get('lastLine', '?')}: {message['message']} [{message.get('extract', '').strip()}]"


@pytest.fixture(scope="module")
def vnu_errors(site_dir):
    """The checker's errors on every page, from one run (the JVM starts once)."""
    files = pages(site_dir)
    assert len(files) >= 25, files
    return run_vnu(files)


def test_no_page_of_either_language_has_an_html_error_of_our_own(vnu_errors):
    ours = [describe(m) for m in vnu_errors if not is_material(m)]
    assert not ours, f"{len(ours)} errors:\n" + "\n".join(ours[:40])


def test_the_listed_material_errors_are_still_there_or_the_list_can_shrink(vnu_errors, site_dir):
    """Each listed exception must still occur: one that no longer does is removed from the list."""
    for start, markup in MATERIAL_ERRORS:
        assert any(m["message"].startswith(start) and markup.search(m.get("extract", "")) for m in vnu_errors), start


def test_the_checker_reports_markup_of_ours_that_is_invalid(tmp_path):
    """The check can fail: a page with the attribute the templates used to leave behind is refused."""
    page = tmp_path / "bad.html"
    page.write_text('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
                    '<body><div class="clause" markdown="0"><p>x</p></div></body></html>', encoding="utf-8")
    found = [m for m in run_vnu([page]) if not is_material(m)]
    assert any("“markdown” not allowed" in m["message"] for m in found), found


@pytest.mark.parametrize("name", sorted(OVERRIDDEN))
def test_an_overridden_material_partial_differs_from_the_theme_only_by_its_fix(name):
    theirs = HEADER.sub("", (MATERIAL / name).read_text(encoding="utf-8"))
    ours = HEADER.sub("", (ROOT / "overrides" / name).read_text(encoding="utf-8"))
    original, fixed, times = OVERRIDDEN[name]
    assert theirs.count(original) == times, f"Material's {name} changed: copy it again and re-apply the fix"
    assert ours == theirs.replace(original, fixed)


DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_has_its_own_meta_description_in_its_language(site_dir, lang):
    found = {}
    for page in pages(site_dir):
        rel = page.relative_to(site_dir).as_posix()
        if rel == "404.html" or (rel.startswith("en/") != (lang == "en")):
            continue
        match = DESCRIPTION.findall(page.read_text(encoding="utf-8"))
        assert len(match) == 1, f"{rel}: {len(match)} descriptions"
        found[rel] = match[0]
    assert len(found) == 13, sorted(found)
    assert len(set(found.values())) == len(found), "two pages share a description"
    for rel, text in found.items():
        # A Chinese character carries about two Latin ones.
        assert {"zh": 20, "en": 40}[lang] <= len(text) <= 170, (rel, text)
        # Chinese pages describe themselves in Chinese; English ones in English (the glossary's
        # description quotes Chinese terms, so only the start is judged).
        assert bool(HAN.search(text[:12])) == (lang == "zh"), (rel, text)
