"""The eligibility self-check in a real browser: a person's answers, CLI parity, keeping and sharing.

Each test starts from a fresh context (empty storage); the Python runtime starts once per page
(about 2 s), so the tests reuse one page for as much as they can.
"""

import copy
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import support

ROOT = Path(__file__).resolve().parents[2]
ENGINE_TESTS = ROOT / "tests" / "engine"
PROGRAMMES = ["major", "key_rd", "tech_innovation", "talent", "soft_science"]
READY_TIMEOUT = 60_000
STORAGE_KEY = "karamay-checker:profile"
VERDICT_TEXT = {
    "zh": {"eligible": "符合申报条件", "ineligible": "不符合申报条件", "incomplete": "信息不全"},
    "en": {"eligible": "Eligible", "ineligible": "Not eligible", "incomplete": "Incomplete"},
}


def _engine_cases():
    """(name, programme, lang, profile) of every engine test case, built as the engine tests build them."""
    spec = importlib.util.spec_from_file_location("engine_test_cases", ENGINE_TESTS / "test_cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [(case["name"], case["programme"], case.get("lang", "zh"), module.profile_of(case)) for _, case in module.CASES]


def _profiles():
    return yaml.safe_load((ENGINE_TESTS / "profiles.yaml").read_text(encoding="utf-8"))


def cli(profiles, programme=None, lang=None):
    """The CLI's --format json output for each profile (one batch run through --jsonl)."""
    args = [sys.executable, "-m", "checker_py", "check", "--format", "json", "--jsonl", "-"]
    if programme:
        args[4:4] = ["--programme", programme]
    if lang:
        args[4:4] = ["--lang", lang]
    text = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in profiles)
    out = subprocess.run(args, input=text, capture_output=True, text=True, cwd=ROOT, check=False)
    assert out.returncode in (0, 2), out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    assert len(lines) == len(profiles), out.stderr
    return lines


def poll(page, expression):
    """Wait until a page expression is true (up to READY_TIMEOUT)."""
    support.poll(page, expression, READY_TIMEOUT / 1000)


def open_checker(page, url):
    """Go to a checker URL, wait until the engine is loaded and a first result is shown, and show all questions on one page."""
    support.open_checker(page, url, READY_TIMEOUT / 1000)
    one_page(page)


def one_page(page):
    """Switch to "all questions on one page" (guided mode, the default, shows one step at a time)."""
    button = page.locator('.ck-modes [data-mode="form"]')
    if button.get_attribute("aria-pressed") != "true":
        button.click()
    page.wait_for_selector(".ck-form.ck-mode-form")


def clear_answers(page):
    """Clear, then confirm."""
    page.locator('[data-action="clear"]').click()
    page.locator('[data-action="clear-yes"]').click()


def field(page, path):
    return page.locator(f'.ck-form > .ck-group > .ck-field[data-path="{path}"]')


def set_answer(scope, kind, value):
    """Answer one question as a person would: click a choice, pick an option, or type."""
    if kind == "bool":
        scope.locator(f'input[type=radio][value="{"yes" if value else "no"}"]').check()
    elif kind == "enum":
        scope.locator("select").select_option(value)
    else:
        scope.locator("input").fill(str(value))


def fill(page, profile, fields):
    """Fill the form from a profile, skipping questions hidden for the chosen programme."""
    kinds = {f["path"]: f for f in fields}
    for group, values in profile.items():
        items = values.items() if isinstance(values, dict) else [(None, values)]
        for key, value in items:
            path = f"{group}.{key}" if key else group
            spec = kinds[path]
            scope = field(page, path)
            if not scope.is_visible():
                continue
            if spec["type"] == "list":
                scope.locator('input[value="some"]' if value else 'input[value="none"]').check()
                for i, item in enumerate(value):
                    if i:
                        scope.locator(".ck-add").click()
                    entry = scope.locator(".ck-item").nth(i)
                    subs = {f["path"]: f for f in spec["item_fields"]}
                    for sub, sub_value in item.items():
                        set_answer(entry.locator(f'.ck-field[data-path="{sub}"]'), subs[sub]["type"], sub_value)
            else:
                set_answer(scope, spec["type"], value)



STATUS_RANK = {"fail": 0, "review": 1, "unknown": 2, "pass": 3}


def shown_order(rules):
    """The page lists what stands in the way first (failed, review, unknown, passed), else in engine order."""
    ordered = sorted(enumerate(rules), key=lambda item: (STATUS_RANK[item[1]["status"]], item[0]))
    return [(r["id"], r["status"], r["message"]) for _, r in ordered]

def shown(page, programme):
    """What the page shows for one programme: verdict, and each rule's status and message."""
    section = page.locator(f'.ck-programme[data-programme="{programme}"]')
    rules = section.locator(".ck-rule")
    return {
        "verdict": section.get_attribute("data-verdict"),
        "verdict_text": section.locator(".ck-verdict-text").first.inner_text(),
        "icon": section.locator(".ck-verdict .ck-icon").first.inner_text(),
        "rules": [
            (rules.nth(i).get_attribute("data-rule"), rules.nth(i).get_attribute("data-status"),
             rules.nth(i).locator(".ck-rule-message").inner_text())
            for i in range(rules.count())
        ],
        "missing": section.locator(".ck-missing li").all_inner_texts(),
    }


def settle(page, programme, verdict):
    """Wait for the debounced result to show a verdict."""
    page.wait_for_selector(f'.ck-programme[data-programme="{programme}"][data-verdict="{verdict}"]', timeout=10_000)
    page.wait_for_timeout(400)  # a later keystroke's result may still be on its way


def assert_local_and_clean(page, server):
    assert page.requests.outside(server.origin) == []
    assert page.js_errors == []


@pytest.fixture(scope="module")
def form_fields():
    data = sorted((ROOT / "site" / "assets" / "checker").glob("form.*.json"))
    assert len(data) == 1, data
    return json.loads(data[0].read_text(encoding="utf-8"))["fields"]


def test_the_browser_engine_prints_what_the_cli_prints_for_every_engine_case(each_page, server):
    page = each_page
    cases = _engine_cases()
    assert len(cases) > 20
    open_checker(page, server.url + "checker/")
    assert any("pyodide.asm.wasm" in u for u in page.requests.urls)  # worker requests are recorded too
    runs = []  # (what, programme, lang, profile)
    for name, programme, lang, profile in cases:
        runs.append((name, programme, lang, profile))
        runs.append((name + " [all programmes]", None, lang, profile))
    runs.append(("the other language", "major", "en" if cases[0][2] == "zh" else "zh", cases[0][3]))
    browser = page.evaluate(
        """async (runs) => {
            const out = [];
            for (const [, programme, lang, profile] of runs) out.push(await window.checker.evaluate(profile, {programme, lang}));
            return out;
        }""",
        [list(r) for r in runs],
    )
    expected = {}
    for key in {(r[1], r[2]) for r in runs}:
        batch = [i for i, r in enumerate(runs) if (r[1], r[2]) == key]
        for i, line in zip(batch, cli([runs[i][3] for i in batch], *key)):
            expected[i] = line
    mismatches = [runs[i][0] for i in range(len(runs)) if browser[i] != expected[i]]
    assert mismatches == []
    # Without options, evaluate() is the CLI with its defaults.
    assert page.evaluate("p => window.checker.evaluate(p)", cases[0][3]) == cli([cases[0][3]])[0]
    assert_local_and_clean(page, server)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_person_fills_the_form_and_sees_eligible_ineligible_and_incomplete(page, server, form_fields, lang):
    prefix = "" if lang == "zh" else "en/"
    profiles = _profiles()
    eligible = profiles["key_rd_eligible"] if lang == "zh" else profiles["tech_innovation_eligible"]
    programme = "key_rd" if lang == "zh" else "tech_innovation"
    open_checker(page, f"{server.url}{prefix}checker/?programme={programme}")
    assert page.locator("#ck-programme").input_value() == programme
    # Questions that do not matter for this programme are not asked.
    hidden = [f["path"] for f in form_fields if f.get("programmes") and programme not in f["programmes"]]
    assert hidden and all(not field(page, p).is_visible() for p in hidden)

    # An invalid value is reported beside its question with the engine's own message, in the page's language.
    numbers = field(page, "project.requested_funding")
    numbers.locator("input").fill("-5")
    error = numbers.locator(".ck-error")
    error.wait_for(state="visible")
    expected = page.evaluate("(lang) => window.checker.evaluate({project: {requested_funding: -5}}, {lang})", lang)["error"]
    assert expected["field"] == "project.requested_funding"
    assert error.inner_text() == expected["message"].removeprefix(expected["field"] + ": ")  # the question names the field
    assert numbers.locator("input").get_attribute("aria-invalid") == "true"
    numbers.locator("input").fill("")
    error.wait_for(state="hidden")

    # Incomplete: a few answers only; the page lists what is still needed, in the page's language.
    fill(page, {"unit": {"in_karamay": True, "kind": "enterprise"}}, form_fields)
    settle(page, programme, "incomplete")
    got = shown(page, programme)
    assert VERDICT_TEXT[lang]["incomplete"] in got["verdict_text"] and got["icon"] == "?"
    labels = {f["path"]: f["label"][lang] for f in form_fields}
    assert labels["integrity_commitment"] in got["missing"]
    assert labels["unit.in_karamay"] not in got["missing"]
    assert not any(s == "fail" for _, s, _ in got["rules"])

    # Eligible: every answer of a complete profile, typed and clicked in.
    fill(page, eligible, form_fields)
    settle(page, programme, "eligible")
    got = shown(page, programme)
    want = cli([eligible], programme, lang)[0]["results"][programme]
    assert got["verdict_text"] == VERDICT_TEXT[lang]["eligible"] and got["icon"] == "✔"
    assert got["rules"] == shown_order(want["rules"])
    assert got["missing"] == []
    section = page.locator(f'.ck-programme[data-programme="{programme}"]')
    assert want["funding"]["label"] in section.locator(".ck-funding").inner_text()
    # Every clause link is relative, to a page of the same language that has the anchor.
    for href in section.locator("a.ck-clause").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        page_path, _, anchor = href.partition("#")
        assert page_path.startswith("../") and anchor, href
        target = ROOT / "site" / prefix / page_path[3:] / "index.html"
        assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), href

    # Ineligible: one answer changes; the failing rule says why and the fix hint is shown.
    too_much = {"project": {"requested_funding": eligible["project"]["total_investment"]}}
    fill(page, too_much, form_fields)
    settle(page, programme, "ineligible")
    got = shown(page, programme)
    changed = copy.deepcopy(eligible)
    changed["project"]["requested_funding"] = eligible["project"]["total_investment"]
    want = cli([changed], programme, lang)[0]["results"][programme]
    assert got["verdict_text"] == VERDICT_TEXT[lang]["ineligible"] and got["icon"] == "✘"
    assert got["rules"] == shown_order(want["rules"])
    assert any(s == "fail" for _, s, _ in got["rules"])
    if isinstance(want["funding"].get("max_request"), (int, float)):
        assert want["funding"]["max_request_text"] in section.locator('[data-hint="max_request"]').inner_text()

    # "All programmes" asks everything and shows a programme x verdict matrix.
    page.locator("#ck-programme").select_option("")
    page.wait_for_selector(".ck-matrix tbody tr >> nth=4")
    assert page.locator(".ck-matrix tbody tr").count() == 5
    assert all(field(page, p).is_visible() for p in hidden)
    assert page.locator('[role="status"]').inner_text() == ("自查引擎已就绪，结果随答案即时更新。" if lang == "zh" else
                                                          "The self-check engine is ready; results update as you answer.")

    # The print view: verdicts and reasons with the edition, the date and the page address; no form.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    assert not page.locator(".ck-form").is_visible() and not page.locator(".ck-toolbar").is_visible()
    meta = page.locator(".ck-print-meta").inner_text()
    # The date is today in Karamay (UTC+8), as the guide writes dates: the engine's.
    today = page.evaluate("window.checker.evaluate({}, {lang: document.documentElement.lang.slice(0, 2)})")["judged_on"]["text"]
    assert "2022" in meta and page.url in meta and today in meta
    assert page.locator(".ck-rule").first.is_visible()
    assert page.locator(".ck-details:not([open])").count() == 0
    page.emulate_media(media="screen")
    assert_local_and_clean(page, server)


def test_the_form_is_usable_before_the_engine_loads_with_visible_progress(page, server):
    held = []
    page.context.route("**/pyodide.asm.wasm", lambda route: held.append(route))  # hold the runtime back
    page.goto(server.url + "checker/?programme=talent")
    page.wait_for_selector(".ck-form")
    one_page(page)
    field(page, "unit.in_karamay").locator('input[value="no"]').check()
    field(page, "leader.birth_date").locator("input").fill("1990-05-01")
    status = page.locator('.ck-status[role="status"][aria-live="polite"]')
    assert "加载" in status.inner_text() and page.locator(".ck-status progress").is_visible()
    assert page.locator(".ck-wait").is_visible()
    for _ in range(400):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the worker never asked for the runtime"
    held[0].continue_()
    page.evaluate("window.checker.ready")
    # The answers given while it loaded are evaluated as soon as the engine is ready.
    settle(page, "talent", "ineligible")
    assert ("leader_age_limit", "pass") in [(r, st) for r, st, _ in shown(page, "talent")["rules"]]
    assert "就绪" in status.inner_text()
    assert_local_and_clean(page, server)


def test_export_then_import_gives_the_same_answers_and_result_and_a_bad_file_changes_nothing(page, server, form_fields, tmp_path):
    profile = _profiles()["major_eligible"]
    open_checker(page, server.url + "checker/?programme=major")
    fill(page, profile, form_fields)
    settle(page, "major", "eligible")
    before = shown(page, "major")
    with page.expect_download() as download:
        page.locator('[data-action="more"]').click()
        page.locator('[data-action="export"]').click()
    exported = tmp_path / "profile.json"
    download.value.save_as(exported)
    data = json.loads(exported.read_text(encoding="utf-8"))
    # The export holds what was answered (questions hidden for this programme were not), in the contract's shape.
    for group, values in data.items():
        assert values == profile[group] if not isinstance(values, dict) else all(profile[group][k] == v for k, v in values.items())
    # The exported file works with the command line as it is, and gives what the page showed.
    out = subprocess.run([sys.executable, "-m", "checker_py", "check", "--programme", "major", "--format", "json", str(exported)],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    exported_result, full_result = json.loads(out.stdout), cli([profile], "major", "zh")[0]
    # The same verdicts; the answers listed are those exported (questions this programme hides were not).
    assert exported_result.pop("answers") == [a for a in full_result.pop("answers") if support.value_at(data, a["path"]) is not None]
    assert exported_result == full_result

    clear_answers(page)
    settle(page, "major", "incomplete")
    with page.expect_file_chooser() as chooser:
        page.locator('[data-action="more"]').click()
        page.locator('[data-action="import"]').click()
    chooser.value.set_files(str(exported))
    settle(page, "major", "eligible")
    assert shown(page, "major") == before

    # A malformed or hostile file is rejected with a message; the answers stay as they were.
    for name, content in [("bad.json", b"{not json"), ("list.json", b"[1, 2]"),
                          ("unknown.json", b'{"unit": {"evil": "<img src=x onerror=alert(1)>"}}'),
                          ("wrong.json", b'{"leader": {"birth_date": "1970-13-45"}}')]:
        page.locator("#ck-import-file").set_input_files({"name": name, "mimeType": "application/json", "buffer": content})
        page.wait_for_selector(".ck-message.ck-bad")
        message = page.locator(".ck-message").inner_text()
        assert message
        if name == "wrong.json":  # the field is named once, and Chinese items are joined the Chinese way
            assert message.count("leader.birth_date") == 1 and "; " not in message, message
        page.wait_for_timeout(300)
        assert shown(page, "major") == before
        page.evaluate("document.querySelector('.ck-message').classList.remove('ck-bad')")
    assert page.locator("img[src=x]").count() == 0
    assert_local_and_clean(page, server)


def test_answers_survive_a_reload_and_clear_empties_storage(page, server):
    open_checker(page, server.url + "en/checker/?programme=talent")
    field(page, "leader.birth_date").locator("input").fill("1980-02-29")
    field(page, "unit.in_karamay").locator('input[value="yes"]').check()
    poll(page, f"((s) => s.includes('1980-02-29') && s.includes('\"in_karamay\":true'))(localStorage.getItem({STORAGE_KEY!r}) || '')")
    open_checker(page, server.url + "en/checker/")
    assert field(page, "leader.birth_date").locator("input").input_value() == "1980-02-29"
    assert field(page, "unit.in_karamay").locator('input[value="yes"]').is_checked()
    assert page.locator("#ck-programme").input_value() == "talent"  # the stored choice, without ?programme
    clear_answers(page)
    # Our answers are gone (the theme keeps its own colour-scheme key, which holds no answer).
    assert page.evaluate("Object.keys(localStorage).filter(k => !k.endsWith('__palette'))") == []
    assert field(page, "leader.birth_date").locator("input").input_value() == ""
    assert field(page, "unit.in_karamay").locator('input[value=""]').is_checked()
    assert_local_and_clean(page, server)


def test_the_checker_works_when_reached_from_the_home_page_and_a_programme_page(page, server):
    page.goto(server.url)
    page.locator("a.md-button--primary", has_text="自查").first.click()
    page.wait_for_url(server.url + "checker/")
    open_checker(page, page.url)
    page.goto(server.url + "en/programmes/soft_science/")
    page.locator('a[href$="checker/?programme=soft_science"]').first.click()
    page.wait_for_url("**/en/checker/?programme=soft_science")
    page.evaluate("window.checker.ready")
    assert page.locator("#ck-programme").input_value() == "soft_science"
    page.wait_for_selector('.ck-programme[data-programme="soft_science"]')
    assert_local_and_clean(page, server)


def test_the_checker_works_under_a_sub_path(browser, site_dir):
    try:
        from support import StaticServer
    except ImportError:  # the shared fixtures keep it in conftest
        from conftest import StaticServer
    srv = StaticServer(site_dir, prefix="guide")
    context = browser.new_context()
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        outside = []
        context.on("request", lambda r: r.url.startswith(srv.origin + "/") or r.url.startswith(("data:", "blob:")) or outside.append(r.url))
        open_checker(page, srv.url + "en/checker/?programme=major")
        result = page.evaluate("window.checker.evaluate({}, {programme: 'major', lang: 'en'})")
        assert result["results"]["major"]["verdict"] == "incomplete"
        assert errors == [] and outside == []
    finally:
        context.close()
        srv.close()


def test_the_runtime_ships_only_the_five_files_and_the_wheel_is_content_addressed(site_dir):
    # Pre-compressed copies (.gz, .br) of a file are that file, for hosts that send them.
    runtime = sorted(p.name for p in (site_dir / "assets" / "pyodide").glob("*/*") if p.suffix not in (".gz", ".br"))
    assert runtime == sorted(["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"])
    wheels = list((site_dir / "assets" / "checker" / "wheels").glob("*/*.whl"))
    assert len(wheels) == 1 and wheels[0].name.endswith("-py3-none-any.whl")
    import hashlib
    assert hashlib.sha256(wheels[0].read_bytes()).hexdigest().startswith(wheels[0].parent.name)


CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; "
       "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'self'")
RECORD_CSP = """document.addEventListener("securitypolicyviolation",
    (e) => (window.__csp = window.__csp || []).push([e.violatedDirective, e.blockedURI, e.sourceFile || ""]));"""


def test_the_checker_needs_no_inline_script_nor_eval_under_the_planned_csp(page, server):
    """The site ships a CSP without inline scripts: the checker's own code must live with it."""
    def with_csp(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": CSP})

    page.route("**/checker/**", with_csp)
    page.add_init_script(RECORD_CSP)
    open_checker(page, server.url + "checker/?programme=talent")
    field(page, "unit.in_karamay").locator('input[value="no"]').check()
    settle(page, "talent", "ineligible")
    violations = page.evaluate("window.__csp || []")
    # The theme's own inline snippets are hashed by sitegen/csp.py (the checker adds none, see below);
    # no eval, no worker, fetch or script of the checker may be blocked.
    assert [v for v in violations if v[1] != "inline"] == [], violations
    assert all(v[2].split("?")[0] == server.url + "checker/" for v in violations)
    assert page.requests.outside(server.origin) == []
    # With its inline helpers blocked, the theme's bundle misses __md_get; nothing else may fail.
    assert [e for e in page.js_errors if "__md_" not in e] == []


@pytest.mark.parametrize("lang", ["", "en/"])
def test_the_checker_page_adds_no_inline_script_or_handler(site_dir, lang):
    import re
    checker = (site_dir / lang / "checker" / "index.html").read_text(encoding="utf-8")
    other = (site_dir / lang / "notice" / "index.html").read_text(encoding="utf-8")
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>")
    assert len(inline.findall(checker)) == len(inline.findall(other))
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", checker)
    for js in (ROOT / "webapp" / "checker").glob("*.js"):
        text = js.read_text(encoding="utf-8")
        assert not re.search(r"\beval\(|new Function|innerHTML|insertAdjacentHTML|document\.write", text), js.name


def test_the_checker_modules_are_served_under_their_content_hash_and_import_only_hashed_names(site_dir):
    import hashlib
    import re
    page = (site_dir / "checker" / "index.html").read_text(encoding="utf-8")
    entry = re.search(r'<script type="module" src="[^"]*assets/checker/(checker\.[0-9a-f]{12}\.js)"', page).group(1)
    seen, todo = set(), [entry]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        data = (site_dir / "assets" / "checker" / name).read_bytes()
        assert hashlib.sha256(data).hexdigest()[:12] == name.split(".")[-2], name
        imports = re.findall(r"""\b(?:from|import)\s*["'](\./[^"']+)["']""", data.decode("utf-8"))
        assert all(re.fullmatch(r"\./[a-z-]+\.[0-9a-f]{12}\.js", spec) for spec in imports), (name, imports)
        todo += [spec[2:] for spec in imports]
    # Every module of webapp/checker/, and the QR encoder vendored from npm.
    sources = {p.stem for p in (ROOT / "webapp" / "checker").glob("*.js")} | {"qrcode"}
    assert {name.split(".")[0] for name in seen} == sources
