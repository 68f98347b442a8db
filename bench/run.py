"""Run every benchmark and print the combined table (`make bench`).

Each script runs as its own process (so none inherits another's caches) and merges its figures into
bench/results.json; this prints every row from there, with its ratio and target, and with
--readme rewrites the "## Benchmarks" section at the end of README.md with the same tables.

    .venv/bin/python bench/run.py [--quick] [--only NAME ...] [--readme]
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402

# (results key, script, title) in the order they run and print.
BENCHES = [
    ("startup", "startup.py", "1. Checker start-up vs bare Pyodide, and the form vs a plain guide page"),
    ("latency", "latency.py", "2a. Evaluation latency in Chromium"),
    ("cli_batch", "cli_batch.py", "2b. CLI batch throughput"),
    ("sheets", "sheets.py", "2c. Spreadsheet screening (CLI and batch page)"),
    ("list_scaling", "list_scaling.py", "2d. Engine time vs the number of achievements"),
    ("weight", "weight.py", "3. Page weight (gzip, as nginx sends it)"),
    ("build", "build_time.py", "4. Build time"),
    ("lighthouse", "lighthouse.py", "5. Lighthouse 12.2.3, mobile: every page type, zh and en, vs a plain Material page"),
    ("guided_questions", "guided_questions.py", "6. Guided mode: questions asked vs the one-page form"),
]
README = c.ROOT / "README.md"
HEADING = "## Benchmarks"


def combined(results):
    lines = []
    for key, _, title in BENCHES:
        figures = results.get(key)
        if not figures or "rows" not in figures:
            lines += [f"**{title}**: not measured", ""]
            continue
        lines += c.table_lines(title, figures["rows"]) + [""]
        if key == "lighthouse":
            lines += figures["table"] + [""]
        if key == "weight":
            lines += ["Five largest files of the checker page:", ""]
            lines += [f"{i}. `{f['uri'].removeprefix('/guide/')}`: {f['bytes'] / 1024:,.1f} KB"
                      for i, f in enumerate(figures["checker_largest"], 1)] + [""]
    met = [r for key, _, _ in BENCHES for r in results.get(key, {}).get("rows", []) if r["met"] is not None]
    lines.append(f"Targets met: {sum(r['met'] for r in met)} of {len(met)}.")
    return lines


def write_readme(lines, results):
    text = README.read_text(encoding="utf-8")
    start = text.find("\n" + HEADING + "\n")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start].rstrip("\n") + ("\n" + text[end:] if end >= 0 else "")
    meta = results.get("_run", {})
    section = [HEADING, "",
               f"`make bench` (after `make site`) runs `bench/run.py`; the figures below are from {meta.get('date', '?')} "
               f"on {meta.get('machine', '?')}, load average {meta.get('load_average', '?')} at the start "
               "(a shared machine: every figure is a ratio to a baseline measured in the same run). "
               "Pages are served by nginx with gzip on; the browser is Debian's headless Chromium through "
               "Playwright. `bench/results.json` holds every sample.", ""] + lines
    README.write_text(text.rstrip("\n") + "\n\n" + "\n".join(section) + "\n", encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny runs, to prove every script works")
    parser.add_argument("--only", nargs="*", choices=[k for k, _, _ in BENCHES])
    parser.add_argument("--readme", action="store_true", help="rewrite README.md's Benchmarks section")
    args = parser.parse_args(argv)
    c.require_site()
    started = time.perf_counter()
    load = round(os.getloadavg()[0], 2)
    failed = []
    for key, script, title in BENCHES:
        if args.only and key not in args.only:
            continue
        print(f"== {title} ({script})", file=sys.stderr, flush=True)
        cmd = [sys.executable, str(Path(__file__).resolve().parent / script)] + (["--quick"] if args.quick else [])
        done = subprocess.run(cmd, cwd=c.ROOT, stderr=subprocess.PIPE, text=True)
        sys.stderr.write(done.stderr)
        if done.returncode != 0:
            failed.append(script)
            print(f"{script} failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    results = json.loads(c.RESULTS.read_text(encoding="utf-8")) if c.RESULTS.exists() else {}
    results["_run"] = {"date": datetime.date.today().isoformat(), "quick": args.quick, "load_average": load,
                       "machine": f"{os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, Python {platform.python_version()}",
                       "seconds": round(time.perf_counter() - started, 1)}
    c.RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    lines = combined(results)
    print("\n" + "\n".join(lines))
    print(f"\n(all benchmarks: {time.perf_counter() - started:.0f} s)")
    if args.readme:
        write_readme(lines, results)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
