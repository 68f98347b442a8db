"""Strict YAML loading: safe loader, no duplicate keys, errors that name the file and line."""

import yaml

from .errors import BuildError


def _construct_mapping(loader, node, deep=False):
    """A mapping, refusing duplicate keys (PyYAML silently keeps the last one)."""
    loader.flatten_mapping(node)
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first at line {seen[key] + 1})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line
    return yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=deep)


def _strict(base):
    """`base` (a safe loader) refusing duplicate keys and keeping dates as strings."""
    loader = type("Strict" + base.__name__, (base,), {})
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    # Dates stay strings: the schema checks their ISO form, and YAML's own date typing would
    # turn "2022" into an int and 2017-01-01 into a date object depending on quoting.
    loader.yaml_implicit_resolvers = {
        ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for ch, resolvers in base.yaml_implicit_resolvers.items()
    }
    return loader


# The pure-Python parser words errors best and marks them where they are; libyaml's (in PyYAML's
# wheels) reads a valid file about ten times as fast. A file is read with libyaml when it is there,
# and read again with the Python parser only to report an error.
_PRECISE = _strict(yaml.SafeLoader)
_FAST = _strict(yaml.CSafeLoader) if getattr(yaml, "__with_libyaml__", False) else _PRECISE


def _load(text):
    """The YAML document in `text`, or the Python parser's error."""
    try:
        return yaml.load(text, Loader=_FAST)
    except yaml.YAMLError:
        return yaml.load(text, Loader=_PRECISE)


def load_yaml(path, display=None):
    """Load one YAML file strictly; any problem becomes a BuildError naming the file (and line)."""
    display = display or path
    try:
        text = open(path, encoding="utf-8").read()
    except FileNotFoundError:
        raise BuildError(display, "", "file not found") from None
    except UnicodeDecodeError as exc:
        raise BuildError(display, "", f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    try:
        return _load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise BuildError(display, where, f"YAML error: {problem}") from None
    except yaml.YAMLError as exc:
        raise BuildError(display, "", f"YAML error: {exc}") from None
