"""Eligibility self-check for the Karamay S&T plan reserve-project guide (stdlib only; CPython and Pyodide)."""

from ._api import (evaluate, evaluate_json, next_questions, next_questions_json, next_step, next_step_json, normalise,
                   normalise_json,
                   programme_ids, summarise, without_cyclic_gc)
from ._errors import InvalidAnswer, ProfileError
from ._formats import one_line, phrase
from ._profile import read_amount, read_date

__all__ = ["evaluate", "evaluate_json", "next_questions", "next_questions_json", "next_step", "next_step_json", "normalise",
           "normalise_json", "programme_ids", "summarise", "without_cyclic_gc", "read_amount", "read_date", "one_line",
           "phrase", "InvalidAnswer", "ProfileError"]
