"""Page weight: bytes nginx sends with gzip on, against a plain Material page.

A plain one-page Material for MkDocs site is built here, in a temp folder, with the theme settings
of mkdocs.yml (language, palette, features, font: false; no overrides) and the default search
plugin. nginx (gzip on, level 6) serves it at /plain/ and site/ at /guide/. Each page is opened in
a fresh Chromium context with service workers blocked (the offline precache is not part of what a
page needs), waited for (the checker: until its first result), and its bytes are the sum of
nginx's `$body_bytes_sent` for every request of that load: the page and all its resources, the
worker's included. The checker and a programme page are loaded once more from an nginx with
`gzip_static on` (the build's pre-compressed .gz copies, level 9, sent as they are), against the
same nginx compressing on the fly (level 6). Merges "weight" into bench/results.json.

    .venv/bin/python bench/weight.py [--quick]
"""

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402

SLACK = 150 * 1024  # the checker's allowance beyond the Pyodide runtime


def load(browser, server, url, checker=False):
    """[(uri, status, bytes)] nginx sent for one cold page load."""
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        mark = server.log_mark()
        page.goto(url, wait_until="load")
        if checker:
            c.poll(page, "() => !!document.querySelector('.ck-programme[data-verdict]')")
        page.wait_for_timeout(800)  # late requests (favicon, search index on idle)
        page.close()
        return server.log_since(mark)
    finally:
        context.close()


def total(entries):
    return sum(size for _, _, size in entries)


def is_runtime(uri):
    """Pyodide's own files, and its standard library in the build's byte-compiled form."""
    return "/assets/pyodide/" in uri or uri.split("?")[0].endswith("/python_stdlib.zip")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="no browser warm-up load, to prove the script works")
    args = parser.parse_args(argv)
    c.require_site()
    with tempfile.TemporaryDirectory() as tmp:
        c.build_plain_site(tmp)
        server = c.Nginx({"guide": c.SITE, "plain": Path(tmp) / "site"})
        try:
            with c.chromium() as browser:
                if not args.quick:
                    load(browser, server, f"{server.origin}/plain/")  # warm up the browser
                pages = {
                    "plain": load(browser, server, f"{server.origin}/plain/"),
                    "home": load(browser, server, f"{server.origin}/guide/"),
                    "programme": load(browser, server, f"{server.origin}/guide/programmes/major/"),
                    "checker": load(browser, server, f"{server.origin}/guide/checker/", checker=True),
                }
        finally:
            server.close()
        static = c.Nginx({"guide": c.SITE}, gzip_static=True)
        try:
            with c.chromium() as browser:
                pages["checker_gzip_static"] = load(browser, static, f"{static.origin}/guide/checker/", checker=True)
                pages["programme_gzip_static"] = load(browser, static, f"{static.origin}/guide/programmes/major/")
        finally:
            static.close()
    plain = total(pages["plain"])
    runtime = [e for e in pages["checker"] if is_runtime(e[0])]
    extra = total(pages["checker"]) - total(pages["programme"])
    largest = sorted(pages["checker"], key=lambda e: -e[2])[:5]
    rows = [
        c.row("home page", total(pages["home"]), plain, 1.1, "B", "vs the plain Material page"),
        c.row("programme page (major)", total(pages["programme"]), plain, 1.1, "B", "vs the plain Material page"),
        c.row("checker page, everything until the first result", total(pages["checker"]), plain, None, "B",
              "vs the plain Material page"),
        c.row("checker's extra weight (checker − programme page)", extra, total(runtime) + SLACK, 1.0, "B",
              "vs the Pyodide runtime + 150 KB"),
        c.row("  of which the Pyodide runtime", total(runtime), None, None, "B", f"{len(runtime)} files"),
        c.row("checker page with gzip_static", total(pages["checker_gzip_static"]), total(pages["checker"]), None, "B",
              "the build's .gz copies vs nginx compressing at level 6"),
        c.row("programme page with gzip_static", total(pages["programme_gzip_static"]), total(pages["programme"]), None,
              "B", "the build's .gz copies vs nginx compressing at level 6"),
    ]
    c.record("weight", {
        "server": "nginx, gzip on (level 6), service workers blocked",
        "bytes": {name: total(entries) for name, entries in pages.items()},
        "requests": {name: len(entries) for name, entries in pages.items()},
        "pyodide_runtime_bytes": total(runtime),
        "checker_largest": [{"uri": uri.split("?")[0], "bytes": size} for uri, _, size in largest],
        "files": {name: [{"uri": uri.split("?")[0], "bytes": size} for uri, _, size in entries]
                  for name, entries in pages.items()},
        "rows": rows,
    })
    extra_lines = ["", "Five largest files of the checker page (bytes sent, gzip):", ""]
    extra_lines += [f"{i}. `{uri.split('?')[0].removeprefix('/guide/')}` — {size / 1024:,.1f} KB"
                    for i, (uri, _, size) in enumerate(largest, 1)]
    c.print_table("Page weight (bytes sent by nginx with gzip, one cold load each)", rows, extra_lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
