"""Evaluate a profile against the compiled rules: verdicts, explanations, funding."""

import json
import operator
import string
from itertools import repeat
from decimal import ROUND_FLOOR, Decimal
from json.encoder import encode_basestring as _string  # what dumps(ensure_ascii=False) does to a str

from ._errors import ProfileError
from ._logic import compile_condition, primary_field, self_funding
from ._profile import _is_field, _value, build_schema, validate

LANGS = ("zh", "en")
_STATE = {}  # the compiled programmes, loaded once on first use (nothing heavy at import)


class RulesMissing(RuntimeError):
    """checker_py/_data/rules.json has not been written by the build yet."""


def _read_rules():
    """The compiled rules shipped inside the package (written by the build)."""
    from importlib import resources
    try:
        text = resources.files("checker_py").joinpath("_data").joinpath("rules.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        raise RulesMissing("checker_py/_data/rules.json is missing: run `make site` "
                           "(the build compiles rules/ into it)") from None
    return json.loads(text)


def use_rules(data):
    """Install a compiled-rules dict (tests and the build use this; normally loaded lazily)."""
    _STATE.clear()
    _STATE["data"] = data
    _STATE["schema"] = build_schema(data["fields"])
    fields = {}
    for field in data["fields"]:
        fields[field["path"]] = field
        for sub in field.get("item_fields", []):
            fields[sub["path"]] = sub  # item fields are reported by their own short name
    _STATE["fields"] = fields
    _STATE["programmes"] = {pid: _prepare(data["programmes"][pid]) for pid in data["programme_order"]}
    _STATE["order"] = list(data["programme_order"])
    _STATE["sorted"] = [_STATE["programmes"][pid] for pid in sorted(_STATE["order"])]
    # The same condition (and premise) appears in several programmes: it is evaluated once per
    # profile for all of them (`_logic_keys`), and cached across profiles by the values of the
    # fields it reads (and the funding form, for a condition that asks for it).
    logic, paths, logics = {}, {}, []
    for prog_index, prog in enumerate(_STATE["sorted"]):
        for entry in prog["rules"]:
            rule = entry["rule"]
            deps = []
            known = _deps(rule["condition"], deps) and ("when" not in rule or _deps(rule["when"], deps))
            deps = tuple(dict.fromkeys(deps))
            uses_form = _uses_form(rule["condition"]) or ("when" in rule and _uses_form(rule["when"]))
            # A condition on the form is the programme's own: the form differs between programmes.
            signature = (json.dumps([rule["condition"], rule.get("when")], sort_keys=True),
                         prog_index if uses_form or not known else None)
            if signature not in logic:
                getter = (operator.itemgetter(*deps) if deps else _no_fields) if known else None
                logic[signature] = len(logics)
                logics.append((getter, uses_form, {}, entry, prog_index))
            entry["logic_index"] = logic[signature]
            for path in deps:
                group, _, name = path.rpartition(".")
                paths.setdefault(group or None, {})[name] = path
    _STATE["logics"] = logics
    _STATE["getters"] = [getter or _no_fields for getter, *_ in logics]
    _STATE["logic_caches"] = [cache for _, _, cache, _, _ in logics]
    _STATE["form_logics"] = [(index, prog_index) for index, (_, uses_form, _, _, prog_index) in enumerate(logics)
                             if uses_form]
    _STATE["uncached_logics"] = frozenset(index for index, (getter, *_) in enumerate(logics) if getter is None)
    for prog in _STATE["programmes"].values():
        entries = prog["rules"]
        prog["keys_of"] = _picker([entry["logic_index"] for entry in entries])
        prog["caches"] = {lang: [entry["cache"][lang] for entry in entries] for lang in LANGS}
        prog["notes_of"] = _picker([i for i, entry in enumerate(entries) if entry["priority"]])
        prog["rules_of"] = _picker([i for i, entry in enumerate(entries) if not entry["priority"]])
    _STATE["view_base"] = dict.fromkeys(path for names in paths.values() for path in names.values())
    _STATE["view_paths"] = paths
    _STATE["fast_schema"] = _fast_table(_STATE["schema"], _STATE["view_base"])
    _STATE["edition_head"] = '{"edition": ' + dumps(data["edition"]) + ', "results": {'
    _STATE["edition_head_utf8"] = _STATE["edition_head"].encode("utf-8")


def _state():
    if not _STATE:
        use_rules(_read_rules())
    return _STATE


def programme_ids():
    """The programme ids of the loaded edition, in guide order."""
    return list(_state()["order"])


def _prepare(prog):
    """Compile one programme's conditions into closures once, with what each rule reads.

    A rule's outcome (status, message, needed fields) is a pure function of the profile values
    it reads (its condition, its premise and its {value}), of the funding form when it asks for
    it, and of the language; the batch path memoises it by those values (see `_outcomes`).
    """
    rules, ratio = [], None
    for rule in prog["rules"]:
        cond = rule["condition"]
        if cond["op"] == "self_funding_percent_at_least":
            ratio = Decimal(str(cond["percent"]))
        primary = primary_field(cond)
        rules.append({
            "rule": rule,
            "test": compile_condition(cond),
            "when": compile_condition(rule["when"]) if "when" in rule else None,
            "primary": primary,
            "priority": rule["kind"] == "priority",
            "primary_keys": tuple(primary.split(".")) if primary else (),
            "fail_pieces": {},
            "json_head": f'{{"clause": {_string(rule["clause"])}, "id": {_string(rule["id"])}, "message": ',
            "cache": {lang: {} for lang in LANGS},
        })
    funding = prog["funding"]
    return {"data": prog, "rules": rules, "ratio": ratio, "min_text": _fmt(funding["min"]),
            "max_text": _fmt(funding["max"]), "pid_json": json.dumps(prog["id"]),
            "max_request_cache": {}, "funding_json": {},
            "pid_utf8": (json.dumps(prog["id"]) + ": ").encode("utf-8"), "form_of": _forms_by_kind(funding)}


_UNKNOWN_FORM = (None, True)  # a kind the funding table does not list


def _forms_by_kind(funding):
    """(form, known?) by kind of unit; the kind left unanswered is known only if all forms agree."""
    forms = funding["form"]
    distinct = sorted(set(forms.values()))
    table = {kind: (form, True) for kind, form in forms.items()}
    table[None] = (distinct[0], True) if len(distinct) == 1 else (None, False)
    return table


_SELF_FUNDING_KEYS = (("project", "total_investment"), ("project", "self_funding"), ("project", "requested_funding"))
_SELF_FUNDING_PATHS = tuple(".".join(keys) for keys in _SELF_FUNDING_KEYS)


def _deps(cond, out):
    """Append the profile paths `cond` reads to `out`; False when an operator is not known here."""
    op = cond["op"]
    if op in ("all", "any"):
        return all([_deps(part, out) for part in cond["of"]])
    if op in ("is", "in", "on_or_after", "at_least", "some"):
        out.append(cond["field"])  # for `some`, the whole list: its items are what `where` reads
        return True
    if op == "self_funding_percent_at_least":
        out.extend(".".join(keys) for keys in _SELF_FUNDING_KEYS)
        return True
    if op == "request_in_range":
        out.append("project.requested_funding")
        return True
    return op == "funding_form"  # reads the form, which the key adds


def _picker(positions):
    """f(sequence) -> tuple of the items at `positions` (itemgetter, also for none or one)."""
    if not positions:
        return lambda sequence: ()
    if len(positions) == 1:
        position = positions[0]
        return lambda sequence: (sequence[position],)
    return operator.itemgetter(*positions)


def _no_fields(view):
    return ()


_GROUP = object()
_DATES = {}  # date text -> its validated ISO form (validation of a string does not depend on the field)
_INF = float("inf")


_BOOL, _ENUM, _NUMBER, _INT, _DATE, _LIST = range(1, 7)
_KINDS = {"bool": _BOOL, "enum": _ENUM, "number": _NUMBER, "int": _INT, "date": _DATE, "list": _LIST}


def _fast_table(schema, paths):
    """The schema as {key: spec} for `_clean_and_view`; `paths` are the fields the view holds."""
    table = {}
    for key, node in schema.items():
        if _is_field(node):
            kind = _KINDS.get(node["type"])
            extra = None
            if kind == _ENUM:
                extra = frozenset(o["value"] for o in node.get("options", ()))
            elif kind == _LIST:
                extra = _fast_table({f["path"]: f for f in node["item_fields"]}, ())
            table[key] = (kind, extra, node["path"], node, node["path"] if node["path"] in paths else None)
        else:
            table[key] = (_GROUP, _fast_table(node, paths))
    return table


def _fast_walk(obj, table, view):
    """`validate`'s normalised copy for plainly valid input, filling `view` (when given); None when
    anything needs a closer look (then `validate` itself decides, with its own error)."""
    out = {}
    for key, value in obj.items():
        spec = table.get(key)
        if spec is None:
            return None
        if value is None:
            continue
        kind = spec[0]
        cls = value.__class__
        if kind is _GROUP:
            if cls is not dict:
                return None
            value = _fast_walk(value, spec[1], view)
            if value is None:
                return None
            out[key] = value
            continue
        if kind == _BOOL:
            if cls is not bool:
                return None
        elif kind == _ENUM:
            if cls is not str or value not in spec[1]:
                return None
        elif kind == _NUMBER:
            if (cls is not int and cls is not float) or not 0 <= value < _INF:
                return None
        elif kind == _INT:
            if cls is not int or value < 0:
                return None
        elif kind == _DATE:
            day = _DATES.get(value) if cls is str else None
            if day is None:
                try:
                    day = _value(value, spec[3], spec[2])
                except ProfileError:
                    return None  # validate names the field with its full path
                if cls is str:
                    if len(_DATES) >= _CACHE_LIMIT:
                        _DATES.clear()
                    _DATES[value] = day
            value = day
        elif kind == _LIST:
            if cls is not list:
                return None
            items = []
            for item in value:
                if item.__class__ is not dict:
                    return None
                item = _fast_walk(item, spec[1], None)
                if item is None:
                    return None
                items.append(item)
            value = items
        else:
            return None
        out[key] = value
        if view is not None and spec[4] is not None:
            view[spec[4]] = (float, value) if cls is float else _frozen(value) if kind == _LIST else value
    return out


def _clean_and_view(profile, state):
    """(validate(profile), _view(of it)) in one pass for plainly valid input."""
    if profile.__class__ is dict:
        view = state["view_base"].copy()
        clean = _fast_walk(profile, state["fast_schema"], view)
        if clean is not None:
            return clean, view
    clean = validate(profile, state["schema"])
    return clean, _view(clean)


def _view(profile):
    """The frozen value of every field some condition reads, by path (absent = None)."""
    view = _STATE["view_base"].copy()
    paths = _STATE["view_paths"]
    top = paths.get(None, ())
    for group, value in profile.items():
        names = paths.get(group)
        if names is not None and value.__class__ is dict:
            for name, item in value.items():
                path = names.get(name)
                if path is not None:
                    kind = item.__class__
                    view[path] = (float, item) if kind is float else _frozen(item) if kind is list else item
        elif group in top:
            kind = value.__class__
            view[top[group]] = (float, value) if kind is float else _frozen(value) if kind is list else value
    return view


def _uses_form(cond):
    parts = list(cond.get("of", ())) + ([cond["where"]] if "where" in cond else [])
    return cond["op"] == "funding_form" or any(_uses_form(part) for part in parts)


def _frozen(value):
    """A hashable stand-in for a profile value; floats are tagged so 3000.0 never meets 3000."""
    kind = value.__class__
    if kind is float:
        return (float, value)
    if kind is list:
        return tuple([_frozen(item) for item in value])
    if kind is dict:
        items = sorted(value.items())  # keys are unique strings: values are never compared
        for _, item in items:
            if item.__class__ in _COMPOUND:
                return tuple([(key, _frozen(item)) for key, item in items])
        return tuple(items)
    return value


_COMPOUND = frozenset((float, list, dict))


# -- formatting ------------------------------------------------------------------------------

_CENT = Decimal("0.01")


def _number(value):
    """A JSON number identical on every platform: ints stay ints, others 2 decimals at most."""
    if type(value) is int:
        return value
    if type(value) is float:
        # Already at most 2 decimals (repr round-trips): the Decimal floor below would not change it.
        head, dot, tail = repr(value).partition(".")
        if dot and len(tail) <= 2 and tail.isdigit():
            return int(head) if tail.strip("0") == "" else value
    d = Decimal(str(value)).quantize(_CENT, rounding=ROUND_FLOOR)
    return int(d) if d == d.to_integral_value() else float(d)


def _fmt(value):
    """An amount as printed: 4000, 800, 12.5."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float, Decimal)):
        n = _number(value)
        return str(n)
    return str(value)


def _percent(own, total):
    """Self-funding share, floored to 0.1 so 79.95 % never prints as 80 %."""
    if total <= 0:
        return "0"
    p = (own * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)
    return _fmt(p)


_VALUE_TEXTS = {}  # (path, frozen value, lang) -> text; bounded


def _value_text(path, profile, lang):
    if not path:
        return ""
    key = (path, _frozen_at(profile, path.split(".")), lang)
    text = _VALUE_TEXTS.get(key)
    if text is None:
        text = _value_text_of(path, profile, lang)
        if len(_VALUE_TEXTS) >= _CACHE_LIMIT:
            _VALUE_TEXTS.clear()
        _VALUE_TEXTS[key] = text
    return text


def _value_text_of(path, profile, lang):
    node = profile
    for key in path.split("."):
        node = node.get(key) if isinstance(node, dict) else None
    if node is None:
        return ""
    field = _STATE["fields"].get(path)
    if field and field["type"] == "enum":
        for option in field["options"]:
            if option["value"] == node:
                return option["label"][lang]
    if isinstance(node, bool):
        return _STATE["data"]["messages"]["bool_yes" if node else "bool_no"][lang]
    return _fmt(node)


def _message(name, lang, **values):
    return _STATE["data"]["messages"][name][lang].format(**values)


# -- funding ---------------------------------------------------------------------------------

def _ratio_limit(prog, profile):
    """Largest request the self-funding ratio allows (self = total − request), or None."""
    total = (profile.get("project") or {}).get("total_investment")
    if prog["ratio"] is None or total is None:
        return None
    return Decimal(str(total)) * (100 - prog["ratio"]) / 100


def _max_request(prog, profile):
    """Largest request within the funding range and the self-funding ratio, or None."""
    funding = prog["data"]["funding"]
    if prog["ratio"] is None:
        return _number(funding["max"])
    limit = _ratio_limit(prog, profile)
    if limit is None:
        return None
    best = min(limit, Decimal(str(funding["max"])))
    if best < Decimal(str(funding["min"])):
        return None
    return _number(best)


def _advice(prog, profile, lang, max_request):
    total = profile["project"]["total_investment"]
    if max_request is not None:
        return _message("advice_max_request", lang, total=_fmt(total), max_request=_fmt(max_request))
    return _message("advice_no_request", lang, total=_fmt(total),
                    ratio_limit=_fmt(_ratio_limit(prog, profile)), min=_fmt(prog["data"]["funding"]["min"]))


# -- evaluation ------------------------------------------------------------------------------

def _rule_outcome(entry, prog, profile, env, lang, max_request):
    """(status, message, needed fields) of one rule for this profile."""
    needed = []
    premise = True if entry["when"] is None else entry["when"](profile, env, needed, "")
    outcome = None if premise is False else entry["test"](profile, env, needed, "")
    return _outcome_text(entry, prog, profile, env, lang, max_request, premise, outcome, needed)


def _outcome_text(entry, prog, profile, env, lang, max_request, premise, outcome, needed):
    """(status, message, needed fields) from the rule's evaluated premise and condition."""
    rule = entry["rule"]
    if premise is False:
        return "pass", _message("not_applicable", lang, reason=rule["not_applicable"][lang]), ()
    if premise is None and outcome is not True:
        outcome = None  # Kleene implication: unknown premise, unproven conclusion
    if outcome is True:
        return "pass", rule["label"][lang], ()
    if outcome is None:
        seen = tuple(dict.fromkeys(needed))
        return "unknown", _message("unknown", lang, fields=("、" if lang == "zh" else ", ").join(seen)), seen
    status = "review" if rule["on_fail"] == "review" else "fail"
    thresholds = rule["thresholds"]
    template = rule["fail"][lang]
    values = {
        "value": _value_text(entry["primary"], profile, lang) if "{value}" in template else "",
        "threshold": thresholds[0] if thresholds else "",
        "threshold2": thresholds[1] if len(thresholds) > 1 else "",
        "min": prog["min_text"], "max": prog["max_text"],
        "percent": "", "advice": "",
    }
    if "own" in env:
        values["percent"] = _percent(env["own"], env["total"])
        values["advice"] = _advice(prog, profile, lang, max_request)
    text = template.format(**values)
    if status == "review":
        text += _message("review_suffix", lang)
    return status, text, ()


_CACHE_LIMIT = 20_000  # entries per rule and language; a full cache starts afresh
_MISSING = object()
_NOT_APPLICABLE, _PASS, _FAIL = object(), object(), object()


def _frozen_at(profile, keys):
    node = profile
    for key in keys:
        node = node.get(key) if node.__class__ is dict else None
        if node is None:
            return None
    kind = node.__class__
    return (float, node) if kind is float else _frozen(node) if kind is list or kind is dict else node


def _fail_key(entry, profile, env, view=None):
    """What a failure's message reads besides the rule: the {value} field, the self-funding figures
    (taken from the profile's frozen view when it holds them, as for every condition it reads)."""
    primary = entry["primary"]
    if not primary:
        value = None
    elif view is not None and primary in view:
        value = view[primary]
    else:
        value = _frozen_at(profile, entry["primary_keys"])
    if "own" in env:
        if view is not None and _SELF_FUNDING_PATHS[0] in view:
            return (_FAIL, value, tuple([view.get(path) for path in _SELF_FUNDING_PATHS]))
        return (_FAIL, value, tuple(_frozen_at(profile, keys) for keys in _SELF_FUNDING_KEYS))
    return (_FAIL, value)


def _outcome_key(entry, profile, env, view=None):
    """Run the rule's closures: what decides its record (not applicable, pass, the unknown
    fields, or a failure with the values its message may quote)."""
    needed = []
    when = entry["when"]
    premise = True if when is None else when(profile, env, needed, "")
    if premise is False:
        return _NOT_APPLICABLE
    outcome = entry["test"](profile, env, needed, "")
    if outcome is True:
        key = _PASS
    elif outcome is None or premise is None:
        key = tuple(needed)  # unknown: the message names exactly these fields
    else:
        key = _fail_key(entry, profile, env, view)
    if "own" in env:
        del env["own"], env["total"]
    return key


_STATIC_PLACES = frozenset(("value", "threshold", "threshold2", "min", "max"))


def _fail_pieces(entry, prog, lang):
    """The failure message split around {value}, every other placeholder filled in; None when the
    template needs more than that (the self-funding figures, a format spec)."""
    pieces = entry["fail_pieces"].get(lang, _MISSING)
    if pieces is _MISSING:
        pieces = None
        rule = entry["rule"]
        template = rule.get("fail", {}).get(lang)
        if template is not None and "\x00" not in template:
            fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(template) if name is not None]
            if all(name in _STATIC_PLACES and not spec and not conv for name, spec, conv in fields):
                thresholds = rule["thresholds"]
                filled = template.format(value="\x00", threshold=thresholds[0] if thresholds else "",
                                         threshold2=thresholds[1] if len(thresholds) > 1 else "",
                                         min=prog["min_text"], max=prog["max_text"])
                if rule["on_fail"] == "review":
                    filled += _message("review_suffix", lang)
                pieces = (filled.split("\x00"), "{value}" in template)
        entry["fail_pieces"][lang] = pieces
    return pieces


def _outcome_record(entry, prog, profile, env, lang, max_request, key=None):
    """(priority?, status, needed, payload dict, its JSON) of one rule: a rule line or a note."""
    rule = entry["rule"]
    pieces = None
    if key.__class__ is tuple and len(key) == 2 and key[0] is _FAIL and not entry["priority"]:
        pieces = _fail_pieces(entry, prog, lang)  # a failure that quotes at most the value
    if pieces is not None:
        parts, quotes = pieces
        value = _value_text(entry["primary"], profile, lang) if quotes else ""
        status, text, needed = ("review" if rule["on_fail"] == "review" else "fail"), value.join(parts), ()
    else:
        status, text, needed = _rule_outcome(entry, prog, profile, env, lang, max_request)
    if entry["priority"]:
        name = {"pass": "priority_met", "unknown": "priority_unknown"}.get(status, "priority_not_met")
        payload = {"clause": rule["clause"], "id": rule["id"], "message": _message(name, lang, label=rule["label"][lang]),
                   "status": status if status in ("pass", "unknown") else "fail"}
    else:
        payload = {"clause": rule["clause"], "id": rule["id"], "message": text, "status": status}
    # dumps(payload), written out: the keys in sorted order, each string as json.dumps escapes it.
    text = "".join((entry["json_head"], _string(payload["message"]), ', "status": ', _string(payload["status"]), "}"))
    severity = 0 if entry["priority"] else _SEVERITY[status]
    return entry["priority"], status, needed, payload, text, text.encode("utf-8"), severity


def _logic_keys(profile, view):
    """What decides each distinct condition's records for this profile (see `_outcome_key`)."""
    state = _STATE
    kind = (profile.get("unit") or {}).get("kind")
    forms = [prog["form_of"].get(kind, _UNKNOWN_FORM) for prog in state["sorted"]]
    fields = list(map(_call, state["getters"], repeat(view)))
    for index, prog_index in state["form_logics"]:
        fields[index] = (fields[index], forms[prog_index])
    caches = state["logic_caches"]
    keys = list(map(dict.get, caches, fields))
    if None in keys:
        logics, uncached = state["logics"], state["uncached_logics"]
        for index, key in enumerate(keys):
            if key is not None:
                continue
            _, uses_form, cache, entry, prog_index = logics[index]
            form, form_known = forms[prog_index] if uses_form or index in uncached else (None, False)
            key = keys[index] = _outcome_key(entry, profile, {"form": form, "form_known": form_known}, view)
            if index not in uncached:
                if len(cache) >= _CACHE_LIMIT:
                    cache.clear()
                cache[fields[index]] = key
    return keys


def _call(function, argument):
    return function(argument)


def _run_programme(prog, profile, lang, keys):
    """Evaluate one programme: ((verdict, records, missing), max request, form).

    The conditions are evaluated once per distinct combination of the values they read (`logic`,
    shared by the programmes); what decides a rule's record (not applicable, pass, the unknown
    fields, or a failure with the values its message may quote) keys the finished record; and
    the record holds its message and its JSON fragment, as text and as UTF-8.
    """
    kind = (profile.get("unit") or {}).get("kind")
    form, form_known = prog["form_of"].get(kind, _UNKNOWN_FORM)
    total = (profile.get("project") or {}).get("total_investment")
    total_key = (float, total) if total.__class__ is float else total
    max_cache = prog["max_request_cache"]
    max_request = max_cache.get(total_key, _MISSING)
    if max_request is _MISSING:
        max_request = _max_request(prog, profile)
        if len(max_cache) >= _CACHE_LIMIT:
            max_cache.clear()
        max_cache[total_key] = max_request
    okeys = prog["keys_of"](keys)
    caches = prog["caches"][lang]
    records = list(map(dict.get, caches, okeys))
    if None in records:
        entries = prog["rules"]
        for index, record in enumerate(records):
            if record is None:
                record = records[index] = _outcome_record(entries[index], prog, profile,
                                                          {"form": form, "form_known": form_known}, lang, max_request,
                                                          okeys[index])
                cache = caches[index]
                if len(cache) >= _CACHE_LIMIT:
                    cache.clear()
                cache[okeys[index]] = record
    # Only the answers that can change the verdict: a priority note never does.
    missing = []
    for needed in [r[2] for r in records if r[2] and not r[0]]:
        for path in needed:
            if path not in missing:
                missing.append(path)
    return (_VERDICTS[max(map(_severity, records), default=0)], records, missing), max_request, form


_severity = operator.itemgetter(6)


# The verdict: any fail, else any unknown, else any review, else eligible (notes do not count).
_SEVERITY = {"pass": 0, "review": 1, "unknown": 2, "fail": 3}
_VERDICTS = ("eligible", "review", "incomplete", "ineligible")


def _funding(prog, form, max_request, lang):
    funding = prog["data"]["funding"]
    form_label = _STATE["data"]["forms"][form][lang] if form else None
    return {
        "clause": funding["clause"], "form": form, "form_label": form_label, "label": funding["label"][lang],
        "max": funding["max"], "max_request": max_request, "min": funding["min"], "unit": funding["unit"],
    }


def _static(prog, lang):
    """Per-language parts of a programme result that never depend on the profile."""
    key = "static_" + lang
    if key not in prog:
        data = prog["data"]
        unmodelled = [{"clause": u["clause"], "label": u["label"][lang], "reason": u["reason"][lang]}
                      for u in data["unmodelled"]]
        prog[key] = (data["title"][lang], unmodelled, dumps(data["title"][lang]), dumps(unmodelled))
    return prog[key]


def _programme_dict(prog, profile, lang, keys):
    (verdict, records, missing), max_request, form = _run_programme(prog, profile, lang, keys)
    title, unmodelled, _, _ = _static(prog, lang)
    return {
        "title": title,
        "verdict": verdict,
        "rules": [dict(r[3]) for r in records if not r[0]],
        "notes": [dict(r[3]) for r in records if r[0]],
        "missing": list(missing),
        "unmodelled": [dict(u) for u in unmodelled],
        "funding": _funding(prog, form, max_request, lang),
    }


_MISSING_JSON = {}  # tuple of missing paths -> (JSON text, UTF-8); bounded


def _programme_parts(prog, profile, lang, keys, utf8):
    """One programme's result as JSON fragments (text, or UTF-8 when `utf8`), ready to join."""
    (verdict, records, missing), max_request, form = _run_programme(prog, profile, lang, keys)
    index = 5 if utf8 else 4
    funding_key = (form, max_request.__class__, max_request, lang)
    funding_cache = prog["funding_json"]
    funding = funding_cache.get(funding_key)
    if funding is None:
        text = dumps(_funding(prog, form, max_request, lang))
        funding = (None, None, None, None, text, text.encode("utf-8"))
        if len(funding_cache) >= _CACHE_LIMIT:
            funding_cache.clear()
        funding_cache[funding_key] = funding
    if missing:
        missing_key = tuple(missing)
        missing_json = _MISSING_JSON.get(missing_key)
        if missing_json is None:
            text = dumps(missing)
            missing_json = (None, None, None, None, text, text.encode("utf-8"))
            if len(_MISSING_JSON) >= _CACHE_LIMIT:
                _MISSING_JSON.clear()
            _MISSING_JSON[missing_key] = missing_json
    else:
        missing_json = _EMPTY_LIST
    glue = _GLUE[index]
    texts = [r[index] for r in records]
    notes = prog["notes_of"](texts)
    rules = prog["rules_of"](texts)
    return (glue[0], funding[index], glue[1], missing_json[index], glue[2], glue[4].join(notes), glue[3],
            glue[4].join(rules), _static_end(prog, lang, verdict)[index - 4])


_EMPTY_LIST = (None, None, None, None, "[]", b"[]")
_GLUE_TEXT = ('{"funding": ', ', "missing": ', ', "notes": [', '], "rules": [', ", ")
_GLUE = {4: _GLUE_TEXT, 5: tuple(part.encode("utf-8") for part in _GLUE_TEXT)}


def _static_end(prog, lang, verdict):
    """The closing part that never depends on the profile beyond its verdict: title, unmodelled."""
    key = ("end", lang, verdict)
    end = prog.get(key)
    if end is None:
        _, _, title_json, unmodelled_json = _static(prog, lang)
        text = f'], "title": {title_json}, "unmodelled": {unmodelled_json}, "verdict": {dumps(verdict)}}}'
        end = prog[key] = (text, text.encode("utf-8"))
    return end


def _programme_json(prog, profile, lang, keys):
    """The programme's result as JSON text, byte-identical to dumps() of _programme_dict()."""
    return "".join(_programme_parts(prog, profile, lang, keys, False))


def _check_options(programme, lang):
    state = _state()
    if lang not in LANGS:
        raise ProfileError("lang", f"语言应为 {' | '.join(LANGS)}", f"expected one of {' | '.join(LANGS)}")
    if programme is not None and programme not in state["programmes"]:
        ids = " | ".join(state["order"])
        raise ProfileError("programme", f"未知项目类别，应为 {ids}", f"unknown programme, expected one of {ids}")
    return state


def evaluate(profile, programme=None, lang="zh"):
    """Evaluate `profile` for one programme (or all five); the dict `check --format json` prints."""
    state = _check_options(programme, lang)
    clean, view = _clean_and_view(profile, state)
    keys = _logic_keys(clean, view)
    ids = [programme] if programme is not None else state["order"]
    return {
        "edition": state["data"]["edition"],
        "results": {pid: _programme_dict(state["programmes"][pid], clean, lang, keys) for pid in ids},
    }


def evaluate_to_json(profile, programme=None, lang="zh"):
    """`dumps(evaluate(...))`, built faster from cached fragments (the CLI batch and browser path)."""
    state = _check_options(programme, lang)
    clean, view = _clean_and_view(profile, state)
    keys = _logic_keys(clean, view)
    progs = state["sorted"] if programme is None else [state["programmes"][programme]]
    body = ", ".join([prog["pid_json"] + ": " + _programme_json(prog, clean, lang, keys) for prog in progs])
    return "".join((state["edition_head"], body, "}}"))


def evaluate_to_utf8(profile, programme=None, lang="zh"):
    """`evaluate_to_json(...).encode("utf-8")`, joined from cached UTF-8 fragments (the CLI batch path)."""
    state = _check_options(programme, lang)
    clean, view = _clean_and_view(profile, state)
    keys = _logic_keys(clean, view)
    progs = state["sorted"] if programme is None else [state["programmes"][programme]]
    parts = [state["edition_head_utf8"]]
    for prog in progs:
        if len(parts) > 1:
            parts.append(b", ")
        parts.append(prog["pid_utf8"])
        parts += _programme_parts(prog, clean, lang, keys, True)
    parts.append(b"}}")
    return b"".join(parts)


def dumps(result):
    """The one serialisation shared by the CLI and the browser (byte-for-byte parity)."""
    return json.dumps(result, ensure_ascii=False, sort_keys=True)


def error_object(field, message):
    """The error shape of evaluate_json and of the CLI's jsonl output."""
    return {"error": {"field": field, "message": message}}


def parse_json(text):
    """json.loads, with nesting too deep for the parser (a RecursionError) reported as a ValueError."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def json_problem(exc):
    """What is wrong with a JSON text, as (zh, en) messages: the position, in the reader's language."""
    if isinstance(exc, json.JSONDecodeError):
        return (f"JSON 无效：第 {exc.lineno} 行第 {exc.colno} 列附近有语法错误",
                f"invalid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")
    if str(exc) == "nested too deeply":
        return "JSON 无效：嵌套过深", "invalid JSON: nested too deeply"
    return "JSON 无效：无法解析", f"invalid JSON: {exc}"


def evaluate_json(text, programme=None, lang="zh"):
    """Profile JSON text in, result JSON text out; errors become {"error": {"field", "message"}}."""
    msg_lang = lang if lang in LANGS else "en"
    try:
        profile = parse_json(text)
    except (ValueError, TypeError) as exc:
        zh, en = json_problem(exc)
        return dumps(error_object("", zh if msg_lang == "zh" else en))
    try:
        return evaluate_to_json(profile, programme, lang)
    except ProfileError as exc:
        return dumps(error_object(exc.field, exc.message(msg_lang)))
