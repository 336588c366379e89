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
    change = np.where(months(demand.shape[1]) >= test.from_month, test.demand_change, 0.0)
    if affected is None:
        return np.asarray(demand * (1 + change))
    return np.asarray(demand + affected * change)
