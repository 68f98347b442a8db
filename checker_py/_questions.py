"""Which question next: the unknown answers that can still change a verdict, most decisive first.

1. A ✘ programme asks nothing more; the others are open.
2. Candidates are the answers their undecided conditions miss (the trace's `missing`), and the
   absent answers a default stood in for (self-raised funds taken as total − request; the request
   assumed when none is given). The request belongs to one programme: with all programmes at once
   it is the applicant's choice and never asked.
3. A candidate is kept when one of its possible answers changes the status of one of those
   conditions. Kleene logic is monotone: a decided condition stays decided whatever is answered
   later, so only the undecided ones (and the defaulted) need trying. Should no candidate change anything alone while
   conditions are still undecided (two answers that only decide together), all candidates are kept.
4. Order: the group (unit, leader, …) holding the most decisive candidate first, so related
   questions stay together; within a group, the form's order.
"""

import copy
import datetime
import re

from ._evaluate import funding_form, judge_programme, judge_rule
from ._grammar import thresholds

_ITEM = re.compile(r"\[\d+\]")
_EXTREMES = (0, 10 ** 9)  # amounts: nothing, and more than any threshold


def next_questions(edition, profile, programme=None, skipped=(), verdicts=None):
    """Field paths whose answer can still change a verdict, in asking order, without `skipped`.

    `verdicts` are the programmes' judgements of this profile when the caller has them already.
    """
    if verdicts is None:
        ids = [programme] if programme is not None else list(edition.programmes)
        verdicts = [judge_programme(edition.programmes[pid], profile) for pid in ids]
    open_ = []  # (programme, outcome) of every condition an answer could still change
    for verdict in verdicts:
        if verdict.verdict != "ineligible":
            open_ += [(verdict, o) for o in verdict.outcomes
                      if o.rule["kind"] != "priority" and (o.status == "unknown" or o.defaults)]
    never = set(skipped)
    if programme is None:
        never.update(v.programme["funding"]["request_field"] for v in verdicts)
    weight = {}
    for _, outcome in open_:
        for path in outcome.missing + outcome.defaults:
            if path not in never:
                weight[path] = weight.get(path, 0) + 1
    decisive = [path for path in weight if _can_change(edition, path, open_)]
    return _in_order(edition, decisive or list(weight), weight)


def _can_change(edition, path, open_):
    """Whether some answer at `path` changes the status of a condition that misses it."""
    concerned = [(v, o) for v, o in open_ if path in o.missing or path in o.defaults]
    for answer in candidate_answers(edition, path):
        for verdict, outcome in concerned:
            trial = with_answer(verdict.answers, path, answer)  # as judged: an assumed request included
            form = funding_form(verdict.programme, (trial.get("unit") or {}).get("kind"))
            if judge_rule(outcome.rule, trial, form).status != outcome.status:
                return True
    return False


def field_of(edition, path):
    """The field definition of a path; list items are defined once as `list[].name`."""
    return edition.fields[_ITEM.sub("[]", path)]


def candidate_answers(edition, path):
    """Answers to try: every option, and one value on each side of every threshold the field meets."""
    field = field_of(edition, path)
    kind = field["type"]
    if kind == "bool":
        return [True, False]
    if kind == "enum":
        return [option["value"] for option in field["options"]]
    if kind == "list":
        kinds = next((f for f in field["item_fields"] if f["path"] == "kind"), None)
        return [[]] + ([[{"kind": o["value"]}] for o in kinds["options"]] if kinds else [[{}]])
    generic = _ITEM.sub("[]", path).rsplit(".", 1)[-1]
    found = set()
    for programme in edition.programmes.values():
        for rule in programme["rules"]:
            for condition in (rule["condition"], rule.get("when"), rule.get("review_when")):
                for leaf_path, leaf in thresholds(condition) if condition else ():
                    if leaf_path.rsplit(".", 1)[-1] == generic:
                        found.update(_sides(leaf, kind))
    if kind == "date":
        return sorted(found | {"0001-01-01", "9999-12-31"})
    return sorted(found | set(_EXTREMES))


def _sides(leaf, kind):
    """A value at and one just below each bound of a comparison."""
    if leaf["op"] == "on_or_after":
        day = datetime.date.fromisoformat(leaf["date"])
        return {leaf["date"], (day - datetime.timedelta(days=1)).isoformat()}
    step = 1 if kind == "int" else 0.01
    bounds = {"at_least": ["value"], "between": ["min", "max"]}.get(leaf["op"], [])
    return {max(0, leaf[key] + delta) for key in bounds for delta in (-step, 0, step)}


def with_answer(profile, path, answer):
    """A copy of the profile with `answer` at `path` (list items as `list[i].name`)."""
    trial = copy.deepcopy(profile)
    keys = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    node = trial
    for key in keys[:-1]:
        node = node[int(key[1:-1])] if key.startswith("[") else node.setdefault(key, {})
    node[keys[-1]] = answer
    return trial


def _in_order(edition, paths, weight):
    """Groups by their most decisive path (form order on ties), the form's order inside a group."""
    order = {path: index for index, path in enumerate(edition.fields)}

    def position(path):
        return order.get(_ITEM.sub("[]", path), len(order)), path

    groups = {}
    for path in sorted(paths, key=position):
        groups.setdefault(field_of(edition, path)["group"], []).append(path)
    ranked = sorted(groups.values(), key=lambda group: (-max(weight[p] for p in group), position(group[0])))
    return [path for group in ranked for path in group]
