"""Validation in stages: the checks across fields, run on whatever parsed.

When some fields are invalid, pydantic never reaches the scenario's cross-field
validator, so a file with ``discount_rate: 8%`` and a plan that misses a work item
used to report only the ``8%``, and the plan after the fix. Here each section is
validated on its own (each item of a list on its own), an item whose invalid keys
can be left out is kept without them, and every check whose sections are whole
enough (``scenario.CROSS_CHECKS``) runs on the result, so every problem is
reported at once.
"""

from __future__ import annotations

import typing
from collections.abc import Sequence
from typing import Any

from pydantic import TypeAdapter, ValidationError

from kpo_calc.scenario import CROSS_CHECKS, EXACT, NAMES, Issue, Scenario

PathKey = tuple[str | int, ...]
#: the list sections whose items are validated one by one
_LISTS = ("work", "options", "plans", "stress")
#: the mapping sections that can do without an invalid key (its default then applies)
_MAPPINGS = ("decision", "mix", "fx")


def staged_issues(data: dict[str, Any], bad: Sequence[PathKey]) -> list[Issue]:
    """The cross-field problems of ``data``, whose values at the ``bad`` data paths
    (and their sections) failed validation.

    A check runs only when each section it reads is whole enough; problems inside
    an item that was kept without some of its keys are not reported (its values are
    partly defaults), nor anything a later run on the fixed file would phrase better.
    """
    grades: dict[str, int] = {}
    values: dict[str, Any] = {}
    patched: set[PathKey] = set()
    for name, info in Scenario.model_fields.items():
        mine = [p[1:] for p in bad if p and p[0] == name]
        if name not in data:
            if info.is_required():
                continue
            values[name], grades[name] = info.get_default(call_default_factory=True), EXACT
            continue
        raw = data[name]
        if name in _LISTS and isinstance(raw, list) and not any(len(p) == 0 for p in mine):
            items = _items(name, raw, mine, patched)
            if items is not None:
                values[name] = items
                grades[name] = NAMES if any(p[0] == name for p in patched) else EXACT
            continue
        value = _validated(_annotation(name), raw)
        if value is not None and not mine:
            values[name], grades[name] = value, EXACT
        elif name in _MAPPINGS and isinstance(raw, dict) and all(mine):
            value = _validated(_annotation(name), _without(raw, mine))
            if value is not None:
                values[name], grades[name] = value, NAMES
    scenario = Scenario.model_construct(**values)
    issues: list[Issue] = []
    for check, needs in CROSS_CHECKS:
        if all(grades.get(section, 0) >= grade for section, grade in needs.items()):
            issues += [i for i in check(scenario)
                       if not any(i[0][:len(p)] == p for p in patched)]
    return issues


def _items(section: str, raw: list[Any], bad: list[PathKey],
           patched: set[PathKey]) -> list[Any] | None:
    """Each item validated; one with invalid keys kept without them (its path added to
    ``patched``); None when an item cannot be read even so."""
    kind = _item_type(section)
    out = []
    for index, item in enumerate(raw):
        mine = [p[1:] for p in bad if p[0] == index]
        if mine and (not isinstance(item, dict) or not all(mine)
                     or any(p[0] == "name" for p in mine)):
            # the item as a whole is wrong (its kind, a rule across its keys), or its
            # name, which the checks that may run on a patched item rely on
            return None
        value = _validated(kind, _without(item, mine) if mine else item)
        if value is None and mine:  # a required key: a stand-in value from its examples
            value = _validated(kind, _stand_in(kind, item, mine))
        if value is None:
            return None
        if mine:
            patched.add((section, index))
        out.append(value)
    return out


def _without(mapping: dict[str, Any], bad: list[PathKey]) -> dict[str, Any]:
    """``mapping`` without the keys under which the ``bad`` paths lie."""
    keys = {p[0] for p in bad}
    return {k: v for k, v in mapping.items() if k not in keys}


def _stand_in(kind: Any, item: dict[str, Any], bad: list[PathKey]) -> dict[str, Any]:
    """``item`` with its invalid keys replaced by the example value of their field (the
    item is then only good for its name: see ``patched``). A list of names it refers to
    is left out instead: an example's names would be reported as unknown."""
    model = _model_of(kind, item)
    out = dict(item)
    for key in {str(p[0]) for p in bad}:
        info = model.model_fields.get(key) if model is not None else None
        if info is not None and info.examples and key not in _REFERENCES:
            out[key] = info.examples[0]
        else:
            out.pop(key, None)
    return out


#: keys of an item that name other items (read by the checks that run on names)
_REFERENCES = ("serves",)


def _model_of(kind: Any, item: dict[str, Any]) -> Any:
    """The model an item is read as: a union's member picked by its tag (``model``,
    ``kind``), or the type itself."""
    base = typing.get_args(kind)[0] if typing.get_origin(kind) is typing.Annotated else kind
    members = typing.get_args(base) or (base,)
    for member in members:
        for tag in ("model", "kind"):
            field = getattr(member, "model_fields", {}).get(tag)
            if field is not None and item.get(tag) in typing.get_args(field.annotation):
                return member
    return base if hasattr(base, "model_fields") else None


def _validated(kind: Any, value: Any) -> Any:
    try:
        return _adapter(kind).validate_python(value)
    except ValidationError:
        return None


_ADAPTERS: dict[int, TypeAdapter[Any]] = {}


def _adapter(kind: Any) -> TypeAdapter[Any]:
    """One adapter per type for the process: building one costs milliseconds."""
    adapter = _ADAPTERS.get(id(kind))
    if adapter is None:
        adapter = _ADAPTERS[id(kind)] = TypeAdapter(kind)
    return adapter


def _annotation(name: str) -> Any:
    annotation = _ANNOTATIONS.get(name)
    if annotation is None:  # kept: _adapter knows types by identity
        info = Scenario.model_fields[name]
        annotation = _ANNOTATIONS[name] = (typing.Annotated[info.annotation, *info.metadata]
                                           if info.metadata else info.annotation)
    return annotation


_ANNOTATIONS: dict[str, Any] = {}


def _item_type(section: str) -> Any:
    return typing.get_args(Scenario.model_fields[section].annotation)[0]
