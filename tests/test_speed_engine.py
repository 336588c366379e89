"""Speed-ups that must not change a number: the expected shortfall's partial sort, and a
vendor's billed hours sharing the demand's engaged months."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pytest

from conftest import two_vendors
from kpo_calc.engine import outsourced
from kpo_calc.engine.costing import add_in_order
from kpo_calc.engine.figures import NOT_COSTED, cost_option
from kpo_calc.engine.finance import discount_factors
from kpo_calc.engine.outsourced import billed_hours, engaged_months
from kpo_calc.engine.sampling import es
from kpo_calc.engine.sanity import NonFiniteResult, check_finite
from kpo_calc.engine.values import POINT_VALUES
from kpo_calc.scenario import Scenario


def test_es_of_the_tail_by_hand() -> None:
    # 20 trials, worst 5%: one trial, the largest
    assert float(es(np.arange(1.0, 21.0))) == 20.0
    # 40 trials: the two largest, (40 + 39) / 2
    assert float(es(np.arange(40.0, 0.0, -1.0))) == 39.5
    # 30 trials: 1.5 of them, (30 + 0.5 × 29) / 1.5
    assert float(es(np.arange(1.0, 31.0))) == pytest.approx(44.5 / 1.5, rel=1e-15)


def test_es_is_the_full_sort_bit_for_bit() -> None:
    rng = np.random.default_rng(7)
    for n in (1, 2, 19, 20, 21, 999, 10_000, 100_001):
        x = rng.normal(1e6, 3e5, size=(2, n))
        x[:, ::5] = x[:, :1]  # ties
        for level in (0.0, 0.5, 0.95, 0.999):
            ordered = -np.sort(-x, axis=-1)
            tail = n * (1 - level)
            if abs(tail - round(tail)) < 1e-9 * n:
                tail = float(round(tail))
            whole = int(tail)
            full = (ordered[:, 0] if tail == 0 else
                    (ordered[:, :whole].sum(axis=-1) + ((tail - whole) * ordered[:, whole]
                                                        if tail > whole else 0.0)) / tail)
            assert np.array_equal(es(x, level), full), (n, level)


def test_billed_hours_share_the_engaged_months() -> None:
    data = two_vendors()
    data["options"][0].update(min_monthly_hours=30, productivity=2.0)
    option = Scenario.model_validate(data).options[0]
    demand = np.array([[0.0, 10.0, 0.0, 100.0, 0.0]])
    # From an empty cache: a full one (64 masks) is cleared by the next mask kept, which
    # would drop the demand's between the two asks below (whichever tests ran before).
    outsourced._MASKS.clear()
    billed = billed_hours(option, demand, POINT_VALUES)
    # months 2-4 engaged: max(10/2, 30) = 30, the minimum 30 in the gap, 100/2 = 50
    assert billed.tolist() == [[0.0, 30.0, 30.0, 50.0, 0.0]]
    assert engaged_months(billed) is engaged_months(demand)
    assert engaged_months(billed).tolist() == [[False, True, True, True, False]]


def test_billed_hours_without_a_minimum_find_their_own_months() -> None:
    data = two_vendors()
    data["options"][0].update(productivity=2.0)
    option = Scenario.model_validate(data).options[0]
    demand = np.array([[0.0, 10.0, 0.0, 100.0, 0.0]])
    billed = billed_hours(option, demand, POINT_VALUES)
    assert billed.tolist() == [[0.0, 5.0, 0.0, 50.0, 0.0]]
    assert engaged_months(billed).tolist() == [[False, True, True, True, False]]


def test_a_lean_costing_sums_its_metric_alone_and_as_a_full_one() -> None:
    data = two_vendors()
    data["options"][0]["risks"] = [{"name": "Leak", "annual_probability": 0.1,
                                    "impact": 1200}]
    scenario = Scenario.model_validate(data)
    incumbent = scenario.options[0]
    demand = np.full((1, 12), 100.0)
    factors = discount_factors(np.full((1, 1), 0.1), 12)
    full = cost_option(incumbent, scenario, demand, POINT_VALUES, factors=factors)
    # 100 hours × 12 months × 40 an hour; the risk 0.1 × 1,200 a year, 10 a month
    assert float(full.total_cost[0]) == 48_000.0
    assert float(full.risk_cost[0]) == pytest.approx(120.0, rel=1e-12)
    total = cost_option(incumbent, scenario, demand, POINT_VALUES, factors=factors,
                        lean=True, metric="total")
    assert total.total_cost.tolist() == [48_000.0]
    assert total.npv is NOT_COSTED
    assert total.risk_adjusted_npv is NOT_COSTED
    for metric, name in (("npv", "npv"), ("risk_adjusted_npv", "risk_adjusted_npv")):
        lean = cost_option(incumbent, scenario, demand, POINT_VALUES, factors=factors,
                           lean=True, metric=metric)
        assert np.array_equal(getattr(lean, name), getattr(full, name)), metric
        assert lean.total_cost is NOT_COSTED
        assert lean.hours is NOT_COSTED
    # the risk-adjusted NPV is the NPV plus the discounted risk, 10 a month
    assert float(full.risk_adjusted_npv[0] - full.npv[0]) == pytest.approx(
        float((10.0 * factors).sum()), rel=1e-12)


def test_check_finite_finds_a_nan_or_infinity_anywhere() -> None:
    @dataclass(frozen=True)
    class Leaf:
        monthly: tuple[float, ...]
        label: str

    good = {"a": (Leaf((1.0, 2.0), "x"), [3.0, Leaf((), "y")]), "b": 1e308}
    assert check_finite(good) is good
    # two huge finite figures overflow their sum: the walk that names one finds none
    huge = (1e308, 1e308, Leaf((1e308, 1e308), "z"))
    assert check_finite(huge) is huge
    for bad, where in (((1.0, float("nan")), "[1]"), ([Leaf((0.0, float("inf")), "")], ".monthly"),
                       ({"k": (1.0, "text", -float("inf"))}, "['k'][2]")):
        with pytest.raises(NonFiniteResult, match=re.escape(where)):
            check_finite(bad)


def test_add_in_order_is_the_sum_of_the_lines() -> None:
    fees = np.array([[100.0, 200.0, 300.0], [10.0, 20.0, 30.0]])  # two trials
    once = np.array([[50.0, 0.0, 0.0]])  # the same in every trial
    minus_zero = np.full((2, 3), -0.0)
    total = add_in_order([fees, once, minus_zero])
    assert total.tolist() == [[150.0, 200.0, 300.0], [60.0, 20.0, 30.0]]
    # the same, trials enough to add in place: 2,000 copies of each row
    many = [np.repeat(x, 2000, axis=0) if x.shape[0] == 2 else x
            for x in (fees, once, minus_zero)]
    assert add_in_order(many)[::2000].tolist() == total.tolist()
    # 0 + (-0.0) is 0.0, as sum() gives it
    assert np.signbit(add_in_order([minus_zero])).sum() == 0
    rng = np.random.default_rng(3)
    lines = [rng.normal(size=(4000, 5)), rng.normal(size=(1, 5)), rng.normal(size=5) * 1e-9,
             rng.normal(size=(4000, 1)) * 1e6]
    assert np.array_equal(add_in_order(lines), sum(lines))
    assert add_in_order([]).tolist() == 0.0
