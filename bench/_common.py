"""Shared by the bench scripts: results.json, the printed tables, nginx with gzip, Chromium, a plain site.

Everything is measured against a baseline taken in the same run, so the ratios hold on a noisy
shared machine; absolute times are printed for context only.
"""

import contextlib
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
SITE = ROOT / "site"
# BENCH_RESULTS points the scripts elsewhere (the smoke test does, to keep the recorded figures).
RESULTS = pathlib.Path(os.environ.get("BENCH_RESULTS") or ROOT / "bench" / "results.json")
sys.path.insert(0, str(ROOT / "tests"))
import support  # noqa: E402
from support import CHROMIUM, CHROMIUM_FLAGS, NginxServer  # noqa: E402


def record(key, figures):
    """Merge `figures` into bench/results.json under `key` (the other scripts own the other keys)."""
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    results[key] = figures
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def median(values):
    return statistics.median(values) if values else None


def p95(values):
    """Nearest-rank 95th percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def row(name, value, baseline=None, target=None, unit="", note=""):
    """One table row: a measurement, its baseline, the ratio and the target ratio (or bound)."""
    ratio = value / baseline if baseline else None
    if target is None:
        met = None
    elif baseline:
        met = ratio <= target
    else:
        met = value <= target
    return {"name": name, "value": round(value, 3), "baseline": round(baseline, 3) if baseline else None,
            "ratio": round(ratio, 3) if ratio is not None else None, "target": target, "met": met,
            "unit": unit, "note": note}


def _fmt(number, unit):
    if number is None:
        return "—"
    if unit == "B":
        return f"{number / 1024:,.1f} KB"
    if unit == "ms":
        return f"{number:,.0f} ms" if number >= 100 else f"{number:,.1f} ms"
    if unit == "s":
        return f"{number:,.2f} s"
    if 0 < abs(number) < 1:  # a ratio such as CLS
        return f"{number:.3f}"
    return f"{number:,.0f}{(' ' + unit) if unit else ''}"


def table_lines(title, rows):
    """The rows as a Markdown table (printed, and pasted into the README)."""
    lines = [f"**{title}**", "", "| measurement | value | baseline | ratio | target | met |", "|---|---:|---:|---:|---:|:---:|"]
    for r in rows:
        target = "—" if r["target"] is None else (f"≤ {r['target']} ×" if r["baseline"] else
                                                   (f"≥ {_fmt(-r['target'], r['unit'])}" if r["target"] < 0
                                                    else f"≤ {_fmt(r['target'], r['unit'])}"))
        met = {True: "yes", False: "**no**", None: ""}[r["met"]]
        ratio = "—" if r["ratio"] is None else f"{r['ratio']:.2f}"
        name = r["name"] + (f" ({r['note']})" if r["note"] else "")
        lines.append(f"| {name} | {_fmt(r['value'], r['unit'])} | {_fmt(r['baseline'], r['unit'])} | {ratio} | {target} | {met} |")
    return lines


def print_table(title, rows, extra=()):
    print("\n".join(table_lines(title, rows)))
    for line in extra:
        print(line)
    print()


# ---------------------------------------------------------------- nginx, as production would serve

class Nginx(NginxServer):
    """Debian's nginx on loopback with gzip on (as production), serving {prefix: folder}; its access log counts bytes.

    gzip_static=True sends the build's pre-compressed .gz copies where they exist (README, "Deploying").
    """

    GZIP = """\
    gzip on;
    gzip_comp_level 6;
    gzip_types text/css text/javascript application/javascript application/json application/wasm
               application/zip application/xml image/svg+xml text/plain;
"""

    def __init__(self, folders, gzip_static=False):
        extra = self.GZIP + ("    gzip_static on;\n" if gzip_static else "")
        super().__init__(folders, http_extra=extra, log_format="$request_uri $status $body_bytes_sent")

    def log_mark(self):
        path = self.tmp / "access.log"
        return path.stat().st_size if path.exists() else 0

    def log_since(self, mark):
        """[(uri, status, body bytes)] logged after `mark` (nginx writes each line when a response ends)."""
        with open(self.tmp / "access.log", "rb") as handle:
            handle.seek(mark)
            lines = handle.read().decode("utf-8", "replace").splitlines()
        out = []
        for line in lines:
            uri, status, size = line.rsplit(" ", 2)
            out.append((uri, int(status), int(size)))
        return out


@contextlib.contextmanager
def chromium():
    """Debian's Chromium through Playwright, as the browser tests launch it."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def poll(page, expression, timeout=120):
    """Wait until a page expression is true, polling every 20 ms (timings are read from it)."""
    support.poll(page, expression, timeout, interval=0.02)


def require_site():
    if not (SITE / "checker" / "index.html").exists():
        sys.exit("site/ has no checker page: run `make site` first")


# ---------------------------------------------------------------- a plain one-page Material site

def theme_settings():
    """mkdocs.yml's theme section (tags such as !ENV resolved by mkdocs' own loader), minus the overrides."""
    from mkdocs.utils.yaml import yaml_load
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as handle:
        raw = yaml_load(handle)
    theme = dict(raw["theme"])
    theme.pop("custom_dir", None)
    return theme


PLAIN_PAGE = """# 申报指南

A plain one-page Material for MkDocs site with the guide's theme settings: the baseline of the
page-weight and build-time benchmarks. 这是基准页面，只有一段文字。
"""


def build_plain_site(folder):
    """Build the plain site into folder/site with mkdocs (same theme settings, default search); seconds."""
    folder = pathlib.Path(folder)
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    (folder / "docs" / "index.md").write_text(PLAIN_PAGE, encoding="utf-8")
    config = {"site_name": "Plain", "site_url": "http://127.0.0.1/plain/", "theme": theme_settings(),
              "plugins": ["search"], "docs_dir": str(folder / "docs"), "site_dir": str(folder / "site")}
    (folder / "mkdocs.yml").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(folder / "mkdocs.yml")], check=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return time.perf_counter() - start
