"""Checker start-up against bare Pyodide, and the form against a plain guide page.

Served by nginx with gzip on, as in production: /guide/ is site/, /bare/ a baseline page generated
here into a temp folder (never shipped in site/) that loads the *same* Pyodide files from /guide/
in a module worker and evaluates 1+1. Times are performance.now() in the page, i.e. from the
start of navigation:

- bare ready: the worker answered 1+1;
- checker ready: `window.checker.ready` resolved; first result: the first verdict is shown;
  form interactive: the questionnaire is in the page;
- guide page load: the load event of a programme page (no checker);
- checker, source stdlib: the checker page with `pyc=` taken out of its worker URL (a Playwright
  route rewrites the page), so the worker starts from the source stdlib and wheel as it did before
  the build byte-compiled them. Cold only: routing turns Chromium's HTTP cache off.

Cold = a fresh browser profile (empty caches); warm = a second visit in the same profile after the
first one finished (HTTP cache and the service worker's cache filled). The profiles are on disk, as a
visitor's: an off-the-record context (Playwright's new_context) keeps no compiled code for HTTP
responses, so there a warm visit could never reuse the first visit's compiled wasm. Runs alternate
between the pages; medians are reported.

Whether Chromium reused its compiled WebAssembly is read from a trace of three visits of the checker
in one profile: V8 logs `wasm.Deserialize` (`v8.wasm.moduleCacheHit` in some versions) when it takes
the module from its cache instead of compiling it. Merges "startup" into bench/results.json.

    .venv/bin/python bench/startup.py [--runs N] [--quick]
"""

import argparse
import contextlib
import json
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402
import support  # noqa: E402

TIMEOUT = 120_000

BARE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bare Pyodide</title></head>
<body><p id="state">loading</p><script type="module" src="bare.js"></script></body></html>
"""
BARE_JS = """const pyodideUrl = new URL(%s, location.href).href;
const worker = new Worker(new URL("bare-worker.js", import.meta.url), { type: "module" });
worker.onmessage = (event) => {
  window.__bare = { ready: performance.now(), value: event.data };
  document.getElementById("state").textContent = "ready: 1+1 = " + event.data;
};
worker.postMessage({ pyodide: pyodideUrl });
"""
BARE_WORKER = """self.onmessage = async (event) => {
  const { loadPyodide } = await import(event.data.pyodide);
  const py = await loadPyodide({ indexURL: new URL(".", event.data.pyodide).href });
  self.postMessage(py.runPython("1+1"));
};
"""

# Installed before any page script (Playwright's init scripts are not subject to the page's CSP).
PROBE = """
window.__t = {};
(() => {
  let value;
  Object.defineProperty(window, "checker", {
    configurable: true,
    get() { return value; },
    set(v) {
      value = v;
      if (v && v.ready) v.ready.then(() => { window.__t.ready = performance.now(); }, () => {});
    },
  });
  const seen = () => {
    if (window.__t.form === undefined && document.querySelector("#checker form")) window.__t.form = performance.now();
    // The worker reports "loading rules" once Pyodide itself is up: the split of the start-up.
    const step = document.querySelector(".ck-status progress");
    if (window.__t.runtime === undefined && step && Number(step.getAttribute("value")) >= 2) window.__t.runtime = performance.now();
    if (window.__t.result === undefined && document.querySelector(".ck-programme[data-verdict]")) window.__t.result = performance.now();
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true, attributes: true });
})();
"""


def pyodide_url():
    """The checker's Pyodide module, relative to the site root (from the built checker page)."""
    html = (c.SITE / "checker" / "index.html").read_text(encoding="utf-8")
    return re.search(r'data-pyodide="\.\./([^"]+)"', html).group(1)


def make_bare(folder):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(BARE_HTML, encoding="utf-8")
    (folder / "bare.js").write_text(BARE_JS % repr("/guide/" + pyodide_url()).replace("'", '"'), encoding="utf-8")
    (folder / "bare-worker.js").write_text(BARE_WORKER, encoding="utf-8")


def wait(page, expression):
    """Poll a page expression with page.evaluate (the site's CSP forbids the eval of wait_for_function)."""
    c.poll(page, f"() => {expression}", TIMEOUT / 1000)


def load_event(page):
    wait(page, "performance.getEntriesByType('navigation')[0]?.loadEventEnd > 0")
    return page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")


def visit_bare(page, url):
    page.goto(url)
    wait(page, "window.__bare !== undefined")
    bare = page.evaluate("() => window.__bare")
    assert bare["value"] == 2, bare
    return {"ready": bare["ready"], "load": load_event(page)}


def visit_checker(page, url):
    page.goto(url)
    wait(page, "window.__t.ready !== undefined && window.__t.result !== undefined")
    t = page.evaluate("() => window.__t")
    return {"ready": t["ready"], "result": t["result"], "form": t["form"], "runtime": t.get("runtime", t["ready"]),
            "load": load_event(page)}


def without_bytecode(context):
    """Serve checker pages with `pyc=` taken out of the worker URL: the worker then uses the source files."""
    def strip(route):
        response = route.fetch()
        route.fulfill(response=response, body=re.sub(r"&(amp;)?pyc=[0-9a-f]+", "", response.text()))
    context.route(re.compile(r"/checker/(\?.*)?$"), strip)


def visit_guide(page, url):
    page.goto(url)
    return {"load": load_event(page)}


def settle(page):
    """Let the first visit finish its background work (service worker install and precache)."""
    page.evaluate("""() => navigator.serviceWorker ? Promise.race([
        navigator.serviceWorker.ready.then(() => true), new Promise((r) => setTimeout(() => r(false), 15000))]) : false""")
    page.wait_for_timeout(500)


@contextlib.contextmanager
def profile(browser):
    """A browser context on a fresh profile on disk (a browser process of its own)."""
    with tempfile.TemporaryDirectory() as folder:
        context = browser.browser_type.launch_persistent_context(folder, executable_path=c.CHROMIUM,
                                                                 args=c.CHROMIUM_FLAGS)
        try:
            yield context
        finally:
            context.close()


def measure(browser, visit, url, probe=False, warm_too=True, source=False):
    """(cold, warm) timings of one page: a fresh profile, then a second visit in it."""
    with profile(browser) as context:
        if probe:
            context.add_init_script(PROBE)
        if source:
            without_bytecode(context)
        page = context.new_page()
        cold = visit(page, url)
        if not warm_too:
            return cold, None
        settle(page)
        page.close()
        page = context.new_page()
        warm = visit(page, url)
        return cold, warm


def wasm_cache_hits(browser, url, visits=3):
    """For each of `visits` checker visits in one profile: did V8 take pyodide.asm.wasm from its cache?"""
    hits = []
    with profile(browser) as context:
        context.add_init_script(PROBE)
        for _ in range(visits):
            page = context.new_page()
            cdp = support.start_tracing(context, page)
            try:
                visit_checker(page, url)
                # V8 writes its cache a while after the last optimised code: keep the worker alive.
                page.wait_for_timeout(3000)
            finally:
                events = support.stop_tracing(cdp)
            hits.append(any(e.get("name") in support.WASM_CACHE_HIT_EVENTS for e in events))
            settle(page)
            page.close()
    return hits


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--quick", action="store_true", help="one cold run of each page, to prove the script works")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    c.require_site()
    samples = {k: [] for k in ("bare_cold", "bare_warm", "checker_cold", "checker_warm", "guide_cold", "guide_warm",
                               "source_cold")}
    with tempfile.TemporaryDirectory() as tmp:
        make_bare(Path(tmp) / "bare")
        server = c.Nginx({"guide": c.SITE, "bare": Path(tmp) / "bare"})
        try:
            urls = {"bare": f"{server.origin}/bare/", "checker": f"{server.origin}/guide/checker/",
                    "guide": f"{server.origin}/guide/programmes/major/"}
            visits = {"bare": (visit_bare, False), "checker": (visit_checker, True), "guide": (visit_guide, False),
                      "source": (visit_checker, True)}
            with c.chromium() as browser:
                if not args.quick:
                    measure(browser, visit_guide, urls["guide"], warm_too=False)  # browser start-up, not counted
                order = ["bare", "checker", "guide", "source"]
                for run in range(runs):
                    for name in order[run % 4:] + order[:run % 4]:  # alternate which page goes first
                        visit, probe = visits[name]
                        source = name == "source"
                        cold, warm = measure(browser, visit, urls["checker" if source else name], probe,
                                             warm_too=not (args.quick or source), source=source)
                        samples[f"{name}_cold"].append(cold)
                        if warm is not None:
                            samples[f"{name}_warm"].append(warm)
                        print(f"  run {run + 1}/{runs} {name}: cold {cold} warm {warm}", file=sys.stderr)
                cache_hits = wasm_cache_hits(browser, urls["checker"])
                print(f"  compiled-wasm cache hit by visit: {cache_hits}", file=sys.stderr)
        finally:
            server.close()

    def med(key, field):
        return c.median([s[field] for s in samples[key]]) if samples[key] else None

    bare_cold, bare_warm = med("bare_cold", "ready"), med("bare_warm", "ready")
    spec = [
        ("checker ready, cold", ("checker_cold", "ready"), bare_cold, 0.9, "vs bare Pyodide ready, cold"),
        ("checker first result, cold", ("checker_cold", "result"), bare_cold, None, "vs bare Pyodide ready, cold"),
        ("checker ready, cold, source stdlib and wheel", ("source_cold", "ready"), bare_cold, None,
         "vs bare Pyodide ready, cold: the checker without its byte-compiled files"),
        ("checker ready, warm", ("checker_warm", "ready"), bare_cold, 0.5, "vs bare Pyodide ready, cold"),
        ("checker first result, warm", ("checker_warm", "result"), bare_cold, 0.5, "vs bare Pyodide ready, cold"),
        ("bare Pyodide ready, warm", ("bare_warm", "ready"), bare_cold, None, "vs bare Pyodide ready, cold"),
        ("checker: Pyodide up, cold", ("checker_cold", "runtime"), bare_cold, None, "vs bare Pyodide ready, cold"),
        ("checker: Pyodide up, warm", ("checker_warm", "runtime"), bare_warm, None, "vs bare Pyodide ready, warm"),
        ("checker form interactive, cold", ("checker_cold", "form"), med("guide_cold", "load"), 1.2,
         "vs a programme page's load event, cold"),
        ("checker form interactive, warm", ("checker_warm", "form"), med("guide_warm", "load"), 1.2,
         "vs a programme page's load event, warm"),
    ]
    rows = [c.row(name, med(*what), base, target, "ms", note) for name, what, base, target, note in spec
            if med(*what) is not None]
    rows += [c.row(f"compiled wasm taken from V8's cache, visit {n}", int(hit), None, None, "",
                   "1 = yes, 0 = compiled again") for n, hit in enumerate(cache_hits, 1)]
    c.record("startup", {
        "server": "nginx, gzip on (level 6), loopback",
        "runs": runs,
        "medians_ms": {f"{k}.{f}": round(med(k, f), 1) for k in samples if samples[k] for f in samples[k][0]},
        "samples_ms": {k: [{f: round(v, 1) for f, v in s.items()} for s in samples[k]] for k in samples},
        "wasm_cache_hits": cache_hits,
        "rows": rows,
    })
    c.print_table(f"Checker start-up (nginx + gzip, {runs} runs, medians; times from navigation start)", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
