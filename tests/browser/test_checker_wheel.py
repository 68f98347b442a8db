"""The checker's wheel: deterministic, installable as it is, and carrying the compiled rules."""

import base64
import hashlib
import io
import json
import zipfile
from pathlib import Path

from sitegen.wheel import build_wheel, package_files

ROOT = Path(__file__).resolve().parents[2]


def test_the_same_package_gives_the_same_wheel_bytes(tmp_path):
    pkg = tmp_path / "demo_pkg"
    (pkg / "_data").mkdir(parents=True)
    (pkg / "__init__.py").write_text("X = 1\n")
    (pkg / "_data" / "rules.json").write_text("{}\n")
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "x.pyc").write_bytes(b"junk")
    first = build_wheel("demo_pkg", "1.0", package_files(pkg))
    (pkg / "__init__.py").touch()  # a new mtime changes nothing
    assert build_wheel("demo_pkg", "1.0", package_files(pkg)) == first
    name, data = first
    assert name == "demo_pkg-1.0-py3-none-any.whl"
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "demo_pkg/_data/rules.json" in names and not any("__pycache__" in n for n in names)


def test_the_built_wheel_records_every_file_with_its_hash(site_dir):
    (wheel,) = (site_dir / "assets" / "checker" / "wheels").glob("*/*.whl")
    zf = zipfile.ZipFile(wheel)
    info = next(n for n in zf.namelist() if n.endswith(".dist-info/RECORD"))
    rows = [line.split(",") for line in zf.read(info).decode().splitlines()]
    assert {row[0] for row in rows} == set(zf.namelist())
    for path, digest, size in rows:
        if path == info:
            continue
        data = zf.read(path)
        assert digest == "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert int(size) == len(data)
    assert "Tag: py3-none-any" in zf.read(info.replace("RECORD", "WHEEL")).decode()
    # The same rules the command line reads (compared as data: the engine's tests rewrite the file).
    assert json.loads(zf.read("checker_py/_data/rules.json")) == json.loads((ROOT / "checker_py" / "_data" / "rules.json").read_text(encoding="utf-8"))
