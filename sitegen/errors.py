"""The one error type of the build: it names the file and the field path."""


class BuildError(Exception):
    """A problem in an input file, reported as `file: path: message` with no traceback."""

    def __init__(self, file, path, message):
        self.file = str(file)
        self.path = path
        self.message = message
        super().__init__(self.format())

    def format(self):
        """Render as `guide_src/…/major.yaml: sections[1].blocks[0].en: missing`."""
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}: {where}{self.message}"


def join_path(path, key):
    """Extend a field path with a mapping key or a list index."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)
