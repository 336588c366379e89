"""Robust plans: ``mix --trials N`` (design section 9, "Robust plans").

The plan with the lowest *expected* metric over the whole space is found
exactly as the point search finds the cheapest: the expected metric of a plan
is the sum of its parts' expected metrics, so each option is costed on each
share vector it may hold in every trial (common random numbers: the same
draws for every option), averaged, and the search ranks plans on those
tables. The head of that ranking and every declared alternative are then
judged in every trial by compare's rule (methodology 3, each move included):
how often each clears, is the cheapest of them, and how far it is from the
best of them (regret). The robust recommendation is the plan with the lowest
expected metric that clears in at least ``confidence`` of the trials; when none
of the head does, the head grows until one does or the space is exhausted (the
baseline then stays), so the answer is exact over the whole space.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from kpo_calc.engine.evaluate import TrialDecisions, cost_scenario, decide
from kpo_calc.engine.mixing import MixResult, as_plan, plan_name, same_assign
from kpo_calc.engine.plans import Assign
from kpo_calc.engine.search import Candidate, Expected, search, space_size
from kpo_calc.engine.simulation import (
    Chunk,
    MoveOdds,
    Stats,
    TrialCost,
    collect,
    draw,
    stats,
)
from kpo_calc.scenario import Scenario

#: The share of trials in which the robust plan must clear, unless the file says.
DEFAULT_CONFIDENCE = 0.8
#: Trials costed at a time when the plans are judged (as ``simulate``).
JUDGE_CHUNK = 2048
#: A space this small is judged whole when its head holds no plan that clears enough.
WHOLE_SPACE = 512
#: Figures of the expected search and of the per-trial judging may differ by float noise.
AGREEMENT = 1e-6


@dataclass(frozen=True)
class RobustPlan:
    """A plan judged in every trial."""

    name: str
    assign: Mapping[str, Mapping[str, float]]
    #: an option or plan of the file (else found by the search)
    declared: bool
    metric: Stats
    p_clears: float
    p_cheapest: float
    regret_mean: float
    regret_p90: float
    moves: tuple[MoveOdds, ...]


@dataclass(frozen=True)
class RobustResult:
    """``mix --trials``: the robust recommendation beside the point one."""

    trials: int
    seed: int
    confidence: float
    #: the robust recommendation (the baseline's name when no plan clears often enough)
    best: str
    #: the point recommendation of ``mix`` (at the inputs' means)
    point: str
    baseline: str
    #: the plans judged, by expected metric (the head of the search, then declared ones)
    plans: tuple[RobustPlan, ...]
    #: plans ranked: the space the search enumerates and the declared alternatives
    #: outside it (``mix``'s count)
    candidates: int
    #: False: the baseline cannot do the work, so the robust plan is the cheapest feasible
    #: plan in expectation (compare's rule), whether it clears or not
    baseline_feasible: bool = True

    def plan(self, name: str) -> RobustPlan | None:
        """The judged plan called ``name``."""
        return next((p for p in self.plans if p.name == name), None)


Progress = Callable[[int, int], None]


def robust(scenario: Scenario, point: MixResult, trials: int, seed: int,
           confidence: float | None = None, top: int = 5,
           progress: Progress | None = None) -> RobustResult:
    """The best plan under uncertainty, exactly (see the module's docstring)."""
    level = confidence if confidence is not None else (
        scenario.mix.confidence if scenario.mix is not None else DEFAULT_CONFIDENCE)
    chunks = tuple(draw(scenario, trials, seed, chunk=JUDGE_CHUNK))
    expected = Expected(tuple((n, held) for _, n, held, _ in chunks), trials)
    total = space_size(scenario)
    keep = max(top, 1)
    # Compare's rule: with a baseline that cannot do the work, the cheapest feasible plan
    # (in expectation), whether it clears or not.
    gate = point.baseline.feasible
    while True:
        found = search(scenario, keep, expected=expected)
        judged = _judge(scenario, point, found.ranked, chunks, trials, progress)
        whole = len(found.ranked) >= total or keep >= total
        # Plans beyond the head were not judged: a pick (a declared plan, say) that
        # costs more in expectation than the head's last plan may have one of them,
        # cheaper and clearing, before it. Only a pick within the head is proven.
        reach = max((c.metric for c in found.ranked), default=-math.inf)
        best = next((p for p in judged if p.name != scenario.baseline_name
                     and (not gate or p.p_clears >= level - 1e-12)), None)
        if best is not None and not whole and best.metric.mean > reach + AGREEMENT * max(
                1.0, abs(reach)):
            best = None
        if best is not None or whole:
            break
        # The head held no plan clearing often enough: look further down (a small space
        # at once; the tables are costed once, only the ranking and judging are redone).
        keep = total if total <= WHOLE_SPACE else keep * 4
    shown = judged[:max(top, 1)]
    if best is not None and best not in shown:
        shown.append(best)
    shown += [p for p in judged if p.declared and p not in shown]
    return RobustResult(trials=trials, seed=seed, confidence=level,
                        best=best.name if best is not None else scenario.baseline_name,
                        point=point.recommendation.option, baseline=scenario.baseline_name,
                        plans=tuple(shown), candidates=point.candidates,
                        baseline_feasible=gate)


def _judge(scenario: Scenario, point: MixResult, ranked: tuple[Candidate, ...],
           chunks: tuple[Chunk, ...], trials: int,
           progress: Progress | None) -> list[RobustPlan]:
    """The ranked candidates and every declared alternative, judged trial by trial."""
    declared: list[tuple[str, Assign]] = [
        (o.name, {w.name: {o.name: 1.0} for w in scenario.work}) for o in scenario.options]
    declared += [(p.name, p.shares()) for p in scenario.plans]
    known = [(p.result.name, p.result.assign) for p in point.top]
    taken = {n for n, _ in declared} | {n for n, _ in known}
    names: dict[str, Assign] = {}
    expected_metric: dict[str, float] = {}
    for c in ranked:
        twin = next((n for n, a in [*declared, *known] if same_assign(a, c.assign)), None)
        if twin is None:
            twin = plan_name(len(known) + 1 + sum(n not in taken for n in names),
                             taken | set(names))
        names.setdefault(twin, c.assign)
        expected_metric.setdefault(twin, c.metric)
    extra = [(n, a) for n, a in names.items() if n not in {d for d, _ in declared}]
    quiet = scenario.decision.model_copy(update={"expect": None, "gates": []})
    extended = scenario.model_copy(update={
        "plans": [*scenario.plans, *(as_plan(n, a) for n, a in extra)], "decision": quiet})
    def each(item: Chunk, decided: TrialDecisions) -> None:
        if progress is not None:
            progress(item[0] + item[1], trials)

    # What judging costs a trial, from a point costing of the same plans: refused
    # beyond the budget, and costed in slices that keep memory bounded.
    point_costed = cost_scenario(extended)
    decide(point_costed)
    cost = TrialCost.of(point_costed)
    cost.check(trials, "mix --trials")
    got = collect(extended, chunks, trials, each, size=cost.chunk(JUDGE_CHUNK))
    alt_names, feasible, metric, clears = got.names, got.feasible, got.metric, got.clears
    move_counts = got.move_counts
    index = {name: i for i, name in enumerate(alt_names)}
    wanted = [n for n in dict.fromkeys([*names, *(d for d, _ in declared)])
              if feasible[index[n]]]
    for name, value in expected_metric.items():  # the search's figure is the mean's
        mean = float(metric[index[name]].mean())
        if abs(mean - value) > AGREEMENT * max(1.0, abs(value)):
            raise AssertionError(f"robust: {name} has expected metric {value!r} in the "
                                 f"search and {mean!r} over the trials")  # a bug
    rows = np.array([index[n] for n in wanted])
    best_each = metric[rows].min(axis=0)
    cheapest = np.argmin(metric[rows], axis=0)
    assign = dict(declared) | names
    out = []
    for k, name in enumerate(wanted):
        i = index[name]
        regret = metric[i] - best_each
        out.append(RobustPlan(
            name=name, assign=assign[name], declared=name in dict(declared),
            metric=stats(metric[i]), p_clears=float(clears[i].mean()),
            p_cheapest=float(np.count_nonzero(cheapest == k)) / trials,
            regret_mean=float(regret.mean()),
            regret_p90=float(np.percentile(regret, 90)),
            moves=tuple(MoveOdds(w, c / trials) for w, c in move_counts[i])))
    out.sort(key=lambda p: (p.metric.mean, wanted.index(p.name)))
    return out

