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
    """`python -m checker_sheets screen ...` from the repository root: (status, stdout, stderr)."""
    run = subprocess.run([sys.executable, "-m", "checker_sheets", "screen", *map(str, args)],
                         capture_output=True, text=True, cwd=ROOT, timeout=600)
    return run.returncode, run.stdout, run.stderr


def check_json(profiles, lang="zh", programme=None):
    """`check --format json` on each profile (one JSON-lines batch; `--programme` when given): the printed lines."""
    text = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in profiles)
    one = ["--programme", programme] if programme else []
    run = subprocess.run([sys.executable, "-m", "checker_py", "check", "--format", "json", "--lang", lang, "--jsonl", *one, "-"],
                         input=text, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()


# A workbook written by hand, part by part, for the hostile and faulty files: what openpyxl would never
# write (a bomb, a lying size, a hidden sheet's data) and nothing more than Excel needs to open it.
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def inline_row(number, values):
    """A <row> of inline-string cells (None leaves a cell out)."""
    from xml.sax.saxutils import escape

    from checker_sheets.columns import letter

    cells = "".join(f'<c r="{letter(i)}{number}" t="inlineStr"><is><t xml:space="preserve">{escape(str(v))}</t></is></c>'
                    for i, v in enumerate(values) if v is not None)
    return f'<row r="{number}">{cells}</row>'


def sheet_xml(rows, dimension=None):
    """A worksheet's XML around rows of markup (a list of strings)."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{_MAIN}">{dim}<sheetData>{"".join(rows)}</sheetData></worksheet>'


def package(path, sheets, active=0):
    """Write an .xlsx of `sheets`: [(name, state, xml)], xml a str or an iterable of byte chunks
    (streamed into the zip, for parts too big to hold); `active` is the index of the active sheet."""
    import zipfile
    from xml.sax.saxutils import quoteattr

    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                        f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, len(sheets) + 1))
    entries = "".join(f'<sheet name={quoteattr(name)} sheetId="{i}" state="{state}" r:id="rId{i}"/>'
                      for i, (name, state, _) in enumerate(sheets, 1))
    links = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                    for i in range(1, len(sheets) + 1))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                    '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
                    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                    f'{overrides}</Types>')
        zf.writestr("_rels/.rels", f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
                    f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml", f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView '
                    f'activeTab="{active}"/></bookViews><sheets>{entries}</sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{_PKG_REL}">{links}</Relationships>')
        for i, (_, _, xml) in enumerate(sheets, 1):
            if isinstance(xml, str):
                zf.writestr(f"xl/worksheets/sheet{i}.xml", xml)
                continue
            with zf.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as part:
                for chunk in xml:
                    part.write(chunk)


def empty_rows(megabytes):
    """A worksheet's XML of `megabytes` MB of empty rows, as byte chunks: a zip bomb (it compresses a
    thousandfold) for package()."""
    yield f'<worksheet xmlns="{_MAIN}"><sheetData>'.encode()
    chunk = b"<row/>" * (2**20 // 6)
    for _ in range(megabytes):
        yield chunk
    yield b"</sheetData></worksheet>"


def screen_in(folder, *args, lang="zh", limit_memory=None, umask=None):
    """`screen ...` run from `folder` (file names as given stay relative): (status, stdout, stderr).

    limit_memory caps the process's address space in bytes (a real MemoryError, not a simulated one)."""
    import os
    import resource

    def limits():
        """In the child: the memory cap and the umask asked for."""
        if limit_memory:
            resource.setrlimit(resource.RLIMIT_AS, (limit_memory, limit_memory))
        if umask is not None:
            os.umask(umask)

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "checker_sheets", "screen", *map(str, args), "--lang", lang],
                         capture_output=True, text=True, cwd=folder, env=env, timeout=600, preexec_fn=limits)
    return run.returncode, run.stdout, run.stderr


def engine_cases():
    """(programme, profile) of every engine test case."""
    spec = importlib.util.spec_from_file_location("engine_test_cases", ROOT / "tests" / "engine" / "test_cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [(case["programme"], module.profile_of(case)) for _, case in module.CASES]


# A recommending unit's batch: 25 applications, each naming the programme it applies to. Rows 4 and 18
# hold one project (its name typed with other spaces and punctuation) under two programmes; rows 7 and
# 21 have one leader, on pre-funding applications.
RECOMMENDER_ROWS = 25
SAME_PROJECT_ROWS = (4, 18)
SAME_LEADER_ROWS = (7, 21)
PROJECT_NAMES = ("油田 智能压裂·实时监测系统", "油田智能压裂实时监测系统（）")


def recommender_batch(cols):
    """[(programme id, profile, {unit, project, leader})] of the 25 applications, in row order (row 2 first).

    Each is an engine test case the template can hold, with names; the programmes alternate so that every
    programme has rows of its own, and the pairs above share a project or a leader."""
    import checker_py

    by_programme = {}
    for programme, profile in engine_cases():
        row = row_of(profile, cols)
        if row is None or all(v is None for v in row):
            continue
        try:
            checker_py.evaluate(profile, programme)
        except checker_py.ProfileError:
            continue
        by_programme.setdefault(programme, []).append(profile)
    order = checker_py.programme_ids()
    flagged = {r - 2 for r in SAME_PROJECT_ROWS + SAME_LEADER_ROWS}
    batch = []
    for n in range(RECOMMENDER_ROWS):
        programme = order[n % len(order)]
        profiles = by_programme[programme]
        profile = profiles[(n * 7) % len(profiles)]
        if n in flagged:  # an application the engine admits, so that the flag is what asks for review
            profile = next(p for p in profiles
                           if checker_py.evaluate(p, programme)["results"][programme]["verdict"] == "eligible")
        names = {"unit": f"克拉玛依第{n + 1}科技有限公司", "project": f"油气田数字化示范项目{n + 1}",
                 "leader": f"申报人{n + 1}"}
        batch.append([programme, profile, names])
    first, second = (r - 2 for r in SAME_PROJECT_ROWS)
    batch[first][2]["project"], batch[second][2]["project"] = PROJECT_NAMES
    assert batch[first][0] != batch[second][0]
    first, second = (r - 2 for r in SAME_LEADER_ROWS)
    batch[second][2]["leader"] = batch[first][2]["leader"] = "王 伟"
    return [tuple(entry) for entry in batch]


def recommender_row(programme, profile, names, cols, lang="zh"):
    """One row of the recommender's batch: the application's names and programme title, then the answers."""
    titles = {c.path: c for c in cols}["programme"].field["options"]
    title = next(o["label"][lang] for o in titles if o["value"] == programme)
    own = {"unit.name": names["unit"], "project.name": names["project"], "leader.name": names["leader"], "programme": title}
    return [own[c.path] if not c.answer else value for c, value in zip(cols, row_of(profile, cols, lang))]
