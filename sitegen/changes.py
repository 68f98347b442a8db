"""What changed from one edition to the next, generated from the two editions' guides and rules.

`compare()` is pure: parameters (old value -> new value, with their clause), funding ranges, rules
added, removed or changed, programmes and support directions added or removed, and every clause whose
Chinese changed (as a word-level diff of the official text, with the English). The "what changed"
pages show it, the checker tells a returning applicant the changes that touch their answers, and the
build refuses a published edition whose changed Chinese kept its old English (`untranslated()`).
"""

import difflib
import json
import re

from .guide import clause_labels

LANGS = ("zh", "en")
# A support direction is a sub-section of a programme's `directions` section, or one of its clauses
# numbered as a direction of its own (direction-1, direction-2 ...).
DIRECTIONS = "directions"
_DIRECTION_BLOCK = re.compile(r"^direction-\d+$")
# Fields whose answers a change of a funding range touches.
FUNDING_FIELDS = ("project.requested_funding", "project.total_investment")


def compare(old, new):
    """The changes from edition `old` to edition `new`; each is {"guide", "compiled" (or None)}."""
    old_rules, new_rules = old["compiled"], new["compiled"]
    with_rules = old_rules is not None and new_rules is not None
    return {
        "from": old["guide"]["edition"],
        "to": new["guide"]["edition"],
        "parameters": _parameters(old_rules, new_rules) if with_rules else [],
        "funding": _funding(old_rules, new_rules) if with_rules else [],
        "rules": _rules(old_rules, new_rules) if with_rules else [],
        "programmes": _added_removed(_programmes(old["guide"]), _programmes(new["guide"])),
        "directions": _directions(old["guide"], new["guide"]),
        "clauses": _clauses(old["guide"], new["guide"]),
        # Every programme's title, those of the edition before included (a removed rule names its programmes).
        "titles": {**_programmes(old["guide"]), **_programmes(new["guide"])},
    }


def is_empty(changes):
    """True when the two editions differ in nothing the pages show."""
    return not any(changes[key] for key in ("parameters", "funding", "rules", "programmes", "directions", "clauses"))


def _added_removed(old, new):
    """[{id, status: added | removed, title}] of two {id: title} maps, new ones first, in their order."""
    return ([{"id": key, "status": "added", "title": title} for key, title in new.items() if key not in old]
            + [{"id": key, "status": "removed", "title": title} for key, title in old.items() if key not in new])


# ------------------------------------------------------------------ parameters, funding and rules


def _parameters(old, new):
    """Parameters whose value changed, and those added or removed, with their description and clause."""
    out = []
    for name, param in new["params"].items():
        before = old["params"].get(name)
        if before is None:
            out.append({"name": name, "status": "added", "description": param["description"], "clause": param["clause"],
                        "old": None, "new": new["params_text"][name]})
        elif before["value"] != param["value"]:
            out.append({"name": name, "status": "changed", "description": param["description"], "clause": param["clause"],
                        "old": old["params_text"][name], "new": new["params_text"][name]})
    out += [{"name": name, "status": "removed", "description": param["description"], "old_clause": param["clause"],
             "old": old["params_text"][name], "new": None}
            for name, param in old["params"].items() if name not in new["params"]]
    return out


def _funding(old, new):
    """Programmes (in both editions) whose funding range changed: old and new range, with the clause."""
    out = []
    for pid, programme in new["programmes"].items():
        before = old["programmes"].get(pid)
        if before is None:
            continue
        was, now = before["facts"]["funding_range"], programme["facts"]["funding_range"]
        if (was["zh"], was["en"]) != (now["zh"], now["en"]):
            out.append({"programme": pid, "title": programme["title"], "clause": now["clause"],
                        "old": {lang: was[lang] for lang in LANGS}, "new": {lang: now[lang] for lang in LANGS},
                        "fields": list(FUNDING_FIELDS), "programmes": [pid]})
    return out


def _rule_index(compiled):
    """{rule id: its label, clause, programmes, fields and what decides it} of one edition's rules."""
    index = {}
    for pid, programme in compiled["programmes"].items():
        for rule, item in zip(programme["rules"], programme["checklist"]):
            entry = index.setdefault(rule["id"], {
                "label": item["label"], "clause": rule["clause"], "fields": rule["fields"], "programmes": [],
                # What the rule decides, values included: a moved threshold changes it, a reworded label does not.
                "decides": json.dumps([rule.get(key) for key in ("condition", "when", "review_when", "kind", "on_fail")],
                                      sort_keys=True),
            })
            entry["programmes"].append(pid)
    return index


def _rules(old, new):
    """Rules added, removed or changed (a different requirement or different words), in the new order."""
    before, after = _rule_index(old), _rule_index(new)
    out = []
    for rule_id, rule in after.items():
        was = before.get(rule_id)
        if was is None:
            out.append({"id": rule_id, "status": "added", "clause": rule["clause"], "old": None, "new": rule["label"],
                        "fields": rule["fields"], "programmes": rule["programmes"]})
        elif was["label"] != rule["label"] or was["decides"] != rule["decides"]:
            out.append({"id": rule_id, "status": "changed", "clause": rule["clause"], "old": was["label"], "new": rule["label"],
                        "fields": sorted(set(rule["fields"]) | set(was["fields"])), "programmes": rule["programmes"]})
    out += [{"id": rule_id, "status": "removed", "old_clause": rule["clause"], "old": rule["label"], "new": None,
             "fields": rule["fields"], "programmes": rule["programmes"]}
            for rule_id, rule in before.items() if rule_id not in after]
    return out


def for_applicants(changes):
    """The changes a returning applicant may be told of, each with the fields and programmes it concerns:
    rules added, removed or changed, and funding ranges."""
    keep = ("status", "clause", "old", "new", "fields", "programmes")
    rules = [{key: item[key] for key in keep if key in item} for item in changes["rules"]]
    funding = [{"status": "funding", **{key: item[key] for key in keep if key in item}} for item in changes["funding"]]
    return rules + funding


# ------------------------------------------------------------------ programmes, directions, clauses


def _programmes(guide):
    """{programme id: title} in the guide's order."""
    return {programme["id"]: programme["title"] for programme in guide["programmes"]}


def _direction_titles(page):
    """{id: title} of a programme page's support directions, in the page's order."""
    section = next((s for s in page["sections"] if s["id"] == DIRECTIONS), None)
    found = {}

    def walk(sec):
        for block in sec.get("blocks") or []:
            if _DIRECTION_BLOCK.match(block["id"]):
                found[block["id"]] = {lang: block[lang] for lang in LANGS}
        for sub in sec.get("sections") or []:
            found[sub["id"]] = sub["heading"]
            walk(sub)

    if section:
        walk(section)
    return found


def _directions(old, new):
    """Support directions added or removed, by programme (a programme added or removed counts once, above)."""
    out = []
    for programme in new["programmes"]:
        before = next((p for p in old["programmes"] if p["id"] == programme["id"]), None)
        if before is None:
            continue
        for item in _added_removed(_direction_titles(before), _direction_titles(programme)):
            out.append({**item, "programme": programme["id"], "programme_title": programme["title"]})
    return out


def clause_texts(guide):
    """{page id: {anchor: {zh, en, file, path}}} of every clause and section heading of an edition,
    in the page's order; `file` and `path` say where its English is written."""
    folder = guide["folder"]
    pages = {}
    for page_id, page in guide["pages"].items():
        file = folder / ("notice.yaml" if page_id == "notice" else f"programmes/{page_id}.yaml")
        texts = pages[page_id] = {}

        def walk(sections, path, texts=texts, file=file):
            for i, section in enumerate(sections):
                here = f"{path}sections[{i}]"
                texts[section["id"]] = {**section["heading"], "file": file, "path": f"{here}.heading"}
                for j, block in enumerate(section.get("blocks") or []):
                    texts[block["id"]] = {"zh": block["zh"], "en": block["en"], "file": file, "path": f"{here}.blocks[{j}]"}
                walk(section.get("sections") or [], here + ".")

        walk(page["sections"], "")
    return pages


def _clauses(old, new):
    """By page of the new edition (then pages that are gone): every clause added, removed or whose Chinese
    changed, with a word-level diff and the English; `untranslated` when only the Chinese changed."""
    before, after = clause_texts(old), clause_texts(new)
    old_labels, new_labels = clause_labels(old), clause_labels(new)
    titles = {**{pid: p["title"] for pid, p in old["pages"].items()}, **{pid: p["title"] for pid, p in new["pages"].items()}}
    out = []
    for page_id in [*after, *(pid for pid in before if pid not in after)]:
        was, now = before.get(page_id, {}), after.get(page_id, {})
        items = []
        for anchor, text in now.items():
            ref = f"{page_id}#{anchor}"
            if anchor not in was:
                items.append({"ref": ref, "status": "added", "label": new_labels[ref], "new": _texts(text), "old": None})
            elif was[anchor]["zh"] != text["zh"]:
                items.append({"ref": ref, "status": "changed", "label": new_labels[ref], "new": _texts(text),
                              "old": _texts(was[anchor]), "diff": word_diff(was[anchor]["zh"], text["zh"]),
                              "untranslated": was[anchor]["en"] == text["en"], "file": text["file"], "path": text["path"]})
        items += [{"ref": f"{page_id}#{anchor}", "status": "removed", "label": old_labels[f"{page_id}#{anchor}"],
                   "new": None, "old": _texts(text)} for anchor, text in was.items() if anchor not in now]
        if items:
            out.append({"page": page_id, "title": titles[page_id], "items": items})
    return out


def _texts(text):
    """The two languages of a clause, without where it is written."""
    return {lang: text[lang] for lang in LANGS}


def untranslated(changes):
    """The clauses whose Chinese changed while their English stayed as it was: [(file, path)]."""
    return [(item["file"], item["path"]) for page in changes["clauses"] for item in page["items"] if item.get("untranslated")]


def _words(text):
    """Words of a clause for the diff: Chinese cut by jieba (its default mode), other text by spaces."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return [word for word in jieba.cut(text) if word]


def word_diff(old, new):
    """[(same | old | new, text)]: the words the two texts share, and those only in one of them."""
    a, b = _words(old), _words(new)
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("old", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(("new", "".join(b[j1:j2])))
    return parts
