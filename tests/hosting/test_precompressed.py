"""Pre-compressed copies beside the large text and wasm files, and a host that sends them."""

import gzip
import subprocess
import urllib.request
from pathlib import Path

import pytest

from sitegen import precompress
from support import NGINX, NginxServer


def brotli_decompress(data):
    """Node's zlib, the same tool that wrote the copy (Python has no brotli in its standard library)."""
    script = "process.stdout.write(require('zlib').brotliDecompressSync(require('fs').readFileSync(0)))"
    return subprocess.run(["node", "-e", script], input=data, capture_output=True, check=True).stdout


def test_every_large_text_and_wasm_file_has_gzip_and_brotli_copies_of_its_exact_bytes(site_dir):
    wanted = [p for p in site_dir.rglob("*") if p.is_file() and p.suffix in precompress.SUFFIXES
              and p.stat().st_size >= precompress.MIN_BYTES and p.name != "sitemap.xml"]
    for needed in ("pyodide.asm.wasm", "pyodide.asm.mjs", "search_index.zh.json", "sw.js", "index.html"):
        assert any(p.name == needed for p in wanted), needed
    for path in wanted:
        data = path.read_bytes()
        assert gzip.decompress((path.parent / (path.name + ".gz")).read_bytes()) == data, path
    for path in [p for p in wanted if p.suffix in (".wasm", ".json", ".html")][:6]:
        assert brotli_decompress((path.parent / (path.name + ".br")).read_bytes()) == path.read_bytes(), path
    # Already compressed formats get no copy.
    assert not list(site_dir.rglob("*.zip.gz")) and not list(site_dir.rglob("*.whl.gz"))


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed")
def test_nginx_with_gzip_static_sends_the_prebuilt_gzip_copy_of_the_wasm(site_dir):
    server = NginxServer({"guide": site_dir}, http_extra="    gzip_static on;\n")
    try:
        wasm = next(site_dir.glob("assets/pyodide/*/pyodide.asm.wasm"))
        url = f"{server.origin}/guide/{wasm.relative_to(site_dir).as_posix()}"
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert response.headers["Content-Type"] == "application/wasm"
            body = response.read()
        assert body == (wasm.parent / (wasm.name + ".gz")).read_bytes()
    finally:
        server.close()
