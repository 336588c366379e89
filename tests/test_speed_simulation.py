"""Speed-ups of the simulation's cost models that must not change a number: the masks of
the months a vendor is engaged and first billed, read fast when every month has demand."""

from __future__ import annotations

import numpy as np

from kpo_calc.engine.outsourced import engaged_months, first_months


def test_engaged_and_first_months_by_hand_with_and_without_demand_everywhere() -> None:
    # Trial 1 has demand in every month, trial 2 from month 2 to 3, trial 3 none.
    demand = np.array([[5.0, 1.0, 2.0, 3.0],
                       [0.0, 4.0, 4.0, 0.0],
                       [0.0, 0.0, 0.0, 0.0]])
    assert engaged_months(demand).tolist() == [[True, True, True, True],
                                               [False, True, True, False],
                                               [False, False, False, False]]
    assert first_months(demand).tolist() == [[True, False, False, False],
                                             [False, True, False, False],
                                             [False, False, False, False]]
    # Demand in every month of every trial (the fast path): all engaged, first in month 1.
    everywhere = np.array([[5.0, 1.0, 2.0], [1e-300, 7.0, 1.0]])
    assert engaged_months(everywhere).tolist() == [[True] * 3] * 2
    assert first_months(everywhere).tolist() == [[True, False, False]] * 2
    # Month 1 filled in every trial but a later month empty in one: engaged stops at the
    # last month with demand; the first month is month 1.
    gap = np.array([[5.0, 1.0, 0.0], [1.0, 2.0, 3.0]])
    assert engaged_months(gap).tolist() == [[True, True, False], [True, True, True]]
    assert first_months(gap).tolist() == [[True, False, False], [True, False, False]]
