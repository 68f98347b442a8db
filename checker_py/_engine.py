"""Evaluate a profile against the compiled rules: verdicts, explanations, funding."""

import json
from decimal import ROUND_FLOOR, Decimal

from ._errors import ProfileError
from ._logic import compile_condition, primary_field, self_funding
from ._profile import build_schema, validate

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


def _state():
    if not _STATE:
        use_rules(_read_rules())
    return _STATE


def programme_ids():
    """The programme ids of the loaded edition, in guide order."""
    return list(_state()["order"])


def _prepare(prog):
    """Compile one programme's conditions into closures once."""
    rules, ratio = [], None
    for rule in prog["rules"]:
        cond = rule["condition"]
        if cond["op"] == "self_funding_percent_at_least":
            ratio = Decimal(str(cond["percent"]))
        rules.append({
            "rule": rule,
            "test": compile_condition(cond),
            "when": compile_condition(rule["when"]) if "when" in rule else None,
            "primary": primary_field(cond),
            # Programme-specific rules (the ratio and range ones) word their messages per programme.
            "shared": cond["op"] not in ("self_funding_percent_at_least", "request_in_range"),
        })
    funding = prog["funding"]
    return {"data": prog, "rules": rules, "ratio": ratio, "min_text": _fmt(funding["min"]),
            "max_text": _fmt(funding["max"]), "pid_json": json.dumps(prog["id"])}


# -- formatting ------------------------------------------------------------------------------

def _number(value):
    """A JSON number identical on every platform: ints stay ints, others 2 decimals at most."""
    if type(value) is int:
        return value
    d = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
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


def _value_text(path, profile, lang):
    if not path:
        return ""
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

def _form_for(prog, profile):
    """(form id or None, known?) for this applicant: by kind of unit, or the same for all."""
    forms = prog["data"]["funding"]["form"]
    kind = (profile.get("unit") or {}).get("kind")
    if kind is None:
        distinct = sorted(set(forms.values()))
        return (distinct[0], True) if len(distinct) == 1 else (None, False)
    return forms.get(kind), True


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
    rule = entry["rule"]
    needed = []
    premise = True if entry["when"] is None else entry["when"](profile, env, needed, "")
    if premise is False:
        return "pass", _message("not_applicable", lang, reason=rule["not_applicable"][lang]), ()
    outcome = entry["test"](profile, env, needed, "")
    if premise is None and outcome is not True:
        outcome = None  # Kleene implication: unknown premise, unproven conclusion
    if outcome is True:
        return "pass", rule["label"][lang], ()
    if outcome is None:
        seen = tuple(dict.fromkeys(needed))
        return "unknown", _message("unknown", lang, fields=("、" if lang == "zh" else ", ").join(seen)), seen
    status = "review" if rule["on_fail"] == "review" else "fail"
    funding = prog["data"]["funding"]
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


def _run_programme(prog, profile, lang, shared):
    """Evaluate one programme: verdict, rule outcomes, notes, missing fields, funding.

    `shared` caches outcomes across the programmes of one profile: a common rule gives the same
    answer everywhere once the funding form (the only programme-dependent input) is the same.
    """
    data = prog["data"]
    funding = data["funding"]
    form, form_known = _form_for(prog, profile)
    env = {"form": form, "form_known": form_known}
    max_request = _max_request(prog, profile)
    outcomes, notes, missing = [], [], []
    statuses = set()
    for entry in prog["rules"]:
        rule = entry["rule"]
        key = (rule["id"], form, form_known)
        cached = shared.get(key) if entry["shared"] else None
        if cached is None:
            cached = _rule_outcome(entry, prog, profile, env, lang, max_request)
            env.pop("own", None)
            env.pop("total", None)
            if entry["shared"]:
                shared[key] = cached
        status, text, needed = cached
        for path in needed:
            if path not in missing:
                missing.append(path)
        if rule["kind"] == "priority":
            name = {"pass": "priority_met", "unknown": "priority_unknown"}.get(status, "priority_not_met")
            notes.append({"clause": rule["clause"], "id": rule["id"], "message": _message(name, lang, label=rule["label"][lang]),
                          "status": status if status in ("pass", "unknown") else "fail"})
            continue
        statuses.add(status)
        outcomes.append((rule["id"], status, rule["clause"], text))
    if "fail" in statuses:
        verdict = "ineligible"
    elif "unknown" in statuses:
        verdict = "incomplete"
    elif "review" in statuses:
        verdict = "review"
    else:
        verdict = "eligible"
    form_label = _STATE["data"]["forms"][form][lang] if form else None
    funding_out = {
        "clause": funding["clause"], "form": form, "form_label": form_label, "label": funding["label"][lang],
        "max": funding["max"], "max_request": max_request, "min": funding["min"], "unit": funding["unit"],
    }
    return verdict, outcomes, notes, missing, funding_out


def _static(prog, lang):
    """Per-language parts of a programme result that never depend on the profile."""
    key = "static_" + lang
    if key not in prog:
        data = prog["data"]
        unmodelled = [{"clause": u["clause"], "label": u["label"][lang], "reason": u["reason"][lang]}
                      for u in data["unmodelled"]]
        prog[key] = (data["title"][lang], unmodelled, dumps(data["title"][lang]), dumps(unmodelled))
    return prog[key]


def _programme_dict(prog, profile, lang, shared):
    verdict, outcomes, notes, missing, funding = _run_programme(prog, profile, lang, shared)
    title, unmodelled, _, _ = _static(prog, lang)
    return {
        "title": title,
        "verdict": verdict,
        "rules": [{"clause": c, "id": i, "message": m, "status": s} for i, s, c, m in outcomes],
        "notes": notes,
        "missing": missing,
        "unmodelled": [dict(u) for u in unmodelled],
        "funding": funding,
    }


_FRAGMENTS = {}  # (id, status, clause, message) -> its JSON text; bounded


def _programme_json(prog, profile, lang, shared):
    """The programme's result as JSON text, byte-identical to dumps() of _programme_dict()."""
    verdict, outcomes, notes, missing, funding = _run_programme(prog, profile, lang, shared)
    _, _, title_json, unmodelled_json = _static(prog, lang)
    parts = []
    for outcome in outcomes:
        text = _FRAGMENTS.get(outcome)
        if text is None:
            i, s, c, m = outcome
            text = dumps({"clause": c, "id": i, "message": m, "status": s})
            if len(_FRAGMENTS) < 100_000:
                _FRAGMENTS[outcome] = text
        parts.append(text)
    funding_key = (funding["form"], funding["max_request"], lang)
    funding_json = prog.get(funding_key)
    if funding_json is None:
        funding_json = dumps(funding)
        if len(prog) < 2000:
            prog[funding_key] = funding_json
    return "".join((
        '{"funding": ', funding_json, ', "missing": ', dumps(missing) if missing else "[]",
        ', "notes": ', dumps(notes) if notes else "[]",
        ', "rules": [', ", ".join(parts), '], "title": ', title_json, ', "unmodelled": ', unmodelled_json,
        ', "verdict": "', verdict, '"}',
    ))


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
    clean = validate(profile, state["schema"])
    ids = [programme] if programme is not None else state["order"]
    shared = {}
    return {
        "edition": state["data"]["edition"],
        "results": {pid: _programme_dict(state["programmes"][pid], clean, lang, shared) for pid in ids},
    }


def evaluate_to_json(profile, programme=None, lang="zh"):
    """`dumps(evaluate(...))`, built faster from cached fragments (the CLI batch and browser path)."""
    state = _check_options(programme, lang)
    clean = validate(profile, state["schema"])
    ids = sorted([programme] if programme is not None else state["order"])
    shared = {}
    progs = state["programmes"]
    body = ", ".join(f"{progs[pid]['pid_json']}: {_programme_json(progs[pid], clean, lang, shared)}" for pid in ids)
    return f'{{"edition": {dumps(state["data"]["edition"])}, "results": {{{body}}}}}'


def dumps(result):
    """The one serialisation shared by the CLI and the browser (byte-for-byte parity)."""
    return json.dumps(result, ensure_ascii=False, sort_keys=True)


def error_object(field, message):
    """The error shape of evaluate_json and of the CLI's jsonl output."""
    return {"error": {"field": field, "message": message}}


def evaluate_json(text, programme=None, lang="zh"):
    """Profile JSON text in, result JSON text out; errors become {"error": {"field", "message"}}."""
    msg_lang = lang if lang in LANGS else "en"
    try:
        profile = json.loads(text)
    except (ValueError, TypeError) as exc:
        msg = f"JSON 无效：{exc}" if msg_lang == "zh" else f"invalid JSON: {exc}"
        return dumps(error_object("", msg))
    try:
        return evaluate_to_json(profile, programme, lang)
    except ProfileError as exc:
        return dumps(error_object(exc.field, exc.message(msg_lang)))
