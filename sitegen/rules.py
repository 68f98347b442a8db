"""Compile rules/<edition>/ into the data the engine and the site read; see rules/README.md.

One validator: the files' shapes are checked by sitegen/schema.py (an unknown key lists the
allowed ones), conditions by the engine's own grammar (through checker_py.authoring).
"""

import datetime
import json
import pathlib
import re

from checker_py.authoring import (compile_condition, from_data, funding_forms, funding_label, money_range,
                                  param_text, reads, rule_label, steps_for)

from . import inputs
from . import schema as s
from .errors import BuildError, join_path
from checker_py.strings import ENGINE
from .yamlio import load_yaml

COMMON_FILE, PARAMETERS_FILE = "common.yaml", "parameters.yaml"
FIELD_TYPES = ("bool", "enum", "date", "number", "int", "list")
FIELD_GROUPS = ("unit", "leader", "project", "achievements", "restrictions")
PARAM_TYPES = ("date", "money", "money_range", "percent", "count", "options")
# The types whose value the guide writes out, and so must be written in the parameter's quote.
STATED_TYPES = ("date", "money", "money_range", "percent", "count")
FACT_KEYS = ("applicants", "leader_title_degree", "leader_age", "high_tech",
             "min_total_investment", "self_funding_ratio", "funding_range", "funding_form")
UNIT_KINDS = ("enterprise", "institution")
_CLAUSE = re.compile(r"^([a-z0-9_]+)#([a-z0-9-]+)$")
_RULE_ID = re.compile(r"^[a-z0-9_]+$")


def _one_of(*allowed):
    def check(value, file, path):
        if value not in allowed:
            raise BuildError(file, path, f"expected one of {', '.join(map(str, allowed))}, got {value!r}")
        return value
    return check


def _anything(value, file, path):
    return value


def _bilingual_en_required(value, file, path):
    return s.check(value, {"zh": s.optional(s.text_str), "en": s.text_str}, file, path)


def _clause_check(clauses):
    def check(value, file, path):
        s.text_str(value, file, path)
        match = _CLAUSE.match(value)
        if not match:
            raise BuildError(file, path, f"expected 'page#anchor', got {value!r}")
        page, anchor = match.groups()
        if page not in clauses:
            raise BuildError(file, path, f"clause {value!r}: no page {page!r} in the guide")
        if anchor not in clauses[page]:
            raise BuildError(file, path, f"clause {value!r}: no anchor {anchor!r} on page {page!r}")
        return value
    return check


def _rule_id(value, file, path):
    s.text_str(value, file, path)
    if not _RULE_ID.match(value):
        raise BuildError(file, path, f"rule ids match [a-z0-9_]+, got {value!r}")
    return value


def _schemas(clause):
    """The shapes of the rules files, for sitegen/schema.check."""
    option = {"value": s.text_str, "label": s.BILINGUAL, "off_scale": s.optional(_one_of(True))}
    item_field = {"path": s.text_str, "type": _one_of(*FIELD_TYPES), "group": _one_of(*FIELD_GROUPS),
                  "label": s.BILINGUAL, "help": s.optional(s.BILINGUAL), "options": s.optional([option]),
                  "ordered": s.optional(_one_of(True)),
                  "unit": s.optional(_one_of("万元"))}
    field = {**item_field, "item_fields": s.optional([item_field]), "max_items": s.optional(s.integer),
             "terms": s.optional([s.text_str]),
             "ask_when": s.optional({"field": s.text_str, "in": [s.text_str]}),
             "applicant_choice": s.optional(_one_of(True))}
    rule = {
        "id": _rule_id, "clause": clause, "label": s.BILINGUAL, "fail": s.BILINGUAL, "condition": _anything,
        "quote": s.optional(s.text_str), "reading": s.optional(_bilingual_en_required),
        "kind": s.optional(_one_of("condition", "priority")), "fact": s.optional(_one_of(*FACT_KEYS)),
        "on_fail": s.optional(_one_of("fail", "review")), "when": s.optional(_anything),
        "not_applicable": s.optional(s.BILINGUAL), "review_when": s.optional(_anything),
        "review": s.optional(s.BILINGUAL), "programmes": s.optional([s.ident]),
    }
    unmodelled = {"clause": clause, "label": s.BILINGUAL, "reason": s.BILINGUAL}
    param = {"type": _one_of(*PARAM_TYPES), "value": _anything, "clause": clause,
             "field": s.optional(s.text_str), "text": s.optional(s.BILINGUAL),
             "description": s.BILINGUAL, "quote": s.optional(s.text_str)}
    next_step = {"id": s.ident, "clause": clause, "text": s.BILINGUAL, "who": s.BILINGUAL,
                 "when": s.optional(_anything), "unless": s.optional(_anything), "programmes": s.optional([s.ident])}
    common = {"edition": _edition_year, "forms": _anything, "fields": [field], "rules": [rule],
              "conditions": s.optional(_anything),
              "unmodelled": s.optional([unmodelled]), "next_steps": [next_step]}
    funding = {"range": s.text_str, "clause": clause, "quote": s.optional(s.text_str),
               "form": {kind: s.text_str for kind in UNIT_KINDS}}
    programme = {"programme": s.ident, "order": s.integer, "title": s.BILINGUAL, "funding": funding,
                 "rules": [rule], "unmodelled": s.optional([unmodelled])}
    return common, programme, param


def _edition_year(value, file, path):
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}", value):
        raise BuildError(file, path, "expected a quoted year, e.g. \"2022\"")
    return value


class _Context:
    """What conditions are checked against, and the file they are in (for errors)."""

    def __init__(self, file, fields, params, forms, conditions=None):
        self.file, self.fields, self.params, self.forms = file, fields, params, forms
        self.conditions = conditions or {}  # name -> a named condition of common.yaml, for `use`

    def error(self, path, message):
        """Raise the build's error for this file at `path`."""
        raise BuildError(self.file, path, message)


def _check_param(ctx, name, param, path):
    """A parameter's value suits its type."""
    kind, value = param["type"], param["value"]
    good = {
        "date": lambda v: isinstance(v, str) and len(v) == 10 and _iso(v),
        "money": lambda v: _number(v) and v > 0,
        "money_range": lambda v: isinstance(v, dict) and set(v) == {"min", "max"} and all(map(_number, v.values()))
        and 0 < v["min"] <= v["max"],
        "percent": lambda v: _number(v) and 0 < v <= 100,
        "count": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
        "options": lambda v: isinstance(v, list) and v and all(isinstance(x, str) for x in v),
    }[kind]
    if not good(value):
        ctx.error(join_path(path, "value"), f"not a valid {kind} value: {value!r}")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        ctx.error(path, "parameter names match [a-z][a-z0-9_]*")


def _options_text(ctx, name, param):
    """An options parameter's words, from its `text` and the labels of its field's options: {lowest} is
    the lowest admitted step of an ordered scale (the value runs from one end of the scale), {options}
    the admitted options themselves. So changing the value changes every text that shows it."""
    for key in ("field", "text"):
        if key not in param:
            ctx.error(join_path(name, key), "missing (an options parameter names its field and its words)")
    field = ctx.fields.get(param["field"])
    if field is None or field["type"] != "enum":
        ctx.error(join_path(name, "field"), f"unknown enum field {param['field']!r}")
    labels = {o["value"]: o["label"] for o in field["options"]}
    for value in param["value"]:
        if value not in labels:
            ctx.error(join_path(name, "value"), f"{value!r} is not an option of {param['field']}")
    scale = [o["value"] for o in field["options"] if not o.get("off_scale")]
    admitted = [v for v in scale if v in param["value"]]
    lowest = None
    if field.get("ordered") and admitted and scale.index(admitted[-1]) - scale.index(admitted[0]) == len(admitted) - 1:
        if admitted[0] == scale[0]:
            lowest = admitted[-1]  # the scale runs from the best (A, B, …)
        elif admitted[-1] == scale[-1]:
            lowest = admitted[0]  # the scale runs up to the best (…, associate-senior, senior)
    text = {}
    for lang, template in param["text"].items():
        if "{lowest}" in template and lowest is None:
            ctx.error(join_path(join_path(name, "text"), lang),
                      "{lowest} needs a value running from one end of an ordered scale")
        words = {"zh": "或", "en": " or "}[lang]
        try:
            text[lang] = template.format(lowest=labels[lowest][lang] if lowest else "",
                                         options=words.join(labels[v][lang] for v in param["value"]))
        except (KeyError, IndexError, ValueError) as exc:
            ctx.error(join_path(join_path(name, "text"), lang), f"unknown placeholder {exc} (use {{lowest}} or {{options}})")
    return text


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _iso(text):
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _field_index(ctx, fields):
    """Every field by path, list items as `list[].name`; a duplicate, a broken ask_when, or other than one
    applicant's choice is refused."""
    index = {}
    for i, field in enumerate(fields):
        if field["type"] == "enum" and not field.get("options"):
            ctx.error(join_path(join_path("fields", i), "options"), "missing (enum fields need options)")
        for key in ("item_fields", "max_items"):
            if (field["type"] == "list") != (key in field):
                ctx.error(join_path(join_path("fields", i), key), f"list fields, and only they, have {key}")
        if field.get("max_items", 1) < 1:
            ctx.error(join_path(join_path("fields", i), "max_items"), "expected at least 1")
        names = [(field["path"], field)] + [(f"{field['path']}[].{f['path']}", f) for f in field.get("item_fields", [])]
        for name, definition in names:
            if name in index:
                ctx.error(join_path(join_path("fields", i), "path"), f"duplicate field {name!r}")
            index[name] = definition
    choices = [i for i, field in enumerate(fields) if field.get("applicant_choice")]
    if len(choices) != 1 or fields[choices[0]]["type"] != "number":
        where = join_path(join_path("fields", choices[1] if len(choices) > 1 else 0), "applicant_choice")
        ctx.error(where, "exactly one number field (the request) is the applicant's choice")
    for i, field in enumerate(fields):
        when = field.get("ask_when")
        target = index.get(when["field"]) if when else None
        path = join_path(join_path("fields", i), "ask_when")
        if when and (target is None or target["type"] != "enum"):
            ctx.error(join_path(path, "field"), f"unknown enum field {when['field']!r}")
        for j, value in enumerate(when["in"] if when else ()):
            if value not in [o["value"] for o in target["options"]]:
                ctx.error(join_path(join_path(path, "in"), j), f"{value!r} is not an option of {when['field']}")
    return index


def _check_terms(ctx, fields, glossary):
    """A field's glossary terms are defined in the glossary and used by its label, in both languages."""
    for i, field in enumerate(fields):
        for j, term_id in enumerate(field.get("terms", ())):
            path = join_path(join_path(join_path("fields", i), "terms"), j)
            term = glossary.get(term_id)
            if term is None:
                ctx.error(path, f"glossary term {term_id!r} is not defined in the edition's glossary.yaml")
            if term["zh"] not in field["label"]["zh"] or term["en"].lower() not in field["label"]["en"].lower():
                ctx.error(path, f"the label does not use glossary term {term_id!r} ({term['zh']} / {term['en']})")


def _compile_rule(ctx, raw, path):
    """A rule with its conditions compiled and its texts' placeholders checked."""
    rule = {**raw, "kind": raw.get("kind", "condition"), "on_fail": raw.get("on_fail", "fail")}
    for key in ("condition", "when", "review_when"):
        if key in raw:
            rule[key] = compile_condition(raw[key], ctx, join_path(path, key))
    if "when" in raw and "not_applicable" not in raw:
        ctx.error(join_path(path, "not_applicable"), "missing (a rule with `when` says why it may not apply)")
    for key, extra in (("label", ()), ("fail", ("value", "percent", "advice")), ("review", ()), ("not_applicable", ())):
        for lang, text in raw.get(key, {}).items():
            for name in re.findall(r"\{([^{}:!]*)", text):
                if name not in ctx.params and name not in extra:
                    ctx.error(join_path(join_path(path, key), lang), f"unknown placeholder {{{name}}}")
    rule["fields"] = sorted({p for key in ("condition", "when", "review_when") if key in rule for p in reads(rule[key])})
    return rule


def _compile_step(ctx, raw, path, programmes):
    """A next step with its conditions compiled, its programmes known and its text's one placeholder."""
    step = dict(raw)
    for key in ("when", "unless"):
        if key in raw:
            step[key] = compile_condition(raw[key], ctx, join_path(path, key))
    for j, pid in enumerate(raw.get("programmes", ())):
        if pid not in programmes:
            ctx.error(join_path(join_path(path, "programmes"), j), f"unknown programme {pid!r}")
    for lang, text in raw["text"].items():
        for name in re.findall(r"\{([^{}:!]*)", text):
            if name != "programme":
                ctx.error(join_path(join_path(path, "text"), lang), f"unknown placeholder {{{name}}} (only {{programme}})")
    return step


def _squeezed(text):
    """Text as compared with the guide's: without whitespace (the guide spaces numbers unevenly and its
    PDF lines break anywhere) and with one kind of dash."""
    return re.sub(r"\s+", "", text).replace("–", "-").replace("—", "-")


def _check_stated(ctx, name, param):
    """A parameter's value is written in its own quote, as the guide writes it (1962 年 1 月 1 日,
    3000 万元, 200-1000 万元, 80%, 3), so that the value cannot change without the quote."""
    if param["type"] not in STATED_TYPES:
        return
    written = param_text(param, "zh")
    if "quote" not in param:
        ctx.error(join_path(name, "quote"), f"missing: the clause's words stating {written} (verbatim from source.txt)")
    value = _squeezed(written)
    if not re.search(r"(?<![0-9.])" + re.escape(value) + r"(?![0-9.])", _squeezed(param["quote"])):
        ctx.error(join_path(name, "quote"), f"does not state the value {written} (value: {json.dumps(param['value'], ensure_ascii=False)}); "
                                            f"quote: {param['quote']}: change the value and its quote together")


def _check_quotes(ctx, quotes, source):
    """Each (path, quote) is the edition's source.txt verbatim, whitespace aside."""
    if source is None:
        return
    text, shown_as = source
    whole = _squeezed(text)
    for path, quote in quotes:
        if _squeezed(quote) not in whole:
            ctx.error(path, f"not in {shown_as}: {quote}")


def compile_rules(rules_dir, clauses, glossary=None, source=None):
    """Load, validate and compile one edition's rules; BuildError names the file and field path.

    `source` is (the edition's source.txt as text, its name in messages): every quote must be in it.
    Returns the site's view (checklists, comparison facts, field annotations) with the engine's
    data inside; `engine_data()` takes out what the wheel carries.
    """
    rules_dir = pathlib.Path(rules_dir)
    common_schema, programme_schema, param_schema = _schemas(_clause_check(clauses))
    # Messages name files from the repository (rules/2022/major.yaml); no link below it is followed.
    repo = rules_dir.absolute().parent.parent
    show = lambda path: inputs.shown(path, repo)  # noqa: E731
    inputs.regular_files(rules_dir, repo)  # no link, pipe or oversized file anywhere in it

    params_file = show(rules_dir / PARAMETERS_FILE)
    raw_params = load_yaml(rules_dir / PARAMETERS_FILE, repo)
    if not isinstance(raw_params, dict) or not raw_params:
        raise BuildError(params_file, "", "expected a mapping of parameters")
    params = {name: s.check(p, param_schema, params_file, name) for name, p in raw_params.items()}
    params_ctx = _Context(params_file, {}, {}, {})
    for name, param in params.items():
        _check_param(params_ctx, name, param, name)
        _check_stated(params_ctx, name, param)
    _check_quotes(params_ctx, [(join_path(name, "quote"), p["quote"]) for name, p in params.items() if "quote" in p], source)

    common_file = show(rules_dir / COMMON_FILE)
    common = s.check(load_yaml(rules_dir / COMMON_FILE, repo), common_schema, common_file)
    forms = {name: s.check(text, s.BILINGUAL, common_file, join_path("forms", name)) for name, text in common["forms"].items()}
    ctx = _Context(common_file, None, params, forms)
    ctx.fields = _field_index(ctx, common["fields"])
    for name, param in params.items():
        if param["type"] == "options":
            param["text"] = _options_text(_Context(params_file, ctx.fields, {}, {}), name, param)
    if glossary is not None:
        _check_terms(ctx, common["fields"], {t["id"]: t for t in glossary})
    for name, block in (common.get("conditions") or {}).items():
        compile_condition(block, ctx, join_path("conditions", name))  # checked where it is written
        ctx.conditions[name] = block  # a later one may use an earlier one, so there is no cycle
    common_rules = [_compile_rule(ctx, r, join_path("rules", i)) for i, r in enumerate(common["rules"])]
    _check_quotes(ctx, [(join_path(join_path("rules", i), "quote"), r["quote"]) for i, r in enumerate(common["rules"]) if "quote" in r], source)

    programmes, seen = {}, {r["id"]: COMMON_FILE for r in common_rules}
    for path in sorted(p for p in rules_dir.glob("*.yaml") if p.name not in (COMMON_FILE, PARAMETERS_FILE)):
        pctx = _Context(show(path), ctx.fields, params, forms, ctx.conditions)
        raw = s.check(load_yaml(path, repo), programme_schema, pctx.file)
        if raw["programme"] != path.stem:
            pctx.error("programme", f"expected {path.stem!r} (the file name), got {raw['programme']!r}")
        if not raw["rules"]:
            pctx.error("rules", "a programme needs at least one rule")
        own = []
        for i, r in enumerate(raw["rules"]):
            if r["id"] in seen:
                pctx.error(join_path(join_path("rules", i), "id"), f"duplicate rule id (also in {seen[r['id']]})")
            seen[r["id"]] = path.name
            if "programmes" in r:
                pctx.error(join_path(join_path("rules", i), "programmes"), "unknown key (only common rules name their programmes)")
            own.append(_compile_rule(pctx, r, join_path("rules", i)))
        quotes = [(join_path(join_path("rules", i), "quote"), r["quote"]) for i, r in enumerate(raw["rules"]) if "quote" in r]
        _check_quotes(pctx, quotes + ([("funding.quote", raw["funding"]["quote"])] if "quote" in raw["funding"] else []), source)
        programmes[path.stem] = {"raw": raw, "rules": own, "ctx": pctx}

    for page in sorted(clauses):
        if page != "notice" and page not in programmes:
            raise BuildError(show(rules_dir / f"{page}.yaml"), "",
                             f"file not found: the guide has programme {page!r}, which needs its rules here")
    if not programmes:
        raise BuildError(show(rules_dir), "", "no programme files")
    for i, rule in enumerate(common_rules):
        for j, pid in enumerate(rule.get("programmes", ())):
            if pid not in programmes:
                ctx.error(join_path(join_path(join_path("rules", i), "programmes"), j), f"unknown programme {pid!r}")

    next_steps = [_compile_step(ctx, step, join_path("next_steps", i), programmes) for i, step in enumerate(common["next_steps"])]
    order = sorted(programmes, key=lambda p: (programmes[p]["raw"]["order"], p))
    engine = {
        "next_steps": next_steps,
        "edition": common["edition"], "params": params, "forms": forms, "strings": ENGINE,
        "fields": common["fields"], "programme_order": order,
        "programmes": {pid: _programme(programmes[pid], common_rules, common.get("unmodelled", []), forms)
                       for pid in order},
    }
    return _site_view(engine)


def _programme(compiled, common_rules, common_unmodelled, forms):
    """One programme for the engine: the common rules that apply, then its own."""
    raw, ctx = compiled["raw"], compiled["ctx"]
    funding = raw["funding"]
    span = funding["range"]
    if not span.startswith("$") or span[1:] not in ctx.params or ctx.params[span[1:]]["type"] != "money_range":
        ctx.error("funding.range", f"expected a money_range parameter ($name), got {span!r}")
    for kind, form in funding["form"].items():
        if form not in forms:
            ctx.error(f"funding.form.{kind}", f"unknown funding form {form!r}")
    pid = raw["programme"]
    return {
        "id": pid, "title": raw["title"],
        "funding": {**ctx.params[span[1:]]["value"], "param": span[1:], "clause": funding["clause"],
                    "form": funding["form"], **({"quote": funding["quote"]} if "quote" in funding else {})},
        "rules": [r for r in common_rules if pid in r.get("programmes", [pid])] + compiled["rules"],
        "unmodelled": common_unmodelled + raw.get("unmodelled", []),
    }


def _site_view(engine):
    """The engine's data plus what only the pages use: checklists, comparison facts, annotations."""
    edition = from_data(engine)
    site = {**engine, "programmes": {}}
    for pid, programme in engine["programmes"].items():
        rules = programme["rules"]
        labels = [{lang: rule_label(r, edition, lang) for lang in ("zh", "en")} for r in rules]
        facts = {}
        for rule, text in zip(rules, labels):  # common first: the programme's own rule prevails (VII)
            if "fact" in rule:
                facts[rule["fact"]] = {**text, "clause": rule["clause"]}
        funding = programme["funding"]
        facts["funding_range"] = {lang: money_range(funding["min"], funding["max"], lang) for lang in ("zh", "en")}
        facts["funding_range"]["clause"] = funding["clause"]
        full = {lang: funding_label(programme, edition, lang) for lang in ("zh", "en")}
        facts["funding_form"] = {lang: funding_forms(programme, edition, lang) for lang in ("zh", "en")}
        facts["funding_form"]["clause"] = funding["clause"]
        site["programmes"][pid] = {
            **programme,
            "funding": {**funding, "label": full},
            "checklist": [{"rule": r["id"], "clause": r["clause"], "label": text,
                           "kind": "review" if r["on_fail"] == "review" else r["kind"]} for r, text in zip(rules, labels)],
            "facts": {key: facts.get(key, {**ENGINE["fact_not_required"], "clause": None}) for key in FACT_KEYS},
        }
    # The procedure page's steps: those of no applicant in particular (an empty profile, no programme).
    site["procedure_steps"] = [{"id": step["id"], "clause": step["clause"], "who": step["who"],
                                "text": {lang: step["text"][lang].format(programme=ENGINE["the_programme"][lang]) for lang in ("zh", "en")}}
                               for step in steps_for(edition, {})]
    site["params_text"] = {name: {lang: param_text(p, lang) for lang in ("zh", "en")} for name, p in engine["params"].items()}
    site["checked_clauses"] = sorted({r["clause"] for p in engine["programmes"].values() for r in p["rules"]})
    site["fields"] = _annotate(engine["fields"], list(engine["programmes"].values()))
    return site


def _annotate(fields, programmes):
    """Each field with the clauses and programmes whose rules read it (the form shows them)."""
    out = []
    for field in fields:
        names = {field["path"]} | {f"{field['path']}[].{f['path']}" for f in field.get("item_fields", [])}
        readers = [(p["id"], r) for p in programmes for r in p["rules"] if names & set(r["fields"])]
        annotated = {**field, "clauses": list(dict.fromkeys(r["clause"] for _, r in readers)),
                     "programmes": list(dict.fromkeys(pid for pid, _ in readers))}
        if "item_fields" in field:
            annotated["item_fields"] = []
            for item in field["item_fields"]:
                name = f"{field['path']}[].{item['path']}"
                mine = [(pid, r) for pid, r in readers if name in r["fields"]]
                annotated["item_fields"].append({**item, "clauses": list(dict.fromkeys(r["clause"] for _, r in mine)),
                                                 "programmes": list(dict.fromkeys(pid for pid, _ in mine))})
        out.append(annotated)
    return out


# What the wheel carries: the engine needs no checklist, fact, annotation, quote or reading.
_SITE_ONLY_RULE_KEYS = ("quote", "reading", "fact", "fields", "programmes")
_SITE_ONLY_FIELD_KEYS = ("clauses", "programmes", "terms")


def engine_data(compiled):
    """The part of the compiled rules the engine reads (checker_py/_data/rules.json)."""
    def field(f):
        out = {k: v for k, v in f.items() if k not in _SITE_ONLY_FIELD_KEYS}
        if "item_fields" in f:
            out["item_fields"] = [field(item) for item in f["item_fields"]]
        return out

    programmes = {}
    for pid, p in compiled["programmes"].items():
        funding = {k: v for k, v in p["funding"].items() if k not in ("label", "quote")}
        rules = [{k: v for k, v in r.items() if k not in _SITE_ONLY_RULE_KEYS} for r in p["rules"]]
        programmes[pid] = {"id": pid, "title": p["title"], "funding": funding, "rules": rules, "unmodelled": p["unmodelled"]}
    return {"edition": compiled["edition"], "params": compiled["params"], "forms": compiled["forms"],
            "next_steps": compiled["next_steps"],
            "strings": compiled["strings"], "fields": [field(f) for f in compiled["fields"]],
            "programme_order": compiled["programme_order"], "programmes": programmes}
