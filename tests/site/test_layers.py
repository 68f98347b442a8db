"""The layers a reader sees in the tree (README, "Architecture"): the engine (checker_py) imports
nobody's code; the others use only its public modules; the spreadsheet layer (checker_sheets) and the
build (sitegen) use each other's public modules only; the browser app (webapp/) is not inside the
build; and no two modules import each other, directly or round a circle."""

import ast

from support import ROOT

PACKAGES = ("checker_py", "checker_sheets", "sitegen")
# The scripts at the top: the build's and the dev server's entry points.
SCRIPTS = ("build.py", "serve.py")


def sources():
    """{module name: path} of every Python module of the repository's packages and top-level scripts."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).glob("*.py")):
            found[package if path.stem == "__init__" else f"{package}.{path.stem}"] = path
    for script in SCRIPTS:
        found[script.removesuffix(".py")] = ROOT / script
    return found


def imports(module, path):
    """[(imported module, imported names)] of one module, relative imports resolved."""
    package = module if path.stem == "__init__" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            names = tuple(alias.name for alias in node.names)
            # `from . import x`: x is a module of that package when there is such a file.
            found += [(f"{target}.{n}", ()) if f"{target}.{n}" in sources() else (target, (n,)) for n in names]
    return found


def graph():
    """{module: {modules of the repository it imports}}."""
    known = sources()
    return {module: {target for target, _ in imports(module, path) if target in known}
            for module, path in known.items()}


def test_the_engine_imports_nothing_of_this_repository_outside_itself():
    outside = [(module, target) for module, targets in graph().items() if module.split(".")[0] == "checker_py"
               for target in targets if target.split(".")[0] != "checker_py"]
    assert outside == []


def test_no_module_uses_a_private_module_or_name_of_another_package():
    private = []
    for module, path in sources().items():
        own = module.split(".")[0]
        for target, names in imports(module, path):
            package = target.split(".")[0]
            if package not in PACKAGES or package == own:
                continue
            parts = target.split(".")[1:] + list(names)
            private += [f"{module}: {target} {' '.join(names)}".strip() for part in parts if part.startswith("_")][:1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in PACKAGES \
                    and node.value.id != own and node.attr.startswith("_"):
                private.append(f"{module}: {node.value.id}.{node.attr}")
    assert private == []


def test_no_two_modules_import_each_other_directly_or_round_a_circle():
    edges = graph()
    circles = []

    def visit(module, trail):
        for target in sorted(edges.get(module, ())):
            if target in trail:
                circles.append(trail[trail.index(target):] + [target])
            elif target not in done:
                visit(target, trail + [target])
        done.add(module)

    done = set()
    for module in sorted(edges):
        if module not in done:
            visit(module, [module])
    # A package's __init__ re-exporting its own modules is not a circle a reader follows.
    circles = [c for c in circles if not any(m == c[0].split(".")[0] for m in c[1:-1])]
    assert circles == []


def test_the_engine_never_names_the_spreadsheet_layer_or_the_build():
    named = [path.name for path in (ROOT / "checker_py").glob("*.py")
             for word in ("import checker_sheets", "from checker_sheets", "import sitegen", "from sitegen")
             if word in path.read_text(encoding="utf-8")]
    assert named == []


def test_the_browser_app_has_a_folder_of_its_own_outside_the_build():
    assert sorted(p.name for p in (ROOT / "webapp").iterdir() if p.is_dir()) == ["batch", "checker"]
    assert list((ROOT / "sitegen").rglob("*.js")) == [] and list((ROOT / "sitegen").rglob("*.css")) == []
    assert (ROOT / "webapp" / "service-worker.js").is_file()


def test_the_circle_test_finds_a_circle(monkeypatch):
    """The circle test can fail: two modules that import each other are found."""
    import sys
    monkeypatch.setattr(sys.modules[__name__], "graph", lambda: {"a.x": {"a.y"}, "a.y": {"a.x"}, "a": set()})
    try:
        test_no_two_modules_import_each_other_directly_or_round_a_circle()
    except AssertionError:
        return
    raise AssertionError("a circle between a.x and a.y went unseen")
