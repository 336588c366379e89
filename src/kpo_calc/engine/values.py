"""How the engine reads numbers from a scenario: by field path, per trial.

Every computation works on arrays shaped ``(trials, months)``. The engine
asks ``v(owner, field)`` for a number: the model that holds it and the
field's name, which together are the input's path (design section 9,
``options[KPO India].hourly_rate``). A number becomes a column ``(trials, 1)``
that broadcasts over months, or ``(1, 1)`` when it is the same in every trial,
which broadcasts over trials too: a part that no uncertain input touches is
costed once, not once per trial.

A deterministic run (``compare``) reads each number as written; a sampled run
(``simulate``) reads the draws of the paths it samples and the written value
of every other path. Sampling is per path, never per value: two fields that
hold the same number are two inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel

from kpo_calc.paths import field_path, owner_paths

Array = NDArray[np.float64]
Mask = NDArray[np.bool_]


class Values(Protocol):
    """Turns a scenario number, named by its owner and field, into a column."""

    #: how many trials the run has (arrays are ``(trials, …)`` or broadcast from 1)
    trials: int

    def __call__(self, owner: BaseModel, field: str, default: float = 0.0) -> Array:
        """The column of values of ``owner.field`` (``default`` when it is unset)."""
        ...


def _column(value: float, cache: dict[float, Array]) -> Array:
    array = cache.get(value)
    if array is None:
        if len(cache) > 10_000:
            cache.clear()
        array = np.full((1, 1), value)
        array.flags.writeable = False
        cache[value] = array
    return array


def written(owner: BaseModel, field: str, default: float = 0.0) -> float:
    """The number as the file gives it (an uncertain input's mean), or ``default``."""
    value: Any = getattr(owner, field)
    return default if value is None else float(value)


class PointValues:
    """The deterministic reading: one trial, each number as written.

    The 1×1 arrays are read-only and shared: a scenario asks for the same
    numbers (0, 1, a rate) hundreds of times, and making each anew costs more
    than the arithmetic done with it.
    """

    trials = 1

    def __init__(self) -> None:
        self._arrays: dict[float, Array] = {}
        #: figures made from these values alone, by ``derived``
        self.derived: dict[tuple[Any, ...], tuple[tuple[Any, ...], Array]] = {}

    def __call__(self, owner: BaseModel, field: str, default: float = 0.0) -> Array:
        """``owner.field`` as a read-only 1×1 array."""
        # ``_column(written(owner, field, default), self._arrays)`` without the two calls:
        # a file asks for some 120 numbers.
        value: Any = getattr(owner, field)
        number = default if value is None else float(value)
        array = self._arrays.get(number)
        return _column(number, self._arrays) if array is None else array


class PathValues:
    """A sampled (or designed) reading: the given paths take one value per trial.

    ``draws`` maps a field path to its ``(trials,)`` values; every other path
    reads its written value, as a 1×1 array that broadcasts. ``root`` is the
    scenario the paths are taken in: its models are frozen, so each owner's
    identity names one path for as long as the scenario lives.
    """

    def __init__(self, root: BaseModel, draws: Mapping[str, Array], trials: int) -> None:
        self.trials = trials
        self._root = root  # kept alive: the identities below stay unique
        self._owners = _owners(root)
        self._draws = {path: np.ascontiguousarray(values, dtype=np.float64).reshape(-1, 1)
                       for path, values in draws.items()}
        for path, column in self._draws.items():
            if column.shape[0] != trials:
                raise ValueError(f"{path}: {column.shape[0]} values for {trials} trials")
        self._arrays: dict[float, Array] = {}
        #: figures made from these values alone (an option's rate path, its salary path),
        #: by ``derived``: a chunk of trials costs each option as several parts
        self.derived: dict[tuple[Any, ...], tuple[tuple[Any, ...], Array]] = {}

    def path(self, owner: BaseModel, field: str) -> str:
        """The field path of ``owner.field``."""
        return field_path(self._owners[id(owner)], field)

    def __call__(self, owner: BaseModel, field: str, default: float = 0.0) -> Array:
        """The draws of ``owner.field`` when it is sampled, else its written value."""
        found = self._draws.get(self.path(owner, field)) if self._draws else None
        if found is not None:
            return found
        return _column(written(owner, field, default), self._arrays)


#: Figures ``derived`` keeps per reading, at most (a point reading serves every file).
DERIVED_LIMIT = 512


#: The largest figure kept between costings (bytes), by ``derived`` in a point reading
#: and by the cost lines' fixed terms (``lines._keep``): a point run's rows of months.
#: The point reading serves the whole process, so a large scenario's block of hundreds
#: of rows (1.2 MB each) would stay alive with its owners: 170 MB on the largest allowed.
KEEP_BYTES = 64 * 1024


#: A figure ``derived`` keeps: amounts, or a mask of months.
Figure = TypeVar("Figure", Array, Mask)


def derived(v: Values, kind: str, owners: tuple[Any, ...],
            make: Callable[[], Figure]) -> Figure:
    """``make()``: a figure of ``kind`` that depends only on the numbers of ``owners`` (the
    models it reads, or None) as ``v`` reads them, made once per reading: an option is
    costed as several parts, and under stress tests that leave its figure alone. Kept
    read-only, with its owners (so their identities are not reused meanwhile); in a point
    reading, only when it is at most ``KEEP_BYTES``."""
    memo: dict[tuple[Any, ...], tuple[tuple[Any, ...], Any]] | None = getattr(
        v, "derived", None)
    if memo is None:  # a reading without a memo (a caller's own): made each time
        return make()
    key = (kind, *map(id, owners))
    found = memo.get(key)
    if found is not None:
        # The entry keeps its owners alive: no other object has their identities meanwhile,
        # so equal identities are the same owners.
        kept: Figure = found[1]
        return kept
    value = make()
    if isinstance(value, np.ndarray):
        if v.trials == 1 and value.nbytes > KEEP_BYTES:
            return value  # made again when asked again, not kept for the process
        if value.flags.writeable:
            value.flags.writeable = False
    if len(memo) >= DERIVED_LIMIT:
        memo.clear()
    memo[key] = (owners, value)
    return value


#: The owners' paths of recent scenarios, by identity (the scenario is kept in the entry,
#: so an identity is not reused while cached): a simulation reads one scenario in every
#: chunk, and a robust search in every block of share vectors.
_OWNERS: dict[int, tuple[BaseModel, dict[int, str]]] = {}


def _owners(root: BaseModel) -> dict[int, str]:
    found = _OWNERS.get(id(root))
    if found is not None and found[0] is root:
        return found[1]
    if len(_OWNERS) >= 8:
        _OWNERS.clear()
    paths = owner_paths(root)
    _OWNERS[id(root)] = (root, paths)
    return paths


#: Shared by every deterministic evaluation in a process.
POINT_VALUES = PointValues()
