"""A recommending unit's batch: each row names the programme it applies to and is screened for it alone;
the checks across rows (one project under two programmes, one leader on two applications) flag both rows
with their clause; the report a clerk prints (its summary sheet on A4 landscape, rendered by LibreOffice),
its detail and counts sheets, and the CLI's closing summary say the same."""

import json
import re
import shutil
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook

from sheetkit import (SAME_LEADER_ROWS, SAME_PROJECT_ROWS, check_json, recommender_batch, recommender_row, screen,
                      write_xlsx)

import checker_py

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SUMMARY_HEADERS = ["行号", "单位名称", "项目名称", "项目负责人", "拟申报类别", "结论", "可申请额度", "原因（不符合、需复核或输入错误）",
                   "尚需填写"]
FLAGGED = {row: "申报限制（一）" for row in SAME_PROJECT_ROWS} | {row: "申报限制（二）" for row in SAME_LEADER_ROWS}


@pytest.fixture(scope="module")
def batch(cols):
    """The 25 applications: (programme, profile, names)."""
    return recommender_batch(cols)


@pytest.fixture(scope="module")
def screened(batch, cols, tmp_path_factory):
    """The batch as a workbook, screened by the CLI into .xlsx and .jsonl: (folder, status, stdout, stderr)."""
    folder = tmp_path_factory.mktemp("recommender")
    write_xlsx(folder / "推荐汇总.xlsx", [c.label["zh"] for c in cols],
               [recommender_row(programme, profile, names, cols) for programme, profile, names in batch])
    status, out, err = screen(folder / "推荐汇总.xlsx", "--output", folder / "report.xlsx")
    screen(folder / "推荐汇总.xlsx", "--output", folder / "report.jsonl")
    return folder, status, out, err


def expected(batch):
    """What each row must show, from `check --programme` on its own: [(row, programme, verdict, result)];
    the rows a check across rows flags need review where the engine finds them eligible."""
    out = []
    for number, (programme, profile, _) in enumerate(batch, start=2):
        result = checker_py.evaluate(profile, programme)["results"][programme]
        verdict = result["verdict"]
        if number in FLAGGED:
            assert verdict == "eligible"  # the batch is made so: the flag alone asks for review
            verdict = "review"
        out.append((number, programme, verdict, result))
    return out


def _names():
    """The engine's verdict names in Chinese."""
    words = __import__("checker_sheets").schema()["strings"]
    return {v: words[f"verdict_{v}"]["zh"] for v in ("eligible", "ineligible", "incomplete", "review")}


def test_each_row_is_screened_for_its_programme_only_and_the_jsonl_is_check_with_that_programme(batch, screened):
    folder, status, _, err = screened
    assert status == 0, err
    lines = (folder / "report.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(batch) == 25
    for programme in checker_py.programme_ids():
        mine = [i for i, (p, _, _) in enumerate(batch) if p == programme]
        assert [lines[i] for i in mine] == check_json([batch[i][1] for i in mine], programme=programme)
        assert all(list(json.loads(lines[i])["results"]) == [programme] for i in mine)


def test_the_summary_sheet_has_one_row_per_application_with_its_programmes_verdict_request_and_reasons(batch, screened):
    folder, _, _, _ = screened
    workbook = load_workbook(folder / "report.xlsx")
    assert workbook.sheetnames == ["汇总", "明细", "统计"]
    sheet = workbook["汇总"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == SUMMARY_HEADERS
    names = _names()
    titles = {pid: res["title"] for pid, res in checker_py.evaluate({})["results"].items()}
    for cells, (number, programme, verdict, result), (_, _, given) in zip(rows[1:], expected(batch), batch):
        row, unit, project, leader, title, shown, request, reasons, missing = cells
        assert (row, unit, project, leader, title) == (number, given["unit"], given["project"], given["leader"], titles[programme])
        assert shown == names[verdict], number
        own = list(dict.fromkeys(r["message"] for r in result["rules"] if r["status"] in ("fail", "review")))
        flags = [line for line in (reasons or "").splitlines() if line not in own]
        assert (reasons or "").splitlines()[len(flags):] == own, number
        if number in FLAGGED:
            assert len(flags) == 1 and FLAGGED[number] in flags[0] and flags[0].endswith("需人工复核。"), flags
            other = next(r for pair in (SAME_PROJECT_ROWS, SAME_LEADER_ROWS) if number in pair for r in pair if r != number)
            assert flags[0].startswith(f"与第 {other} 行："), flags
        else:
            assert flags == [], number
        funding = result["funding"]
        if result["verdict"] == "ineligible":
            assert request is None
        elif funding["request_range"] is not None:
            assert request == funding["request_range"]["text"]  # no request given: the range it may ask for
        elif funding["max_request_text"] is not None:
            assert request == f"至多 {funding['max_request_text']}"
        if result["verdict"] != "ineligible" and result["missing"]:
            assert missing, number
    # Frozen on the unit's name, printed on A4 landscape fitted to the page's width, the header repeated.
    assert sheet.freeze_panes == "C2"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$1:$1"
    assert all(sheet.column_dimensions[chr(65 + i)].width for i in range(len(SUMMARY_HEADERS)))


def test_the_detail_sheet_judges_only_the_intended_programme_and_the_counts_only_what_was_asked(batch, screened):
    folder, _, _, _ = screened
    workbook = load_workbook(folder / "report.xlsx")
    detail = [[c.value for c in row] for row in workbook["明细"].iter_rows()]
    names = _names()
    ids = checker_py.programme_ids()
    titles = {pid: res["title"] for pid, res in checker_py.evaluate({})["results"].items()}
    want = expected(batch)
    for cells, (number, programme, verdict, result) in zip(detail[1:], want):
        for pid in ids:
            at = detail[0].index(f"{titles[pid]}：结论")
            if pid == programme:
                assert cells[at] == names[verdict] and cells[at + 1] == result["funding"]["max_request"], number
            else:
                assert cells[at:at + 4] == ["（未申报）", None, None, None], (number, pid)
        across = cells[detail[0].index("跨行核对")]
        assert (across is not None) == (number in FLAGGED), number

    counts = [[c.value for c in row] for row in workbook["统计"].iter_rows()]
    head = next(i for i, r in enumerate(counts) if r[0] == "项目类别")
    for pid, row in zip(ids, counts[head + 1:head + 1 + len(ids)]):
        assert row[0] == titles[pid]
        for verdict in names:
            at = counts[head].index(names[verdict])
            assert row[at] == sum(1 for _, p, v, _ in want if p == pid and v == verdict), (pid, verdict)
        assert row[-1] == sum(1 for _, p, _, _ in want if p == pid) == 5
    pairs = [r[0] for r in counts[counts.index(next(r for r in counts if r[0] == "跨行核对（需人工复核）")) + 1:] if r[0]]
    assert pairs == [f"第 {SAME_PROJECT_ROWS[0]} 行与第 {SAME_PROJECT_ROWS[1]} 行：项目名称相同、拟申报类别不同（申报限制（一））。需人工复核。",
                     f"第 {SAME_LEADER_ROWS[0]} 行与第 {SAME_LEADER_ROWS[1]} 行：项目负责人相同，涉及事前资助项目（申报限制（二））。需人工复核。"]


def test_the_cli_ends_with_the_counts_per_programme_and_verdict_and_the_flagged_pairs(batch, screened):
    _, status, out, err = screened
    assert status == 0, err
    lines = out.splitlines()
    names = _names()
    want = expected(batch)
    titles = {pid: res["title"] for pid, res in checker_py.evaluate({})["results"].items()}
    for pid in checker_py.programme_ids():
        line = next(line for line in lines if line.startswith(f"{titles[pid]}："))
        for verdict, name in names.items():
            n = sum(1 for _, p, v, _ in want if p == pid and v == verdict)
            assert (f"{name} {n} 行" in line) == (n > 0), line
        assert line.endswith("（共 5 行）"), line
    assert lines[-3:] == ["跨行核对（需人工复核）",
                          f"第 {SAME_PROJECT_ROWS[0]} 行与第 {SAME_PROJECT_ROWS[1]} 行：项目名称相同、拟申报类别不同（申报限制（一））。需人工复核。",
                          f"第 {SAME_LEADER_ROWS[0]} 行与第 {SAME_LEADER_ROWS[1]} 行：项目负责人相同，涉及事前资助项目（申报限制（二））。需人工复核。"]


def _summary_only(report, out):
    """A copy of the report in which only the summary sheet is visible (LibreOffice prints visible sheets):
    the summary sheet's own part is left byte for byte as it was."""
    with zipfile.ZipFile(report) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = re.sub(rb'(<sheet name="(?!\xe6\xb1\x87\xe6\x80\xbb")[^"]*" sheetId="\d+" state=)"visible"', rb'\1"hidden"', data)
                assert data.count(b'state="hidden"') == 2
            target.writestr(info, data)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice Calc is not installed (apt-get install libreoffice-calc-nogui)")
def test_libreoffice_prints_the_summary_of_25_rows_on_at_most_two_a4_landscape_pages_with_every_column_whole(
        batch, screened, tmp_path):
    from pdftext import pages

    folder, _, _, _ = screened
    _summary_only(folder / "report.xlsx", tmp_path / "summary.xlsx")
    run = subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                          "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(tmp_path / "summary.xlsx")],
                         capture_output=True, text=True, timeout=300)
    pdf = tmp_path / "pdf" / "summary.pdf"
    assert pdf.is_file(), run.stdout + run.stderr
    printed = pages(pdf.read_bytes())
    assert 1 <= len(printed) <= 2, len(printed)
    for width, height, text in printed:
        # A4 landscape (842 × 595 points), and every column's header on every page: none cut off onto a page of its own.
        assert (round(width), round(height)) == (842, 595)
        assert all(heading in text for heading in SUMMARY_HEADERS), text[:200]
    everything = "".join(text for _, _, text in printed)
    for _, _, names in batch:
        assert names["unit"] in everything and names["leader"] in everything
    assert "申报限制（一）" in everything and "申报限制（二）" in everything


def test_names_match_whatever_their_spaces_punctuation_and_case():
    from checker_sheets.across import name_key

    assert name_key("油田 智能压裂·实时监测系统") == name_key("油田智能压裂实时监测系统（）") == name_key("油田智能压裂实时监测系统")
    assert name_key("ＡＩ 平台") == name_key("ai平台") and name_key("王 伟") == name_key("王伟")
    assert name_key("智能压裂一期") != name_key("智能压裂二期") and name_key("，。") == ""


def _screen_rows(tmp_path, rows, name="rows.xlsx"):
    """Screen rows given as {header: cell} (zh headers): (status, stdout, stderr, the summary sheet's rows)."""
    headers = list(dict.fromkeys(h for row in rows for h in row))
    write_xlsx(tmp_path / name, headers, [[row.get(h) for h in headers] for row in rows])
    status, out, err = screen(tmp_path / name, "--output", tmp_path / "report.xlsx")
    summary = [[c.value for c in row] for row in load_workbook(tmp_path / "report.xlsx")["汇总"].iter_rows()]
    return status, out, err, summary


def test_one_project_under_one_programme_twice_or_one_leader_on_post_subsidy_rows_alone_is_not_flagged(tmp_path):
    enterprise = {"单位性质": "企业", "申报单位在克拉玛依市境内注册": "是"}
    rows = [{**enterprise, "项目名称": "甲", "拟申报类别": "重点研发计划", "项目负责人": "张三"},
            {**enterprise, "项目名称": "甲 ", "拟申报类别": "重点研发计划", "项目负责人": "李四"},
            {**enterprise, "项目名称": "乙", "拟申报类别": "技术创新引导计划", "项目负责人": "赵六"},
            {**enterprise, "项目名称": "丙", "拟申报类别": "技术创新引导计划", "项目负责人": "赵 六"}]
    status, out, err, summary = _screen_rows(tmp_path, rows)
    assert status == 0, err
    assert out.splitlines()[-2:] == ["跨行核对（需人工复核）", "无"]
    assert not [r for r in summary[1:] if r[7] and "申报限制" in r[7]]
    # An institution is pre-funded under the same programme: now the leader's two rows are flagged.
    rows[3]["单位性质"] = "事业单位"
    status, out, err, summary = _screen_rows(tmp_path, rows, "institution.xlsx")
    assert out.splitlines()[-1] == "第 4 行与第 5 行：项目负责人相同，涉及事前资助项目（申报限制（二））。需人工复核。"
    assert [r[0] for r in summary[1:] if r[7] and "申报限制（二）" in r[7]] == [4, 5]


def test_a_row_without_a_programme_is_screened_for_every_one_and_counted_under_each(tmp_path):
    rows = [{"单位名称": "甲公司", "项目名称": "甲项目", "单位性质": "企业"},
            {"单位名称": "乙公司", "项目名称": "乙项目", "单位性质": "企业", "拟申报类别": "软科学研究项目"}]
    status, out, err, summary = _screen_rows(tmp_path, rows)
    assert status == 0, err
    titles = [res["title"] for res in checker_py.evaluate({})["results"].values()]
    assert summary[1][4] == "（未填写，按全部类别筛查）"
    assert [line.split("：")[0] for line in summary[1][5].splitlines()] == titles
    assert summary[2][4] == "软科学研究项目" and "\n" not in summary[2][5]
    totals = {line.split("：")[0]: line for line in out.splitlines()}
    assert all(totals[t].endswith("（共 1 行）") for t in titles if t != "软科学研究项目")
    assert totals["软科学研究项目"].endswith("（共 2 行）")


def test_an_unknown_programme_is_an_input_error_marked_on_its_cell_with_a_fill_and_a_comment(tmp_path):
    rows = [{"单位名称": "甲公司", "拟申报类别": "重大专项", "单位性质": "合作社"}, {"单位名称": "乙公司", "单位性质": "企业"}]
    status, _, err, summary = _screen_rows(tmp_path, rows)
    assert status == 2
    expected = ["第 2 行 B 列“拟申报类别”：应为以下之一：重大科技专项 / 重点研发计划 / 技术创新引导计划 / 创新人才工程项目 / 软科学研究项目",
                "第 2 行 C 列“单位性质”：应为以下之一：企业 / 事业单位 / 其他"]
    assert [line for line in err.splitlines() if line.startswith("第 2 行")] == expected
    assert summary[1][5] == "输入错误" and summary[1][7].splitlines() == expected
    detail = load_workbook(tmp_path / "report.xlsx")["明细"]
    for column, message in zip("CD", expected):  # the detail sheet's column A holds the row number
        cell = detail[f"{column}2"]
        assert cell.fill.fgColor.rgb.endswith("FFC7CE") and cell.comment.text == message, column
    assert detail["B2"].comment is None and detail["C3"].comment is None and detail["C3"].fill.fill_type is None


def test_the_clause_names_the_flags_cite_are_the_guides_own_numbering(guide):
    """申报限制（一） is the notice's section heading without its number, and the clause's own number."""
    from checker_py.strings import SHEETS as TEXT

    section = next(s for s in guide["pages"]["notice"]["sections"] if any(b["id"] == "restrict-1" for b in s["blocks"]))
    for ref, names in TEXT["clause_names"].items():
        block = next(b for b in section["blocks"] if f"notice#{b['id']}" == ref)
        heading_zh = re.sub(r"^[一二三四五六七八九十]+、", "", section["heading"]["zh"])
        heading_en = re.sub(r"^[IVX]+\.\s*", "", section["heading"]["en"])
        assert names["zh"] == heading_zh + re.match(r"（[一二三四五六七八九十]+）", block["zh"]).group()
        assert names["en"] == f"{heading_en} {re.match(r'[(][IVX]+[)]', block['en']).group()}"
