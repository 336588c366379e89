"""How the engine reads numbers from a scenario.

Every computation works on arrays shaped ``(trials, months)``. A number from
the scenario becomes a column ``(trials, 1)`` that broadcasts over months. A
deterministic run (``compare``) is one trial holding each number's value; a
Monte Carlo run would hold one sampled value per trial, so both share one
code path.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Mask = NDArray[np.bool_]


class Values(Protocol):
    """Turns a scenario number into a ``(trials, 1)`` column."""

    trials: int

    def __call__(self, x: float) -> Array:
        """The column of values of ``x``, one per trial."""
        ...


class PointValues:
    """The deterministic reading: one trial, each number as written.

    The 1×1 arrays are read-only and shared: a scenario asks for the same
    numbers (0, 1, a rate) hundreds of times, and making each anew costs more
    than the arithmetic done with it.
    """

    trials = 1

    def __init__(self) -> None:
        self._arrays: dict[float, Array] = {}

    def __call__(self, x: float) -> Array:
        """``x`` as a read-only 1×1 array."""
        value = float(x)
        array = self._arrays.get(value)
        if array is None:
            if len(self._arrays) > 10_000:
                self._arrays.clear()
            array = np.full((1, 1), value)
            array.flags.writeable = False
            self._arrays[value] = array
        return array


#: Shared by every deterministic evaluation in a process.
POINT_VALUES = PointValues()
