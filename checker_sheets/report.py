"""The report of a screened sheet, as a clerk prints and forwards it.

As .xlsx, three sheets: "汇总" (one row per application: unit, project, intended programme, verdict,
the request it may make, the reasons in words and the answers still missing; fitted to A4 landscape
with its header row repeated), "明细" (the input's columns as read, input errors marked on their cells,
then per programme the verdict, the largest admissible request, the failing or review reasons and what
is still missing) and "统计" (the verdicts counted per programme over the rows that asked for it, and
the pairs of rows the checks across rows flag). As .csv, the detail sheet. As .jsonl, exactly what
`check --format json` prints for each row (with `--programme` where the row names one).
"""

import copy
import csv
import datetime
import io
import json
import re

import checker_py

from .columns import letter
from .screen import asked, missing_label, schema
from checker_py.strings import SHEETS

VERDICTS = ("eligible", "ineligible", "incomplete", "review", "error")
# Excel's own "good / bad / neutral" fills, so the colours read as a spreadsheet user expects.
VERDICT_FILLS = {"eligible": "C6EFCE", "ineligible": "FFC7CE", "incomplete": "FFEB9C", "review": "FCE4D6",
                 "error": "D9D9D9"}
# A bad input cell in the detail sheet: the "bad" red, with the error as the cell's comment.
ERROR_FILL = "FFC7CE"
HEADER_FILL = "D9E1F2"
REPORT_SUFFIXES = (".xlsx", ".csv", ".jsonl")
# Text a spreadsheet takes for a formula when it begins with one of these (OWASP's CSV injection list):
# in the .csv report such a cell gets a leading apostrophe; in the .xlsx report every text is a string cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold (openpyxl refuses them): shown as U+FFFD in the workbook.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Excel's error values: openpyxl would write such a text as an error cell, not as text.
_ERROR_VALUES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
# The summary sheet's columns and their widths (in characters of the default font): together they fill
# an A4 landscape page at about 85 % (the page setup fits them to its width, never cutting one off).
SUMMARY_COLUMNS = (("row", 5), ("label_unit.name", 16), ("label_project.name", 20), ("label_leader.name", 8),
                   ("label_programme", 12), ("summary_verdict", 12), ("summary_request", 13), ("summary_reasons", 60),
                   ("summary_missing", 20))
SUMMARY_FONT_SIZE = 9


def verdict_names(lang):
    """{verdict: its name in lang}, the engine's own words plus the sheet's "input error"."""
    words = schema()["strings"]
    names = {v: words[f"verdict_{v}"][lang] for v in VERDICTS if f"verdict_{v}" in words}
    names["error"] = SHEETS["verdict_error"][lang]
    return names


def _join(texts, lang):
    """Texts joined in the report's language, each once, in order."""
    return ("；" if lang == "zh" else "; ").join(dict.fromkeys(texts))


def _lines(texts):
    """Texts one to a line, each once, in order (None when there are none)."""
    return "\n".join(dict.fromkeys(texts)) or None


def verdicts(row, screening):
    """[(programme id, verdict or None)] of one row over every programme: None where the row did not ask
    for it; "error" for each it asked for when it could not be read."""
    wanted = set(asked(row, screening))
    return [(pid, None if pid not in wanted else row.verdicts.get(pid, "error")) for pid, _ in screening.programmes]


def summary(screening):
    """{programme id: {verdict: count}} over the rows that asked for each programme."""
    counts = {pid: dict.fromkeys(VERDICTS, 0) for pid, _ in screening.programmes}
    for row in screening.rows:
        for pid, verdict in verdicts(row, screening):
            if verdict is not None:
                counts[pid][verdict] += 1
    return counts


def request_text(res, lang):
    """What a programme's result admits as a request, in words: the range when the row gave none
    ("50–200 万元"), else "up to" the largest admissible; None when nothing may be requested."""
    if res["verdict"] == "ineligible":
        return None
    if res["request_range"] is not None:
        return res["request_range"]["text"]
    if res["max_request_text"] is not None:
        return SHEETS["up_to"][lang].format(amount=res["max_request_text"])
    return None


def reasons(row, screening):
    """Every reason of a row, in words: its input errors, its flags across rows, then the failing or
    review reasons of its programme (each programme's named, when the row names none)."""
    lang = screening.lang
    out = [error.message(lang) for error in row.errors] + [flag.message(lang) for flag in row.flags]
    if row.programmes is None:
        return out
    titles = dict(screening.programmes)
    for pid, res in row.programmes.items():
        out += [reason if row.programme else SHEETS["of_programme"][lang].format(title=titles[pid], text=reason)
                for reason in res["reasons"]]
    return out


def missing(row, screening):
    """The template labels of the answers still missing for the row's programmes that answers can still
    admit (an ineligible verdict needs none)."""
    if row.programmes is None:
        return []
    return list(dict.fromkeys(missing_label(path, row, screening) for res in row.programmes.values()
                              if res["verdict"] != "ineligible" for path in res["missing"]))


def row_label(row, lang):
    """How a row is named: its unit and project ("甲公司 · 智能压裂"), else its row number."""
    names = [row.application[path] for path in ("unit.name", "project.name") if row.application.get(path)]
    return " · ".join(names) or SHEETS["row_named"][lang].format(row=row.row)


def summary_row(row, screening, names):
    """One application's row of the summary sheet: row, unit, project, leader, programme, verdict,
    request, reasons, missing answers."""
    lang = screening.lang
    titles = dict(screening.programmes)
    app = row.application
    if row.programme:
        programme = titles[row.programme]
        verdict = names[row.verdicts.get(row.programme, "error")]
        res = (row.programmes or {}).get(row.programme)
        request = res and request_text(res, lang)
    else:
        programme = SHEETS["programme_blank"][lang]
        verdict = names["error"] if row.programmes is None else _lines(
            SHEETS["of_programme"][lang].format(title=titles[pid], text=names[v]) for pid, v in verdicts(row, screening))
        request = _lines(SHEETS["of_programme"][lang].format(title=titles[pid], text=text)
                         for pid, res in (row.programmes or {}).items() if (text := request_text(res, lang)))
    return [row.row, app.get("unit.name"), app.get("project.name"), app.get("leader.name"), programme, verdict,
            request, _lines(reasons(row, screening)), _join(missing(row, screening), lang) or None]


def header(screening):
    """The detail sheet's header row."""
    lang = screening.lang
    cells = [SHEETS["row"][lang]] + screening.layout.headers + [SHEETS["input_errors"][lang], SHEETS["across_rows"][lang]]
    for _, title in screening.programmes:
        cells += [SHEETS[name][lang].format(title=title) for name in ("verdict", "report_max_request", "reasons", "report_missing")]
    return cells


def body(row, screening, names):
    """One detail row: the row number, the input cells as read, the errors, the flags across rows, then
    each programme's four cells (the verdict "not applied for" where the row names another programme)."""
    lang = screening.lang
    width = len(screening.layout.headers)
    values = (row.values + [None] * width)[:width]
    cells = [row.row] + values + [_join([e.message(lang) for e in row.errors], lang) or None,
                                  _join([f.message(lang) for f in row.flags], lang) or None]
    for pid, verdict in verdicts(row, screening):
        if verdict is None:
            cells += [SHEETS["not_asked"][lang], None, None, None]
        elif verdict == "error":
            cells += [names["error"], None, None, None]
        else:
            res = row.programmes[pid]
            # No answer can admit a row a programme has ruled out: nothing is "still missing" for it.
            labels = [] if verdict == "ineligible" else [missing_label(path, row, screening) for path in res["missing"]]
            cells += [names[verdict], res["max_request"], _join(res["reasons"], lang) or None, _join(labels, lang) or None]
    return cells


def _verdict_columns(screening):
    """0-based detail columns holding a verdict."""
    start = 1 + len(screening.layout.headers) + 2
    return [start + 4 * i for i in range(len(screening.programmes))]


def counts_lines(screening):
    """The counts per programme and verdict as lines (programmes no row asked for left out), then the
    flagged pairs: what the CLI prints at the end and the counts sheet lists."""
    lang = screening.lang
    names = verdict_names(lang)
    counts = summary(screening)
    lines = [SHEETS["counts_heading"][lang]]
    for pid, title in screening.programmes:
        total = sum(counts[pid].values())
        if total:
            listed = SHEETS["counts_separator"][lang].join(SHEETS["count"][lang].format(verdict=names[v], n=n)
                                                         for v, n in counts[pid].items() if n)
            lines.append(SHEETS["counts_line"][lang].format(title=title, counts=listed, total=total))
    return lines


def pair_lines(screening):
    """The pairs of rows flagged across rows, one line each."""
    review = schema()["strings"]["verdict_review"]
    return [pair.message(screening.lang, review) for pair in screening.pairs]


def write_xlsx(screening, out):
    """The report workbook (summary, detail with coloured verdicts and marked input errors, counts) into a binary stream."""
    from openpyxl import Workbook
    from openpyxl.cell import Cell, WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
    from openpyxl.worksheet.page import PageMargins

    lang = screening.lang
    names = verdict_names(lang)
    fills = {v: PatternFill("solid", start_color=colour, end_color=colour) for v, colour in VERDICT_FILLS.items()}
    workbook = Workbook(write_only=True)
    workbook.add_named_style(NamedStyle("header", font=Font(bold=True)))
    wrap = Alignment(wrap_text=True, vertical="top")
    workbook.add_named_style(NamedStyle("summary", font=Font(size=SUMMARY_FONT_SIZE), alignment=wrap))
    workbook.add_named_style(NamedStyle("summary_header", font=Font(size=SUMMARY_FONT_SIZE, bold=True), alignment=wrap,
                                        fill=PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)))
    bad_cell = PatternFill("solid", start_color=ERROR_FILL, end_color=ERROR_FILL)

    styles = {}  # each named style's cell style, made once: a copy per cell costs a third of looking the name up

    def text(sheet, value, style=None):
        """A string cell holding `value` as text: never a formula, nor an error value."""
        cell = WriteOnlyCell(sheet, value=_NOT_XML.sub("\ufffd", value))
        cell.data_type = "s"
        if style:
            cell._style = copy.copy(styles[style])  # before the quote prefix, which is part of the style
        if value.startswith(FORMULA_START):
            # The quote prefix (Excel's leading apostrophe) keeps it text when someone edits the cell.
            cell.quotePrefix = True
        return cell

    def styled(sheet, value, style):
        """Any value in a named style: text as a string cell, a number as it is."""
        if isinstance(value, str):
            return text(sheet, value, style)
        cell = WriteOnlyCell(sheet, value=value)
        cell._style = copy.copy(styles[style])
        return cell

    def colour_verdicts(sheet, at, last):
        """One conditional format per verdict on a column of verdicts (rows 2 to last), rather than a style
        on each of its cells; a verdict changed by hand after a review takes its colour too."""
        cells = f"{letter(at)}2:{letter(at)}{last}"
        for verdict, fill in fills.items():
            quoted = '"' + names[verdict].replace('"', '""') + '"'
            sheet.conditional_formatting.add(cells, CellIsRule(operator="equal", formula=[quoted], fill=fill))

    last = 1 + len(screening.rows)
    first = workbook.create_sheet(SHEETS["sheet_summary"][lang])
    for name in ("header", "summary", "summary_header"):
        proto = WriteOnlyCell(first)
        proto.style = name
        styles[name] = proto._style
    for i, (_, width) in enumerate(SUMMARY_COLUMNS):
        first.column_dimensions[letter(i)].width = width
    first.freeze_panes = "C2"  # the row number and the unit's name stay in view
    first.print_title_rows = "1:1"
    first.page_setup.orientation = "landscape"
    first.page_setup.paperSize = 9  # A4 (ECMA-376 paper size 9)
    first.page_setup.fitToWidth, first.page_setup.fitToHeight = 1, 0  # every column on the page, as many pages as rows need
    first.sheet_properties.pageSetUpPr.fitToPage = True
    first.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.2, footer=0.3)
    first.print_options.gridLines = True
    first.oddFooter.center.text = SHEETS["page_footer"][lang]
    first.append([text(first, SHEETS[key][lang], "summary_header") for key, _ in SUMMARY_COLUMNS])
    for row in screening.rows:
        first.append([None if value is None else styled(first, value, "summary")
                      for value in summary_row(row, screening, names)])
    colour_verdicts(first, 5, last)

    detail = workbook.create_sheet(SHEETS["sheet_report"][lang])
    detail.freeze_panes = "B2"
    detail.append([text(detail, value, "header") for value in header(screening)])
    for row in screening.rows:
        cells = body(row, screening, names)
        for i, value in enumerate(cells):
            if isinstance(value, str):
                if value.startswith(FORMULA_START) or value in _ERROR_VALUES or _NOT_XML.search(value):
                    cells[i] = text(detail, value)
            elif isinstance(value, datetime.datetime) and value.time() == datetime.time():
                # A spreadsheet date comes back as a datetime at midnight; as a date, openpyxl
                # shows it as yyyy-mm-dd by itself, with no style of ours on each such cell.
                cells[i] = value.date()
        for error in row.errors:
            if error.column is not None:
                # The bad cell itself: the "bad" fill and the error as its comment (a text, never a formula).
                at = 1 + error.column
                cell = cells[at]
                if not isinstance(cell, Cell):
                    cell = text(detail, cell) if isinstance(cell, str) else WriteOnlyCell(detail, value=cell)
                cell.fill = bad_cell
                cell.comment = Comment(_NOT_XML.sub("\ufffd", error.message(lang)), "screen", height=120, width=320)
                cells[at] = cell
        detail.append(cells)
    for at in _verdict_columns(screening):
        colour_verdicts(detail, at, last)

    totals = workbook.create_sheet(SHEETS["sheet_counts"][lang])
    totals.append([text(totals, SHEETS["summary_source"][lang], "header"), text(totals, screening.file_name)])
    if screening.sheet:
        totals.append([text(totals, SHEETS["summary_sheet"][lang], "header"), text(totals, screening.sheet)])
    totals.append([text(totals, SHEETS["summary_edition"][lang], "header"), text(totals, screening.edition)])
    totals.append([])
    totals.append([text(totals, SHEETS["counts_heading"][lang], "header")])
    heading = [text(totals, SHEETS["summary_programme"][lang], "header")]
    for v in VERDICTS:
        cell = text(totals, names[v], "header")
        cell.fill = fills[v]
        heading.append(cell)
    totals.append(heading + [text(totals, SHEETS["summary_total"][lang], "header")])
    counts = summary(screening)
    for pid, title in screening.programmes:
        totals.append([text(totals, title)] + [counts[pid][v] for v in VERDICTS] + [sum(counts[pid].values())])
    totals.append([])
    totals.append([text(totals, SHEETS["flags_heading"][lang], "header")])
    for line in pair_lines(screening) or [SHEETS["no_pairs"][lang]]:
        totals.append([text(totals, line)])
    workbook.save(out)


def write_csv(screening, out):
    """The detail sheet as CSV text, UTF-8 with a BOM so that Excel opens it in the right encoding."""
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
    """What `check --format json` prints for the row's profile (`--programme` its intended one), or the
    row's error object."""
    if row.programmes is not None:
        # The screening kept only what the sheet shows; the line holds the whole result, as `check` gives it.
        return json.dumps(checker_py.evaluate(row.profile, row.programme, lang), ensure_ascii=False, sort_keys=True)
    first = row.errors[0]
    errors = [{"field": e.field, "message": e.message(lang)} for e in row.errors]
    return json.dumps({"error": errors[0], "errors": errors, "row": first.row}, ensure_ascii=False, sort_keys=True)


def write_jsonl(screening, out):
    """One JSON line per data row."""
    out.write("".join(jsonl_line(row, screening.lang) + "\n" for row in screening.rows).encode("utf-8"))


WRITERS = {".xlsx": write_xlsx, ".csv": write_csv, ".jsonl": write_jsonl}
