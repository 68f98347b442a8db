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
from .wheel import build_wheel, package_files

# Runtime: only what a module worker needs (browser-recipe.md); no maps, typings or consoles.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
# Static scripts and styles of the page, copied by build.write_docs from sitegen/assets/checker/.
STATIC = {"script": "checker.js", "worker": "checker-worker.js", "style": "checker.css"}
# Runs the shipped Pyodide in Node to byte-compile the wheel and the stdlib modules its start-up imports.
PYCOMPILE = Path(__file__).with_name("node") / "pycompile.mjs"
STDLIB_ZIP = "python_stdlib.zip"
GROUPS = ("unit", "leader", "project", "achievements", "restrictions")

# Interface strings of the checker page; the engine supplies rule texts and messages itself.
UI = {
    "loading": {"zh": "正在加载自查引擎，您可以先填写问卷……", "en": "Loading the self-check engine; you can start answering meanwhile…"},
    "loading_runtime": {"zh": "正在加载 Python 运行环境（约 5 MB）……", "en": "Loading the Python runtime (about 5 MB)…"},
    "loading_rules": {"zh": "正在加载自查规则……", "en": "Loading the eligibility rules…"},
    "ready": {"zh": "自查引擎已就绪，结果随答案即时更新。", "en": "The self-check engine is ready; results update as you answer."},
    "failed": {"zh": "自查引擎加载失败：", "en": "The self-check engine failed to load: "},
    "intro": {
        "zh": "按实际情况回答下列问题；不确定的可留作“未回答”，不会被当作“否”。",
        "en": "Answer what you know; leave the rest as “not answered”: an unanswered question is never taken as “no”.",
    },
    "questions": {"zh": "自查问卷", "en": "Questions"},
    "programme_choice": {"zh": "申报哪个项目？", "en": "Which programme?"},
    "all_programmes": {"zh": "全部项目（逐一判断）", "en": "All programmes (each one judged)"},
    "group_unit": {"zh": "申报单位", "en": "Applicant unit"},
    "group_leader": {"zh": "项目负责人", "en": "Project leader"},
    "group_project": {"zh": "项目", "en": "Project"},
    "group_achievements": {"zh": "成果", "en": "Achievements"},
    "group_restrictions": {"zh": "限制条件与承诺", "en": "Restrictions and commitment"},
    "yes": {"zh": "是", "en": "Yes"},
    "no": {"zh": "否", "en": "No"},
    "unanswered": {"zh": "未回答", "en": "Not answered"},
    "choose": {"zh": "— 未回答 —", "en": "— not answered —"},
    "clause": {"zh": "依据条款", "en": "Clause"},
    "glossary_term": {"zh": "术语表", "en": "Glossary"},
    "notice_page": {"zh": "申报须知", "en": "Application notice"},
    "wan": {"zh": "万元", "en": "万元 (10,000 CNY)"},
    "ach_state": {"zh": "项目是否有相关成果？", "en": "Does the project have achievements?"},
    "ach_none": {"zh": "没有", "en": "None"},
    "ach_some": {"zh": "有（逐项填写）", "en": "Yes (list them)"},
    "ach_add": {"zh": "添加一项成果", "en": "Add an achievement"},
    "ach_remove": {"zh": "删除此项", "en": "Remove this one"},
    "ach_item": {"zh": "成果 {n}", "en": "Achievement {n}"},
    "results": {"zh": "自查结果", "en": "Result"},
    "results_wait": {"zh": "引擎就绪后将在此显示结果。", "en": "The result appears here once the engine is ready."},
    "matrix_programme": {"zh": "项目", "en": "Programme"},
    "matrix_verdict": {"zh": "结论", "en": "Verdict"},
    "matrix_funding": {"zh": "资助额度与形式", "en": "Funding range and form"},
    "verdict_eligible": {"zh": "符合申报条件", "en": "Eligible"},
    "verdict_ineligible": {"zh": "不符合申报条件", "en": "Not eligible"},
    "verdict_incomplete": {"zh": "信息不全，尚无结论", "en": "Incomplete: no verdict yet"},
    "verdict_review": {"zh": "需人工复核", "en": "Needs review"},
    "status_pass": {"zh": "通过", "en": "Pass"},
    "status_fail": {"zh": "不通过", "en": "Fail"},
    "status_unknown": {"zh": "待填写", "en": "Unknown"},
    "status_review": {"zh": "需复核", "en": "Review"},
    "rules": {"zh": "逐条判断", "en": "Condition by condition"},
    "funding": {"zh": "资助", "en": "Funding"},
    "max_request": {"zh": "满足资助额度和自筹比例的最大申请额", "en": "Largest request within the range and the self-funding ratio"},
    "no_max_request": {"zh": "无满足条件的申请额", "en": "No request satisfies both"},
    "missing": {"zh": "还需回答以下问题才能得出结论：", "en": "Answer these questions to reach a verdict:"},
    "notes": {"zh": "提示", "en": "Notes"},
    "unmodelled": {"zh": "需自行确认的条件", "en": "Conditions to confirm yourself"},
    "details": {"zh": "查看理由", "en": "Show the reasons"},
    "wan_unit": {"zh": "万元", "en": "万元"},
    "clear": {"zh": "清除我的答案", "en": "Clear my answers"},
    "cleared": {"zh": "答案已清除。", "en": "Your answers were cleared."},
    "export": {"zh": "导出答案（JSON）", "en": "Export answers (JSON)"},
    "import": {"zh": "导入答案（JSON）", "en": "Import answers (JSON)"},
    "imported": {"zh": "答案已导入。", "en": "Answers imported."},
    "import_bad": {"zh": "无法导入：{reason}。当前答案保持不变。", "en": "Cannot import: {reason}. Your current answers are unchanged."},
    "bad_json": {"zh": "文件不是有效的 JSON", "en": "the file is not valid JSON"},
    "bad_root": {"zh": "文件内容应为一个对象", "en": "the file must hold one object"},
    "bad_key": {"zh": "未知字段 {path}", "en": "unknown field {path}"},
    "bad_value": {"zh": "{path} 的值无效", "en": "invalid value for {path}"},
    "too_big": {"zh": "文件过大", "en": "the file is too large"},
    "print": {"zh": "打印结果", "en": "Print the result"},
    "print_meta": {"zh": "{edition} 年度指南 · 自查日期 {date} · {url}", "en": "{edition} guide · checked on {date} · {url}"},
    "stored": {"zh": "答案仅保存在本机浏览器中。", "en": "Your answers are kept only in this browser."},
    "invalid_number": {"zh": "请输入不小于 0 的数字", "en": "Enter a number of at least 0"},
    "invalid_int": {"zh": "请输入不小于 0 的整数", "en": "Enter a whole number of at least 0"},
    "invalid_date": {"zh": "请输入有效日期（年-月-日）", "en": "Enter a valid date (year-month-day)"},
    "noscript": {"zh": "自查需要启用 JavaScript。", "en": "The self-check needs JavaScript."},
    "unavailable": {"zh": "本次构建未包含自查规则，自查暂不可用。", "en": "This build has no eligibility rules; the self-check is unavailable."},
}


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
        "ui": UI,
    }


def plan(guide, compiled, root):
    """Every checker file and URL of the build, or None when the build has no rules. Writes no site file."""
    root = Path(root)
    if compiled is None:
        return None
    package_dir = root / "checker_py"
    if not (package_dir / "__init__.py").is_file():
        return None  # rules without their engine: the page says the self-check is unavailable
    assets = CheckerAssets()

    name, wheel = build_wheel("checker_py", engine_version(package_dir), package_files(package_dir),
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

    # The byte-compiled pair sits in one folder named by its content; the worker finds it through
    # its own URL (`pyc=<hash>`) and falls back to the source stdlib and wheel if it fails to load.
    stdlib_pyc, wheel_pyc = byte_compiled(root / "node_modules", name, wheel, root / "build" / "pycompile")
    pyc_hash = _short_hash(stdlib_pyc + wheel_pyc)
    assets.files[f"assets/checker/pyc/{pyc_hash}/{STDLIB_ZIP}"] = stdlib_pyc
    assets.files[f"assets/checker/pyc/{pyc_hash}/{name}"] = wheel_pyc

    # The page's own scripts keep their names (they are copied with the other assets); a query
    # carrying their hash makes a new build bypass any cached copy.
    for key, file_name in STATIC.items():
        source = root / "sitegen" / "assets" / "checker" / file_name
        assets.urls[key] = f"assets/checker/{file_name}?v={_short_hash(source.read_bytes())}"
    assets.urls["worker"] += f"&pyc={pyc_hash}"
    return assets


def write(assets, site_dir):
    """Write the planned files into the (temporary) site folder."""
    if assets is None:
        return
    for rel, content in assets.files.items():
        path = Path(site_dir) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else Path(content).read_bytes())
