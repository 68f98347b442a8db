"""A deterministic pure-Python wheel, written with zipfile alone (no pip, no network).

The same package tree always gives the same bytes: entries are sorted, every timestamp is the
zip epoch (or SOURCE_DATE_EPOCH) and permissions are fixed, so the wheel's hash only changes
when its content does.
"""

import base64
import hashlib
import io
import os
import re
import time
import zipfile
from pathlib import Path

_SKIP_DIRS = {"__pycache__"}
_SKIP_SUFFIXES = (".pyc", ".pyo", ".tmp", ".swp")
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _timestamp():
    """The zip timestamp of every entry: SOURCE_DATE_EPOCH when set, else the zip epoch."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return _ZIP_EPOCH
    return max(_ZIP_EPOCH, time.gmtime(int(epoch))[:6])


def _record_hash(data):
    """RECORD's hash column: urlsafe base64 sha256 without padding (PEP 376 / 427)."""
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def package_files(package_dir):
    """{archive path: bytes} of every file of the package, caches and editor litter excluded."""
    package_dir = Path(package_dir)
    files = {}
    for path in sorted(package_dir.rglob("*")):
        rel = path.relative_to(package_dir.parent)
        if path.is_dir() or _SKIP_DIRS & set(rel.parts) or path.name.endswith(_SKIP_SUFFIXES):
            continue
        files[rel.as_posix()] = path.read_bytes()
    return files


def dist_name(name):
    """The wheel file-name form of a distribution name (PEP 427: runs of -_. become _)."""
    return re.sub(r"[-_.]+", "_", name)


def build_wheel(name, version, files, summary=""):
    """(file name, bytes) of a py3-none-any wheel holding `files` ({archive path: bytes})."""
    dist = dist_name(name)
    info = f"{dist}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: {summary}\n".encode("utf-8")
    wheel = b"Wheel-Version: 1.0\nGenerator: sitegen.wheel\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    entries = dict(sorted(files.items()))
    entries[f"{info}/METADATA"] = metadata
    entries[f"{info}/WHEEL"] = wheel
    record = "".join(f"{path},{_record_hash(data)},{len(data)}\n" for path, data in entries.items())
    entries[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode("utf-8")
    buf = io.BytesIO()
    stamp = _timestamp()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, data in entries.items():
            zinfo = zipfile.ZipInfo(path, date_time=stamp)
            zinfo.compress_type = zipfile.ZIP_DEFLATED
            zinfo.external_attr = 0o644 << 16
            zinfo.create_system = 3  # unix, so the permission bits above are honoured everywhere
            zf.writestr(zinfo, data, compresslevel=9)
    return f"{dist}-{version}-py3-none-any.whl", buf.getvalue()
