"""The build's byte-compiling step: Pyodide in Node, cached by its inputs, failing with one clear line."""

import io
import subprocess
import zipfile

import pytest

from sitegen import checker_assets
from sitegen.errors import BuildError
from sitegen.wheel import build_wheel, package_files
from support import ROOT


@pytest.fixture
def demo_wheel(tmp_path):
    """A one-module wheel named like the checker's."""
    package = tmp_path / "checker_py"
    package.mkdir()
    (package / "__init__.py").write_text("import json\n\ndef evaluate_json(text, lang='zh'):\n    return json.dumps({})\n")
    return build_wheel("checker_py", "1.0", package_files(package))


def test_the_wheel_is_compiled_by_pyodide_once_then_taken_from_the_cache(tmp_path, demo_wheel, monkeypatch):
    name, wheel = demo_wheel
    stdlib, compiled = checker_assets.byte_compiled(ROOT / "node_modules", name, wheel, tmp_path / "cache")
    names = zipfile.ZipFile(io.BytesIO(compiled)).namelist()
    assert "checker_py/__init__.pyc" in names and "checker_py/__init__.py" not in names
    assert "json/__init__.pyc" in zipfile.ZipFile(io.BytesIO(stdlib)).namelist()

    def no_node(*args, **kwargs):
        raise AssertionError("Node ran although the cache holds this wheel's files")

    monkeypatch.setattr(subprocess, "run", no_node)
    assert checker_assets.byte_compiled(ROOT / "node_modules", name, wheel, tmp_path / "cache") == (stdlib, compiled)


def test_a_failure_in_node_stops_the_build_with_one_line_naming_the_script(tmp_path, demo_wheel, monkeypatch):
    script = tmp_path / "pycompile.mjs"
    script.write_text('console.error("pycompile: no Pyodide here"); process.exit(1);\n')
    monkeypatch.setattr(checker_assets, "PYCOMPILE", script)
    name, wheel = demo_wheel
    with pytest.raises(BuildError) as raised:
        checker_assets.byte_compiled(ROOT / "node_modules", name, wheel, tmp_path / "cache")
    assert str(script) in str(raised.value) and "no Pyodide here" in str(raised.value)
    assert "\n" not in str(raised.value)
