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

Trying an answer for one item of a list judges that item and a few others that decide (`Trials`),
not the whole list again: the work grows linearly with the number of items.
"""

import datetime
import re

from ._evaluate import funding_form, judge_programme, judge_rule, value_at
from ._grammar import holds, list_tests, thresholds
from ._scope import Scope, Trace

_ITEM = re.compile(r"\[\d+\]")
_ITEM_TAIL = re.compile(r"\[\d+\].*$")
_ITEM_PATH = re.compile(r"^(?P<list>.+)\[(?P<index>\d+)\]\.(?P<name>\w+)$")
_EXTREMES = (0, 10 ** 9)  # amounts: nothing, and more than any threshold


def next_questions(edition, profile, programme=None, skipped=(), verdicts=None):
    """Field paths whose answer can still change a verdict, in asking order, without `skipped`.

    `verdicts` are the programmes' judgements of this profile when the caller has them already.
    """
    if verdicts is None:
        ids = [programme] if programme is not None else list(edition.programmes)
        verdicts = [judge_programme(edition.programmes[pid], profile) for pid in ids]
    never = set(skipped)
    if programme is None:  # the request belongs to one programme: never asked of all at once
        never.update(v.programme["funding"]["request_field"] for v in verdicts)
    concerned = {}  # path -> (programme, outcome) of every open condition that misses it
    for verdict in verdicts:
        if verdict.verdict == "ineligible":
            continue
        for outcome in verdict.outcomes:
            if outcome.rule["kind"] != "priority" and (outcome.status == "unknown" or outcome.defaults):
                for path in outcome.missing + outcome.defaults:
                    if path not in never:
                        concerned.setdefault(path, []).append((verdict, outcome))
    weight = {path: len(pairs) for path, pairs in concerned.items()}
    trials = Trials(edition, profile)
    decisive = [path for path, pairs in concerned.items() if trials.can_change(path, pairs)]
    return _in_order(edition, decisive or list(weight), weight)


# At most this many questions on one guided step: the few one condition reads together.
MAX_STEP = 3


def question_of(path):
    """The question a field path belongs to: a list's item fields belong to the list."""
    return _ITEM_TAIL.sub("", path)


def next_step(edition, profile, programme=None, skipped=()):
    """The guided mode's next step: {questions, paths, remaining}.

    `questions`: the first question to ask and those one undecided condition reads with it in the
    same group (the leader's title or degree), at most MAX_STEP; none when nothing can change a
    verdict. A follow-up question (`ask_when`) is asked only once the answer it depends on is one of
    those named: before that the person could not answer it. `paths`: the engine's field paths the
    step stands for (a list's item fields included). `remaining`: how many questions can still
    change a verdict.
    """
    ids = [programme] if programme is not None else list(edition.programmes)
    verdicts = [judge_programme(edition.programmes[pid], profile) for pid in ids]
    paths = next_questions(edition, profile, programme, skipped, verdicts)
    questions = []
    for path in map(question_of, paths):
        when = edition.fields[path].get("ask_when")
        if when and value_at(profile, when["field"]) not in when["in"]:
            continue
        if path not in questions:
            questions.append(path)
    step = questions[:1]
    for path in questions[1:MAX_STEP]:
        if field_of(edition, path)["group"] != field_of(edition, step[0])["group"] \
                or not _read_together(verdicts, step[0], path):
            break
        step.append(path)
    return {"questions": step, "paths": [p for p in paths if question_of(p) in step],
            "remaining": len(set(map(question_of, paths)))}


def _read_together(verdicts, first, other):
    """Whether one undecided condition reads both questions."""
    return any(outcome.status == "unknown" and {first, other} <= set(map(question_of, outcome.fields))
               for verdict in verdicts for outcome in verdict.outcomes)


class Trials:
    """Trying answers on one profile, in time linear in the length of its lists.

    A trial for an item's field (`project.achievements[3].date`) keeps of the other items only
    those that decide a `some` test (one that holds and one that is unknown, per test), so it
    judges a few items instead of all of them: a `some` test's value over the other items is all
    that matters, and these witnesses keep it for every test at once.
    """

    def __init__(self, edition, profile):
        self.edition, self.profile = edition, profile
        self.answers = {}  # generic path -> candidate answers
        self.witnesses = {}  # (rule id, form, list path) -> per `some` test, (indexes that hold, unknown)

    def can_change(self, path, concerned):
        """Whether some answer at `path` changes the status of one of the `concerned` conditions."""
        generic = _ITEM.sub("[]", path)
        if generic not in self.answers:
            self.answers[generic] = candidate_answers(self.edition, path)
        item = _ITEM_PATH.match(path)
        for answer in self.answers[generic]:
            for verdict, outcome in concerned:
                # On the answers as judged: the request assumed when none was given included.
                if item:
                    form = funding_form(verdict.programme, (self.profile.get("unit") or {}).get("kind"))
                    trial = self.item_trial(verdict.answers, item, answer, outcome.rule, form)
                else:
                    trial = with_answer(verdict.answers, path, answer)
                    form = funding_form(verdict.programme, (trial.get("unit") or {}).get("kind"))
                if judge_rule(outcome.rule, trial, form).status != outcome.status:
                    return True
        return False

    def item_trial(self, answers, item, answer, rule, form):
        """The answers with one item's field answered and only that item and the witnesses in its list."""
        list_path, index = item.group("list"), int(item.group("index"))
        items = value_at(self.profile, list_path)
        keep = set()
        for holding, unknown in self.decisive_items(rule, form, list_path, items):
            keep.update([next((j for j in holding if j != index), None), next((j for j in unknown if j != index), None)])
        keep.discard(None)
        reduced = [items[j] for j in sorted(keep)] + [{**items[index], item.group("name"): answer}]
        return with_answer(answers, list_path, reduced)

    def decisive_items(self, rule, form, list_path, items):
        """Per `some` test of the rule on this list: the first two items for which it holds, and the
        first two for which it is unknown (two, so that one remains when the answered item is one)."""
        key = (rule["id"], form, list_path)
        if key not in self.witnesses:
            tests = [test for part in ("when", "condition", "review_when") if part in rule
                     for test in list_tests(rule[part]) if test["field"] == list_path]
            found = []
            for test in tests:
                holding, unknown = [], []
                for j, entry in enumerate(items):
                    value = holds(test["where"], Scope(entry, form, Trace()))
                    if value is True and len(holding) < 2:
                        holding.append(j)
                    elif value is None and len(unknown) < 2:
                        unknown.append(j)
                found.append((holding, unknown))
            self.witnesses[key] = found
        return self.witnesses[key]


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
    """A copy of the profile with `answer` at `path` (list items as `list[i].name`); only the
    dicts and lists on the way are copied, the rest is shared."""
    return _put(profile, re.findall(r"[^.\[\]]+|\[\d+\]", path), answer)


def _put(node, keys, answer):
    """A copy of `node` with `answer` under `keys`."""
    key, rest = keys[0], keys[1:]
    if key.startswith("["):
        copy, key = list(node), int(key[1:-1])
    else:
        copy = dict(node or {})
    copy[key] = _put(copy.get(key) if isinstance(copy, dict) else copy[key], rest, answer) if rest else answer
    return copy


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
