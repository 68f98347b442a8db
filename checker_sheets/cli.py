"""`python -m checker_py screen INPUT --output REPORT`: screen a workbook or CSV, one row per application.

The engine's command line calls `add_parser` and, for this subcommand, `run`; openpyxl is imported
only when a workbook is read or written, so `check` never needs it.
"""

import os
import sys
import tempfile

from checker_py import without_cyclic_gc

from .read import SUFFIXES, suffix
from .report import REPORT_SUFFIXES, WRITERS
from .rows import SheetError
from .screen import screen
from .text import TEXT

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def add_parser(subparsers):
    """Add the `screen` subcommand to the engine's argument parser."""
    parser = subparsers.add_parser("screen", help="screen a spreadsheet (.xlsx or .csv) of applications")
    parser.add_argument("input", help="the applications, one per row (.xlsx or .csv; the template's columns)")
    parser.add_argument("--output", required=True, help="the report (.xlsx, .csv or .jsonl)")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the report and messages")
    parser.set_defaults(run=run)
    return parser


def _write_atomically(path, writer, screening):
    """Write the report next to its final name and rename it, so a failure leaves no half report."""
    folder = os.path.dirname(os.path.abspath(path))
    handle, tmp = tempfile.mkstemp(prefix=".screen-", suffix=suffix(path), dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            writer(screening, out)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def run(args):
    """Screen args.input into args.output; the exit status (2 for an unreadable file or rows with errors)."""
    lang = args.lang
    try:
        if suffix(args.output) not in REPORT_SUFFIXES:
            raise SheetError("bad_suffix", file=args.output, suffixes=" / ".join(REPORT_SUFFIXES))
        if suffix(args.input) not in SUFFIXES + (".xls",):
            raise SheetError("bad_suffix", file=args.input, suffixes=" / ".join(SUFFIXES))
        if os.path.exists(args.output) and os.path.samefile(args.input, args.output):
            raise SheetError("same_file", file=args.output)
        try:
            with open(args.input, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise SheetError("cannot_read", file=args.input, reason=exc.strerror or str(exc)) from None
        with without_cyclic_gc():
            screening = screen(data, args.input, lang)
        unknown = screening.layout.unknown()
        if unknown:
            sys.stderr.write(TEXT["ignored_columns"][lang].format(columns=", ".join(unknown)) + "\n")
        bad = [row for row in screening.rows if row.errors]
        for row in bad:
            for error in row.errors:
                sys.stderr.write(error.message(lang) + "\n")
        with without_cyclic_gc():
            _write_atomically(args.output, WRITERS[suffix(args.output)], screening)
    except SheetError as exc:
        sys.stderr.write(f"error: {exc.message(lang)}\n")
        return EXIT_BAD_INPUT
    sys.stderr.write(TEXT["screened"][lang].format(rows=len(screening.rows), errors=len(bad), output=args.output) + "\n")
    return EXIT_BAD_INPUT if bad else EXIT_OK
