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
        [...tr.querySelectorAll('td.bt-verdict')].map(td => td.className.split('bt-').pop()))""")
    assert table == [[res["verdict"] for res in e["results"].values()] for e in _in_order(expected)]

    # Nothing left the page after the file was picked: no request at all, and none with a body.
    assert all(method == "GET" and not body for method, _, body in requests), requests
    assert not [url for _, url, _ in requests if sheet.stem in url]
    assert page.requests.outside(server.origin) == []

    # The report offered for download is the CLI's report of the same sheet.
    with page.expect_download() as info:
        page.click("#batch-download")
    saved = tmp_path / "downloaded.xlsx"
    info.value.save_as(saved)
    got = [list(r) for r in load_workbook(saved, read_only=True).worksheets[0].iter_rows(values_only=True)]
    cli_report = tmp_path / "cli.xlsx"
    from sheetkit import screen

    status, _, err = screen(sheet, "--output", cli_report, "--lang", lang)
    assert status == 0, err
    want = [list(r) for r in load_workbook(cli_report, read_only=True).worksheets[0].iter_rows(values_only=True)]
    # The summary names the file: the browser knows only its name, the CLI its path.
    assert got == want
    assert page.js_errors == []


def _in_order(results):
    """Each result with its programmes in the engine's order (as the table shows them)."""
    import checker_py

    return [{"results": {pid: e["results"][pid] for pid in checker_py.programme_ids()}} for e in results]


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
    assert page.locator("#batch-table tbody tr th").first.inner_text() == "102"
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
    assert ("工作表", "申报项目") in [(r[0], r[1]) for r in load_workbook(tmp_path / "report.xlsx").worksheets[1].iter_rows(values_only=True) if r]
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
