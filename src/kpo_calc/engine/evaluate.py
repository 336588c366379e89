"""Evaluate a scenario: cost every option and plan, judge each against the baseline, decide.

Methodology 3 (design section 11): an alternative's threshold base is the cost
it avoids, and each work item it moves must pay its way on its own margin:
the alternative without that move (``A−i``) is costed beside it, and so is
the baseline with only that move (the standalone figures the moves table
shows).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from kpo_calc.engine.decision import (
    ExtraGates,
    clears_test,
    gates,
    recommend,
    savings,
    scorecard,
    tolerance,
    whole_clears,
)
from kpo_calc.engine.demand import total_demand
from kpo_calc.engine.figures import scalar, summary
from kpo_calc.engine.finance import breakeven_month, discount_factors
from kpo_calc.engine.models import AnyOption
from kpo_calc.engine.plans import (
    AlternativeFigures,
    Coster,
    alternatives,
    avoidable,
    moved_items,
    part_metrics,
    plan_scores,
    summarise_alternative,
)
from kpo_calc.engine.results import Move, OptionResult, ScenarioResult
from kpo_calc.engine.sanity import check_finite
from kpo_calc.engine.values import POINT_VALUES, Array, Values
from kpo_calc.scenario import Scenario

__all__ = ["evaluate"]


def evaluate(scenario: Scenario, values: Values | None = None,
             extra_gates: ExtraGates | None = None) -> ScenarioResult:
    """Compare every option of ``scenario`` (one deterministic trial by default).

    ``extra_gates`` adds expectations from outside the file (the command line).
    """
    v = values or POINT_VALUES
    demand = total_demand(scenario, v)
    factors = discount_factors(v(scenario.discount_rate), scenario.horizon_months)
    metric = scenario.decision.metric
    coster = Coster(scenario, demand, v, factors)
    # Every option alone (costed on the whole demand), then every plan (design 7).
    figures = [coster.cost(alt) for alt in alternatives(scenario)]
    results = [summarise_alternative(f) for f in figures]
    base_index = next(i for i, f in enumerate(figures)
                      if f.alternative.name == scenario.baseline_name)
    judge = Judge(scenario, coster, figures[base_index], factors)
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
        judged = replace(result, savings_vs_baseline=amount, savings_pct=share,
                         breakeven_month=breakeven_month(base_monthly,
                                                         summary(f.combined.monthly)),
                         moved_base=moved_base,
                         required_savings=scenario.decision.min_savings * moved_base,
                         moved=judge.moved(f))
        if result.feasible and base_feasible and len(judged.moved) >= 2:
            judged = replace(judged, moves=judge.moves(f, judged.moved))
        compared.append(replace(judged, clears=whole_clears(
            judged, judge.base_metric, scenario.decision.min_savings,
            scenario.decision.min_savings_amount)
            and all(m.clears for m in judged.moves)))
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
        total_hours=scalar(demand.sum(axis=1)),
        options=tuple(compared),
        recommendation=recommendation,
        scorecard=scorecard(scenario, compared, plan_scores(scenario, figures)),
        gates=gates(scenario, compared, recommendation, extra_gates),
        threshold_base=scenario.decision.threshold_base,
        min_savings_amount=scenario.decision.min_savings_amount,
    ))


class Judge:
    """Methodology 3's measures of an alternative against the baseline."""

    def __init__(self, scenario: Scenario, coster: Coster, base: AlternativeFigures,
                 factors: Array) -> None:
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

    def value(self, f: AlternativeFigures) -> Array:
        """The decision metric of an alternative, per trial."""
        c = f.combined
        if self.metric == "total":
            return c.total_cost
        return c.npv if self.metric == "npv" else c.risk_adjusted_npv

    def parts(self, f: AlternativeFigures) -> list[Array]:
        """``M_X(o)`` for every option (the threshold amount of its part)."""
        return part_metrics(f, self.scenario.options, self.metric,
                            self.scenario.decision.threshold_base, self.factors)

    def avoided(self, f: AlternativeFigures) -> float:
        """``moved_base``: the cost the alternative avoids (methodology 3, point 1)."""
        return scalar(avoidable(self.parts(f), self.base_parts))

    def moved(self, f: AlternativeFigures) -> tuple[str, ...]:
        """The work items the alternative assigns differently from the baseline."""
        return tuple(moved_items(f.alternative.assign, self.base.alternative.assign,
                                 self.work))

    def comparisons(self, f: AlternativeFigures) -> list[
            tuple[str, list[tuple[float, ...] | None], list[tuple[float, ...] | None]]]:
        """Per moved item ``i``: the option vectors of ``A−i`` and of ``B+i``.

        Only the options the item touches differ from ``A``'s (or the baseline's)
        vectors, so each comparison costs a few parts, not a whole alternative.
        """
        moved = self.moved(f)
        if len(moved) < 2:
            return []
        mine = self.coster.vectors(f.alternative.assign)
        theirs = self.base_vectors
        index = {w: i for i, w in enumerate(self.work)}
        base_assign = self.base.alternative.assign
        assign = f.alternative.assign
        out = []
        for w in moved:
            at = index[w]
            without, alone = list(mine), list(theirs)
            for o, option in enumerate(self.scenario.options):
                name = option.name
                if name not in assign[w] and name not in base_assign[w]:
                    continue  # the item does not touch this option
                without[o] = _replace(mine[o], at, float(base_assign[w].get(name, 0.0)),
                                      option, len(self.work))
                alone[o] = _replace(theirs[o], at, float(assign[w].get(name, 0.0)),
                                    option, len(self.work))
            out.append((w, without, alone))
        return out

    def prefetch(self, figures: Sequence[AlternativeFigures]) -> None:
        """Cost every comparison plan's new parts in one vectorised pass per option."""
        parts = [(o, v) for f in figures for _, without, alone in self.comparisons(f)
                 for vectors in (without, alone) for o, v in enumerate(vectors)
                 if v is not None]
        self.coster.prefetch(parts, self.metric, self.threshold_base)

    def moves(self, f: AlternativeFigures, moved: Sequence[str]) -> tuple[Move, ...]:
        """Each move of ``f`` judged on its own margin, and on its own against the baseline.

        The comparison plans need only their metric and each part's threshold amount
        (no stress tests, no flexibility): ``Coster.light``.
        """
        base_assign = self.base.alternative.assign
        assign = f.alternative.assign
        value = scalar(self.value(f))
        parts = [scalar(p) for p in self.parts(f)]
        base_parts = [scalar(p) for p in self.base_parts]
        tol = tolerance(self.base_metric)
        out = []
        for w, without_vectors, alone_vectors in self.comparisons(f):
            without, without_parts = self.coster.light(without_vectors, self.metric,
                                                       self.threshold_base)
            alone, alone_parts = self.coster.light(alone_vectors, self.metric,
                                                   self.threshold_base)
            inc = without - value
            inc_required = self.min_savings * _avoidable(parts, without_parts)
            out.append(Move(
                work=w, from_=dict(base_assign[w]), to=dict(assign[w]),
                incremental_savings=inc, incremental_required=inc_required,
                standalone_savings=self.base_metric - alone,
                standalone_required=self.min_savings * _avoidable(alone_parts, base_parts),
                clears=bool(clears_test(inc, inc_required, 0.0, tol))))
        return tuple(out)


def _replace(vector: tuple[float, ...] | None, at: int, share: float, option: AnyOption,
             items: int) -> tuple[float, ...] | None:
    """``vector`` with item ``at`` given ``share``; None when the option then has no part."""
    shares = list(vector) if vector is not None else [0.0] * items
    shares[at] = share
    if any(shares) or float(getattr(option, "existing_fte", 0.0)) > 0:
        return tuple(shares)
    return None


def _avoidable(alternative: Sequence[float], baseline: Sequence[float]) -> float:
    """``plans.avoidable`` on floats, in the same order: from zero, in file order."""
    total = 0.0
    for a, b in zip(alternative, baseline, strict=True):
        total = total + max(b - a, 0.0)
    return total
