"""Evaluate a profile: validate -> each rule, three-valued -> each programme's verdict -> result.

    evaluate(profile)            the result dict (`check --format json` prints its json.dumps)
      judge_programme(...)       one programme: its outcomes, verdict and largest request
        judge_rule(...)          one rule: Outcome(status, fields read, fields missing)
          _grammar.holds(...)    one condition: True, False or None (unknown)
"""

from decimal import Decimal
from typing import NamedTuple, Optional

from ._edition import LANGS, current
from ._errors import ProfileError
from ._formats import number
from ._grammar import holds
from ._scope import Scope, Trace
from ._profile import validate

# A programme's verdict is the gravest status of its conditions (priority notes never count).
SEVERITY = {"pass": 0, "review": 1, "unknown": 2, "fail": 3}
VERDICTS = ("eligible", "review", "incomplete", "ineligible")


class Outcome(NamedTuple):
    """What one rule made of a profile."""

    rule: dict
    status: str  # pass | fail | unknown | review
    applicable: bool  # False when the rule's premise (`when`) does not hold
    fields: list  # every field path the rule read
    missing: list  # the paths read that are unknown (empty unless status is unknown)
    defaults: list  # absent answers a declared default stood in for


class ProgrammeVerdict(NamedTuple):
    """One programme's judgement of a profile."""

    programme: dict
    verdict: str  # eligible | review | incomplete | ineligible
    outcomes: list  # Outcome per rule, conditions and priority notes, in rule order
    form: Optional[str]  # the funding form for this unit, None when it cannot be known
    max_request: object  # largest admissible request in 万元, or None
    answers: dict  # the profile as judged: the answers given, and the request assumed when none was
    request_range: Optional[tuple]  # (min, max) 万元 admissible when no request was given and one fits

    @property
    def missing(self):
        """Unknown answers that the conditions (not the priority notes) still need, in rule order."""
        paths = [path for o in self.outcomes if o.rule["kind"] != "priority" for path in o.missing]
        return list(dict.fromkeys(paths))


class FundingForm(NamedTuple):
    """How a programme funds this applicant; not `known` while the kind of unit decides it."""

    form: Optional[str]
    known: bool


def funding_form(programme, unit_kind):
    """The programme's funding form for a kind of unit.

    Where every kind the programme names has the same form, that is the form whatever the kind (an
    unknown one, or one the guide does not name, which other rules rule out): so a later answer
    cannot turn a settled condition round. Otherwise an unknown kind leaves the form unknown, and a
    kind the guide does not name has none.
    """
    forms = programme["funding"]["form"]
    distinct = set(forms.values())
    if unit_kind not in forms and len(distinct) == 1:
        return FundingForm(distinct.pop(), True)
    if unit_kind is None:
        return FundingForm(None, False)
    return FundingForm(forms.get(unit_kind), True)


_STATUS = {True: "pass", False: "fail", None: "unknown", "review": "review"}


def judge_rule(rule, profile, form):
    """The rule's Outcome: its premise (`when`) implies its condition, in Kleene logic."""
    trace = Trace()
    scope = Scope(profile, form, trace)
    premise = holds(rule["when"], scope) if "when" in rule else True
    if premise is False:
        return Outcome(rule, "pass", False, trace.fields, [], [])
    value = holds(rule["condition"], scope)
    if premise is None and value is not True:
        value = None  # an unknown premise leaves an unproven condition unknown
    if value is False and (rule["on_fail"] == "review" or ("review_when" in rule and holds(rule["review_when"], scope))):
        value = "review"
    status = _STATUS[value]
    return Outcome(rule, status, True, trace.fields, trace.missing if status == "unknown" else [], trace.defaults)


def judge_programme(programme, profile, judged=None):
    """Every rule of the programme, its verdict and the largest admissible request.

    The request is the applicant's choice, not a fact: when none is given, the programme is judged at
    its most favourable request (the largest admissible one, else the smallest of the range, which
    no request can beat) and the admissible range is reported instead (rules/README.md).
    `judged` holds the outcomes already found for this profile: a notice rule shared by several
    programmes, with the same funding form and request, is judged once (kept for the spreadsheet
    screening's target in bench/sheets.py: without it all five programmes take 10-35% longer).
    """
    form = funding_form(programme, (profile.get("unit") or {}).get("kind"))
    largest = max_request(programme, profile)
    assumed = None
    if value_at(profile, programme["funding"]["request_field"]) is None:
        assumed = largest if largest is not None else number(programme["funding"]["min"])
        profile = _with_value(profile, programme["funding"]["request_field"], assumed)
    judged = {} if judged is None else judged
    outcomes = []
    for rule in programme["rules"]:
        if (rule["id"], form, assumed) not in judged:
            outcome = judge_rule(rule, profile, form)
            if assumed is not None and programme["funding"]["request_field"] in outcome.fields:
                # An assumed request stands in like a default: the request actually given may change it.
                outcome = outcome._replace(defaults=outcome.defaults + [programme["funding"]["request_field"]])
            judged[rule["id"], form, assumed] = outcome
        outcomes.append(judged[rule["id"], form, assumed])
    worst = max((SEVERITY[o.status] for o in outcomes if o.rule["kind"] != "priority"), default=0)
    request_range = None
    if assumed is not None and largest is not None:
        request_range = (number(programme["funding"]["min"]), largest)
    return ProgrammeVerdict(programme, VERDICTS[worst], outcomes, form.form if form.known else None,
                            largest, profile, request_range)


def value_at(profile, path):
    """The answer at a dotted path, or None."""
    node = profile
    for key in path.split("."):
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _with_value(profile, path, value):
    """A copy of the profile with `value` at the dotted path (the groups on the way copied, not shared)."""
    head, _, rest = path.partition(".")
    if not rest:
        return {**profile, head: value}
    return {**profile, head: _with_value(profile.get(head) or {}, rest, value)}


def max_request(programme, profile):
    """Largest request within the funding range and the self-funding ratio (self = total − request)."""
    span = programme["funding"]
    percent = programme["self_funding_percent"]
    if percent is None:
        return number(span["max"])
    total = (profile.get("project") or {}).get("total_investment")
    if total is None:
        return None
    best = min(ratio_limit(total, percent), Decimal(str(span["max"])))
    return None if best < Decimal(str(span["min"])) else number(best)


def ratio_limit(total, percent):
    """The largest request the self-funding share leaves: total × (100 − percent) %."""
    return Decimal(str(total)) * (100 - Decimal(str(percent))) / 100


def steps_for(edition, answers, programme=None):
    """The next steps that apply to these answers (for `programme`, or those of no programme alone):
    `when` holds and `unless` does not."""
    form = funding_form(programme, (answers.get("unit") or {}).get("kind")) if programme else FundingForm(None, False)
    scope = Scope(answers, form, Trace())
    pid = programme["id"] if programme else None
    return [step for step in edition.next_steps
            if (pid in step["programmes"] if "programmes" in step else True)
            and ("when" not in step or holds(step["when"], scope) is True)
            and ("unless" not in step or holds(step["unless"], scope) is not True)]


def check_options(programme, lang):
    """The edition, after checking the options; ProfileError names a bad one."""
    edition = current()
    if lang not in LANGS:
        raise edition.problem("lang", "unknown_lang", langs=" | ".join(LANGS))
    if programme is not None:
        edition.programme(programme)
    return edition


class Judgement(NamedTuple):
    """A valid profile judged by one programme or all."""

    edition: object  # the Edition in use
    profile: dict  # the profile, validated and normalised
    verdicts: dict  # programme id -> ProgrammeVerdict


def judge(profile, programme=None):
    """The Judgement of a profile; ProfileError when it is invalid."""
    edition = check_options(programme, "zh")
    clean = validate(profile, edition)
    ids = [programme] if programme is not None else list(edition.programmes)
    judged = {}
    return Judgement(edition, clean, {pid: judge_programme(edition.programmes[pid], clean, judged) for pid in ids})
