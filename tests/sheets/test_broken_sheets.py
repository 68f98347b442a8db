"""The spreadsheet cases of the broken-input corpus: each one fails with one clear line and exit 2."""

import pytest
import yaml

from sheetkit import BROKEN, screen

CASES = yaml.safe_load((BROKEN / "cases.yaml").read_text(encoding="utf-8"))


def test_every_file_of_the_spreadsheet_corpus_has_a_case():
    assert sorted(case["file"] for case in CASES) == sorted(p.name for p in BROKEN.iterdir() if p.name != "cases.yaml")


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_an_unreadable_spreadsheet_gives_one_line_naming_the_file_and_exit_2(case, tmp_path):
    report = tmp_path / "report.xlsx"
    status, out, err = screen(BROKEN / case["file"], "--output", report)
    assert status == 2, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"error: {BROKEN / case['file']}："), lines[0]
    assert case["expect"] in lines[0]
    assert not report.exists() and list(tmp_path.iterdir()) == []
