"""The spreadsheet layer of the eligibility checker: the template's columns and the template, rows of a
workbook or CSV to profiles, checks across rows, and the engine's results back to rows (a report); its
command line is `python -m checker_sheets screen`. Uses openpyxl and only checker_py's public API; the
engine stays stdlib-only and never imports this layer."""

from .columns import ACHIEVEMENT_GROUPS, Column, columns
from .rows import SheetError
from .screen import Screening, schema, screen

__all__ = ["ACHIEVEMENT_GROUPS", "Column", "columns", "SheetError", "Screening", "schema", "screen"]
