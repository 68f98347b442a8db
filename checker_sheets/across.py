"""Checks across rows: two of the guide's application restrictions concern applications together, which
no check of one row can see, and a recommending unit holds the very list that shows them.

- 申报限制（一）, `notice#restrict-1`: the same project submitted under different programmes. Two rows
  whose project names are the same once spaces, punctuation and letter case are set aside, and whose
  intended programmes are not one and the same, are both flagged.
- 申报限制（二）, `notice#restrict-2`: a leader with an unaccepted project applying again for pre-funding.
  Two rows with the same leader's name are both flagged when either may be a pre-funding application
  (its programme and kind of unit, or either unknown, admit pre-funding), as the rule's own premise says.

A flag asks for a person's review and turns an eligible verdict into "needs review"; it never fails a
row, since a list cannot tell two projects of one name, or two leaders of one name, apart.
"""

import itertools
import unicodedata
from dataclasses import dataclass

from .columns import normalise
from checker_py.strings import SHEETS

SAME_PROJECT, SAME_LEADER = "notice#restrict-1", "notice#restrict-2"


@dataclass(frozen=True)
class Flag:
    """One check across rows that concerns a row: the clause, the other rows, and the sentence."""

    clause: str
    rows: tuple  # the other rows' numbers
    zh: str
    en: str

    def message(self, lang):
        """The sentence in `lang`."""
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Pair:
    """Two rows a check across rows flags, with the clause (the CLI and the counts sheet list them)."""

    first: int
    second: int
    clause: str

    def message(self, lang, review):
        """The pair as one line: both rows, what they share and the clause."""
        return SHEETS["pair"][lang].format(first=self.first, second=self.second, what=SHEETS[_WHAT[self.clause]][lang],
                                         clause=SHEETS["clause_names"][self.clause][lang], review=review[lang])


_WHAT = {SAME_PROJECT: "same_project", SAME_LEADER: "same_leader"}


def name_key(text):
    """A name as compared: NFKC, case folded, without spaces or punctuation (“智能·压裂（一期）” = 智能压裂一期)."""
    return "".join(c for c in normalise(text) if not unicodedata.category(c).startswith(("P", "Z")))


def _rule(rules, clause):
    """The rule that encodes a clause (the same in every programme that has it)."""
    return next(rule for pid in rules["programmes"] for rule in rules["programmes"][pid]["rules"] if rule["clause"] == clause)


def _may_need(rule, row, rules):
    """Whether a rule's funding-form premise may hold for a row: its programme (or any, when it names none)
    funds its kind of unit (or any kind, when unknown) in the form the premise names."""
    premise = rule.get("when") or {}
    if premise.get("op") != "funding_form":
        return True
    kind = ((row.profile or {}).get("unit") or {}).get("kind")
    programmes = [row.programme] if row.programme else list(rules["programmes"])
    for pid in programmes:
        forms = rules["programmes"][pid]["funding"]["form"]
        possible = set(forms.values()) if kind is None else {forms.get(kind)}
        if premise["form"] in possible:
            return True
    return False


def pairs(rows, rules):
    """Every pair of rows a check across rows flags, in row order: [Pair]."""
    found = []
    leader_rule = _rule(rules, SAME_LEADER)
    checks = ((SAME_PROJECT, "project.name", lambda a, b: not (a.programme and a.programme == b.programme)),
              (SAME_LEADER, "leader.name",
               lambda a, b: _may_need(leader_rule, a, rules) or _may_need(leader_rule, b, rules)))
    for clause, path, applies in checks:
        groups = {}
        for row in rows:
            key = name_key(row.application.get(path) or "")
            if key:
                groups.setdefault(key, []).append(row)
        for group in groups.values():
            found += [Pair(a.row, b.row, clause) for a, b in itertools.combinations(group, 2) if applies(a, b)]
    return sorted(found, key=lambda pair: (pair.first, pair.second, pair.clause))


def flags(found, rules, review):
    """{row number: [Flag]}: each flagged row's flags, one per clause naming all its other rows.

    `review` is the engine's name of the review verdict ({zh, en})."""
    others = {}
    for pair in found:
        others.setdefault((pair.first, pair.clause), []).append(pair.second)
        others.setdefault((pair.second, pair.clause), []).append(pair.first)
    out = {}
    for (number, clause), rows_with in sorted(others.items()):
        rule = _rule(rules, clause)
        texts = {}
        for lang in ("zh", "en"):
            listed = SHEETS["rows_separator"][lang].join(str(n) for n in sorted(rows_with))
            which = SHEETS["other_rows" if len(rows_with) == 1 else "other_rows_many"][lang].format(rows=listed)
            texts[lang] = SHEETS["flag"][lang].format(rows=which, what=SHEETS[_WHAT[clause]][lang], label=rule["label"][lang],
                                                    clause=SHEETS["clause_names"][clause][lang], review=review[lang])
        out.setdefault(number, []).append(Flag(clause, tuple(sorted(rows_with)), texts["zh"], texts["en"]))
    return out
