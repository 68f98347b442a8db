"""Reading one cell into a profile value: blank = unknown; labels, words and spreadsheet dates accepted;
dates and amounts read by the engine's own reader, as the form's and the command line's are."""

import checker_py

from .columns import normalise
from checker_py.strings import SHEETS

_TRUE = {"是", "true", "yes", "y", "1", "对"}
_FALSE = {"否", "false", "no", "n", "0", "不是"}


class CellProblem(ValueError):
    """A cell whose text cannot be read for its column; carries the message in both languages."""

    def __init__(self, zh, en):
        """Keep the message in both languages."""
        super().__init__(en)
        self.zh, self.en = zh, en

    def message(self, lang):
        """The message in `lang`."""
        return self.zh if lang == "zh" else self.en


def _problem(name, **values):
    """A CellProblem from one of the SHEETS messages."""
    return CellProblem(SHEETS[name]["zh"].format(**values), SHEETS[name]["en"].format(**values))


def is_blank(value):
    """A cell that says nothing: empty, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def read_cell(value, column):
    """The profile value of one non-blank cell of `column`; CellProblem when it cannot be read."""
    kind = column.kind
    if kind == "text":
        return _text(value)
    if kind == "bool":
        return _bool(value)
    if kind == "enum":
        return _enum(value, column)
    if kind == "date":
        return _date(value)
    return _number(value, kind)


def _text(value):
    """A name as text: a number typed into the cell as the digits shown (2022, not 2022.0)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _bool(value):
    """是/否, true/false, yes/no, 1/0 (or a spreadsheet boolean) as True or False."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return value == 1
    word = normalise(value)
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise _problem("cell_expected_bool")


def _enum(value, column):
    """The option value a label (zh or en) or a value names."""
    found = column.choices.get(normalise(value))
    if found is None:
        options = column.field["options"]
        zh = " / ".join(o["label"]["zh"] for o in options)
        en = " / ".join(o["label"]["en"] for o in options)
        raise CellProblem(SHEETS["cell_expected_enum"]["zh"].format(options=zh), SHEETS["cell_expected_enum"]["en"].format(options=en))
    return found


def _date(value):
    """A spreadsheet date, or a date as typed (the engine's reader: 1980/5/3, 1980年5月3日, 1980, …), as ISO text."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a year, or 19800503, typed into a cell Excel took for a number
    try:
        return checker_py.read_date(value)
    except checker_py.InvalidAnswer as exc:
        raise CellProblem(exc.zh, exc.en) from None


def _number(value, kind):
    """A number or int cell, or an amount as typed (the engine's reader: 1,200, 250万元, …)."""
    try:
        return checker_py.read_amount(value, whole=kind == "int")
    except checker_py.InvalidAnswer as exc:
        raise CellProblem(exc.zh, exc.en) from None
