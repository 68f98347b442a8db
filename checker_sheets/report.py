"""The report of a screened sheet: the input's columns, then per programme the verdict, the largest
admissible request, the failing reasons and what is still missing; as .xlsx (coloured verdicts and a
summary sheet), .csv or .jsonl (exactly what `check --format json` prints, row by row)."""

import csv
import datetime
import io
import json
import re

import checker_py

from .columns import letter
from .screen import missing_label, schema
from .text import TEXT

VERDICTS = ("eligible", "ineligible", "incomplete", "review", "error")
# Excel's own "good / bad / neutral" fills, so the colours read as a spreadsheet user expects.
VERDICT_FILLS = {"eligible": "C6EFCE", "ineligible": "FFC7CE", "incomplete": "FFEB9C", "review": "FCE4D6",
                 "error": "D9D9D9"}
REPORT_SUFFIXES = (".xlsx", ".csv", ".jsonl")
# Text a spreadsheet takes for a formula when it begins with one of these (OWASP's CSV injection list):
# in the .csv report such a cell gets a leading apostrophe; in the .xlsx report every text is a string cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold (openpyxl refuses them): shown as U+FFFD in the workbook.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Excel's error values: openpyxl would write such a text as an error cell, not as text.
_ERROR_VALUES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))


def verdict_names(lang):
    """{verdict: its name in lang}, the engine's own words plus the sheet's "input error"."""
    words = schema()["strings"]
    names = {v: words[f"verdict_{v}"][lang] for v in VERDICTS if f"verdict_{v}" in words}
    names["error"] = TEXT["verdict_error"][lang]
    return names


def _join(texts, lang):
    """Texts joined in the report's language, each once, in order."""
    return ("；" if lang == "zh" else "; ").join(dict.fromkeys(texts))


def header(screening):
    """The report's header row."""
    lang = screening.lang
    cells = [TEXT["row"][lang]] + screening.layout.headers + [TEXT["input_errors"][lang]]
    for _, title in screening.programmes:
        cells += [TEXT[name][lang].format(title=title) for name in ("verdict", "max_request", "reasons", "missing")]
    return cells


def verdicts(row, screening):
    """[(programme id, verdict)] of one row; every programme is "error" when the row could not be read."""
    if row.programmes is None:
        return [(pid, "error") for pid, _ in screening.programmes]
    return [(pid, row.programmes[pid]["verdict"]) for pid, _ in screening.programmes]


def body(row, screening, names):
    """One report row: the row number, the input cells as read, the errors, then each programme's four cells."""
    lang = screening.lang
    width = len(screening.layout.headers)
    values = (row.values + [None] * width)[:width]
    cells = [row.row] + values + [_join([e.message(lang) for e in row.errors], lang) or None]
    for pid, verdict in verdicts(row, screening):
        if row.programmes is None:
            cells += [names["error"], None, None, None]
            continue
        res = row.programmes[pid]
        missing = [missing_label(path, row, screening) for path in res["missing"]]
        cells += [names[verdict], res["max_request"], _join(res["reasons"], lang) or None,
                  _join(missing, lang) or None]
    return cells


def summary(screening):
    """{programme id: {verdict: count}} over every data row."""
    counts = {pid: dict.fromkeys(VERDICTS, 0) for pid, _ in screening.programmes}
    for row in screening.rows:
        for pid, verdict in verdicts(row, screening):
            counts[pid][verdict] += 1
    return counts


def _verdict_columns(screening):
    """0-based report columns holding a verdict."""
    start = 1 + len(screening.layout.headers) + 1
    return [start + 4 * i for i in range(len(screening.programmes))]


def write_xlsx(screening, out):
    """The report workbook (a results sheet with coloured verdicts, then a summary sheet) into a binary stream."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font, NamedStyle, PatternFill

    lang = screening.lang
    names = verdict_names(lang)
    fills = {v: PatternFill("solid", start_color=colour, end_color=colour) for v, colour in VERDICT_FILLS.items()}
    workbook = Workbook(write_only=True)
    workbook.add_named_style(NamedStyle("header", font=Font(bold=True)))
    sheet = workbook.create_sheet(TEXT["sheet_report"][lang])
    sheet.freeze_panes = "B2"

    def text(value, style=None):
        """A string cell holding `value` as text: never a formula, nor an error value."""
        cell = WriteOnlyCell(sheet, value=_NOT_XML.sub("\ufffd", value))
        cell.data_type = "s"
        if style:
            cell.style = style  # before the quote prefix: a named style replaces the cell's whole style
        if value.startswith(FORMULA_START):
            # The quote prefix (Excel's leading apostrophe) keeps it text when someone edits the cell.
            cell.quotePrefix = True
        return cell

    def styled(value, style="header", **extra):
        """A text cell in a named style (and, for the summary's key to the colours, a fill)."""
        cell = text(value, style)
        for key, val in extra.items():
            setattr(cell, key, val)
        return cell

    sheet.append([styled(value) for value in header(screening)])
    for row in screening.rows:
        cells = body(row, screening, names)
        for i, value in enumerate(cells):
            if isinstance(value, str):
                if value.startswith(FORMULA_START) or value in _ERROR_VALUES or _NOT_XML.search(value):
                    cells[i] = text(value)
            elif isinstance(value, datetime.datetime) and value.time() == datetime.time():
                # A spreadsheet date comes back as a datetime at midnight; as a date, openpyxl
                # shows it as yyyy-mm-dd by itself, with no style of ours on each such cell.
                cells[i] = value.date()
        sheet.append(cells)
    # The verdicts' colours are conditional formats of the verdict columns, one rule per verdict,
    # rather than a style on each of their tens of thousands of cells (built, hashed and looked up
    # again cell by cell); a verdict changed by hand after a review takes its colour too.
    last = 1 + len(screening.rows)
    for at in _verdict_columns(screening):
        cells = f"{letter(at)}2:{letter(at)}{last}"
        for verdict, fill in fills.items():
            quoted = '"' + names[verdict].replace('"', '""') + '"'
            sheet.conditional_formatting.add(cells, CellIsRule(operator="equal", formula=[quoted], fill=fill))

    totals = workbook.create_sheet(TEXT["sheet_summary"][lang])
    totals.append([styled(TEXT["summary_source"][lang]), text(screening.file_name)])
    if screening.sheet:
        totals.append([styled(TEXT["summary_sheet"][lang]), text(screening.sheet)])
    totals.append([styled(TEXT["summary_edition"][lang]), text(screening.edition)])
    totals.append([])
    totals.append([styled(TEXT["summary_programme"][lang])]
                  + [styled(names[v], fill=fills[v]) for v in VERDICTS]
                  + [styled(TEXT["summary_total"][lang])])
    counts = summary(screening)
    for pid, title in screening.programmes:
        totals.append([text(title)] + [counts[pid][v] for v in VERDICTS] + [sum(counts[pid].values())])
    workbook.save(out)


def write_csv(screening, out):
    """The results sheet as CSV text, UTF-8 with a BOM so that Excel opens it in the right encoding."""
    names = verdict_names(screening.lang)
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([_csv_text(v) for v in header(screening)])
    for row in screening.rows:
        cells = body(row, screening, names)
        writer.writerow([_csv_text(v) for v in cells])
    out.write(b"\xef\xbb\xbf" + text.getvalue().encode("utf-8"))


def _csv_text(value):
    """A cell as CSV text: a spreadsheet date (a datetime at midnight) as the day it is, and text a
    spreadsheet would take for a formula behind an apostrophe (OWASP), so that it stays text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_START) else value
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def jsonl_line(row, lang):
    """What `check --format json` prints for the row's profile, or the row's error object."""
    if row.programmes is not None:
        # The screening kept only what the sheet shows; the line holds the whole result, as `check` gives it.
        return json.dumps(checker_py.evaluate(row.profile, lang=lang), ensure_ascii=False, sort_keys=True)
    first = row.errors[0]
    errors = [{"field": e.field, "message": e.message(lang)} for e in row.errors]
    return json.dumps({"error": errors[0], "errors": errors, "row": first.row}, ensure_ascii=False, sort_keys=True)


def write_jsonl(screening, out):
    """One JSON line per data row."""
    out.write("".join(jsonl_line(row, screening.lang) + "\n" for row in screening.rows).encode("utf-8"))


WRITERS = {".xlsx": write_xlsx, ".csv": write_csv, ".jsonl": write_jsonl}
