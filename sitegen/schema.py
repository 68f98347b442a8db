"""A small declarative schema checker: every problem becomes a BuildError with a field path."""

import datetime
import re

from .errors import BuildError, join_path

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# One clause, heading or message: the longest of the 2022 edition has 1,348 characters.
MAX_TEXT_CHARS = 10_000


class Field:
    """One key of a mapping: its schema and whether it must be present."""

    def __init__(self, schema, required=True):
        self.schema = schema
        self.required = required


def optional(schema):
    """Mark a mapping key as optional."""
    return Field(schema, required=False)


def check(value, schema, file, path=""):
    """Validate `value` against `schema`; raise BuildError naming file and path on the first problem."""
    if isinstance(schema, dict):
        return _check_mapping(value, schema, file, path)
    if isinstance(schema, list):
        if not isinstance(value, list):
            raise BuildError(file, path, f"expected a list, got {_kind(value)}")
        for i, item in enumerate(value):
            check(item, schema[0], file, join_path(path, i))
        return value
    return schema(value, file, path)


def _check_mapping(value, schema, file, path):
    if not isinstance(value, dict):
        raise BuildError(file, path, f"expected a mapping, got {_kind(value)}")
    for key in value:
        if key not in schema:
            allowed = ", ".join(sorted(schema))
            raise BuildError(file, join_path(path, key), f"unknown key (allowed: {allowed})")
    for key, field in schema.items():
        field = field if isinstance(field, Field) else Field(field)
        if key not in value or value[key] is None:
            if field.required:
                raise BuildError(file, join_path(path, key), "missing")
            continue
        check(value[key], field.schema, file, join_path(path, key))
    return value


def _kind(value):
    return "nothing" if value is None else type(value).__name__


def text_str(value, file, path):
    """A non-empty string of at most MAX_TEXT_CHARS characters."""
    if not isinstance(value, str):
        raise BuildError(file, path, f"expected text, got {_kind(value)}")
    if not value.strip():
        raise BuildError(file, path, "empty text")
    if len(value) > MAX_TEXT_CHARS:
        raise BuildError(file, path, f"{len(value):,} characters, over the limit of {MAX_TEXT_CHARS:,} for one text")
    return value


def ident(value, file, path):
    """An anchor-safe identifier: lower-case letters, digits, '-' and '_'."""
    text_str(value, file, path)
    if not ID_RE.match(value):
        raise BuildError(file, path, f"invalid id {value!r} (use a-z, 0-9, '-' and '_')")
    return value


def integer(value, file, path):
    """A whole number (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise BuildError(file, path, f"expected a whole number, got {_kind(value)}")
    return value


def boolean(value, file, path):
    """true or false."""
    if not isinstance(value, bool):
        raise BuildError(file, path, f"expected true or false, got {_kind(value)}")
    return value


def year_month(value, file, path):
    """A month as YYYY-MM (a date the text gives without its day)."""
    text_str(value, file, path)
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise BuildError(file, path, f"expected a month as YYYY-MM, got {value!r}")
    return value


def iso_date(value, file, path):
    """A date as YYYY-MM-DD."""
    text_str(value, file, path)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise BuildError(file, path, f"expected a date as YYYY-MM-DD, got {value!r}")
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise BuildError(file, path, f"no such date: {value!r}") from None
    return value


def one_of(*choices):
    """A text that must be one of `choices`."""

    def check_choice(value, file, path):
        text_str(value, file, path)
        if value not in choices:
            raise BuildError(file, path, f"expected one of {', '.join(choices)}, got {value!r}")
        return value

    return check_choice


# Every text of the guide exists in both languages.
BILINGUAL = {"zh": text_str, "en": text_str}
