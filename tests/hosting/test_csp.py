"""Every page carries a Content-Security-Policy that hashes its own inline scripts, and works under it."""

import base64
import hashlib
import re

import pytest

from hostsupport import poll, violations, watch_policy
from sitehtml import html_pages
from sitegen import csp

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def sha(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def directives(policy):
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def all_pages(site_dir):
    """Every HTML file of the built site, 404 included."""
    return sorted(site_dir.rglob("*.html"))


def test_the_policy_is_placed_before_the_first_script_and_hashes_only_runnable_inline_scripts():
    html = (
        '<html><head><meta charset="utf-8"><title>t</title><script>a=1</script>'
        '<script src="x.js"></script><script type="application/json">{"b": 2}</script>'
        '<script type="module">import "./y.js"</script></head><body><script>a=1</script></body></html>'
    )
    out = csp.with_csp(html)
    assert out.index("Content-Security-Policy") < out.index("<script")
    assert out.index("<meta charset") < out.index("Content-Security-Policy")
    script_src = directives(META.search(out).group(1))["script-src"]
    assert script_src == ["'self'", "'wasm-unsafe-eval'", sha("a=1"), sha('import "./y.js"')]
    assert out.replace("\n" + META.search(out).group(0), "") == html


def test_a_page_without_inline_scripts_gets_the_base_policy_and_a_second_pass_is_refused():
    out = csp.with_csp("<html><head><title>t</title></head><body><script src=a.js></script></body></html>")
    assert directives(META.search(out).group(1))["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    with pytest.raises(ValueError):
        csp.with_csp(out)


def test_every_built_page_has_one_policy_before_any_script_with_exactly_its_inline_scripts_hashed(site_dir):
    counts = {}
    for path in all_pages(site_dir):
        html = path.read_text(encoding="utf-8")
        rel = path.relative_to(site_dir).as_posix()
        metas = META.findall(html)
        assert len(metas) == 1, rel
        head = html[: html.index("</head>")]
        assert head.index("Content-Security-Policy") < head.find("<script"), rel
        policy = directives(metas[0])
        inline = [m.group(2) for m in re.finditer(r"<script(\s[^>]*)?>(.*?)</script>", html, re.S)
                  if not (m.group(1) and ("src=" in m.group(1) or "application/json" in m.group(1)))]
        assert inline, rel
        hashes = policy["script-src"][2:]
        assert sorted(hashes) == sorted({sha(text) for text in inline}), rel
        assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
        assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
        counts[rel] = len(hashes)
    # Material's per-page __md_scope script makes the hashes differ between pages of different depth.
    assert len({META.search((site_dir / p).read_text(encoding="utf-8")).group(1) for p in counts}) > 1
    print(f"\nCSP: {len(counts)} pages, hashes per page {sorted(set(counts.values()))}")


def test_every_page_of_both_languages_runs_under_the_policy_without_a_violation(page, server, site_dir):
    watch_policy(page)
    seen = 0
    for prefix, lang in (("", "zh"), ("en/", "en")):
        for rel in sorted(html_pages(site_dir, lang)):
            if rel == "checker/":
                continue  # below, with the engine
            assert page.goto(server.url + prefix + rel).status == 200
            # Material's bundle ran (it builds the search box) and nothing was refused.
            page.wait_for_selector("[data-md-component=search-query]", state="attached")
            assert violations(page) == [], prefix + rel
            seen += 1
    assert page.problems == []
    assert seen > 20


@pytest.mark.parametrize("prefix,lang", [("", "zh"), ("en/", "en")])
def test_the_checker_loads_pyodide_and_evaluates_under_the_policy(page, server, prefix, lang):
    watch_policy(page)
    page.goto(server.url + prefix + "checker/")
    poll(page, "Boolean(window.checker)")
    page.evaluate("window.checker.ready")
    result = page.evaluate("l => window.checker.evaluate({}, {programme: 'major', lang: l})", lang)
    assert result["results"]["major"]["verdict"] == "incomplete"
    page.wait_for_selector(".ck-programme[data-verdict]", timeout=10000)
    assert violations(page) == []
    assert page.problems == []


def test_the_policy_is_enforced_an_injected_inline_script_is_refused(page, server):
    watch_policy(page)
    page.goto(server.url)
    ran = page.evaluate("""() => new Promise((resolve) => {
        window.__ran = false;
        const s = document.createElement("script");
        s.textContent = "window.__ran = true";
        document.head.append(s);
        setTimeout(() => resolve(window.__ran), 200);
    })""")
    assert ran is False
    assert any("script-src" in v for v in violations(page))
