"""Monte Carlo over the uncertain inputs (design section 9): ``simulate``.

Each chunk of trials is drawn (a stream per field path), costed by the same
engine as ``compare`` (``cost_scenario``, stress tests left out) and decided by
the same rule in every trial (``decide_trials``). The chunks' metrics are kept
(one float per alternative and trial, for exact percentiles); the value of
information is accumulated as the chunks pass, so a million trials stay small.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, get_args

import annotated_types
import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from kpo_calc.distributions import Distribution
from kpo_calc.engine.evaluate import (
    CostedScenario,
    TrialDecisions,
    cost_scenario,
    decide,
    decide_trials,
)
from kpo_calc.engine.figures import summary
from kpo_calc.engine.plans import Reusable
from kpo_calc.engine.results import Recommendation, ScenarioResult
from kpo_calc.engine.sampling import Sampler, es, percentiles
from kpo_calc.engine.values import Array, Mask, PathValues
from kpo_calc.engine.voi import EvppiAccumulator, evpi, threshold_premium
from kpo_calc.paths import numbers
from kpo_calc.scenario import Scenario

#: The percentiles reported, as in the design's JSON.
PERCENTILES = (5, 10, 50, 90, 95)
DEFAULT_TRIALS = 10_000
DEFAULT_SEED = 20261129
HISTOGRAM_BINS = 20
#: Trials costed at a time: the arrays of a chunk stay in the processor's cache (2,048
#: was the fastest of 1,024 to 8,192 on the insurer example) and memory stays flat.
CHUNK = 2048


@dataclass(frozen=True)
class Stats:
    """A figure's distribution over the trials."""

    mean: float
    p5: float
    p10: float
    p50: float
    p90: float
    p95: float
    #: expected shortfall: the mean of the worst 5% (the dearest for a metric, the
    #: smallest savings for savings)
    es95: float


@dataclass(frozen=True)
class MoveOdds:
    """How often one move of an alternative pays its way (methodology 3, point 2)."""

    work: str
    p_clears: float


@dataclass(frozen=True)
class SimulatedAlternative:
    """One alternative (option or plan) over the trials."""

    name: str
    kind: str
    feasible: bool
    metric: Stats
    savings: Stats
    p_cheapest: float
    p_clears: float
    p_recommended: float
    moves: tuple[MoveOdds, ...]


@dataclass(frozen=True)
class InputValue:
    """What learning one uncertain input before deciding is worth (EVPPI)."""

    input: str
    distribution: str
    mean: float
    evppi: float


@dataclass(frozen=True)
class Histogram:
    """Savings of one alternative, binned: ``counts[i]`` trials in ``[edges[i], edges[i+1])``."""

    alternative: str
    edges: tuple[float, ...]
    counts: tuple[int, ...]


@dataclass(frozen=True)
class SimulationResult:
    """``simulate`` for one scenario."""

    name: str
    currency: str
    metric: str
    baseline: str
    trials: int
    seed: int
    latin_hypercube: bool
    inputs: tuple[tuple[str, str], ...]
    alternatives: tuple[SimulatedAlternative, ...]
    #: the recommendation of ``compare``, at the inputs' means
    recommendation: Recommendation
    #: share of trials whose pick is that recommendation
    agreement: float
    evpi: float
    threshold_premium: float
    value_of_information: tuple[InputValue, ...]
    histogram: Histogram | None
    #: per input, the share of draws clipped to the field's allowed range
    clipped: tuple[tuple[str, float], ...]
    point: ScenarioResult


Progress = Callable[[int, int], None]

#: Above this many part-months costed over all the trials of a run (its parts and the
#: comparison plans of its moves, times the horizon, times the trials), a run over
#: trials is refused: about 50 seconds here (the insurer example costs 1,476 a trial).
MAX_TRIAL_CELLS = 2_000_000_000
#: The part-months of one chunk of trials held at once (bounds memory to a few hundred
#: MB, whatever the file): a long horizon or many parts make the chunk shorter.
CHUNK_CELLS = 4_000_000


class TooManyTrials(ValueError):
    """A run over trials beyond the budget; the message says how many trials fit."""


@dataclass(frozen=True)
class TrialCost:
    """What one trial costs: the parts costed in full, the comparison parts of the moves
    (light: no stress tests), and the months of each (from compare's costing)."""

    parts: int
    variants: int
    horizon: int

    @classmethod
    def of(cls, costed: CostedScenario) -> TrialCost:
        """The cost of a trial, read from a point costing that has been decided."""
        full, light = costed.coster.counts()
        return cls(full, light + costed.judge.variants, costed.scenario.horizon_months)

    @property
    def per_trial(self) -> int:
        """Part-months a trial costs."""
        return max(1, (self.parts + self.variants) * self.horizon)

    def chunk(self, largest: int = CHUNK) -> int:
        """Trials costed at a time: ``largest`` unless memory asks for fewer (at least 16)."""
        return max(16, min(largest, CHUNK_CELLS // max(1, self.parts * self.horizon)))

    def check(self, trials: int, what: str) -> None:
        """Refuse a run of ``trials`` beyond ``MAX_TRIAL_CELLS``, saying what fits."""
        if trials * self.per_trial <= MAX_TRIAL_CELLS:
            return
        fits = MAX_TRIAL_CELLS // self.per_trial
        raise TooManyTrials(
            f"{what} over {trials:,} trials would cost {trials * self.per_trial:,} "
            f"part-months ({self.parts + self.variants:,} parts and comparison plans of "
            f"{self.horizon} months in each trial), over the limit of {MAX_TRIAL_CELLS:,}: "
            + (f"at most {fits:,} trials fit (--trials), or make the file smaller"
               if fits >= 100 else "make the file smaller (fewer plans or options, or a "
               "shorter horizon)"))


def uncertain_inputs(scenario: Scenario) -> dict[str, tuple[Distribution, BaseModel, str]]:
    """Every input written as a distribution: path -> (distribution, owner, field)."""
    out: dict[str, tuple[Distribution, BaseModel, str]] = {}
    for path, owner, field, value in numbers(scenario):
        distribution = getattr(value, "distribution", None)
        if isinstance(distribution, Distribution):
            out[path] = (distribution, owner, field)
    return out


def field_bounds(owner: BaseModel, field: str) -> tuple[float, float, bool, bool]:
    """``(low, high, low open, high open)``: the range the scenario model allows a field."""
    info = type(owner).model_fields[field]
    low, high, low_open, high_open = -math.inf, math.inf, False, False
    for item in _constraints(info):
        if isinstance(item, annotated_types.Ge) and float(item.ge) >= low:  # type: ignore[arg-type]
            low, low_open = float(item.ge), False  # type: ignore[arg-type]
        elif isinstance(item, annotated_types.Gt) and float(item.gt) >= low:  # type: ignore[arg-type]
            low, low_open = float(item.gt), True  # type: ignore[arg-type]
        elif isinstance(item, annotated_types.Le) and float(item.le) <= high:  # type: ignore[arg-type]
            high, high_open = float(item.le), False  # type: ignore[arg-type]
        elif isinstance(item, annotated_types.Lt) and float(item.lt) <= high:  # type: ignore[arg-type]
            high, high_open = float(item.lt), True  # type: ignore[arg-type]
    return low, high, low_open, high_open


def _constraints(node: Any) -> list[Any]:
    """Every annotated-types constraint in a field's metadata and annotation, nested."""
    found: list[Any] = []
    if isinstance(node, FieldInfo):
        for item in node.metadata:
            found += _constraints(item)
        if node.annotation is not None:
            found += _constraints(node.annotation)
    elif isinstance(node, annotated_types.BaseMetadata):
        found.append(node)
    else:
        for arg in get_args(node):
            found += _constraints(arg)
        for item in getattr(node, "__metadata__", ()):
            found += _constraints(item)
    return found


def clip(values: Array, bounds: tuple[float, float, bool, bool]) -> tuple[Array, int]:
    """Draws held within the field's range (an open end: the nearest number inside);
    returns them and how many were moved."""
    low, high, low_open, high_open = bounds
    lo = math.nextafter(low, math.inf) if low_open else low
    hi = math.nextafter(high, -math.inf) if high_open else high
    outside = int(np.count_nonzero((values < lo) | (values > hi)))
    if not outside:
        return values, 0
    return np.clip(values, lo, hi), outside


def stats(x: Array, worst: str = "high") -> Stats:
    """Mean, percentiles (``sampling.percentiles``: linear, as Excel's PERCENTILE.INC) and
    the mean of the worst 5% (``high``: the largest values are the worst, as for a cost;
    ``low``: the smallest, as for savings)."""
    first = float(x[0])
    if _same_everywhere(x, first):
        # Every percentile and tail of equal trials is that value, exactly (numpy's linear
        # interpolation adds 0 to it): no sort of 100,000 trials to find it (in a run
        # with one uncertain input, most alternatives do not move).
        return Stats(float(summary(x)), first, first, first, first, first, first)
    p5, p10, p50, p90, p95 = (float(v) for v in percentiles(x, PERCENTILES))
    # Anchored at the first trial, as ``summary``: identical trials give it exactly.
    tail = first + (float(es(x - first)) if worst == "high" else -float(es(first - x)))
    return Stats(float(summary(x)), p5, p10, p50, p90, p95, tail)


def _same_everywhere(x: Array, first: float) -> bool:
    """Is every trial ``first``, a finite number that is not -0.0 (for which the
    interpolation's ``b - (b - a)(1 - t)`` and ``a + (b - a)t`` differ in sign)?"""
    return (math.isfinite(first) and not (first == 0 and math.copysign(1.0, first) < 0)
            and bool(x.min() == first) and bool(x.max() == first))


def _histogram(name: str, saved: Array) -> Histogram | None:
    """The savings in ``HISTOGRAM_BINS`` equal bins; None when they do not vary (every bin
    but one would be empty)."""
    if np.ptp(saved) <= 1e-9 * max(1.0, float(np.max(np.abs(saved)))):
        return None
    counts, edges = np.histogram(saved, bins=HISTOGRAM_BINS)
    return Histogram(name, tuple(float(e) for e in edges), tuple(int(c) for c in counts))


#: One chunk of draws: (first trial, trials in it, {path: draws held in the field's
#: range}, {path: how many draws were held}).
Chunk = tuple[int, int, dict[str, Array], dict[str, int]]


def draw(scenario: Scenario, trials: int, seed: int, latin_hypercube: bool = False,
         chunk: int = CHUNK,
         inputs: Mapping[str, tuple[Distribution, BaseModel, str]] | None = None) -> Iterator[
             Chunk]:
    """The draws of every uncertain input (``inputs``, when the caller has them already),
    chunk by chunk (a stream per path; the file's correlations imposed), each held within
    its field's range."""
    inputs = uncertain_inputs(scenario) if inputs is None else inputs
    distributions = {p: d for p, (d, _, _) in inputs.items()}
    bounds = {p: field_bounds(owner, field) for p, (_, owner, field) in inputs.items()}
    correlations = [(c.between[0], c.between[1], float(c.rho))
                    for c in getattr(scenario, "correlations", None) or ()]
    sampler = Sampler(distributions, trials=trials, seed=seed, correlations=correlations,
                      latin_hypercube=latin_hypercube, chunk=chunk)
    for start, draws in sampler.chunks():
        n = len(next(iter(draws.values()))) if draws else min(chunk, trials - start)
        held: dict[str, Array] = {}
        moved: dict[str, int] = {}
        for path, values in draws.items():
            held[path], moved[path] = clip(np.asarray(values, dtype=np.float64), bounds[path])
        yield start, n, held, moved


def decide_chunks(scenario: Scenario, chunks: Iterable[Chunk]) -> Iterator[
        tuple[Chunk, TrialDecisions]]:
    """Each chunk costed (lean) and decided, trial by trial; the parts no trial changes
    are costed once and handed from chunk to chunk."""
    kept: Reusable | None = None
    for item in chunks:
        _, n, held, _ = item
        costed = cost_scenario(scenario, PathValues(scenario, held, n), lean=True,
                               reuse=kept)
        decided = decide_trials(costed)
        kept = costed.coster.unchanged()
        del costed  # before the next chunk is costed: one chunk's figures at a time
        yield item, decided


@dataclass
class Collected:
    """Every trial's decision, gathered chunk by chunk: ``(alternatives, trials)`` arrays."""

    names: tuple[str, ...]
    feasible: tuple[bool, ...]
    metric: Array
    clears: Mask
    #: the pick in each trial
    picks: NDArray[np.intp]
    #: per alternative, each move's (work item, trials in which it pays its way)
    move_counts: list[list[tuple[str, int]]]


def collect(scenario: Scenario, chunks: Iterable[Chunk], trials: int,
            each: Callable[[Chunk, TrialDecisions], None] | None = None,
            size: int | None = None) -> Collected:
    """Decide ``scenario`` in every trial of ``chunks`` (costed ``size`` trials at a time
    when that is fewer: the same draws, less memory); ``each`` sees every chunk."""
    got: Collected | None = None
    for item, decided in decide_chunks(scenario, chunks if size is None else
                                       _sliced(chunks, size)):
        start, n = item[0], item[1]
        if got is None:
            got = Collected(decided.names, decided.feasible,
                            np.empty((len(decided.names), trials)),
                            np.zeros((len(decided.names), trials), dtype=bool),
                            np.empty(trials, dtype=np.intp),
                            [[(w, 0) for w, _ in m] for m in decided.moves])
        got.metric[:, start:start + n] = decided.metric
        got.clears[:, start:start + n] = decided.clears
        got.picks[start:start + n] = decided.recommended
        for i, moves in enumerate(decided.moves):
            got.move_counts[i] = [(w, c + int(np.count_nonzero(ok))) for (w, c), (_, ok)
                                  in zip(got.move_counts[i], moves, strict=True)]
        if each is not None:
            each(item, decided)
    if got is None:
        raise ValueError("no trials")
    return got


def _sliced(chunks: Iterable[Chunk], size: int) -> Iterator[Chunk]:
    """The chunks' trials ``size`` at a time (the draws held are reported once)."""
    for start, n, held, moved in chunks:
        for lo in range(0, n, size):
            hi = min(n, lo + size)
            yield (start + lo, hi - lo, {p: v[lo:hi] for p, v in held.items()},
                   moved if lo == 0 else {})


def simulate(scenario: Scenario, trials: int = DEFAULT_TRIALS, seed: int = DEFAULT_SEED,
             latin_hypercube: bool = False, chunk: int | None = None,
             progress: Progress | None = None, command: str = "simulate") -> SimulationResult:
    """Sample every uncertain input ``trials`` times and decide in each trial (``chunk``
    trials at a time: by default ``CHUNK``, fewer for a file whose trials are large);
    ``command`` is the run a refusal names (``report`` simulates too).

    Raises :class:`TooManyTrials` for a run beyond ``MAX_TRIAL_CELLS``.
    """
    costed = cost_scenario(scenario)
    point = decide(costed)
    cost = TrialCost.of(costed)
    cost.check(trials, command)
    chunk = chunk if chunk is not None else cost.chunk()
    inputs = uncertain_inputs(scenario)
    voi = EvppiAccumulator({p: d for p, (d, _, _) in inputs.items()},
                           alternatives=sum(o.feasible for o in point.options))
    clipped = dict.fromkeys(inputs, 0)

    def each(item: Chunk, decided: TrialDecisions) -> None:
        start, n, held, moved = item
        for path, count in moved.items():
            clipped[path] += count
        voi.add(held, decided.metric[np.array(decided.feasible)])
        if progress is not None:
            progress(start + n, trials)

    got = collect(scenario, draw(scenario, trials, seed, latin_hypercube, chunk, inputs),
                  trials, each)
    return _result(scenario, point, trials, seed, latin_hypercube, inputs, got, voi,
                   clipped)


def _result(scenario: Scenario, point: ScenarioResult, trials: int, seed: int, lhs: bool,
            inputs: Mapping[str, tuple[Distribution, BaseModel, str]], got: Collected,
            voi: EvppiAccumulator, clipped: Mapping[str, int]) -> SimulationResult:
    names, feasible, metric = got.names, got.feasible, got.metric
    kinds = tuple("plan" if i >= len(scenario.options) else "option" for i in range(len(names)))
    cheapest = np.bincount(np.argmin(np.where(np.array(feasible)[:, None], metric, np.inf),
                                     axis=0), minlength=len(names))
    recommended = np.bincount(got.picks, minlength=len(names))
    clears = got.clears.sum(axis=1)
    move_counts, picks = got.move_counts, got.picks
    base = names.index(point.baseline)
    chosen = point.recommendation.option
    able = [i for i, ok in enumerate(feasible) if ok]
    means = metric.mean(axis=1)
    alternatives = []
    for i, name in enumerate(names):
        saved = metric[base] - metric[i]
        alternatives.append(SimulatedAlternative(
            name=name, kind=kinds[i], feasible=feasible[i], metric=stats(metric[i]),
            savings=stats(saved, worst="low"), p_cheapest=float(cheapest[i]) / trials,
            p_clears=float(clears[i]) / trials, p_recommended=float(recommended[i]) / trials,
            moves=tuple(MoveOdds(w, c / trials) for w, c in move_counts[i])))
    values = voi.result()
    ranked = sorted(((p, values.get(p, 0.0)) for p in inputs), key=lambda pv: -pv[1])
    show = chosen if chosen != point.baseline else min(
        (n for i, n in enumerate(names) if feasible[i] and i != base),
        key=lambda n: means[names.index(n)], default=None)
    histogram = None if show is None else _histogram(show, metric[base]
                                                     - metric[names.index(show)])
    return SimulationResult(
        name=scenario.name, currency=scenario.currency, metric=point.metric,
        baseline=point.baseline, trials=trials, seed=seed, latin_hypercube=lhs,
        inputs=tuple((p, d.describe()) for p, (d, _, _) in inputs.items()),
        alternatives=tuple(alternatives), recommendation=point.recommendation,
        agreement=float(np.count_nonzero(picks == names.index(chosen))) / trials,
        evpi=evpi(metric[able]),
        threshold_premium=threshold_premium(metric[able], able.index(names.index(chosen))),
        value_of_information=tuple(InputValue(p, inputs[p][0].describe(), inputs[p][0].mean,
                                              v) for p, v in ranked),
        histogram=histogram,
        clipped=tuple((p, c / trials) for p, c in clipped.items() if c),
        point=point)
