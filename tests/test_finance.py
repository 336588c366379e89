"""Escalation, discounting and breakeven against hand arithmetic."""

from __future__ import annotations

import numpy as np
import pytest

from kpo_calc.engine.finance import breakeven_month, discount_factors, escalation, npv


def test_escalation_steps_once_a_year() -> None:
    got = escalation(np.array([[0.1]]), 25)[0]
    # months 1-12: 1.0; 13-24: 1.1; 25: 1.21
    assert got[:12] == pytest.approx([1.0] * 12)
    assert got[12:24] == pytest.approx([1.1] * 12)
    assert got[24] == pytest.approx(1.21)


def test_discount_factors_and_npv() -> None:
    factors = discount_factors(np.array([[0.08]]), 24)
    assert factors[0, 11] == pytest.approx(1 / 1.08)          # month 12: one full year
    assert factors[0, 23] == pytest.approx(1 / 1.08 ** 2)     # month 24
    assert factors[0, 0] == pytest.approx(1.08 ** (-1 / 12))
    cost = np.zeros((1, 24))
    cost[0, 11] = 1080.0
    cost[0, 23] = 1166.4
    assert npv(cost, factors)[0] == pytest.approx(1000 + 1000)


@pytest.mark.parametrize(("baseline", "option", "expected"), [
    # option cheaper every month: ahead from month 1
    ([10, 10, 10], [5, 5, 5], 1),
    # 8 behind in month 1, then saves 4 a month: cumulative -8, -4, 0, +4 -> month 3
    ([5, 5, 5, 5], [13, 1, 1, 1], 3),
    # ahead, falls behind in month 3, recovers in month 4: "stay >= 0" means month 4
    ([5, 5, 5, 5, 5], [0, 5, 11, 0, 5], 4),
    # never recovers the up-front cost
    ([5, 5, 5], [20, 4, 4], None),
    # equal costs: cumulative savings are exactly 0, which counts as not behind
    ([5, 5], [5, 5], 1),
])
def test_breakeven_month(baseline: list[float], option: list[float],
                         expected: int | None) -> None:
    assert breakeven_month(np.array(baseline, float), np.array(option, float)) == expected
