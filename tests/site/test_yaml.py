"""The two YAML parsers the build uses read every source file the same way."""

from pathlib import Path

import pytest
import yaml

from sitegen import yamlio

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(p.relative_to(ROOT) for folder in ("guide_src", "rules") for p in (ROOT / folder).rglob("*.yaml"))


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml: the build uses one parser")
@pytest.mark.parametrize("path", SOURCES, ids=str)
def test_libyaml_and_the_python_parser_read_a_source_file_alike(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    assert yaml.load(text, Loader=yamlio._FAST) == yaml.load(text, Loader=yamlio._PRECISE)


def test_every_source_file_is_compared():
    assert len(SOURCES) >= 15
