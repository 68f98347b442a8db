"""The wheels the site serves: the engine's carries only the engine; the batch page's are the pinned
openpyxl and et_xmlfile and the spreadsheet layer, each holding only its own package."""

import re
import zipfile

from sheetkit import ROOT

WHEELS = [ROOT / "site" / "assets" / "checker" / "wheels", ROOT / "site" / "assets" / "batch" / "wheels"]


def _wheels():
    """{package: wheel path} of every wheel the site serves (the checker's, then the batch page's)."""
    return {path.name.split("-")[0]: path for folder in WHEELS for path in folder.glob("*/*.whl")}


def _packages(path):
    """The top-level folders a wheel installs (its dist-info aside)."""
    with zipfile.ZipFile(path) as wheel:
        return {name.split("/")[0] for name in wheel.namelist() if ".dist-info/" not in name}


def test_the_engine_wheel_carries_only_the_engine_and_the_sheet_wheels_only_their_packages():
    wheels = _wheels()
    assert set(wheels) == {"checker_py", "checker_sheets", "openpyxl", "et_xmlfile"}
    assert wheels["checker_py"].parent.parent == WHEELS[0]
    # The wheel name carries its content's hash, so a cache never serves a stale one.
    import hashlib

    for path in wheels.values():
        assert hashlib.sha256(path.read_bytes()).hexdigest().startswith(path.parent.name)
    for name, path in wheels.items():
        assert _packages(path) == {name}, path.name


def test_the_served_openpyxl_and_et_xmlfile_are_the_pinned_versions():
    pins = dict(re.findall(r"^([\w-]+)==(\S+)$", (ROOT / "requirements.txt").read_text(encoding="utf-8"), re.M))
    wheels = _wheels()
    assert wheels["openpyxl"].name == f"openpyxl-{pins['openpyxl']}-py3-none-any.whl"
    assert wheels["et_xmlfile"].name == f"et_xmlfile-{pins['et-xmlfile']}-py3-none-any.whl"
    with zipfile.ZipFile(wheels["openpyxl"]) as wheel:
        assert any(name.endswith("LICENCE.rst") for name in wheel.namelist())
