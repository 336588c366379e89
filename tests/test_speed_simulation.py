"""Speed-ups of the simulation that must not change a number: the masks of the months a
vendor is engaged and first billed, read fast when every month has demand; the
percentiles and tail of an alternative that no trial moves, read without a sort."""

from __future__ import annotations

import numpy as np
import pytest

from kpo_calc.engine.figures import summary
from kpo_calc.engine.outsourced import engaged_months, first_months
from kpo_calc.engine.sampling import es, percentiles
from kpo_calc.engine.simulation import PERCENTILES, stats


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


def _stats_the_long_way(x: np.ndarray, worst: str) -> tuple[float, ...]:
    """``simulation.stats`` as it is computed for trials that vary: numpy's percentiles and
    the expected shortfall, anchored at the first trial."""
    first = float(x[0])
    tail = first + (float(es(x - first)) if worst == "high" else -float(es(first - x)))
    return (float(summary(x)), *(float(p) for p in percentiles(x, PERCENTILES)), tail)


def test_stats_of_equal_trials_are_the_value_and_those_of_the_long_way() -> None:
    # 1,000 equal trials: every percentile, the mean and the tail are the value itself,
    # bit for bit the figures of the full computation (which a constant row skips).
    for value in (1234567.891, -98765.4321, 0.0, 1e-300, 7.0):
        x = np.full(1000, value)
        for worst in ("high", "low"):
            got = stats(x, worst)
            assert (got.mean, got.p5, got.p10, got.p50, got.p90, got.p95, got.es95) == \
                (value,) * 7
            assert (got.mean, got.p5, got.p10, got.p50, got.p90, got.p95, got.es95) == \
                _stats_the_long_way(x, worst)
    # -0.0 takes the long way (its sign depends on the interpolation's branch).
    negative_zero = stats(np.full(1000, -0.0))
    assert negative_zero.p50 == _stats_the_long_way(np.full(1000, -0.0), "high")[3]
    # One trial apart: the long way, by hand: 1,000 trials of 1.0 and one of 2.0
    # (the last): P95 interpolates between equal 1.0s; the worst 5% (50.05 trials) hold
    # the 2.0 and 49.05 of the 1.0s: (2 + 49.05) / 50.05.
    apart = np.append(np.ones(1000), 2.0)
    got = stats(apart)
    assert got.p95 == 1.0
    assert got.es95 == pytest.approx((2 + 49.05) / 50.05, rel=1e-12)
