"""Pre-compressed copies (.gz, .br) beside the site's large text and wasm files.

Hosts that serve pre-compressed files (nginx `gzip_static on;`) then send them without compressing
on every request, and at the best level. Python's gzip makes the .gz (level 9, no timestamp, so a
build is reproducible), Node's zlib the .br (sitegen/node/compress.mjs); the copies are cached by
content under build/, so an unchanged 9.6 MB runtime is compressed once.
`candidates()` is pure; `write_compressed()` writes the copies into a built site.
"""

import gzip
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from .errors import BuildError

SCRIPT = Path(__file__).with_name("node") / "compress.mjs"
# Text and wasm compress well; zip, images and fonts are compressed already.
SUFFIXES = {".html", ".css", ".js", ".mjs", ".json", ".wasm", ".svg", ".xml", ".txt"}
MIN_BYTES = 1024  # below a packet, compression saves nothing worth a file
ENCODINGS = (".gz", ".br")


def candidates(site_dir):
    """The site files worth a pre-compressed copy, sorted."""
    site_dir = Path(site_dir)
    return sorted(p for p in site_dir.rglob("*")
                  if p.is_file() and p.suffix in SUFFIXES and p.stat().st_size >= MIN_BYTES
                  and not any(Path(str(p) + e).exists() for e in ENCODINGS))


def write_compressed(site_dir, cache_dir):
    """Write <file>.gz and <file>.br beside every candidate; return how many files got copies."""
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    files = candidates(site_dir)
    keys = {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in files}
    todo = {key: path for path, key in keys.items() if not all((cache_dir / (key + e)).is_file() for e in ENCODINGS)}
    for key, path in todo.items():
        tmp = cache_dir / (key + ".gz.tmp")  # renamed once whole: an interrupted build leaves no stub
        tmp.write_bytes(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))
        os.replace(tmp, cache_dir / (key + ".gz"))
    if todo:
        lines = "".join(f"{path}\t{cache_dir / key}\n" for key, path in todo.items())
        try:
            done = subprocess.run(["node", str(SCRIPT)], input=lines, capture_output=True, text=True, timeout=900)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BuildError(SCRIPT, "", f"could not run Node: {exc}") from None
        if done.returncode != 0:
            raise BuildError(SCRIPT, "", f"compressing failed: {done.stderr.strip()[-500:]}")
    for path, key in keys.items():
        for encoding in ENCODINGS:
            shutil.copyfile(cache_dir / (key + encoding), str(path) + encoding)
    return len(files)
