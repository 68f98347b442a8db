"""The checker's files in the built site: the Pyodide runtime, the engine wheel and the form data.

`plan()` is pure: it gathers every file as bytes (or a source path) and the site-relative URLs the
checker template needs, before mkdocs runs; `write()` puts the files into the new site. Names
that carry a content hash (wheel, form data) or a pinned version (runtime) change whenever their
content does, so no cache can serve a stale rule set next to a new page.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import render
from .errors import BuildError
from .guide import clause_labels
from .strings import CHECKER, ENGINE
from .wheel import build_wheel, package_files

# Runtime: only what a module worker needs (browser-recipe.md); no maps, typings or consoles.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
# Static scripts and styles of the page, copied by build.write_docs from sitegen/assets/checker/.
STATIC = {"script": "checker.js", "worker": "checker-worker.js", "style": "checker.css"}
GROUPS = ("unit", "leader", "project", "achievements", "restrictions")



@dataclass
class CheckerAssets:
    """What the checker adds to the site: files by site-relative path, and the URLs for the template."""

    files: dict = field(default_factory=dict)  # site-relative path -> bytes | Path
    urls: dict = field(default_factory=dict)  # template name -> site-relative URL


def _short_hash(data):
    return hashlib.sha256(data).hexdigest()[:12]


def engine_version(package_dir):
    """The engine's __version__ (PEP 440), or 0.0.0 when it declares none."""
    init = Path(package_dir) / "__init__.py"
    match = re.search(r"^__version__\s*=\s*['\"]([^'\"]+)['\"]", init.read_text(encoding="utf-8"), re.M)
    return match.group(1) if match else "0.0.0"


def pyodide_runtime(node_modules):
    """(version, {file name: path}) of the pinned Pyodide runtime installed by `npm ci`."""
    pkg = Path(node_modules) / "pyodide"
    try:
        version = json.loads((pkg / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        raise BuildError(pkg / "package.json", "version", "Pyodide is not installed: run `npm ci`") from None
    missing = [name for name in PYODIDE_FILES if not (pkg / name).is_file()]
    if missing:
        raise BuildError(pkg, "", f"Pyodide {version} lacks {', '.join(missing)}: run `npm ci`")
    return version, {name: pkg / name for name in PYODIDE_FILES}


def form_data(guide, compiled):
    """The data the form is built from, in both languages, so it renders before Pyodide loads."""
    programmes = []
    for prog in guide["programmes"]:
        compiled_prog = compiled["programmes"].get(prog["id"])
        if compiled_prog is None:
            continue
        programmes.append({
            "id": prog["id"],
            "title": compiled_prog.get("title") or prog["title"],
            "funding": (compiled_prog.get("funding") or {}).get("label"),
            "url": render.page_path(prog["id"]),
        })
    pages = {page_id: render.page_path(page_id) for page_id in ["notice"] + [p["id"] for p in guide["programmes"]]}
    return {
        "edition": guide["edition"],
        "groups": list(GROUPS),
        "fields": compiled["fields"],
        "programmes": programmes,
        "pages": pages,
        # How the guide numbers each clause (一、（四）), for the links beside questions and results.
        "clauses": clause_labels(guide),
        "ui": {**ENGINE, **CHECKER},
    }


def plan(guide, compiled, root, rules_json=None):
    """Every checker file and URL of the build, or None when the build has no rules. Writes nothing.

    `rules_json` is the engine's compiled rules (checker_py/_data/rules.json) the wheel carries.
    """
    root = Path(root)
    if compiled is None:
        return None
    package_dir = root / "checker_py"
    if not (package_dir / "__init__.py").is_file():
        return None  # rules without their engine: the page says the self-check is unavailable
    assets = CheckerAssets()

    files = {path: data for path, data in package_files(package_dir).items() if not path.startswith("checker_py/_data/")}
    files["checker_py/_data/rules.json"] = rules_json.encode("utf-8")
    name, wheel = build_wheel("checker_py", engine_version(package_dir), files,
                              summary=f"Eligibility engine of the {guide['edition']} Karamay S&T plan guide")
    wheel_path = f"assets/checker/wheels/{_short_hash(wheel)}/{name}"
    assets.files[wheel_path] = wheel
    assets.urls["wheel"] = wheel_path

    data = json.dumps(form_data(guide, compiled), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    data_path = f"assets/checker/form.{_short_hash(data)}.json"
    assets.files[data_path] = data
    assets.urls["form"] = data_path

    version, runtime = pyodide_runtime(root / "node_modules")
    for file_name, source in runtime.items():
        assets.files[f"assets/pyodide/{version}/{file_name}"] = source
    assets.urls["pyodide"] = f"assets/pyodide/{version}/pyodide.mjs"

    # The page's own scripts keep their names (they are copied with the other assets); a query
    # carrying their hash makes a new build bypass any cached copy.
    for key, file_name in STATIC.items():
        source = root / "sitegen" / "assets" / "checker" / file_name
        assets.urls[key] = f"assets/checker/{file_name}?v={_short_hash(source.read_bytes())}"
    return assets


def write(assets, site_dir):
    """Write the planned files into the (temporary) site folder."""
    if assets is None:
        return
    for rel, content in assets.files.items():
        path = Path(site_dir) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else Path(content).read_bytes())
