"""The batch page's entry (called from its worker in Pyodide): screen a file's bytes, give back the
results table as JSON and the report workbook as bytes. Nothing here touches the network."""

import io
import json

from checker_py import without_cyclic_gc

from .read import check_size
from .report import (counts_lines, missing, pair_lines, reasons, request_text, row_label, summary, verdict_names,
                     verdicts, write_xlsx)
from .rows import SheetError
from .screen import schema, screen
from checker_py.strings import SHEETS

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
    return json.dumps(table(screening), ensure_ascii=False)


def table(screening):
    """What the batch page shows of a screening, worded: per row its name, programme, verdicts, requests
    and reasons; the counts, the flagged pairs, the sheet read and the columns not in the template."""
    lang = screening.lang
    titles = dict(screening.programmes)
    rows = []
    for row in screening.rows:
        results = row.programmes or {}
        words = reasons(row, screening)
        rows.append({
            "row": row.row,
            "label": row_label(row, lang),
            "named": bool(row.application.get("unit.name") or row.application.get("project.name")),
            "programme": row.programme,
            "programme_title": titles[row.programme] if row.programme else SHEETS["programme_blank"][lang],
            "verdicts": [verdict for _, verdict in verdicts(row, screening)],
            "requests": [request_text(results[pid], lang) if pid in results else None for pid, _ in screening.programmes],
            "reasons": words,
            "missing": missing(row, screening),
            "errors": [error.message(lang) for error in row.errors],
            "flags": [flag.message(lang) for flag in row.flags],
        })
    unknown = screening.layout.unknown()
    engine_words = schema()["strings"]
    return {
        "programmes": [{"id": pid, "title": title} for pid, title in screening.programmes],
        "verdicts": verdict_names(lang),
        "headings": {key: SHEETS[key][lang] for key in (
            "row", "application", "label_programme", "summary_verdict", "summary_request", "summary_reasons",
            "summary_missing", "summary_programme", "summary_total", "flags_heading")},
        "words": {"row_named": SHEETS["row_named"][lang], "no_pairs": SHEETS["no_pairs"][lang],
                  "all_reasons": SHEETS["all_reasons"][lang], "colon": engine_words["colon"][lang],
                  "list_separator": engine_words["list_separator"][lang]},
        "rows": rows,
        "summary": summary(screening),
        "counts": counts_lines(screening),
        "pairs": pair_lines(screening),
        "sheet": screening.sheet,
        "ignored": unknown,
        "ignored_text": SHEETS["ignored_columns"][lang].format(columns=engine_words["list_separator"][lang].join(unknown)) if unknown else "",
    }


def _error(exc, lang):
    """JSON text of a screening's error (and whether the engine must be started afresh)."""
    return json.dumps({"error": exc.message(lang), "restart": exc.name == "out_of_memory"}, ensure_ascii=False)


def report_bytes():
    """The report workbook of the last screening (empty when it failed)."""
    return _last.get("report", b"")
