"""Hostile files in the build's inputs: links, special files, alias bombs, oversized files and texts,
and the folders a killed build leaves. Each is refused in one line naming it, before anything is
read from it or published, and the previous site stays as it was.

The hostile files are made here, in temporary copies of the sources, and are small on disk: a file
over the size limit is sparse.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

import build
from sitegen import inputs, schema, yamlio
from sitegen.errors import BuildError
from test_broken_inputs import previous_site
from test_build_errors import _tree_digest

ROOT = build.ROOT
ONLY_REGULAR = "the build reads only regular files inside the repository"
# What build.py reads from the repository, for a copy it can run from.
REPOSITORY = ("build.py", "mkdocs.yml", "sitegen", "webapp", "overrides", "checker_py", "checker_sheets", "guide_src", "rules")


@pytest.fixture
def repo(tmp_path):
    """A copy of the repository's sources that build.py runs from (its own ROOT)."""
    dest = tmp_path / "repo"
    dest.mkdir()
    for name in REPOSITORY:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "_data"))
        else:
            shutil.copyfile(ROOT / name, dest / name)
    return dest


@pytest.fixture
def outside(tmp_path):
    """A folder outside the repository, with a file a link could publish."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text("not for publication\n", encoding="utf-8")
    return folder


def run_build(repo, *args, timeout=120):
    """Run the repository copy's build.py into out/site (a previous build there); (result, site, its digest)."""
    site = previous_site(repo.parent / "out" / "site")
    before = _tree_digest(site)
    result = subprocess.run([sys.executable, str(repo / "build.py"), "--site-dir", str(site), *args],
                            capture_output=True, text=True, timeout=timeout, cwd=repo.parent)
    return result, site, before


def assert_refused(repo, expected, *args):
    """The build exits 1 with the single line `error: <expected>`, keeps the previous site and leaves no folder."""
    result, site, before = run_build(repo, *args)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [f"error: {expected}"]
    assert _tree_digest(site) == before
    assert [p.name for p in site.parent.iterdir()] == ["site"], "temporary build folders were left behind"
    return result


def link(path, target):
    """Replace `path` (a file or folder) by a symbolic link to `target`."""
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
    path.symlink_to(target)


def test_a_source_text_linked_to_a_file_outside_the_repository_is_refused_by_name(repo, outside):
    link(repo / "guide_src" / "2022" / "source.txt", outside / "secret.txt")
    assert_refused(repo, f"guide_src/2022/source.txt: a symbolic link (to {outside / 'secret.txt'}): {ONLY_REGULAR}")


def test_a_programme_file_linked_from_outside_is_not_read_even_when_valid(repo, outside):
    programme = repo / "guide_src" / "2022" / "programmes" / "major.yaml"
    shutil.copyfile(programme, outside / "major.yaml")
    link(programme, outside / "major.yaml")
    assert_refused(repo, f"guide_src/2022/programmes/major.yaml: a symbolic link (to {outside / 'major.yaml'}): {ONLY_REGULAR}")


def test_a_linked_rules_folder_is_refused_by_its_own_name(repo, outside):
    shutil.copytree(repo / "rules" / "2022", outside / "rules")
    link(repo / "rules" / "2022", outside / "rules")
    assert_refused(repo, f"rules/2022: a symbolic link (to {outside / 'rules'}): {ONLY_REGULAR}")


@pytest.mark.parametrize("where", ["webapp/leak.txt", "webapp/checker/more", "overrides/partials/leak.html",
                                   "checker_py/leak.txt", "guide_src/2022/notes.txt", "rules/2022/more"])
def test_a_link_anywhere_among_the_sources_is_refused_so_it_is_neither_published_nor_precached(repo, outside, where):
    target = outside if where.endswith("more") else outside / "secret.txt"
    (repo / where).symlink_to(target)
    assert_refused(repo, f"{where}: a symbolic link (to {target}): {ONLY_REGULAR}")


def test_a_file_linked_to_dev_zero_is_refused_before_a_byte_is_read(repo):
    link(repo / "guide_src" / "2022" / "source.txt", Path("/dev/zero"))
    assert_refused(repo, f"guide_src/2022/source.txt: a symbolic link (to /dev/zero): {ONLY_REGULAR}")


def test_a_pipe_in_place_of_a_programme_file_is_refused_without_waiting_for_a_writer(repo):
    os.mkfifo(repo / "guide_src" / "2022" / "programmes" / "zz.yaml")
    assert_refused(repo, f"guide_src/2022/programmes/zz.yaml: a pipe, not a regular file: {ONLY_REGULAR}")


def test_a_file_over_the_size_limit_is_refused_by_name_before_it_is_read(repo):
    programme = repo / "guide_src" / "2022" / "programmes" / "major.yaml"
    with open(programme, "r+b") as file:
        file.truncate(25_000_000)  # sparse: 25 MB long, nothing more on disk
    assert programme.stat().st_blocks * 512 < 1_000_000
    assert_refused(repo, "guide_src/2022/programmes/major.yaml: 25,000,000 bytes, over the build's limit of "
                         f"{inputs.MAX_FILE_BYTES:,} bytes for an input file")


def test_a_text_over_the_limit_is_refused_naming_its_field(repo):
    notice = repo / "guide_src" / "2022" / "notice.yaml"
    doc = yaml.safe_load(notice.read_text(encoding="utf-8"))
    doc["sections"][0]["blocks"][1]["en"] = "word " * 5000
    notice.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert_refused(repo, "guide_src/2022/notice.yaml: sections[0].blocks[1].en: 25,000 characters, over the limit "
                         f"of {schema.MAX_TEXT_CHARS:,} for one text")


def alias_bomb(levels):
    """Nested sections in a few kilobytes that aliases expand eightfold per level."""
    lines = ["  - &level0", "    id: bomb-0", "    heading: {zh: 炸, en: bomb}", "    blocks: [{id: bomb-text, zh: 字, en: text}]"]
    for level in range(1, levels + 1):
        lines += [f"  - &level{level}", f"    id: bomb-{level}", "    heading: {zh: 炸, en: bomb}",
                  "    sections: [" + ", ".join([f"*level{level - 1}"] * 8) + "]"]
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_on_nested_sections_is_refused_as_soon_as_it_is_parsed(repo):
    notice = repo / "guide_src" / "2022" / "notice.yaml"
    bomb = alias_bomb(12)  # 8**12 copies of the innermost section once expanded
    assert len(bomb.encode()) < 4000
    notice.write_text(notice.read_text(encoding="utf-8") + bomb, encoding="utf-8")
    result, _, _ = run_build(repo, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("error: guide_src/2022/notice.yaml: line ")
    assert line.endswith(f"YAML error: more than {inputs.MAX_FILE_BYTES:,} characters with its aliases written out "
                         "(the limit of an input file)")


def test_aliases_that_expand_within_the_limit_are_still_read_as_before(tmp_path):
    path = tmp_path / "grades.yaml"
    path.write_text("grades: &grades [senior, middle]\nleader: *grades\nunit: *grades\n", encoding="utf-8")
    assert yamlio.load_yaml(path) == {"grades": ["senior", "middle"], "leader": ["senior", "middle"],
                                      "unit": ["senior", "middle"]}


def test_an_alias_inside_the_node_it_names_is_refused(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("sections: &all\n  - id: a\n    sections: *all\n", encoding="utf-8")
    with pytest.raises(BuildError) as info:
        yamlio.load_yaml(path)
    assert info.value.format() == ("loop.yaml: line 1, column 11: YAML error: an alias inside the node it names "
                                   "(the document would contain itself)")


def nested_sections(depth):
    """A notice section holding `depth` sections, each inside the one before."""
    lines = []
    for level in range(depth):
        pad = "  " * (2 * level)
        lines += [f"{pad}  - id: deep-{level}", f"{pad}    heading: {{zh: 深, en: deep}}"]
        lines += [f"{pad}    sections:"] if level < depth - 1 else [f"{pad}    blocks: [{{id: deep-text, zh: 字, en: text}}]"]
    return "\n".join(lines) + "\n"


def test_a_document_nested_deeper_than_the_limit_is_refused_by_line(tmp_path):
    guide = tmp_path / "guide_src"
    shutil.copytree(ROOT / "guide_src", guide)
    notice = guide / "2022" / "notice.yaml"
    notice.write_text(notice.read_text(encoding="utf-8") + nested_sections(30), encoding="utf-8")
    with pytest.raises(BuildError) as info:
        build.gather(guide, ROOT / "rules")
    message = info.value.format()
    assert message.startswith("guide_src/2022/notice.yaml: line ")
    assert message.endswith(f"YAML error: nested more than {yamlio.MAX_DEPTH} levels deep")


def test_sections_nested_as_deep_as_the_limit_allows_are_built_into_pages(tmp_path):
    guide = tmp_path / "guide_src"
    shutil.copytree(ROOT / "guide_src", guide)
    notice = guide / "2022" / "notice.yaml"
    notice.write_text(notice.read_text(encoding="utf-8") + nested_sections(23), encoding="utf-8")
    _, _, pages = build.gather(guide, ROOT / "rules")
    assert "deep-22" in pages["zh/notice.md"] and "deep-22" in pages["en/notice.md"]


def test_a_killed_build_s_folders_are_removed_by_the_next_build(repo, tmp_path):
    out = tmp_path / "out"
    site = previous_site(out / "site")
    before = _tree_digest(site)
    # With the runtime at hand, the build works on for seconds after making its folder (the kill comes first).
    (repo / "node_modules").symlink_to(ROOT / "node_modules")
    killed = subprocess.Popen([sys.executable, str(repo / "build.py"), "--site-dir", str(site)], cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not list(out.glob(".build-*")) and killed.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        os.killpg(killed.pid, signal.SIGKILL)  # the build and anything it started, as a closed terminal would
        killed.wait()
    left = list(out.glob(".build-*"))
    assert left, "the build was not caught while it worked"
    (out / "site.old-99999" / "assets").mkdir(parents=True)  # as a build killed inside swap_in leaves it
    (repo / "guide_src" / "2022" / "notice.yaml").write_text("id: [notice\n", encoding="utf-8")

    result = subprocess.run([sys.executable, str(repo / "build.py"), "--site-dir", str(site)], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["site"]
    assert _tree_digest(site) == before


def test_a_build_waits_for_the_one_running_beside_it_and_leaves_its_folder_alone(repo, tmp_path):
    out = tmp_path / "out"
    site = previous_site(out / "site")
    working = out / ".build-running"
    working.mkdir()
    (repo / "guide_src" / "2022" / "notice.yaml").write_text("id: [notice\n", encoding="utf-8")
    with build.build_lock(out):  # a build is running here
        waiting = subprocess.Popen([sys.executable, str(repo / "build.py"), "--site-dir", str(site)], cwd=tmp_path,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            waiting.wait(timeout=3)
        except subprocess.TimeoutExpired:
            pass
        assert waiting.poll() is None, "the second build did not wait for the lock"
        assert working.is_dir()
    _, stderr = waiting.communicate(timeout=120)
    assert waiting.returncode == 1 and stderr.startswith("error: guide_src/2022/notice.yaml: line ")
    assert not working.exists(), "once alone, the build removes what no running build holds"

