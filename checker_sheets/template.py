"""The screening template (zh and en), the inverse of columns.py: an .xlsx workbook with the template's
columns, drop-downs and date formats plus a sheet explaining every column, and a CSV with the same columns.

Pure: every function returns bytes. The same rules always give the same bytes (fixed document dates and
zip timestamps), so the published template only changes when its columns do. The build (sitegen) gives
the words and addresses of the guide's clauses, which only it knows.
"""

import csv
import datetime
import io
import re
import zipfile

from .columns import columns, letter
from checker_py.strings import SHEETS

# The rows the drop-downs and formats cover below the header: far more than any unit sends.
LAST_ROW = 5000
LISTS_SHEET = "lists"
DATE_FORMAT = "yyyy-mm-dd"
_FIXED_DATE = datetime.datetime(2000, 1, 1)


def template_path(edition, lang, ext):
    """The site path of a published template: assets/batch/screening-template-2022.zh.xlsx."""
    return f"assets/batch/screening-template-{edition}.{lang}.{ext}"


def template_name(edition, lang, ext):
    """The file name a downloaded template is saved under, in its language: 项目申报筛查模板-2022.xlsx."""
    return f"{SHEETS['template_file'][lang].format(edition=edition)}.{ext}"


def answers(col, lang):
    """What a cell of this column may hold, in words."""
    if col.kind == "enum":
        return " / ".join(option["label"][lang] for option in col.field["options"])
    return SHEETS[f"answers_{col.kind}"][lang]


def _clause_names(col, clauses, words, lang):
    """The clauses a column's rules cite (or its own checks across rows), named as the guide numbers them."""
    return words["clause_separator"][lang].join(clauses[ref]["name"] if ref in clauses else ref for ref in col.field.get("clauses") or [])


def template_xlsx(compiled, clauses, lang):
    """The template workbook in `lang`, as bytes.

    `compiled` are the compiled rules, their fields annotated with the clauses that read them; `clauses`
    is {clause ref: {"name", "link"}} in `lang`, the link absolute (opened from the downloaded file) or
    site-relative (shown only)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    cols = columns(compiled)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEETS["sheet_applications"][lang]
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    bold = Font(bold=True)
    # Drop-down choices live on a hidden sheet: labels may hold commas, which a list formula cannot.
    list_column = 0
    for i, col in enumerate(cols):
        at = letter(i)
        cell = sheet.cell(row=1, column=i + 1, value=col.label[lang])
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[at].width = 18
        target = f"{at}2:{at}{LAST_ROW}"
        if col.kind in ("bool", "enum"):
            words = compiled["strings"]  # the engine's own yes and no
            choices = ([words["yes"][lang], words["no"][lang]] if col.kind == "bool"
                       else [o["label"][lang] for o in col.field["options"]])
            list_at = letter(list_column)
            list_column += 1
            for row, choice in enumerate(choices, start=1):
                lists.cell(row=row, column=list_column, value=choice)
            rule = DataValidation(type="list", formula1=f"{LISTS_SHEET}!${list_at}$1:${list_at}${len(choices)}",
                                  allow_blank=True)
        elif col.kind in ("number", "int"):
            rule = DataValidation(type="decimal" if col.kind == "number" else "whole",
                                  operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        elif col.kind == "date":
            rule = None
            # A column style: what is typed into the column is shown (and read back) as a date.
            sheet.column_dimensions[at].number_format = DATE_FORMAT
        else:
            rule = None  # a name: any text
            sheet.column_dimensions[at].width = 24
        if rule is not None:
            rule.error = SHEETS["pick_bool" if col.kind == "bool" else "cell_expected_" + col.kind][lang].format(
                options=answers(col, lang))
            rule.showErrorMessage = True
            rule.add(target)
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "B2"  # the header, and the unit's name beside every row

    notes = workbook.create_sheet(SHEETS["sheet_columns"][lang], 1)
    notes.append([SHEETS["template_intro"][lang]])
    heads = ["col_column", "col_header", "col_path", "col_question", "col_answers", "col_help", "col_clause", "col_blank",
             "col_link"]
    notes.append([SHEETS[h][lang] for h in heads])
    for cell in notes[2]:
        cell.font = bold
    for i, col in enumerate(cols):
        help_text = SHEETS["has_list_help"][lang] if col.list_path and not col.item else (col.field.get("help") or {}).get(lang, "")
        question = col.field["label"][lang] if not col.item else col.label[lang]
        notes.append([letter(i), col.label[lang], col.path, question, answers(col, lang), help_text,
                      _clause_names(col, clauses, compiled["strings"], lang), SHEETS["blank"][lang]])
        refs = [ref for ref in col.field.get("clauses") or [] if ref in clauses]
        if refs:
            link = notes.cell(row=notes.max_row, column=9, value=clauses[refs[0]]["link"])
            # Only an absolute address can be opened from a downloaded file.
            if "://" in link.value:
                link.hyperlink = link.value
                link.style = "Hyperlink"
    for at, width in zip("ABCDEFGHI", (6, 30, 34, 30, 30, 40, 30, 24, 40)):
        notes.column_dimensions[at].width = width
    workbook.properties.created = workbook.properties.modified = _FIXED_DATE
    workbook.properties.creator = "sitegen"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_zip(buffer.getvalue())


# openpyxl stamps the save time into the document properties, whatever the workbook says.
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _fixed_zip(data):
    """The same package with one fixed time in every entry and in its properties, so equal content
    gives equal bytes."""
    out = io.BytesIO()
    stamp = _FIXED_DATE.timetuple()[:6]
    fixed = _FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + fixed + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()


def template_csv(compiled, lang):
    """The template as CSV: the header row alone, UTF-8 with a BOM (Excel then reads it as UTF-8)."""
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\r\n").writerow([col.label[lang] for col in columns(compiled)])
    return b"\xef\xbb\xbf" + text.getvalue().encode("utf-8")
