"""Screening a spreadsheet on the command line: reading cells, the report, errors by row and column,
CSV encodings, and parity with `check --format json`, row for row."""

import hashlib
import json
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from sheetkit import FIXTURES, check_json, engine_profiles, row_of, screen, write_xlsx

import checker_py


def _valid(profiles):
    """The profiles the engine accepts and the template can hold, without duplicates."""
    seen, out = set(), []
    for profile in profiles:
        key = json.dumps(profile, sort_keys=True)
        if key in seen:
            continue
        try:
            checker_py.evaluate(profile)
        except checker_py.ProfileError:
            continue
        seen.add(key)
        out.append(profile)
    return out


@pytest.fixture(scope="module")
def profiles(cols):
    """Every engine test profile that fits the template (an empty one is a blank row, not an application)."""
    return [p for p in _valid(engine_profiles()) if any(v is not None for v in row_of(p, cols) or [])]


def _jsonl(path):
    """The lines of a JSON-lines report."""
    return path.read_text(encoding="utf-8").splitlines()


def test_the_verdicts_of_a_screened_sheet_equal_check_format_json_row_for_row(profiles, cols, tmp_path):
    assert len(profiles) > 50
    sheet = tmp_path / "applications.xlsx"
    write_xlsx(sheet, [c.label["zh"] for c in cols], [row_of(p, cols) for p in profiles])
    status, _, err = screen(sheet, "--output", tmp_path / "report.jsonl")
    assert status == 0, err
    assert _jsonl(tmp_path / "report.jsonl") == check_json(profiles)
    # The report workbook says the same verdicts, programme by programme.
    status, _, err = screen(sheet, "--output", tmp_path / "report.xlsx")
    assert status == 0, err
    report = load_workbook(tmp_path / "report.xlsx", read_only=True)["明细"]
    rows = list(report.iter_rows(values_only=True))
    header = rows[0]
    messages = __import__("checker_sheets").schema()["strings"]
    for line, row in zip(check_json(profiles), rows[1:]):
        result = json.loads(line)
        for pid, res in result["results"].items():
            at = header.index(f"{res['title']}：结论")
            assert row[at] == messages[f"verdict_{res['verdict']}"]["zh"]


def test_field_path_headers_are_read_the_same_as_labels_in_either_language(profiles, cols, tmp_path):
    some = profiles[:40]
    outputs = []
    for name, header, lang in (("zh", [c.label["zh"] for c in cols], "zh"), ("en", [c.label["en"] for c in cols], "en"),
                               ("paths", [c.path for c in cols], "value")):
        sheet = tmp_path / f"{name}.xlsx"
        write_xlsx(sheet, header, [row_of(p, cols, lang) for p in some])
        status, _, err = screen(sheet, "--output", tmp_path / f"{name}.jsonl")
        assert status == 0, err
        outputs.append(_jsonl(tmp_path / f"{name}.jsonl"))
    assert outputs[0] == outputs[1] == outputs[2] == check_json(some)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_csv_in_utf8_with_or_without_bom_or_in_gb18030_is_screened_alike(encoding, profiles, cols, tmp_path):
    import csv
    import io

    some = profiles[:30]
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow([c.label["zh"] for c in cols])
    for p in some:
        writer.writerow(["" if v is None else v for v in row_of(p, cols, "zh", style="csv")])
    sheet = tmp_path / "applications.csv"
    sheet.write_bytes(text.getvalue().encode(encoding))
    status, _, err = screen(sheet, "--output", tmp_path / "report.jsonl")
    assert status == 0, err
    assert _jsonl(tmp_path / "report.jsonl") == check_json(some)


def _one_row(tmp_path, cells, cols, name="one.xlsx"):
    """Screen a sheet with the template's zh header and one row given as {path: cell}; the JSON line."""
    sheet = tmp_path / name
    write_xlsx(sheet, [c.path for c in cols], [[cells.get(c.path) for c in cols]])
    status, _, err = screen(sheet, "--output", tmp_path / "one.jsonl")
    return status, json.loads(_jsonl(tmp_path / "one.jsonl")[0]), err


CELL_READINGS = [
    ("unit.in_karamay", "是", True), ("unit.in_karamay", "否", False), ("unit.in_karamay", "TRUE", True),
    ("unit.in_karamay", "no", False), ("unit.in_karamay", 1, True), ("unit.in_karamay", "0", False),
    ("unit.in_karamay", True, True),
    ("unit.kind", "事业单位", "institution"), ("unit.kind", "public institution", "institution"),
    ("unit.kind", "enterprise", "enterprise"), ("unit.kind", " 企业 ", "enterprise"),
    ("leader.birth_date", "1980-05-03", "1980-05-03"), ("leader.birth_date", "1980/5/3", "1980-05-03"),
    ("project.total_investment", "250", 250), ("project.total_investment", "1,200万元", 1200),
    ("project.total_investment", 99.5, 99.5), ("project.consortium_units", 3.0, 3),
    # Read by the engine's own reader, as the form and `check` read them.
    ("leader.birth_date", "１９８０年5月3日", "1980-05-03"), ("leader.birth_date", 19800503, "1980-05-03"),
    ("leader.birth_date", "1980.5", "1980-05"), ("leader.birth_date", 1980, "1980"),
    ("project.total_investment", "２５０万", 250), ("project.consortium_units", "３", 3),
]


@pytest.mark.parametrize("path,cell,value", CELL_READINGS, ids=[f"{p}={c!r}" for p, c, _ in CELL_READINGS])
def test_a_cell_is_read_as_a_person_would_mean_it(path, cell, value, cols):
    from checker_sheets.cells import read_cell

    col = next(c for c in cols if c.path == path)
    assert read_cell(cell, col) == value


@pytest.mark.parametrize("path,cell,typed", [("leader.birth_date", "1980-02-30", "date"),
                                             ("project.total_investment", "1,2", "number"),
                                             ("project.subtopics", "2.5", "int")])
def test_a_cell_the_engine_cannot_read_gets_the_engines_own_message(cols, path, cell, typed):
    import checker_py
    from checker_sheets.cells import CellProblem, read_cell

    col = next(c for c in cols if c.path == path)
    with pytest.raises(CellProblem) as refused:
        read_cell(cell, col)
    with pytest.raises(checker_py.InvalidAnswer) as engine:
        checker_py.read_date(cell) if typed == "date" else checker_py.read_amount(cell, whole=typed == "int")
    assert (refused.value.zh, refused.value.en) == (engine.value.zh, engine.value.en)


def test_a_real_spreadsheet_date_is_read_as_that_day(cols):
    import datetime

    from checker_sheets.cells import read_cell

    col = next(c for c in cols if c.path == "leader.birth_date")
    assert read_cell(datetime.datetime(1975, 1, 1), col) == "1975-01-01"


def test_a_blank_cell_is_unknown_and_never_no(cols, tmp_path):
    status, line, _ = _one_row(tmp_path, {"unit.in_karamay": "   ", "unit.kind": "企业"}, cols)
    assert status == 0
    assert "unit.in_karamay" in line["results"]["major"]["missing"]


def test_no_achievements_blank_and_filled_groups_are_kept_apart(cols, tmp_path):
    from checker_sheets.rows import Layout, row_profile

    layout = Layout(1, [c.path for c in cols], list(cols))
    at = {c.path: i for i, c in enumerate(cols)}

    def profile(cells):
        """The profile of a row given as {path: cell}, or None when the row has an error."""
        values = [None] * len(cols)
        for path, value in cells.items():
            values[at[path]] = value
        return row_profile(2, values, layout)[0]

    assert profile({"project.achievements": "否"}) == {"project": {"achievements": []}}
    assert profile({}) == {}
    assert profile({"project.achievements[2].kind": "发明专利"}) == {"project": {"achievements": [{"kind": "invention_patent"}]}}
    assert profile({"project.achievements": "是"}) == {"project": {"achievements": [{}]}}
    assert profile({"project.achievements": "否", "project.achievements[1].kind": "发明专利"}) is None


def test_a_bad_cell_is_named_by_row_and_column_and_only_its_row_is_an_error(cols, tmp_path):
    sheet = tmp_path / "mixed.xlsx"
    header = [c.label["zh"] for c in cols]
    kind = next(i for i, c in enumerate(cols) if c.path == "unit.kind")
    good = [None] * len(cols)
    good[next(i for i, c in enumerate(cols) if c.path == "unit.in_karamay")] = "是"
    bad = list(good)
    bad[kind] = "合作社"
    write_xlsx(sheet, header, [good, bad, good])
    before = hashlib.sha256(sheet.read_bytes()).hexdigest()
    status, _, err = screen(sheet, "--output", tmp_path / "report.xlsx")
    assert status == 2
    from checker_sheets.columns import letter

    expected = f"第 3 行 {letter(kind)} 列“单位性质”：应为以下之一：企业 / 事业单位 / 其他"
    assert expected in err.splitlines()
    assert hashlib.sha256(sheet.read_bytes()).hexdigest() == before, "the input was modified"
    rows = list(load_workbook(tmp_path / "report.xlsx", read_only=True)["明细"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [2, 3, 4]
    errors_at = rows[0].index("输入错误")
    assert rows[2][errors_at] == expected
    assert rows[2][errors_at + 2] == "输入错误"  # the first programme's verdict, after the checks across rows
    incomplete = __import__("checker_sheets").schema()["strings"]["verdict_incomplete"]["zh"]
    assert rows[1][errors_at] is None and rows[1][errors_at + 2] == incomplete
    # The JSON lines carry the same error object for that row.
    screen(sheet, "--output", tmp_path / "report.jsonl")
    lines = [json.loads(line) for line in _jsonl(tmp_path / "report.jsonl")]
    assert lines[1]["error"] == {"field": "unit.kind", "message": expected} and lines[1]["row"] == 3
    assert "results" in lines[0] and "results" in lines[2]


def test_an_engine_refusal_is_named_by_the_column_it_came_from(cols, tmp_path):
    status, line, err = _one_row(tmp_path, {"project.total_investment": -5}, cols)
    assert status == 2
    assert line["error"]["field"] == "project.total_investment"
    assert "第 2 行" in line["error"]["message"] and "project.total_investment" in line["error"]["message"]


def colour_shown(sheet, cell):
    """The fill colour the conditional formats give a cell ("" for none): the first rule "equal to" its text."""
    for formats in sheet.conditional_formatting:
        if cell.coordinate not in formats.sqref:
            continue
        for rule in formats.rules:
            if rule.type == "cellIs" and rule.operator == "equal" and rule.formula == [f'"{cell.value}"']:
                return rule.dxf.fill.bgColor.rgb
    return ""


def screen_in_english(profiles, cols, tmp_path):
    """Write the profiles as an English sheet and screen it into tmp_path/report.xlsx, in English."""
    sheet = tmp_path / "applications.xlsx"
    write_xlsx(sheet, [c.label["en"] for c in cols], [row_of(p, cols, "en") for p in profiles])
    status, _, err = screen(sheet, "--output", tmp_path / "report.xlsx", "--lang", "en")
    assert status == 0, err


def test_the_report_has_coloured_verdicts_a_summary_and_speaks_the_chosen_language(profiles, cols, tmp_path):
    from checker_sheets.report import VERDICT_FILLS

    some = profiles[:25]
    screen_in_english(some, cols, tmp_path)
    workbook = load_workbook(tmp_path / "report.xlsx")
    assert workbook.sheetnames == ["Summary", "Details", "Counts"]
    results = workbook["Details"]
    header = [c.value for c in results[1]]
    expected = json.loads(check_json(some, "en")[0])
    titles = [res["title"] for res in expected["results"].values()]
    assert header[-20:] == [f"{t}: {part}" for t in [expected["results"][p]["title"] for p in checker_py.programme_ids()]
                            for part in ("verdict", "largest admissible request (万元)", "failing or review reasons", "still missing")]
    assert set(titles) <= {h.split(":")[0] for h in header[-20:]}
    messages = __import__("checker_sheets").schema()["strings"]
    colour_of = {messages[f"verdict_{v}"]["en"]: fill for v, fill in VERDICT_FILLS.items() if f"verdict_{v}" in messages}
    seen = 0
    for row in results.iter_rows(min_row=2):
        for cell in row:
            if header[cell.column - 1].endswith(": verdict"):
                assert colour_shown(results, cell).endswith(colour_of[cell.value]), cell.coordinate
                seen += 1
    assert seen == 5 * len(some)
    summary = [[c.value for c in row] for row in workbook["Counts"].iter_rows()]
    start = summary.index(next(r for r in summary if r[0] == "Programme")) + 1
    table = summary[start:start + len(checker_py.programme_ids())]
    assert [r[0] for r in table] == [expected["results"][p]["title"] for p in checker_py.programme_ids()]
    assert all(r[-1] == len(some) for r in table)
    verdict_counts = {}
    for line in check_json(some, "en"):
        for pid, res in json.loads(line)["results"].items():
            verdict_counts[(pid, res["verdict"])] = verdict_counts.get((pid, res["verdict"]), 0) + 1
    heads = summary[summary.index(next(r for r in summary if r[0] == "Programme"))]
    for pid, row in zip(checker_py.programme_ids(), table):
        for verdict in ("eligible", "ineligible", "incomplete", "review"):
            assert row[heads.index(messages[f"verdict_{verdict}"]["en"])] == verdict_counts.get((pid, verdict), 0)


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice Calc is not installed (apt-get install libreoffice-calc-nogui)")
def test_libreoffice_calc_shows_every_verdict_of_the_report_in_its_colour(profiles, cols, tmp_path):
    """A real spreadsheet application renders the report: each verdict cell (and the summary's key) in its verdict's fill."""
    from checker_sheets.report import VERDICT_FILLS

    some = profiles[:25]
    screen_in_english(some, cols, tmp_path)
    run = subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                          "--convert-to", "html", "--outdir", str(tmp_path / "calc"), str(tmp_path / "report.xlsx")],
                         capture_output=True, text=True, timeout=300)
    page = tmp_path / "calc" / "report.html"
    assert page.is_file(), run.stdout + run.stderr
    messages = __import__("checker_sheets").schema()["strings"]
    colour_of = {messages[f"verdict_{v}"]["en"]: fill for v, fill in VERDICT_FILLS.items() if f"verdict_{v}" in messages}
    cells = re.findall(r"<td([^>]*)>(?:<[^>]+>)*([^<]*)", page.read_text(encoding="utf-8"))
    shown = [(re.search(r'bgcolor="#(\w{6})"', attributes), text) for attributes, text in cells if text in colour_of]
    assert len(shown) == 5 * len(some) + len(colour_of)
    assert all(colour and colour.group(1).upper() == colour_of[text] for colour, text in shown), shown


def test_the_report_keeps_the_input_columns_and_gives_max_request_reasons_and_missing_only_where_answers_can_admit(cols, tmp_path):
    sheet = tmp_path / "one.xlsx"
    header = ["申报单位名称"] + [c.label["zh"] for c in cols]
    at = {c.path: i + 1 for i, c in enumerate(cols)}
    row = [None] * len(header)
    row[0] = "甲公司"
    row[at["unit.in_karamay"]] = "否"
    row[at["project.total_investment"]] = 100
    row[at["project.requested_funding"]] = 10
    write_xlsx(sheet, header, [row])
    status, _, err = screen(sheet, "--output", tmp_path / "report.csv")
    assert status == 0, err
    assert "申报单位名称" in err  # a column of the unit's own is named as kept
    data = (tmp_path / "report.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][: len(header) + 1] == ["行号"] + header
    assert rows[1][1] == "甲公司"
    result = checker_py.evaluate({"unit": {"in_karamay": False}, "project": {"total_investment": 100, "requested_funding": 10}})
    talent = result["results"]["talent"]
    start = rows[0].index(f"{talent['title']}：结论")
    assert rows[1][start] == "不符合申报条件"
    assert rows[1][start + 1] == str(talent["funding"]["max_request"])
    fails = [r["message"] for r in talent["rules"] if r["status"] == "fail"]
    assert fails and all(m in rows[1][start + 2] for m in fails)
    assert rows[1][start + 3] == "", "a programme that rules the row out needs no more answers"
    soft = result["results"]["soft_science"]
    start = rows[0].index(f"{soft['title']}：结论")
    assert soft["verdict"] == "incomplete" and rows[1][start] == "信息不全，尚无结论"
    assert "项目负责人出生日期" in rows[1][start + 3]


def test_a_workbook_saved_by_libreoffice_with_a_title_row_merged_headers_and_trailing_rows_is_read(tmp_path):
    status, _, err = screen(FIXTURES / "unit_summary.xlsx", "--output", tmp_path / "report.jsonl")
    assert status == 2  # its third application names a kind of unit the guide does not have
    lines = [json.loads(line) for line in _jsonl(tmp_path / "report.jsonl")]
    assert len(lines) == 3, "the formatted empty rows at the end are not applications"
    first = {"unit": {"in_karamay": True, "legal_person": True, "kind": "enterprise"},
             "leader": {"birth_date": "1975-01-01", "title": "senior"},
             "project": {"total_investment": 3500, "requested_funding": 500,
                         "achievements": [{"kind": "invention_patent", "date": "2019-06-30"}]}}
    second = {"unit": {"in_karamay": False, "kind": "institution"}, "leader": {"birth_date": "1990-12-31"},
              "project": {"total_investment": 80, "requested_funding": 20, "achievements": []}}
    assert lines[:2] == [json.loads(line) for line in check_json([first, second])]
    assert lines[2]["row"] == 5 and lines[2]["error"]["field"] == "unit.kind"
    assert "备注" in err


def test_an_output_that_is_the_input_or_of_an_unknown_type_is_refused(tmp_path):
    sheet = FIXTURES / "unit_summary.xlsx"
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(sheet.read_bytes())
    status, _, err = screen(copy, "--output", copy)
    assert status == 2 and err.startswith("error: ") and copy.read_bytes() == sheet.read_bytes()
    status, _, err = screen(copy, "--output", tmp_path / "report.txt")
    assert status == 2 and ".jsonl" in err and len(err.splitlines()) == 1


def test_the_cli_says_row_for_one_row_and_rows_for_more(cols, tmp_path):
    for count, words in ((1, "screened 1 row (0 with input errors)"), (2, "screened 2 rows (0 with input errors)")):
        sheet = tmp_path / f"{count}.xlsx"
        write_xlsx(sheet, [c.path for c in cols], [["是" if c.path == "unit.in_karamay" else None for c in cols]] * count)
        status, out, err = screen(sheet, "--output", tmp_path / f"{count}.jsonl", "--lang", "en")
        assert status == 0, err
        assert words in out + err
