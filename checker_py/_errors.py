"""The one error of the engine's input: it names the field path, in both languages."""


class ProfileError(ValueError):
    """An unknown key or an invalid value in a profile, e.g. `leader.birth_date`."""

    def __init__(self, field, message_zh, message_en):
        self.field = field
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{field}: {message_en}")

    def message(self, lang="zh"):
        """The message in `lang`, prefixed with the field path."""
        text = self.message_zh if lang == "zh" else self.message_en
        return f"{self.field}: {text}" if self.field else text
