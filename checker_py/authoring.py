"""What a build needs from the engine to compile and describe rules: the engine's own grammar, its
edition loader and its formatters, so a build validates and words the rules exactly as the engine
reads them. The page-facing API is in `checker_py` itself; this module is public too, and stable."""

from ._edition import from_data
from ._evaluate import steps_for
from ._formats import money_range, param_text
from ._grammar import compile_condition, reads
from ._messages import funding_forms, funding_label, label as rule_label

__all__ = ["from_data", "steps_for", "money_range", "param_text", "compile_condition", "reads", "funding_forms",
           "funding_label", "rule_label"]
