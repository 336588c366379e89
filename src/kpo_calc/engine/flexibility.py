"""Flexibility: lead and lag times, the cost of shedding capacity, and stress tests."""

from __future__ import annotations

from kpo_calc.engine.costing import (
    AnyOption,
    Costing,
    scale_up_lead_months,
    stressed_costing,
)
from kpo_calc.engine.finance import npv
from kpo_calc.engine.in_house import monthly_salary
from kpo_calc.engine.outsourced import hourly_rate
from kpo_calc.engine.results import Flexibility, StressResult
from kpo_calc.engine.values import Array, Values
from kpo_calc.scenario import InHouseOption, Scenario


def flexibility(option: AnyOption, planned: Costing, scenario: Scenario, demand: Array,
                factors: Array, v: Values) -> Flexibility:
    """Lead and lag times, cost to shed one FTE, exit cost and every stress test."""
    hpf = v(scenario.hours_per_fte_month)
    if isinstance(option, InHouseOption):
        salary = monthly_salary(option, scenario, v)
        lag = 0.0
        shed = float((v(option.severance_months) * salary[:, :1])[0, 0])
        # Reversing an in-house choice means letting the final team go.
        exit_cost = float((planned.activity[:, -1:] * v(option.severance_months)
                           * salary[:, -1:])[0, 0])
    else:
        rate = hourly_rate(option, scenario, v)
        lag = float(option.notice_months)
        shed = float((option.notice_months * hpf * rate[:, :1] / v(option.productivity))[0, 0])
        exit_cost = float(v(option.exit_cost)[0, 0])
    planned_total = float(planned.total.sum())
    stress = tuple(
        _stress_result(option, scenario, demand, test_index, planned_total, factors, v)
        for test_index in range(len(scenario.stress)))
    return Flexibility(
        scale_up_lead_months=float(scale_up_lead_months(option, v)[0, 0]),
        scale_down_lag_months=lag,
        cost_to_shed_fte=shed,
        exit_cost=exit_cost,
        stress=stress,
    )


def _stress_result(option: AnyOption, scenario: Scenario, demand: Array, index: int,
                   planned_total: float, factors: Array, v: Values) -> StressResult:
    test = scenario.stress[index]
    costing = stressed_costing(option, scenario, demand, test, v)
    unmet_price = v(scenario.unmet_hour_cost or 0.0)
    monthly = costing.total + costing.unmet_hours * unmet_price
    total = float(monthly.sum())
    unmet_hours = float(costing.unmet_hours.sum())
    return StressResult(
        name=test.name,
        total_cost=total,
        npv=float(npv(monthly, factors)[0]),
        delta_vs_base=total - planned_total,
        unmet_hours=unmet_hours,
        unmet_cost=float((costing.unmet_hours * unmet_price).sum()),
    )
