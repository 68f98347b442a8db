"""The condition grammar of rules/: every operator defined once, with its check, what it reads and
its three-valued (Kleene) evaluation. The build validates rules/ with `compile_condition`; the
engine evaluates the compiled nodes with `holds`.

An answer that is absent is unknown (None), never "no": `all` is False as soon as one part is
False, else unknown if one part is, else True; `any` is the mirror image.
"""

import datetime
from decimal import Decimal

from ._scope import date_span


# -- evaluation ---------------------------------------------------------------------------------


def _both(parts, scope, stop):
    """Kleene all (stop=False) / any (stop=True): the first `stop` decides, else unknown wins."""
    result = not stop
    for part in parts:
        value = holds(part, scope)
        if value is stop:
            return stop
        if value is None:
            result = None
    return result


def _field_test(test):
    """Evaluation of a one-field operator: unknown when the answer is absent."""
    def evaluate(node, scope):
        value = scope.value(node["field"])
        return None if value is None else test(node, value, scope)
    return evaluate


def _on_or_after(node, value, scope):
    first, last = date_span(value)
    if first >= node["date"]:
        return True
    if last < node["date"]:
        return False
    scope.undecided(node["field"])
    return None


def _some(node, scope):
    items = scope.value(node["field"])
    if items is None:
        return None
    result = False  # [] = none: known, and nothing qualifies
    for index, item in enumerate(items):
        value = holds(node["where"], scope.item(node["field"], index, item))
        if value is True:
            return True
        if value is None:
            result = None
    return result


def _funding_form(node, scope):
    scope.trace.note("unit.kind", scope.form.known)
    return scope.form.form == node["form"] if scope.form.known else None


def _self_funding_at_least(node, scope):
    total = scope.value("project.total_investment")
    own = scope.value("project.self_funding")
    if own is None:
        request = scope.value("project.requested_funding")
        own = None if total is None or request is None else total - request
        if own is not None:
            scope.trace.defaulted("project.self_funding")
    if total is None or own is None:
        return None
    # Exact decimals: 3200 of 4000 is 80 %, never 79.99999 %.
    total, own = Decimal(str(total)), Decimal(str(own))
    return total > 0 and own * 100 >= Decimal(str(node["percent"])) * total


def holds(node, scope):
    """The condition's value for the scope's answers: True, False or None (unknown)."""
    return OPERATORS[node["op"]].evaluate(node, scope)


# -- checking rules/ (used by the build) --------------------------------------------------------


def _param(raw, ctx, path, kind):
    """A literal, or `$name` of a parameter of type `kind`: (value, name or None)."""
    if isinstance(raw, str) and raw.startswith("$"):
        param = ctx.params.get(raw[1:])
        if param is None:
            ctx.error(path, f"unknown parameter {raw!r}")
        if param["type"] not in kind:
            ctx.error(path, f"parameter {raw!r} is a {param['type']}, expected {' or '.join(kind)}")
        return param["value"], raw[1:]
    return raw, None


def _field(raw, ctx, path, scope, types):
    """The field a leaf names: it exists (in the list item inside `some`) and has a suitable type."""
    name = raw.get("field")
    full = scope + str(name)
    field = ctx.fields.get(full)
    if not isinstance(name, str) or field is None:
        ctx.error(f"{path}.field", f"unknown profile field {full!r}")
    if field["type"] not in types:
        ctx.error(f"{path}.field", f"{full} is a {field['type']} field; this test needs {' or '.join(types)}")
    return name, field


def _leaf(node, param):
    """A compiled leaf, naming the parameter its value came from."""
    if param:
        node["param"] = param
    return node


def _check_is(raw, ctx, path, scope):
    name, _ = _field(raw, ctx, path, scope, ("bool",))
    if not isinstance(raw["is"], bool):
        ctx.error(f"{path}.is", "expected true or false")
    return {"op": "is", "field": name, "value": raw["is"]}


def _check_in(raw, ctx, path, scope):
    name, field = _field(raw, ctx, path, scope, ("enum",))
    values, param = _param(raw["in"], ctx, f"{path}.in", ("options",))
    allowed = [option["value"] for option in field["options"]]
    if not isinstance(values, list) or not values:
        ctx.error(f"{path}.in", "expected a non-empty list of options")
    on_scale = [o["value"] for o in field["options"] if not o.get("off_scale")]
    if field.get("ordered") and param is None and any(value in on_scale for value in values):
        ctx.error(f"{path}.in", f"{scope}{name} is an ordered scale: name its threshold as a parameter ($name), not a list")
    for value in values:
        if value not in allowed:
            ctx.error(f"{path}.in", f"{value!r} is not an option of {scope}{name}")
    return _leaf({"op": "in", "field": name, "values": list(values)}, param)


def _check_on_or_after(raw, ctx, path, scope):
    name, _ = _field(raw, ctx, path, scope, ("date",))
    day, param = _param(raw["on_or_after"], ctx, f"{path}.on_or_after", ("date",))
    if not isinstance(day, str) or len(day) != 10 or not _is_iso(day):
        ctx.error(f"{path}.on_or_after", "expected a date YYYY-MM-DD (quoted)")
    return _leaf({"op": "on_or_after", "field": name, "date": day}, param)


def _is_iso(text):
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _number(value, ctx, path):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        ctx.error(path, f"expected a number, got {type(value).__name__}")
    return value


def _check_at_least(raw, ctx, path, scope):
    name, _ = _field(raw, ctx, path, scope, ("number", "int"))
    value, param = _param(raw["at_least"], ctx, f"{path}.at_least", ("count", "money"))
    return _leaf({"op": "at_least", "field": name, "value": _number(value, ctx, f"{path}.at_least")}, param)


def _check_between(raw, ctx, path, scope):
    name, _ = _field(raw, ctx, path, scope, ("number", "int"))
    span, param = _param(raw["between"], ctx, f"{path}.between", ("money_range",))
    if not isinstance(span, dict) or set(span) != {"min", "max"}:
        ctx.error(f"{path}.between", "expected a range parameter ($name) with min and max")
    return _leaf({"op": "between", "field": name, "min": span["min"], "max": span["max"]}, param)


def _check_parts(raw, ctx, path, scope):
    op = "all" if "all" in raw else "any"
    parts = raw[op]
    if not isinstance(parts, list) or not parts:
        ctx.error(f"{path}.{op}", "expected a non-empty list of conditions")
    return {"op": op, "of": [compile_condition(part, ctx, f"{path}.{op}[{i}]", scope) for i, part in enumerate(parts)]}


def _check_some(raw, ctx, path, scope):
    name = raw["some"]
    field = ctx.fields.get(name) if isinstance(name, str) and not scope else None
    if field is None or field["type"] != "list":
        ctx.error(f"{path}.some", f"unknown list field {name!r}")
    return {"op": "some", "field": name, "where": compile_condition(raw["where"], ctx, f"{path}.where", f"{name}[].")}


def _check_funding_form(raw, ctx, path, scope):
    if raw["funding_form"] not in ctx.forms:
        ctx.error(f"{path}.funding_form", f"unknown funding form {raw['funding_form']!r}")
    return {"op": "funding_form", "form": raw["funding_form"]}


def _check_self_funding(raw, ctx, path, scope):
    percent, param = _param(raw["self_funding_at_least"], ctx, f"{path}.self_funding_at_least", ("percent",))
    if not 0 < _number(percent, ctx, f"{path}.self_funding_at_least") <= 100:
        ctx.error(f"{path}.self_funding_at_least", "expected a percentage in (0, 100]")
    return _leaf({"op": "self_funding_at_least", "percent": percent}, param)


def _check_use(raw, ctx, path, scope):
    """A named condition of common.yaml's `conditions`, compiled in place (so evaluation never sees it)."""
    name = raw["use"]
    block = ctx.conditions.get(name) if isinstance(name, str) else None
    if block is None:
        known = ", ".join(sorted(ctx.conditions)) or "none"
        ctx.error(f"{path}.use", f"unknown named condition {name!r} (named conditions: {known})")
    return compile_condition(block, ctx, f"{path}.use", scope)


class Operator:
    """One operator: the YAML keys it takes, how it is checked, what it reads, how it evaluates."""

    def __init__(self, keys, check, reads, evaluate):
        self.keys, self.check, self.reads, self.evaluate = keys, check, reads, evaluate


def _reads_field(node):
    return [node["field"]]


def _reads_parts(node):
    return [path for part in node["of"] for path in reads(part)]


SELF_FUNDING_FIELDS = ("project.total_investment", "project.self_funding", "project.requested_funding")

OPERATORS = {
    "is": Operator(("field", "is"), _check_is, _reads_field, _field_test(lambda n, v, s: v is n["value"])),
    "in": Operator(("field", "in"), _check_in, _reads_field, _field_test(lambda n, v, s: v in n["values"])),
    "on_or_after": Operator(("field", "on_or_after"), _check_on_or_after, _reads_field, _field_test(_on_or_after)),
    "at_least": Operator(("field", "at_least"), _check_at_least, _reads_field,
                         _field_test(lambda n, v, s: v >= n["value"])),
    "between": Operator(("field", "between"), _check_between, _reads_field,
                        _field_test(lambda n, v, s: n["min"] <= v <= n["max"])),
    "all": Operator(("all",), _check_parts, _reads_parts, lambda n, s: _both(n["of"], s, False)),
    "any": Operator(("any",), _check_parts, _reads_parts, lambda n, s: _both(n["of"], s, True)),
    "some": Operator(("some", "where"), _check_some,
                     lambda n: [n["field"]] + [f"{n['field']}[]." + p for p in reads(n["where"])], _some),
    "funding_form": Operator(("funding_form",), _check_funding_form, lambda n: ["unit.kind"], _funding_form),
    "self_funding_at_least": Operator(("self_funding_at_least",), _check_self_funding,
                                      lambda n: list(SELF_FUNDING_FIELDS), _self_funding_at_least),
    # Compiled away: a named condition is replaced by its own compiled node.
    "use": Operator(("use",), _check_use, None, None),
}


def reads(node):
    """The field paths a compiled condition can read (items of a list as `list[].name`)."""
    return OPERATORS[node["op"]].reads(node)


def compile_condition(raw, ctx, path, scope=""):
    """Check one condition of rules/ and return its compiled node.

    `ctx` has `fields` (path -> field; list items as `list[].name`), `params` (name -> parameter),
    `forms` (names), `conditions` (name -> a named condition, for `use`) and `error(path, message)`,
    which raises. `scope` is `list[].` inside `some`.
    """
    if not isinstance(raw, dict) or not raw:
        ctx.error(path, "expected a condition (a mapping)")
    for name, operator in OPERATORS.items():
        if name in raw:
            unknown = sorted(set(raw) - set(operator.keys))
            if unknown:
                ctx.error(f"{path}.{unknown[0]}", f"unknown key; {name!r} takes {', '.join(operator.keys)}")
            missing = [key for key in operator.keys if key not in raw]
            if missing:
                ctx.error(f"{path}.{missing[0]}", "missing")
            return operator.check(raw, ctx, path, scope)
    known = sorted({key for operator in OPERATORS.values() for key in operator.keys})
    ctx.error(path, f"unknown condition {sorted(raw)}; allowed keys: {', '.join(known)}")


def thresholds(node):
    """(field, operator node) of every leaf that compares a field with a value, for next questions."""
    if node["op"] in ("all", "any"):
        return [pair for part in node["of"] for pair in thresholds(part)]
    if node["op"] == "some":
        return [(f"{node['field']}[].{field}", leaf) for field, leaf in thresholds(node["where"])]
    if node["op"] == "self_funding_at_least":
        return [(path, node) for path in SELF_FUNDING_FIELDS]
    return [(node["field"], node)] if "field" in node else []


def list_tests(node):
    """Every `some` node of a compiled condition: the parts that read a list item by item."""
    if node["op"] in ("all", "any"):
        return [found for part in node["of"] for found in list_tests(part)]
    return [node] if node["op"] == "some" else []
