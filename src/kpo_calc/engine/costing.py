"""What costing one option yields, and the stressed demand path.

The per-kind rules (planned and stressed costs) live in ``models``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from kpo_calc.engine.finance import months
from kpo_calc.engine.values import Array, Mask
from kpo_calc.scenario import StressTest


@dataclass(frozen=True)
class Costing:
    """Cost lines and activity of one option, each ``(trials, horizon)``."""

    lines: dict[str, Array]
    #: months in which the option is in use: staff employed or hours billed
    active: Mask
    #: hours of demand that could not be served in time (before in-house hires can
    #: start, and after an unforeseen rise)
    unmet_hours: Array
    #: headcount (in-house) or billed hours (outsourced) in each month
    activity: Array
    #: what the lines' formulas read (``lines.LINES``): drivers and inputs by name
    drivers: Mapping[str, Any] = field(default_factory=dict)

    @cached_property
    def total(self) -> Array:
        """The sum of all lines in each month (computed once: several results need it)."""
        return add_in_order(list(self.lines.values()))


#: Below this many numbers a line is added the plain way (the checks would cost more).
SMALL = 4096


def add_in_order(arrays: list[Any]) -> Array:
    """``sum(arrays)`` as float64: from 0, each array added in order, into one array (the
    same additions, so the same numbers, without a new array per term: a line that is the
    same in every trial is added in place, not broadcast into a new array)."""
    if (not arrays or np.size(arrays[0]) < SMALL
            or any(np.result_type(a) != np.float64 for a in arrays)):
        return np.asarray(sum(arrays), dtype=np.float64)  # a point run's rows: no gain
    total = np.empty(np.broadcast_shapes(*(np.shape(a) for a in arrays)))
    np.add(0, arrays[0], out=total)
    for a in arrays[1:]:
        np.add(total, a, out=total)
    return total


def stressed_demand(demand: Array, test: StressTest, affected: Array | None = None) -> Array:
    """Demand with ``affected`` (default all of it) multiplied by ``1 + demand_change`` from
    ``from_month`` on: a test naming some work items changes only their hours."""
    change, factor = _change(test, demand.shape[1])
    if affected is None:
        return np.asarray(demand * factor)
    return np.asarray(demand + affected * change)


#: Each recent test's change by month and ``1 +`` it, by the test's identity and the
#: horizon (the test is kept in the entry, so its identity is not reused meanwhile):
#: every option and part of a file meets the same tests.
_CHANGES: dict[tuple[int, int], tuple[StressTest, Array, Array]] = {}


def _change(test: StressTest, horizon: int) -> tuple[Array, Array]:
    key = (id(test), horizon)
    found = _CHANGES.get(key)
    if found is not None and found[0] is test:
        return found[1], found[2]
    change = np.where(months(horizon) >= test.from_month, test.demand_change, 0.0)
    factor = 1 + change
    change.flags.writeable = factor.flags.writeable = False
    if len(_CHANGES) >= 256:
        _CHANGES.clear()
    _CHANGES[key] = (test, change, factor)
    return change, factor
