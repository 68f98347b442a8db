"""Eligibility self-check for the Karamay S&T plan reserve-project guide (stdlib only; CPython and Pyodide)."""

from ._api import evaluate, evaluate_json, next_questions, next_questions_json, programme_ids, summarise
from ._errors import ProfileError

__all__ = ["evaluate", "evaluate_json", "next_questions", "next_questions_json", "programme_ids", "summarise", "ProfileError"]
