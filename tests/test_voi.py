"""engine.voi: EVPI, EVPPI (Sadatsafavi's bins, streamed) and the threshold premium.

The metrics are costs, (alternatives, trials). Each check uses a fixed seed, so it is
one deterministic outcome; its tolerance is argued in its comment.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from kpo_calc.distributions import Distribution, parse
from kpo_calc.engine.sampling import Sampler, ppf
from kpo_calc.engine.voi import (
    FINE_BINS,
    LOCATE_BLOCK,
    BinLocator,
    EvppiAccumulator,
    default_bins,
    evpi,
    evppi,
    threshold_premium,
)

X = parse({"uniform": [50, 150]})


def run(inputs: dict[str, Distribution], costs, trials: int, seed: int = 1,
        bins: int | None = None) -> tuple[float, dict[str, float]]:
    """Stream a sampler's chunks into an accumulator; ``costs(chunk) -> (A, n)``."""
    acc: EvppiAccumulator | None = None
    for _, chunk in Sampler(inputs, trials=trials, seed=seed).chunks():
        m = costs(chunk)
        acc = acc or EvppiAccumulator(inputs, m.shape[0], bins)
        acc.add(chunk, m)
    assert acc is not None
    return acc.evpi(), acc.result()


def fixed_against(level: float):
    """Option A costs a fixed ``level``, option B costs x."""
    return lambda c: np.stack([np.full_like(c["x"], level), c["x"]])


def test_evpi_of_a_fixed_cost_against_a_uniform_one() -> None:
    # A costs 100, B costs X ~ U(50, 150): E(A) = E(B) = 100, and perfect information
    # saves max(0, 100 - X): EVPI = ∫_50^100 (100 - x)/100 dx = 50²/200 = 12.5.
    # At 100,000 trials the saving's mean has sd 16.1/√n = 0.051 (its variance is
    # ½·50²/3 - 12.5² = 260.4), and min(100, mean X) - 100 is -0.036 on average, -0.27
    # at 3 sd (mean X has sd 28.87/√n = 0.091): so |estimate - 12.5| < 0.5.
    e, found = run({"x": X}, fixed_against(100.0), 100_000)
    assert e == pytest.approx(12.5, abs=0.5)
    # With X the only uncertain input, learning it is learning everything.
    assert found["x"] == pytest.approx(e, rel=0.02)


@pytest.mark.parametrize("other", [{"normal": [0, 1]}, {"pert": [0, 1, 9]}, "3 to 300"])
def test_an_input_that_moves_no_alternative_is_worth_almost_nothing(other: object) -> None:
    # A costs 100, B costs X ~ U(60, 150) (X + 10 with X ~ U(50, 150)): EVPI =
    # ∫_60^100 (100 - x)/100 dx = 40²/200 = 8. Y changes no cost: its EVPPI must be
    # under 1% of EVPI at 10,000 trials (design section 9). Its bins' means of B - A sit
    # near 10 with sd 28.9/√1000 = 0.9, so no bin picks the wrong option.
    inputs = {"x": X, "y": parse(other)}
    e, found = run(inputs, lambda c: np.stack([np.full_like(c["x"], 100.0), c["x"] + 10]),
                   10_000)
    assert e == pytest.approx(8.0, abs=0.4)
    assert found["y"] < 0.01 * e
    assert found["x"] == pytest.approx(e, rel=0.02)


def test_the_upward_bias_when_the_options_tie_in_expectation() -> None:
    # The worst case for the bins' upward bias: A and B tie at the means (as in the
    # first test), so in every bin of the irrelevant Y the noisy bin means pick either
    # option. The bias is about (√B - 1)/√T of EVPI: (√10 - 1)/100 = 2.2% at 10,000
    # trials and the default 10 bins (sd about 1%); far below EVPPI of any input that
    # matters, and shrinking as the trials grow (0.5% at a million). Documented in
    # voi.default_bins; this pins it down.
    e, found = run({"x": X, "y": parse({"normal": [0, 1]})}, fixed_against(100.0), 10_000)
    assert found["y"] < 0.05 * e
    assert found["x"] == pytest.approx(e, rel=0.02)


@pytest.mark.parametrize(("dist", "level"), [
    (X, 93.0),  # switch at 93, inside the bin [90, 100): see below
    (parse("60 to 150"), 100.0),  # lognormal
    (parse({"pert": [50, 70, 200]}), 100.0),
    (parse({"triangular": [50, 140, 150]}), 120.0)])
def test_a_single_uncertain_input_has_evppi_equal_to_evpi(dist: Distribution,
                                                          level: float) -> None:
    # One uncertain input: EVPPI = EVPI but for the bins' blur (design: within 2% at
    # 10,000 trials). For U(50, 150) against 93, EVPI = 43²/200 = 9.245 and only the
    # bin [90, 100) is blurred: it loses 0.1 * ∫_90^93 (93 - x)/10 dx = 0.045, 0.5%.
    e, found = run({"x": dist}, fixed_against(level), 10_000, seed=4)
    assert e > 0
    assert found["x"] == pytest.approx(e, rel=0.02)
    assert found["x"] <= e  # in-sample, EVPPI never exceeds EVPI


def test_two_inputs_ranked_by_what_they_decide() -> None:
    # B costs X + Y with X ~ U(50, 150) and Y ~ N(0, 3); A costs 100. X decides; Y
    # moves B by a few units only. EVPPI(X) is close to EVPI (about 12.5; the 2% misses
    # the sliver Y decides), EVPPI(Y) a small fraction of it.
    inputs = {"y": parse({"normal": [0, 3]}), "x": X}
    e, found = run(inputs, lambda c: np.stack([np.full_like(c["x"], 100.0),
                                               c["x"] + c["y"]]), 10_000, seed=3)
    assert list(found) == ["y", "x"]  # in the order given
    assert found["x"] > found["y"]
    assert found["x"] == pytest.approx(e, rel=0.05)
    assert found["y"] < 0.1 * found["x"]


def test_three_alternatives_and_streaming_matches_all_at_once() -> None:
    # Chunked accumulation equals the one-shot estimate (sums in another order only).
    inputs = {"x": X, "z": parse({"triangular": [0, 1, 2]})}
    chunks = [c for _, c in Sampler(inputs, trials=9000, seed=8, chunk=1000).chunks()]

    def costs(c: dict[str, np.ndarray]) -> np.ndarray:
        return np.stack([np.full_like(c["x"], 100.0), c["x"], 160 - c["x"] + 20 * c["z"]])

    acc = EvppiAccumulator(inputs, 3)
    for c in chunks:
        acc.add(c, costs(c))
    whole = {p: np.concatenate([c[p] for c in chunks]) for p in inputs}
    metrics = costs(whole)
    assert acc.trials == 9000
    assert acc.evpi() == pytest.approx(evpi(metrics), rel=1e-12)
    at_once = evppi(inputs, whole, metrics)
    assert acc.result() == pytest.approx(at_once, rel=1e-12)
    # Given z alone, C's mean 160 - 100 + 20z = 60 + 20z is at most 100: C is chosen
    # whatever z is, so learning z alone is worth nothing; x decides.
    assert at_once["x"] > 1.0
    assert at_once["z"] == 0.0


def test_degenerate_inputs_are_worth_exactly_zero() -> None:
    inputs = {"x": X, "k": parse({"uniform": [3, 3]}), "n": parse({"normal": [5, 0]})}
    _, found = run(inputs, fixed_against(100.0), 2000)
    assert found["k"] == 0.0
    assert found["n"] == 0.0
    assert found["x"] > 0


def test_evpi_and_threshold_premium_by_hand() -> None:
    # Trials: A costs 1, 5; B costs 3, 3. Means 3 and 3; the cheaper per trial 1, 3
    # (mean 2): EVPI = 3 - 2 = 1.
    m = np.array([[1.0, 5.0], [3.0, 3.0]])
    assert evpi(m) == 1.0
    assert threshold_premium(m, 0) == 0.0
    # Recommending C (mean 4) when B's mean is 3 costs 1 in expectation.
    m3 = np.array([[1.0, 5.0], [3.0, 3.0], [4.0, 4.0]])
    assert threshold_premium(m3, 2) == 1.0
    assert evpi(np.array([[2.0, 2.0]])) == 0.0  # one alternative: nothing to learn
    with pytest.raises(ValueError, match="alternatives, trials"):
        evpi(np.ones(3))


def test_the_default_bin_count() -> None:
    # round(T ** 0.25), at most FINE_BINS.
    assert [default_bins(t) for t in (1, 100, 10_000, 100_000, 1_000_000)] == [
        1, 3, 10, 18, 32]
    assert default_bins(10**12) == FINE_BINS


def test_explicit_bins_and_bin_edges_at_the_quantiles() -> None:
    # 4 bins of U(50, 150): edges 75, 100, 125. A costs 100, B costs x, so the bins'
    # best means are 62.5, 87.5, 100, 100 by hand: informed mean 87.5, and
    # EVPPI = min(100, 100) - 87.5 = 12.5 with the trials exactly at the bins' centres.
    x = np.array([62.5, 87.5, 112.5, 137.5])
    metrics = np.stack([np.full(4, 100.0), x])
    assert evppi({"x": X}, {"x": x}, metrics, bins=4) == {"x": 12.5}
    # One bin learns nothing.
    assert evppi({"x": X}, {"x": x}, metrics, bins=1) == {"x": 0.0}


def test_the_accumulator_refuses_bad_use() -> None:
    with pytest.raises(ValueError, match="alternative"):
        EvppiAccumulator({"x": X}, 0)
    with pytest.raises(ValueError, match="bins"):
        EvppiAccumulator({"x": X}, 2, bins=0)
    acc = EvppiAccumulator({"x": X}, 2)
    with pytest.raises(ValueError, match="no trials"):
        acc.result()
    with pytest.raises(ValueError, match="no trials"):
        acc.evpi()
    with pytest.raises(ValueError, match="3 alternatives, expected 2"):
        acc.add({"x": np.ones(2)}, np.ones((3, 2)))
    acc.add({"x": np.ones(0)}, np.ones((2, 0)))
    assert acc.trials == 0
    assert math.isfinite(FINE_BINS)


def _searched(edges: list[np.ndarray], samples: list[np.ndarray]) -> np.ndarray:
    return np.array([np.searchsorted(e, x, side="right")
                     for e, x in zip(edges, samples, strict=True)])


def test_bins_are_those_of_searchsorted_at_and_beside_every_edge() -> None:
    # The grid only guesses; the steps up and down must land where searchsorted does,
    # including draws exactly on an edge (side="right": the bin above), a hair either
    # side of one, and outside the range. Edges the grid would need many steps for (a
    # run of equal edges, a sharp peak, a span of twelve orders of magnitude) are left
    # to searchsorted: the same integers either way.
    cuts = np.arange(1, FINE_BINS, dtype=np.float64) / FINE_BINS
    on_grid = [np.linspace(50, 150, FINE_BINS - 1),
               ppf(parse({"pert": [0.8, 0.9, 1.0]}), cuts),
               ppf(parse({"triangular": [1, 2, 5]}), cuts),
               ppf(parse({"normal": [0.02, 0.015]}), cuts),
               # a peak of 3 edges to a cell (several steps), at a magnitude of 1e6
               np.sort(1e6 + 1e-3 * np.tan(np.pi * (cuts - 0.5)))]
    searched = [np.concatenate([np.full(100, 2.0), np.linspace(2.0, 3.0, FINE_BINS - 101)]),
                np.sort(1e6 + 1e-3 * np.tan(np.pi * (cuts - 0.5)) ** 3),
                np.geomspace(1.0, 1e12, FINE_BINS - 1)]
    edges = on_grid + searched
    rng = np.random.default_rng(7)
    samples = []
    for e in edges:
        special = np.concatenate([e, np.nextafter(e, -np.inf), np.nextafter(e, np.inf),
                                  [e[0] - 1, e[-1] + 1, -1e300, 1e300]])
        samples.append(np.concatenate([special, rng.uniform(e[0] - 1, e[-1] + 1,
                                                            5000 - special.size)]))
    locator = BinLocator(edges)
    assert locator.grid == list(range(len(on_grid)))
    got = locator.locate(samples, 5000)  # more than one block of the buffers
    assert LOCATE_BLOCK < 5000
    assert np.array_equal(got, _searched(edges, samples))


def test_bins_fall_back_to_searchsorted_where_the_grid_cannot_serve() -> None:
    x = [np.array([1.0, 2.0, 2.5, np.nan, np.inf, -np.inf])]
    edges = [np.array([1.0, 2.0, 3.0])]
    assert BinLocator(edges).grid == [0]  # a nan or an infinity: searchsorted for the block
    assert np.array_equal(BinLocator(edges).locate(x, 6), _searched(edges, x))
    unsorted = [np.array([1.0, 3.0, 2.0])]  # (ppf rounding could do this): as searchsorted
    assert BinLocator(unsorted).grid == []
    assert np.array_equal(BinLocator(unsorted).locate(x, 6), _searched(unsorted, x))
    assert BinLocator([np.zeros(0)]).locate([np.ones(3)], 3).tolist() == [[0, 0, 0]]
