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
    """The deterministic reading: one trial, each number as written."""

    trials = 1

    def __call__(self, x: float) -> Array:
        """``x`` as a 1×1 array."""
        return np.full((1, 1), float(x))
