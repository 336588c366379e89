"""Evaluate a scenario: cost every option and plan, judge each against the baseline, decide.

Methodology 3 (design section 11): an alternative's threshold base is the cost
it avoids, and each work item it moves must pay its way on its own margin:
the alternative without that move (``A−i``) is costed beside it, and so is
the baseline with only that move (the standalone figures the moves table
shows).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from kpo_calc.engine.decision import (
    ExtraGates,
    clears_test,
    gates,
    pick_trials,
    recommend,
    savings,
    scorecard,
    tolerance,
)
from kpo_calc.engine.demand import total_demand
from kpo_calc.engine.figures import metric_of, scalar, summary
from kpo_calc.engine.finance import breakeven_month, discount_factors
from kpo_calc.engine.models import AnyOption
from kpo_calc.engine.plans import (
    Alternative,
    AlternativeFigures,
    Coster,
    Light,
    Reusable,
    alternatives,
    avoidable,
    moved_items,
    part_metrics,
    plan_scores,
    summarise_alternative,
)
from kpo_calc.engine.results import Move, OptionResult, ScenarioResult
from kpo_calc.engine.sanity import check_finite
from kpo_calc.engine.values import POINT_VALUES, Array, Mask, Values
from kpo_calc.scenario import Scenario

__all__ = ["CostedScenario", "TrialDecisions", "cost_scenario", "decide", "decide_trials",
           "evaluate", "joined"]


def evaluate(scenario: Scenario, values: Values | None = None,
             extra_gates: ExtraGates | None = None) -> ScenarioResult:
    """Compare every option of ``scenario`` (one deterministic trial by default).

    ``extra_gates`` adds expectations from outside the file (the command line).
    """
    return decide(cost_scenario(scenario, values), extra_gates)


@dataclass(frozen=True)
class CostedScenario:
    """Every alternative costed, per trial, with what judging them needs (before deciding)."""

    scenario: Scenario
    values: Values
    demand: Array
    coster: Coster
    figures: tuple[AlternativeFigures, ...]
    base_index: int
    judge: Judge


def cost_scenario(scenario: Scenario, values: Values | None = None,
                  lean: bool = False, reuse: Reusable | None = None) -> CostedScenario:
    """Cost every option alone (on the whole demand), then every plan (design 7), keeping
    the trials and the monthly lines. ``lean``: only what ``decide_trials`` reads (no
    stress tests, flexibility or line totals: a simulation does not report them).
    ``reuse``: the parts no trial changed in the same scenario costed over other trials
    (``Coster.unchanged`` of the chunk before)."""
    v = values or POINT_VALUES
    demand = total_demand(scenario, v)
    factors = discount_factors(v(scenario, "discount_rate"), scenario.horizon_months)
    coster = Coster(scenario, demand, v, factors, lean=lean)
    if reuse is not None:
        coster.reuse(reuse)
    # The parts of one option are costed together, as the rows of one demand array, with
    # the comparison plans' parts the decision will ask for (a point run's).
    alts = alternatives(scenario)
    compared: dict[str, list[Comparison]] = {}
    coster.prefetch_full(alts, extra=None if v.trials != 1 else _variant_rows(coster, alts,
                                                                              compared))
    figures = tuple(coster.cost(alt) for alt in alts)
    base_index = next(i for i, f in enumerate(figures)
                      if f.alternative.name == scenario.baseline_name)
    judge = Judge(scenario, coster, figures[base_index], factors, compared)
    return CostedScenario(scenario, v, demand, coster, figures, base_index, judge)


def decide(costed: CostedScenario, extra_gates: ExtraGates | None = None) -> ScenarioResult:
    """The comparison at the trials' means: savings, the threshold, each move, the verdict."""
    scenario, figures, judge = costed.scenario, costed.figures, costed.judge
    base_index = costed.base_index
    metric = scenario.decision.metric
    results = [summarise_alternative(f) for f in figures]
    base_monthly = summary(figures[base_index].combined.monthly)
    base_feasible = results[base_index].feasible
    judge.prefetch([f for i, (f, r) in enumerate(zip(figures, results, strict=True))
                    if i != base_index and r.feasible and base_feasible])
    compared: list[OptionResult] = []
    for i, (result, f) in enumerate(zip(results, figures, strict=True)):
        amount, share = savings(judge.base_metric, result.metric(metric))
        if i == base_index:
            compared.append(replace(result, savings_vs_baseline=amount, savings_pct=share))
            continue
        moved_base = judge.avoided(f)
        required = scenario.decision.min_savings * moved_base
        moved = judge.moved(f)
        moves = (judge.moves(f) if result.feasible and base_feasible and len(moved) >= 2
                 else result.moves)
        # ``whole_clears`` of the result made below (one ``replace``, not three)
        clears = result.feasible and bool(clears_test(
            amount, required, scenario.decision.min_savings_amount,
            tolerance(judge.base_metric))) and all(m.clears for m in moves)
        compared.append(replace(result, savings_vs_baseline=amount, savings_pct=share,
                                breakeven_month=breakeven_month(base_monthly,
                                                                summary(f.combined.monthly)),
                                moved_base=moved_base, required_savings=required,
                                moved=moved, moves=moves, clears=clears))
    recommendation = recommend(compared, scenario.baseline_name, metric,
                               scenario.decision.min_savings, scenario.currency,
                               scenario.decision.min_savings_amount)
    return check_finite(ScenarioResult(  # a NaN here is a bug, not an input error
        name=scenario.name,
        description=scenario.description,
        currency=scenario.currency,
        horizon_months=scenario.horizon_months,
        baseline=scenario.baseline_name,
        metric=metric,
        min_savings=scenario.decision.min_savings,
        total_hours=scalar(costed.demand.sum(axis=1)),
        options=tuple(compared),
        recommendation=recommendation,
        scorecard=scorecard(scenario, compared, plan_scores(scenario, list(figures))),
        gates=gates(scenario, compared, recommendation, extra_gates),
        threshold_base=scenario.decision.threshold_base,
        min_savings_amount=scenario.decision.min_savings_amount,
    ))


@dataclass(frozen=True)
class TrialDecisions:
    """Methodology 3's decision in each trial: ``(alternatives, trials)`` arrays, in the
    order of ``plans.alternatives`` (every option, then every plan)."""

    names: tuple[str, ...]
    feasible: tuple[bool, ...]
    base_index: int
    #: the decision metric
    metric: Array
    #: baseline's metric − the alternative's (0 for the baseline)
    savings: Array
    #: min_savings × the cost the alternative avoids (0 for the baseline)
    required: Array
    #: clears as a whole and move by move (False for the baseline and infeasible ones)
    clears: Mask
    #: per alternative, each move's (work item, clears per trial)
    moves: tuple[tuple[tuple[str, Mask], ...], ...]
    #: the index of the recommended alternative in each trial
    recommended: NDArray[np.intp]

    @property
    def trials(self) -> int:
        """How many trials the decisions cover."""
        return int(self.metric.shape[1])


def joined(parts: Sequence[TrialDecisions]) -> TrialDecisions:
    """The decisions of consecutive chunks of trials as one (a design costed in chunks)."""
    first = parts[0]
    if len(parts) == 1:
        return first
    return replace(
        first,
        metric=np.concatenate([p.metric for p in parts], axis=1),
        savings=np.concatenate([p.savings for p in parts], axis=1),
        required=np.concatenate([p.required for p in parts], axis=1),
        clears=np.concatenate([p.clears for p in parts], axis=1),
        moves=tuple(tuple((w, np.concatenate([p.moves[i][k][1] for p in parts]))
                          for k, (w, _) in enumerate(moves))
                    for i, moves in enumerate(first.moves)),
        recommended=np.concatenate([p.recommended for p in parts]))


def decide_trials(costed: CostedScenario) -> TrialDecisions:
    """The decision of ``decide``, made in every trial (design 9: one implementation of
    sections 7 and 11, vectorised over trials): savings, the threshold on the cost
    avoided, the materiality amount, each move's incremental test, the pick."""
    scenario, judge, figures = costed.scenario, costed.judge, costed.figures
    trials = costed.values.trials
    b = costed.base_index
    decision = scenario.decision

    def per_trial(x: Array) -> Array:
        return np.broadcast_to(np.asarray(x, dtype=np.float64), (trials,))

    base_value = per_trial(judge.value(figures[b]))
    tol = tolerance(base_value)  # each trial's own
    feasible = tuple(not f.combined.infeasible_reasons for f in figures)
    metric = np.empty((len(figures), trials))
    required = np.zeros((len(figures), trials))
    clears = np.zeros((len(figures), trials), dtype=bool)
    moves: list[tuple[tuple[str, Mask], ...]] = []
    for i, f in enumerate(figures):
        metric[i] = per_trial(judge.value(f))
        if i == b:
            moves.append(())
            continue
        required[i] = decision.min_savings * per_trial(avoidable(judge.parts(f),
                                                                 judge.base_parts))
        ok = clears_test(base_value - metric[i], required[i], decision.min_savings_amount,
                         tol) & feasible[i] & feasible[b]
        judged: list[tuple[str, Mask]] = []
        if feasible[i] and feasible[b] and len(judge.moved(f)) >= 2:
            for w, inc, inc_required, _, _ in judge.move_figures(f):
                passed = clears_test(per_trial(inc), per_trial(inc_required), 0.0, tol)
                judged.append((w, passed))
                ok = ok & passed
        clears[i] = ok
        moves.append(tuple(judged))
    return TrialDecisions(
        names=tuple(f.alternative.name for f in figures), feasible=feasible, base_index=b,
        metric=metric, savings=base_value - metric, required=required, clears=clears,
        moves=tuple(moves), recommended=pick_trials(metric, clears, feasible, b))


class Judge:
    """Methodology 3's measures of an alternative against the baseline."""

    def __init__(self, scenario: Scenario, coster: Coster, base: AlternativeFigures,
                 factors: Array, compared: Mapping[str, list[Comparison]] | None = None
                 ) -> None:
        """``compared``: comparisons already made (``_variant_rows``), by alternative."""
        self.scenario = scenario
        self.coster = coster
        self.base = base
        self.factors = factors
        self.work = [w.name for w in scenario.work]
        self.metric = scenario.decision.metric
        self.threshold_base = scenario.decision.threshold_base
        self.min_savings = scenario.decision.min_savings
        self.base_metric = scalar(self.value(base))
        self.base_parts = self.parts(base)
        self.base_vectors = coster.vectors(base.alternative.assign)
        self.index = {w: i for i, w in enumerate(self.work)}
        self.options = {o.name: i for i, o in enumerate(scenario.options)}
        # Keyed on the identity of the part a variant varies: those are the vectors of
        # ``Coster.vectors``, which the coster keeps, so an id is never reused meanwhile.
        self._variants: dict[tuple[int, int, int, float], tuple[float, ...] | None] = {}
        self._lights: dict[tuple[int, int, int, float], Light | None] = {}
        self._comparisons: dict[str, list[Comparison]] = dict(compared or {})
        self.base_light = self._parts_of(self.base_vectors)

    @property
    def variants(self) -> int:
        """How many comparison parts (of ``A−i`` and ``B+i`` plans) were costed."""
        return len(self._lights)

    def value(self, f: AlternativeFigures) -> Array:
        """The decision metric of an alternative, per trial."""
        return metric_of(f.combined, self.metric)

    def parts(self, f: AlternativeFigures) -> list[Array]:
        """``M_X(o)`` for every option (the threshold amount of its part)."""
        return part_metrics(f, self.scenario.options, self.metric, self.threshold_base,
                            self.factors)

    def avoided(self, f: AlternativeFigures) -> float:
        """``moved_base``: the cost the alternative avoids (methodology 3, point 1)."""
        return scalar(avoidable(self.parts(f), self.base_parts))

    def moved(self, f: AlternativeFigures) -> tuple[str, ...]:
        """The work items the alternative assigns differently from the baseline."""
        return tuple(moved_items(f.alternative.assign, self.base.alternative.assign,
                                 self.work))

    def comparisons(self, f: AlternativeFigures) -> list[Comparison]:
        """Per moved item ``i``: the options it touches, and their parts in ``A−i`` and in
        ``B+i`` (as variants of ``A``'s and the baseline's parts).

        Only the options the item touches differ from ``A``'s (or the baseline's)
        parts, so each comparison costs a few parts, not a whole alternative. Made
        once per alternative (``prefetch`` and ``moves`` both read them).
        """
        found = self._comparisons.get(f.alternative.name)
        if found is None:
            found = self._comparisons[f.alternative.name] = self._compare(f)
        return found

    def _compare(self, f: AlternativeFigures) -> list[Comparison]:
        return _comparisons(self.coster, f.alternative, self.base.alternative, self.work,
                            self.index, self.options)

    def _vector(self, variant: Variant) -> tuple[float, ...] | None:
        """The shares of a variant (memoised on the identity of the part it varies)."""
        o, vector, at, share = variant
        key = (o, id(vector), at, share)
        if key not in self._variants:
            self._variants[key] = _replace(vector, at, share, self.scenario.options[o],
                                           len(self.work))
        return self._variants[key]

    def prefetch(self, figures: Sequence[AlternativeFigures]) -> None:
        """Cost every comparison plan's new parts in one vectorised pass per option (those
        not already costed beside the full parts: ``Coster.prefetched``)."""
        wanted: dict[int, dict[tuple[int, int, int, float], Variant]] = {}
        for f in figures:
            for _, _, without, alone in self.comparisons(f):
                for variant in (*without, *alone):
                    o, vector, at, share = variant
                    key = (o, id(vector), at, share)
                    if key in self._lights:
                        continue
                    shares = self._vector(variant)
                    if shares is None:
                        self._lights[key] = None
                        continue
                    beside = self.coster.prefetched(o, shares, self.metric,
                                                    self.threshold_base)
                    if beside is not None:
                        self._lights[key] = beside
                    else:
                        wanted.setdefault(o, {})[key] = variant
        for o, parts in wanted.items():
            # Variants of one part share the sums before their item: grouped by part.
            groups: dict[int, list[tuple[int, int, int, float]]] = {}
            for key, variant in parts.items():
                groups.setdefault(id(variant[1]), []).append(key)
            keys = [k for group in groups.values() for k in group]
            hours = np.concatenate([self.coster.variant_hours(
                parts[group[0]][1], [(parts[k][2], parts[k][3]) for k in group])
                for group in groups.values()])
            rows = [self._vector(parts[k]) for k in keys]
            found = self.coster.light_rows(o, [r for r in rows if r is not None],
                                           self.metric, self.threshold_base, hours=hours)
            self._lights.update(zip(keys, found, strict=True))

    def _light(self, variant: Variant) -> Light | None:
        o, vector, at, share = variant
        key = (o, id(vector), at, share)
        if key not in self._lights:
            self._lights[key] = self.coster.light_part(o, self._vector(variant), self.metric,
                                                       self.threshold_base)
        return self._lights[key]

    def _parts_of(self, vectors: Sequence[tuple[float, ...] | None]) -> list[Light | None]:
        return [self.coster.light_part(o, v, self.metric, self.threshold_base)
                for o, v in enumerate(vectors)]

    def moves(self, f: AlternativeFigures) -> tuple[Move, ...]:
        """Each move of ``f`` judged on its own margin, and on its own against the baseline
        (a point run: the figures are floats)."""
        base_assign = self.base.alternative.assign
        assign = f.alternative.assign
        tol = tolerance(self.base_metric)
        out = []
        for w, *figures in self.move_figures(f):
            # Over trials, the result reports each figure's mean (as every other figure).
            inc, inc_required, alone, alone_required = (
                x if isinstance(x, float) else scalar(np.atleast_1d(x)) for x in figures)
            out.append(Move(work=w, from_=dict(base_assign[w]), to=dict(assign[w]),
                            incremental_savings=inc, incremental_required=inc_required,
                            standalone_savings=alone, standalone_required=alone_required,
                            clears=bool(clears_test(inc, inc_required, 0.0, tol))))
        return tuple(out)

    def move_figures(self, f: AlternativeFigures) -> list[MoveFigures]:
        """Per move of ``f``: its incremental savings and required savings (``A−i``
        against ``A``), and its standalone ones (``B+i`` against the baseline).

        The comparison plans need only their metric and each part's threshold amount
        (no stress tests, no flexibility): ``Coster.light_part``; only the parts the
        item touches change. Floats in a point run, ``(trials,)`` arrays in a run over
        trials: one code path for ``compare`` and the per-trial decision.
        """
        point = self.coster.v.trials == 1
        value: Any = scalar(self.value(f)) if point else self.value(f)
        base_value: Any = self.base_metric if point else self.value(self.base)
        mine = self._parts_of(self.coster.vectors(f.alternative.assign))
        theirs = self.base_light
        mine_amounts, their_amounts = _amounts(mine), _amounts(theirs)
        out = []
        for w, touched, without_variants, alone_variants in self.comparisons(f):
            without, alone = list(mine), list(theirs)
            without_amounts, alone_amounts = list(mine_amounts), list(their_amounts)
            for o, a, b in zip(touched, without_variants, alone_variants, strict=True):
                part, other = self._light(a), self._light(b)
                without[o], alone[o] = part, other
                without_amounts[o] = 0.0 if part is None else part[1]
                alone_amounts[o] = 0.0 if other is None else other[1]
            out.append((w, _total(without) - value,
                        self.min_savings * _avoidable(mine_amounts, without_amounts),
                        base_value - _total(alone),
                        self.min_savings * _avoidable(alone_amounts, their_amounts)))
        return out


def _comparisons(coster: Coster, alt: Alternative, base: Alternative, work: Sequence[str],
                 index: Mapping[str, int], options: Mapping[str, int]) -> list[Comparison]:
    """``Judge.comparisons`` of ``alt`` against the baseline ``base``: per moved item, the
    options it touches and their parts in ``A−i`` and in ``B+i`` (read from the
    assignments alone, so known before anything is costed)."""
    moved = moved_items(alt.assign, base.assign, work)
    if len(moved) < 2:
        return []
    mine = coster.vectors(alt.assign)
    theirs = coster.vectors(base.assign)
    base_assign = base.assign
    assign = alt.assign
    out = []
    for w in moved:
        at = index[w]
        touched = sorted({options[n] for n in assign[w]} | {options[n] for n in base_assign[w]})
        names = [coster.scenario.options[o].name for o in touched]
        without = [(o, mine[o], at, float(base_assign[w].get(n, 0.0)))
                   for o, n in zip(touched, names, strict=True)]
        alone = [(o, theirs[o], at, float(assign[w].get(n, 0.0)))
                 for o, n in zip(touched, names, strict=True)]
        out.append((w, touched, without, alone))
    return out


#: The most comparison parts costed beside the full ones (``_variant_rows``): past a few
#: dozen, a lean pass of their own costs less than their stress tests would.
BESIDE_ROWS = 128


def _variant_rows(coster: Coster, alts: Sequence[Alternative],
                  compared: dict[str, list[Comparison]]) -> dict[int, list[tuple[float, ...]]]:
    """Per option, the shares of every comparison part ``Judge.prefetch`` may cost (those
    of every alternative: the infeasible ones' cost a row each, not read); none when
    there are more than ``BESIDE_ROWS`` (a large scenario: the judge costs them lean).
    Each alternative's comparisons are kept in ``compared``, for the judge."""
    scenario = coster.scenario
    base = next(a for a in alts if a.name == scenario.baseline_name)
    work = [w.name for w in scenario.work]
    index = {w: i for i, w in enumerate(work)}
    options = {o.name: i for i, o in enumerate(scenario.options)}
    rows: dict[int, dict[tuple[float, ...], None]] = {}
    count = 0
    for alt in alts:
        if alt is base:
            continue
        found = compared[alt.name] = _comparisons(coster, alt, base, work, index, options)
        for _, _, without, alone in found:
            for o, vector, at, share in (*without, *alone):
                shares = _replace(vector, at, share, scenario.options[o], len(work))
                if shares is not None:
                    rows.setdefault(o, {})[shares] = None
                    count += 1
                    if count > BESIDE_ROWS:
                        return {}
    return {o: list(found) for o, found in rows.items()}


#: A move's figures: (work item, incremental savings, incremental required, standalone
#: savings, standalone required); floats in a point run, ``(trials,)`` arrays otherwise.
MoveFigures = tuple[str, Any, Any, Any, Any]


#: A part of a comparison plan: (option index, the part it varies, item, new share).
Variant = tuple[int, "tuple[float, ...] | None", int, float]
#: A moved item's comparison: (item, the options it touches, their parts in ``A−i``,
#: their parts in ``B+i``).
Comparison = tuple[str, list[int], list[Variant], list[Variant]]


def _total(parts: Sequence[Light | None]) -> Any:
    """The metric of an alternative: its parts' summed in file order from the first, as
    ``plans.combine`` sums them."""
    values = [p[0] for p in parts if p is not None]
    total = values[0]
    for x in values[1:]:
        total = total + x
    return total


def _amounts(parts: Sequence[Light | None]) -> list[Any]:
    return [0.0 if p is None else p[1] for p in parts]


def _replace(vector: tuple[float, ...] | None, at: int, share: float, option: AnyOption,
             items: int) -> tuple[float, ...] | None:
    """``vector`` with item ``at`` given ``share``; None when the option then has no part."""
    shares = list(vector) if vector is not None else [0.0] * items
    shares[at] = share
    if any(shares) or float(getattr(option, "existing_fte", 0.0)) > 0:
        return tuple(shares)
    return None


def _avoidable(alternative: Sequence[Any], baseline: Sequence[Any]) -> Any:
    """``plans.avoidable`` on floats (or per-trial arrays), in the same order: from zero,
    in file order."""
    total: Any = 0.0
    for a, b in zip(alternative, baseline, strict=True):
        gap = b - a
        total = total + (max(gap, 0.0) if isinstance(gap, float) else np.maximum(gap, 0.0))
    return total
