"""What a condition reads: the scope it is evaluated in, the trace of every read, and the
helpers for the answers that need interpreting (a date given as a year, the self-raised funds).
"""

import datetime


class Trace:
    """The fields a rule read, in reading order, and which of them were (still) unknown."""

    def __init__(self):
        self.read = {}  # path -> known?

    def note(self, path, known):
        """Record one read; a field unknown once stays unknown."""
        self.read[path] = self.read.get(path, True) and known

    def defaulted(self, path):
        """An absent answer that a declared default stood in for (self-raised = total − request)."""
        self.read[path] = "default"

    @property
    def fields(self):
        """Every path read."""
        return list(self.read)

    @property
    def missing(self):
        """The paths read whose answer was absent (or too vague to decide)."""
        return [path for path, known in self.read.items() if not known]

    @property
    def defaults(self):
        """The absent answers a default stood in for: answering them may still change the outcome."""
        return [path for path, known in self.read.items() if known == "default"]


class Scope:
    """Where a condition is evaluated: the profile or one list item, its path prefix, the
    programme's FundingForm (form, known) and the trace that records every read."""

    def __init__(self, data, form, trace, prefix=""):
        self.data, self.form, self.trace, self.prefix = data, form, trace, prefix

    def value(self, field):
        """The answer at `field` (dotted), recorded in the trace; None when unknown."""
        node = self.data
        for key in field.split("."):
            node = node.get(key) if isinstance(node, dict) else None
        self.trace.note(self.prefix + field, node is not None)
        return node

    def undecided(self, field):
        """Mark a known but too vague answer (a year where a day decides) as still needed."""
        self.trace.note(self.prefix + field, False)

    def item(self, field, index, data):
        """The scope of one item of the list at `field`."""
        return Scope(data, self.form, self.trace, f"{self.prefix}{field}[{index}].")


# -- dates: a day, or a month or year when that is all the applicant knows -----------------------


def date_span(text):
    """(first day, last day) of 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY' as ISO strings."""
    if len(text) == 10:
        return text, text
    if len(text) == 7:
        year, month = int(text[:4]), int(text[5:])
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        return f"{text}-01", (following - datetime.timedelta(days=1)).isoformat()
    return f"{text}-01-01", f"{text}-12-31"


def self_funding(project):
    """(total, self-raised) in 万元: self-raised as given, else total − request (rules/README.md)."""
    total, own = project.get("total_investment"), project.get("self_funding")
    if own is None and total is not None and project.get("requested_funding") is not None:
        own = total - project["requested_funding"]
    return total, own
