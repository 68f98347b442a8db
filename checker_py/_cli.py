"""The command line: check one profile (JSON/YAML) or a .jsonl batch; bad input exits 2, no traceback.

    python -m checker_py check PROFILE [--programme ID] [--lang zh|en] [--format text|json]
"""

import argparse
import sys

from ._api import dumps, evaluate, parse_json, programme_ids, without_cyclic_gc
from ._edition import LANGS, RulesMissing, current
from ._errors import ProfileError
from ._formats import money, one_line
from ._messages import question

EXIT_OK, EXIT_RULES_MISSING, EXIT_BAD_INPUT = 0, 1, 2
SCREEN_MOVED = "screen is a command of the spreadsheet layer: python -m checker_sheets screen INPUT --output REPORT"


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        """Usage errors exit 2 with one line, like bad input."""
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message}\n")


def _parser():
    parser = _Parser(prog="python -m checker_py", description="Eligibility self-check (Karamay S&T plan guide).")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check a profile against the programmes' rules")
    check.add_argument("file", help="profile file (.json, .yaml/.yml, or .jsonl = one profile per line); - for stdin")
    check.add_argument("--programme", help="one programme id (default: all)")
    check.add_argument("--lang", choices=LANGS, default="zh")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--jsonl", action="store_true", help="treat the input as JSON lines (implied by .jsonl)")
    return parser


def _read(path):
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _parse_one(text, path):
    """One profile from JSON, else from YAML for a .yaml/.yml file (or stdin) when pyyaml is there."""
    try:
        return parse_json(text)
    except ProfileError as json_error:
        if not path.endswith((".yaml", ".yml")) and path != "-":
            raise
        problem = json_error.problems[0]
    try:
        import yaml
    except ImportError:
        raise ProfileError.one("", *(current().text("yaml_unavailable", lang, problem=problem.message(lang))
                                     for lang in LANGS)) from None
    try:
        return yaml.safe_load(text)
    except RecursionError:
        raise current().problem("", "invalid_yaml_deep") from None
    except yaml.YAMLError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else "?"
        mark = getattr(exc, "problem_mark", None)
        if mark:
            raise current().problem("", "invalid_yaml_at", reason=reason, line=mark.line + 1, column=mark.column + 1) from None
        raise current().problem("", "invalid_yaml", reason=reason) from None


# The icon of each verdict is that of the status it reflects, as in the browser.
VERDICT_STATUS = {"eligible": "pass", "ineligible": "fail", "incomplete": "unknown", "review": "review"}
REPORT_ORDER = {"fail": 0, "review": 1, "unknown": 2, "pass": 3}


def text_report(result, lang):
    """A readable report: verdict, each rule with its clause, funding, what is still needed, notes, and
    the answers judged."""
    edition = current()
    t = lambda key, **values: edition.text(key, lang, **values)  # noqa: E731
    heading = lambda key: f"  {t(key)}{t('colon').rstrip()}"  # noqa: E731
    lines = []
    if result["warnings"]:
        lines.append(f"{t('heading_warnings')}{t('colon').rstrip()}")
        lines.extend(f"  ⚠ {question(edition, w['field'], lang)}{t('colon')}{w['message']}" for w in result["warnings"])
        lines.append("")
    for pid, res in result["results"].items():
        icon = t("icon_" + VERDICT_STATUS[res["verdict"]])
        lines.append(f"{icon} {res['title']} ({pid}){t('colon')}{res['verdict_text']}")
        lines.append(heading("heading_rules"))
        for rule in sorted(res["rules"], key=lambda r: REPORT_ORDER[r["status"]]):  # what decides, first
            lines.append(f"    {t('icon_' + rule['status'])} [{t('status_' + rule['status'])}] {rule['message']}  "
                         f"<{rule['clause']}>")
        funding = res["funding"]
        best = money(funding["max_request"], lang) if funding["max_request"] is not None else "—"
        lines.append(f"  {t('heading_funding')}{t('colon')}{funding['label']}{t('clause_separator')}"
                     f"{funding['max_request_label']}{t('colon')}{best}")
        if res["missing"] and res["verdict"] != "ineligible":  # answers cannot change a ✘
            names = [question(edition, path, lang) for path in res["missing"]]
            lines.append(f"  {t('heading_missing')}{t('colon')}{t('list_separator').join(names)}")
        if res["next_steps"]:
            lines.append(heading("heading_next_steps"))
            lines.extend(f"    {number}. {step['text']}" + (f"  <{step['clause']}>" if step["clause"] else "")
                         for number, step in enumerate(res["next_steps"], 1))
        if res["notes"]:
            lines.append(heading("heading_notes"))
            lines.extend(f"    - {note['message']}  <{note['clause']}>" for note in res["notes"])
        lines.append(heading("heading_unmodelled"))
        lines.extend(f"    - {u['label']}{t('colon')}{u['reason']}  <{u['clause']}>" for u in res["unmodelled"])
        lines.append("")
    # Last, the answers as judged, worded as the page and its printout word them.
    if result["answers"]:
        lines.append(f"{t('answers_given')}{t('colon').rstrip()}")
        for answer in result["answers"]:
            lines.append(f"  {answer['question']}{t('colon')}{answer['text']}")
            lines.extend(f"    {number}. {item}" for number, item in enumerate(answer.get("items", ()), 1))
        lines.append("")
    return "\n".join(lines)


def _render(profile, args):
    result = evaluate(profile, args.programme, args.lang)
    return dumps(result) if args.format == "json" else text_report(result, args.lang)


def _run_batch(text, args, out):
    """One result per profile line; a bad line yields its error (a JSON line, or on stderr) and exit 2."""
    status = EXIT_OK
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.write(_render(parse_json(line), args) + "\n")
        except ProfileError as exc:
            status = EXIT_BAD_INPUT
            sys.stderr.write(f"line {number}: {one_line(exc.message(args.lang))}\n")
            if args.format == "json":
                out.write(dumps({**exc.as_json(args.lang), "line": number}) + "\n")
    return status


def main(argv=None):
    """Entry point; returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["screen"]:
        # Spreadsheets are the spreadsheet layer's (openpyxl), which this stdlib-only engine never imports.
        sys.stderr.write(f"{_parser().prog}: {SCREEN_MOVED}\n")
        return EXIT_BAD_INPUT
    args = _parser().parse_args(argv)
    out = sys.stdout
    try:
        if args.programme is not None and args.programme not in programme_ids():
            ids = " | ".join(programme_ids())
            raise current().problem("--programme", "unknown_programme", ids=ids)
        try:
            text = _read(args.file)
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise current().problem(args.file, "cannot_read", reason=reason) from None
        if args.jsonl or args.file.endswith(".jsonl"):
            with without_cyclic_gc():
                return _run_batch(text, args, out)
        out.write(_render(_parse_one(text, args.file), args) + "\n")
        return EXIT_OK
    except ProfileError as exc:
        sys.stderr.write(f"error: {one_line(exc.message(args.lang))}\n")
        return EXIT_BAD_INPUT
    except RulesMissing as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_RULES_MISSING
    except BrokenPipeError:
        return EXIT_OK
