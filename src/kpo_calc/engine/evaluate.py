"""Evaluate a scenario: cost every option, then compare them and decide."""

from __future__ import annotations

from dataclasses import replace

from kpo_calc.engine.decision import ExtraGates, gates, recommend, savings, scorecard
from kpo_calc.engine.demand import total_demand
from kpo_calc.engine.figures import scalar, summary
from kpo_calc.engine.finance import breakeven_month, discount_factors
from kpo_calc.engine.plans import cost_alternatives, moved_base, plan_scores, summarise_alternative
from kpo_calc.engine.results import OptionResult, ScenarioResult
from kpo_calc.engine.sanity import check_finite
from kpo_calc.engine.values import POINT_VALUES, Values
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
    # Every option alone (costed on the whole demand), then every plan (design 7).
    alternatives = cost_alternatives(scenario, demand, v, factors)
    results = [summarise_alternative(f) for f in alternatives]
    base_index = next(i for i, f in enumerate(alternatives)
                      if f.alternative.name == scenario.baseline_name)
    base_metric = results[base_index].metric(metric)
    base_monthly = summary(alternatives[base_index].combined.monthly)
    threshold_base = scenario.decision.threshold_base
    compared: list[OptionResult] = []
    for i, (result, f) in enumerate(zip(results, alternatives, strict=True)):
        amount, share = savings(base_metric, result.metric(metric))
        breakeven = None if i == base_index else breakeven_month(
            base_monthly, summary(f.combined.monthly))
        moved = None if i == base_index else moved_base(
            alternatives[base_index], f.alternative.assign, scenario, metric, threshold_base,
            factors, v)
        compared.append(replace(result, savings_vs_baseline=amount, savings_pct=share,
                                breakeven_month=breakeven, moved_base=moved))
    recommendation = recommend(compared, scenario.baseline_name, metric,
                               scenario.decision.min_savings, scenario.currency)
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
        scorecard=scorecard(scenario, compared, plan_scores(scenario, alternatives)),
        gates=gates(scenario, compared, recommendation, extra_gates),
        threshold_base=threshold_base,
    ))
