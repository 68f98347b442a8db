"""Compile rules/<edition>/*.yaml into the one JSON-serialisable dict the engine and the site read."""

import datetime
import pathlib
import re
import string

from .errors import BuildError, join_path
from .yamlio import load_yaml

# Programme files are every *.yaml but this one.
COMMON_FILE = "common.yaml"

# Keys each kind of mapping may hold: required first, then optional.
_COMMON_KEYS = ({"edition", "forms", "messages", "fields", "rules"}, {"unmodelled"})
_PROGRAMME_KEYS = ({"programme", "order", "title", "funding", "rules"}, {"unmodelled"})
_FUNDING_KEYS = ({"min", "max", "unit", "clause", "form"}, {"quote"})
_FIELD_KEYS = ({"path", "type", "group", "label", "help"}, {"options", "item_fields", "terms", "ask_when"})
_OPTION_KEYS = ({"value", "label"}, set())
_RULE_KEYS = ({"id", "clause", "label", "fail", "condition"},
              {"quote", "reading", "kind", "fact", "on_fail", "when", "not_applicable", "programmes"})
_UNMODELLED_KEYS = ({"clause", "label", "reason"}, set())

FIELD_TYPES = ("bool", "enum", "date", "number", "int", "list")
FIELD_GROUPS = ("unit", "leader", "project", "achievements", "restrictions")
RULE_KINDS = ("condition", "priority")
FACT_KEYS = ("applicants", "leader_title_degree", "leader_age", "high_tech",
             "min_total_investment", "self_funding_ratio", "funding_range", "funding_form")
UNIT_KINDS = ("enterprise", "institution")
# Placeholders a label may use (filled here) and a failure message may use (filled by the engine).
LABEL_PLACEHOLDERS = {"threshold", "threshold2", "min", "max"}
FAIL_PLACEHOLDERS = {"value", "threshold", "threshold2", "min", "max", "percent", "advice"}
_ID = re.compile(r"^[a-z0-9_]+$")
_CLAUSE = re.compile(r"^([a-z0-9_]+)#([a-z0-9-]+)$")


class _Ctx:
    """Where we are: the file being compiled, for error messages."""

    def __init__(self, file, glossary=None):
        self.file = file
        self.glossary = glossary

    def error(self, path, message):
        """Raise a BuildError for this file at `path`."""
        raise BuildError(self.file, path, message)


def _mapping(ctx, value, path, keys):
    """Check that `value` is a mapping with exactly the allowed keys, the required ones present."""
    required, optional = keys
    if not isinstance(value, dict):
        ctx.error(path, f"expected a mapping, got {type(value).__name__}")
    for key in value:
        if key not in required and key not in optional:
            ctx.error(join_path(path, str(key)), "unknown key")
    for key in sorted(required):
        if key not in value:
            ctx.error(join_path(path, key), "missing")
    return value


def _text(ctx, value, path, optional_zh=False):
    """A bilingual text {zh, en}; both non-empty strings (zh may be omitted where allowed)."""
    required = {"en"} if optional_zh else {"zh", "en"}
    _mapping(ctx, value, path, (required, {"zh"}))
    for lang in ("zh", "en"):
        if lang in value and (not isinstance(value[lang], str) or not value[lang].strip()):
            ctx.error(join_path(path, lang), "expected a non-empty string")
    return {lang: value[lang] for lang in ("zh", "en") if lang in value}


def _str(ctx, value, path):
    if not isinstance(value, str) or not value:
        ctx.error(path, f"expected a non-empty string, got {type(value).__name__}")
    return value


def _number(ctx, value, path):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        ctx.error(path, f"expected a number, got {type(value).__name__}")
    return value


def _list(ctx, value, path, allow_empty=True):
    if not isinstance(value, list):
        ctx.error(path, f"expected a list, got {type(value).__name__}")
    if not allow_empty and not value:
        ctx.error(path, "expected a non-empty list")
    return value


def _iso_date(ctx, value, path):
    if not isinstance(value, str) or len(value) != 10:
        ctx.error(path, "expected a date YYYY-MM-DD (quoted)")
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        ctx.error(path, f"invalid date {value!r}")
    return value


def _placeholders(ctx, text, path, allowed):
    """Reject `{name}` placeholders the engine cannot fill."""
    for lang, s in text.items():
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(s) if name is not None}
        except ValueError as exc:
            ctx.error(join_path(path, lang), f"bad placeholder: {exc}")
        for name in sorted(names - allowed):
            ctx.error(join_path(path, lang), f"unknown placeholder {{{name}}}")


def _clause(ctx, value, path, clauses):
    """A `page#anchor` reference that exists in the guide."""
    _str(ctx, value, path)
    match = _CLAUSE.match(value)
    if not match:
        ctx.error(path, f"expected 'page#anchor', got {value!r}")
    page, anchor = match.groups()
    if page not in clauses:
        ctx.error(path, f"clause {value!r}: no page {page!r} in the guide")
    if anchor not in clauses[page]:
        ctx.error(path, f"clause {value!r}: no anchor {anchor!r} on page {page!r}")
    return value


# -- fields ---------------------------------------------------------------------------------

def _compile_field(ctx, raw, path, item=False):
    """Validate one profile field definition."""
    _mapping(ctx, raw, path, _FIELD_KEYS)
    field = {"path": _str(ctx, raw["path"], join_path(path, "path"))}
    if raw["type"] not in FIELD_TYPES:
        ctx.error(join_path(path, "type"), f"expected one of {', '.join(FIELD_TYPES)}, got {raw['type']!r}")
    if raw["group"] not in FIELD_GROUPS:
        ctx.error(join_path(path, "group"), f"expected one of {', '.join(FIELD_GROUPS)}, got {raw['group']!r}")
    field["type"], field["group"] = raw["type"], raw["group"]
    field["label"] = _text(ctx, raw["label"], join_path(path, "label"))
    field["help"] = _text(ctx, raw["help"], join_path(path, "help"))
    if field["type"] == "enum":
        if "options" not in raw:
            ctx.error(join_path(path, "options"), "missing (enum fields need options)")
        field["options"] = []
        for i, opt in enumerate(_list(ctx, raw["options"], join_path(path, "options"), allow_empty=False)):
            opath = join_path(join_path(path, "options"), i)
            _mapping(ctx, opt, opath, _OPTION_KEYS)
            field["options"].append({"value": _str(ctx, opt["value"], join_path(opath, "value")),
                                     "label": _text(ctx, opt["label"], join_path(opath, "label"))})
    elif "options" in raw:
        ctx.error(join_path(path, "options"), "only enum fields have options")
    if field["type"] == "list":
        if item:
            ctx.error(join_path(path, "type"), "lists cannot nest")
        if "item_fields" not in raw:
            ctx.error(join_path(path, "item_fields"), "missing (list fields need item_fields)")
        items = _list(ctx, raw["item_fields"], join_path(path, "item_fields"), allow_empty=False)
        field["item_fields"] = [_compile_field(ctx, f, join_path(join_path(path, "item_fields"), i), item=True)
                                for i, f in enumerate(items)]
    elif "item_fields" in raw:
        ctx.error(join_path(path, "item_fields"), "only list fields have item_fields")
    if "terms" in raw:
        field["terms"] = _terms(ctx, raw["terms"], join_path(path, "terms"), field["label"])
    if "ask_when" in raw:
        wpath = join_path(path, "ask_when")
        when = _mapping(ctx, raw["ask_when"], wpath, ({"field", "in"}, set()))
        field["ask_when"] = {"field": _str(ctx, when["field"], join_path(wpath, "field")),
                             "in": [_str(ctx, v, join_path(join_path(wpath, "in"), i))
                                    for i, v in enumerate(_list(ctx, when["in"], join_path(wpath, "in"), allow_empty=False))]}
    return field


def _check_ask_when(ctx, fields, index):
    """A question asked only for some answers names an enum field of the form and some of its options."""
    for i, field in enumerate(fields):
        when = field.get("ask_when")
        if not when:
            continue
        path = join_path(join_path("fields", i), "ask_when")
        target = index.get(when["field"])
        if target is None or target.get("type") != "enum":
            ctx.error(join_path(path, "field"), f"unknown enum field {when['field']!r}")
        values = {o["value"] for o in target["options"]}
        for j, value in enumerate(when["in"]):
            if value not in values:
                ctx.error(join_path(join_path(path, "in"), j), f"{value!r} is not an option of {when['field']}")


def _terms(ctx, raw, path, label):
    """The glossary terms a field's label uses: each defined in glossary.yaml and present in the label."""
    ids = []
    for i, term_id in enumerate(_list(ctx, raw, path, allow_empty=False)):
        tpath = join_path(path, i)
        _str(ctx, term_id, tpath)
        if ctx.glossary is None:  # compiled without the guide (engine tests): nothing to check against
            ids.append(term_id)
            continue
        term = ctx.glossary.get(term_id)
        if term is None:
            ctx.error(tpath, f"glossary term {term_id!r} is not defined in the edition's glossary.yaml")
        if term["zh"] not in label["zh"] or term["en"].lower() not in label["en"].lower():
            ctx.error(tpath, f"the label does not use glossary term {term_id!r} ({term['zh']} / {term['en']})")
        ids.append(term_id)
    return ids


def _field_index(ctx, fields):
    """Map each field path (items as `list[].name`) to its definition; reject duplicates."""
    index = {}
    for i, field in enumerate(fields):
        names = [(field["path"], field)]
        names += [(f"{field['path']}[].{sub['path']}", sub) for sub in field.get("item_fields", [])]
        for name, definition in names:
            if name in index:
                ctx.error(join_path(join_path("fields", i), "path"), f"duplicate field {name!r}")
            index[name] = definition
    return index


# -- conditions -----------------------------------------------------------------------------

def _condition(ctx, raw, path, fields, scope, used):
    """Normalise a condition into {"op": ...}; check its fields exist and suit the operator.

    `scope` is "" at profile level or "project.achievements[]." inside `some`; `used` collects
    the profile field paths the rule reads.
    """
    if not isinstance(raw, dict) or not raw:
        ctx.error(path, "expected a condition mapping")
    if "all" in raw or "any" in raw:
        op = "all" if "all" in raw else "any"
        _mapping(ctx, raw, path, ({op}, set()))
        parts = _list(ctx, raw[op], join_path(path, op), allow_empty=False)
        return {"op": op, "of": [_condition(ctx, p, join_path(join_path(path, op), i), fields, scope, used)
                                 for i, p in enumerate(parts)]}
    if "some" in raw:
        _mapping(ctx, raw, path, ({"some", "where"}, set()))
        name = _str(ctx, raw["some"], join_path(path, "some"))
        if scope or name not in fields:
            ctx.error(join_path(path, "some"), f"unknown profile field {name!r}")
        if fields[name]["type"] != "list":
            ctx.error(join_path(path, "some"), f"field {name!r} is not a list")
        used.add(name)
        return {"op": "some", "field": name,
                "where": _condition(ctx, raw["where"], join_path(path, "where"), fields, f"{name}[].", used)}
    if "funding_form" in raw:
        _mapping(ctx, raw, path, ({"funding_form"}, set()))
        used.add("unit.kind")
        return {"op": "funding_form", "form": _str(ctx, raw["funding_form"], join_path(path, "funding_form"))}
    if "self_funding_percent_at_least" in raw:
        _mapping(ctx, raw, path, ({"self_funding_percent_at_least"}, set()))
        percent = _number(ctx, raw["self_funding_percent_at_least"], join_path(path, "self_funding_percent_at_least"))
        if not 0 < percent <= 100:
            ctx.error(join_path(path, "self_funding_percent_at_least"), "expected a percentage in (0, 100]")
        used.update(("project.total_investment", "project.self_funding", "project.requested_funding"))
        return {"op": "self_funding_percent_at_least", "percent": percent}
    if "field" not in raw:
        ctx.error(path, "expected one of: field, all, any, some, funding_form, self_funding_percent_at_least")
    operators = {"is", "in", "on_or_after", "at_least"}
    present = [k for k in raw if k in operators]
    if len(present) != 1:
        ctx.error(path, "a field test needs exactly one of: is, in, on_or_after, at_least")
    op = present[0]
    _mapping(ctx, raw, path, ({"field", op}, set()))
    name = _str(ctx, raw["field"], join_path(path, "field"))
    full = scope + name
    if full not in fields:
        ctx.error(join_path(path, "field"), f"unknown profile field {full!r}")
    ftype = fields[full]["type"]
    value = raw[op]
    vpath = join_path(path, op)
    used.add(full.replace("[].", "[]."))
    if op == "is":
        if ftype != "bool" or not isinstance(value, bool):
            ctx.error(vpath, f"'is' needs a bool field and a bool value ({full} is {ftype})")
        return {"op": "is", "field": name, "value": value}
    if op == "in":
        allowed = [o["value"] for o in fields[full].get("options", [])]
        if ftype != "enum":
            ctx.error(vpath, f"'in' needs an enum field ({full} is {ftype})")
        for i, v in enumerate(_list(ctx, value, vpath, allow_empty=False)):
            if v not in allowed:
                ctx.error(join_path(vpath, i), f"{v!r} is not an option of {full}")
        return {"op": "in", "field": name, "values": list(value)}
    if op == "on_or_after":
        if ftype != "date":
            ctx.error(vpath, f"'on_or_after' needs a date field ({full} is {ftype})")
        return {"op": "on_or_after", "field": name, "date": _iso_date(ctx, value, vpath)}
    if ftype not in ("number", "int"):
        ctx.error(vpath, f"'at_least' needs a number field ({full} is {ftype})")
    return {"op": "at_least", "field": name, "value": _number(ctx, value, vpath)}


def _thresholds(cond):
    """The thresholds of a condition's leaves, in reading order (for {threshold}, {threshold2})."""
    if cond["op"] in ("all", "any"):
        return [t for part in cond["of"] for t in _thresholds(part)]
    if cond["op"] == "some":
        return _thresholds(cond["where"])
    if cond["op"] == "on_or_after":
        return [cond["date"]]
    if cond["op"] == "at_least":
        return [cond["value"]]
    if cond["op"] == "self_funding_percent_at_least":
        return [cond["percent"]]
    return []


def _fmt(value):
    """A threshold as printed: 3000, 0.5, 1962-01-01."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _fill(text, values):
    """Fill the compile-time placeholders of a label, leaving none behind."""
    return {lang: s.format_map(values) for lang, s in text.items()}


# -- rules ----------------------------------------------------------------------------------

def _compile_rule(ctx, raw, path, fields, clauses, forms, common):
    """Validate and normalise one rule."""
    _mapping(ctx, raw, path, _RULE_KEYS)
    rid = _str(ctx, raw["id"], join_path(path, "id"))
    if not _ID.match(rid):
        ctx.error(join_path(path, "id"), f"rule ids match [a-z0-9_]+, got {rid!r}")
    used = set()
    rule = {
        "id": rid,
        "clause": _clause(ctx, raw["clause"], join_path(path, "clause"), clauses),
        "kind": raw.get("kind", "condition"),
        "condition": _condition(ctx, raw["condition"], join_path(path, "condition"), fields, "", used),
    }
    if rule["kind"] not in RULE_KINDS:
        ctx.error(join_path(path, "kind"), f"expected one of {', '.join(RULE_KINDS)}, got {rule['kind']!r}")
    on_fail = raw.get("on_fail", "fail")
    if on_fail not in ("fail", "review"):
        ctx.error(join_path(path, "on_fail"), f"expected fail or review, got {on_fail!r}")
    rule["on_fail"] = on_fail
    if "when" in raw:
        rule["when"] = _condition(ctx, raw["when"], join_path(path, "when"), fields, "", used)
        if "not_applicable" not in raw:
            ctx.error(join_path(path, "not_applicable"), "missing (a rule with `when` says why it may not apply)")
        for form in _forms_named(rule["when"]):
            if form not in forms:
                ctx.error(join_path(path, "when"), f"unknown funding form {form!r}")
    if "not_applicable" in raw:
        rule["not_applicable"] = _text(ctx, raw["not_applicable"], join_path(path, "not_applicable"))
    thresholds = [_fmt(t) for t in _thresholds(rule["condition"])]
    values = {"threshold": thresholds[0] if thresholds else "", "threshold2": thresholds[1] if len(thresholds) > 1 else ""}
    label = _text(ctx, raw["label"], join_path(path, "label"))
    _placeholders(ctx, label, join_path(path, "label"), {"threshold", "threshold2"})
    rule["label"] = _fill(label, values)
    rule["fail"] = _text(ctx, raw["fail"], join_path(path, "fail"))
    _placeholders(ctx, rule["fail"], join_path(path, "fail"), FAIL_PLACEHOLDERS)
    rule["thresholds"] = thresholds
    if "quote" in raw:
        rule["quote"] = _str(ctx, raw["quote"], join_path(path, "quote"))
    if "reading" in raw:
        rule["reading"] = _text(ctx, raw["reading"], join_path(path, "reading"), optional_zh=True)
    if "fact" in raw:
        if raw["fact"] not in FACT_KEYS:
            ctx.error(join_path(path, "fact"), f"expected one of {', '.join(FACT_KEYS)}, got {raw['fact']!r}")
        rule["fact"] = raw["fact"]
    if "programmes" in raw:
        if not common:
            ctx.error(join_path(path, "programmes"), "unknown key (only common rules name their programmes)")
        rule["programmes"] = [_str(ctx, p, join_path(join_path(path, "programmes"), i))
                              for i, p in enumerate(_list(ctx, raw["programmes"], join_path(path, "programmes"), False))]
    rule["fields"] = sorted(used)
    return rule


def _forms_named(cond):
    if cond["op"] in ("all", "any"):
        return [f for part in cond["of"] for f in _forms_named(part)]
    return [cond["form"]] if cond["op"] == "funding_form" else []


def _compile_unmodelled(ctx, raw, path, clauses):
    """The clauses no profile can decide, each with its reason."""
    items = []
    for i, entry in enumerate(_list(ctx, raw, path)):
        epath = join_path(path, i)
        _mapping(ctx, entry, epath, _UNMODELLED_KEYS)
        items.append({"clause": _clause(ctx, entry["clause"], join_path(epath, "clause"), clauses),
                      "label": _text(ctx, entry["label"], join_path(epath, "label")),
                      "reason": _text(ctx, entry["reason"], join_path(epath, "reason"))})
    return items


def _amount_en(wan, million):
    """万元 as English yuan: 200 -> '2' (million), 20 -> '200,000'."""
    return _fmt(wan / 100) if million else f"{int(round(wan * 10000)):,}"


def _funding_label(funding, forms):
    """The range and form as printed on cards: '200–1000 万元 · 事前资助'."""
    lo, hi = funding["min"], funding["max"]
    kinds = funding["form"]
    if len(set(kinds.values())) == 1:
        form = forms[next(iter(kinds.values()))]
        form_zh, form_en = form["zh"], form["en"]
    else:
        form_zh = "；".join(f"{UNIT_ZH[k]}：{forms[f]['zh']}" for k, f in kinds.items())
        form_en = "; ".join(f"{UNIT_EN[k]}: {forms[f]['en']}" for k, f in kinds.items())
    million = lo >= 50
    en_range = f"CNY {_amount_en(lo, million)}–{_amount_en(hi, million)}" + (" million" if million else "")
    return {"zh": f"{_fmt(lo)}–{_fmt(hi)} {funding['unit']} · {form_zh}", "en": f"{en_range} · {form_en}"}, \
        {"zh": f"{_fmt(lo)}–{_fmt(hi)} {funding['unit']}", "en": en_range}, {"zh": form_zh, "en": form_en}


UNIT_ZH = {"enterprise": "企业项目", "institution": "事业单位项目"}
UNIT_EN = {"enterprise": "enterprises", "institution": "public institutions"}


def _compile_funding(ctx, raw, path, clauses, forms):
    _mapping(ctx, raw, path, _FUNDING_KEYS)
    funding = {
        "min": _number(ctx, raw["min"], join_path(path, "min")),
        "max": _number(ctx, raw["max"], join_path(path, "max")),
        "unit": _str(ctx, raw["unit"], join_path(path, "unit")),
        "clause": _clause(ctx, raw["clause"], join_path(path, "clause"), clauses),
    }
    if not 0 < funding["min"] <= funding["max"]:
        ctx.error(join_path(path, "min"), "expected 0 < min <= max")
    form = _mapping(ctx, raw["form"], join_path(path, "form"), (set(UNIT_KINDS), set()))
    for kind in UNIT_KINDS:
        if form[kind] not in forms:
            ctx.error(join_path(join_path(path, "form"), kind), f"unknown funding form {form[kind]!r}")
    funding["form"] = {kind: form[kind] for kind in UNIT_KINDS}
    if "quote" in raw:
        funding["quote"] = _str(ctx, raw["quote"], join_path(path, "quote"))
    funding["label"], funding["range_label"], funding["form_label"] = _funding_label(funding, forms)
    return funding


def _request_rule(pid, funding):
    """The rule every programme gets from its funding range: the request lies within it."""
    lo, hi = _fmt(funding["min"]), _fmt(funding["max"])
    return {
        "id": f"{pid}_request_within_funding_range",
        "clause": funding["clause"],
        "kind": "condition",
        "on_fail": "fail",
        "condition": {"op": "request_in_range", "min": funding["min"], "max": funding["max"]},
        "label": {"zh": f"申请资助额在 {lo}–{hi} 万元之间", "en": f"Requested funding between {lo}万 and {hi}万"},
        "fail": {"zh": "申请资助 {value} 万元，单项资助额度为 {min}–{max} 万元",
                 "en": "requested {value}万; funding per project is {min}万–{max}万"},
        "thresholds": [lo, hi],
        "fields": ["project.requested_funding"],
        **({"quote": funding["quote"]} if "quote" in funding else {}),
        "reading": {"zh": "单项资助额度是申请额的上下限，两端均包括本数。",
                    "en": "The funding per project bounds the request; both ends are included."},
    }


def _facts(rules, funding, messages):
    """The comparison page's facts, generated from the rules' own labels and parameters."""
    facts = {}
    for rule in rules:  # common first, then programme: the programme's own rule prevails (VII)
        if "fact" in rule:
            facts[rule["fact"]] = {**rule["label"], "clause": rule["clause"]}
    facts["funding_range"] = {**funding["range_label"], "clause": funding["clause"]}
    facts["funding_form"] = {**funding["form_label"], "clause": funding["clause"]}
    not_required = messages["fact_not_required"]
    return {key: facts.get(key, {**not_required, "clause": None}) for key in FACT_KEYS}


def _display(path, rules_dir):
    """A rules file as the user would type it from the repository root: rules/2022/major.yaml."""
    path = pathlib.Path(path)
    try:
        return path.resolve().relative_to(rules_dir.resolve().parent.parent).as_posix()
    except ValueError:
        return str(path)


def compile_rules(rules_dir, clauses, glossary=None):
    """Load, validate and compile one edition's rules; raise BuildError naming file and path.

    `glossary` (the guide's terms, a list of {id, zh, en}) lets the compiler refuse a field naming
    a term the glossary does not define; without it, term ids are carried unchecked.
    """
    rules_dir = pathlib.Path(rules_dir)
    terms = None if glossary is None else {t["id"]: t for t in glossary}
    common_path = rules_dir / COMMON_FILE
    ctx = _Ctx(_display(common_path, rules_dir), terms)
    raw = load_yaml(common_path, ctx.file)
    _mapping(ctx, raw, "", _COMMON_KEYS)
    edition = raw["edition"]
    if not isinstance(edition, str) or not re.fullmatch(r"\d{4}", edition):
        ctx.error("edition", "expected a quoted year, e.g. \"2022\"")
    forms = {}
    if not isinstance(raw["forms"], dict) or not raw["forms"]:
        ctx.error("forms", "expected a non-empty mapping")
    for name, text in raw["forms"].items():
        forms[name] = _text(ctx, text, join_path("forms", name))
    messages = {}
    if not isinstance(raw["messages"], dict):
        ctx.error("messages", "expected a mapping")
    for name, text in raw["messages"].items():
        if not isinstance(name, str):
            ctx.error(join_path("messages", str(name)), "message names are strings (quote yes/no/on/off)")
        messages[name] = _text(ctx, text, join_path("messages", name))
    messages.setdefault("fact_not_required", {"zh": "不要求", "en": "not required"})
    fields = [_compile_field(ctx, f, join_path("fields", i))
              for i, f in enumerate(_list(ctx, raw["fields"], "fields", allow_empty=False))]
    index = _field_index(ctx, fields)
    _check_ask_when(ctx, fields, index)
    common_rules = [_compile_rule(ctx, r, join_path("rules", i), index, clauses, forms, common=True)
                    for i, r in enumerate(_list(ctx, raw["rules"], "rules"))]
    common_unmodelled = _compile_unmodelled(ctx, raw.get("unmodelled", []), "unmodelled", clauses)

    programmes, seen_ids = {}, {r["id"]: COMMON_FILE for r in common_rules}
    files = sorted(p for p in rules_dir.glob("*.yaml") if p.name != COMMON_FILE)
    for path in files:
        pctx = _Ctx(_display(path, rules_dir), terms)
        praw = load_yaml(path, pctx.file)
        _mapping(pctx, praw, "", _PROGRAMME_KEYS)
        pid = _str(pctx, praw["programme"], "programme")
        if pid != path.stem:
            pctx.error("programme", f"expected {path.stem!r} (the file name), got {pid!r}")
        if isinstance(praw["order"], bool) or not isinstance(praw["order"], int):
            pctx.error("order", "expected an integer")
        rules_raw = _list(pctx, praw["rules"], "rules") if praw["rules"] is not None else []
        if not rules_raw:
            pctx.error("rules", "a programme needs at least one rule")
        funding = _compile_funding(pctx, praw["funding"], "funding", clauses, forms)
        own = []
        for i, r in enumerate(rules_raw):
            rule = _compile_rule(pctx, r, join_path("rules", i), index, clauses, forms, common=False)
            if rule["id"] in seen_ids:
                pctx.error(join_path(join_path("rules", i), "id"), f"duplicate rule id (also in {seen_ids[rule['id']]})")
            seen_ids[rule["id"]] = path.name
            own.append(rule)
        applicable = [r for r in common_rules if "programmes" not in r or pid in r["programmes"]]
        all_rules = applicable + own + [_request_rule(pid, funding)]
        programmes[pid] = {
            "id": pid,
            "order": praw["order"],
            "title": _text(pctx, praw["title"], "title"),
            "funding": funding,
            "rules": all_rules,
            "checklist": [{"rule": r["id"], "clause": r["clause"], "label": r["label"], "kind": r["kind"]
                           if r.get("on_fail") != "review" else "review"} for r in all_rules],
            "unmodelled": common_unmodelled + _compile_unmodelled(pctx, praw.get("unmodelled", []), "unmodelled", clauses),
            "facts": _facts(all_rules, funding, messages),
        }
    if not programmes:
        raise BuildError(_display(rules_dir, rules_dir), "", "no programme files")
    # Every programme of the guide is checked: one without a rules file would silently vanish
    # from the checker, the comparison table and its own page's checklist.
    for page in sorted(clauses):
        if page != "notice" and page not in programmes:
            raise BuildError(_display(rules_dir / f"{page}.yaml", rules_dir), "",
                             f"file not found: the guide has programme {page!r}, which needs its rules here")
    for i, rule in enumerate(common_rules):
        for j, pid in enumerate(rule.get("programmes", [])):
            if pid not in programmes:
                ctx.error(join_path(join_path(join_path("rules", i), "programmes"), j), f"unknown programme {pid!r}")
    order = sorted(programmes, key=lambda p: (programmes[p]["order"], p))
    _annotate_fields(fields, [programmes[p] for p in order])
    checked = sorted({r["clause"] for p in programmes.values() for r in p["rules"]})
    return {
        "edition": edition,
        "programme_order": order,
        "programmes": {pid: programmes[pid] for pid in order},
        "forms": forms,
        "messages": messages,
        "fields": fields,
        "checked_clauses": checked,
    }


def _annotate_fields(fields, programmes):
    """Record on each field the clauses and programmes whose rules read it (the form shows them)."""
    for field in fields:
        names = {field["path"]} | {f"{field['path']}[].{s['path']}" for s in field.get("item_fields", [])}
        field["clauses"], field["programmes"] = [], []
        for prog in programmes:
            for rule in prog["rules"]:
                if names & set(rule["fields"]):
                    if rule["clause"] not in field["clauses"]:
                        field["clauses"].append(rule["clause"])
                    if prog["id"] not in field["programmes"]:
                        field["programmes"].append(prog["id"])
        for sub in field.get("item_fields", []):
            sub_name = f"{field['path']}[].{sub['path']}"
            sub["clauses"] = [c for c in field["clauses"]
                              if any(sub_name in r["fields"] and r["clause"] == c for p in programmes for r in p["rules"])]
            sub["programmes"] = [p["id"] for p in programmes if any(sub_name in r["fields"] for r in p["rules"])]
