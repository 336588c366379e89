"""Contract staff booked by the hour (methodology 3, point 5).

From month ``L = 1 + ceil(lead_months)``: billed hours
``B_m = D_m / productivity · (1 + rework_rate)``, line ``contractor_fees =
B_m · R_m`` (``R_m`` as a vendor's rate: ``hourly_rate · fx_m ·
esc(rate_escalation, m)``); people ``p_m = ceil(B_m / hours_per_fte_month)``,
line ``onboarding = max(0, p_m − p_{m−1}) · onboarding_cost_per_person · fx_m``.
Before ``L`` the demand is unmet. No benefits, severance, taxes, selection or
transition: the agency's margin is in the rate.
"""

from __future__ import annotations

import numpy as np

from kpo_calc.engine.demand import hours_per_fte
from kpo_calc.engine.finance import months
from kpo_calc.engine.fx import fx_path
from kpo_calc.engine.in_house import HEADCOUNT_TOLERANCE
from kpo_calc.engine.lines import Drivers
from kpo_calc.engine.outsourced import hourly_rate
from kpo_calc.engine.values import Array, Values
from kpo_calc.scenario import ContractorOption, Scenario, StressTest


def start_month(option: ContractorOption, v: Values) -> Array:
    """``L = 1 + ceil(lead_months)``: the first month contractors can work."""
    return 1 + np.ceil(v(option, "lead_months") - HEADCOUNT_TOLERANCE)


def contractor_served(option: ContractorOption, demand: Array, v: Values) -> tuple[Array, Array]:
    """The hours served and the hours unmet: nothing before ``L``."""
    early = months(demand.shape[1]) < start_month(option, v)
    served = np.where(early, 0.0, demand)
    return served, demand - served


def contractor_billed(option: ContractorOption, served: Array, v: Values) -> Array:
    """``B_m = D_m / productivity · (1 + rework_rate)`` for the hours served."""
    return np.asarray(served / v(option, "productivity") * (1 + v(option, "rework_rate")))


def contractor_costs(option: ContractorOption, billed: Array, scenario: Scenario, v: Values,
                     shock: StressTest | None = None) -> Drivers:
    """The drivers of buying ``billed`` contract hours a month (the people they take,
    whole heads, and those brought in): the lines' formulas read them."""
    people = np.maximum(np.ceil(billed / hours_per_fte(option, scenario, v)
                                - HEADCOUNT_TOLERANCE), 0.0)
    return {
        "billed": billed,
        "rate": hourly_rate(option, scenario, v, shock),
        "people": people,
        "people_before": np.concatenate([np.zeros((people.shape[0], 1)), people[:, :-1]],
                                        axis=1),
        "onboarding_cost_per_person": v(option, "onboarding_cost_per_person"),
        "fx": fx_path(scenario, option.currency, v, shock),
    }
