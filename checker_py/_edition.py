"""The compiled edition the engine reads (checker_py/_data/rules.json, written by the build)."""

import json
from dataclasses import dataclass

from ._errors import ProfileError
from ._formats import param_text, phrase
from ._grammar import reads

LANGS = ("zh", "en")


class RulesMissing(RuntimeError):
    """checker_py/_data/rules.json has not been written by the build yet."""


@dataclass
class Edition:
    """One edition's rules, ready to evaluate."""

    edition: str
    params: dict  # name -> {type, value, clause, description}
    fields: dict  # path -> field; list items as `list[].name`
    tree: dict  # the fields nested by group, for validation
    forms: dict  # funding form -> {zh, en}
    strings: dict  # interface string key -> {zh, en}
    programmes: dict  # id -> programme, in guide order
    param_texts: dict  # lang -> parameter name -> its value as text
    next_steps: list  # what an admitted applicant does next, in order (rules' `next_steps`)

    def programme(self, pid):
        """The programme `pid`; ProfileError naming the option when there is none."""
        if pid not in self.programmes:
            ids = " | ".join(self.programmes)
            raise self.problem("programme", "unknown_programme", ids=ids)
        return self.programmes[pid]

    def text(self, key, lang, **values):
        """An interface string in `lang`, its {placeholders} filled."""
        return phrase(self.strings[key][lang], **values)

    def problem(self, field, key, **values):
        """A ProfileError about `field`, worded by the string `key` in both languages."""
        return ProfileError.one(field, *self.both(key, **values))

    def both(self, key, **values):
        """An interface string in both languages, (zh, en), as a Problem or InvalidAnswer carries it."""
        return tuple(self.text(key, lang, **values) for lang in LANGS)


def schema(fields):
    """The field list nested as {group: {name: field}} (a top-level field stands alone)."""
    tree = {}
    for field in fields:
        *groups, name = field["path"].split(".")
        node = tree
        for group in groups:
            node = node.setdefault(group, {})
        node[name] = field
    return tree


def _self_funding_percent(node):
    """The percentage of a programme's self-funding test, if its condition has one."""
    if node["op"] == "self_funding_at_least":
        return node["percent"]
    for part in node.get("of", ()):
        found = _self_funding_percent(part)
        if found is not None:
            return found
    return None


def from_data(data):
    """An Edition from the compiled dict."""
    fields = {}
    for field in data["fields"]:
        fields[field["path"]] = field
        for item in field.get("item_fields", ()):
            fields[f"{field['path']}[].{item['path']}"] = item
    # The field the applicant chooses rather than knows (the request): judged at its best value when absent.
    choice = next(f["path"] for f in data["fields"] if f.get("applicant_choice"))
    programmes = {}
    for pid in data["programme_order"]:
        programme = dict(data["programmes"][pid])
        programme["funding"] = {**programme["funding"], "request_field": choice}
        percents = [_self_funding_percent(rule["condition"]) for rule in programme["rules"]]
        programme["self_funding_percent"] = next((p for p in percents if p is not None), None)
        # The answer a failure message quotes as {value}: the first non-list field the rule reads.
        programme["rules"] = [{**rule, "value_field": next((f for f in reads(rule["condition"])
                                                           if fields[f]["type"] != "list"), None)}
                              for rule in programme["rules"]]
        programmes[pid] = programme
    texts = {lang: {name: param_text(p, lang) for name, p in data["params"].items()} for lang in LANGS}
    return Edition(data["edition"], data["params"], fields, schema(data["fields"]), data["forms"],
                   data["strings"], programmes, texts, data["next_steps"])


_LOADED = []  # the edition in use: loaded from the package on first use, or set by use_rules


def use_rules(data):
    """Use this compiled-rules dict from now on (the build's tests compile in memory)."""
    _LOADED[:] = [from_data(data)]


def current():
    """The edition in use, read from the package's compiled rules on first use."""
    if not _LOADED:
        from importlib import resources
        try:
            text = resources.files("checker_py").joinpath("_data", "rules.json").read_text(encoding="utf-8")
        except (FileNotFoundError, OSError):
            raise RulesMissing("checker_py/_data/rules.json is missing: run `make site` "
                               "(the build compiles rules/ into it)") from None
        use_rules(json.loads(text))
    return _LOADED[0]
