"""The build's service worker: its manifest covers the whole site, by content hash, and nothing else."""

import hashlib
import json
import re

from sitegen import offline


def baked(site_dir):
    text = (site_dir / "sw.js").read_text(encoding="utf-8")
    manifest = json.loads(re.search(r"^const MANIFEST = (\{.*?\});$", text, re.M | re.S).group(1))
    versioned = json.loads(re.search(r"^const VERSIONED = new Set\((\[.*?\])\);$", text, re.M | re.S).group(1))
    return text, manifest, versioned


def by_query(text):
    """The versioned paths baked into sw.js as versioned by their URL's ?v= only."""
    return json.loads(re.search(r"^const BY_QUERY = new Set\((\[.*?\])\);$", text, re.M | re.S).group(1))


def test_the_manifest_holds_every_served_file_by_its_hash_pages_by_their_address(site_dir):
    _, manifest, _ = baked(site_dir)
    files = {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file()}
    left_out = {f for f in files if offline.EXCLUDE.search(f)}
    # A pre-compressed copy is left out only beside its own file: the host sends it under that URL.
    copies = {f for f in left_out if f.endswith((".gz", ".br")) and f[:-3] in files}
    assert left_out and all(f.endswith((".map", "sitemap.xml")) or f in ("sw.js", "_headers") for f in left_out - copies)
    assert len(manifest) == len(files - left_out)
    for path, digest in manifest.items():
        file = site_dir / (path + "index.html" if path == "" or path.endswith("/") else path)
        assert hashlib.sha256(file.read_bytes()).hexdigest() == digest, path
    for needed in ("", "en/", "checker/", "en/checker/", "search/search_index.json", "assets/offline.js"):
        assert needed in manifest
    assert any(p.endswith("pyodide.asm.wasm") for p in manifest) and any(p.endswith(".whl") for p in manifest)


def test_only_content_addressed_files_are_served_cache_first(site_dir):
    text, manifest, versioned = baked(site_dir)
    assert set(versioned) <= set(manifest)
    pages = [p for p in manifest if p == "" or p.endswith("/") or p.endswith(".html")]
    assert pages and not set(pages) & set(versioned)
    assert "search/search_index.json" not in versioned and "assets/site.css" not in versioned
    # The checker's worker and the offline script keep their names but are always asked for with
    # ?v=<hash>; the checker's modules are served under content-hashed names.
    checker = (site_dir / "checker" / "index.html").read_text(encoding="utf-8")
    entry = re.search(r'src="[^"]*assets/checker/(checker\.[0-9a-f]{12}\.js)"', checker).group(1)
    assert "assets/checker/" + entry in versioned
    for name in ("engine-worker.js", "offline.js"):
        version = re.search(rf'{re.escape(name)}\?v=([0-9a-f]+)["&]', checker).group(1)
        path = next(p for p in versioned if p.endswith("/" + name))
        assert manifest[path].startswith(version), name
        # Their HTTP-cached copies without ?v= may be of any build: never served in its place.
        assert path in by_query(text), name
    assert not any(p.endswith(".wasm") or re.search(r"\.[0-9a-f]{12}\.js$", p) for p in by_query(text))


def test_a_changed_file_changes_the_worker_and_its_cache_name(tmp_path):
    (tmp_path / "index.html").write_text("<p>one</p>")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "bundle.0123abcd.min.js").write_text("x")
    (tmp_path / "assets" / "bundle.0123abcd.min.js.map").write_text("{}")
    first = offline.write_service_worker(tmp_path)
    text1 = (tmp_path / "sw.js").read_text()
    assert first[0] == {"": hashlib.sha256(b"<p>one</p>").hexdigest(),
                        "assets/bundle.0123abcd.min.js": hashlib.sha256(b"x").hexdigest()}
    assert '"assets/bundle.0123abcd.min.js"' in text1.split("const VERSIONED")[1].split(";")[0]
    offline.write_service_worker(tmp_path)
    assert (tmp_path / "sw.js").read_text() == text1  # deterministic: same build, same worker
    (tmp_path / "index.html").write_text("<p>two</p>")
    offline.write_service_worker(tmp_path)
    text2 = (tmp_path / "sw.js").read_text()
    cache = re.compile(r'^const CACHE = "(guide-[0-9a-f]{16})";$', re.M)
    assert cache.search(text1).group(1) != cache.search(text2).group(1)
