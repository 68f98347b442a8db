"""Reading an .xlsx workbook or a CSV file into the rows to screen; anything unreadable is a SheetError.

A hostile file is bounded before it is parsed: the size of a CSV, or of a workbook unpacked, comes from
the file and the zip directory, and the markup of each row of a sheet is counted in its raw XML. Rows and
columns are then counted as they are read, and reading stops at the first one past its limit.
"""

import contextlib
import csv
import io
import itertools
import re
import warnings
import zipfile
from dataclasses import dataclass

from .columns import letter
from .rows import HEADER_SEARCH_ROWS, Layout, SheetError, find_layout
from checker_py.strings import SHEETS

# The limits of one screening (the README's security section states them).
MAX_ROWS = 20_000  # rows below the header: a hundred times a city's yearly applications
MAX_COLUMNS = 1_000
MAX_MB = 64  # a CSV file, or a workbook unpacked (Python's zipfile never unpacks a part past its declared size)
MAX_BYTES = MAX_MB * 1024 * 1024
# Any other XML part of a workbook (the stylesheet above all) is parsed whole, slowly: each is capped.
# A stylesheet of 64,000 cell formats, the most Excel allows, unpacks to about 5 MB.
MAX_PART_MB = 8
# An XML parser holds a whole row in memory before its first cell is looked at: a row's markup (every
# tag counted) is capped before parsing. A row of MAX_COLUMNS cells of rich text fits in it.
MAX_ROW_TAGS = 16 * MAX_COLUMNS
EXCEL_ROWS = 1_048_576  # Excel's last row; a sheet numbering rows past it is damaged

# The first bytes of an OLE compound file: an old .xls, or an .xlsx wrapped in encryption.
_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
# The stream an encrypted OOXML package carries, as its UTF-16 directory name.
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
SUFFIXES = (".xlsx", ".csv")
# A sheet's rows sit in <sheetData>; each ends with </row> (any namespace prefix).
_SHEET_DATA = re.compile(rb"<(?:[^\s<>/:]+:)?sheetData[\s/>]")
_SHEET_DATA_END = re.compile(rb"</(?:[^\s<>/:]+:)?sheetData\s*>")
_ROW_END = re.compile(rb"</(?:[^\s<>/:]+:)?row\s*>")
_ROW_NUMBER = re.compile(rb"""<(?:[^\s<>/:]+:)?row\s[^>]*?\br\s*=\s*["'](\d+)""")
CSV_DELIMITERS = (",", ";", "\t")


@dataclass
class Sheet:
    """What a file gives to screen: the sheet read, where its columns are, and its data rows."""

    name: str  # the workbook's sheet that was read; "" for a CSV
    layout: Layout
    rows: list  # [(row number, values)] below the header that hold anything


def suffix(name):
    """The lower-case file type of a name: .xlsx, .csv, .jsonl, ..."""
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def check_size(size, file_name):
    """Refuse a file bigger than MAX_BYTES before reading it (a workbook unpacks to more, never less)."""
    if size > MAX_BYTES:
        raise SheetError("file_too_big", file=file_name, size=size / 2**20, limit=MAX_MB)


def read_sheet(data, file_name, cols):
    """The Sheet of a workbook (the active sheet, or the first visible one holding the template's header)
    or of a CSV (comma-, semicolon- or tab-separated, as its header reads), whose header names some of
    the template's columns `cols` (columns.columns); SheetError when unreadable."""
    kind = suffix(file_name)
    if kind == ".xls":
        raise SheetError("old_xls", file=file_name)
    if kind not in SUFFIXES:
        raise SheetError("bad_suffix", file=file_name, suffixes=" / ".join(SUFFIXES))
    check_size(len(data), file_name)
    if kind == ".csv":
        text = decode_csv(data, file_name)
        tables = ((file_name, "", _csv_rows(text, delimiter, file_name)) for delimiter in CSV_DELIMITERS)
        sheet = _first_with_header(tables, cols)
        if sheet is None:
            raise SheetError("no_header", file=file_name, rows=HEADER_SEARCH_ROWS, where="", note=_fragment("delimiters_tried"))
        return sheet
    with _workbook(data, file_name) as (workbook, archive):
        shown, hidden = _sheet_order(workbook)
        try:
            sheet = _first_with_header(_xlsx_tables(shown, archive, file_name), cols)
        except (SheetError, MemoryError):
            raise
        except Exception as exc:  # a package that opens but whose sheet XML is broken
            raise SheetError("not_workbook", file=file_name, reason=_reason(exc)) from None
    if sheet is None:
        raise SheetError("no_header", file=file_name, rows=HEADER_SEARCH_ROWS,
                         where=_fragment("of_sheets", [sheet.title for sheet in shown]),
                         note=_fragment("hidden_not_read", hidden) if hidden else "")
    return sheet


def _fragment(name, sheets=()):
    """{zh, en} of a SHEETS fragment, with its sheet names listed as each language lists them: “A”、“B” / “A”, “B”."""
    return {lang: SHEETS[name][lang].format(sheets=("、" if lang == "zh" else ", ").join(f"“{s}”" for s in sheets) or "—")
            for lang in ("zh", "en")}


def _reason(exc):
    """The first line of an exception, as the reason a file could not be read."""
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _first_with_header(tables, cols):
    """The Sheet of the first table (place, sheet name, rows) whose first rows hold the template's header.

    A table refused in its first rows (a row too wide, say) may just be the wrong sheet or delimiter:
    the next is tried, and the refusal is raised only when no table has the header."""
    refused = None
    for place, name, rows in tables:
        rows = iter(rows)
        head = []
        try:
            for number, values in rows:
                head.append((number, values))
                if number > HEADER_SEARCH_ROWS:
                    break  # find_layout looks no further; this row may be data
        except SheetError as exc:
            if find_layout(head, place, cols) is not None:
                raise  # the header is here: the refusal is this table's
            refused = refused or exc
            continue
        layout = find_layout(head, place, cols)
        if layout is None:
            continue
        body = []
        for number, values in itertools.chain(head, rows):
            if number <= layout.header_row:
                continue
            if len(body) == MAX_ROWS:
                raise SheetError("too_many_rows", file=place, limit=MAX_ROWS)
            body.append((number, values))
        layout.widen(max((len(values) for _, values in body), default=0))
        return Sheet(name, layout, body)
    if refused is not None:
        raise refused
    return None


@contextlib.contextmanager
def _workbook(data, file_name):
    """(openpyxl's read-only workbook, the zip package) of an .xlsx; encrypted, old, broken or oversized refused."""
    if data.startswith(_OLE_MAGIC):
        raise SheetError("encrypted" if _ENCRYPTION_INFO in data else "old_xls", file=file_name)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SheetError("not_zip", file=file_name)
    from openpyxl import load_workbook

    # openpyxl warns on stderr of what it drops (data validation extensions, a missing default style):
    # nothing the screening reads, and a warning names a path inside site-packages.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            parts = archive.infolist()
        except Exception as exc:  # a zip directory zipfile cannot follow
            raise SheetError("not_workbook", file=file_name, reason=_reason(exc)) from None
        unpacked = sum(info.file_size for info in parts)
        if unpacked > MAX_BYTES:
            raise SheetError("too_big_unpacked", file=file_name, size=unpacked / 2**20, limit=MAX_MB)
        for info in parts:
            if info.file_size > MAX_PART_MB * 2**20 and _capped_part(info.filename):
                raise SheetError("part_too_big", file=file_name, part=info.filename, size=info.file_size / 2**20,
                                 limit=MAX_PART_MB)
        try:
            # read_only streams the cells; data_only takes a formula's last computed value, as shown.
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except MemoryError:
            raise
        except Exception as exc:  # openpyxl raises many kinds for a broken package; each means the same here
            raise SheetError("not_workbook", file=file_name, reason=_reason(exc)) from None
        try:
            yield workbook, archive
        finally:
            workbook.close()


def _capped_part(name):
    """Whether a part of a package falls under MAX_PART_MB: XML other than the sheets and the shared strings."""
    return name.endswith((".xml", ".rels")) and not name.startswith("xl/worksheets/") and not name.endswith("sharedStrings.xml")


def _sheet_order(workbook):
    """([the visible worksheets, the active one first], [the names of the hidden ones])."""
    sheets = workbook.worksheets  # chart sheets are not among them
    active = workbook.active
    shown = [sheet for sheet in sheets if sheet.sheet_state == "visible"]
    if active in shown:
        shown.remove(active)
        shown.insert(0, active)
    return shown, [sheet.title for sheet in sheets if sheet.sheet_state != "visible"]


def _xlsx_tables(sheets, archive, file_name):
    """(place, sheet name, rows) of each sheet in turn, its markup checked before it is parsed."""
    for sheet in sheets:
        place = {lang: SHEETS["in_sheet"][lang].format(file=file_name, sheet=sheet.title) for lang in ("zh", "en")}
        # openpyxl's read-only sheet keeps the name of its part in the package here.
        check_row_markup(archive.read(sheet._worksheet_path), place)
        yield place, sheet.title, _sheet_rows(sheet, place)


def check_row_markup(xml, place):
    """Refuse a sheet (its XML) one of whose rows holds more than MAX_ROW_TAGS tags, before it is parsed.

    Counted in the bytes between row ends: a crafted file can hide a row end in a cell (as an element of
    another namespace) and pass this count; its row is then parsed whole, costing memory and time, and
    still refused by its width (_sheet_rows)."""
    start = _SHEET_DATA.search(xml)
    end = _SHEET_DATA_END.search(xml, start.end() if start else 0)
    start = start.start() if start else 0
    end = end.start() if end else len(xml)
    count = 0
    for row_end in itertools.chain((match.end() for match in _ROW_END.finditer(xml, start, end)), [end]):
        count += 1
        if xml.count(b"<", start, row_end) > MAX_ROW_TAGS:
            number = _ROW_NUMBER.search(xml, start, row_end)
            raise SheetError("row_too_big", file=place, row=int(number.group(1)) if number else count, limit=MAX_COLUMNS)
        start = row_end


def _sheet_rows(sheet, place):
    """(row number, values) of each row of a workbook sheet that holds anything, as openpyxl streams them."""
    # The sheet's stated size (its <dimension>) would pad every row to that width and add rows up to
    # that height: a few bytes could claim a million. Each row comes as long as its last cell instead.
    sheet.reset_dimensions()
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > EXCEL_ROWS:
            raise SheetError("past_last_row", file=place, limit=EXCEL_ROWS)
        if len(values) > MAX_COLUMNS:
            raise SheetError("too_many_columns", file=place, row=number, column=letter(len(values) - 1), limit=MAX_COLUMNS)
        values = _trimmed(values)
        if values:
            yield number, values


def _trimmed(values):
    """A row's values without the blank cells at its end ([] for a row holding nothing)."""
    end = len(values)
    while end and (values[end - 1] is None or (isinstance(values[end - 1], str) and not values[end - 1].strip())):
        end -= 1
    return list(values[:end])


def decode_csv(data, file_name):
    """The text of a CSV file: UTF-8 (with or without BOM), else GB18030 (what Excel in Chinese writes)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SheetError("bad_encoding", file=file_name)  # UTF-16 ("Unicode text" in Excel)
    if b"\x00" in data:
        raise SheetError("not_text", file=file_name)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise SheetError("bad_encoding", file=file_name) from None
    if _looks_like_big5(data, text):
        raise SheetError("big5", file=file_name)
    return text


def _looks_like_big5(data, text):
    """Whether GB18030 text is Big5 read wrongly: Big5 bytes are mostly valid GB18030 too, but as GB18030
    they are rare characters (outside GB2312) far more often than Simplified Chinese ever is."""
    try:
        data.decode("cp950")  # Big5 as Windows writes it
    except UnicodeDecodeError:
        return False
    chinese = [c for c in text[:4000] if ord(c) > 0x7F]
    rare = 0
    for c in chinese:
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            rare += 1
    return rare > 0.2 * len(chinese)


def _csv_rows(text, delimiter, file_name):
    """(row number, values) of each CSV record holding anything; a record too wide or unreadable refused."""
    number = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, start=1):
            if len(values) > MAX_COLUMNS:
                raise SheetError("too_many_columns", file=file_name, row=number, column=letter(len(values) - 1),
                                 limit=MAX_COLUMNS)
            values = _trimmed(values)
            if values:
                yield number, values
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise SheetError("csv_field_too_long", file=file_name, row=number + 1, limit=csv.field_size_limit()) from None
        raise SheetError("csv_bad_row", file=file_name, row=number + 1, reason=_reason(exc)) from None
