"""What a reader sees: parameters, answers and amounts as text, and each outcome's message.

One formatter per kind of quantity, used by the engine, the CLI and the site alike: money is
"3000 万元" in Chinese and "CNY 30 million" in English, never a bare 万 in English.
"""

from decimal import ROUND_FLOOR, Decimal

from ._evaluate import number, ratio_limit
from ._grammar import reads
from ._scope import self_funding


def plain(value):
    """A number as printed: 4000, 12.5 (at most 2 decimals, floored)."""
    return str(number(value))


def money(wan, lang):
    """An amount given in 万元: '3000 万元' / 'CNY 30 million', '20 万元' / 'CNY 200,000'."""
    if lang == "zh":
        return f"{plain(wan)} 万元"
    yuan = Decimal(str(wan)) * 10000
    millions = yuan / 1_000_000
    if millions >= 1 and millions == millions.quantize(Decimal("0.01")):
        return f"CNY {plain(millions)} million"
    return f"CNY {number(yuan):,}"


def money_range(low, high, lang):
    """A funding range: '200–1000 万元' / 'CNY 2–10 million', '20–50 万元' / 'CNY 200,000–500,000'."""
    if lang == "zh":
        return f"{plain(low)}–{plain(high)} 万元"
    low_m, high_m = Decimal(str(low)) / 100, Decimal(str(high)) / 100
    if high_m >= 1 and low_m == low_m.quantize(Decimal("0.01")) and high_m == high_m.quantize(Decimal("0.01")):
        return f"CNY {plain(low_m)}–{plain(high_m)} million"
    return f"{money(low, lang)}–{money(high, lang)[4:]}"


def date_text(iso, lang):
    """A date as the guide writes it: '1962 年 1 月 1 日' / '1962-01-01' (or a year or month alone)."""
    if lang != "zh":
        return iso
    return " ".join(f"{int(part)} {unit}" for part, unit in zip(iso.split("-"), "年月日"))


def param_text(param, lang):
    """A parameter's value as text in `lang`."""
    kind, value = param["type"], param["value"]
    if kind == "date":
        return date_text(value, lang)
    if kind == "money":
        return money(value, lang)
    if kind == "money_range":
        return money_range(value["min"], value["max"], lang)
    if kind == "percent":
        return f"{plain(value)} %"
    if kind == "count":
        return plain(value)
    return "/".join(value)  # options


class _Texts(dict):
    """Placeholder values: the given ones, else a parameter of the edition, formatted for `lang`."""

    def __init__(self, edition, lang, values):
        super().__init__(values)
        self.edition, self.lang = edition, lang

    def __missing__(self, name):
        return param_text(self.edition.params[name], self.lang)


def fill(template, edition, lang, **values):
    """A rules text with its {parameter} (and given) placeholders filled."""
    return template.format_map(_Texts(edition, lang, values))


def label(rule, edition, lang):
    """A rule's requirement, as the checklist and a passing result state it."""
    return fill(rule["label"][lang], edition, lang)


def answer_text(edition, path, value, lang):
    """A profile value as text: an option's label, yes/no, a date, an amount, a count."""
    field = edition.fields[path]
    if field["type"] == "enum":
        return next(o["label"][lang] for o in field["options"] if o["value"] == value)
    if field["type"] == "bool":
        return edition.text("yes" if value else "no", lang)
    if field["type"] == "date":
        return date_text(value, lang)
    if field.get("unit") == "万元":
        return money(value, lang)
    return plain(value)


def question(edition, path, lang):
    """A field path as the question the reader answered: 'project.achievements[0].date' -> '成果 1：获奖或授权日期'."""
    if "[" not in path:
        return edition.fields[path]["label"][lang]
    head, _, rest = path.partition("[")
    index, _, item = rest.partition("].")
    text = edition.text("item_question", lang, list=edition.fields[head]["label"][lang], n=int(index) + 1)
    return text + (edition.fields[f"{head}[].{item}"]["label"][lang] if item else "")


def _value_of(profile, path):
    node = profile
    for key in path.split("."):
        node = node.get(key) if isinstance(node, dict) else None
    return node


def outcome_message(outcome, verdict, edition, profile, lang):
    """The sentence shown for one rule's outcome."""
    rule = outcome.rule
    if not outcome.applicable:
        return edition.text("not_applicable", lang, reason=rule["not_applicable"][lang])
    if rule["kind"] == "priority":
        key = {"pass": "priority_met", "unknown": "priority_unknown"}.get(outcome.status, "priority_not_met")
        return edition.text(key, lang, label=label(rule, edition, lang))
    if outcome.status == "pass":
        return label(rule, edition, lang)
    if outcome.status == "unknown":
        names = [question(edition, path, lang) for path in outcome.missing]
        return edition.text("unknown", lang, fields=edition.text("list_separator", lang).join(names))
    if outcome.status == "review" and "review" in rule:
        return fill(rule["review"][lang], edition, lang)
    values = {"value": "", "percent": "", "advice": ""}
    first = next((path for path in reads(rule["condition"]) if edition.fields[path]["type"] != "list"), None)
    if first is not None and _value_of(profile, first) is not None:
        values["value"] = answer_text(edition, first, _value_of(profile, first), lang)
    total, own = self_funding(profile.get("project") or {})
    if rule["condition"]["op"] == "self_funding_at_least" and total is not None and own is not None:
        values["percent"] = share_text(own, total)
        values["advice"] = advice(verdict, total, edition, lang)
    text = fill(rule["fail"][lang], edition, lang, **values)
    return text + edition.text("review_suffix", lang) if outcome.status == "review" else text


def share_text(own, total):
    """Self-raised share, floored to 0.1 so 79.95 % never prints as 80 %."""
    if total <= 0:
        return "0 %"
    share = (Decimal(str(own)) * 100 / Decimal(str(total))).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)
    return f"{plain(share)} %"


def advice(verdict, total, edition, lang):
    """What request the self-funding share allows for this total investment."""
    programme = verdict.programme
    if verdict.max_request is not None:
        return edition.text("advice_max_request", lang, total=money(total, lang), max_request=money(verdict.max_request, lang))
    limit = ratio_limit(total, programme["self_funding_percent"])
    return edition.text("advice_no_request", lang, total=money(total, lang), ratio_limit=money(limit, lang),
                        min=money(programme["funding"]["min"], lang))


def funding_label(programme, edition, lang):
    """The range and form as on the programme cards: '200–1000 万元 · 事前资助'."""
    funding = programme["funding"]
    forms = funding["form"]
    if len(set(forms.values())) == 1:
        form = edition.forms[next(iter(forms.values()))][lang]
    else:
        form = edition.text("clause_separator", lang).join(
            edition.text("form_for_" + kind, lang, form=edition.forms[name][lang]) for kind, name in forms.items())
    return f"{money_range(funding['min'], funding['max'], lang)} · {form}"


def report(edition, profile, verdicts, questions, lang):
    """The result as the JSON contract has it (rules/README.md): plain dicts, lists and strings."""
    results = {}
    for pid, verdict in verdicts.items():
        programme = verdict.programme
        entries = {"rules": [], "notes": []}
        for outcome in verdict.outcomes:
            rule = outcome.rule
            status = outcome.status
            if rule["kind"] == "priority" and status not in ("pass", "unknown"):
                status = "fail"
            entries["notes" if rule["kind"] == "priority" else "rules"].append({
                "clause": rule["clause"], "id": rule["id"], "status": status,
                "message": outcome_message(outcome, verdict, edition, profile, lang),
                "label": label(rule, edition, lang), "fields": outcome.fields,
            })
        funding = programme["funding"]
        results[pid] = {
            "title": programme["title"][lang],
            "verdict": verdict.verdict,
            **entries,
            "missing": verdict.missing,
            "next_questions": questions[pid],
            "unmodelled": [{"clause": u["clause"], "label": u["label"][lang], "reason": u["reason"][lang]}
                           for u in programme["unmodelled"]],
            "funding": {
                "clause": funding["clause"], "form": verdict.form,
                "form_label": edition.forms[verdict.form][lang] if verdict.form else None,
                "label": funding_label(programme, edition, lang), "max": funding["max"],
                "max_request": verdict.max_request, "min": funding["min"], "unit": "万元",
            },
        }
    return {"edition": edition.edition, "results": results}
