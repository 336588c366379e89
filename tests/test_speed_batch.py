"""Batch speed-ups (issue 13, item 22) that must not change a message or a number."""

from __future__ import annotations

import math

import pytest

from kpo_calc.distributions import parse
from kpo_calc.scenario import Bounds, distribution_problem

UNIT = Bounds(0.0, 1.0, low_open=True)


@pytest.mark.parametrize("params", [
    [0.8, 0.9, 1.0], [0.7, 0.85, 1.0], [0.5, 0.5, 0.9], [1e-300, 2e-300, 3e-300],
    [0.1, 0.999999, 1.0], [0.25, 0.25, 0.25]])
def test_a_pert_within_bounds_is_accepted_without_its_quantiles(params: list[float]) -> None:
    # Every one of these has quantiles within [min, max] (checked the slow way here),
    # so validation has nothing to say, as before it skipped computing them.
    d = parse({"pert": params})
    assert all(params[0] <= d.quantile(q) <= params[2] for q in (0.05, 0.95))
    assert distribution_problem(d, UNIT) is None


def test_a_pert_too_wide_for_a_float_is_still_refused() -> None:
    # max − min = 2e308 overflows: the quantiles min + t × inf are infinite (t > 0), the
    # mean (−1e308 + 0 + 1e308) / 6 = 0 is not; both ways the message is the same.
    d = parse({"pert": [-1e308, 0.0, 1e308]})
    assert d.mean == 0.0
    assert not math.isfinite(d.quantile(0.05))
    assert distribution_problem(d, Bounds()) == (
        "pert(-1e+308, 0, 1e+308) is too wide to have a finite mean; narrow it")


def test_a_pert_outside_bounds_names_its_end() -> None:
    d = parse({"pert": [0.5, 0.9, 1.2]})
    assert distribution_problem(d, UNIT) == (
        "pert(0.5, 0.9, 1.2) goes up to 1.2, above the largest allowed value 1 for this "
        "field; lower its maximum")
