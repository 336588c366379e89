"""One option's monthly costs under a demand path, planned or hit by an unforeseen shock.

The shock rules (design section 4, flexibility): demand is multiplied by
``1 + demand_change`` from ``from_month`` on, and nobody saw it coming.

* After a drop an outsourced option keeps billing at least its planned hours
  for ``notice_months`` months; in-house releases staff at once and pays
  severance.
* After a rise, for ``ceil(scale_up_lead_months)`` months an option serves at
  most what its plan could serve (in-house: planned headcount times
  hours_per_fte_month; outsourced: planned demand). The rest is unmet.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from kpo_calc.engine.finance import months
from kpo_calc.engine.in_house import in_house_costs, planned_headcount
from kpo_calc.engine.outsourced import billed_hours, outsourced_costs
from kpo_calc.engine.values import Array, Mask, Values
from kpo_calc.scenario import InHouseOption, OutsourcedOption, Scenario, StressTest

AnyOption = InHouseOption | OutsourcedOption


@dataclass(frozen=True)
class Costing:
    """Cost lines and activity of one option, each ``(trials, horizon)``."""

    lines: dict[str, Array]
    #: months in which the option is in use: staff employed or hours billed
    active: Mask
    #: hours of demand that could not be served in time (stress tests only)
    unmet_hours: Array
    #: headcount (in-house) or billed hours (outsourced) in each month
    activity: Array

    @cached_property
    def total(self) -> Array:
        """The sum of all lines in each month (computed once: several results need it)."""
        return np.asarray(sum(self.lines.values()), dtype=np.float64)


def scale_up_lead_months(option: AnyOption, v: Values) -> Array:
    """Months needed to add capacity: hire and ramp up, or the vendor's lead time."""
    if isinstance(option, InHouseOption):
        return v(option.time_to_hire_months) + v(option.ramp_up_months)
    return v(option.ramp_up_weeks) * 12 / 52


def planned_costing(option: AnyOption, scenario: Scenario, demand: Array, v: Values) -> Costing:
    """Costs when the demand is what was planned."""
    no_unmet = np.zeros_like(demand)
    if isinstance(option, InHouseOption):
        hc = planned_headcount(option, demand, v(scenario.hours_per_fte_month))
        return Costing(in_house_costs(option, hc, scenario, v), hc > 0, no_unmet, hc)
    billed = billed_hours(option, demand, v)
    return Costing(outsourced_costs(option, billed, scenario, v), billed > 0, no_unmet, billed)


def stressed_demand(demand: Array, test: StressTest) -> Array:
    """Demand multiplied by ``1 + demand_change`` from ``from_month`` on."""
    factor = np.where(months(demand.shape[1]) >= test.from_month, 1 + test.demand_change, 1.0)
    return demand * factor


def stressed_costing(option: AnyOption, scenario: Scenario, planned: Array, test: StressTest,
                     v: Values) -> Costing:
    """Costs when ``test`` hits the planned demand without warning."""
    demand = stressed_demand(planned, test)
    m = months(scenario.horizon_months)
    after = m >= test.from_month
    lead = np.ceil(scale_up_lead_months(option, v) - 1e-9)
    # Before the lead time has passed only the planned capacity is available.
    catching_up = after & (m < test.from_month + lead) if test.demand_change > 0 else (
        np.zeros_like(demand, dtype=bool))
    hpf = v(scenario.hours_per_fte_month)
    if isinstance(option, InHouseOption):
        planned_hc = planned_headcount(option, planned, hpf)
        hc = np.where(catching_up, np.minimum(planned_headcount(option, demand, hpf), planned_hc),
                      planned_headcount(option, demand, hpf))
        unmet = np.where(catching_up, np.maximum(demand - planned_hc * hpf, 0.0), 0.0)
        return Costing(in_house_costs(option, hc, scenario, v), hc > 0, unmet, hc)
    served = np.where(catching_up, np.minimum(demand, planned), demand)
    unmet = demand - served
    billed = billed_hours(option, served, v)
    if test.demand_change < 0:
        # Notice period: capacity cannot shrink for notice_months months.
        notice = after & (m < test.from_month + option.notice_months)
        billed = np.where(notice, np.maximum(billed, billed_hours(option, planned, v)), billed)
    return Costing(outsourced_costs(option, billed, scenario, v), billed > 0, unmet, billed)
