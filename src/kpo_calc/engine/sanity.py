"""The one check on results as they leave the engine: every figure is finite.

Inputs are bounded (scenario.py, "Limits and bounds" in docs/methodology.md) so
that no product the engine forms can overflow; a NaN or an infinity in a result
is therefore a bug, never an input error. It is raised here, before any
renderer sees it, so no verdict is ever made on NaN and no JSON holds a bare NaN.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import operator
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

T = TypeVar("T")


class NonFiniteResult(ArithmeticError):
    """A result holds NaN or an infinity: a bug in the engine (exit 3)."""


def check_finite(result: T) -> T:
    """Return ``result`` unchanged; raise :class:`NonFiniteResult` naming the first bad figure."""
    if _all_finite(result):  # the usual case, without building a path for every figure
        return result
    bad = _first_non_finite(result, "result")
    if bad is not None:
        raise NonFiniteResult(f"{bad} is not finite: inputs are bounded so that this cannot "
                              "happen, so it is a bug in kpo-calc")
    return result


def _first_non_finite(value: Any, where: str) -> str | None:
    """The path of the first float in ``value`` that is NaN or infinite, or None."""
    kind = type(value)
    if kind is float:
        return None if math.isfinite(value) else f"{where} = {value}"
    if kind in _ATOMS or value is None:
        return None
    if kind is tuple or kind is list:
        if value and all(type(x) is float for x in value) and all(map(math.isfinite, value)):
            return None  # the common case (monthly figures), checked without a call per item
        return _first(enumerate(value), where, "[{}]")
    if kind is dict or isinstance(value, Mapping):
        return _first(value.items(), where, "[{!r}]")
    names = _FIELDS.get(kind)
    if names is None and dataclasses.is_dataclass(value):
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value))
    if names is not None:
        return _first(((n, getattr(value, n)) for n in names), where, ".{}")
    if isinstance(value, numbers.Real):  # a numpy scalar that slipped through
        return _first_non_finite(float(value), where)
    return None


def _all_finite(value: Any) -> bool:
    """Is every float in ``value`` finite? (The walk of :func:`_first_non_finite`, pathless.)

    The floats are gathered and summed: a sum is finite only if every term is (an
    infinity or a NaN carries through; a sum that overflows sends the caller to the
    walk that names the culprit, which then finds none). Runs of floats (monthly
    figures, a mapping of lines) are summed in C, and a dataclass's fields read by one
    ``attrgetter``: a result holds a thousand figures, checked once per scenario.
    """
    sums: list[float] = []
    stack = [value]
    pop, push, extend, add = stack.pop, stack.append, stack.extend, sums.append
    while stack:
        item = pop()
        kind = type(item)
        if kind is float:
            add(item)
        elif kind in _ATOMS or item is None:
            continue
        elif kind is tuple or kind is list:
            if item and type(item[0]) is float:
                try:  # monthly figures: summed in C, not walked item by item
                    add(float(sum(item, 0.0)))
                    continue
                except TypeError:
                    pass
            extend(item)
        elif kind is dict or kind is MappingProxyType or isinstance(item, Mapping):
            values = item.values()
            if item and type(next(iter(values))) is float:
                try:  # a mapping of lines: summed in C
                    add(float(sum(values, 0.0)))
                    continue
                except TypeError:
                    pass
            extend(values)
        else:
            fields = _GETTERS.get(kind)
            if fields is None and dataclasses.is_dataclass(item):
                fields = _GETTERS[kind] = _getter(item)
            if fields is not None:
                push(fields(item))  # a tuple of the field values, walked next
            elif isinstance(item, numbers.Real):  # a numpy scalar that slipped through
                add(float(item))
    return math.isfinite(sum(sums, 0.0))


def _getter(item: Any) -> Callable[[Any], tuple[Any, ...]]:
    """The values of ``item``'s dataclass fields, as one tuple."""
    names = _FIELDS[type(item)] = tuple(f.name for f in dataclasses.fields(item))
    if len(names) == 1:
        one = operator.attrgetter(names[0])
        return lambda x: (one(x),)
    return operator.attrgetter(*names) if names else (lambda x: ())


_ATOMS: frozenset[type] = frozenset({bool, int, str})
_FIELDS: dict[type, tuple[str, ...]] = {}
_GETTERS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _first(items: Any, where: str, fmt: str) -> str | None:
    for key, item in items:
        bad = _first_non_finite(item, where + fmt.format(key))
        if bad is not None:
            return bad
    return None
