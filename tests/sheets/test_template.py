"""The screening template the build publishes (zh and en): columns from the field schema, drop-downs,
date formats, achievement groups, the explanation sheet with clause links, the CSV variant; and a
filled-in template (by openpyxl, and re-saved by LibreOffice Calc) screens like `check`."""

import csv
import io
import json
import re
import shutil
import subprocess
import time

import pytest
from openpyxl import load_workbook

from sheetkit import ROOT, check_json, row_of, screen, sheet_profiles

SITE = ROOT / "site"
LANGS = ("zh", "en")


def _template(lang, ext):
    """The published template the batch page of `lang` links to."""
    pages = {"zh": SITE / "batch" / "index.html", "en": SITE / "en" / "batch" / "index.html"}
    html = pages[lang].read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+\.' + ext + r')"', html)
    assert len(links) == 1, links
    path = (pages[lang].parent / links[0]).resolve()
    assert path.is_file(), links[0]
    return path


@pytest.mark.parametrize("lang", LANGS)
def test_the_published_template_has_a_column_per_field_labelled_in_its_language(lang, cols):
    workbook = load_workbook(_template(lang, "xlsx"))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == [c.label[lang] for c in cols]
    paths = [c.path for c in cols]
    assert paths[:4] == ["unit.name", "project.name", "leader.name", "programme"]
    assert [c.label["zh"] for c in cols[:4]] == ["单位名称", "项目名称", "项目负责人", "拟申报类别"]
    assert "project.achievements" in paths
    groups = {c.item for c in cols if c.item}
    assert len(groups) >= 3
    assert "project.achievements[1].kind" in paths and "project.achievements[3].date" in paths
    with_csv = _template(lang, "csv").read_bytes()
    assert with_csv.startswith(b"\xef\xbb\xbf")
    assert next(csv.reader(io.StringIO(with_csv.decode("utf-8-sig")))) == [c.label[lang] for c in cols]


@pytest.mark.parametrize("lang", LANGS)
def test_every_yes_no_and_choice_column_has_a_drop_down_and_dates_a_date_format(lang, cols):
    from checker_sheets.columns import letter

    workbook = load_workbook(_template(lang, "xlsx"))
    sheet, lists = workbook.worksheets[0], workbook["lists"]
    assert lists.sheet_state == "hidden"
    rules = {}
    for rule in sheet.data_validations.dataValidation:
        for cell_range in rule.sqref.ranges:
            rules[cell_range.coord.split(":")[0].rstrip("0123456789")] = rule
    yes_no = {"zh": ["是", "否"], "en": ["Yes", "No"]}[lang]
    for i, col in enumerate(cols):
        at = letter(i)
        if col.kind in ("bool", "enum"):
            rule = rules[at]
            assert rule.type == "list" and str(rule.sqref) == f"{at}2:{at}5000"
            sheet_name, cells = rule.formula1.split("!")
            first, last = cells.replace("$", "").split(":")
            choices = [c.value for row in lists[first:last] for c in row]
            expected = yes_no if col.kind == "bool" else [o["label"][lang] for o in col.field["options"]]
            assert (sheet_name, choices) == ("lists", expected), col.path
            # The error names only what the drop-down accepts (Excel refuses true/false or 1/0 here).
            assert all(word in rule.error for word in expected) and "true" not in rule.error, (col.path, rule.error)
        elif col.kind == "date":
            assert sheet.column_dimensions[at].number_format == "yyyy-mm-dd", col.path
            assert at not in rules
        elif col.kind == "text":
            assert at not in rules and sheet.column_dimensions[at].number_format == "General", col.path
        else:
            assert rules[at].type == ("decimal" if col.kind == "number" else "whole")


@pytest.mark.parametrize("lang", LANGS)
def test_the_second_sheet_explains_every_column_with_its_clause_link(lang, site_rules):
    from checker_sheets import columns
    from checker_py.strings import SHEETS as TEXT

    cols = columns(site_rules)
    assert sum(1 for c in cols if c.field.get("clauses")) >= len(cols) // 2

    workbook = load_workbook(_template(lang, "xlsx"))
    notes = workbook.worksheets[1]
    assert notes.title == TEXT["sheet_columns"][lang]
    rows = list(notes.iter_rows(min_row=3))
    assert [r[2].value for r in rows] == [c.path for c in cols]
    for row, col in zip(rows, cols):
        assert row[1].value == col.label[lang] and row[3].value and row[4].value
        assert row[7].value == TEXT["blank"][lang]
        assert not (lang == "zh" and row[6].value and "; " in row[6].value), row[6].value  # 条款名以“；”分隔
        refs = col.field.get("clauses") or []
        if not refs:
            continue
        link = row[8].value
        page, _, anchor = refs[0].partition("#")
        assert link.endswith(f"#{anchor}") and (link.startswith("en/") or "/en/" in link) == (lang == "en"), link
        # The anchor exists on the built page the link names (absolute with SITE_URL, else site-relative).
        path = link.split("://", 1)[1].split("/", 1)[1] if "://" in link else link
        assert f'id="{anchor}"' in (SITE / path.split("#")[0] / "index.html").read_text(encoding="utf-8"), link
        assert (row[8].hyperlink is not None) == ("://" in link)
    assert sum(1 for r in rows if r[8].value) >= len(cols) // 2


def test_with_a_public_address_the_clause_links_open_from_the_downloaded_file(site_rules, guide):
    from checker_sheets.template import template_xlsx
    from sitegen.batch_assets import template_clauses

    data = template_xlsx(site_rules, template_clauses(guide, "en", "https://example.org/guide/"), "en")
    import io

    notes = load_workbook(io.BytesIO(data)).worksheets[1]
    links = [row[8].hyperlink.target for row in notes.iter_rows(min_row=3) if row[8].hyperlink]
    assert links and all(link.startswith("https://example.org/guide/en/") for link in links)


def test_the_template_is_the_same_bytes_from_the_same_schema(site_rules, guide):
    from checker_sheets.template import template_xlsx
    from sitegen.batch_assets import template_clauses

    zh, en = (template_clauses(guide, lang, "https://example.org/guide/") for lang in LANGS)
    one = template_xlsx(site_rules, zh, "zh")
    time.sleep(1.1)  # a save time written anywhere would now differ
    assert one == template_xlsx(site_rules, zh, "zh")
    assert one != template_xlsx(site_rules, en, "en")


def _filled(lang, cols, tmp_path, profiles):
    """The published template with one row per profile, typed in through openpyxl."""
    workbook = load_workbook(_template(lang, "xlsx"))
    sheet = workbook.worksheets[0]
    for r, profile in enumerate(profiles, start=2):
        for c, value in enumerate(row_of(profile, cols, lang), start=1):
            if value is not None:
                sheet.cell(row=r, column=c, value=value)
    path = tmp_path / f"filled.{lang}.xlsx"
    workbook.save(path)
    return path


@pytest.fixture(scope="module")
def some_profiles(cols):
    """A few dozen engine test profiles the template can hold."""
    return sheet_profiles(cols)[::4][:40]


@pytest.mark.parametrize("lang", LANGS)
def test_a_template_filled_in_and_saved_again_screens_like_check(lang, cols, tmp_path, some_profiles):
    path = _filled(lang, cols, tmp_path, some_profiles)
    status, _, err = screen(path, "--output", tmp_path / "report.jsonl", "--lang", lang)
    assert status == 0, err
    assert (tmp_path / "report.jsonl").read_text(encoding="utf-8").splitlines() == check_json(some_profiles, lang)
    # The report itself opens again in openpyxl, with one row per application.
    screen(path, "--output", tmp_path / "report.xlsx", "--lang", lang)
    report = load_workbook(tmp_path / "report.xlsx")
    assert report.worksheets[0].max_row == len(some_profiles) + 1


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice Calc is not installed (apt-get install libreoffice-calc-nogui)")
def test_a_filled_template_saved_by_libreoffice_calc_screens_like_check(cols, tmp_path, some_profiles):
    path = _filled("zh", cols, tmp_path, some_profiles)
    out = tmp_path / "calc"
    run = subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                          "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(path)],
                         capture_output=True, text=True, timeout=300)
    saved = out / path.name
    assert saved.is_file(), run.stdout + run.stderr
    assert saved.read_bytes() != path.read_bytes()
    status, _, err = screen(saved, "--output", tmp_path / "report.jsonl")
    assert status == 0, err
    lines = (tmp_path / "report.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x) for x in lines] == [json.loads(x) for x in check_json(some_profiles)]
