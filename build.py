#!/usr/bin/env python3
"""Build the site: load and validate -> compile rules -> render pages -> checker assets -> mkdocs build
--strict -> CSP meta tags, the service worker and the host's header rules -> swap in.

Everything is gathered and validated before anything is written, and the new site is built in a
temporary folder that replaces site/ only on success, so a failed build leaves site/ untouched.
Only regular files inside the repository are read, each of bounded size (sitegen/inputs.py).

    python build.py                 build site/: every edition in guide_src/, the newest published at the root
    python build.py --check         validate guide_src/ and rules/ only
    python build.py edition 2023    make edition 2023, a draft, from the newest (--from 2022 to choose)
    SITE_URL=https://example.org/guide/ python build.py
"""

import argparse
import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from sitegen import batch_assets, checker_assets, csp, editions, headers, inputs, offline, precompress, render, search  # noqa: E402
from sitegen.errors import BuildError  # noqa: E402
from checker_py.strings import CHECKER, UI  # noqa: E402
from sitegen.guide import edition_years, load_edition  # noqa: E402
from sitegen.rules import compile_rules, engine_data  # noqa: E402

ASSETS = ROOT / "webapp"
OFFLINE_SCRIPT = "offline.js"
COMPILED_RULES = ROOT / "checker_py" / "_data" / "rules.json"
# mkdocs-static-i18n's logger (its warnings count in mkdocs' strict mode).
I18N_LOGGER = "mkdocs.plugins.mkdocs_static_i18n.plugin"
# Written by mkdocs from site_url: without a real SITE_URL they would name mkdocs.yml's local stand-in.
SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")
# The repository's folders the build publishes from besides guide_src/ and rules/ (whose loaders read
# them file by file): the pages' templates, the assets, the engine's and the spreadsheet layer's wheels.
SOURCE_FOLDERS = ("webapp", "sitegen/templates", "overrides", "checker_py", "checker_sheets")
# What a killed build leaves beside site/: its temporary folder (and, between the two renames of
# swap_in, the replaced site: `<site>.old-<pid>`).
TEMPORARY = ".build-"
NO_SITE_URL = ("warning: SITE_URL is not set, so this build has no canonical links and no sitemap "
               "(for a deploy: SITE_URL=https://your.host/sub/path/ make site)")


def check_sources(root=ROOT):
    """Refuse a link, a special file or an oversized file in the folders the build publishes from."""
    for folder in SOURCE_FOLDERS:
        inputs.regular_files(Path(root) / folder, root)
    inputs.read_bytes(Path(root) / "mkdocs.yml", root)


def load(guide_root, rules_root, year):
    """One edition's guide and compiled rules (None while its rules folder does not exist yet)."""
    guide = load_edition(guide_root, year)
    compiled = None  # an edition whose rules are not written yet still gets its guide pages
    if (Path(rules_root) / guide["edition"]).is_dir():
        source = (guide["source_bytes"].decode("utf-8"), inputs.shown(guide["source"], Path(guide_root).absolute().parent))
        compiled = compile_rules(Path(rules_root) / guide["edition"], guide["anchors"], guide["glossary"], source)
    return guide, compiled


def gather_site(guide_root, rules_root):
    """Load, validate and compare every edition and render its pages; (editions.Site, warnings). Writes nothing.

    A published edition whose changed Chinese kept its old English is refused; in a draft, that is a
    warning line.
    """
    check_sources()
    site = editions.Site([load(guide_root, rules_root, year) for year in edition_years(guide_root)])
    warnings = site.untranslated(Path(guide_root).absolute().parent)
    for edition in site.editions:
        before = site.before(edition)
        edition.pages = render.render_pages(edition.guide, edition.compiled, {
            "prefix": edition.prefix, "changes": edition.changes, "before_prefix": before.prefix if before else ""})
    return site, warnings


def gather(guide_root, rules_root, edition=None):
    """(guide, compiled rules, pages) of one edition (default: the current one), as the site serves it."""
    site, _ = gather_site(guide_root, rules_root)
    chosen = site.current if edition is None else next((e for e in site.editions if e.year == edition), None)
    if chosen is None:
        raise BuildError(Path(guide_root) / str(edition), "", "edition folder not found")
    return chosen.guide, chosen.compiled, chosen.pages


def write_docs(docs_dir, guide, pages, static=True, sources=()):
    """Write the generated Markdown into a fresh docs folder and, with `static`, the static assets and
    the official text of `guide` and of the other guides in `sources`."""
    for rel, text in pages.items():
        path = docs_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if not static:
        return
    for path in inputs.regular_files(ASSETS, ROOT):
        if path == offline.TEMPLATE:
            continue  # the service worker is written at the site's root once the site is built
        target = docs_dir / "assets" / path.relative_to(ASSETS)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(inputs.read_bytes(path, ROOT))
    for each in (guide, *sources):
        source = docs_dir / "assets" / "source" / f"guide-{each['edition']}.txt"
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_bytes(each["source_bytes"])


def engine_json(compiled):
    """The engine's part of the compiled rules as the text of checker_py/_data/rules.json."""
    return json.dumps(engine_data(compiled), ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def write_compiled_rules(compiled, path=COMPILED_RULES):
    """Write the engine's rules into the package, atomically, only when they changed."""
    text = engine_json(compiled)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def template_extras(guide, checker=None, batch=None, edition_links=None):
    """What the templates read from `config.extra`: asset URLs, the page's words, the call notice, and
    the site's editions (editions.Site.template_extras)."""
    return {
        "checker": checker.urls if checker else {},
        "batch": batch.urls if batch else {},
        "strings": {**CHECKER, **UI},  # the templates' own words (the checker's noscript, the banners)
        # Where the checker page sends a reader whose browser cannot run it (JavaScript off).
        "checklists": [{"title": prog["title"], "url": render.checklist_path(prog["id"])} for prog in guide["programmes"]],
        "call_notice": guide["meta"]["call_notice"],
        "canonical": public_url() is not None,
        "offline_script": offline_script_url(),
        **(edition_links or {}),
    }


def mkdocs_config(guide, compiled, docs_dir, site_dir, extras, prefix="", changes=False):
    """Load mkdocs.yml with the generated nav, per language, the temporary folders and the templates' extras;
    `prefix` is the edition's folder and `changes` whether it has a "what changed" page."""
    from mkdocs.config import load_config
    from mkdocs.utils.yaml import yaml_load

    with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:
        raw = yaml_load(f)
    plugins = raw["plugins"]
    for plugin in plugins:
        if isinstance(plugin, dict) and "i18n" in plugin:
            for language in plugin["i18n"]["languages"]:
                language["nav"] = render.nav(guide, compiled, language["locale"], prefix, changes)
    config = load_config(
        config_file=str(ROOT / "mkdocs.yml"),
        docs_dir=str(docs_dir),
        site_dir=str(site_dir),
        plugins=plugins,
        nav=render.nav(guide, compiled, "zh", prefix, changes),
        strict=True,
    )
    config["extra"].update(extras)
    return config


def public_url():
    """The site's public address from $SITE_URL, or None when it is not set."""
    return os.environ.get("SITE_URL", "").strip() or None


def drop_sitemaps(site_dir):
    """Remove the sitemaps of a build without a public address (their URLs would name a local one)."""
    for name in SITEMAPS:
        (site_dir / name).unlink(missing_ok=True)


def offline_script_url():
    """The service worker's registration script, with its content hash so no cache serves it stale."""
    digest = hashlib.sha256((ASSETS / OFFLINE_SCRIPT).read_bytes()).hexdigest()[:12]
    return f"assets/{OFFLINE_SCRIPT}?v={digest}"


def run_mkdocs(config):
    """Run mkdocs build; strict-mode warnings and errors become a BuildError."""
    from mkdocs import exceptions
    from mkdocs.commands.build import build

    handler = _CollectingHandler()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    # An edition built under its year has its home page there, where mkdocs-static-i18n does not look
    # (the site's hook names it, sitegen/mkdocs_hooks.py).
    i18n = logging.getLogger(I18N_LOGGER)
    if (config["extra"].get("edition") or {}).get("prefix"):
        i18n.addFilter(_no_root_home_page)
    try:
        build(config)
    except exceptions.MkDocsException as exc:
        detail = "; ".join(handler.problems) or str(exc)
        raise BuildError("mkdocs.yml", "", f"mkdocs build failed: {detail}") from None
    finally:
        logger.removeHandler(handler)
        i18n.removeFilter(_no_root_home_page)


def _no_root_home_page(record):
    """False for mkdocs-static-i18n's warning that a language has no home page at the site's root."""
    return "Could not find a homepage" not in record.getMessage()


class _CollectingHandler(logging.Handler):
    """Keeps mkdocs warnings so that a failed strict build says why, in one message."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.problems = []

    def emit(self, record):
        self.problems.append(record.getMessage().strip())


def swap_in(new_site, site_dir):
    """Replace site_dir by new_site with two renames, so a reader never sees a half-written site."""
    old = None
    if site_dir.exists():
        old = site_dir.with_name(f"{site_dir.name}.old-{os.getpid()}")
        os.replace(site_dir, old)
    os.replace(new_site, site_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def build_lock(folder):
    """Hold `folder`'s build lock: one build at a time works beside a site there, so whatever
    temporary folder is found there meanwhile is a killed build's. The system releases the lock of
    a killed process."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def remove_stale(site_dir):
    """Remove what killed builds left beside site_dir: temporary folders and a replaced site."""
    for path in (*site_dir.parent.glob(TEMPORARY + "*"), *site_dir.parent.glob(f"{site_dir.name}.old-*")):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def build_site(guide_root, rules_root, site_dir, cli_rules=COMPILED_RULES):
    """The whole build; raises BuildError and leaves site_dir as it was on any failure. Returns the
    editions.Site built. `cli_rules`: where the current edition's rules for the command line go, or None."""
    site_dir = Path(site_dir).resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(site_dir.parent):
        remove_stale(site_dir)
        return _build_locked(guide_root, rules_root, site_dir, cli_rules)


def _build_locked(guide_root, rules_root, site_dir, cli_rules):
    """build_site's work, with the lock held and no stale folder beside site_dir."""
    site, warnings = gather_site(guide_root, rules_root)
    for line in warnings:
        print(line, file=sys.stderr)
    work = Path(tempfile.mkdtemp(prefix=TEMPORARY, dir=site_dir.parent))
    try:
        new_site = work / "site"
        # Every edition's checker and batch page: planned before mkdocs runs, so the templates know their
        # URLs, and written into new_site after it. What they share (the runtime, the page's modules,
        # the spreadsheet wheels, the byte-compiled standard library) is planned and written once.
        with_rules = [e for e in site.editions if e.compiled is not None]
        shared = checker_assets.plan_shared(ROOT) if with_rules else None
        wheels = batch_assets.plan_wheels(ROOT) if with_rules else None
        checkers, batches = {}, {}
        for edition in site.editions:
            rules_json = engine_json(edition.compiled) if edition.compiled else None
            checkers[edition.year] = checker_assets.plan(edition.guide, edition.compiled, ROOT, rules_json, shared,
                                                         site.changes_since(edition))
            # The batch page's templates link clauses on the public site, so they need its address.
            batches[edition.year] = batch_assets.plan(edition.guide, edition.compiled, ROOT, public_url(), wheels, edition.prefix)
        planned = [plan for plan in checkers.values() if plan is not None]
        compiled_pyc = checker_assets.byte_compile(planned, ROOT)
        for edition in sorted(site.editions, key=lambda e: not e.current):  # the site's root first
            docs_dir = work / f"docs-{edition.year}"
            others = [e.guide for e in site.editions if e is not edition]
            write_docs(docs_dir, edition.guide, edition.pages, static=edition.current, sources=others)
            extras = template_extras(edition.guide, checkers[edition.year], batches[edition.year], site.template_extras(edition))
            out = new_site if edition.current else work / f"site-{edition.year}"
            run_mkdocs(mkdocs_config(edition.guide, edition.compiled, docs_dir, out, extras, edition.prefix,
                                     edition.changes is not None))
            if not edition.current:
                move_edition(out, new_site, edition.prefix)
        if public_url() is None:
            drop_sitemaps(new_site)
            print(NO_SITE_URL, file=sys.stderr)
        search.write_index(new_site, [(e.guide, e.compiled, e.prefix) for e in site.editions])
        for files in ([shared, compiled_pyc, wheels] if planned else []) + list(checkers.values()) + list(batches.values()):
            checker_assets.write(files, new_site)
        # After every page is written: the CSP hashes each page's final inline scripts, and the
        # service worker's manifest hashes every final file (the pages with their CSP included).
        csp.write_csp(new_site)
        # The files whose name stays the same: their URL's `?v=<hash>` versions them (hashed names version themselves).
        # The pages' own scripts and styles, and the engine's worker they share, asked for with ?v=<hash>.
        versioned_urls = [shared.urls[key] for key in (*checker_assets.STATIC, "worker")] if planned else []
        versioned_urls += [wheels.urls[key] for key in batch_assets.STATIC] if wheels else []
        offline.write_service_worker(new_site, versioned_urls + [offline_script_url()])
        # After sw.js, which it names (hosts that read `_headers`; the README's nginx lines say the same).
        headers.write_headers_file(new_site)
        # Last: the copies must match the final files (sw.js included), and are never precached.
        precompress.write_compressed(new_site, ROOT / "build" / "compressed")
        swap_in(new_site, site_dir)
        # The CLI's copy of the rules changes only with a site that succeeded, never before.
        if site.current.compiled is not None and cli_rules is not None:
            write_compiled_rules(site.current.compiled, cli_rules)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return site


def move_edition(built, site_dir, prefix):
    """Move an edition's pages, built under its year (`2022/`, `en/2022/`), into the site; the rest of
    that build (the theme's files, its search and 404 pages) is the site's own already."""
    for language in ("", "en/"):
        target = site_dir / language / prefix
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(built / language / prefix, target)


def describe(site):
    """One line per edition: where it is served, its status and what it holds."""
    lines = []
    for edition in reversed(site.editions):
        where = "/" if edition.current else f"/{edition.prefix}"
        status = edition.guide["meta"]["call"]["status"] + (", current" if edition.current else "")
        rules = "with rules" if edition.compiled else "without rules"
        lines.append(f"  {edition.year} ({status}) at {where}: {len(edition.guide['programmes'])} programmes, {rules}")
    return "\n".join(lines)


def new_edition(argv):
    """`build.py edition NEW [--from OLD]`: make edition NEW, a draft, from OLD (default: the newest)."""
    parser = argparse.ArgumentParser(prog="build.py edition", description=editions.make_edition.__doc__)
    parser.add_argument("new", help="the new edition's year, e.g. 2023")
    parser.add_argument("--from", dest="old", help="the edition to start from (default: the newest)")
    parser.add_argument("--guide", default=str(ROOT / "guide_src"), help="guide_src folder")
    parser.add_argument("--rules", default=str(ROOT / "rules"), help="rules folder")
    args = parser.parse_args(argv)
    try:
        steps = editions.make_edition(args.guide, args.rules, args.new, args.old)
    except BuildError as exc:
        print(f"error: {exc.format()}", file=sys.stderr)
        return 1
    print(steps, end="")
    return 0


def main(argv=None):
    """Command line entry point; exit 1 with one clear line on bad input."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["edition"]:
        return new_edition(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="validate inputs only; write nothing")
    parser.add_argument("--guide", default=str(ROOT / "guide_src"), help="guide_src folder")
    parser.add_argument("--rules", default=str(ROOT / "rules"), help="rules folder")
    parser.add_argument("--site-dir", default=str(ROOT / "site"), help="output folder")
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        if args.check:
            site, warnings = gather_site(args.guide, args.rules)
            for line in warnings:
                print(line, file=sys.stderr)
        else:
            # The command line's rules are the repository's own: a build of other sources leaves them be.
            own = Path(args.guide).resolve() == ROOT / "guide_src" and Path(args.rules).resolve() == ROOT / "rules"
            site = build_site(args.guide, args.rules, args.site_dir, COMPILED_RULES if own else None)
    except BuildError as exc:
        print(f"error: {exc.format()}", file=sys.stderr)
        return 1
    print(("checked" if args.check else f"built {args.site_dir}") + ":\n" + describe(site))
    return 0


if __name__ == "__main__":
    sys.exit(main())
