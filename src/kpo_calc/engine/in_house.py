"""In-house costs: salaries, benefits, overhead, training, hiring, attrition, severance."""

from __future__ import annotations

import numpy as np

from kpo_calc.engine.finance import escalation, months
from kpo_calc.engine.fx import fx_path
from kpo_calc.engine.lines import lines_of
from kpo_calc.engine.values import Array, Values
from kpo_calc.scenario import InHouseOption, Scenario

#: Demand of 3.0000000001 FTE still needs 3 people, not 4 (float noise from growth).
HEADCOUNT_TOLERANCE = 1e-9

IN_HOUSE_LINES = lines_of("in_house")


def planned_headcount(option: InHouseOption, demand: Array, hours_per_fte_month: Array) -> Array:
    """``hc_m = ceil(D_m / hours_per_fte_month)``, or the exact FTE when part time is allowed."""
    fte = demand / hours_per_fte_month
    if option.part_time_allowed:
        return fte
    return np.maximum(np.ceil(fte - HEADCOUNT_TOLERANCE), 0.0)


def lead_time_cap(option: InHouseOption, demand: Array, needed: Array,
                  hours_per_fte_month: Array, v: Values) -> tuple[Array, Array]:
    """Headcount that can be employed, and the hours left unmet (methodology 2, point 1).

    New staff start from month ``L = 1 + ceil(time_to_hire_months)``; before
    it the headcount is at most ``existing_fte`` (releases happen at once).
    ``needed`` is the headcount the demand calls for; returns ``(hc, unmet)``.
    """
    lead = 1 + np.ceil(v(option.time_to_hire_months) - HEADCOUNT_TOLERANCE)
    early = months(demand.shape[1]) < lead
    hc = np.where(early, np.minimum(needed, v(option.existing_fte)), needed)
    unmet = np.where(hc < needed, np.maximum(demand - hc * hours_per_fte_month, 0.0), 0.0)
    return hc, unmet


def monthly_salary(option: InHouseOption, scenario: Scenario, v: Values) -> Array:
    """``s_m = annual_salary / 12 * esc(salary_growth, m) * fx_m`` in the scenario currency."""
    fx = fx_path(scenario, option.currency, v)
    return v(option.annual_salary) * fx / 12 * escalation(v(option.salary_growth),
                                                          scenario.horizon_months)


def in_house_costs(option: InHouseOption, headcount: Array, scenario: Scenario,
                   v: Values) -> dict[str, Array]:
    """Cost lines of employing ``headcount`` people in each month, each ``(trials, horizon)``."""
    h = scenario.horizon_months
    fx = fx_path(scenario, option.currency, v)
    growth = escalation(v(option.salary_growth), h)
    salary = monthly_salary(option, scenario, v)
    benefits_rate = v(option.benefits_rate)

    previous = np.concatenate(
        [np.broadcast_to(v(option.existing_fte), (headcount.shape[0], 1)), headcount[:, :-1]],
        axis=1)
    hires = np.maximum(headcount - previous, 0.0)
    releases = np.maximum(previous - headcount, 0.0)
    leavers = headcount * v(option.attrition_rate) / 12
    # The cost of bringing one person in: recruiting, onboarding, and half the
    # loaded pay of the ramp-up months (productivity rises linearly to full).
    per_hire = ((v(option.recruiting_cost_per_hire) + v(option.training_cost_per_hire)) * fx
                + 0.5 * v(option.ramp_up_months) * salary * (1 + benefits_rate))

    salaries = headcount * salary
    return {
        "salaries": salaries,
        "benefits": salaries * benefits_rate,
        "overhead": headcount * v(option.overhead_per_fte_year) * fx / 12 * growth,
        "training": headcount * v(option.annual_training_per_fte) * fx / 12 * growth,
        "hiring": hires * per_hire,
        "attrition": leavers * per_hire,
        "severance": releases * v(option.severance_months) * salary,
    }
