"""Helpers of the spreadsheet tests: profiles written as sheet rows, the engine's own test profiles,
and the screen and check commands run as a user runs them."""

import datetime
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

from support import value_at

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BROKEN = ROOT / "tests" / "broken_inputs" / "sheets"


def _cell(value, col, lang, style):
    """One profile value as a person would type it: labels, 是/否, real dates (xlsx) or text (csv)."""
    if value is None:
        return None
    if col.kind == "bool":
        return {"zh": "是" if value else "否", "en": "Yes" if value else "No", "value": value}[lang]
    if col.kind == "enum":
        if lang == "value":
            return value
        return next(o["label"][lang] for o in col.field["options"] if o["value"] == value)
    if col.kind == "date" and style == "xlsx" and isinstance(value, str) and len(value) == 10:
        return datetime.date.fromisoformat(value)
    return value


def row_of(profile, cols, lang="zh", style="xlsx"):
    """The cells of one row for `profile` (None when the profile does not fit the template)."""
    cells = []
    items = value_at(profile, "project.achievements")
    if items is not None and len(items) > max(c.item for c in cols):
        return None
    for col in cols:
        if col.list_path and not col.item:
            cells.append(None if items is None else _cell(bool(items), col, lang, style))
        elif col.item:
            item = items[col.item - 1] if items and col.item <= len(items) else {}
            cells.append(_cell(item.get(col.field["path"]), col, lang, style))
        else:
            cells.append(_cell(value_at(profile, col.path), col, lang, style))
    return cells


def write_xlsx(path, header, rows):
    """A plain workbook: the header row, then the rows."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def engine_profiles():
    """Every profile of the engine's test cases (many boundaries, every verdict)."""
    spec = importlib.util.spec_from_file_location("engine_test_cases", ROOT / "tests" / "engine" / "test_cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [module.profile_of(case) for _, case in module.CASES]


def sheet_profiles(cols):
    """The engine's test profiles a sheet row can hold (some answer in the template's columns) and
    the engine accepts, as a unit would list them."""
    import checker_py

    out = []
    for profile in engine_profiles():
        row = row_of(profile, cols)
        if row is None or all(v is None for v in row):
            continue
        try:
            checker_py.evaluate(profile)
        except checker_py.ProfileError:
            continue
        out.append(profile)
    return out


def screen(*args):
    """`python -m checker_py screen ...` from the repository root: (status, stdout, stderr)."""
    run = subprocess.run([sys.executable, "-m", "checker_py", "screen", *map(str, args)],
                         capture_output=True, text=True, cwd=ROOT, timeout=600)
    return run.returncode, run.stdout, run.stderr


def check_json(profiles, lang="zh"):
    """`check --format json` on each profile (one JSON-lines batch): the printed lines."""
    text = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in profiles)
    run = subprocess.run([sys.executable, "-m", "checker_py", "check", "--format", "json", "--lang", lang, "--jsonl", "-"],
                         input=text, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()
