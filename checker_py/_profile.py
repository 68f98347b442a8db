"""Validate a profile against the compiled `fields` and return a normalised copy."""

import datetime
import math

from ._errors import ProfileError


def build_schema(fields):
    """Nest the flat field list into {group: {name: field}} (top-level fields stand alone)."""
    schema = {}
    for field in fields:
        parts = field["path"].split(".")
        node = schema
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = field
    return schema


def _is_field(node):
    return "type" in node and isinstance(node.get("type"), str) and "path" in node


def validate(profile, schema):
    """A normalised copy of `profile`, or ProfileError naming the first bad field."""
    if not isinstance(profile, dict):
        raise ProfileError("", "资料须为 JSON 对象", "a profile must be a JSON object")
    return _walk(profile, schema, "")


def _walk(obj, schema, prefix):
    out = {}
    for key, value in obj.items():
        path = f"{prefix}{key}"
        node = schema.get(key) if isinstance(key, str) else None
        if node is None:
            raise ProfileError(path, "未知字段", "unknown field")
        if value is None:
            continue
        if _is_field(node):
            out[key] = _value(value, node, path)
        elif isinstance(value, dict):
            out[key] = _walk(value, node, path + ".")
        else:
            raise ProfileError(path, "应为对象", "expected an object")
    return out


def _value(value, field, path):
    """Check one value against its field type; dates become ISO strings."""
    kind = field["type"]
    if kind == "bool":
        if not isinstance(value, bool):
            raise ProfileError(path, "应为 true 或 false", "expected true or false")
        return value
    if kind == "enum":
        allowed = [o["value"] for o in field["options"]]
        if not isinstance(value, str) or value not in allowed:
            raise ProfileError(path, f"取值应为 {' | '.join(allowed)}", f"expected one of {' | '.join(allowed)}")
        return value
    if kind == "date":
        return _date(value, path)
    if kind in ("number", "int"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ProfileError(path, "应为数字", "expected a number")
        if kind == "int" and not isinstance(value, int):
            raise ProfileError(path, "应为整数", "expected a whole number")
        if isinstance(value, float) and not math.isfinite(value):
            raise ProfileError(path, "应为有限数字", "expected a finite number")
        if value < 0:
            raise ProfileError(path, "不能为负数", "must not be negative")
        return value
    if kind == "list":
        if not isinstance(value, list):
            raise ProfileError(path, "应为列表", "expected a list")
        items_schema = {f["path"]: f for f in field["item_fields"]}
        items = []
        for i, item in enumerate(value):
            ipath = f"{path}[{i}]"
            if not isinstance(item, dict):
                raise ProfileError(ipath, "应为对象", "expected an object")
            items.append(_walk(item, items_schema, ipath + "."))
        return items
    raise ProfileError(path, "字段类型无法识别", "unsupported field type")  # pragma: no cover


def _date(value, path):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise ProfileError(path, "日期应为 YYYY-MM-DD 格式的有效日期", "expected a valid date YYYY-MM-DD")
