"""Reading one cell into a profile value: blank = unknown; labels, words and spreadsheet dates accepted."""

import datetime
import re

from .columns import normalise
from .text import TEXT

_TRUE = {"是", "true", "yes", "y", "1", "对"}
_FALSE = {"否", "false", "no", "n", "0", "不是"}
# An amount may carry its unit, as people type it: 250万元, 1,200 万.
_UNIT_SUFFIX = re.compile(r"(万元|万)$")
# 1980/5/3 and 1980.5.3 as Excel in a Chinese locale writes dates into a CSV.
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


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
    """A CellProblem from one of the TEXT messages."""
    return CellProblem(TEXT[name]["zh"].format(**values), TEXT[name]["en"].format(**values))


def is_blank(value):
    """A cell that says nothing: empty, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def read_cell(value, column):
    """The profile value of one non-blank cell of `column`; CellProblem when it cannot be read."""
    kind = column.kind
    if kind == "bool":
        return _bool(value)
    if kind == "enum":
        return _enum(value, column)
    if kind == "date":
        return _date(value)
    return _number(value, kind)


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
    raise _problem("expected_bool")


def _enum(value, column):
    """The option value a label (zh or en) or a value names."""
    found = column.choices.get(normalise(value))
    if found is None:
        options = column.field["options"]
        zh = " / ".join(o["label"]["zh"] for o in options)
        en = " / ".join(o["label"]["en"] for o in options)
        raise CellProblem(TEXT["expected_enum"]["zh"].format(options=zh), TEXT["expected_enum"]["en"].format(options=en))
    return found


def _date(value):
    """A spreadsheet date or a typed one as YYYY-MM-DD; other text goes to the engine as is."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)  # a year typed as a number
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise _problem("expected_date")
    match = _DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        try:
            return datetime.date(year, month, day).isoformat()
        except ValueError:
            raise _problem("expected_date") from None
    # Anything else (a year, a year-month) is the engine's to accept or refuse.
    return text


def _number(value, kind):
    """A number or int cell, typed text and a trailing 万元 included."""
    if isinstance(value, bool):
        raise _problem("expected_" + kind)
    if isinstance(value, str):
        text = _UNIT_SUFFIX.sub("", value.strip().replace(",", "").replace("，", "")).strip()
        try:
            value = float(text) if re.search(r"[.eE]", text) else int(text)
        except ValueError:
            raise _problem("expected_" + kind) from None
    if not isinstance(value, (int, float)):
        raise _problem("expected_" + kind)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 250.0 from a spreadsheet is the 250 a user typed
    if kind == "int" and not isinstance(value, int):
        raise _problem("expected_int")
    return value
