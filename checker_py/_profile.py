"""Read a profile: every answer checked against its field and normalised, or every problem at once.

The engine's one reader of answers, for every surface (the form, share links, `check`, `screen`):
dates and amounts come as JSON values or as people type them, and leave as the rules compare them.
The contract is in rules/README.md: absent or null = unknown; amounts in 万元 (`250`, `1,200`,
`250万元`); dates 1988-07-01, 1988/7/1, 1988.7.1, 1988年7月1日 or 19880701, or a year or a year and
month alone (1988, 1988-07, 1988年7月); any Unicode digits (full-width １９８８, Arabic-Indic ١٩٨٨).
Dates come back as ISO text (YYYY-MM-DD, YYYY-MM or YYYY), amounts as numbers.
"""

import datetime
import math
import re
import unicodedata

from ._edition import current
from ._errors import InvalidAnswer, Problem, ProfileError


def validate(profile, edition):
    """A normalised copy of `profile`; ProfileError listing every invalid field otherwise."""
    if not isinstance(profile, dict):
        raise ProfileError([Problem("", *edition.both("profile_not_object"))])
    problems = []
    clean = _walk(profile, edition.tree, "", problems, edition)
    if problems:
        raise ProfileError(problems)
    return clean


def _is_field(node):
    return isinstance(node.get("type"), str) and "path" in node


def _walk(obj, tree, prefix, problems, edition):
    out = {}
    for key, value in obj.items():
        path = f"{prefix}{key}"
        node = tree.get(key) if isinstance(key, str) else None
        if node is None:
            problems.append(Problem(path, *edition.both("unknown_field")))
        elif value is None:
            continue
        elif _is_field(node):
            try:
                out[key] = _value(value, node, path, problems, edition)
            except InvalidAnswer as bad:
                problems.append(Problem(path, bad.zh, bad.en))
        elif isinstance(value, dict):
            out[key] = _walk(value, node, path + ".", problems, edition)
        else:
            problems.append(Problem(path, *edition.both("expected_object")))
    return out


def _value(value, field, path, problems, edition):
    """One answer read for its field; InvalidAnswer when it cannot be."""
    kind = field["type"]
    if kind == "bool":
        if not isinstance(value, bool):
            raise InvalidAnswer(*edition.both("expected_bool"))
        return value
    if kind == "enum":
        allowed = [option["value"] for option in field["options"]]
        if not isinstance(value, str) or value not in allowed:
            raise InvalidAnswer(*edition.both("expected_option", options=" | ".join(allowed)))
        return value
    if kind == "date":
        return _date(value, edition)
    if kind in ("number", "int"):
        return _amount(value, kind == "int", edition)
    if not isinstance(value, list):  # a list of items, each checked against the item fields
        raise InvalidAnswer(*edition.both("expected_list"))
    # A bound on the work an input can ask for: no application lists more (rules/README.md).
    if len(value) > field["max_items"]:
        raise InvalidAnswer(*edition.both("too_many_items", max=field["max_items"], n=len(value)))
    items_tree = {item["path"]: item for item in field["item_fields"]}
    items = []
    for index, item in enumerate(value):
        if isinstance(item, dict):
            items.append(_walk(item, items_tree, f"{path}[{index}].", problems, edition))
        else:
            problems.append(Problem(f"{path}[{index}]", *edition.both("expected_object")))
    return items


# -- text as people type it ---------------------------------------------------------------------

_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-"})


def _plain(text):
    """Typed text as the readers below match it: NFKC (full-width ／．－， and digits become ASCII),
    every other decimal digit (Arabic-Indic ١, Devanagari १, …) as its ASCII digit, no whitespace."""
    text = unicodedata.normalize("NFKC", text).translate(_MINUS_SIGNS)
    if not text.isascii():
        text = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)
    return re.sub(r"\s+", "", text)


# 1988-07-01, 1988/7/1, 1988.7.1 (one separator throughout), 1988-07, 1988.
_SEPARATED = re.compile(r"([0-9]{4})(?:([-/.])([0-9]{1,2})(?:\2([0-9]{1,2}))?)?")
# 1988年7月1日 (or 1号), 1988年7月, 1988年.
_CHINESE = re.compile(r"([0-9]{4})年(?:([0-9]{1,2})月(?:([0-9]{1,2})[日号]?)?)?")
# 19880701.
_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")


def _date_parts(text):
    """(year, month or None, day or None) as text, or None when `text` is no date form we read."""
    match = _SEPARATED.fullmatch(text)
    if match:
        return match.group(1, 3, 4)
    match = _CHINESE.fullmatch(text) or _COMPACT.fullmatch(text)
    return match.groups() if match else None


def _date(value, edition):
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()  # YAML profiles and spreadsheets give dates as dates
    parts = _date_parts(_plain(value)) if isinstance(value, str) else None
    if parts is not None:
        year, month, day = (None if part is None else int(part) for part in parts)
        try:
            if day is not None:
                return datetime.date(year, month, day).isoformat()
            datetime.date(year, 1 if month is None else month, 1)  # a real year and month
            return f"{year:04d}" if month is None else f"{year:04d}-{month:02d}"
        except ValueError:
            pass
    raise InvalidAnswer(*edition.both("expected_date"))


# A number, its thousands grouped by commas or not: 1200, 1,200, 1,200.5, .5, -3 (to be refused as
# negative); and an exponent, as a JSON number put into a text box reads (1e+21).
_NUMBER = re.compile(r"[-+]?(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_MONEY_UNIT = re.compile(r"(?:万元|万)$")


def _amount(value, whole, edition):
    expected = "expected_whole_number" if whole else "expected_number"
    if isinstance(value, str):
        text = _plain(value)
        if not whole:
            text = _MONEY_UNIT.sub("", text)
        if not _NUMBER.fullmatch(text):
            raise InvalidAnswer(*edition.both(expected))
        text = text.replace(",", "")
        try:
            value = int(text) if text.lstrip("+-").isdigit() else float(text)
        except ValueError:  # more digits than int() reads
            raise InvalidAnswer(*edition.both(expected)) from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidAnswer(*edition.both(expected))
    if not math.isfinite(value):
        raise InvalidAnswer(*edition.both("expected_finite"))
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 250.0 from a spreadsheet or a JSON file is the 250 a person typed
    if whole and not isinstance(value, int):
        raise InvalidAnswer(*edition.both("expected_whole_number"))
    if value < 0:
        raise InvalidAnswer(*edition.both("negative"))
    return value


def read_date(value):
    """A date as people type it (or a datetime.date) as the rules compare it: 'YYYY-MM-DD', or
    'YYYY-MM' / 'YYYY' for a month or year alone; InvalidAnswer (zh, en) when it is none."""
    return _date(value, current())


def read_amount(value, whole=False):
    """An amount as people type it ('1,200', '250万元', '３') or a number, as a number (integral
    values as int); `whole` for a count (no unit, no fraction). InvalidAnswer (zh, en) otherwise."""
    return _amount(value, whole, current())
