"""The command line: check one profile (JSON/YAML) or a .jsonl batch; bad input exits 2, no traceback."""

import argparse
import gc
import sys

from ._engine import (LANGS, RulesMissing, dumps, error_object, evaluate, evaluate_to_json, evaluate_to_utf8,
                      json_problem, parse_json, programme_ids)
from ._errors import ProfileError

EXIT_OK, EXIT_RULES_MISSING, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        """Usage errors exit 2 with one line, like bad input."""
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message}\n")


def _one_line(text):
    """A message as one printable line: a field name from the input may hold a newline or a control."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def _parser():
    parser = _Parser(prog="python -m checker_py", description="Eligibility self-check (Karamay S&T plan guide).")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check a profile against the programmes' rules")
    check.add_argument("file", help="profile file (.json, .yaml/.yml, or .jsonl = one profile per line); - for stdin")
    check.add_argument("--programme", help="one programme id (default: all)")
    check.add_argument("--lang", choices=LANGS, default="zh")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--jsonl", action="store_true", help="treat the input as JSON lines (implied by .jsonl)")
    # SCREEN-HOOK: `screen` lives in the spreadsheet layer (checker_sheets, with openpyxl), outside
    # this stdlib-only package; an installed engine without it simply has no `screen`.
    try:
        from checker_sheets.cli import add_parser as add_screen
    except ModuleNotFoundError:
        add_screen = None
    if add_screen is not None:
        add_screen(sub)
    return parser


def _read(path):
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _parse_one(text, path, lang):
    """One profile from JSON, else YAML when pyyaml is importable; ProfileError on failure."""
    try:
        return parse_json(text)
    except ValueError as exc:
        json_error = exc
    if not path.endswith((".yaml", ".yml")) and path != "-":
        raise ProfileError("", *json_problem(json_error))
    try:
        import yaml
    except ImportError:
        zh, en = json_problem(json_error)
        raise ProfileError("", f"{zh}（未安装 pyyaml，无法读取 YAML）",
                           f"{en} (pyyaml not installed, YAML unavailable)") from None
    try:
        return yaml.safe_load(text)
    except RecursionError:
        raise ProfileError("", "YAML 无效：嵌套过深", "invalid YAML: nested too deeply") from None
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        mark = getattr(exc, "problem_mark", None)
        where_zh = f"第 {mark.line + 1} 行第 {mark.column + 1} 列附近有语法错误" if mark else "无法解析"
        where_en = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ProfileError("", f"YAML 无效：{where_zh}", f"invalid YAML: {first}{where_en}") from None


def _text_report(result, lang):
    """A readable report: verdict, each rule with its clause, funding, notes, what to confirm."""
    from ._engine import _state
    messages = _state()["data"]["messages"]
    t = lambda name: messages[name][lang]  # noqa: E731
    marks = {"pass": "✓", "fail": "✗", "unknown": "?", "review": "!"}
    lines = []
    for pid, res in result["results"].items():
        lines.append(f"{res['title']} ({pid}): {t('verdict_' + res['verdict'])}")
        lines.append(f"  {t('heading_rules')}:")
        for rule in res["rules"]:
            lines.append(f"    {marks[rule['status']]} [{t('status_' + rule['status'])}] {rule['message']}  <{rule['clause']}>")
        funding = res["funding"]
        form = funding["form_label"] or t("funding_form_unknown")
        best = funding["max_request"]
        best_text = f"{best} {funding['unit']}" if best is not None else "—"
        lines.append(f"  {t('heading_funding')}: {funding['min']}–{funding['max']} {funding['unit']} · {form}; "
                     f"{t('max_request')}: {best_text}")
        if res["missing"]:
            lines.append(f"  {t('heading_missing')}: {', '.join(res['missing'])}")
        if res["notes"]:
            lines.append(f"  {t('heading_notes')}:")
            lines.extend(f"    - {note['message']}  <{note['clause']}>" for note in res["notes"])
        lines.append(f"  {t('heading_unmodelled')}:")
        lines.extend(f"    - {u['label']}: {u['reason']}  <{u['clause']}>" for u in res["unmodelled"])
        lines.append("")
    return "\n".join(lines)


def _utf8_sink(out):
    """The binary stream under `out` when writing UTF-8 bytes to it is exactly what writing text
    would do (UTF-8, no newline translation), else None."""
    import codecs
    import os
    buffer = getattr(out, "buffer", None)
    encoding = getattr(out, "encoding", None)
    if buffer is None or not encoding or os.linesep != "\n" or codecs.lookup(encoding).name != "utf-8":
        return None
    return buffer


def _run_batch(text, args, out):
    """One result line per profile line; bad lines yield an error line and exit 2 at the end.

    JSON results are joined from the engine's cached UTF-8 fragments and written as bytes when
    the output is UTF-8 anyway: encoding ~25 KB of mostly Chinese text per line cost more than
    evaluating it.
    """
    # The engine's caches grow by many small acyclic objects: the cyclic garbage collector would
    # rescan them all, again and again, for nothing (a third of the batch time). Refcounting still
    # frees everything; the collector is back on when the batch ends.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _batch(text, args, out)
    finally:
        if collecting:
            gc.enable()


def _batch(text, args, out):
    status = EXIT_OK
    sink = _utf8_sink(out) if args.format == "json" else None
    errors = getattr(out, "errors", None) or "strict"
    chunks = []
    loads = parse_json
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            try:
                profile = loads(line)
            except ValueError as exc:
                raise ProfileError("", *json_problem(exc)) from None
            if sink is not None:
                chunks.append(evaluate_to_utf8(profile, args.programme, args.lang))
            elif args.format == "json":
                chunks.append(evaluate_to_json(profile, args.programme, args.lang))
            else:
                chunks.append(_text_report(evaluate(profile, args.programme, args.lang), args.lang))
        except ProfileError as exc:
            status = EXIT_BAD_INPUT
            message = exc.message(args.lang)
            sys.stderr.write(f"line {number}: {_one_line(message)}\n")
            if args.format == "json":
                error = dumps({**error_object(exc.field, message), "line": number})
                chunks.append(error.encode("utf-8", errors) if sink is not None else error)
        if len(chunks) >= 1000:
            _flush(chunks, out, sink)
    if chunks:
        _flush(chunks, out, sink)
    return status


def _flush(chunks, out, sink):
    if sink is None:
        out.write("\n".join(chunks) + "\n")
    else:
        out.flush()
        chunks.append(b"")
        sink.write(b"\n".join(chunks))
    chunks.clear()


def main(argv=None):
    """Entry point; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "screen":  # SCREEN-HOOK
        return args.run(args)
    out = sys.stdout
    try:
        if args.programme is not None and args.programme not in programme_ids():
            raise ProfileError("--programme", "未知项目类别，应为 " + " | ".join(programme_ids()),
                               "unknown programme, expected one of " + " | ".join(programme_ids()))
        try:
            text = _read(args.file)
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise ProfileError(args.file, f"无法读取：{reason}", f"cannot read: {reason}") from None
        if args.jsonl or args.file.endswith(".jsonl"):
            return _run_batch(text, args, out)
        profile = _parse_one(text, args.file, args.lang)
        if args.format == "json":
            out.write(evaluate_to_json(profile, args.programme, args.lang) + "\n")
        else:
            out.write(_text_report(evaluate(profile, args.programme, args.lang), args.lang) + "\n")
        return EXIT_OK
    except ProfileError as exc:
        sys.stderr.write(f"error: {_one_line(exc.message(args.lang))}\n")
        return EXIT_BAD_INPUT
    except RulesMissing as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_RULES_MISSING
    except BrokenPipeError:
        return EXIT_OK
