"""The batch screening page in a real browser: a workbook screened in the worker, the verdicts equal to
the CLI's, the filter, the report download, progress, no request carrying the file, hostile files refused
with the page still usable, and cancelling a screening."""

import json
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

import support

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sheets"))
from sheetkit import check_json, empty_rows, inline_row, package, row_of, sheet_profiles, sheet_xml, write_xlsx  # noqa: E402

TIMEOUT = 90


@pytest.fixture(scope="module")
def cols():
    """The template's columns."""
    from checker_sheets import columns, schema

    return columns(schema())


@pytest.fixture(scope="module")
def profiles(cols):
    """Engine test profiles the template can hold, as a unit would list them."""
    return sheet_profiles(cols)[:60]


def _state(page):
    """The batch page's state: ready, screening, done, error or failed."""
    return page.evaluate("document.getElementById('batch').dataset.state || ''")


def _open(page, url):
    """Open a batch page and wait for its engine."""
    page.goto(url)
    support.poll(page, "['ready', 'failed'].includes(document.getElementById('batch').dataset.state)", TIMEOUT)
    assert _state(page) == "ready", page.text_content("#batch-status")


def _screen(page, path):
    """Pick a file and wait for the screening to end."""
    page.set_input_files("#batch-file", str(path))
    support.poll(page, "['done', 'error'].includes(document.getElementById('batch').dataset.state)", TIMEOUT)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_workbook_is_screened_in_the_browser_with_the_clis_verdicts_and_no_request_carries_it(
        lang, page, server, profiles, cols, tmp_path):
    sheet = tmp_path / "unit-applications-7f3a.xlsx"
    write_xlsx(sheet, [c.label[lang] for c in cols], [row_of(p, cols, lang) for p in profiles])
    prefix = "" if lang == "zh" else "en/"
    csp = None
    _open(page, f"{server.url}{prefix}batch/")
    csp = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    assert "connect-src 'self'" in csp
    requests = []
    page.context.on("request", lambda r: requests.append((r.method, r.url, r.post_data_buffer)))
    _screen(page, sheet)
    assert _state(page) == "done", page.text_content("#batch-status")

    expected = [json.loads(line) for line in check_json(profiles, lang)]
    table = page.evaluate("""() => [...document.querySelectorAll('#batch-table tbody tr')].map(tr =>
        [...tr.querySelectorAll('td .bt-verdict')].map(badge => badge.className.split('bt-').pop()))""")
    assert table == [[res["verdict"] for res in e["results"].values()] for e in _in_order(expected)]

    # Nothing left the page after the file was picked: no request at all, and none with a body.
    assert all(method == "GET" and not body for method, _, body in requests), requests
    assert not [url for _, url, _ in requests if sheet.stem in url]
    assert page.requests.outside(server.origin) == []

    # The report offered for download is the CLI's report of the same sheet.
    assert_report_is_the_clis(page, sheet, lang, tmp_path)
    assert page.js_errors == []


def assert_report_is_the_clis(page, sheet, lang, tmp_path):
    """The report the page offers holds the summary and detail sheets of the CLI's report of the same file."""
    from sheetkit import screen

    with page.expect_download() as info:
        page.click("#batch-download")
    saved = tmp_path / "downloaded.xlsx"
    info.value.save_as(saved)
    cli_report = tmp_path / "cli.xlsx"
    status, _, err = screen(sheet, "--output", cli_report, "--lang", lang)
    assert status in (0, 2), err
    got, want = (load_workbook(path, read_only=True) for path in (saved, cli_report))
    assert got.sheetnames == want.sheetnames
    # The counts sheet names the file: the browser knows only its name, the CLI its path.
    for index in (0, 1):
        assert ([list(r) for r in got.worksheets[index].iter_rows(values_only=True)]
                == [list(r) for r in want.worksheets[index].iter_rows(values_only=True)]), got.sheetnames[index]


def _in_order(results):
    """Each result with its programmes in the engine's order (as the table shows them)."""
    import checker_py

    return [{"results": {pid: e["results"][pid] for pid in checker_py.programme_ids()}} for e in results]


def test_a_recommenders_batch_shows_each_application_by_name_with_its_programmes_verdict_and_both_pairs_flagged(
        page, server, cols, tmp_path):
    """The 25 applications the CLI test screens: the page shows the same verdicts, reasons, counts and pairs."""
    import checker_py
    from sheetkit import SAME_LEADER_ROWS, SAME_PROJECT_ROWS, recommender_batch, recommender_row

    batch = recommender_batch(cols)
    sheet = tmp_path / "推荐汇总.xlsx"
    write_xlsx(sheet, [c.label["zh"] for c in cols] + ["备注"],
               [recommender_row(programme, profile, names, cols) + ["已电话核实"] for programme, profile, names in batch])
    _open(page, f"{server.url}batch/")
    # The template is downloaded under a Chinese name.
    with page.expect_download() as info:
        page.click("a[download$='.xlsx']")
    assert info.value.suggested_filename == "项目申报筛查模板-2022.xlsx"
    _screen(page, sheet)
    assert _state(page) == "done", page.text_content("#batch-status")
    assert page.text_content("#batch-ignored") == "未识别的列（原样保留）：备注"
    assert page.is_visible("#batch-ignored")

    flagged = {row: "申报限制（一）" for row in SAME_PROJECT_ROWS} | {row: "申报限制（二）" for row in SAME_LEADER_ROWS}
    names = {v: page.evaluate(f"[...document.querySelectorAll('#batch-filter-verdict option')].find(o => o.value === '{v}').text")
             for v in ("eligible", "ineligible", "incomplete", "review")}
    shown = page.evaluate("""() => [...document.querySelectorAll('#batch-table tbody tr')].map(tr => ({
        row: Number(tr.dataset.row), label: tr.querySelector('th').textContent,
        programme: tr.cells[1].textContent,
        badges: [...tr.cells[2].querySelectorAll('.bt-verdict')].map(b => [b.dataset.programme, b.className.split('bt-').pop(), b.textContent]),
        request: tr.cells[3].textContent,
        first: tr.cells[4].querySelector('.bt-first') ? tr.cells[4].querySelector('.bt-first').textContent : '',
        all: tr.cells[4].querySelector('li') ? [...tr.cells[4].querySelectorAll('li')].map(li => li.textContent)
          : [...tr.cells[4].querySelectorAll('.bt-first')].map(span => span.textContent)}))""")
    assert [r["row"] for r in shown] == list(range(2, 27))
    for row, (programme, profile, given) in zip(shown, batch):
        result = checker_py.evaluate(profile, programme)["results"][programme]
        verdict = "review" if row["row"] in flagged else result["verdict"]
        assert row["label"] == f"{given['unit']} · {given['project']} 第 {row['row']} 行"
        assert row["programme"] == result["title"]
        assert row["badges"] == [[programme, verdict, names[verdict]]], row["row"]
        funding = result["funding"]  # the request admitted, as formatted money: never a bare number
        admits = (None if result["verdict"] == "ineligible" else funding["request_range"]["text"] if funding["request_range"]
                  else f"至多 {funding['max_request_text']}" if funding["max_request_text"] else None)
        assert row["request"] == (admits or ""), row["row"]
        assert not row["request"] or "万元" in row["request"], row["row"]
        reasons = list(dict.fromkeys(r["message"] for r in result["rules"] if r["status"] in ("fail", "review")))
        if row["row"] in flagged:
            flag = row["all"][0]
            assert row["first"] == flag and flagged[row["row"]] in flag and flag.endswith("需人工复核。"), row
            reasons = [flag] + reasons
        assert row["all"][:len(reasons)] == reasons, row["row"]
        assert row["first"] == (reasons[0] if reasons else (row["all"][0] if row["all"] else "")), row["row"]

    # A row of several reasons shows the first and opens onto all of them.
    several = next(row for row in shown if len(row["all"]) > 1)
    target = page.locator(f"#batch-table tbody tr[data-row='{several['row']}'] details")
    assert target.locator("summary").inner_text() == f"{several['first']} 全部原因（{len(several['all'])}）"
    assert not target.locator("li").first.is_visible()
    target.locator("summary").click()
    assert [item.inner_text() for item in target.locator("li").all()] == several["all"]
    assert target.locator("li").last.is_visible()

    # The counts: each programme's own five rows; then the two pairs.
    counts = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('#batch-counts tbody tr')].map(tr =>
        [tr.dataset.programme, Object.fromEntries([...tr.querySelectorAll('td[data-verdict]')].map(td => [td.dataset.verdict, Number(td.textContent)]))]))""")
    for pid in checker_py.programme_ids():
        mine = [(n, p) for n, (pid_, p, _) in enumerate(batch, start=2) if pid_ == pid]
        verdicts = ["review" if n in flagged else checker_py.evaluate(p, pid)["results"][pid]["verdict"] for n, p in mine]
        assert counts[pid] == {v: verdicts.count(v) for v in ("eligible", "ineligible", "incomplete", "review", "error")}, pid
    assert page.eval_on_selector_all("#batch-pairs li", "items => items.map(li => li.textContent)") == [
        f"第 {SAME_PROJECT_ROWS[0]} 行与第 {SAME_PROJECT_ROWS[1]} 行：项目名称相同、拟申报类别不同（申报限制（一））。需人工复核。",
        f"第 {SAME_LEADER_ROWS[0]} 行与第 {SAME_LEADER_ROWS[1]} 行：项目负责人相同，涉及事前资助项目（申报限制（二））。需人工复核。"]

    # The programme filter keeps each programme's own rows.
    page.select_option("#batch-filter-programme", "major")
    assert page.text_content("#batch-shown") == "显示 5 / 25 行"
    assert_report_is_the_clis(page, sheet, "zh", tmp_path)
    assert page.js_errors == []


def test_the_table_filters_by_verdict_and_programme(page, server, profiles, cols, tmp_path):
    sheet = tmp_path / "applications.xlsx"
    write_xlsx(sheet, [c.label["zh"] for c in cols], [row_of(p, cols) for p in profiles])
    _open(page, f"{server.url}batch/")
    _screen(page, sheet)
    expected = _in_order([json.loads(line) for line in check_json(profiles)])
    shown = "() => [...document.querySelectorAll('#batch-table tbody tr')].filter(tr => !tr.hidden).length"
    assert page.evaluate(shown) == len(profiles)
    page.select_option("#batch-filter-verdict", "eligible")
    assert page.evaluate(shown) == sum(any(r["verdict"] == "eligible" for r in e["results"].values()) for e in expected)
    counts = {pid: sum(e["results"][pid]["verdict"] == "eligible" for e in expected) for pid in expected[0]["results"]}
    programme = max(counts, key=counts.get)
    page.select_option("#batch-filter-programme", programme)
    assert 0 < page.evaluate(shown) == counts[programme] < len(profiles)
    assert page.text_content("#batch-shown") == f"显示 {counts[programme]} / {len(profiles)} 行"


def test_progress_is_shown_and_a_bad_row_and_an_unreadable_file_are_reported(page, server, profiles, cols, tmp_path):
    rows = [row_of(p, cols) for p in profiles] * 5
    kind = next(i for i, c in enumerate(cols) if c.path == "unit.kind")
    rows[3] = list(rows[3])
    rows[3][kind] = "合作社"
    sheet = tmp_path / "many.xlsx"
    write_xlsx(sheet, [c.label["zh"] for c in cols], rows)
    _open(page, f"{server.url}batch/")
    page.evaluate("""() => { window.seen = [];
        new MutationObserver(() => window.seen.push(document.getElementById('batch-status').textContent))
          .observe(document.getElementById('batch-status'), {childList: true, characterData: true, subtree: true}); }""")
    _screen(page, sheet)
    seen = page.evaluate("window.seen")
    assert f"已筛查 100 / {len(rows)} 行" in seen
    assert page.text_content("#batch-status") == f"已筛查 {len(rows)} 行，其中 1 行有输入错误。读取的工作表：“Sheet”。"
    error_row = page.locator("#batch-table tbody tr").nth(3)
    assert "第 5 行" in error_row.inner_text() and "单位性质" in error_row.inner_text()
    # A page of 100 rows at a time; the last page holds the rest.
    rows_shown = "() => document.querySelectorAll('#batch-table tbody tr').length"
    pages = -(-len(rows) // 100)
    assert page.evaluate(rows_shown) == 100 and page.text_content("#batch-page") == f"第 1 / {pages} 页"
    page.click("#batch-next")
    assert page.locator("#batch-table tbody tr th").first.inner_text() == "第 102 行"  # a row with no names
    for _ in range(pages - 2):
        page.click("#batch-next")
    assert page.evaluate(rows_shown) == len(rows) - 100 * (pages - 1)
    assert page.text_content("#batch-page") == f"第 {pages} / {pages} 页" and page.is_disabled("#batch-next")

    bad = tmp_path / "not-a-workbook.xlsx"
    bad.write_text("申报单位,单位性质\n", encoding="utf-8")
    _screen(page, bad)
    assert _state(page) == "error"
    assert page.text_content("#batch-status").startswith("无法筛查：not-a-workbook.xlsx：不是 .xlsx 工作簿")
    assert page.is_hidden("#batch-download")


def _engine_ready(page):
    """Wait until the page's engine (a fresh one after a cancel or a failure) is ready for a file."""
    support.poll(page, "document.getElementById('batch').dataset.engine === 'ready'", TIMEOUT)
    assert page.is_enabled("#batch-file")


def test_a_zip_bomb_and_a_file_too_big_are_refused_and_the_next_file_is_screened_with_no_formula_in_its_report(
        page, server, tmp_path):
    from checker_sheets.read import MAX_BYTES

    package(tmp_path / "bomb.xlsx", [("S", "visible", empty_rows(72))])
    with open(tmp_path / "huge.csv", "wb") as out:
        out.write("unit.in_karamay\n是\n".encode("utf-8"))
        out.truncate(MAX_BYTES + 1)  # sparse: nothing of it is on the disk
    hidden = sheet_xml([inline_row(1, ["unit.in_karamay", "备注"]), inline_row(2, ["否", "藏"])])
    shown = sheet_xml([inline_row(1, ["unit.in_karamay", "备注"]), inline_row(2, ["是", '=HYPERLINK("http://evil.example/","click")'])])
    package(tmp_path / "two.xlsx", [("旧", "hidden", hidden), ("申报项目", "visible", shown)], active=1)
    _open(page, f"{server.url}batch/")

    _screen(page, tmp_path / "bomb.xlsx")
    assert _state(page) == "error"
    status = page.text_content("#batch-status")
    assert status.startswith("无法筛查：bomb.xlsx：解压后") and status.endswith("超过 64 MB 的上限"), status
    assert page.is_hidden("#batch-download") and page.is_hidden("#batch-cancel")
    _engine_ready(page)
    _screen(page, tmp_path / "huge.csv")
    assert page.text_content("#batch-status") == "无法筛查：huge.csv：64.0 MB，超过 64 MB 的上限"

    _engine_ready(page)
    _screen(page, tmp_path / "two.xlsx")
    assert _state(page) == "done", page.text_content("#batch-status")
    assert page.text_content("#batch-status") == "已筛查 1 行，其中 0 行有输入错误。读取的工作表：“申报项目”。"
    with page.expect_download() as info:
        page.click("#batch-download")
    info.value.save_as(tmp_path / "report.xlsx")
    import zipfile

    with zipfile.ZipFile(tmp_path / "report.xlsx") as report:
        parts = [report.read(n).decode("utf-8") for n in report.namelist() if n.startswith("xl/worksheets/")]
    assert parts and not [part for part in parts if "<f>" in part or "<f " in part]
    cells = [c for sheet in load_workbook(tmp_path / "report.xlsx") for row in sheet.iter_rows() for c in row]
    link = next(c for c in cells if c.value == '=HYPERLINK("http://evil.example/","click")')
    assert link.data_type == "s" and link.quotePrefix
    assert ("工作表", "申报项目") in [(r[0], r[1]) for r in load_workbook(tmp_path / "report.xlsx")["统计"].iter_rows(values_only=True) if r]
    assert page.js_errors == []


def test_a_screening_can_be_cancelled_and_the_next_file_is_then_screened(page, server, profiles, cols, tmp_path):
    many = tmp_path / "many.xlsx"
    write_xlsx(many, [c.label["en"] for c in cols], [row_of(p, cols, "en") for p in profiles] * 80)
    few = tmp_path / "few.xlsx"
    write_xlsx(few, [c.label["en"] for c in cols], [row_of(p, cols, "en") for p in profiles[:7]])
    _open(page, f"{server.url}en/batch/")
    page.set_input_files("#batch-file", str(many))
    # Cancel once the rows are being screened (the progress counts them).
    support.poll(page, "document.getElementById('batch-status').textContent.startsWith('Screened 100 of')", TIMEOUT)
    assert page.is_visible("#batch-cancel")
    page.click("#batch-cancel")
    assert _state(page) == "cancelled"
    assert page.text_content("#batch-status") == "Screening cancelled."
    assert page.is_hidden("#batch-cancel") and page.is_hidden("#batch-progress") and page.is_disabled("#batch-file")
    _engine_ready(page)
    assert page.text_content("#batch-status") == "Screening cancelled. The screening engine is ready; pick a file."
    assert _state(page) == "cancelled" and page.is_hidden("#batch-results") and page.is_hidden("#batch-download")

    _screen(page, few)
    assert _state(page) == "done", page.text_content("#batch-status")
    assert page.text_content("#batch-status") == "Screened 7 rows; 0 with input errors. Sheet read: “Sheet”."
    assert page.evaluate("document.querySelectorAll('#batch-table tbody tr').length") == 7
    assert page.js_errors == []


def test_the_batch_page_is_linked_from_home_and_checker_and_only_it_loads_openpyxl(page, server):
    for start in ("", "checker/", "en/", "en/checker/"):
        page.goto(server.url + start)
        hrefs = page.eval_on_selector_all("article a", "els => els.map(a => a.href)")
        assert f"{server.url}{'en/' if start.startswith('en') else ''}batch/" in hrefs, start
    support.open_checker(page, f"{server.url}checker/", TIMEOUT)
    assert not [u for u in page.requests.urls if "openpyxl" in u or "checker_sheets" in u]


def test_the_batch_page_has_no_serious_or_critical_accessibility_violation_before_and_after_a_result(
        axe_page, server, profiles, cols, tmp_path):
    from test_accessibility import describe, violations

    sheet = tmp_path / "applications.xlsx"
    write_xlsx(sheet, [c.label["en"] for c in cols], [row_of(p, cols, "en") for p in profiles[:10]])
    _open(axe_page, f"{server.url}en/batch/")
    before = violations(axe_page, server)
    _screen(axe_page, sheet)
    after = violations(axe_page, server)
    assert not before and not after, describe(before + after)


from test_accessibility import axe_page  # noqa: E402,F401  (the fixture, with axe served from the site)
