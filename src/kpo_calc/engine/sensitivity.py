"""Which inputs drive the decision: ``sensitivity`` (a tornado) and ``breakeven`` (switching
values), design section 9.

Both run designed trials through the same engine as ``compare`` and
``simulate``: each trial is the scenario with one input set to one value and
every other at its mean, so a tornado of 60 inputs is one engine call of 120
trials, not 120 compares. Switching values are found by bracketing on a grid
and narrowing it (each round one engine call over a finer grid) to 1e-6 of the
value (of the span searched, for a value near zero).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel

from kpo_calc.distributions import Distribution
from kpo_calc.engine.evaluate import (
    TrialDecisions,
    cost_scenario,
    decide,
    decide_trials,
    joined,
)
from kpo_calc.engine.results import ScenarioResult
from kpo_calc.engine.simulation import (
    CHUNK,
    TrialCost,
    clip,
    field_bounds,
    uncertain_inputs,
)
from kpo_calc.engine.values import Array, PathValues
from kpo_calc.paths import numbers
from kpo_calc.scenario import Scenario, is_sampleable, structural_reason

#: Points per grid when narrowing a switching value: each round shrinks the bracket 31×.
GRID = 32
#: A switching value is pinned to this share of its size (bisection to 1e-6 relative).
PRECISION = 1e-6
#: An open end of a field's range (more than 0) is searched this share of the current
#: value away from it.
OPEN_MARGIN = 1e-3
#: Two metrics closer than this share of their size cost the same (float noise).
TIE = 1e-9
#: How many tornado rows are shown (every row is computed and kept in the result).
TOP = 10


@dataclass(frozen=True)
class Input:
    """One input a design can vary: its path, where it lives, its current (mean) value."""

    path: str
    owner: BaseModel
    field: str
    current: float
    #: the distribution, for an uncertain input, else None
    distribution: Distribution | None


@dataclass(frozen=True)
class TornadoRow:
    """One input moved from ``low`` to ``high``, the others at their means."""

    input: str
    low: float
    high: float
    savings_low: float
    savings_high: float
    #: the value inside [low, high] at which the recommendation changes (None: it holds)
    switching_value: float | None
    #: what is recommended beyond the switching value
    switches_to: str | None
    uncertain: bool

    @property
    def swing(self) -> float:
        """How far the savings move across the input's range."""
        return abs(self.savings_high - self.savings_low)


@dataclass(frozen=True)
class SensitivityResult:
    """``sensitivity`` for one scenario."""

    name: str
    currency: str
    metric: str
    alternative: str
    against: str
    savings: float
    swing: float
    recommendation: str
    rows: tuple[TornadoRow, ...]
    point: ScenarioResult


@dataclass(frozen=True)
class BreakevenResult:
    """``breakeven`` for one input, one alternative against another."""

    name: str
    currency: str
    metric: str
    input: str
    option: str
    against: str
    current: float
    low: float
    high: float
    #: where the two cost the same on the metric (None: no crossing in [low, high])
    equal_at: float | None
    #: where ``option`` just clears the threshold against ``against`` (None: no change)
    clears_at: float | None
    #: does ``option`` clear at the current value?
    clears_now: bool
    #: the two cost the same at every value searched (within float noise)
    equal_everywhere: bool = False


def inputs(scenario: Scenario) -> dict[str, Input]:
    """Every sampleable number of the scenario (set in the file or by default), by path."""
    uncertain = uncertain_inputs(scenario)
    out: dict[str, Input] = {}
    for path, owner, field, value in numbers(scenario):
        if not is_sampleable(type(owner), field):
            continue
        found = uncertain.get(path)
        out[path] = Input(path, owner, field, float(value),
                          None if found is None else found[0])
    return out


def decide_at(scenario: Scenario, draws: Mapping[str, Array], trials: int,
              chunk: int = CHUNK) -> TrialDecisions:
    """The decision in designed trials: each path in ``draws`` takes its values (held in
    the field's range by ``_held`` beforehand), every other input its mean (stress tests
    are not needed); ``chunk`` trials are costed at a time (``TrialCost.chunk``)."""
    parts = []
    for lo in range(0, trials, chunk):
        n = min(chunk, trials - lo)
        values = PathValues(scenario, {p: v[lo:lo + n] for p, v in draws.items()}, n)
        parts.append(decide_trials(cost_scenario(scenario, values, lean=True)))
    return joined(parts)


def subject(point: ScenarioResult) -> tuple[str, str]:
    """The alternative a tornado is about (the recommendation, or the best alternative
    when the baseline stays) and the baseline it is measured against. The two are the
    same only when no alternative can do all the work."""
    rec = point.recommendation
    chosen = rec.option if rec.option != rec.baseline else rec.best or rec.baseline
    return chosen, rec.baseline


def sensitivity(scenario: Scenario, swing: float = 0.2) -> SensitivityResult:
    """The tornado: each uncertain input from its P10 to its P90, each point input ±swing."""
    costed = cost_scenario(scenario)
    point = decide(costed)
    cost = TrialCost.of(costed)
    alternative, against = subject(point)
    candidates = inputs(scenario)
    ranges: dict[str, tuple[float, float]] = {}
    for path, item in candidates.items():
        if item.distribution is not None:
            low, high = item.distribution.quantile(0.10), item.distribution.quantile(0.90)
        else:
            low, high = item.current * (1 - swing), item.current * (1 + swing)
        low, high = _held(item, min(low, high), max(low, high))
        if low != high:
            ranges[path] = (low, high)
    paths = list(ranges)
    trials = 2 * len(paths) + 1  # the last trial: every input at its mean
    cost.check(trials, "sensitivity")
    chunk = cost.chunk()
    draws: dict[str, Array] = {}
    for k, path in enumerate(paths):
        column = np.full(trials, candidates[path].current)
        column[2 * k], column[2 * k + 1] = ranges[path]
        draws[path] = column
    decided = decide_at(scenario, draws, trials, chunk) if paths else None
    names = decided.names if decided is not None else ()
    rows = []
    if decided is not None:
        a = names.index(alternative)
        mean_pick = int(decided.recommended[-1])
        for k, path in enumerate(paths):
            low, high = ranges[path]
            picks = (int(decided.recommended[2 * k]), int(decided.recommended[2 * k + 1]))
            switching, to = None, None
            for end, pick in zip((low, high), picks, strict=True):
                if pick != mean_pick and switching is None:
                    switching, index = _switch(scenario, path, candidates[path].current, end,
                                               lambda d: d.recommended == mean_pick, chunk)
                    to = names[index] if index is not None else names[pick]
            rows.append(TornadoRow(path, low, high, float(decided.savings[a, 2 * k]),
                                   float(decided.savings[a, 2 * k + 1]), switching, to,
                                   candidates[path].distribution is not None))
    rows.sort(key=lambda r: (-r.swing, r.input))
    result = point.option(alternative)
    return SensitivityResult(
        name=scenario.name, currency=scenario.currency, metric=point.metric,
        alternative=alternative, against=against, savings=result.savings_vs_baseline,
        swing=swing, recommendation=point.recommendation.option, rows=tuple(rows),
        point=point)


def _held(item: Input, low: float, high: float) -> tuple[float, float]:
    """``[low, high]`` within the range the field allows; an open end (a rate must be
    more than 0) is kept ``OPEN_MARGIN`` of the current value away, not at the nearest
    float (a rate of 5e-324 is no decision anyone makes, and overflows a cost per hour)."""
    lo, hi, lo_open, hi_open = field_bounds(item.owner, item.field)
    margin = OPEN_MARGIN * max(abs(item.current), 1.0)
    if lo_open:
        lo, lo_open = lo + margin, False
    if hi_open:
        hi, hi_open = hi - margin, False
    held, _ = clip(np.array([low, high]), (lo, hi, lo_open, hi_open))
    return float(held[0]), float(held[1])


def _switch(scenario: Scenario, path: str, inside: float, outside: float,
            same: Callable[[TrialDecisions], Array],
            chunk: int = CHUNK) -> tuple[float | None, int | None]:
    """Where ``same`` turns False between ``inside`` (where it holds) and ``outside``:
    narrowed on grids to ``PRECISION`` of the span; with what is picked beyond it."""
    a, b = inside, outside
    span = abs(b - a)
    index: int | None = None
    while abs(b - a) > _tolerance(a, b, span):
        grid = np.linspace(a, b, GRID)
        decided = decide_at(scenario, {path: grid}, GRID, chunk)
        holds = np.asarray(same(decided), dtype=bool)
        first = int(np.argmin(holds)) if not holds.all() else None
        if first is None or first == 0:
            return None, None  # no change on the grid (or the inside end does not hold)
        a, b = float(grid[first - 1]), float(grid[first])
        index = int(decided.recommended[first])
    return (a + b) / 2, index


def _tolerance(a: float, b: float, span: float) -> float:
    """How narrow a bracket must get: ``PRECISION`` of the value (of the span searched for
    a value near zero)."""
    return PRECISION * max(abs(a), abs(b), PRECISION * span, 1e-300)


def breakeven(scenario: Scenario, path: str, option: str | None = None,
              against: str | None = None) -> BreakevenResult:
    """The value of ``path`` at which ``option`` and ``against`` cost the same on the metric,
    and at which ``option`` just clears the threshold against the baseline.

    The search runs over the field's allowed range, capped at ten times the current
    value's size (a hundredth of the largest amount a field allows would be no
    decision anyone makes); an input at 0 has no size of its own, so it is searched
    up to the baseline's metric (a money amount that large decides anything), or its
    field's whole range when that is smaller (a rate). A grid of ``GRID`` points
    brackets every crossing, the one nearest the current value is narrowed to
    ``PRECISION`` of it.
    """
    costed = cost_scenario(scenario)
    point = decide(costed)
    cost = TrialCost.of(costed)
    chunk = cost.chunk()
    default, baseline = subject(point)
    option = option or default
    against = against or baseline
    item = inputs(scenario)[path]
    current = item.current
    if current:
        reach = 10 * abs(current)
    else:
        low_end, high_end, _, _ = field_bounds(item.owner, item.field)
        reach = min(high_end - low_end, max(1.0, abs(point.option(baseline).metric(
            point.metric))))
    low, high = _held(item, current - reach, current + reach)
    grid = np.linspace(low, high, 4 * GRID + 1)
    cost.check(len(grid), "breakeven")
    decided = decide_at(scenario, {path: grid}, len(grid), chunk)
    a, b = decided.names.index(option), decided.names.index(against)
    def gap(d: TrialDecisions) -> Array:
        # A difference within float noise of the metrics is no difference: two
        # alternatives that tie everywhere have no crossing to bisect.
        diff = d.metric[a] - d.metric[b]
        noise = TIE * np.maximum(1.0, np.maximum(np.abs(d.metric[a]), np.abs(d.metric[b])))
        return np.where(np.abs(diff) <= noise, 0.0, diff)

    gaps = gap(decided)
    same_everywhere = bool(np.all(gaps == 0))
    equal_at = None if same_everywhere else _crossing(scenario, path, grid, gaps, current, gap,
                                                      chunk)
    clears = decided.clears[a].astype(np.float64) - 0.5
    clears_at = _crossing(scenario, path, grid, clears, current,
                          lambda d: d.clears[a].astype(np.float64) - 0.5, chunk)
    now = decide_at(scenario, {path: np.array([current])}, 1)
    return BreakevenResult(
        name=scenario.name, currency=scenario.currency, metric=point.metric, input=path,
        option=option, against=against, current=current, low=low, high=high,
        equal_at=equal_at, clears_at=clears_at, clears_now=bool(now.clears[a, 0]),
        equal_everywhere=same_everywhere)


def _crossing(scenario: Scenario, path: str, grid: Array, values: Array, current: float,
              measure: Callable[[TrialDecisions], Array], chunk: int = CHUNK) -> float | None:
    """The root of ``measure`` nearest ``current``: a sign change on ``grid`` (an exact
    zero counts), narrowed by grids to ``PRECISION`` of the range searched."""
    signs = np.sign(values)
    exact = np.flatnonzero(signs == 0)
    changes = np.flatnonzero(signs[:-1] * signs[1:] < 0)
    found = [(float(grid[i]), float(grid[i])) for i in exact]
    found += [(float(grid[i]), float(grid[i + 1])) for i in changes]
    if not found:
        return None
    a, b = min(found, key=lambda ab: abs((ab[0] + ab[1]) / 2 - current))
    span = float(grid[-1] - grid[0])
    while b - a > _tolerance(a, b, span):
        fine = np.linspace(a, b, GRID)
        decided = decide_at(scenario, {path: fine}, GRID, chunk)
        s = np.sign(measure(decided))
        zero = np.flatnonzero(s == 0)
        if len(zero):
            return float(fine[zero[0]])
        change = np.flatnonzero(s[:-1] * s[1:] < 0)
        if not len(change):
            break  # a jump too narrow for the grid: the bracket is the answer
        i = int(change[0])
        a, b = float(fine[i]), float(fine[i + 1])
    return (a + b) / 2 if math.isfinite(a + b) else None


def structural_at(scenario: Scenario, path: str) -> str | None:
    """Why the number at ``path`` cannot be varied (it sets the plan's structure), or None
    (for a path that is not a number of the scenario, too)."""
    for p, owner, field, _ in numbers(scenario):
        if p == path:
            return structural_reason(type(owner), field)
    return None


def paths_of(scenario: Scenario) -> Sequence[str]:
    """Every input path ``breakeven`` accepts, in file order (for did-you-mean)."""
    return list(inputs(scenario))
