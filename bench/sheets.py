"""Screening spreadsheets: the CLI on 10,000 rows of .xlsx, and the batch page on 2,000 rows in Chromium.

CLI: `python -m checker_sheets screen IN.xlsx --output OUT.xlsx` against a baseline measured in the same
run: a Python process that only reads the same input with openpyxl and writes a workbook of the same
size as the report (its summary sheet of nine columns a row and its detail sheet) (target: at most 1.5 times the baseline). Browser: from picking a 2,000-row file on
the batch page (engine ready) to the report being offered (target: 10 s), and the longest main-thread
task meanwhile (target: 200 ms), from the Long Tasks API. Merges its figures into results.json under
"sheets".

    .venv/bin/python bench/sheets.py [--rows N] [--browser-rows N] [--runs N] [--quick]
"""

import argparse
import os
import pathlib
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import _common as c  # noqa: E402
from cli_batch import random_profile  # noqa: E402

sys.path.insert(0, str(c.ROOT / "tests" / "sheets"))
sys.path.insert(0, str(c.ROOT))
from sheetkit import row_of  # noqa: E402

ROWS, BROWSER_ROWS = 10_000, 2_000
CLI_TARGET, BROWSER_TARGET_S, LONG_TASK_TARGET_MS = 1.5, 10, 200
REPORT_EXTRA_COLUMNS = 3 + 4 * 5  # row number, input errors, checks across rows, four cells per programme
SUMMARY_COLUMNS = 9  # the summary sheet: row, unit, project, leader, programme, verdict, request, reasons, missing

# The baseline: openpyxl alone reads every cell of the input and writes a workbook of the report's size.
BASELINE = """
import sys
from openpyxl import Workbook, load_workbook
rows = [list(r) for r in load_workbook(sys.argv[1], read_only=True).worksheets[0].iter_rows(values_only=True)]
extra, summary = int(sys.argv[3]), int(sys.argv[4])
book = Workbook(write_only=True)
first = book.create_sheet("summary")
for row in rows:
    first.append([0] + ["x"] * (summary - 1))
sheet = book.create_sheet("report")
for row in rows:
    sheet.append([0] + row + ["x"] * (extra - 1))
book.save(sys.argv[2])
"""


# Context: the engine alone on the same rows' profiles, in one process (its CPU seconds), as `screen`
# calls it: summarise, what the report shows (the .jsonl report alone takes evaluate's whole result).
ENGINE_ALONE = """
import resource, sys
from checker_sheets.read import read_sheet
from checker_sheets.rows import row_profile
from checker_sheets import columns, schema
import checker_py
sheet = read_sheet(open(sys.argv[1], "rb").read(), sys.argv[1], columns(schema()))
profiles = [row_profile(n, v, sheet.layout)[0] for n, v in sheet.rows]
start = resource.getrusage(resource.RUSAGE_SELF)
for profile in profiles:
    if profile is not None:
        try:
            checker_py.summarise(profile)
        except checker_py.ProfileError:
            pass
end = resource.getrusage(resource.RUSAGE_SELF)
print(end.ru_utime + end.ru_stime - start.ru_utime - start.ru_stime)
"""


def make_sheet(path, count, seed=2022):
    """A template-shaped workbook of `count` random applications (labels in Chinese, real dates)."""
    from openpyxl import Workbook

    from checker_sheets import columns, schema

    cols = columns(schema())
    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("申报项目")
    sheet.append([col.label["zh"] for col in cols])
    for _ in range(count):
        sheet.append(row_of(random_profile(rng), cols))
    book.save(path)


def timed(cmd):
    """Wall-clock seconds of one subprocess run (must succeed, exit 0 or 2: rows may hold input errors)."""
    start = time.perf_counter()
    run = subprocess.run(cmd, cwd=c.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if run.returncode not in (0, 2) or "error:" in run.stderr:
        raise SystemExit(f"{cmd[2:4]} failed: {run.stderr[-500:]}")
    return time.perf_counter() - start


def bench_cli(count, runs, tmp):
    """(screen seconds, baseline seconds), best of `runs` alternating runs, and the engine's CPU seconds alone."""
    source = tmp / "applications.xlsx"
    make_sheet(source, count)
    screen = [sys.executable, "-m", "checker_sheets", "screen", str(source), "--output", str(tmp / "report.xlsx")]
    baseline = [sys.executable, "-c", BASELINE, str(source), str(tmp / "baseline.xlsx"), str(REPORT_EXTRA_COLUMNS),
                str(SUMMARY_COLUMNS)]
    screens, baselines = [], []
    for _ in range(runs):
        baselines.append(timed(baseline))
        screens.append(timed(screen))
    engine = subprocess.run([sys.executable, "-c", ENGINE_ALONE, str(source)], cwd=c.ROOT, check=True,
                            capture_output=True, text=True)
    return min(screens), min(baselines), float(engine.stdout)


LONG_TASKS = """() => { window.longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.longTasks.push(e.duration); })
    .observe({type: 'longtask'}); }"""


def bench_browser(count, tmp):
    """(seconds from picking the file to the report offered, longest main-thread task in ms, rows shown)."""
    source = tmp / "browser.xlsx"
    make_sheet(source, count, seed=7)
    server = c.Nginx({"guide": c.SITE})
    try:
        with c.chromium() as browser:
            page = browser.new_page()
            page.goto(f"{server.origin}/guide/batch/")
            c.poll(page, "document.getElementById('batch').dataset.state === 'ready'", 180)
            if not page.evaluate("PerformanceObserver.supportedEntryTypes.includes('longtask')"):
                raise SystemExit("this Chromium has no Long Tasks API: the responsiveness cannot be measured")
            page.evaluate(LONG_TASKS)
            start = time.perf_counter()
            page.set_input_files("#batch-file", str(source))
            c.poll(page, "['done', 'error'].includes(document.getElementById('batch').dataset.state)", 600)
            seconds = time.perf_counter() - start
            state = page.evaluate("document.getElementById('batch').dataset.state")
            if state != "done":
                raise SystemExit("the batch page failed: " + page.text_content("#batch-status"))
            longest = max(page.evaluate("window.longTasks") or [0])
            shown = page.evaluate("Number(document.getElementById('batch').dataset.rows)")
    finally:
        server.close()
    return seconds, longest, shown


def main(argv=None):
    """Generate, time, print, record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--browser-rows", type=int, default=BROWSER_ROWS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="small files, one run, to prove the script works")
    args = parser.parse_args(argv)
    rows, browser_rows, runs = (300, 100, 1) if args.quick else (args.rows, args.browser_rows, args.runs)
    with tempfile.TemporaryDirectory() as folder:
        tmp = pathlib.Path(folder)
        screen_s, baseline_s, engine_s = bench_cli(rows, runs, tmp)
        browser_s, longest_ms, shown = bench_browser(browser_rows, tmp)
    if shown != browser_rows:
        raise SystemExit(f"the batch page showed {shown} rows of {browser_rows}")
    figures = {
        "rows": [
            c.row("CLI screen, .xlsx in and out (vs openpyxl alone reading it and writing the report's size)",
                  screen_s, baseline_s, CLI_TARGET, "s", f"{rows:,} rows, best of {runs}"),
            c.row("  of which the engine alone evaluating the same rows (CPU seconds, one process)", engine_s,
                  baseline_s, None, "s"),
            c.row("batch page: file picked -> report offered", browser_s, None, BROWSER_TARGET_S, "s",
                  f"{browser_rows:,} rows, engine ready"),
            c.row("batch page: longest main-thread task while screening", longest_ms, None, LONG_TASK_TARGET_MS, "ms",
                  "Long Tasks API"),
        ],
        "cli_rows": rows,
        "browser_rows": browser_rows,
        "screen_seconds": round(screen_s, 3),
        "baseline_seconds": round(baseline_s, 3),
        "engine_cpu_seconds": round(engine_s, 3),
        "browser_seconds": round(browser_s, 3),
        "longest_task_ms": round(longest_ms, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    c.record("sheets", figures)
    c.print_table(f"Spreadsheet screening (load average {figures['load_average'][0]})", figures["rows"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
