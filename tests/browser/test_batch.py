"""The batch screening page in a real browser: a workbook screened in the worker, the verdicts equal to
the CLI's, the filter, the report download, progress, and no request carrying the file."""

import json
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

import support

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sheets"))
from sheetkit import check_json, row_of, sheet_profiles, write_xlsx  # noqa: E402

TIMEOUT = 90


@pytest.fixture(scope="module")
def cols():
    """The template's columns."""
    from checker_sheets import columns, schema

    return columns(schema()["fields"])


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
    assert page.text_content("#batch-status") == f"已筛查 {len(rows)} 行，其中 1 行有输入错误。"
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
