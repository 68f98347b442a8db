"""The byte-compiled standard library and wheel: built by the shipped Pyodide, used by the checker, with
a fallback to the source files when they cannot be loaded."""

import base64
import hashlib
import re
import zipfile

import pytest

from support import open_checker

READY_TIMEOUT = 90  # seconds; a fallback starts Pyodide twice


def compiled_folder(site_dir):
    """The folder of the byte-compiled pair named in the checker page's worker URL."""
    html = (site_dir / "checker" / "index.html").read_text(encoding="utf-8")
    pyc = re.search(r'data-worker="[^"]*[?&]pyc=([0-9a-f]+)"', html).group(1)
    return site_dir / "assets" / "pyc" / pyc


def test_the_build_ships_a_sourceless_stdlib_for_the_start_up_and_a_sourceless_wheel(site_dir):
    folder = compiled_folder(site_dir)
    (source_stdlib,) = (site_dir / "assets" / "pyodide").glob("*/python_stdlib.zip")
    compiled = zipfile.ZipFile(folder / "python_stdlib.zip").namelist()
    source = zipfile.ZipFile(source_stdlib).namelist()
    # What every start imports is compiled, and replaces its source; the rest stays source.
    for module in ("encodings/__init__", "json/__init__", "re/_parser", "pyodide/_package_loader"):
        assert module + ".pyc" in compiled and module + ".py" not in compiled, module
    assert "pydoc.py" in compiled and "pydoc.pyc" not in compiled
    assert sorted(n[:-1] if n.endswith(".pyc") else n for n in compiled) == sorted(source)

    (source_wheel,) = (site_dir / "assets" / "checker" / "wheels").glob("*/*.whl")
    wheel = zipfile.ZipFile(folder / source_wheel.name)
    assert sorted(n[:-1] if n.endswith(".pyc") else n for n in wheel.namelist()) == sorted(zipfile.ZipFile(source_wheel).namelist())
    assert "checker_py/__init__.pyc" in wheel.namelist() and not any(n.endswith(".py") for n in wheel.namelist())
    record = next(n for n in wheel.namelist() if n.endswith(".dist-info/RECORD"))
    for line in wheel.read(record).decode().splitlines():
        path, digest, size = line.split(",")
        if path != record:
            data = wheel.read(path)
            assert digest == "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert int(size) == len(data)


def test_the_checker_starts_from_the_byte_compiled_files_and_never_fetches_the_source_ones(page, server, site_dir):
    folder = compiled_folder(site_dir).relative_to(site_dir).as_posix()
    open_checker(page, server.url + "checker/?programme=major", READY_TIMEOUT)
    fetched = [u.split("?")[0].removeprefix(server.url) for u in page.requests.urls]
    assert f"{folder}/python_stdlib.zip" in fetched
    assert any(u.startswith(folder + "/") and u.endswith(".whl") for u in fetched), fetched
    assert not any(u.endswith("/python_stdlib.zip") and not u.startswith(folder) for u in fetched), fetched
    assert not any("/wheels/" in u for u in fetched), fetched
    result = page.evaluate("window.checker.evaluate({}, {programme: 'major', lang: 'en'})")
    assert result["results"]["major"]["verdict"] == "incomplete"
    assert page.js_errors == []


@pytest.mark.parametrize("failure", ["missing", "not a zip", "bytecode of another Python"])
def test_the_checker_falls_back_to_the_source_stdlib_when_the_compiled_one_fails(page, server, site_dir, failure):
    folder = compiled_folder(site_dir).relative_to(site_dir).as_posix()

    def broken(route):
        if failure == "missing":
            route.fulfill(status=404, body="not found")
        elif failure == "not a zip":
            route.fulfill(status=200, body=b"\0" * 1000, content_type="application/zip")
        else:  # a valid zip whose .pyc files carry a magic number no Python 3.14 accepts
            data = (site_dir / folder / "python_stdlib.zip").read_bytes()
            route.fulfill(status=200, body=_with_bad_magic(data), content_type="application/zip")

    page.route(re.compile(re.escape(folder) + r"/python_stdlib\.zip$"), broken)
    open_checker(page, server.url + "en/checker/?programme=major", READY_TIMEOUT)
    fetched = [u.split("?")[0].removeprefix(server.url) for u in page.requests.urls]
    assert any(re.fullmatch(r"assets/pyodide/[^/]+/python_stdlib\.zip", u) for u in fetched), fetched
    assert any("/wheels/" in u for u in fetched), fetched
    result = page.evaluate("window.checker.evaluate({}, {programme: 'major', lang: 'en'})")
    assert result["results"]["major"]["verdict"] == "incomplete"
    # Pyodide starts the stdlib's download before it awaits it, so a 404 is briefly an unhandled
    # rejection in the worker; any error seen must be that one, about the compiled file.
    assert all(f"/{folder}/python_stdlib.zip" in error for error in page.js_errors), page.js_errors


def _with_bad_magic(data):
    """The zip with the first two bytes (the version magic) of every .pyc changed."""
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename.endswith(".pyc"):
                body = b"\x00\x00" + body[2:]
            zout.writestr(info.filename, body)
    return out.getvalue()


def test_the_checker_falls_back_to_the_source_wheel_when_the_compiled_one_is_missing(page, server, site_dir):
    folder = compiled_folder(site_dir).relative_to(site_dir).as_posix()
    page.route(re.compile(re.escape(folder) + r"/[^/]+\.whl$"), lambda route: route.fulfill(status=404, body="not found"))
    open_checker(page, server.url + "checker/?programme=major", READY_TIMEOUT)
    fetched = [u.split("?")[0].removeprefix(server.url) for u in page.requests.urls]
    assert any("/wheels/" in u and u.endswith(".whl") for u in fetched), fetched
    assert any(re.fullmatch(r"assets/pyodide/[^/]+/python_stdlib\.zip", u) for u in fetched), fetched
    result = page.evaluate("window.checker.evaluate({}, {programme: 'major', lang: 'zh'})")
    assert result["results"]["major"]["verdict"] == "incomplete"
