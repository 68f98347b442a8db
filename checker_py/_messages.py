"""What a reader sees: each outcome's message, answers as text, and the result as the JSON contract has it."""

from decimal import ROUND_FLOOR, Decimal

from ._evaluate import ratio_limit, steps_for, value_at
from ._formats import date_text, money, money_range, percent, plain
from ._scope import self_funding


class _Texts(dict):
    """Placeholder values: the given ones, else a parameter of the edition, formatted for `lang`."""

    def __init__(self, edition, lang, values):
        super().__init__(values)
        self.edition, self.lang = edition, lang

    def __missing__(self, name):
        return self.edition.param_texts[self.lang][name]


def fill(template, edition, lang, **values):
    """A rules text with its {parameter} (and given) placeholders filled."""
    return template.format_map(_Texts(edition, lang, values)) if "{" in template else template


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


def answers(edition, profile, lang):
    """[{path, question, text, items?}] of every answer a valid profile gives, in the form's order, as the
    reader sees it: money, dates, options, yes or no; a list says how many and has each item on one line
    (an option or a date speaks for itself, a yes or no follows its question)."""
    out = []
    for path, field in edition.fields.items():
        value = None if "[]" in path else value_at(profile, path)
        if value is None:
            continue
        entry = {"path": path, "question": field["label"][lang]}
        if field["type"] == "list":
            entry["text"] = edition.text("items_count", lang, n=len(value)) if value else edition.text("ach_none", lang)
            entry["items"] = [_item_line(edition, path, item, lang) for item in value]
        else:
            entry["text"] = answer_text(edition, path, value, lang)
        out.append(entry)
    return out


def _item_line(edition, path, item, lang):
    """One list item's answers on one line."""
    parts = []
    for item_path in edition.fields:
        value = item.get(item_path.partition("[].")[2]) if item_path.startswith(f"{path}[].") else None
        if value is None:
            continue
        text = answer_text(edition, item_path, value, lang)
        if edition.fields[item_path]["type"] == "bool":
            text = edition.text("label_answer", lang, label=edition.fields[item_path]["label"][lang], answer=text)
        parts.append(text)
    return edition.text("item_separator", lang).join(parts)


def outcome_message(outcome, verdict, edition, profile, lang):
    """The sentence shown for one rule's outcome."""
    rule = outcome.rule
    if not outcome.applicable:
        return edition.text("not_applicable", lang, reason=rule["not_applicable"][lang])
    if rule["kind"] == "priority":
        key = {"pass": "priority_met", "unknown": "priority_unknown"}.get(outcome.status, "priority_not_met")
        return edition.text(key, lang, label=label(rule, edition, lang))
    request_field = verdict.programme["funding"]["request_field"]
    assumed = value_at(profile, request_field) is None
    if outcome.status == "pass" and assumed and rule["condition"].get("field") == request_field:
        return request_choice(verdict, rule, edition, lang)
    if outcome.status == "pass":
        return label(rule, edition, lang)
    if outcome.status == "unknown":
        names = [question(edition, path, lang) for path in outcome.missing]
        return edition.text("unknown", lang, fields=edition.text("list_separator", lang).join(names))
    if outcome.status == "review" and "review" in rule:
        return fill(rule["review"][lang], edition, lang)
    values = {"value": "", "percent": "", "advice": ""}
    first = rule["value_field"]
    answer = None if first is None else value_at(profile, first)
    if answer is not None:
        values["value"] = answer_text(edition, first, answer, lang)
    if rule["condition"]["op"] == "self_funding_at_least":
        total, own = self_funding(verdict.answers.get("project") or {})
        if assumed and own is not None and verdict.max_request is None:
            return advice(verdict, total, edition, lang, key="no_request_fits")
        if total is not None and own is not None:
            values["percent"] = share_text(own, total)
            given = (verdict.answers.get("project") or {}).get("self_funding") is not None
            values["advice"] = own_advice(verdict, total, edition, lang) if given else advice(verdict, total, edition, lang)
    text = fill(rule["fail"][lang], edition, lang, **values)
    return text + edition.text("review_suffix", lang) if outcome.status == "review" else text


def share_text(own, total):
    """Self-raised share, floored to 0.1 so 79.95 % never prints as 80 %."""
    if total <= 0:
        return percent(0)
    share = (Decimal(str(own)) * 100 / Decimal(str(total))).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)
    return percent(share)


def advice(verdict, total, edition, lang, key="advice_no_request"):
    """What request the self-funding share allows for this total investment (`key`: the words when none fits)."""
    programme = verdict.programme
    if verdict.max_request is not None:
        return edition.text("advice_max_request", lang, total=money(total, lang), max_request=money(verdict.max_request, lang))
    limit = ratio_limit(total, programme["self_funding_percent"])
    return edition.text(key, lang, total=money(total, lang), ratio_limit=money(limit, lang),
                        min=money(programme["funding"]["min"], lang))


def own_advice(verdict, total, edition, lang):
    """The self-raised funds this total investment needs, when they were given and fall short."""
    least = Decimal(str(total)) * Decimal(str(verdict.programme["self_funding_percent"])) / 100
    return edition.text("advice_raise_own", lang, total=money(total, lang), min_own=money(least, lang))


def request_choice(verdict, rule, edition, lang):
    """A request rule's message when no request is given: the admissible range; the funding range and
    what it still depends on while the total investment is unknown; the rule's requirement when no
    request fits (the self-funding rule says why)."""
    if verdict.request_range is not None:
        return edition.text("request_chosen", lang, range=money_range(*verdict.request_range, lang))
    if value_at(verdict.answers, "project.total_investment") is not None:
        return label(rule, edition, lang)
    funding = verdict.programme["funding"]
    return edition.text("request_open", lang, range=money_range(funding["min"], funding["max"], lang))


def verdict_text(verdict, edition, lang):
    """The verdict in words; with no request given, the range it holds for ('符合申报条件（可申请 50–200 万元）')."""
    words = edition.text("verdict_" + verdict.verdict, lang)
    if verdict.request_range is None or verdict.verdict == "ineligible":
        return words
    return edition.text("verdict_for_range", lang, verdict=words, range=money_range(*verdict.request_range, lang))


def next_steps(edition, verdict, lang):
    """What an applicant the programme admits does next, in order: the notice's procedure and requirements
    that apply to these answers, who decides a review, and that the guide names no deadline."""
    if verdict.verdict not in ("eligible", "review"):
        return []
    title = verdict.programme["title"][lang]
    steps = [{"id": step["id"], "clause": step["clause"], "text": step["text"][lang].format(programme=title)}
             for step in steps_for(edition, verdict.answers, verdict.programme)]
    if verdict.verdict == "review":
        labels = [label(o.rule, edition, lang) for o in verdict.outcomes if o.status == "review"]
        steps.append({"id": "review", "clause": "notice#require-2",
                      "text": edition.text("step_review", lang, conditions=edition.text("list_separator", lang).join(labels))})
    steps.append({"id": "deadline", "clause": None, "text": edition.text("step_deadline", lang)})
    return steps


def request_range(verdict, lang):
    """The result's `funding.request_range`: what may be requested when no request was given, or None."""
    if verdict.request_range is None:
        return None
    low, high = verdict.request_range
    return {"min": low, "max": high, "text": money_range(low, high, lang)}


def max_request_label(programme, edition, lang):
    """What bounds the largest request: the funding range, and the self-raised share where the programme has one."""
    return edition.text("max_request" if programme["self_funding_percent"] is not None else "max_request_range", lang)


def funding_forms(programme, edition, lang):
    """The programme's funding form: one for all, or one per kind of unit ('企业项目：…；事业单位项目：…')."""
    forms = programme["funding"]["form"]
    if len(set(forms.values())) == 1:
        return edition.forms[next(iter(forms.values()))][lang]
    return edition.text("clause_separator", lang).join(
        edition.text("form_for_" + kind, lang, form=edition.forms[name][lang]) for kind, name in forms.items())


def funding_label(programme, edition, lang):
    """The range and form as on the programme cards: '200–1000 万元 · 事前资助'."""
    funding = programme["funding"]
    return f"{money_range(funding['min'], funding['max'], lang)} · {funding_forms(programme, edition, lang)}"


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
                "message": outcome_message(outcome, verdict, edition, profile, lang), "fields": outcome.fields,
            })
        funding = programme["funding"]
        results[pid] = {
            "title": programme["title"][lang],
            "verdict": verdict.verdict,
            "verdict_text": verdict_text(verdict, edition, lang),
            **entries,
            "missing": verdict.missing,
            "next_questions": questions[pid],
            "next_steps": next_steps(edition, verdict, lang),
            "unmodelled": [{"clause": u["clause"], "label": u["label"][lang], "reason": u["reason"][lang]}
                           for u in programme["unmodelled"]],
            "funding": {
                "clause": funding["clause"], "form": verdict.form,
                "form_label": edition.forms[verdict.form][lang] if verdict.form else None,
                "label": funding_label(programme, edition, lang), "max": funding["max"],
                "max_request": verdict.max_request, "min": funding["min"], "unit": "万元",
                "max_request_text": None if verdict.max_request is None else money(verdict.max_request, lang),
                "max_request_label": max_request_label(programme, edition, lang),
                "request_range": request_range(verdict, lang),
            },
        }
    return {"edition": edition.edition, "results": results}


def brief_report(edition, profile, verdicts, lang):
    """Per programme what a report of many rows shows: the verdict (and in words), the largest admissible
    request, the range a row without a request may ask for, the failing or review reasons and the answers
    still missing, worded as `report` words them."""
    return {pid: {
        "verdict": verdict.verdict,
        "verdict_text": verdict_text(verdict, edition, lang),
        "max_request": verdict.max_request,
        "max_request_text": None if verdict.max_request is None else money(verdict.max_request, lang),
        "request_range": request_range(verdict, lang),
        "reasons": [outcome_message(o, verdict, edition, profile, lang) for o in verdict.outcomes
                    if o.rule["kind"] != "priority" and o.status in ("fail", "review")],
        "missing": verdict.missing,
    } for pid, verdict in verdicts.items()}
