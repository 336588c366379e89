"""Field paths: how uncertain inputs, sensitivity rows and errors name a number.

A path joins YAML keys with dots and picks list entries by name in brackets
(design section 9): ``options[KPO India].hourly_rate``,
``work[Market-entry study].total_hours``, ``fx.INR``, ``discount_rate``. The
same spelling ``diff`` prints. An fx rate is ``fx.INR`` whichever way the file
writes it (a plain number or ``{rate, drift}``); its drift is ``fx.INR.drift``.

The walk is generic over the scenario's pydantic models, so a new field is
addressable without a list to update.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel


def join(prefix: str, key: str) -> str:
    """``prefix.key`` (or ``key`` at the top)."""
    return f"{prefix}.{key}" if prefix else key


def owner_paths(root: BaseModel) -> dict[int, str]:
    """The path of every model inside ``root``, keyed by its identity (``''`` for the root).

    The engine asks for ``v(owner, field)``: the owner's path plus the field
    name is the input's path. Models are frozen, so an identity stays valid as
    long as ``root`` lives.
    """
    return {id(model): path for path, _, model in _models(root, "", ())}


def field_path(prefix: str, field: str) -> str:
    """The path of ``field`` of the model at ``prefix`` (an fx rate is the entry itself)."""
    if field == "rate" and prefix.startswith("fx.") and prefix.count(".") == 1:
        return prefix
    return join(prefix, field)


def numbers(root: BaseModel) -> Iterator[tuple[str, BaseModel, str, Any]]:
    """Every number field set in ``root``: ``(path, owner, field, value)``, in file order.

    Integers and floats alike (a structural field is a number too); booleans are not
    numbers here.
    """
    for path, _, owner, name, value in located_numbers(root):
        yield path, owner, name, value


#: Where a value sits in the data the model was read from: keys and list indexes
#: (``("options", 1, "hourly_rate")``), as the loader records positions.
Location = tuple[str | int, ...]


def located_numbers(root: BaseModel) -> Iterator[tuple[str, Location, BaseModel, str, Any]]:
    """:func:`numbers` with each number's data location: ``(path, location, owner, field,
    value)``. The location finds the line and column of the value in its file."""
    for prefix, at, model in _models(root, "", ()):
        for name in type(model).model_fields:
            value = getattr(model, name, None)  # absent from a partly built model
            if isinstance(value, int | float) and not isinstance(value, bool):
                yield field_path(prefix, name), (*at, name), model, name, value


def _models(model: BaseModel, prefix: str,
            at: Location) -> Iterator[tuple[str, Location, BaseModel]]:
    yield prefix, at, model
    for name in type(model).model_fields:
        yield from _nested(getattr(model, name, None), join(prefix, name), (*at, name))


def _nested(value: Any, prefix: str, at: Location) -> Iterator[tuple[str, Location, BaseModel]]:
    if isinstance(value, BaseModel):
        yield from _models(value, prefix, at)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, BaseModel):
                yield from _models(item, f"{prefix}.{key}", (*at, key))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            if isinstance(item, BaseModel):
                name = getattr(item, "name", None)
                key = name if isinstance(name, str) else str(i)
                yield from _models(item, f"{prefix}[{key}]", (*at, i))
