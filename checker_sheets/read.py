"""Reading an .xlsx workbook or a CSV file into rows of cell values; anything unreadable is a SheetError."""

import csv
import io
import zipfile

from .rows import SheetError

# The first bytes of an OLE compound file: an old .xls, or an .xlsx wrapped in encryption.
_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
# The stream an encrypted OOXML package carries, as its UTF-16 directory name.
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
SUFFIXES = (".xlsx", ".csv")


def suffix(name):
    """The lower-case file type of a name: .xlsx, .csv, .jsonl, ..."""
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def read_rows(data, file_name):
    """[(row number, [values])] of the first sheet (xlsx) or the file (csv); SheetError when unreadable."""
    kind = suffix(file_name)
    if kind == ".xlsx":
        return _xlsx_rows(data, file_name)
    if kind == ".csv":
        return _csv_rows(data, file_name)
    if kind == ".xls":
        raise SheetError("old_xls", file=file_name)
    raise SheetError("bad_suffix", file=file_name, suffixes=" / ".join(SUFFIXES))


def _xlsx_rows(data, file_name):
    """The first sheet's rows, streamed by openpyxl; encrypted, old or broken files refused."""
    if data.startswith(_OLE_MAGIC):
        raise SheetError("encrypted" if _ENCRYPTION_INFO in data else "old_xls", file=file_name)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SheetError("not_zip", file=file_name)
    from openpyxl import load_workbook

    try:
        # read_only streams the cells; data_only takes a formula's last computed value, as shown.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken package; each means the same here
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SheetError("not_workbook", file=file_name, reason=reason) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, list(values)))
    except Exception as exc:  # a package that opens but whose sheet XML is broken
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SheetError("not_workbook", file=file_name, reason=reason) from None
    finally:
        workbook.close()
    return rows


def decode_csv(data, file_name):
    """The text of a CSV file: UTF-8 (with or without BOM), else GB18030 (what Excel in Chinese writes)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SheetError("bad_encoding", file=file_name)  # UTF-16 ("Unicode text" in Excel)
    if b"\x00" in data:
        raise SheetError("not_text", file=file_name)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError("bad_encoding", file=file_name)


def _csv_rows(data, file_name):
    """The rows of a CSV (comma, or tab when the header has tabs only)."""
    text = decode_csv(data, file_name)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    try:
        return [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1)]
    except csv.Error as exc:
        raise SheetError("cannot_read", file=file_name, reason=str(exc)) from None
