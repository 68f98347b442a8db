"""Lighthouse (npm, pinned 12.2.3) on every page type, zh and en, mobile, against a plain Material page.

The project's one Lighthouse runner. nginx (gzip on, as production) serves site/ at /guide/ and a
plain one-page Material site, built here with the same packages (bench/_common.py), at /plain/.
Lighthouse's CLI drives Debian's Chromium with the browser tests' flags, mobile profile (its
default: Moto G Power screen, simulated slow 4G and 4x CPU slowdown), all four categories. Each
page gets `--runs` runs (the median by performance score is kept; a run whose robots.txt fetch
timed out is repeated, and the attempts are recorded); the plain page is the baseline
of the performance figures (LCP, TBT, CLS and the score), so they are comparable across machines.
Merges "lighthouse" into bench/results.json: the scores, metrics, ratios and the audits that lost
points, per page, plus the Markdown table the README shows.

    .venv/bin/python bench/lighthouse.py [--quick] [--runs N] [--page TYPE ...]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402

LIGHTHOUSE = c.ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
# One page of each type: (type, path under the language root).
PAGES = [
    ("home", ""),
    ("notice", "notice/"),
    ("programme", "programmes/major/"),
    ("compare", "compare/"),
    ("procedure", "procedure/"),
    ("glossary", "glossary/"),
    ("about", "about/"),
    ("checker", "checker/"),
]
LANGS = [("zh", ""), ("en", "en/")]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {
    "fcp_ms": "first-contentful-paint",
    "lcp_ms": "largest-contentful-paint",
    "tbt_ms": "total-blocking-time",
    "cls": "cumulative-layout-shift",
    "si_ms": "speed-index",
}
TARGET_SCORE = 100  # accessibility, best practices and SEO, on every page
CLS_GOOD = 0.1  # web.dev's "good" threshold
GUIDE_MARGIN = 2  # every guide page's performance: at least the plain page's score less this
# The checker page (it starts Pyodide): performance at least, LCP and total blocking time at most.
CHECKER_SCORE, CHECKER_LCP_MS, CHECKER_TBT_MS = 90, 2500, 200


def run_lighthouse(url):
    """One Lighthouse run (mobile, four categories) of `url`: its report (LHR) as a dict."""
    cmd = ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output-path=stdout",
           f"--only-categories={','.join(CATEGORIES)}", "--chrome-flags=" + " ".join(c.CHROMIUM_FLAGS)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "CHROME_PATH": c.CHROMIUM})
    if done.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url} (exit {done.returncode}): {done.stderr[-1500:]}")
    report = json.loads(done.stdout)
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse on {url}: {report['runtimeError']}")
    return report


def fetch_failed(report):
    """True when Lighthouse could not fetch /robots.txt at all: its 2 s fetch timed out (a loaded
    machine), which measures the machine, not the site (a 404 passes the audit)."""
    audit = report["audits"].get("robots-txt", {})
    return audit.get("score") == 0 and "unable to download" in (audit.get("explanation") or "")


def run_page(url, attempts=3):
    """One Lighthouse run of `url`, repeated (up to `attempts`) while its robots.txt fetch fails."""
    for attempt in range(1, attempts + 1):
        report = run_lighthouse(url)
        if not fetch_failed(report) or attempt == attempts:
            report["benchAttempts"] = attempt
            return report


def summary(report):
    """Scores (0-100), metrics and the audits that lost points, from one report."""
    scores = {cat: round(report["categories"][cat]["score"] * 100) for cat in CATEGORIES}
    metrics = {name: report["audits"][audit]["numericValue"] for name, audit in METRICS.items()}
    lost = {}
    for cat in CATEGORIES:
        for ref in report["categories"][cat]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                lost.setdefault(cat, []).append(
                    {"id": ref["id"], "score": audit["score"], "display": audit.get("displayValue", ""),
                     "why": audit.get("explanation") or audit.get("errorMessage") or ""})
    return {"scores": scores, "metrics": {k: round(v, 4) for k, v in metrics.items()}, "lost": lost,
            "url": report["finalDisplayedUrl"], "attempts": report["benchAttempts"]}


def measure(url, runs):
    """The median run of `runs` by performance score, with every run's scores kept."""
    results = [summary(run_page(url)) for _ in range(runs)]
    ordered = sorted(results, key=lambda r: r["scores"]["performance"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["runs"] = [{"scores": r["scores"], "metrics": r["metrics"], "attempts": r["attempts"]} for r in results]
    return chosen


def ratio(value, baseline):
    """value / baseline to two decimals, or None without a baseline."""
    return round(value / baseline, 2) if baseline else None


def table(plain, pages):
    """The README's Markdown table: one line per page and language, the plain page first."""
    lines = ["| page | lang | performance | accessibility | best practices | SEO | LCP | LCP × plain "
             "| TBT | TBT × plain | CLS |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]

    def line(name, lang, result):
        """Append one table line."""
        s, m = result["scores"], result["metrics"]
        lcp, tbt = ratio(m["lcp_ms"], plain["metrics"]["lcp_ms"]), ratio(m["tbt_ms"], plain["metrics"]["tbt_ms"])
        lines.append(f"| {name} | {lang} | {s['performance']} | {s['accessibility']} | {s['best-practices']} "
                     f"| {s['seo']} | {m['lcp_ms']:,.0f} ms | {'—' if lcp is None else f'{lcp:.2f}'} "
                     f"| {m['tbt_ms']:,.0f} ms | {'—' if tbt is None else f'{tbt:.2f}'} | {m['cls']:.3f} |")

    line("plain Material page (baseline)", "zh", plain)
    for key, result in pages.items():
        page_type, lang = key.split("/")
        line(page_type, lang, result)
    return lines


def rows(plain, pages):
    """Summary rows for bench/run.py's table: the lowest score and the worst metric over all pages."""
    def worst(pick, highest=True):
        """(page key, value) of the page with the highest (or lowest) `pick`."""
        key = (max if highest else min)(pages, key=lambda k: pick(pages[k]))
        return key, pick(pages[key])

    out = []
    for cat, label in (("accessibility", "accessibility"), ("best-practices", "best practices"), ("seo", "SEO")):
        key, value = worst(lambda r, cat=cat: r["scores"][cat], highest=False)
        out.append(c.row(f"Lighthouse {label}, lowest of {len(pages)} pages", value, None, -TARGET_SCORE, "",
                         f"{key}"))
        out[-1]["met"] = value >= TARGET_SCORE  # a negative target means "at least"
    key, value = worst(lambda r: r["scores"]["performance"], highest=False)
    out.append(c.row("Lighthouse performance, lowest (vs the plain page's score)", value,
                     plain["scores"]["performance"], None, "", key))
    guide = {k: v for k, v in pages.items() if not k.startswith("checker/")}
    if guide:
        key = min(guide, key=lambda k: guide[k]["scores"]["performance"])
        floor = plain["scores"]["performance"] - GUIDE_MARGIN
        out.append(c.row(f"Lighthouse performance, lowest guide page (the plain page's {plain['scores']['performance']} "
                         f"less {GUIDE_MARGIN})", guide[key]["scores"]["performance"], None, -floor, "", key))
        out[-1]["met"] = out[-1]["value"] >= floor
    for key in (k for k in pages if k.startswith("checker/")):
        m = pages[key]
        out.append(c.row(f"checker performance ({key})", m["scores"]["performance"], None, -CHECKER_SCORE))
        out[-1]["met"] = m["scores"]["performance"] >= CHECKER_SCORE
        out.append(c.row(f"checker LCP ({key})", m["metrics"]["lcp_ms"], None, CHECKER_LCP_MS, "ms"))
        out.append(c.row(f"checker total blocking time ({key})", m["metrics"]["tbt_ms"], None, CHECKER_TBT_MS, "ms"))
    key, value = worst(lambda r: r["metrics"]["lcp_ms"])
    out.append(c.row("LCP, slowest page (vs the plain page)", value, plain["metrics"]["lcp_ms"], None, "ms", key))
    key, value = worst(lambda r: r["metrics"]["tbt_ms"])
    out.append(c.row("TBT, highest (vs the plain page)", value, plain["metrics"]["tbt_ms"] or None, None, "ms", key))
    key, value = worst(lambda r: r["metrics"]["cls"])
    out.append(c.row("CLS, highest", value, None, CLS_GOOD, "", key))
    out[-1]["value"] = round(value, 4)
    return out


def main(argv=None):
    """Measure, record into bench/results.json, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the zh home page and the plain page only, one run")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median by performance is kept")
    parser.add_argument("--page", nargs="*", choices=[name for name, _ in PAGES], help="only these page types")
    args = parser.parse_args(argv)
    c.require_site()
    if not LIGHTHOUSE.exists():
        sys.exit("node_modules/lighthouse is missing: run `npm ci` (make does it)")
    chosen = [(n, p) for n, p in PAGES if not args.page or n in args.page]
    targets = [("home", "zh", "")] if args.quick else [
        (name, lang, prefix + path) for name, path in chosen for lang, prefix in LANGS]
    runs = 1 if args.quick else max(1, args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        c.build_plain_site(tmp)
        server = c.Nginx({"guide": c.SITE, "plain": Path(tmp) / "site"})
        try:
            plain = measure(f"{server.origin}/plain/", runs)
            pages = {}
            for name, lang, path in targets:
                print(f"lighthouse: {lang} {name}", file=sys.stderr, flush=True)
                pages[f"{name}/{lang}"] = measure(f"{server.origin}/guide/{path}", runs)
        finally:
            server.close()
    lines = table(plain, pages)
    summary_rows = rows(plain, pages)
    c.record("lighthouse", {
        "lighthouse": "12.2.3, mobile profile (simulated throttling), Debian Chromium",
        "server": "nginx, gzip on (level 6)",
        "runs_per_page": runs,
        "plain": plain,
        "pages": pages,
        "lcp_ratio_to_plain": {k: ratio(v["metrics"]["lcp_ms"], plain["metrics"]["lcp_ms"]) for k, v in pages.items()},
        "tbt_ratio_to_plain": {k: ratio(v["metrics"]["tbt_ms"], plain["metrics"]["tbt_ms"]) for k, v in pages.items()},
        "repeated_for_robots_txt_timeout": sorted(k for k, v in pages.items() if any(r["attempts"] > 1 for r in v["runs"])),
        "table": lines,
        "rows": summary_rows,
    })
    c.print_table("Lighthouse 12.2.3, mobile", summary_rows, [""] + lines)
    below = {k: {cat: v["lost"].get(cat) for cat in CATEGORIES[1:] if v["scores"][cat] < TARGET_SCORE}
             for k, v in pages.items() if any(v["scores"][cat] < TARGET_SCORE for cat in CATEGORIES[1:])}
    for key, lost in below.items():
        print(f"{key} below {TARGET_SCORE}: {json.dumps(lost)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
