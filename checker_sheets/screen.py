"""Screening a whole sheet: read it, map every row to a profile, run the engine, keep the results by row."""

import importlib.resources
import json
import re
from dataclasses import dataclass

import checker_py

from .across import flags, pairs
from .columns import columns
from .read import read_sheet
from .rows import SheetError, screen_row

_ITEM = re.compile(r"^(?P<list>[\w.]+)\[(?P<index>\d+)\]\.(?P<sub>\w+)$")


def schema():
    """The compiled rules the engine reads (its field schema, programme order and texts)."""
    text = importlib.resources.files("checker_py").joinpath("_data/rules.json").read_text(encoding="utf-8")
    return json.loads(text)


@dataclass
class Screening:
    """A screened sheet: its layout, every data row's result, and what the report needs to name things."""

    file_name: str
    sheet: str  # the workbook's sheet that was read; "" for a CSV
    layout: object
    rows: list
    lang: str
    edition: str
    programmes: list  # [(id, title in lang)]
    labels: dict  # field path -> the template's column label in lang
    pairs: list  # [across.Pair]: the rows the checks across rows flag


def screen(data, file_name, lang="zh", progress=None, every=100):
    """Screen the bytes of a workbook or CSV; progress(done, total) is called every `every` rows."""
    rules = schema()
    cols = columns(rules)
    try:
        sheet = read_sheet(data, file_name, cols)
        if not sheet.rows:
            raise SheetError("empty", file=file_name)
        results = []
        for done, (number, values) in enumerate(sheet.rows, start=1):
            results.append(screen_row(number, values, sheet.layout, lang))
            if progress is not None and (done % every == 0 or done == len(sheet.rows)):
                progress(done, len(sheet.rows))
    except MemoryError:
        # Within the limits a file should fit in memory; if it does not, it is still one line, not a traceback.
        raise SheetError("out_of_memory", file=file_name) from None
    titles = {pid: prog["title"][lang] for pid, prog in rules["programmes"].items()}
    programmes = [(pid, titles[pid]) for pid in checker_py.programme_ids()]
    labels = {col.path: col.label[lang] for col in cols}
    found = pairs(results, rules)
    review = rules["strings"]["verdict_review"]
    flagged = flags(found, rules, review)
    for row in results:
        row.flags = flagged.get(row.row, [])
        row.verdicts = shown_verdicts(row)
    return Screening(file_name, sheet.name, sheet.layout, results, lang, rules["edition"], programmes, labels, found)


# The engine's order of gravity (checker_py: a verdict is its gravest condition's); a flag across rows
# is a condition needing review.
_GRAVITY = ("eligible", "review", "incomplete", "ineligible")


def shown_verdicts(row):
    """{programme id: verdict} of the programmes a row was screened for: the engine's, made "review" by a
    flag across rows where it was eligible; {} when the row could not be read (report.verdicts says "error")."""
    if row.programmes is None:
        return {}
    if not row.flags:
        return {pid: res["verdict"] for pid, res in row.programmes.items()}
    return {pid: max(res["verdict"], "review", key=_GRAVITY.index) for pid, res in row.programmes.items()}


def asked(row, screening):
    """The programme ids a row asks about, in the guide's order: its intended one, or every one."""
    return [row.programme] if row.programme else [pid for pid, _ in screening.programmes]


def missing_label(path, row, screening):
    """The template label (in the report's language) of a field path the engine still needs."""
    match = _ITEM.match(path)
    wanted = path
    if match:
        # The engine counts a row's listed achievements from 0; the sheet names the group it came from.
        groups = row.groups_of.get(match.group("list"), [])
        index = int(match.group("index"))
        group = groups[index] if index < len(groups) else index + 1
        wanted = f"{match.group('list')}[{group}].{match.group('sub')}"
    return screening.labels.get(wanted, path)
