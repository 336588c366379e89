"""Evaluate a scenario: cost every option, then compare them and decide."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from kpo_calc.engine.costing import AnyOption, Costing, planned_costing
from kpo_calc.engine.decision import ExtraGates, gates, recommend, savings, scorecard
from kpo_calc.engine.demand import total_demand
from kpo_calc.engine.finance import breakeven_month, discount_factors, npv
from kpo_calc.engine.flexibility import flexibility
from kpo_calc.engine.in_house import IN_HOUSE_LINES
from kpo_calc.engine.outsourced import OUTSOURCED_LINES
from kpo_calc.engine.results import OptionResult, ScenarioResult
from kpo_calc.engine.sanity import check_finite
from kpo_calc.engine.values import POINT_VALUES, Array, Values
from kpo_calc.scenario import InHouseOption, Scenario, option_specialization_gap

ONE_TIME_LINES = frozenset({"hiring", "severance", "vendor_selection", "transition"})
LINE_NAMES = IN_HOUSE_LINES + OUTSOURCED_LINES


def evaluate(scenario: Scenario, values: Values | None = None,
             extra_gates: ExtraGates | None = None) -> ScenarioResult:
    """Compare every option of ``scenario`` (one deterministic trial by default).

    ``extra_gates`` adds expectations from outside the file (the command line).
    """
    v = values or POINT_VALUES
    demand = total_demand(scenario, v)
    factors = discount_factors(v(scenario.discount_rate), scenario.horizon_months)
    total_hours = float(demand[0].sum())
    metric = scenario.decision.metric
    costings = [planned_costing(o, scenario, demand, v) for o in scenario.options]
    results = [
        _option_result(o, c, scenario, demand, factors, total_hours, v)
        for o, c in zip(scenario.options, costings, strict=True)
    ]
    base_index = next(i for i, o in enumerate(scenario.options)
                      if o.name == scenario.baseline_name)
    base_metric = results[base_index].metric(metric)
    base_monthly = costings[base_index].total[0]
    compared: list[OptionResult] = []
    for i, (result, costing) in enumerate(zip(results, costings, strict=True)):
        amount, share = savings(base_metric, result.metric(metric))
        breakeven = None if i == base_index else breakeven_month(base_monthly,
                                                                 costing.total[0])
        compared.append(replace(result, savings_vs_baseline=amount, savings_pct=share,
                                breakeven_month=breakeven))
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
        total_hours=total_hours,
        options=tuple(compared),
        recommendation=recommendation,
        scorecard=scorecard(scenario, compared),
        gates=gates(scenario, compared, recommendation, extra_gates),
    ))


def _option_result(option: AnyOption, costing: Costing, scenario: Scenario, demand: Array,
                   factors: Array, total_hours: float, v: Values) -> OptionResult:
    names = IN_HOUSE_LINES if isinstance(option, InHouseOption) else OUTSOURCED_LINES
    lines = {name: float(costing.lines[name][0].sum()) for name in names}
    monthly = costing.total
    one_time = sum(amount for name, amount in lines.items() if name in ONE_TIME_LINES)
    total = float(monthly[0].sum())
    # Expected losses accrue while the option is in use (it holds the work).
    annual_loss = sum((v(r.annual_probability) * v(r.impact) for r in option.risks),
                      start=np.zeros((v.trials, 1)))
    risk_monthly = np.where(costing.active, annual_loss / 12, 0.0)
    risk_cost = float(risk_monthly[0].sum())
    present = float(npv(monthly, factors)[0])
    reasons = tuple(option_specialization_gap(option, list(scenario.work)))
    return OptionResult(
        name=option.name,
        model=option.model,
        provider=None if isinstance(option, InHouseOption) else option.provider,
        location=None if isinstance(option, InHouseOption) else option.location,
        feasible=not reasons,
        infeasible_reasons=reasons,
        one_time_cost=one_time,
        recurring_cost=total - one_time,
        total_cost=total,
        npv=present,
        risk_cost=risk_cost,
        risk_adjusted_total=total + risk_cost,
        risk_adjusted_npv=present + float(npv(risk_monthly, factors)[0]),
        cost_per_hour=total / total_hours if total_hours else 0.0,
        savings_vs_baseline=0.0,
        savings_pct=0.0,
        breakeven_month=None,
        lines=lines,
        monthly=tuple(float(x) for x in monthly[0]),
        flexibility=flexibility(option, costing, scenario, demand, factors, v),
    )
