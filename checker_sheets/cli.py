"""`python -m checker_sheets screen INPUT --output REPORT`: screen a workbook or CSV, one row per application.

Diagnostics (the sheet read, columns not in the template, bad cells, the report written) go to stderr;
the counts per programme and verdict and the pairs of rows flagged across rows end the output on stdout.
openpyxl is imported only when a workbook is read or written.
"""

import argparse
import contextlib
import os
import signal
import sys
import tempfile
import threading

from checker_py import one_line, phrase, without_cyclic_gc

from .read import SUFFIXES, check_size, suffix
from .report import REPORT_SUFFIXES, WRITERS, counts_lines, pair_lines
from .rows import SheetError
from .screen import schema, screen
from checker_py.strings import SHEETS

EXIT_OK, EXIT_BAD_INPUT = 0, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        """Usage errors exit 2 with one line, like bad input."""
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message}\n")


def parser():
    """The command line's argument parser."""
    main_parser = _Parser(prog="python -m checker_sheets",
                          description="Screen spreadsheets of applications (Karamay S&T plan guide).")
    sub = main_parser.add_subparsers(dest="command", required=True)
    screen_parser = sub.add_parser("screen", help="screen a spreadsheet (.xlsx or .csv) of applications")
    screen_parser.add_argument("input", help="the applications, one per row (.xlsx or .csv; the template's columns)")
    screen_parser.add_argument("--output", required=True, help="the report (.xlsx, .csv or .jsonl)")
    screen_parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the report and messages")
    return main_parser


def main(argv=None):
    """Entry point; returns the exit status."""
    return run(parser().parse_args(argv))


def _check_output(path):
    """Refuse a report asked for in a folder that does not exist, or onto a folder (the rest of what keeps
    a report from being written is found by opening it: _report_file)."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise SheetError("output_is_folder", file=path)
    if not os.path.isdir(folder):
        raise SheetError("no_folder", file=path, folder=folder)


def _new_file_mode():
    """The mode a new file gets from the usual umask (mkstemp's own is 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def _report_file(path):
    """A binary file for the report, opened next to its final name and renamed to it when the block ends
    well; removed when it does not, so a failure (or SIGTERM) leaves no half report and no hidden file.

    Opened before the screening, so a place that cannot be written is said at once. The report gets
    the mode a plain write would give it: an existing report's own, else the umask's."""
    folder = os.path.dirname(os.path.abspath(path))
    mode = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else _new_file_mode()
    try:
        handle, tmp = tempfile.mkstemp(prefix=".screen-", suffix=suffix(path), dir=folder)
    except PermissionError:
        raise SheetError("not_writable", file=path, folder=folder) from None
    except OSError as exc:
        raise SheetError("cannot_write", file=path, reason=exc.strerror or str(exc)) from None
    try:
        with os.fdopen(handle, "wb") as out:
            os.fchmod(out.fileno(), mode)
            yield out
        os.replace(tmp, path)
    except BaseException as exc:
        os.unlink(tmp)
        if isinstance(exc, OSError):
            raise SheetError("cannot_write", file=path, reason=exc.strerror or str(exc)) from None
        raise


def _stop(signum, frame):
    """A termination signal ends the run as an exception would, so that the half-written report is removed."""
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def _stopped_cleanly():
    """Within: SIGTERM and SIGHUP unwind the stack (and Ctrl-C exits 130 with no traceback)."""
    # Python lets only its main thread set handlers (a caller running `screen` in a thread keeps its own).
    signals = (signal.SIGTERM, signal.SIGHUP) if threading.current_thread() is threading.main_thread() else ()
    before = {signum: signal.signal(signum, _stop) for signum in signals}
    try:
        yield
    except KeyboardInterrupt:
        raise SystemExit(128 + signal.SIGINT) from None
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def run(args):
    """Screen args.input into args.output; the exit status (2 for an unreadable file or rows with errors)."""
    with _stopped_cleanly():
        return _run(args)


def _say(line):
    """Write one line on stderr (a cell or a file name may hold a newline: it is shown escaped)."""
    sys.stderr.write(one_line(line) + "\n")


def _run(args):
    """The work of `run`, within its signal handling."""
    lang = args.lang
    try:
        if suffix(args.output) not in REPORT_SUFFIXES:
            raise SheetError("bad_suffix", file=args.output, suffixes=" / ".join(REPORT_SUFFIXES))
        if suffix(args.input) not in SUFFIXES + (".xls",):
            raise SheetError("bad_suffix", file=args.input, suffixes=" / ".join(SUFFIXES))
        if os.path.exists(args.output) and os.path.samefile(args.input, args.output):
            raise SheetError("same_file", file=args.output)
        _check_output(args.output)
        try:
            with open(args.input, "rb") as handle:
                check_size(os.fstat(handle.fileno()).st_size, args.input)
                data = handle.read()
        except OSError as exc:
            raise SheetError("file_cannot_read", file=args.input, reason=exc.strerror or str(exc)) from None
        with _report_file(args.output) as out:
            with without_cyclic_gc():
                screening = screen(data, args.input, lang)
            del data
            if screening.sheet:
                _say(SHEETS["sheet_read"][lang].format(sheet=screening.sheet))
            unknown = screening.layout.unknown()
            if unknown:
                _say(SHEETS["ignored_columns"][lang].format(columns=schema()["strings"]["list_separator"][lang].join(unknown)))
            bad = [row for row in screening.rows if row.errors]
            for row in bad:
                for error in row.errors:
                    _say(error.message(lang))
            try:
                with without_cyclic_gc():
                    WRITERS[suffix(args.output)](screening, out)
            except MemoryError:
                raise SheetError("out_of_memory", file=args.input) from None
    except SheetError as exc:
        _say(f"error: {exc.message(lang)}")
        return EXIT_BAD_INPUT
    _say(phrase(SHEETS["screened"][lang], rows=len(screening.rows), errors=len(bad), output=args.output))
    lines = counts_lines(screening) + [SHEETS["flags_heading"][lang]] + (pair_lines(screening) or [SHEETS["no_pairs"][lang]])
    try:
        sys.stdout.write("".join(one_line(line) + "\n" for line in lines))
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    return EXIT_BAD_INPUT if bad else EXIT_OK
