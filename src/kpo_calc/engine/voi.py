"""Value of information (design section 9), streamed over chunks of trials, numpy only.

The metrics are **costs** (lower is better), one row per feasible alternative and one
column per trial: shape ``(A, T)``.

* ``EVPI = min_a E(metric_a) − E(min_a metric_a)``: what knowing every input before
  deciding would be worth.
* ``EVPPI(X) = min_a E(metric_a) − E_X[min_a E(metric_a | X)]``: what knowing ``X``
  alone would be worth, by the binning estimator of Sadatsafavi et al. (2013, "Need
  for speed: an efficient algorithm for calculation of single-parameter expected value
  of partial perfect information", Value in Health 16:438-448): the trials are grouped
  by ``X`` into bins of equal probability and ``E(metric_a | X)`` is read as the mean
  of the bin.
* The threshold premium, ``E(metric_recommended) − min_a E(metric_a)``.

Streaming: ``X``'s distribution is known, so the bin edges are its quantiles (fixed
before any trial is seen) and each bin needs only a count and a sum per alternative;
a million trials pass through :class:`EvppiAccumulator` chunk by chunk.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from kpo_calc.distributions import Distribution
from kpo_calc.engine.sampling import ppf

Array = NDArray[np.float64]

#: Equal-probability bins the accumulator counts in when the bin count is left to it;
#: the bins of the estimate are groups of these, chosen from the trials seen.
FINE_BINS = 256


def default_bins(trials: int) -> int:
    """The bin count for ``trials`` trials: ``round(T ** 0.25)`` (10 at 10,000 trials,
    18 at 100,000, 32 at a million), at most :data:`FINE_BINS`.

    Two biases pull against each other (Sadatsafavi et al. discuss both). Few bins
    blur ``E(metric | X)`` and bias EVPPI *down*: for a cost linear in ``X`` only the
    bin that straddles the switching value loses, about ``1/B²`` of EVPPI (1% at 10
    bins). Many bins leave few trials per bin, and the minimum over noisy bin means is
    biased *up*: when the alternatives tie in expectation (the worst case) an input
    that moves nothing still gets about ``(√B − 1)/√T`` of EVPI (2.2% at 10,000 trials
    and 10 bins, 0.5% at a million and 32), and far less when one alternative is
    clearly cheaper at the means. Balancing ``1/B²`` against ``√(B/T)`` gives
    ``B ∝ T^(1/5)``; ``T^(1/4)`` leans to the upward side a little, because an input
    with a real effect usually has a curved one, which more bins follow better. The
    fixed 50-100 bins often quoted overstate an irrelevant input's worth fivefold at
    10,000 trials.
    """
    return int(max(1, min(FINE_BINS, round(trials ** 0.25))))


def evpi(metrics: Array) -> float:
    """Expected value of perfect information of costs ``(A, T)``, clipped at 0 (it is
    never negative but for rounding)."""
    m = _costs(metrics)
    return max(0.0, float(m.mean(axis=1).min() - m.min(axis=0).mean()))


def threshold_premium(metrics: Array, recommended: int) -> float:
    """What following the recommendation costs in expectation above the cheapest
    alternative in expectation (zero when the recommendation is that alternative)."""
    means = _costs(metrics).mean(axis=1)
    return max(0.0, float(means[recommended] - means.min()))


def evppi(paths: Mapping[str, Distribution], samples: Mapping[str, Array], metrics: Array,
          bins: int | None = None) -> dict[str, float]:
    """EVPPI of each input from all trials at once (see :class:`EvppiAccumulator`)."""
    m = _costs(metrics)
    acc = EvppiAccumulator(paths, m.shape[0], bins)
    acc.add(samples, m)
    return acc.result()


class EvppiAccumulator:
    """EVPI and each input's EVPPI, accumulated chunk by chunk.

    Per input: a count and a sum of each alternative's metric in each of its bins of
    equal probability (edges at the distribution's quantiles ``k/bins``); overall: the
    sum of each alternative's metric and of the trial-wise minimum. With ``bins=None``
    the trials are counted in :data:`FINE_BINS` bins and grouped into
    :func:`default_bins` of the trials seen when the result is asked for. A degenerate
    (constant) input has EVPPI 0 exactly.
    """

    def __init__(self, paths: Mapping[str, Distribution], alternatives: int,
                 bins: int | None = None) -> None:
        if alternatives < 1:
            raise ValueError(f"need at least one alternative, got {alternatives}")
        if bins is not None and bins < 1:
            raise ValueError(f"bins must be 1 or more, got {bins}")
        self.paths = list(paths)
        self.alternatives = alternatives
        self.bins = bins
        fine = FINE_BINS if bins is None else bins
        cuts = np.arange(1, fine, dtype=np.float64) / fine
        self._edges = {p: ppf(d, cuts) for p, d in paths.items() if not d.degenerate}
        self._locator = BinLocator(list(self._edges.values()))
        self._sums = {p: np.zeros((fine, alternatives)) for p in self._edges}
        self._counts = {p: np.zeros(fine, dtype=np.int64) for p in self._edges}
        self._total = np.zeros(alternatives)
        self._total_min = 0.0
        self.trials = 0

    def add(self, samples: Mapping[str, Array], metrics: Array) -> None:
        """Take one chunk: each input's draws ``(n,)`` and the metrics ``(A, n)``."""
        m = _costs(metrics)
        a, n = m.shape
        if a != self.alternatives:
            raise ValueError(f"metrics have {a} alternatives, expected {self.alternatives}")
        self.trials += n
        self._total += m.sum(axis=1)
        self._total_min += float(m.min(axis=0).sum()) if n else 0.0
        if not self._edges:
            return
        where = self._locator.locate([samples[path] for path in self._edges], n)
        for path, row in zip(self._edges, where, strict=True):
            self._add_bins(path, row, m)

    def _add_bins(self, path: str, where: NDArray[np.intp], m: Array) -> None:
        fine, a = self._sums[path].shape
        flat = (where[None, :] * a + np.arange(a)[:, None]).ravel()
        self._sums[path] += np.bincount(flat, weights=m.ravel(),
                                        minlength=fine * a).reshape(fine, a)
        self._counts[path] += np.bincount(where, minlength=fine)

    def evpi(self) -> float:
        """EVPI of the trials so far, clipped at 0."""
        self._need_trials()
        best = float(self._total.min()) / self.trials
        return max(0.0, best - self._total_min / self.trials)

    def result(self) -> dict[str, float]:
        """Each input's EVPPI, in the order given, clipped at 0."""
        self._need_trials()
        bins = self.bins if self.bins is not None else default_bins(self.trials)
        best = float(self._total.min()) / self.trials
        out: dict[str, float] = {}
        for path in self.paths:
            if path not in self._edges:
                out[path] = 0.0
                continue
            sums, counts = self._grouped(path, bins)
            full = counts > 0
            # Σ_b n_b · min_a (bin mean of a): each bin's best choice, weighted by its size.
            informed = float((counts[full] * (sums[full] / counts[full, None]).min(axis=1)).sum())
            out[path] = max(0.0, best - informed / self.trials)
        return out

    def _grouped(self, path: str, bins: int) -> tuple[Array, NDArray[np.int64]]:
        """The fine bins merged into ``bins`` groups of consecutive, near-equal size."""
        sums, counts = self._sums[path], self._counts[path]
        fine = counts.size
        if bins == fine:
            return sums, counts
        group = np.arange(fine) * bins // fine
        merged = np.zeros((bins, sums.shape[1]))
        np.add.at(merged, group, sums)
        return merged, np.bincount(group, weights=counts, minlength=bins).astype(np.int64)

    def _need_trials(self) -> None:
        if not self.trials:
            raise ValueError("no trials added yet")


#: Cells of the lookup grid over each input's range of bin edges (16 a bin of 256 when
#: the edges are evenly spaced): the cell of a draw names the first edge to try.
GRID = 4096
#: An input whose edges crowd more than this many into one cell of the grid (a very
#: skewed distribution, or equal edges) is located by ``searchsorted``: each step costs
#: a pass over every input's draws, so the steps must stay few.
MAX_PER_CELL = 4
#: Trials located at a time (the work buffers hold this many per input).
LOCATE_BLOCK = 4096


class BinLocator:
    """The bin of each draw, for several inputs at once: for each input ``i`` and draw
    ``x``, how many of ``edges[i]`` are ``<= x`` (``np.searchsorted(edges[i], x,
    side="right")``, the same integers).

    ``searchsorted`` pays a mispredicted branch at each step of its binary search: some
    80 ns a draw, 0.3 s of a simulation of 100,000 trials and 61 inputs. Here a grid of
    :data:`GRID` cells over the edges' range gives each draw a first guess (one
    multiply and one lookup) and whole-array steps of one edge up or down make it exact,
    all inputs in one array and into buffers kept from call to call (a fresh array of a
    megabyte costs more in page faults than the arithmetic done in it). Inputs whose
    edges the grid cannot serve (unsorted, not finite, or crowded into a cell) keep
    ``searchsorted``.
    """

    def __init__(self, edges: list[Array]) -> None:
        self.edges = edges
        lo = [float(e[0]) if len(e) else 0.0 for e in edges]
        span = [float(e[-1] - e[0]) if len(e) else 0.0 for e in edges]
        scale = [GRID / s if s > 0 else 0.0 for s in span]
        #: the inputs located on the grid; the others by searchsorted
        self.grid = [i for i, e in enumerate(edges) if _fits_grid(e, lo[i], scale[i])]
        self._searched = [i for i in range(len(edges)) if i not in set(self.grid)]
        rows = [edges[i] for i in self.grid]
        # Each input's edges between -inf and +inf, end to end: ``padded[j]`` and
        # ``padded[j + 1]`` are the edges around a draw in bin ``j - start``.
        self._padded = np.concatenate([np.concatenate(([-np.inf], e, [np.inf]))
                                       for e in rows] or [np.zeros(0)])
        sizes = [len(e) + 2 for e in rows]
        self._start = (np.cumsum([0, *sizes[:-1]]) if rows else np.zeros(0)).astype(
            np.intp)[:, None]
        cells = np.arange(GRID, dtype=np.float64)
        self._guess = np.concatenate([
            start + np.searchsorted(edges[i], lo[i] + cells / scale[i], side="right")
            for start, i in zip(self._start[:, 0], self.grid, strict=True)] or
            [np.zeros(0, dtype=np.intp)]).astype(np.intp)
        self._cell0 = np.arange(len(rows), dtype=np.intp)[:, None] * GRID
        self._lo = np.array([lo[i] for i in self.grid])[:, None]
        self._scale = np.array([scale[i] for i in self.grid])[:, None]
        self._buffers: dict[str, NDArray[np.generic]] = {}

    def locate(self, samples: list[Any], n: int) -> NDArray[np.intp]:
        """The bins ``(inputs, n)`` of ``samples`` (each ``(n,)``, in the order of the
        edges)."""
        out = np.empty((len(self.edges), n), dtype=np.intp)
        for i in self._searched:
            out[i] = np.searchsorted(self.edges[i], samples[i], side="right")
        if not self.grid:
            return out
        on_grid = [samples[i] for i in self.grid]
        for lo in range(0, n, LOCATE_BLOCK):
            hi = min(n, lo + LOCATE_BLOCK)
            x = self._buffer("x", np.float64, hi - lo)
            np.stack([np.asarray(s, dtype=np.float64)[lo:hi] for s in on_grid], out=x)
            if not np.isfinite(x).all():  # the grid cannot place a nan or an infinity
                for i, row in zip(self.grid, x, strict=True):
                    out[i, lo:hi] = np.searchsorted(self.edges[i], row, side="right")
                continue
            out[self.grid, lo:hi] = self._bins(x)
        return out

    def _buffer(self, name: str, dtype: type[np.generic], n: int) -> Any:
        k = len(self.grid)
        found = self._buffers.get(name)
        if found is None or found.size < k * n:
            found = self._buffers[name] = np.empty(k * n, dtype=dtype)
        return found[:k * n].reshape(k, n)

    def _bins(self, x: Array) -> NDArray[np.intp]:
        n = x.shape[1]
        cell = self._buffer("cell", np.float64, n)
        np.subtract(x, self._lo, out=cell)
        np.multiply(cell, self._scale, out=cell)
        np.clip(cell, 0, GRID - 1, out=cell)
        where = self._buffer("cell index", np.intp, n)
        np.copyto(where, cell, casting="unsafe")  # the floor: the cell is not negative
        where += self._cell0
        at = self._buffer("at", np.intp, n)
        np.take(self._guess, where, out=at, mode="clip")  # in range: "clip" does not copy
        edge, beyond = self._buffer("edge", np.float64, n), self._buffer("beyond", np.bool_, n)
        # Up while the edge above is <= x, then down while the edge below is > x: then
        # padded[at] <= x < padded[at + 1], whatever the guess was (a few steps at most:
        # no cell holds more than MAX_PER_CELL edges).
        while True:
            np.add(at, 1, out=where)
            np.take(self._padded, where, out=edge, mode="clip")
            np.less_equal(edge, x, out=beyond)
            if not beyond.any():
                break
            at += beyond
        while True:
            np.take(self._padded, at, out=edge, mode="clip")
            np.greater(edge, x, out=beyond)
            if not beyond.any():
                break
            at -= beyond
        result: NDArray[np.intp] = at - self._start
        return result


def _fits_grid(edges: Array, lo: float, scale: float) -> bool:
    """Can the grid locate draws among ``edges`` in a few steps: some edges, all finite,
    sorted, spread (at most :data:`MAX_PER_CELL` in a cell)?"""
    if not len(edges) or scale <= 0 or not bool(np.all(np.isfinite(edges))):
        return False
    if not bool(np.all(np.diff(edges) >= 0)):
        return False
    cells = np.clip((edges - lo) * scale, 0, GRID - 1).astype(np.intp)
    return int(np.bincount(cells).max()) <= MAX_PER_CELL


def _costs(metrics: Array) -> Array:
    m = np.asarray(metrics, dtype=np.float64)
    if m.ndim != 2:
        raise ValueError(f"metrics must be (alternatives, trials), got shape {m.shape}")
    return m
