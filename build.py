#!/usr/bin/env python3
"""Build the site: load and validate -> compile rules -> render pages -> checker assets -> mkdocs build
--strict -> CSP meta tags, the service worker and the host's header rules -> swap in.

Everything is gathered and validated before anything is written, and the new site is built in a
temporary folder that replaces site/ only on success, so a failed build leaves site/ untouched.
Only regular files inside the repository are read, each of bounded size (sitegen/inputs.py).

    python build.py                 build site/ from the newest edition in guide_src/
    python build.py --check         validate guide_src/ and rules/ only
    EDITION=2022 SITE_URL=https://example.org/guide/ python build.py
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

from sitegen import batch_assets, checker_assets, csp, headers, inputs, offline, precompress, render, search  # noqa: E402
from sitegen.errors import BuildError  # noqa: E402
from sitegen.strings import CHECKER  # noqa: E402
from sitegen.guide import load_edition  # noqa: E402
from sitegen.rules import compile_rules, engine_data  # noqa: E402

ASSETS = ROOT / "sitegen" / "assets"
OFFLINE_SCRIPT = "offline.js"
COMPILED_RULES = ROOT / "checker_py" / "_data" / "rules.json"
# Written by mkdocs from site_url: without a real SITE_URL they would name mkdocs.yml's local stand-in.
SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")
# The repository's folders the build publishes from besides guide_src/ and rules/ (whose loaders read
# them file by file): the pages' templates, the assets, the engine's and the spreadsheet layer's wheels.
SOURCE_FOLDERS = ("sitegen/assets", "sitegen/templates", "overrides", "checker_py", "checker_sheets")
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


def gather(guide_root, rules_root, edition=None):
    """Load and validate every input; return (guide, compiled rules, pages). Writes nothing."""
    check_sources()
    guide = load_edition(guide_root, edition)
    compiled = None  # an edition whose rules are not written yet still gets its guide pages
    if (Path(rules_root) / guide["edition"]).is_dir():
        compiled = compile_rules(Path(rules_root) / guide["edition"], guide["anchors"], guide["glossary"])
    pages = render.render_pages(guide, compiled)
    return guide, compiled, pages


def write_docs(docs_dir, guide, pages):
    """Write the generated Markdown and the static assets into a fresh docs folder."""
    for rel, text in pages.items():
        path = docs_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for path in inputs.regular_files(ASSETS, ROOT):
        target = docs_dir / "assets" / path.relative_to(ASSETS)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(inputs.read_bytes(path, ROOT))
    source = docs_dir / "assets" / "source" / f"guide-{guide['edition']}.txt"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(guide["source_bytes"])


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


def template_extras(guide, checker=None, batch=None):
    """What the templates read from `config.extra`: asset URLs, the checker's words, the call notice."""
    return {
        "checker": checker.urls if checker else {},
        "batch": batch.urls if batch else {},
        "strings": CHECKER,  # the checker template's own words (noscript, unavailable)
        # Where the checker page sends a reader whose browser cannot run it (JavaScript off).
        "checklists": [{"title": prog["title"], "url": render.checklist_path(prog["id"])} for prog in guide["programmes"]],
        "call_notice": guide["meta"]["call_notice"],
        "canonical": public_url() is not None,
        "offline_script": offline_script_url(),
    }


def mkdocs_config(guide, compiled, docs_dir, site_dir, extras):
    """Load mkdocs.yml with the generated nav, per language, the temporary folders and the templates' extras."""
    from mkdocs.config import load_config
    from mkdocs.utils.yaml import yaml_load

    with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:
        raw = yaml_load(f)
    plugins = raw["plugins"]
    for plugin in plugins:
        if isinstance(plugin, dict) and "i18n" in plugin:
            for language in plugin["i18n"]["languages"]:
                language["nav"] = render.nav(guide, compiled, language["locale"])
    config = load_config(
        config_file=str(ROOT / "mkdocs.yml"),
        docs_dir=str(docs_dir),
        site_dir=str(site_dir),
        plugins=plugins,
        nav=render.nav(guide, compiled, "zh"),
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
    try:
        build(config)
    except exceptions.MkDocsException as exc:
        detail = "; ".join(handler.problems) or str(exc)
        raise BuildError("mkdocs.yml", "", f"mkdocs build failed: {detail}") from None
    finally:
        logger.removeHandler(handler)


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


def build_site(guide_root, rules_root, site_dir, edition=None):
    """The whole build; raises BuildError and leaves site_dir as it was on any failure."""
    site_dir = Path(site_dir).resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(site_dir.parent):
        remove_stale(site_dir)
        return _build_locked(guide_root, rules_root, site_dir, edition)


def _build_locked(guide_root, rules_root, site_dir, edition):
    """build_site's work, with the lock held and no stale folder beside site_dir."""
    guide, compiled, pages = gather(guide_root, rules_root, edition)
    work = Path(tempfile.mkdtemp(prefix=TEMPORARY, dir=site_dir.parent))
    try:
        docs_dir, new_site = work / "docs", work / "site"
        write_docs(docs_dir, guide, pages)
        # The checker's runtime, wheel (carrying the new rules) and data are planned before mkdocs
        # runs, so the template knows their URLs, and written into new_site after it.
        checker = checker_assets.plan(guide, compiled, ROOT, engine_json(compiled) if compiled else None)
        # The batch page's templates link clauses on the public site, so they need its address.
        batch = batch_assets.plan(guide, compiled, ROOT, public_url())
        config = mkdocs_config(guide, compiled, docs_dir, new_site, template_extras(guide, checker, batch))
        run_mkdocs(config)
        if public_url() is None:
            drop_sitemaps(new_site)
            print(NO_SITE_URL, file=sys.stderr)
        search.write_index(new_site, guide, compiled)
        checker_assets.write(checker, new_site)
        batch_assets.write(batch, new_site)
        # After every page is written: the CSP hashes each page's final inline scripts, and the
        # service worker's manifest hashes every final file (the pages with their CSP included).
        csp.write_csp(new_site)
        # The files whose name stays the same: their URL's `?v=<hash>` versions them (hashed names version themselves).
        versioned_urls = [checker.urls[key] for key in checker_assets.STATIC] if checker else []
        versioned_urls += [batch.urls[key] for key in batch_assets.STATIC] if batch else []
        offline.write_service_worker(new_site, versioned_urls + [config["extra"]["offline_script"]])
        # After sw.js, which it names (hosts that read `_headers`; the README's nginx lines say the same).
        headers.write_headers_file(new_site)
        # Last: the copies must match the final files (sw.js included), and are never precached.
        precompress.write_compressed(new_site, ROOT / "build" / "compressed")
        swap_in(new_site, site_dir)
        # The CLI's copy of the rules changes only with a site that succeeded, never before.
        if compiled is not None:
            write_compiled_rules(compiled)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return guide, compiled


def main(argv=None):
    """Command line entry point; exit 1 with one clear line on bad input."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="validate inputs only; write nothing")
    parser.add_argument("--edition", default=os.environ.get("EDITION"), help="edition folder (default: newest)")
    parser.add_argument("--guide", default=str(ROOT / "guide_src"), help="guide_src folder")
    parser.add_argument("--rules", default=str(ROOT / "rules"), help="rules folder")
    parser.add_argument("--site-dir", default=str(ROOT / "site"), help="output folder")
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        if args.check:
            guide, compiled, _ = gather(args.guide, args.rules, args.edition)
        else:
            guide, compiled = build_site(args.guide, args.rules, args.site_dir, args.edition)
    except BuildError as exc:
        print(f"error: {exc.format()}", file=sys.stderr)
        return 1
    what = "checked" if args.check else f"built {args.site_dir}"
    rules = "with rules" if compiled else "without rules"
    print(f"{what}: edition {guide['edition']}, {len(guide['programmes'])} programmes, {rules}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
