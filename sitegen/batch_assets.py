"""The batch page's files in the built site: the screening templates and the three wheels the page
loads into the checker's worker (openpyxl, et_xmlfile and checker_sheets).

`plan_wheels()` and `plan()` are pure (bytes and URLs, before mkdocs runs); build.py writes them into
the new site with checker_assets.write, as it writes the checker's files. The wheels, which every
edition's batch page shares, are built deterministically from the installed, pinned packages
(sitegen.wheel), so the site needs no package index at build time and the browser none at run time.
"""

import importlib.metadata
from pathlib import Path

from checker_sheets.template import template_csv, template_path, template_xlsx

from .checker_assets import PlannedFiles, short_hash, versioned_urls
from .guide import clause_labels
from .wheel import build_wheel, dist_name, package_files

# The spreadsheet layer, in the order Pyodide must install them (dependencies first).
WHEELS = (("et_xmlfile", "et_xmlfile"), ("openpyxl", "openpyxl"), ("checker_sheets", None))
STATIC = {"script": "batch.js", "style": "batch.css"}
LANGS = ("zh", "en")


def _wheel(package, distribution, root):
    """(file name, bytes) of one package as a wheel: an installed distribution, or the project's own."""
    if distribution is None:
        package_dir = Path(root) / package
        return build_wheel(package, "0.0.0", package_files(package_dir), summary="Spreadsheet layer of the checker")
    dist = importlib.metadata.distribution(distribution)
    package_dir = Path(dist.locate_file(package))
    files = package_files(package_dir)
    info = f"{dist_name(dist.metadata['Name'])}-{dist.version}.dist-info"
    for licence in dist.files or ():
        if licence.name.upper().startswith(("LICEN", "AUTHORS")):
            files[f"{info}/{licence.name}"] = Path(dist.locate_file(licence)).read_bytes()
    return build_wheel(dist.metadata["Name"], dist.version, files, summary=dist.metadata.get("Summary", ""))


def clause_link(ref, lang, site_url, folder=""):
    """The URL of a clause (`notice#basic-1`) on the published site, in `lang`: absolute under the
    site's public address, or site-relative (`en/notice/#basic-1`) when the build has none; `folder`
    is the edition's in the site ("2022/" for an edition under its year)."""
    from .render import page_path  # render names the templates' paths: imported late, not in a cycle

    page_id, _, anchor = ref.partition("#")
    prefix = "" if lang == "zh" else f"{lang}/"
    relative = f"{prefix}{folder}{page_path(page_id)}#{anchor}"
    return f"{site_url.rstrip('/')}/{relative}" if site_url else relative


def template_clauses(guide, lang, site_url, folder=""):
    """{clause ref: {"name", "link"}} of every clause, as the template's explanation sheet cites it:
    the page's title and the guide's numbering ("申报通知 二、（一）"), and its address in the edition's
    `folder`."""
    titles = {"notice": guide["notice"]["title"][lang]} | {p["id"]: p["title"][lang] for p in guide["programmes"]}
    return {ref: {"name": f"{titles.get(ref.partition('#')[0], '')} {label[lang]}".strip(),
                  "link": clause_link(ref, lang, site_url, folder)}
            for ref, label in clause_labels(guide).items()}


def plan_wheels(root):
    """The spreadsheet layer's wheels, which every edition's batch page shares (PlannedFiles)."""
    assets = PlannedFiles()
    wheels = []
    for package, distribution in WHEELS:
        name, data = _wheel(package, distribution, root)
        path = f"assets/batch/wheels/{short_hash(data)}/{name}"
        assets.files[path] = data
        wheels.append(path)
    assets.urls["wheels"] = wheels
    assets.urls.update(versioned_urls(root, "batch", STATIC))
    return assets


def plan(guide, compiled, root, site_url, wheels=None, folder=""):
    """One edition's batch page: its templates, and the URLs of its page (the shared wheels, planned
    here when `wheels` is not given), or None when the build has no rules. Writes nothing.

    `site_url` is the site's public address (the templates link clauses there, in the edition's
    `folder`), or None.
    """
    if compiled is None:
        return None
    wheels = wheels or plan_wheels(root)
    assets = PlannedFiles(urls=dict(wheels.urls))
    for lang in LANGS:
        for ext, data in (("xlsx", template_xlsx(compiled, template_clauses(guide, lang, site_url, folder), lang)),
                          ("csv", template_csv(compiled, lang))):
            path = template_path(guide["edition"], lang, ext)
            assets.files[path] = data
            assets.urls[f"template_{ext}_{lang}"] = path
    return assets
