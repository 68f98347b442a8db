"""Strict YAML loading: safe loader, no duplicate keys, errors that name the file and line."""

import yaml

from .errors import BuildError


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate mapping keys (PyYAML silently keeps the last one)."""


def _construct_mapping(loader, node, deep=False):
    loader.flatten_mapping(node)
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first at line {seen[key] + 1})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay strings: the schema checks their ISO form, and YAML's own date typing would
# turn "2022" into an int and 2017-01-01 into a date object depending on quoting.
_StrictLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise BuildError(display, where, f"YAML error: {problem}") from None
    except yaml.YAMLError as exc:
        raise BuildError(display, "", f"YAML error: {exc}") from None
