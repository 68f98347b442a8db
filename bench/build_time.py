"""Build time: build.py against a bare `mkdocs build` of the same generated pages, and a site of two
editions against one.

After the setup (venv, node_modules), both run as fresh processes, alternately, several times:

- build.py --site-dir TMP: load and validate the guide, compile the rules, render the pages, run
  mkdocs --strict, add the checker's runtime, wheel and data, the CSP and the service worker;
- bare: the same generated docs folder (written once beforehand) and the same mkdocs.yml, nav and
  template settings, through mkdocs' own load_config + build, and nothing else.

Two editions: the repository's sources (one edition, 2022) against the same with the made-up 2023
edition of the tests (tests/editions/2023.yaml) published beside it, each build.py run as a fresh process,
alternately, after one untimed run of each (so that both find the byte-compiled wheels and compressed
copies in build/): what the editions share (the runtime, the modules, the spreadsheet wheels, the
byte-compiled standard library, jieba's dictionary) is not done twice.

The plain one-page Material site's build is printed for context. Medians of wall-clock seconds.
Merges "build" into bench/results.json. site/ is not touched.

    .venv/bin/python bench/build_time.py [--runs N] [--quick]
"""

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def prepare(folder):
    """The generated docs folder and what the bare build needs to render the same pages."""
    sys.path.insert(0, str(c.ROOT))
    import build
    from sitegen import batch_assets, checker_assets, render
    guide, compiled, pages = build.gather(c.ROOT / "guide_src", c.ROOT / "rules")
    docs = folder / "docs"
    build.write_docs(docs, guide, pages)
    checker = checker_assets.plan(guide, compiled, c.ROOT, build.engine_json(compiled))
    batch = batch_assets.plan(guide, compiled, c.ROOT, build.public_url())
    settings = {
        "docs_dir": str(docs),
        "nav": render.nav(guide, compiled, "zh"),
        "navs": {lang: render.nav(guide, compiled, lang) for lang in ("zh", "en")},
        "extra": build.template_extras(guide, checker, batch),
    }
    (folder / "bare.json").write_text(json.dumps(settings, ensure_ascii=False), encoding="utf-8")
    return folder / "bare.json"


def bare_build(settings_path, site_dir):
    """Run inside the timed child process: mkdocs load_config + build, nothing else."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.utils.yaml import yaml_load
    settings = json.loads(Path(settings_path).read_text(encoding="utf-8"))
    with open(c.ROOT / "mkdocs.yml", encoding="utf-8") as handle:
        raw = yaml_load(handle)
    plugins = raw["plugins"]
    for plugin in plugins:
        if isinstance(plugin, dict) and "i18n" in plugin:
            for language in plugin["i18n"]["languages"]:
                language["nav"] = settings["navs"][language["locale"]]
    config = load_config(config_file=str(c.ROOT / "mkdocs.yml"), docs_dir=settings["docs_dir"], site_dir=str(site_dir),
                         plugins=plugins, nav=settings["nav"], strict=True)
    config["extra"].update(settings["extra"])
    build(config)


STAGES = ("gather_site", "write_docs", "checker_assets.plan", "batch_assets.plan", "checker_assets.byte_compile", "run_mkdocs",
          "search.write_index", "checker_assets.write", "csp.write_csp", "offline.write_service_worker",
          "precompress.write_compressed", "swap_in")


def stages_once(site_dir):
    """Run inside a child process: build.py's main with each stage timed; prints {stage: seconds}."""
    sys.path.insert(0, str(c.ROOT))
    import build
    spent = {}
    for name in STAGES:
        owner, _, attr = name.rpartition(".")
        target = getattr(build, owner) if owner else build
        original = getattr(target, attr)

        def timed_stage(*a, _original=original, _name=name, **k):
            start = time.perf_counter()
            try:
                return _original(*a, **k)
            finally:
                spent[_name] = spent.get(_name, 0) + time.perf_counter() - start
        setattr(target, attr, timed_stage)
    start = time.perf_counter()
    build.main(["--site-dir", str(site_dir)])
    spent["total in process"] = time.perf_counter() - start
    return spent


def two_editions(tmp, runs, warm=True):
    """Seconds of build.py for the repository's one edition and for two editions, alternately: ([one], [two]).
    `warm`: one untimed run of each first."""
    from edition_fixture import make_sources

    tree = tmp / "editions"
    tree.mkdir()
    make_sources(tree)
    builds = {"one": [sys.executable, "build.py"],
              "two": [sys.executable, "build.py", "--guide", str(tree / "guide_src"), "--rules", str(tree / "rules")]}
    for name, cmd in builds.items() if warm else ():  # untimed: both find their byte-compiled wheels and compressed copies
        timed(cmd + ["--site-dir", str(tmp / f"{name}-warm")])
    spent = {"one": [], "two": []}
    for run in range(runs):
        for name in (builds if run % 2 == 0 else list(builds)[::-1]):
            spent[name].append(timed(builds[name] + ["--site-dir", str(tmp / f"{name}{run}")]))
        print(f"  run {run + 1}/{runs}: one edition {spent['one'][-1]:.2f} s, two editions {spent['two'][-1]:.2f} s", file=sys.stderr)
    return spent["one"], spent["two"]


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, cwd=c.ROOT, check=True, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one run each, to prove the script works")
    parser.add_argument("--bare-once", nargs=2, metavar=("SETTINGS", "SITE_DIR"), help=argparse.SUPPRESS)
    parser.add_argument("--stages-once", metavar="SITE_DIR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bare_once:
        bare_build(*args.bare_once)
        return 0
    if args.stages_once:
        with contextlib.redirect_stdout(sys.stderr):  # build's own output must not mix with the JSON
            spent = stages_once(args.stages_once)
        print(json.dumps(spent))
        return 0
    runs = 1 if args.quick else args.runs
    full, bare = [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        settings = prepare(tmp)
        plain = None if args.quick else c.build_plain_site(tmp / "plain")
        for run in range(runs):
            steps = [("full", [sys.executable, "build.py", "--site-dir", str(tmp / f"full{run}")]),
                     ("bare", [sys.executable, str(Path(__file__).resolve()), "--bare-once", str(settings),
                               str(tmp / f"bare{run}")])]
            for name, cmd in (steps if run % 2 == 0 else steps[::-1]):
                (full if name == "full" else bare).append(timed(cmd))
            print(f"  run {run + 1}/{runs}: build.py {full[-1]:.2f} s, bare mkdocs {bare[-1]:.2f} s", file=sys.stderr)
        one, two = two_editions(tmp, runs, warm=not args.quick)
        stages = {}
        if not args.quick:
            out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--stages-once", str(tmp / "stages")],
                                 cwd=c.ROOT, check=True, env=ENV, capture_output=True, text=True).stdout
            stages = json.loads(out.strip().splitlines()[-1])
    rows = [
        c.row("build.py (whole build)", c.median(full), c.median(bare), 1.25, "s", "vs bare mkdocs build of the same pages"),
    ]
    rows.append(c.row("build.py, two editions (2022 and the tests' 2023)", c.median(two), c.median(one), 1.6, "s",
                      "vs build.py of the one edition"))
    if plain is not None:
        rows.append(c.row("plain one-page Material site", plain, None, None, "s", "for context"))
    stage_rows = [c.row(f"  build.py stage: {name}", spent, None, None, "s", "one extra run, in process")
                  for name, spent in stages.items()]
    rows += stage_rows
    c.record("build", {"runs": runs, "stages_s": {k: round(v, 3) for k, v in stages.items()}, "build_py_s": [round(t, 2) for t in full], "bare_mkdocs_s": [round(t, 2) for t in bare],
                       "one_edition_s": [round(t, 2) for t in one], "two_editions_s": [round(t, 2) for t in two],
                       "plain_site_s": plain and round(plain, 2), "rows": rows})
    c.print_table(f"Build time ({runs} runs each, alternating, medians)", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
