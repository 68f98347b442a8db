#!/usr/bin/env python3
"""Serve the built site on loopback with the headers a deploy sends (`make serve`).

Python's http.server, plus the headers of sitegen/headers.py, which the build also writes into
site/_headers and the README's nginx lines send: pages and sw.js revalidated on every visit, files
with hashed names kept a year, no framing by another origin.

    python serve.py                       http://127.0.0.1:8000/ from site/
    python serve.py --port 8080 --directory site
"""

import argparse
import http.server
import sys
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from sitegen import headers  # noqa: E402


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """http.server's file handler sending the site's headers, for a site served at `prefix` (`/`, `/guide/`)."""

    # Pyodide streams its wasm only as application/wasm, and a browser runs a module script (`.mjs`)
    # only with a JavaScript type, whatever the system's MIME table says.
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript"}
    # A browser that closes a tab while a file is still downloading resets the connection: normal for a
    # web server (nginx logs it at info level), not an error to report.
    CLIENT_GONE = (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)

    def __init__(self, *args, prefix="/", **kwargs):
        self.prefix = prefix
        super().__init__(*args, **kwargs)

    def end_headers(self):
        """Add the site's headers for the requested path (error pages included), then end them."""
        path = unquote(urlsplit(self.path).path)
        if path.startswith(self.prefix):
            for name, value in headers.for_path(path[len(self.prefix):]).items():
                self.send_header(name, value)
        super().end_headers()

    def handle(self):
        """Serve the connection; a client hanging up mid-response just ends it."""
        try:
            super().handle()
        except self.CLIENT_GONE:
            self.close_connection = True


def main(argv=None):
    """Serve until Ctrl-C."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--directory", default=str(ROOT / "site"))
    args = parser.parse_args(argv)
    handler = partial(SiteHandler, directory=args.directory)
    with http.server.ThreadingHTTPServer((args.bind, args.port), handler) as httpd:
        print(f"Serving http://{args.bind}:{args.port}/ from {args.directory} (Ctrl-C to stop)")
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
