"""Rows to profiles and results back to rows: the header row, the cells of one row, the engine's answer."""

import re
from dataclasses import dataclass, field

import checker_py

from .cells import CellProblem, is_blank, read_cell
from .columns import header_index, letter, normalise
from checker_py.strings import SHEETS

# The header is the first row naming a template column; a title row or two above it is allowed.
HEADER_SEARCH_ROWS = 10
_ITEM_PATH = re.compile(r"^(?P<list>[\w.]+)\[(?P<index>\d+)\](?:\.(?P<sub>\w+))?")


class SheetError(Exception):
    """A file that cannot be screened at all; one line in both languages."""

    def __init__(self, name, **values):
        """Format the named SHEETS message in both languages; a value given as {zh, en} is taken per language."""
        self.name = name
        for lang in ("zh", "en"):
            own = {key: value[lang] if isinstance(value, dict) else value for key, value in values.items()}
            setattr(self, lang, SHEETS[name][lang].format(**own))
        super().__init__(self.en)

    def message(self, lang):
        """The line in `lang`."""
        return self.zh if lang == "zh" else self.en


@dataclass
class Layout:
    """Where the template's columns are in this sheet."""

    header_row: int  # 1-based row number of the header
    headers: list  # every header cell as text, in sheet order
    columns: list  # per sheet column: its template Column, or None for a column of the user's own

    def unknown(self):
        """The headers not in the template (kept in the report as they are)."""
        return [h for h, col in zip(self.headers, self.columns) if col is None and h]

    def widen(self, width):
        """Give the columns right of the header's last cell (data with no header) a place, blank-headed."""
        extra = width - len(self.headers)
        if extra > 0:
            self.headers = self.headers + [""] * extra
            self.columns = self.columns + [None] * extra


@dataclass
class CellError:
    """One bad cell (or a row-wide problem when column is None)."""

    row: int
    column: int | None  # 0-based sheet column
    header: str
    zh: str
    en: str
    field: str = ""

    def message(self, lang):
        """The error as one line: row, column letter and header, then what is wrong."""
        text = self.zh if lang == "zh" else self.en
        if self.column is None:
            return SHEETS["row_error"][lang].format(row=self.row, message=text)
        return SHEETS["cell_error"][lang].format(row=self.row, column=letter(self.column), header=self.header, message=text)


@dataclass
class RowResult:
    """One data row: its number, its cells as read, and the engine's verdicts or the row's errors."""

    row: int
    values: list
    profile: dict = None
    programmes: dict = None  # checker_py.summarise of the programmes screened (the intended one, or all)
    errors: list = field(default_factory=list)
    groups_of: dict = field(default_factory=dict)  # list path -> the sheet's group number of each item
    application: dict = field(default_factory=dict)  # the application's own columns read: path -> text or id
    flags: list = field(default_factory=list)  # checks across rows that concern this row (across.Flag)
    verdicts: dict = field(default_factory=dict)  # programme id -> the verdict shown: the engine's, or review when flagged

    @property
    def programme(self):
        """The id of the programme the row applies to, or None (screened for every programme)."""
        return self.application.get("programme")


def _header_text(value):
    """A header cell as text (a number typed as header stays readable)."""
    return "" if value is None else str(value).strip()


def find_layout(rows, file_name, cols):
    """The Layout of a sheet from its first rows: [(row number, values)]; None when none is a header.

    `cols` are the template's columns (columns.columns)."""
    index = header_index(cols)
    for number, values in rows:
        if number > HEADER_SEARCH_ROWS:
            break
        headers = [_header_text(v) for v in values]
        found = [index.get(normalise(h)) if h else None for h in headers]
        if not any(found):
            continue
        seen = {}
        for i, col in enumerate(found):
            if col is None:
                continue
            if col.path in seen:
                raise SheetError("duplicate_header", file=file_name, first=letter(seen[col.path]),
                                 second=letter(i), header=headers[i])
            seen[col.path] = i
        return Layout(number, headers, found)
    return None


def _set(profile, path, value):
    """Set a dotted path in a nested profile."""
    node = profile
    parts = path.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def row_profile(number, values, layout):
    """(profile, {list index: group number}) of one row, or (None, [CellError]) when a cell is bad."""
    profile, errors = {}, []
    lists = {}  # list path -> {"has": bool | None, "groups": {n: item}}
    for i, col in enumerate(layout.columns):
        if col is None or not col.answer or i >= len(values) or is_blank(values[i]):
            continue
        try:
            value = read_cell(values[i], col)
        except CellProblem as exc:
            errors.append(CellError(number, i, layout.headers[i], exc.zh, exc.en, col.path))
            continue
        if col.list_path:
            entry = lists.setdefault(col.list_path, {"has": None, "groups": {}, "column": None})
            if col.item:
                entry["groups"].setdefault(col.item, {})[col.field["path"]] = value
            else:
                entry["has"], entry["column"] = value, i
            continue
        _set(profile, col.path, value)
    groups_of = {}
    for path, entry in lists.items():
        filled = sorted(entry["groups"])
        if entry["has"] is False and filled:
            i = entry["column"]
            errors.append(CellError(number, i, layout.headers[i], SHEETS["list_says_no"]["zh"].format(n=filled[0]),
                                    SHEETS["list_says_no"]["en"].format(n=filled[0]), path))
            continue
        if entry["has"] is False:
            _set(profile, path, [])
        elif filled:
            _set(profile, path, [entry["groups"][n] for n in filled])
            groups_of[path] = filled
        elif entry["has"]:
            # "Yes" with no details: one achievement whose every answer is still unknown.
            _set(profile, path, [{}])
            groups_of[path] = [1]
    if errors:
        return None, errors
    return profile, groups_of


def row_application(number, values, layout):
    """({path: value} of the application's own columns in one row, [CellError]): names as text, the
    intended programme as its id."""
    application, errors = {}, []
    for i, col in enumerate(layout.columns):
        if col is None or col.answer or i >= len(values) or is_blank(values[i]):
            continue
        try:
            application[col.path] = read_cell(values[i], col)
        except CellProblem as exc:
            errors.append(CellError(number, i, layout.headers[i], exc.zh, exc.en, col.path))
    return application, errors


def _column_of(field_path, layout, groups_of):
    """The sheet column an engine error's field path points at (list indexes are the engine's, 0-based)."""
    match = _ITEM_PATH.match(field_path)
    wanted = field_path
    if match and match.group("list") in groups_of:
        groups = groups_of[match.group("list")]
        index = int(match.group("index"))
        if index < len(groups):
            wanted = match.group("list")
            if match.group("sub"):
                wanted = f"{match.group('list')}[{groups[index]}].{match.group('sub')}"
    for i, col in enumerate(layout.columns):
        if col is not None and col.path == wanted:
            return i
    return None


def screen_row(number, values, layout, lang):
    """Read one row and run the engine on it; a bad cell or an engine refusal becomes the row's errors."""
    row = RowResult(number, list(values))
    row.application, errors = row_application(number, values, layout)
    profile, extra = row_profile(number, values, layout)
    if profile is None:
        errors += extra
    if errors:
        row.errors = sorted(errors, key=lambda error: error.column)  # in the sheet's order, as read
        return row
    row.profile, row.groups_of = profile, extra
    try:
        row.programmes = checker_py.summarise(profile, row.programme, lang)
    except checker_py.ProfileError as exc:
        # Every invalid field the engine names, each at the column it came from.
        for problem in exc.problems:
            i = _column_of(problem.field, layout, extra)
            if i is None:
                row.errors.append(CellError(number, None, "", problem.message("zh"), problem.message("en"), problem.field))
            else:
                row.errors.append(CellError(number, i, layout.headers[i], problem.zh, problem.en, problem.field))
    return row

