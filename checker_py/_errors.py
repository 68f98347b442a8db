"""The engine's input errors: each names the field path, in both languages."""

from typing import NamedTuple


class Problem(NamedTuple):
    """One invalid field of a profile (or option), e.g. `leader.birth_date`."""

    field: str
    zh: str
    en: str

    def message(self, lang="zh"):
        """The message in `lang`, prefixed with the field path."""
        text = self.zh if lang == "zh" else self.en
        return f"{self.field}: {text}" if self.field else text


class ProfileError(ValueError):
    """Every invalid field of a profile at once; `field` and `message()` name the first."""

    def __init__(self, problems):
        self.problems = list(problems)
        self.field = self.problems[0].field
        super().__init__(self.problems[0].message("en"))

    @classmethod
    def one(cls, field, zh, en):
        """An error with a single problem."""
        return cls([Problem(field, zh, en)])

    def message(self, lang="zh"):
        """The first problem's message in `lang`."""
        return self.problems[0].message(lang)

    def as_json(self, lang="zh"):
        """The error object of evaluate_json and of the CLI's JSON output."""
        errors = [{"field": p.field, "message": p.message(lang)} for p in self.problems]
        return {"error": errors[0], "errors": errors}


class InvalidAnswer(ValueError):
    """One answer that cannot be read for its field (a date, an amount, …), in both languages."""

    def __init__(self, zh, en):
        super().__init__(en)
        self.zh, self.en = zh, en

    def message(self, lang="zh"):
        """The message in `lang`."""
        return self.zh if lang == "zh" else self.en
