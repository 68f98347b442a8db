"""The batch page's entry (called from its worker in Pyodide): screen a file's bytes, give back the
results table as JSON and the report workbook as bytes. Nothing here touches the network."""

import io
import json

from checker_py import without_cyclic_gc

from .read import check_size
from .report import summary, verdict_names, verdicts, write_xlsx
from .rows import SheetError
from .screen import screen

_last = {}


def size_error(file_name, size, lang="zh"):
    """JSON text of {"error": message} for a file too big to be read at all; "" when its size is fine.

    The worker asks before it reads the file into memory."""
    try:
        check_size(size, file_name)
    except SheetError as exc:
        return _error(exc, lang)
    return ""


def screen_file(data, file_name, lang="zh", progress=None):
    """JSON text of the results table, or of {"error": message}; the report waits in `report_bytes()`.

    After running out of memory the error says {"restart": true}: the page starts a fresh engine, as
    Pyodide's memory is not to be trusted again."""
    _last.clear()
    try:
        # From JavaScript the bytes arrive as a Uint8Array proxy; from Python as bytes.
        data = data.to_bytes() if hasattr(data, "to_bytes") else bytes(data)
        with without_cyclic_gc():
            screening = screen(data, file_name, lang, progress)
        del data
        out = io.BytesIO()
        with without_cyclic_gc():
            write_xlsx(screening, out)
        _last["report"] = out.getvalue()
    except MemoryError:
        return _error(SheetError("out_of_memory", file=file_name), lang)
    except SheetError as exc:
        return _error(exc, lang)
    names = verdict_names(lang)
    rows = [{
        "row": row.row,
        "verdicts": [verdict for _, verdict in verdicts(row, screening)],
        "max_request": [None if row.programmes is None else row.programmes[pid]["max_request"]
                        for pid, _ in screening.programmes],
        "errors": [error.message(lang) for error in row.errors],
    } for row in screening.rows]
    return json.dumps({
        "programmes": [{"id": pid, "title": title} for pid, title in screening.programmes],
        "verdicts": names,
        "rows": rows,
        "summary": summary(screening),
        "sheet": screening.sheet,
        "ignored": screening.layout.unknown(),
    }, ensure_ascii=False)


def _error(exc, lang):
    """JSON text of a screening's error (and whether the engine must be started afresh)."""
    return json.dumps({"error": exc.message(lang), "restart": exc.name == "out_of_memory"}, ensure_ascii=False)


def report_bytes():
    """The report workbook of the last screening (empty when it failed)."""
    return _last.get("report", b"")
