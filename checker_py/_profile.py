"""Validate a profile against the edition's fields: a normalised copy, or every problem at once.

The contract is in rules/README.md: absent or null = unknown; amounts in 万元; dates YYYY-MM-DD,
or YYYY-MM / YYYY when that is all the applicant knows.
"""

import datetime
import math
import re

from ._errors import Problem, ProfileError

_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2})?$")


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


def validate(profile, tree):
    """A normalised copy of `profile`; ProfileError listing every invalid field otherwise."""
    if not isinstance(profile, dict):
        raise ProfileError([Problem("", "资料须为 JSON 对象", "a profile must be a JSON object")])
    problems = []
    clean = _walk(profile, tree, "", problems)
    if problems:
        raise ProfileError(problems)
    return clean


def _is_field(node):
    return isinstance(node.get("type"), str) and "path" in node


def _walk(obj, tree, prefix, problems):
    out = {}
    for key, value in obj.items():
        path = f"{prefix}{key}"
        node = tree.get(key) if isinstance(key, str) else None
        if node is None:
            problems.append(Problem(path, "未知字段", "unknown field"))
        elif value is None:
            continue
        elif _is_field(node):
            try:
                out[key] = _value(value, node, path, problems)
            except _Invalid as bad:
                problems.append(Problem(path, *bad.args))
        elif isinstance(value, dict):
            out[key] = _walk(value, node, path + ".", problems)
        else:
            problems.append(Problem(path, "应为对象", "expected an object"))
    return out


class _Invalid(Exception):
    """One value's problem, as (zh, en)."""


def _value(value, field, path, problems):
    """One value checked against its field; dates come back as ISO text."""
    kind = field["type"]
    if kind == "bool":
        if not isinstance(value, bool):
            raise _Invalid("应为 true 或 false", "expected true or false")
        return value
    if kind == "enum":
        allowed = [option["value"] for option in field["options"]]
        if not isinstance(value, str) or value not in allowed:
            raise _Invalid(f"取值应为 {' | '.join(allowed)}", f"expected one of {' | '.join(allowed)}")
        return value
    if kind == "date":
        return _date(value)
    if kind in ("number", "int"):
        return _amount(value, kind)
    if not isinstance(value, list):  # a list of items, each checked against the item fields
        raise _Invalid("应为列表", "expected a list")
    items_tree = {item["path"]: item for item in field["item_fields"]}
    items = []
    for index, item in enumerate(value):
        if isinstance(item, dict):
            items.append(_walk(item, items_tree, f"{path}[{index}].", problems))
        else:
            problems.append(Problem(f"{path}[{index}]", "应为对象", "expected an object"))
    return items


def _amount(value, kind):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Invalid("应为数字", "expected a number")
    if kind == "int" and not isinstance(value, int):
        raise _Invalid("应为整数", "expected a whole number")
    if not math.isfinite(value):
        raise _Invalid("应为有限数字", "expected a finite number")
    if value < 0:
        raise _Invalid("不能为负数", "must not be negative")
    return value


def _date(value):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()  # YAML profiles give dates as dates
    if isinstance(value, str):
        try:
            if len(value) == 10 and value[4] == "-" and value[7] == "-":
                return datetime.date.fromisoformat(value).isoformat()
            if _PARTIAL_DATE.match(value) and (len(value) == 4 or 1 <= int(value[5:]) <= 12):
                return value
        except ValueError:
            pass
    raise _Invalid("日期应为 YYYY-MM-DD（或只知年月时 YYYY-MM、YYYY）格式的有效日期",
                   "expected a valid date YYYY-MM-DD (or YYYY-MM, YYYY when that is all you know)")
