"""The checker's files in the built site: the Pyodide runtime, the engine wheel and the form data.

`plan()` gathers every file as bytes (or a source path) and the site-relative URLs the checker
template needs, before mkdocs runs, writing nothing into the site (only Node's byte-compiled files
into a build cache); `write()` puts the files into the new site. Names
that carry a content hash (wheel, form data) or a pinned version (runtime) change whenever their
content does, so no cache can serve a stale rule set next to a new page.
"""

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import render
from .errors import BuildError
from .guide import clause_labels
from checker_py.strings import CHECKER, ENGINE
from .wheel import build_wheel, package_files

# Runtime: only what a module worker needs (browser-recipe.md); no maps, typings or consoles.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
# Static scripts and styles of the page, copied by build.write_docs from webapp/checker/.
STATIC = {"style": "checker.css"}
# The engine's worker, which the checker page and the batch page share (webapp/engine-worker.js); the
# byte-compiled files are beside it, in assets/pyc/<hash>/, where the page tells it to look.
WORKER = "engine-worker.js"
# The page's ES modules: the entry and, through its relative imports, every module it needs.
WEBAPP = Path(__file__).resolve().parent.parent / "webapp"
MODULE_DIR = WEBAPP / "checker"
MODULE_ENTRY = "checker.js"
# The engine's client, whose canRunWasm() the batch page asks too before it starts its worker.
ENGINE_MODULE = "engine.js"
# Modules vendored from npm (pinned in package-lock.json), imported as `./<name>`: the file in
# node_modules and the global it defines, exported as the module's default (the files are UMD).
VENDORED = {"qrcode.js": ("qrcode-generator/qrcode.js", "qrcode")}
# A static relative import (`import … from "./x.js"`, `import "./x.js"`, `export … from "./x.js"`).
_IMPORT = re.compile(r"""(\b(?:from|import)\s*)(["'])\./([A-Za-z0-9_-]+\.js)\2""")
# Runs the shipped Pyodide in Node to byte-compile the wheel and the stdlib modules its start-up imports.
PYCOMPILE = Path(__file__).with_name("node") / "pycompile.mjs"
STDLIB_ZIP = "python_stdlib.zip"
GROUPS = ("unit", "leader", "project", "achievements", "restrictions")



@dataclass
class PlannedFiles:
    """What a page adds to the site (the checker, the batch page): files by site-relative path, and
    the URLs for its template."""

    files: dict = field(default_factory=dict)  # site-relative path -> bytes | Path
    urls: dict = field(default_factory=dict)  # template name -> site-relative URL


def short_hash(data):
    """The first 12 hex digits of the SHA-256 of `data`: the version in a file's name or URL."""
    return hashlib.sha256(data).hexdigest()[:12]


def versioned_urls(root, folder, static):
    """{key: URL} of a page's own files in webapp/<folder>/ (and the engine's worker, shared), which keep
    their names (they are copied with the other assets): a query carrying their hash makes a new build
    bypass any cached copy."""
    files = {key: f"{folder}/{name}" for key, name in static.items()} | {"worker": WORKER}
    return {key: f"assets/{rel}?v={short_hash((Path(root) / 'webapp' / rel).read_bytes())}" for key, rel in files.items()}


def hashed_modules(module_dir=MODULE_DIR, entry=MODULE_ENTRY, node_modules=None):
    """{file name: (hashed name, bytes)} of the entry module and every module it imports.

    Each module is served as `name.<hash>.js`, its imports rewritten to the hashed names, so a
    module's hash covers everything below it: a page never runs one build's module with another's.
    """
    module_dir = Path(module_dir)
    done = {}

    def visit(name, trail):
        if name in done:
            return done[name][0]
        if name in trail:
            raise BuildError(module_dir / name, "import", "circular import: " + " -> ".join(trail + (name,)))
        vendored = VENDORED.get(name)
        path = Path(node_modules) / vendored[0] if vendored and node_modules else module_dir / name
        if not path.is_file():
            raise BuildError(module_dir / trail[-1], "import", f"imports ./{name}, which does not exist (npm ci?)")
        text = path.read_text(encoding="utf-8")
        if vendored:
            text += f"\nexport default {vendored[1]};\n"
        text = _IMPORT.sub(lambda m: m.group(1) + m.group(2) + "./" + visit(m.group(3), trail + (name,)) + m.group(2), text)
        data = text.encode("utf-8")
        hashed = f"{name[:-3]}.{short_hash(data)}.js"
        done[name] = (hashed, data)
        return hashed

    visit(entry, ())
    return done


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


def byte_compiled(node_modules, wheel_name, wheel, cache_dir):
    """(stdlib zip, wheel) byte-compiled by the shipped Pyodide in Node; cached by their inputs."""
    pkg = Path(node_modules) / "pyodide"
    key = hashlib.sha256(b"".join(hashlib.sha256(data).digest() for data in (
        PYCOMPILE.read_bytes(), (pkg / "package.json").read_bytes(), (pkg / STDLIB_ZIP).read_bytes(), wheel))).hexdigest()[:16]
    cached = Path(cache_dir) / key
    if not (cached / STDLIB_ZIP).is_file() or not (cached / wheel_name).is_file():
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            (tmp / "in").mkdir()
            (tmp / "in" / wheel_name).write_bytes(wheel)
            (tmp / "out").mkdir()
            try:
                done = subprocess.run(["node", str(PYCOMPILE), str(pkg), str(tmp / "in" / wheel_name),
                                       str(tmp / "out" / STDLIB_ZIP), str(tmp / "out" / wheel_name)],
                                      capture_output=True, text=True, timeout=600)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise BuildError(PYCOMPILE, "", f"could not run Node: {exc}") from None
            if done.returncode != 0:
                raise BuildError(PYCOMPILE, "", f"byte-compiling failed: {done.stderr.strip()[-500:]}")
            shutil.rmtree(cached, ignore_errors=True)
            cached.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(tmp / "out", cached)
    return (cached / STDLIB_ZIP).read_bytes(), (cached / wheel_name).read_bytes()


def form_data(guide, compiled, rules_json, changes_since=None):
    """The data the form is built from, in both languages, so it renders before Pyodide loads.

    `rules` is the fingerprint of the engine's rules (`rules_json`): kept with a visitor's answers,
    it tells a later visit under other rules that the result is judged anew. `changes_since`: {older
    edition: its changes a returning applicant is told of} (sitegen/editions.py).
    """
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
            "checklist": render.checklist_path(prog["id"]),
        })
    pages = {page_id: render.page_path(page_id) for page_id in ["notice"] + [p["id"] for p in guide["programmes"]]}
    return {
        "edition": guide["edition"],
        "rules": short_hash(rules_json.encode("utf-8")),
        "groups": list(GROUPS),
        "fields": compiled["fields"],
        "programmes": programmes,
        "pages": pages,
        # How the guide numbers each clause (一、（四）), for the links beside questions and results.
        "clauses": clause_labels(guide),
        "ui": {**ENGINE, **CHECKER},
        "changes_since": changes_since or {},
    }


def plan_shared(root):
    """The files every edition's checker shares: the Pyodide runtime, the page's modules, its worker
    and style (the worker's URL gets its `pyc` folder from `byte_compile`). Writes no site file."""
    root = Path(root)
    assets = PlannedFiles()
    version, runtime = pyodide_runtime(root / "node_modules")
    for file_name, source in runtime.items():
        assets.files[f"assets/pyodide/{version}/{file_name}"] = source
    assets.urls["pyodide"] = f"assets/pyodide/{version}/pyodide.mjs"
    # The page's modules under content-hashed names; the entry's URL is the page's script.
    # Every module is also named to the page (`modulepreload`), so the browser fetches and compiles
    # them all at once instead of finding each import only after its importer has loaded.
    assets.urls["modules"] = []
    for module, (hashed, data) in hashed_modules(root / "webapp" / "checker", node_modules=root / "node_modules").items():
        assets.files[f"assets/checker/{hashed}"] = data
        assets.urls["modules"].append(f"assets/checker/{hashed}")
        if module == MODULE_ENTRY:
            assets.urls["script"] = f"assets/checker/{hashed}"
        if module == ENGINE_MODULE:
            assets.urls["engine"] = f"assets/checker/{hashed}"
    assets.urls.update(versioned_urls(root, "checker", STATIC))  # the worker and the style
    return assets


def plan(guide, compiled, root, rules_json, shared=None, changes_since=None):
    """One edition's checker files (its wheel and form data) and every URL its page needs, or None when
    the build has no rules. `rules_json` is the engine's compiled rules (checker_py/_data/rules.json)
    the wheel carries; `shared` the files all editions share (plan_shared), planned here when not given.
    Writes no site file; `byte_compile` then adds the byte-compiled wheels.
    """
    root = Path(root)
    if compiled is None:
        return None
    package_dir = root / "checker_py"
    if not (package_dir / "__init__.py").is_file():
        return None  # rules without their engine: the page says the self-check is unavailable
    shared = shared or plan_shared(root)
    assets = PlannedFiles(urls={**shared.urls, "modules": list(shared.urls["modules"])})

    files = {path: data for path, data in package_files(package_dir).items() if not path.startswith("checker_py/_data/")}
    files["checker_py/_data/rules.json"] = rules_json.encode("utf-8")
    # The edition in the wheel's version (a local label), so that every edition's byte-compiled wheel
    # has a name of its own beside the one byte-compiled standard library they share.
    name, wheel = build_wheel("checker_py", f"{engine_version(package_dir)}+{guide['edition']}", files,
                              summary=f"Eligibility engine of the {guide['edition']} Karamay S&T plan guide")
    wheel_path = f"assets/checker/wheels/{short_hash(wheel)}/{name}"
    assets.files[wheel_path] = wheel
    assets.urls["wheel"] = wheel_path

    data = json.dumps(form_data(guide, compiled, rules_json, changes_since), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    data_path = f"assets/checker/form.{short_hash(data)}.json"
    assets.files[data_path] = data
    assets.urls["form"] = data_path
    return assets


def byte_compile(plans, root):
    """The byte-compiled standard library and every edition's byte-compiled wheel, in one folder named by
    their content (PlannedFiles); each plan's worker URL names the folder (`pyc=<hash>`). The page hands
    it to the worker, which falls back to the source stdlib and wheel if it fails to load."""
    root = Path(root)
    assets = PlannedFiles()
    compiled = {}
    stdlib = None
    for edition_plan in plans:
        wheel_path = edition_plan.urls["wheel"]
        name = wheel_path.rsplit("/", 1)[1]
        stdlib_pyc, compiled[name] = byte_compiled(root / "node_modules", name, edition_plan.files[wheel_path],
                                                   root / "build" / "pycompile")
        stdlib = stdlib or stdlib_pyc  # the same modules for every edition: the first one's serves all
    if stdlib is None:
        return assets
    pyc_hash = short_hash(stdlib + b"".join(compiled[name] for name in sorted(compiled)))
    assets.files[f"assets/pyc/{pyc_hash}/{STDLIB_ZIP}"] = stdlib
    for name, data in compiled.items():
        assets.files[f"assets/pyc/{pyc_hash}/{name}"] = data
    for edition_plan in plans:
        edition_plan.urls["worker"] += f"&pyc={pyc_hash}"
    return assets


def write(assets, site_dir):
    """Write the planned files into the (temporary) site folder."""
    if assets is None:
        return
    for rel, content in assets.files.items():
        path = Path(site_dir) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else Path(content).read_bytes())
