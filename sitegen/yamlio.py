"""Strict YAML loading: safe loader, no duplicate keys, bounded size and depth, errors that name the
file and line."""

from pathlib import Path

import yaml

from . import inputs
from .errors import BuildError

# The 2022 edition nests 13 levels at most; Python walks the data recursively (schema, pages).
MAX_DEPTH = 50


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


def _children(node):
    """The nodes directly inside a composed node (keys and values of a mapping)."""
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return node.value if isinstance(node, yaml.SequenceNode) else []


def _refuse(problem, node):
    """Raise a YAML error at `node` (its line is the message's)."""
    raise yaml.composer.ComposerError(None, None, problem, node.start_mark)


def check_expansion(root):
    """Refuse a composed document that, with every alias written out, exceeds an input file's size
    limit in characters or MAX_DEPTH levels, or that contains itself. Each node is visited once: an
    alias is a second reference to a node, which a reader of the data would walk again and again."""
    measured = {}  # id(node) -> (characters, depth), aliases expanded
    open_nodes = set()  # the node being measured and the nodes it is inside
    stack = [(root, False)]
    while stack:
        node, children_measured = stack.pop()
        key = id(node)
        if key in measured:
            continue
        children = _children(node)
        if not children_measured:
            if key in open_nodes:
                _refuse("an alias inside the node it names (the document would contain itself)", node)
            open_nodes.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in measured)
            continue
        open_nodes.discard(key)
        size = 1 + (len(node.value) if isinstance(node, yaml.ScalarNode) else sum(measured[id(c)][0] for c in children))
        depth = 1 + max((measured[id(c)][1] for c in children), default=0)
        if size > inputs.MAX_FILE_BYTES:
            _refuse(f"more than {inputs.MAX_FILE_BYTES:,} characters with its aliases written out "
                    "(the limit of an input file)", node)
        if depth > MAX_DEPTH:
            _refuse(f"nested more than {MAX_DEPTH} levels deep", node)
        measured[key] = (size, depth)


def _document(loader_class, text):
    """The document in `text` read by one loader, checked by check_expansion before it is built."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check_expansion(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _load(text):
    """The YAML document in `text`, or the Python parser's error (libyaml's where Python's recursion
    gives up, in a document nested too deeply for either)."""
    try:
        return _document(_FAST, text)
    except yaml.YAMLError as fast_error:
        try:
            return _document(_PRECISE, text)
        except RecursionError:
            raise fast_error from None


def load_yaml(path, repo=None):
    """Load one YAML file strictly; any problem becomes a BuildError naming the file (and line).

    `repo` is the repository the file belongs to (default: the file's folder): the message names the
    file from there, and the file is read as sitegen.inputs reads every input.
    """
    repo = Path(path).parent if repo is None else repo
    display = inputs.shown(path, repo)
    try:
        text = inputs.read_bytes(path, repo).decode("utf-8")
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
