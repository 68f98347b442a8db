"""Hostile and invalid input in the checker page: inert text, errors beside their question, imports refused.

Payloads go into every number and date input of the form (typed, as a person or a script would), into
the page's address (?programme=, #hash), into stored answers, and into imported JSON files: as values
of every kind of field, as object keys (top level, in a group, in an achievement) and in achievements.
Each must stay inert: no dialog opens (page.on("dialog")), the `window.__pwned` canary the payloads
would set stays unset, no element the payloads describe appears, and a rejected import leaves the
answers exactly as they were. One page (one Python runtime) per language.
"""

import json

import pytest

from test_checker import STORAGE_KEY, clear_answers, field, fill, form_fields, open_checker, settle, shown  # noqa: F401

PAYLOADS = [
    "<script>alert(1)</script>",
    "<script>window.__pwned = 1</script>",
    '"><img src=x onerror=alert(1)>',
    '"><img src=x onerror="window.__pwned=1">',
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "javascript:window.__pwned=1",
    "</textarea></select><iframe srcdoc='<script>parent.__pwned=1</script>'>",
    "{{constructor.constructor('window.__pwned=1')()}}",
    "${alert(1)}",
]
# Typed into every input (key by key, so the three of the issue; the others go in through imports).
TYPED = PAYLOADS[0], PAYLOADS[2], PAYLOADS[5]
# Elements or attributes the payloads would create if they were ever parsed as HTML.
INJECTED = """() => {
    const bad = [...document.querySelectorAll("img[src='x'], svg[onload], iframe[srcdoc], script:not([src])")]
        .filter((e) => !(e.tagName === "SCRIPT" && !e.textContent.includes("pwned") && !e.textContent.includes("alert")));
    const handlers = [...document.querySelectorAll("*")].filter((e) =>
        [...e.attributes].some((a) => a.name.startsWith("on") || /^\\s*javascript:/i.test(a.value)));
    return bad.concat(handlers).map((e) => e.outerHTML.slice(0, 120));
}"""
MESSAGES = {"zh": ("无法导入", "当前答案保持不变"), "en": ("Cannot import", "Your current answers are unchanged")}
FIELD_ERRORS = {"zh": ("整数", "数字", "负数"), "en": ("whole number", "number", "negative")}


def snapshot(page):
    """Every control's state: what `answers untouched` means."""
    return page.eval_on_selector_all(
        ".ck-form input, .ck-form select",
        "els => els.map(e => [e.id || e.name, e.type === 'radio' ? e.checked : e.value])")


def assert_inert(page, dialogs):
    assert dialogs == []
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate(INJECTED) == []


def import_bytes(page, name, content):
    page.evaluate("document.querySelector('.ck-message').textContent = ''")
    page.locator("#ck-import-file").set_input_files({"name": name, "mimeType": "application/json", "buffer": content})
    page.wait_for_selector(".ck-message.ck-bad")
    return page.locator(".ck-message").inner_text()


def hostile_files(fields):
    """(name, JSON bytes) of imports that must be refused: payloads as values, keys and achievements."""
    files = []
    groups = sorted({f["path"].split(".")[0] for f in fields if "." in f["path"]})
    for i, payload in enumerate(PAYLOADS):
        files.append((f"root-key-{i}.json", {payload: True}))
        files.append((f"group-key-{i}.json", {groups[i % len(groups)]: {payload: 1}}))
        files.append((f"achievement-key-{i}.json", {"project": {"achievements": [{payload: "x"}]}}))
        files.append((f"achievement-value-{i}.json", {"project": {"achievements": [{"kind": payload}]}}))
        files.append((f"achievement-date-{i}.json", {"project": {"achievements": [{"date": payload}]}}))
        files.append((f"root-string-{i}.json", payload))
    for f in fields:  # every field, every kind, gets a payload as its value
        if f["type"] == "list":
            continue
        group, _, name = f["path"].rpartition(".")
        value = PAYLOADS[len(files) % len(PAYLOADS)]
        files.append((f"value-{f['path']}.json", {group: {name: value}} if group else {name: value}))
    files.append(("proto.json", json.loads('{"__proto__": {"polluted": 1}, "unit": {"constructor": {"prototype": 1}}}')))
    files.append(("list-of-payloads.json", PAYLOADS))
    return [(name, json.dumps(doc, ensure_ascii=False).encode("utf-8")) for name, doc in files] + [
        ("truncated.json", b'{"unit": {"kind": "<img src=x onerror=alert(1)>'),
        ("not-utf8.json", b"\xff\xfe<\x00s\x00>\x00"),
        ("deep.json", b"[" * 5000 + b"]" * 5000),
        ("html.json", b"<html><script>window.__pwned=1</script></html>"),
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_input_is_inert_and_invalid_input_is_reported_beside_its_question(page, server, form_fields, lang):
    prefix = "" if lang == "zh" else "en/"
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    # Stored answers holding payloads (as keys and values) are not trusted: the page starts afresh.
    page.add_init_script(f"""if (!sessionStorage.getItem("seeded")) {{
        sessionStorage.setItem("seeded", "1");
        localStorage.setItem({STORAGE_KEY!r}, JSON.stringify({{edition: "2022", programme: {json.dumps(PAYLOADS[3])},
            profile: {{unit: {{{json.dumps(PAYLOADS[2])}: 1, kind: {json.dumps(PAYLOADS[0])}}}}}}}));
    }}""")
    # The address is input too: an unknown programme and a hash payload are ignored.
    open_checker(page, f"{server.url}{prefix}checker/?programme=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"
                       "#%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    assert page.locator("#ck-programme").input_value() == ""
    assert_inert(page, dialogs)

    # Every number and date input, achievements included, gets the payloads typed into it.
    field(page, "project.achievements").locator('input[value="some"]').check()
    page.wait_for_selector(".ck-item")
    inputs = page.locator(".ck-form input.ck-number:visible, .ck-form input.ck-date:visible")
    count = inputs.count()
    assert count >= 6
    typed = 0
    for i in range(count):
        control = inputs.nth(i)
        for payload in TYPED:
            control.click()
            page.keyboard.type(payload)
            typed += 1
        # A script setting the value directly meets the same fate.
        control.evaluate("(el, p) => { el.value = p; el.dispatchEvent(new Event('input', {bubbles: true})); }", PAYLOADS[3])
    page.wait_for_timeout(400)
    assert_inert(page, dialogs)
    assert typed == count * len(TYPED)
    clear_answers(page)

    # Invalid values are reported beside their question, in the page's language, and marked invalid.
    whole, number, negative = FIELD_ERRORS[lang]
    for path, text, word in [("project.subtopics", "1.5", whole), ("project.total_investment", "-3", negative),
                             ("project.self_funding", "1e400", number)]:  # (the request is asked per programme)
        wrap = field(page, path)
        wrap.locator("input").fill(text)
        error = wrap.locator(":scope > .ck-error")
        error.wait_for(state="visible")
        assert word in error.inner_text(), (path, error.inner_text())
        control = wrap.locator("input")
        assert control.get_attribute("aria-invalid") == "true"
        assert error.get_attribute("id") in control.get_attribute("aria-describedby")
        control.fill("")
        error.wait_for(state="hidden")

    # Some answers, then every hostile or malformed import is refused with a message in the page's
    # language, and the answers and the result stay exactly as they were.
    fill(page, {"unit": {"in_karamay": True, "kind": "enterprise"}, "project": {"total_investment": 100}}, form_fields)
    settle(page, "major", "incomplete")
    before, result_before = snapshot(page), shown(page, "major")
    stored_before = page.evaluate(f"localStorage.getItem({STORAGE_KEY!r})")
    files = hostile_files(form_fields)
    if lang == "en":  # every file once is enough; the other language checks the messages on a sample
        files = files[::10]
    for name, content in files:
        message = import_bytes(page, name, content)
        assert all(part in message for part in MESSAGES[lang]), (name, message)
        assert snapshot(page) == before, name
    page.wait_for_timeout(300)
    assert shown(page, "major") == result_before
    assert page.evaluate(f"localStorage.getItem({STORAGE_KEY!r})") == stored_before
    assert page.evaluate("({}).polluted") is None
    # A refused key is quoted back as text, never as markup.
    message = import_bytes(page, "key.json", json.dumps({"unit": {PAYLOADS[2]: 1}}).encode())
    assert PAYLOADS[2] in message
    assert_inert(page, dialogs)
    assert page.js_errors == []
    print(f"\n[{lang}] payloads typed into {count} inputs: {typed}; hostile imports refused: {len(files) + 1}")
