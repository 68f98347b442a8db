"""The spreadsheet layer of the eligibility checker: rows of a workbook or CSV to profiles, and the
engine's results back to rows (a report). Uses openpyxl; the engine (checker_py) stays stdlib-only."""

from .columns import ACHIEVEMENT_GROUPS, Column, columns
from .rows import SheetError
from .screen import Screening, schema, screen

__all__ = ["ACHIEVEMENT_GROUPS", "Column", "columns", "SheetError", "Screening", "schema", "screen"]
