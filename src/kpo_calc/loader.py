"""Safe YAML reading that remembers where every key and value came from.

PyYAML's constructors lose positions and silently keep the last of two
duplicate keys, so this module composes the node graph itself (with libyaml
when available) and builds plain Python data from it, recording the line and
column of every key and value by path. Nothing is ever constructed from a
tag: only strings, numbers, booleans, nulls, mappings and sequences exist.
Plain scalars are typed by the YAML 1.2 core schema, in one place (``core_tag``).

Work and memory are bounded: file size, nesting depth and the number of nodes
after alias expansion (the "billion laughs" defence) are all capped, and merge
keys are resolved once per anchor, so reading is linear in the file's size.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kpo_calc.diagnostics import Diagnostic, InputError
from kpo_calc.files import read_regular, too_large
from kpo_calc.scenario import number_hint

MAX_BYTES = 1_000_000
MAX_NODES = 50_000
MAX_DEPTH = 40
#: The most digits an integer literal may have. The largest bound of the format is
#: 1e15 (16 digits); past this the literal is refused before it is converted, as
#: Python cannot print an int of thousands of digits (and need not parse one).
MAX_DIGITS = 40

PathKey = tuple[str | int, ...]

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP, _MERGE, _SEQ, _MAP = (
    _TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "merge", "seq",
                       "map"))
_ScalarNode, _SequenceNode, _MappingNode = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode


class _SafeLoader(_BaseLoader):  # type: ignore[misc]
    """The safe loader (libyaml when available), resolving plain scalars by YAML 1.2.

    PyYAML resolves by YAML 1.1, where ``010`` is 8, ``1:30`` is 90, ``1_000``
    is 1000, ``yes`` is true and ``5e6`` is text. A scenario is read as a person
    means it, by the YAML 1.2 core schema (:func:`core_tag`): ``010`` is 10, and
    ``1:30``, ``1_000`` and ``yes`` are text, which validation then explains.
    """

    # The composer asks for every node's tag, in Python: these answer at once.
    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is _ScalarNode:
            if not implicit[0]:  # quoted or block text is always a string
                return _STR
            return _RESOLVED.get(value) or core_tag(value)
        # What the base resolver answers without path resolvers (a safe loader has none).
        return _SEQ if kind is _SequenceNode else _MAP

    # Path resolvers are not used: no need to track where the composer is.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


#: YAML 1.2 core schema (section 10.3.2), plus the merge key ``<<``.
_CORE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), tag) for pattern, tag in (
        (r"(?:null|Null|NULL|~|)", _NULL),
        (r"(?:true|True|TRUE|false|False|FALSE)", _BOOL),
        (r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", _INT),
        (r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?", _FLOAT),
        (r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)", _FLOAT),
        (r"<<", _MERGE),
    ))
_RESOLVED: dict[str, str] = {}


def core_tag(text: str) -> str:
    """The YAML 1.2 core schema tag of a plain scalar (remembered, bounded).

    Keys such as ``name`` and values such as ``0.05`` repeat across files, so the
    answers are kept for the process.
    """
    tag = _RESOLVED.get(text)
    if tag is None:
        tag = next((t for pattern, t in _CORE if pattern.fullmatch(text)), _STR)
        if len(_RESOLVED) > 100_000:
            _RESOLVED.clear()
        _RESOLVED[text] = tag
    return tag


def _digit_count(text: str) -> int:
    """Significant digits of an integer literal (sign, prefix and leading zeros left out):
    ``0x00FF`` has 2. (A float of any length converts, to infinity at worst.)"""
    body = text.lstrip("+-")
    if body[:2] in ("0x", "0o"):
        body = body[2:]
    return len(body.lstrip("0"))


def clipped(text: str, keep: int = 24) -> str:
    """``text`` shortened for a message: ``12345678…(5,002 characters)`` when long."""
    if len(text) <= keep + 8:
        return text
    return f"{text[:keep]}…({len(text):,} characters)"


def _core_int(text: str) -> int:
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)  # leading zeros are decimal: 010 is 10


def _core_float(text: str) -> float:
    lowered = text.lower()
    if lowered.endswith((".inf", ".nan")):
        return float(lowered.replace(".", ""))
    return float(text)


def _core_bool(text: str) -> bool:
    return text.lower() == "true"


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
    #: paths of values written in quotes (a quoted "5000" is text, on purpose or not)
    quoted: frozenset[PathKey] = frozenset()

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
                    frozenset(builder.bad_paths), frozenset(builder.quoted))


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
    elif "flow sequence" in str(exc.context or "") and "',' or ']'" in problem:
        hint = ("; inside [...], quote a value that holds brackets, such as a field path: "
                '"options[KPO India].hourly_rate"')
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
        #: values copied by merge keys, bounded like ``nodes``
        self.merged = 0
        #: ``entries`` of each mapping node seen, by node identity (the graph outlives this)
        self.resolved: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = {}
        #: paths of quoted scalars: only these are "a number in quotes"
        self.quoted: set[PathKey] = set()

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
            mark = node.start_mark
            self.spans[path] = (key_at[0], key_at[1], mark.line + 1, mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self.problem(node, f"the tag {node.tag!r} is not allowed; remove it", path)
            return [self.build(item, (*path, i), _NO_KEY, depth + 1)
                    for i, item in enumerate(node.value)]
        raise TypeError(f"unexpected YAML node {node!r}")  # the composer makes no other kind

    def mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict[str, Any]:
        build, inner = self.build, depth + 1
        return {key: build(value_node, (*path, key),
                           (key_node.start_mark.line + 1, key_node.start_mark.column + 1), inner)
                for key, (key_node, value_node) in self.entries(node, path, depth).items()}

    def entries(self, node: yaml.MappingNode, path: PathKey,
                depth: int) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """A mapping node's keys, with YAML merge keys (``<<: *defaults``) resolved.

        Explicit keys win over merged ones, and earlier merged mappings over later
        ones. The answer is kept per node, so an anchor merged into 3,000 options
        is scanned once, and each value is then built once, straight at its final
        path: merging stays linear in the size of the file.
        """
        known = self.resolved.get(id(node))
        if known is not None:
            return known
        if depth > MAX_DEPTH:
            raise InputError([Diagnostic(self.name, *_start(node), f"merge keys (<<) nested "
                                         f"more than {MAX_DEPTH} levels deep; merge one flat "
                                         "mapping of defaults instead", format_path(path))])
        if node.tag != _TAG + "map":
            self.problem(node, f"the tag {node.tag!r} is not allowed; remove it", path)
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        merged: list[yaml.Node] = []
        stray = self.split_numbers(node, path) if node.flow_style else ()
        for index, (key_node, value_node) in enumerate(node.value):
            if stray and index in stray:
                continue
            if key_node.tag == _MERGE:
                merged.append(value_node)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "a key must be plain text, not a list or mapping", path)
                continue
            # The source text, not the resolved value: `NO:` stays "NO", `1:` stays "1".
            key = str(key_node.value)
            first = out.get(key)
            if first is not None:
                self.problem(key_node, f"duplicate key {key!r} (first defined at line "
                             f"{_start(first[0])[0]}); YAML parsers silently keep only the "
                             "last one, so remove or rename one of them", (*path, key),
                             bad=False)
                continue
            out[key] = (key_node, value_node)
        done: set[int] = set()
        for source in merged:
            for item in source.value if isinstance(source, yaml.SequenceNode) else [source]:
                if not isinstance(item, yaml.MappingNode):
                    self.problem(item, "a merge key (<<) must point at a mapping", path)
                    continue
                self.count_merged(source, 1)  # the alias itself, before anything is copied
                if id(item) in done:  # the same anchor again adds nothing
                    continue
                done.add(id(item))
                entries = self.entries(item, path, depth + 1)
                self.count_merged(source, len(entries))
                for key, entry in entries.items():
                    out.setdefault(key, entry)
        self.resolved[id(node)] = out
        return out

    def count_merged(self, node: yaml.Node, values: int) -> None:
        """Count merged values before copying them: copies, like built values, are bounded.

        Each mapping is resolved once, but each merge copies its source's entries; many
        distinct mappings merging one large anchor would copy it again and again.
        """
        self.merged += values
        if self.merged > MAX_NODES:
            raise InputError([Diagnostic(
                self.name, *_start(node),
                f"merge keys (<<) copy more than {MAX_NODES:,} values (large mappings merged "
                "many times?); refused to bound memory and time")])

    def split_numbers(self, node: yaml.MappingNode, path: PathKey) -> set[int]:
        """Entries of a flow mapping that are the rest of a number with commas.

        In ``{hourly_rate: 5,000,000}`` the commas separate entries, so YAML reads
        ``hourly_rate: 5`` and two keys ``000``. Report the number meant at the
        value and return the indexes of the stray keys, which are then skipped.
        """
        stray: set[int] = set()
        pairs = node.value
        for index, (key_node, value_node) in enumerate(pairs):
            if index in stray or not _is_plain(value_node, _INT, _FLOAT):
                continue
            groups: list[str] = []
            for later in range(index + 1, len(pairs)):
                digits, empty = pairs[later]
                if not (_is_plain(digits, _INT) and digits.value.isdigit()
                        and _is_plain(empty, _NULL) and empty.value == ""):
                    break
                groups.append(str(digits.value))
                stray.add(later)
            if groups:
                text = ",".join([str(value_node.value), *groups])
                where = (*path, str(key_node.value))
                hint = number_hint(text) or "write the number without commas"
                self.problem(value_node, f"{text}: {hint}; in a flow mapping "
                             "{...} a comma separates entries, so YAML read the digits after "
                             "it as more keys", where)
        return stray

    def scalar(self, node: yaml.ScalarNode, path: PathKey) -> Any:
        tag = node.tag
        if node.style in ("'", '"'):
            self.quoted.add(path)
        if tag in (_STR, _TIMESTAMP):  # no dates in the format: keep the text
            return str(node.value)
        if tag == _FLOAT:
            return self.number(node, path, _core_float)
        if tag == _MERGE:  # `<<` merges only as a key; as a value it is the text "<<"
            return "<<"
        if tag == _INT and len(node.value) > MAX_DIGITS and _digit_count(
                str(node.value)) > MAX_DIGITS:
            self.problem(node, f"{clipped(str(node.value))} has "
                         f"{_digit_count(str(node.value)):,} digits, far beyond any amount a "
                         f"scenario holds (the largest bound is 1e15); write the amount meant, "
                         "or put text in quotes", path)
            return None
        construct = _CONSTRUCT.get(tag)
        if construct is None:
            self.problem(node, f"the tag {tag!r} is not allowed in a scenario (only plain "
                         "numbers, text, true/false and null); remove it", path)
            return None
        return self.number(node, path, construct)

    def number(self, node: yaml.ScalarNode, path: PathKey,
               construct: Callable[[str], Any]) -> Any:
        """A plain number, true/false or null, read by ``construct``."""
        try:
            value = construct(str(node.value))
        except ValueError as exc:
            self.problem(node, f"cannot read this value: {exc}", path)
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(node, f"{clipped(str(node.value))} is not a finite number; write a "
                         "real amount", path)
            return None
        return value


_NO_KEY = (0, 0)


def _is_plain(node: yaml.Node, *tags: str) -> bool:
    """Is ``node`` an unquoted scalar resolved to one of ``tags``?"""
    return isinstance(node, yaml.ScalarNode) and not node.style and node.tag in tags
_CONSTRUCT: dict[str, Callable[[str], Any]] = {
    _INT: _core_int,
    _FLOAT: _core_float,
    _BOOL: _core_bool,
    _NULL: lambda _text: None,
}
