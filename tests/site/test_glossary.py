"""The English uses the glossary's term wherever the Chinese uses the Chinese term: in the guide, the
rules' texts, the engine's messages and the interface strings (checker_py/strings.py)."""

import re
from html import unescape

from sitegen.errors import join_path


def _texts(node, path=""):
    """Every bilingual text of a page, with its field path."""
    if isinstance(node, dict):
        if isinstance(node.get("zh"), str) and isinstance(node.get("en"), str):
            yield path, node
        for key, value in node.items():
            if key not in ("zh", "en"):
                yield from _texts(value, join_path(path, key))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _texts(item, join_path(path, i))


def glossary_violations(guide):
    """(page, path, zh term, en term) for each text whose English lacks a required term or uses an avoided one."""
    pages = dict(guide["pages"], edition=guide["meta"])
    return [(page_id, path, zh, en) for page_id, page in pages.items()
            for (page_id, path), zh, en in term_violations((((page_id, path), text) for path, text in _texts(page)),
                                                            guide["glossary"])]


def test_the_english_uses_the_glossary_terms_everywhere(guide):
    violations = glossary_violations(guide)
    assert not violations, "\n".join(f"{p}: {path}: {zh} -> must say '{en}'" for p, path, zh, en in violations[:20])


def test_the_glossary_check_finds_a_wrong_term(guide):
    import copy

    broken = copy.deepcopy(guide)
    block = broken["pages"]["major"]["sections"][-1]["blocks"][0]
    assert "事前资助" in block["zh"]
    block["en"] = block["en"].replace("pre-funding", "advance funding")
    assert ("major", "sections[3].blocks[0]", "事前资助", "pre-funding") in glossary_violations(broken)


def test_every_glossary_term_is_used_by_the_guide_the_rules_or_the_interface(guide):
    from engine_cases import compiled_rules

    pages = list(guide["pages"].values()) + [guide["meta"]]
    texts = [text for page in pages for _, text in _texts(page)]
    texts += [text for _, text in _rule_pairs(compiled_rules())] + [text for _, text in _interface_pairs()]
    everything = "".join(text["zh"] for text in texts)
    unused = [t["zh"] for t in guide["glossary"] if t["zh"] not in everything]
    assert not unused, f"glossary terms used nowhere: {unused}"


def test_the_glossary_page_lists_every_term(site_dir, guide):
    for lang in ("", "en/"):
        html = unescape((site_dir / lang / "glossary" / "index.html").read_text(encoding="utf-8"))
        for term in guide["glossary"]:
            assert term["zh"] in html and term["en"] in html


def _rule_pairs(compiled):
    """(where, {zh, en}) of every text the rules show a reader, labels formatted with the parameters."""
    for field in compiled["fields"]:
        for item in [field] + field.get("item_fields", []):
            yield f"fields.{item['path']}.label", item["label"]
            if "help" in item:
                yield f"fields.{item['path']}.help", item["help"]
            for option in item.get("options", []):
                yield f"fields.{item['path']}.{option['value']}", option["label"]
    for pid, programme in compiled["programmes"].items():
        for item in programme["checklist"]:
            yield f"{pid}.{item['rule']}.label", item["label"]
        for rule in programme["rules"]:
            for key in ("fail", "review", "not_applicable", "reading"):
                if key in rule and "zh" in rule[key]:
                    yield f"{pid}.{rule['id']}.{key}", rule[key]
        for item in programme["unmodelled"]:
            yield f"{pid}.unmodelled.{item['clause']}", item["label"]
            yield f"{pid}.unmodelled.{item['clause']}.reason", item["reason"]


def _message_pairs():
    """(where, {zh, en}) of every message the engine gives for the engine's cases."""
    from checker_py import evaluate
    from engine_cases import CASES, profile_of

    for _, case in CASES:
        zh, en = (evaluate(profile_of(case), case["programme"], lang)["results"][case["programme"]] for lang in ("zh", "en"))
        for a, b in zip(zh["rules"] + zh["notes"], en["rules"] + en["notes"]):
            yield f"{case['name']} {a['id']}", {"zh": a["message"], "en": b["message"]}


def _interface_pairs():
    """(where, {zh, en}) of every interface string: the site's and the engine's table, the spreadsheets' words
    (a plural text with all its forms)."""
    from checker_py.strings import CHECKER, ENGINE, SHEETS, UI

    def flat(value):
        return " / ".join(value[form] for form in ("one", "other")) if isinstance(value, dict) else value

    tables = {"ENGINE": ENGINE, "UI": UI, "CHECKER": CHECKER, "SHEETS": SHEETS}
    for name, table in tables.items():
        for key, text in table.items():
            if "zh" not in text:  # a table of texts (the sheets' clause names)
                yield from ((f"{name}.{key}.{inner}", sub) for inner, sub in text.items())
            else:
                yield f"{name}.{key}", {"zh": flat(text["zh"]), "en": flat(text["en"])}


def term_violations(pairs, glossary):
    """(where, zh term, en term) for each pair whose English lacks the glossary's term (a gloss: only where it
    explains it) or uses a form the term lists under `avoid`."""
    found = []
    for where, text in pairs:
        for term in glossary:
            zh = text["zh"]
            for context in term.get("except") or []:
                zh = zh.replace(context, "")
            if term["zh"] in zh and not term.get("gloss") and term["en"].lower() not in text["en"].lower():
                found.append((where, term["zh"], term["en"]))
            for form in term.get("avoid") or []:
                if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text["en"]):
                    found.append((where, term["zh"], term["en"]))
    return found


def test_the_rules_labels_and_messages_use_the_glossary_terms(guide):
    from engine_cases import compiled_rules

    pairs = list(_rule_pairs(compiled_rules())) + list(_message_pairs())
    violations = term_violations(pairs, guide["glossary"])
    assert not violations, "\n".join(f"{w}: {zh} -> must say '{en}'" for w, zh, en in sorted(set(violations))[:40])


def test_the_interface_strings_use_the_glossary_terms(guide):
    violations = term_violations(_interface_pairs(), guide["glossary"])
    assert not violations, "\n".join(f"{w}: {zh} -> must say '{en}'" for w, zh, en in sorted(set(violations))[:40])


def test_the_glossary_check_finds_a_drifted_interface_string(guide):
    pairs = [("UI.example", {"zh": "申请资助额（万元）", "en": "Requested amount (万元, 10,000 CNY)"})]
    assert set(term_violations(pairs, guide["glossary"])) == {
        ("UI.example", "申请资助额", "requested funding"), ("UI.example", "万元", "万元 = CNY 10,000")}
