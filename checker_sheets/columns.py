"""The spreadsheet's columns, derived from the compiled rules (rules.json "fields" and "programmes").

First the application's own columns, which are no answers to the rules: the unit's, the project's and
the leader's names (what names a row, and what the checks across rows compare) and the programme the
row applies to. Then one column per field; the achievements list becomes a yes/no column
(`project.achievements`: 否 = none, blank = unknown) followed by a fixed number of column groups, one
per achievement, whose field-path headers count from 1 (`project.achievements[1].kind`).
"""

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from checker_py.strings import SHEETS

# One qualifying achievement is enough for every rule of the guide; three groups leave room for
# the ones that do not qualify (a user lists what the project has, not only what counts).
ACHIEVEMENT_GROUPS = 3


@dataclass(frozen=True)
class Column:
    """One column of the template: its field-path header, its labels and how its cells are read."""

    path: str  # the header as a field path; list items count from 1
    kind: str  # bool | enum | date | number | int (the list's own column is a bool)
    label: dict  # {zh, en}
    field: dict  # the schema entry (for an item column, the item field)
    list_path: str = ""  # for an item column: the list field's path
    item: int = 0  # for an item column: the 1-based group number
    choices: dict = field(default_factory=dict, compare=False)  # enum: {normalised value or label: value}
    answer: bool = True  # False for the application's own columns, which are not part of the profile


# The application's own columns, by field-path header (accepted as headers like the fields' paths),
# and the clauses of the guide each serves: the checks across rows (checker_sheets/across.py).
APPLICATION = {"unit.name": (), "project.name": ("notice#restrict-1",), "leader.name": ("notice#restrict-2",),
               "programme": ("notice#restrict-1",)}


def item_label(n, label, lang):
    """The label of an achievement group's column: 成果1：成果类型 / Achievement 1: Kind of achievement."""
    return SHEETS["item_label"][lang].format(n=n, label=label[lang])


def choices(entry):
    """{normalised value or label (zh, en): value} of an enum field; {} for any other type."""
    table = {}
    for option in entry.get("options") or ():
        for text in (option["value"], option["label"]["zh"], option["label"]["en"]):
            table.setdefault(normalise(text), option["value"])
    return table


def programme_order(rules):
    """The programme ids of compiled rules, in the guide's order."""
    return rules.get("programme_order") or list(rules["programmes"])


def application_columns(rules):
    """The application's own columns: names as text, and the intended programme as a choice of titles."""
    out = []
    for path, clauses in APPLICATION.items():
        entry = {"path": path, "type": "text", "clauses": list(clauses),
                 "label": {lang: SHEETS[f"label_{path}"][lang] for lang in ("zh", "en")},
                 "help": {lang: SHEETS[f"help_{path}"][lang] for lang in ("zh", "en")}}
        if path == "programme":
            entry["type"] = "enum"
            entry["options"] = [{"value": pid, "label": rules["programmes"][pid]["title"]} for pid in programme_order(rules)]
        out.append(Column(path, entry["type"], entry["label"], entry, choices=choices(entry), answer=False))
    return out


def columns(rules, groups=ACHIEVEMENT_GROUPS):
    """Every column of the template, in its order: the application's own, then the schema's fields."""
    out = application_columns(rules)
    for entry in rules["fields"]:
        if entry["type"] != "list":
            out.append(Column(entry["path"], entry["type"], entry["label"], entry, choices=choices(entry)))
            continue
        has = {lang: SHEETS["has_list"][lang].format(label=entry["label"][lang]) for lang in ("zh", "en")}
        out.append(Column(entry["path"], "bool", has, entry, list_path=entry["path"]))
        for n in range(1, groups + 1):
            for sub in entry["item_fields"]:
                label = {lang: item_label(n, sub["label"], lang) for lang in ("zh", "en")}
                out.append(Column(f"{entry['path']}[{n}].{sub['path']}", sub["type"], label, sub,
                                  list_path=entry["path"], item=n, choices=choices(sub)))
    return out


@functools.lru_cache(maxsize=4096)
def normalise(text):
    """A header or answer as compared: NFKC (full-width to half-width), no spaces, case folded.

    Cached: a sheet repeats the same few answers (是, 企业, ...) in every row.
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).casefold()


def header_index(cols):
    """{normalised header: column} for the labels in both languages and the field paths.

    Raises ValueError when two columns would share a header (the schema must keep them apart).
    """
    index = {}
    for col in cols:
        for header in (col.path, col.label["zh"], col.label["en"]):
            key = normalise(header)
            if index.get(key, col) is not col:
                raise ValueError(f"the header {header!r} names two columns")
            index[key] = col
    return index


def letter(index):
    """The spreadsheet letter of a 0-based column index: 0 -> A, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name
