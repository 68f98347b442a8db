"""Compile the rules' condition trees into closures with three-valued (Kleene) logic.

A closure is `f(obj, env, missing, prefix) -> True | False | None`: None means unknown. It appends
to `missing` the path of every absent value it needed; the caller keeps that list only when the
rule as a whole comes out unknown.
"""

from decimal import Decimal


def compile_condition(cond):
    """The closure for one normalised condition (see sitegen/rules.py for the grammar)."""
    return _COMPILERS[cond["op"]](cond)


def _lookup(obj, keys):
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
        if obj is None:
            return None
    return obj


def _field_test(cond, test):
    path = cond["field"]
    keys = tuple(path.split("."))

    def leaf(obj, env, missing, prefix):
        value = _lookup(obj, keys)
        if value is None:
            missing.append(prefix + path)
            return None
        return test(value)
    return leaf


def _is(cond):
    expected = cond["value"]
    return _field_test(cond, lambda v: v is expected)


def _in(cond):
    allowed = frozenset(cond["values"])
    return _field_test(cond, lambda v: v in allowed)


def _on_or_after(cond):
    day = cond["date"]  # ISO dates compare correctly as strings
    return _field_test(cond, lambda v: v >= day)


def _at_least(cond):
    bound = cond["value"]
    return _field_test(cond, lambda v: v >= bound)


def _all(cond):
    parts = [compile_condition(c) for c in cond["of"]]

    def all_(obj, env, missing, prefix):
        result = True
        for part in parts:
            r = part(obj, env, missing, prefix)
            if r is False:
                return False
            if r is None:
                result = None
        return result
    return all_


def _any(cond):
    parts = [compile_condition(c) for c in cond["of"]]

    def any_(obj, env, missing, prefix):
        result = False
        for part in parts:
            r = part(obj, env, missing, prefix)
            if r is True:
                return True
            if r is None:
                result = None
        return result
    return any_


def _some(cond):
    path = cond["field"]
    keys = tuple(path.split("."))
    where = compile_condition(cond["where"])

    def some(obj, env, missing, prefix):
        items = _lookup(obj, keys)
        if items is None:
            missing.append(prefix + path)
            return None
        result = False  # [] = none: known, and nothing qualifies
        for i, item in enumerate(items):
            r = where(item, env, missing, f"{prefix}{path}[{i}].")
            if r is True:
                return True
            if r is None:
                result = None
        return result
    return some


def _funding_form(cond):
    form = cond["form"]

    def funding_form(obj, env, missing, prefix):
        actual = env["form"]
        if actual is None and not env["form_known"]:
            missing.append("unit.kind")
            return None
        return actual == form
    return funding_form


def self_funding(project):
    """Self-raised funds: as given, else total − request (the reading recorded in the rules)."""
    total = project.get("total_investment")
    own = project.get("self_funding")
    if own is None and total is not None and project.get("requested_funding") is not None:
        own = total - project["requested_funding"]
    return total, own


def _self_funding_percent(cond):
    percent = Decimal(str(cond["percent"]))

    def ratio(obj, env, missing, prefix):
        total, own = self_funding(obj.get("project") or {})
        if total is None:
            missing.append("project.total_investment")
        if own is None:
            missing.append("project.self_funding")
        if total is None or own is None:
            return None
        total_d, own_d = Decimal(str(total)), Decimal(str(own))
        env["own"], env["total"] = own_d, total_d
        # Exact decimal comparison: 3200 of 4000 is 80 %, never 79.99999 %.
        return own_d * 100 >= percent * total_d and total_d > 0
    return ratio


def _request_in_range(cond):
    lo, hi = cond["min"], cond["max"]

    def request(obj, env, missing, prefix):
        value = _lookup(obj, ("project", "requested_funding"))
        if value is None:
            missing.append("project.requested_funding")
            return None
        return lo <= value <= hi
    return request


_COMPILERS = {
    "is": _is, "in": _in, "on_or_after": _on_or_after, "at_least": _at_least,
    "all": _all, "any": _any, "some": _some, "funding_form": _funding_form,
    "self_funding_percent_at_least": _self_funding_percent, "request_in_range": _request_in_range,
}


def primary_field(cond):
    """The first field a condition reads: its value is the {value} of a failure message."""
    if cond["op"] in ("all", "any"):
        for part in cond["of"]:
            found = primary_field(part)
            if found:
                return found
        return None
    if cond["op"] == "request_in_range":
        return "project.requested_funding"
    if cond["op"] in ("is", "in", "on_or_after", "at_least"):
        return cond["field"]
    return None
