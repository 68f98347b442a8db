"""Broken guide data gives one clear message naming the file and field path, and nothing is lost."""

import hashlib
import shutil
import subprocess
import sys

import pytest

import build
from sitegen.errors import BuildError

ROOT = build.ROOT


@pytest.fixture
def guide_copy(tmp_path):
    """A writable copy of guide_src/ (the newest edition only)."""
    dest = tmp_path / "guide_src"
    shutil.copytree(ROOT / "guide_src", dest)
    return dest


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check_error(guide_root, rules_root=ROOT / "rules"):
    with pytest.raises(BuildError) as info:
        build.gather(guide_root, rules_root)
    return info.value.format()


def test_a_yaml_syntax_error_names_the_file_and_line(guide_copy):
    edit(guide_copy / "2022" / "notice.yaml", "id: notice", "id: [notice")
    message = check_error(guide_copy)
    assert message.startswith("guide_src/2022/notice.yaml: line ")
    assert "YAML error" in message


def test_a_duplicate_key_is_refused(guide_copy):
    edit(guide_copy / "2022" / "edition.yaml", 'edition: "2022"', 'edition: "2022"\nedition: "2022"')
    message = check_error(guide_copy)
    assert message.startswith("guide_src/2022/edition.yaml: line 2")
    assert "duplicate key 'edition'" in message


def test_a_missing_english_text_names_its_path(guide_copy):
    path = guide_copy / "2022" / "programmes" / "major.yaml"
    data = path.read_text(encoding="utf-8")
    # Drop the English of the first indicator of the second direction.
    import yaml

    doc = yaml.safe_load(data)
    del doc["sections"][1]["sections"][1]["blocks"][2]["en"]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert check_error(guide_copy) == "guide_src/2022/programmes/major.yaml: sections[1].sections[1].blocks[2].en: missing"


def test_an_empty_chinese_text_is_refused(guide_copy):
    import yaml

    path = guide_copy / "2022" / "programmes" / "talent.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["title"]["zh"] = "  "
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert check_error(guide_copy) == "guide_src/2022/programmes/talent.yaml: title.zh: empty text"


def test_a_wrong_type_names_its_path(guide_copy):
    edit(guide_copy / "2022" / "programmes" / "key_rd.yaml", "order: 2", "order: second")
    assert check_error(guide_copy) == "guide_src/2022/programmes/key_rd.yaml: order: expected a whole number, got str"


def test_an_unknown_key_names_its_path(guide_copy):
    edit(guide_copy / "2022" / "glossary.yaml", "terms:", "colour: blue\nterms:")
    message = check_error(guide_copy)
    assert message.startswith("guide_src/2022/glossary.yaml: colour: unknown key")


def test_a_duplicate_anchor_id_is_refused(guide_copy):
    edit(guide_copy / "2022" / "notice.yaml", "id: basic-2", "id: basic-1")
    message = check_error(guide_copy)
    assert message.startswith("guide_src/2022/notice.yaml: sections[0].blocks[")
    assert "duplicate id 'basic-1'" in message


def test_an_unknown_group_is_refused(guide_copy):
    edit(guide_copy / "2022" / "programmes" / "talent.yaml", "group: environment", "group: nowhere")
    assert "talent.yaml: group: unknown group 'nowhere'" in check_error(guide_copy)


def test_a_programme_file_must_be_named_after_its_id(guide_copy):
    programmes = guide_copy / "2022" / "programmes"
    (programmes / "major.yaml").rename(programmes / "grand.yaml")
    assert "grand.yaml: id: 'major' must match the file name 'grand'" in check_error(guide_copy)


def test_the_command_line_prints_one_line_and_no_traceback(guide_copy):
    edit(guide_copy / "2022" / "notice.yaml", "id: basic-3", "id: Basic 3")
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--check", "--guide", str(guide_copy)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines == ["error: guide_src/2022/notice.yaml: sections[0].blocks[3].id: invalid id 'Basic 3' (use a-z, 0-9, '-' and '_')"]


def _tree_digest(folder):
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        h.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def test_a_failed_build_leaves_the_previous_site_byte_for_byte(guide_copy, tmp_path):
    site = tmp_path / "site"
    (site / "nested").mkdir(parents=True)
    (site / "index.html").write_text("previous build", encoding="utf-8")
    (site / "nested" / "page.html").write_bytes(b"\x00previous\xff")
    before = _tree_digest(site)
    edit(guide_copy / "2022" / "notice.yaml", "id: notice", "id: [notice")
    with pytest.raises(BuildError):
        build.build_site(guide_copy, ROOT / "rules", site)
    assert _tree_digest(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["guide_src", "site"], "temporary folders were left behind"


def test_a_failure_inside_mkdocs_also_leaves_the_previous_site_and_the_cli_s_rules(guide_copy, tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous build", encoding="utf-8")
    before = _tree_digest(site)
    rules_file = tmp_path / "rules.json"
    rules_file.write_text("previous rules", encoding="utf-8")
    monkeypatch.setattr(build, "COMPILED_RULES", rules_file)
    monkeypatch.setattr(build.write_compiled_rules, "__defaults__", (rules_file,))

    def failing_mkdocs(config):
        (config["site_dir"] and __import__("pathlib").Path(config["site_dir"]).mkdir(parents=True, exist_ok=True))
        raise BuildError("mkdocs.yml", "", "mkdocs build failed: simulated")

    monkeypatch.setattr(build, "run_mkdocs", failing_mkdocs)
    with pytest.raises(BuildError, match="simulated"):
        build.build_site(guide_copy, ROOT / "rules", site)
    assert _tree_digest(site) == before
    assert rules_file.read_text(encoding="utf-8") == "previous rules", "the CLI kept the rules of the last good build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["guide_src", "rules.json", "site"]
