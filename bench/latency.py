"""Evaluation latency in the browser: an answer changes -> the result shown is updated.

On the checker page (nginx, gzip on), once the engine is ready, the bench changes one answer N times
(200 by default) from inside the page: it alternates the answer to "registered in Karamay?" (a
question every programme reads) and dispatches the same `change` event a click does, then waits
for the results to be re-rendered (a MutationObserver on the results). That time includes the
page's 150 ms debounce (it waits for a person to stop typing), reading the form, the round trip to
the worker and the rendering. The engine's own share is measured too: N calls of
`window.checker.evaluate(profile)` (postMessage -> checker_py -> JSON back), with no page work.
Merges "latency" into bench/results.json.

    .venv/bin/python bench/latency.py [--changes N] [--quick]
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402

CHANGES = """async (count) => {
  const results = document.querySelector(".ck-results-body");
  const field = document.querySelector('.ck-form .ck-field[data-path="unit.in_karamay"]');
  const radios = { yes: field.querySelector('input[value="yes"]'), no: field.querySelector('input[value="no"]') };
  const times = [];
  for (let i = 0; i < count; i++) {
    const radio = i % 2 ? radios.no : radios.yes;
    const updated = new Promise((resolve) => {
      const observer = new MutationObserver(() => { observer.disconnect(); resolve(performance.now()); });
      observer.observe(results, { childList: true });
    });
    const start = performance.now();
    radio.checked = true;
    radio.dispatchEvent(new Event("input", { bubbles: true }));
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    times.push((await updated) - start);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return times;
}"""

ENGINE = """async (count) => {
  const profile = { unit: { in_karamay: true, legal_person: true, kind: "enterprise", credit_rating: "A" },
                    leader: { birth_date: "1980-05-01", title: "senior" },
                    project: { total_investment: 3000, requested_funding: 300 } };
  const times = [];
  for (let i = 0; i < count; i++) {
    profile.unit.in_karamay = i % 2 === 0;
    const start = performance.now();
    await window.checker.evaluate(profile);
    times.push(performance.now() - start);
  }
  return times;
}"""

DEBOUNCE_MS = 150  # checker.js DEBOUNCE_MS


ROUND_TRIP_TARGET_MS = 5  # median, the page to the worker's engine and back: well under a frame


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="10 changes, to prove the script works")
    args = parser.parse_args(argv)
    count = 10 if args.quick else args.changes
    c.require_site()
    server = c.Nginx({"guide": c.SITE})
    try:
        with c.chromium() as browser:
            context = browser.new_context()
            page = context.new_page()
            page.goto(f"{server.origin}/guide/checker/")
            c.poll(page, "() => !!(window.checker && document.querySelector('.ck-programme[data-verdict]'))")
            page.evaluate("() => window.checker.ready")
            page.wait_for_timeout(300)
            changes = page.evaluate(CHANGES, count)
            engine = page.evaluate(ENGINE, count)
            context.close()
    finally:
        server.close()
    rows = [
        c.row("answer change -> result updated, median", c.median(changes), None, None, "ms",
              f"{count} changes, includes the {DEBOUNCE_MS} ms debounce"),
        c.row("answer change -> result updated, p95", c.p95(changes), None, None, "ms", f"{count} changes"),
        c.row("same, less the debounce, median", c.median(changes) - DEBOUNCE_MS, None, None, "ms"),
        c.row("same, less the debounce, p95", c.p95(changes) - DEBOUNCE_MS, None, None, "ms"),
        c.row("engine round trip (checker.evaluate), median", c.median(engine), None, ROUND_TRIP_TARGET_MS, "ms",
              f"{count} calls, all five programmes"),
        c.row("engine round trip (checker.evaluate), p95", c.p95(engine), None, None, "ms"),
    ]
    c.record("latency", {
        "server": "nginx, gzip on, loopback",
        "changes": count,
        "debounce_ms": DEBOUNCE_MS,
        "change_to_result_ms": {"median": round(c.median(changes), 1), "p95": round(c.p95(changes), 1),
                                "max": round(max(changes), 1)},
        "engine_round_trip_ms": {"median": round(c.median(engine), 1), "p95": round(c.p95(engine), 1),
                                 "max": round(max(engine), 1)},
        "rows": rows,
    })
    c.print_table(f"Evaluation latency in Chromium ({count} answer changes)", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
