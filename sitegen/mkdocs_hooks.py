"""MkDocs hooks (mkdocs.yml `hooks:`), run by any mkdocs build of the generated pages.

Material's search plugin would cut every page into sections and segment their Chinese with jieba,
about a third of mkdocs' own time here; build.py then throws those entries away and writes its own
(sitegen/search.py). So every page is marked `search: exclude`: the plugin still writes its file with
the config the search box needs, and indexes nothing.
"""

from pathlib import Path

import jinja2
from mkdocs.plugins import event_priority

# The theme's templates compiled once, not in every mkdocs build (each language and each edition is a
# build with its own Jinja environment, and compiling Material's templates was half of one). Jinja
# checks each entry against its template's source and its own version, so a changed template is
# compiled again.
COMPILED_TEMPLATES = Path(__file__).resolve().parent.parent / "build" / "jinja"


def on_page_markdown(markdown, page, **kwargs):
    """Mark the page as one the search plugin does not index (the site's own index has it)."""
    page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
    return markdown


@event_priority(-200)  # after mkdocs-static-i18n's own on_nav (-100), which looks for it at the root only
def on_nav(nav, config, files):
    """An edition built under its year (`2022/`) has its home page there: the header's logo leads to it."""
    if nav.homepage is None and nav.pages:
        nav.homepage = nav.pages[0]
    return nav


def on_files(files, config):
    """An edition built under its year needs only its pages: the theme's files are the site's own already."""
    if (config.extra.get("edition") or {}).get("prefix"):
        for file in [f for f in files if not f.is_documentation_page() and f.abs_src_path
                     and not f.abs_src_path.startswith(str(config.docs_dir))]:
            files.remove(file)
    return files


def on_env(env, config, files):
    """Give the build's Jinja environment the templates compiled by an earlier build (build/jinja/)."""
    COMPILED_TEMPLATES.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(COMPILED_TEMPLATES))
    return env
