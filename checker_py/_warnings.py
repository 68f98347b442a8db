"""Plausibility warnings: answers that are valid but probably slips. Shown beside their question by the
page, printed by the CLI; they never change a verdict."""

import datetime
from decimal import Decimal

from ._formats import money
from ._scope import date_span

# 10 亿元 and more, typed in a 万元 box, is far beyond any programme of the guide: probably 元.
YUAN_SUSPECT = 100000
# Karamay keeps China Standard Time, UTC+8 all year: "today" is the applicant's day there.
KARAMAY = datetime.timezone(datetime.timedelta(hours=8))


def karamay_today():
    """Today's date in Karamay."""
    return datetime.datetime.now(KARAMAY).date()


def plausibility(edition, profile, lang, today=None):
    """[{field, message}] of the slips a valid, normalised profile suggests."""
    today = (today or karamay_today()).isoformat()
    out = []

    def warn(field, key, **values):
        out.append({"field": field, "message": edition.text(key, lang, **values)})

    def look(fields, data, prefix):
        for field in fields:
            answer = (data or {}).get(field["path"].rsplit(".", 1)[-1]) if prefix else _at(profile, field["path"])
            path = prefix + field["path"]
            if answer is None:
                continue
            if field.get("unit") == "万元" and answer >= YUAN_SUSPECT:
                warn(path, "warn_yuan", value=money(answer, lang), yuan=f"{int(Decimal(str(answer)) * 10000):,}")
            elif field["type"] == "date" and date_span(answer)[0] > today:
                warn(path, "warn_future")
            elif field["type"] == "list":
                for index, item in enumerate(answer):
                    look(field["item_fields"], item, f"{path}[{index}].")

    look([f for f in edition.fields.values() if "[]" not in f["path"]], profile, "")
    project = profile.get("project") or {}
    units, local = project.get("consortium_units"), project.get("local_consortium_enterprises")
    if units is not None and local is not None and local > units:
        warn("project.local_consortium_enterprises", "warn_local_units", local=local, units=units)
    own, asked, total = (project.get(key) for key in ("self_funding", "requested_funding", "total_investment"))
    if None not in (own, asked, total) and Decimal(str(own)) + Decimal(str(asked)) > Decimal(str(total)):
        warn("project.self_funding", "warn_over_total", sum=money(Decimal(str(own)) + Decimal(str(asked)), lang),
             total=money(total, lang))
    return out


def _at(profile, path):
    node = profile
    for key in path.split("."):
        node = node.get(key) if isinstance(node, dict) else None
    return node
