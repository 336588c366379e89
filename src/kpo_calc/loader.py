"""Safe YAML reading that remembers where every key and value came from.

PyYAML's constructors lose positions and silently keep the last of two
duplicate keys, so this module composes the node graph itself (with libyaml
when available) and builds plain Python data from it, recording the line and
column of every key and value by path. Nothing is ever constructed from a
tag: only strings, numbers, booleans, nulls, mappings and sequences exist.

Work and memory are bounded: file size, nesting depth and the number of nodes
after alias expansion (the "billion laughs" defence) are all capped.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kpo_calc.diagnostics import Diagnostic, InputError
from kpo_calc.files import read_regular, too_large

MAX_BYTES = 1_000_000
MAX_NODES = 50_000
MAX_DEPTH = 40

PathKey = tuple[str | int, ...]

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP = (
    _TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
_constructor = yaml.constructor.SafeConstructor()
_RESOLVED: dict[tuple[str, tuple[bool, bool]], str] = {}


class _SafeLoader(_BaseLoader):  # type: ignore[misc]
    """The safe loader (libyaml when available), remembering how plain scalars resolve.

    Resolving a plain scalar's type runs several regular expressions in Python;
    keys such as ``name`` and values such as ``0.05`` repeat across files, so
    the answers are kept (bounded) for the process.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is not yaml.ScalarNode:
            return str(super().resolve(kind, value, implicit))
        key = (value, implicit)
        tag = _RESOLVED.get(key)
        if tag is None:
            tag = str(super().resolve(kind, value, implicit))
            if len(_RESOLVED) > 100_000:
                _RESOLVED.clear()
            _RESOLVED[key] = tag
        return tag


@dataclass(frozen=True)
class Mark:
    """A 1-based line and column."""

    line: int
    column: int


#: Where a mapping entry's key and its value start, as 1-based
#: ``(key_line, key_column, value_line, value_column)``; the key is (0, 0) for
#: list items. Plain ints, because a file has a span for every value it holds.
Span = tuple[int, int, int, int]


@dataclass(frozen=True)
class Document:
    """Plain data read from one file, with the position of everything in it."""

    file: str
    data: Any
    spans: dict[PathKey, Span] = field(default_factory=dict)
    #: problems found while reading that did not stop it (duplicate keys, bad tags, NaN);
    #: the values at those paths are dropped or None, so later checks skip them.
    problems: tuple[Diagnostic, ...] = ()
    bad_paths: frozenset[PathKey] = frozenset()

    def locate(self, path: PathKey, *, at_key: bool = False) -> Mark:
        """The position of ``path``, or of its nearest ancestor that exists."""
        probe = tuple(path)
        while probe:
            span = self.spans.get(probe)
            if span is not None:
                if at_key and span[0]:
                    return Mark(span[0], span[1])
                return Mark(span[2], span[3])
            probe = probe[:-1]
        root = self.spans.get(())
        return Mark(root[2], root[3]) if root else Mark(1, 1)

    def diagnostic(self, path: PathKey, message: str, *, at_key: bool = False) -> Diagnostic:
        """A diagnostic pointing at ``path`` in this document."""
        mark = self.locate(path, at_key=at_key)
        return Diagnostic(self.file, mark.line, mark.column, message, format_path(path))


def format_path(path: PathKey) -> str:
    """``('options', 1, 'hourly_rate')`` -> ``options[1].hourly_rate``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def read_document(path: str | os.PathLike[str], *, display_name: str | None = None) -> Document:
    """Read and parse one YAML file (see :func:`parse_document`)."""
    name = display_name or str(path)
    raw = _read_bytes(Path(path), name)
    return parse_document(raw, name)


def parse_document(raw: bytes, name: str) -> Document:
    """Parse YAML bytes into a :class:`Document`.

    Raise :class:`InputError` when the bytes cannot be read as YAML at all; smaller
    problems are kept in ``Document.problems`` so that every one gets reported.
    """
    text = _decode(raw, name)
    if not text.strip():
        raise InputError([Diagnostic(name, 1, 1, "the file is empty: write a scenario "
                                     "(run `kpo-calc init` for a commented starter)")])
    try:
        node = yaml.compose(text, Loader=_SafeLoader)
    except yaml.MarkedYAMLError as exc:
        raise InputError([_yaml_error(name, exc)]) from None
    except yaml.YAMLError as exc:  # errors without a mark (rare)
        raise InputError([Diagnostic(name, 1, 1, f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise InputError([Diagnostic(name, 1, 1, "the YAML is nested too deeply")]) from None
    if node is None:
        raise InputError([Diagnostic(name, 1, 1, "the file holds no YAML document (only "
                                     "comments or blank lines)")])
    builder = _Builder(name)
    data = builder.build(node, (), _NO_KEY, 0)
    return Document(name, data, builder.spans, tuple(builder.problems),
                    frozenset(builder.bad_paths))


def _read_bytes(path: Path, name: str) -> bytes:
    raw = read_regular(path, MAX_BYTES, name)
    if len(raw) > MAX_BYTES:
        raise too_large(name, MAX_BYTES, "a scenario is a short hand-written file, so this "
                        "is refused to bound memory and time")
    return raw


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError([Diagnostic(name, 1, 1, "the file is UTF-16; save it as UTF-8")])
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _byte_position(raw, nul)
        raise InputError([Diagnostic(name, line, col, "the file contains a NUL byte: it looks "
                                     "binary, not a YAML text file")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(raw, exc.start)
        raise InputError([Diagnostic(name, line, col, f"invalid UTF-8 (byte "
                                     f"0x{raw[exc.start]:02x}); save the file as UTF-8")]) from None


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


def _yaml_error(name: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = exc.problem or "invalid YAML"
    context = ""
    if exc.context:
        context = f" {exc.context}"
        start = exc.context_mark
        if start is not None and mark is not None and start.line != mark.line:
            context += f" that starts at line {start.line + 1}, column {start.column + 1}"
        if problem.startswith("but "):  # libyaml phrases some as "<context>, but <problem>"
            problem, context = f"{exc.context}, {problem}", ""
    hint = ""
    if "tab" in problem:
        hint = "; indent with spaces, not tabs"
    elif "expected a single document" in str(exc.context or ""):
        hint = "; a scenario file holds one document: remove the extra `---`"
    return Diagnostic(name, line, col, f"invalid YAML: {problem}{context}{hint}")


def _start(node: yaml.Node) -> tuple[int, int]:
    """A node's 1-based (line, column)."""
    mark = node.start_mark
    return mark.line + 1, mark.column + 1


class _Builder:
    """Turns a composed node graph into plain data, collecting positions and problems."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.spans: dict[PathKey, Span] = {}
        self.problems: list[Diagnostic] = []
        self.bad_paths: set[PathKey] = set()
        self.nodes = 0

    def problem(self, node: yaml.Node, message: str, path: PathKey, *, bad: bool = True) -> None:
        if bad:
            self.bad_paths.add(path)
        self.problems.append(Diagnostic(self.name, *_start(node), message, format_path(path)))

    def build(self, node: yaml.Node, path: PathKey, key_at: tuple[int, int],
              depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            # Raised at once: continuing would spend the work the limit exists to bound.
            raise InputError([Diagnostic(
                self.name, *_start(node),
                f"the document expands to more than {MAX_NODES:,} values (aliases that "
                "repeat aliases?); refused to bound memory and time")])
        if depth > MAX_DEPTH:
            raise InputError([Diagnostic(self.name, *_start(node),
                                         f"nested more than {MAX_DEPTH} levels deep",
                                         format_path(path))])
        if path not in self.spans:
            self.spans[path] = (*key_at, *_start(node))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag not in (_TAG + "seq",):
                self.problem(node, f"the tag {node.tag!r} is not allowed; remove it", path)
            return [self.build(item, (*path, i), _NO_KEY, depth + 1)
                    for i, item in enumerate(node.value)]
        raise TypeError(f"unexpected YAML node {node!r}")  # the composer makes no other kind

    def mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict[str, Any]:
        if node.tag != _TAG + "map":
            self.problem(node, f"the tag {node.tag!r} is not allowed; remove it", path)
        out: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        merged: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                merged.append(value_node)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "a key must be plain text, not a list or mapping", path)
                continue
            # The source text, not the resolved value: `NO:` stays "NO", `1:` stays "1".
            key = str(key_node.value)
            key_at = _start(key_node)
            if key in first_seen:
                self.problem(key_node, f"duplicate key {key!r} (first defined at line "
                             f"{first_seen[key]}); YAML parsers silently keep only the last "
                             "one, so remove or rename one of them", (*path, key), bad=False)
                continue
            first_seen[key] = key_at[0]
            out[key] = self.build(value_node, (*path, key), key_at, depth + 1)
        for source in merged:
            self.merge(out, source, path, depth)
        return out

    def merge(self, out: dict[str, Any], source: yaml.Node, path: PathKey, depth: int) -> None:
        """YAML merge keys (``<<: *defaults``): explicit keys win over merged ones."""
        sources = source.value if isinstance(source, yaml.SequenceNode) else [source]
        for item in sources:
            if not isinstance(item, yaml.MappingNode):
                self.problem(item, "a merge key (<<) must point at a mapping", path)
                continue
            extra = self.build(item, (*path, "<<"), _NO_KEY, depth + 1)
            for key, value in extra.items():
                if key not in out:
                    out[key] = value
                    span = self.spans.get((*path, "<<", key))
                    if span is not None:
                        self._copy_spans((*path, "<<", key), (*path, key))

    def _copy_spans(self, src: PathKey, dst: PathKey) -> None:
        n = len(src)
        for p, span in list(self.spans.items()):
            if p[:n] == src:
                self.spans.setdefault(dst + p[n:], span)

    def scalar(self, node: yaml.ScalarNode, path: PathKey) -> Any:
        tag = node.tag
        if tag in (_STR, _TIMESTAMP):  # no dates in the format: keep the text
            return str(node.value)
        construct = _CONSTRUCT.get(tag)
        if construct is None:
            self.problem(node, f"the tag {tag!r} is not allowed in a scenario (only plain "
                         "numbers, text, true/false and null); remove it", path)
            return None
        try:
            value = construct(node)
        except (yaml.YAMLError, ValueError) as exc:
            self.problem(node, f"cannot read this value: {exc}", path)
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(node, f"{node.value} is not a finite number; write a real amount", path)
            return None
        return value


_NO_KEY = (0, 0)
_CONSTRUCT: dict[str, Any] = {
    _INT: _constructor.construct_yaml_int,
    _FLOAT: _constructor.construct_yaml_float,
    _BOOL: _constructor.construct_yaml_bool,
    _NULL: _constructor.construct_yaml_null,
}
