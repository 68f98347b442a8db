"""The engine's public functions: Python dicts for the CLI and tests, JSON text for the browser."""

import contextlib
import gc
import json

from ._edition import LANGS, current
from ._errors import ProfileError
from ._evaluate import check_options, judge
from ._formats import date_text
from ._messages import answers, brief_report, report
from ._profile import validate
from ._questions import next_questions as _next_questions
from ._questions import next_step as _next_step
from ._warnings import karamay_today, plausibility


def evaluate(profile, programme=None, lang="zh"):
    """The result for one programme (or all): the dict `check --format json` prints."""
    check_options(programme, lang)
    judgement = judge(profile, programme)
    edition, clean = judgement.edition, judgement.profile
    questions = {pid: _next_questions(edition, clean, pid, verdicts=[verdict]) for pid, verdict in judgement.verdicts.items()}
    today = karamay_today().isoformat()
    return {**report(edition, clean, judgement.verdicts, questions, lang), "warnings": plausibility(edition, clean, lang),
            "answers": answers(edition, clean, lang), "judged_on": {"date": today, "text": date_text(today, lang)}}


def summarise(profile, programme=None, lang="zh"):
    """{programme id: verdict, verdict_text, max_request, max_request_text, request_range, reasons, missing}:
    what a screening report shows of one profile, for one programme (the one a row applies to) or all.

    The same judgement as `evaluate`, without the next questions and the passing rules' messages,
    which a report of many rows does not show: about half the work (kept for the spreadsheet
    screening's target in bench/sheets.py, ≤ 1.5 × openpyxl alone).
    """
    check_options(programme, lang)
    judgement = judge(profile, programme)
    return brief_report(judgement.edition, judgement.profile, judgement.verdicts, lang)


def next_questions(profile, programme=None, skipped=()):
    """Field paths whose answer can still change a verdict (of `programme`, or of any), in asking order."""
    edition = check_options(programme, "zh")
    return _next_questions(edition, validate(profile, edition), programme, frozenset(skipped))


def next_step(profile, programme=None, skipped=()):
    """The guided mode's next step: {questions, paths, remaining} (rules/README.md)."""
    edition = check_options(programme, "zh")
    return _next_step(edition, validate(profile, edition), programme, frozenset(skipped))


def normalise(profile):
    """The profile as the rules read it: typed dates as ISO text, typed amounts as numbers.

    ProfileError names every answer that cannot be read, as `evaluate` does.
    """
    return validate(profile, current())


def programme_ids():
    """The programme ids of the edition in use, in guide order."""
    return list(current().programmes)


# Characters that end a line for str.splitlines(): escaped, so a JSON line is always one line
# (they can only come from a hostile field name echoed in an error).
_LINE_BREAKS = ("\x85", "\u2028", "\u2029")


def dumps(result):
    """The one serialisation shared by the CLI and the browser (byte-for-byte parity)."""
    text = json.dumps(result, ensure_ascii=False, sort_keys=True)
    for char in _LINE_BREAKS:
        if char in text:
            text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def parse_json(text):
    """A profile from JSON text; ProfileError (in both languages) naming where the syntax breaks."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise current().problem("", "invalid_json_at", reason=exc.msg, line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise current().problem("", "invalid_json_deep") from None
    except (ValueError, TypeError) as exc:
        raise current().problem("", "invalid_json", reason=exc) from None


def _answer(lang, compute):
    """JSON text of compute(), or of the error object naming every invalid field."""
    try:
        return dumps(compute())
    except ProfileError as exc:
        return dumps(exc.as_json(lang if lang in LANGS else "en"))


def evaluate_json(text, programme=None, lang="zh"):
    """Profile JSON text in, result JSON text out; errors become {"error": {...}, "errors": [...]}."""
    return _answer(lang, lambda: evaluate(parse_json(text), programme, lang))


def normalise_json(text, lang="zh"):
    """Profile JSON text in, the normalised profile's JSON text out (or the error object)."""
    return _answer(lang, lambda: normalise(parse_json(text)))


def next_questions_json(text, programme=None, skipped_json="[]", lang="zh"):
    """JSON list of the next questions' field paths for a profile's JSON text, or the error object."""
    return _answer(lang, lambda: next_questions(parse_json(text), programme, _skipped(skipped_json)))


def next_step_json(text, programme=None, skipped_json="[]", lang="zh"):
    """JSON of the guided mode's next step for a profile's JSON text, or the error object."""
    return _answer(lang, lambda: next_step(parse_json(text), programme, _skipped(skipped_json)))


def _skipped(skipped_json):
    """The paths a person left unanswered, from their JSON list."""
    skipped = parse_json(skipped_json)
    if not isinstance(skipped, list) or not all(isinstance(path, str) for path in skipped):
        raise current().problem("skipped", "bad_skipped")
    return skipped


@contextlib.contextmanager
def without_cyclic_gc():
    """Pause the cyclic garbage collector during a batch (of JSON lines, or of a sheet's rows).

    Every result is many small acyclic dicts and lists that the collector would rescan again and
    again for nothing (a tenth of a JSON-lines batch's CPU time, a quarter of a sheet's, measured);
    reference counting still frees everything. Kept for the spreadsheet screening's target in
    bench/sheets.py (≤ 1.5 × openpyxl alone).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
