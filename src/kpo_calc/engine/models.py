"""One cost model per option kind, registered by ``model``: the only place the kinds differ.

Each model answers, for one option: its monthly lines given a demand path
(``(trials, months)``: the scenario's total demand, or the share of it a plan
gives the option), how it responds to an unforeseen drop or rise (notice lag,
unmet capacity), its lead and lag times, the cost to shed one FTE and to exit,
and the most specialised work it can serve. The rest of the engine looks the
model up in ``MODELS`` instead of testing the option's class.

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

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, Generic, TypeVar

import numpy as np

from kpo_calc.engine.costing import Costing, stressed_demand
from kpo_calc.engine.finance import months
from kpo_calc.engine.in_house import in_house_costs, monthly_salary, planned_headcount
from kpo_calc.engine.lines import lines_of
from kpo_calc.engine.outsourced import billed_hours, hourly_rate, outsourced_costs
from kpo_calc.engine.values import Array, Mask, Values
from kpo_calc.scenario import (
    InHouseOption,
    OutsourcedOption,
    Scenario,
    Specialization,
    StressTest,
)

AnyOption = InHouseOption | OutsourcedOption
OptionT = TypeVar("OptionT", InHouseOption, OutsourcedOption)


class CostModel(ABC, Generic[OptionT]):
    """What the engine needs to know about one kind of option.

    Every figure is an array with the trials axis first: ``(trials, months)``
    for monthly figures, ``(trials, 1)`` for one per trial.
    """

    def __init__(self, model: str) -> None:
        self.model = model
        #: the cost lines this kind books, in the order of the line table
        self.lines = lines_of(model)

    @abstractmethod
    def planned(self, option: OptionT, scenario: Scenario, demand: Array, v: Values) -> Costing:
        """Costs of serving ``demand`` (the hours this option is given) as planned."""

    @abstractmethod
    def stressed(self, option: OptionT, scenario: Scenario, planned: Array, test: StressTest,
                 v: Values) -> Costing:
        """Costs when ``test`` hits the planned demand without warning."""

    @abstractmethod
    def scale_up_lead_months(self, option: OptionT, v: Values) -> Array:
        """Months needed to add capacity."""

    @abstractmethod
    def scale_down_lag_months(self, option: OptionT, v: Values) -> Array:
        """Months before capacity (and its cost) can shrink."""

    @abstractmethod
    def cost_to_shed_fte(self, option: OptionT, scenario: Scenario, v: Values) -> Array:
        """The cost of giving up one FTE of capacity in month 1."""

    @abstractmethod
    def exit_cost(self, option: OptionT, planned: Costing, scenario: Scenario, v: Values) -> Array:
        """The cost of reversing the choice at the horizon."""

    @abstractmethod
    def max_specialization(self, option: OptionT) -> Specialization:
        """The most specialised work this option can serve."""

    def provider(self, option: OptionT) -> str | None:
        """Who does the work (third_party or captive), where it applies."""
        return None

    def location(self, option: OptionT) -> str | None:
        """Where the work is done (onshore, nearshore, offshore), where it applies."""
        return None

    def catching_up(self, option: OptionT, test: StressTest, horizon: int, v: Values) -> Mask:
        """Months after a rise in which only the planned capacity is available."""
        if test.demand_change <= 0:
            return np.zeros((v.trials, horizon), dtype=bool)
        m = months(horizon)
        lead = np.ceil(self.scale_up_lead_months(option, v) - 1e-9)
        return np.asarray((m >= test.from_month) & (m < test.from_month + lead))


class InHouseModel(CostModel[InHouseOption]):
    """Employees: headcount follows demand, hiring and severance at each step."""

    def planned(self, option: InHouseOption, scenario: Scenario, demand: Array,
                v: Values) -> Costing:
        hc = planned_headcount(option, demand, v(scenario.hours_per_fte_month))
        return Costing(in_house_costs(option, hc, scenario, v), hc > 0, np.zeros_like(demand),
                       hc)

    def stressed(self, option: InHouseOption, scenario: Scenario, planned: Array,
                 test: StressTest, v: Values) -> Costing:
        demand = stressed_demand(planned, test)
        catching_up = self.catching_up(option, test, scenario.horizon_months, v)
        hpf = v(scenario.hours_per_fte_month)
        planned_hc = planned_headcount(option, planned, hpf)
        needed_hc = planned_headcount(option, demand, hpf)
        # Staff are released at once; new ones arrive only after the lead time.
        hc = np.where(catching_up, np.minimum(needed_hc, planned_hc), needed_hc)
        unmet = np.where(catching_up, np.maximum(demand - planned_hc * hpf, 0.0), 0.0)
        return Costing(in_house_costs(option, hc, scenario, v), hc > 0, unmet, hc)

    def scale_up_lead_months(self, option: InHouseOption, v: Values) -> Array:
        return v(option.time_to_hire_months) + v(option.ramp_up_months)

    def scale_down_lag_months(self, option: InHouseOption, v: Values) -> Array:
        return np.zeros((v.trials, 1))

    def cost_to_shed_fte(self, option: InHouseOption, scenario: Scenario, v: Values) -> Array:
        return v(option.severance_months) * monthly_salary(option, scenario, v)[:, :1]

    def exit_cost(self, option: InHouseOption, planned: Costing, scenario: Scenario,
                  v: Values) -> Array:
        # Reversing an in-house choice means letting the final team go.
        salary = monthly_salary(option, scenario, v)
        return planned.activity[:, -1:] * v(option.severance_months) * salary[:, -1:]

    def max_specialization(self, option: InHouseOption) -> Specialization:
        return "high"


class OutsourcedModel(CostModel[OutsourcedOption]):
    """A KPO or BPO vendor: billed hours follow demand, with a minimum and a notice period."""

    def planned(self, option: OutsourcedOption, scenario: Scenario, demand: Array,
                v: Values) -> Costing:
        billed = billed_hours(option, demand, v)
        return Costing(outsourced_costs(option, billed, scenario, v), billed > 0,
                       np.zeros_like(demand), billed)

    def stressed(self, option: OutsourcedOption, scenario: Scenario, planned: Array,
                 test: StressTest, v: Values) -> Costing:
        demand = stressed_demand(planned, test)
        catching_up = self.catching_up(option, test, scenario.horizon_months, v)
        served = np.where(catching_up, np.minimum(demand, planned), demand)
        unmet = demand - served
        billed = billed_hours(option, served, v)
        if test.demand_change < 0:
            # Notice period: capacity cannot shrink for notice_months months.
            m = months(scenario.horizon_months)
            notice = (m >= test.from_month) & (m < test.from_month + option.notice_months)
            billed = np.where(notice, np.maximum(billed, billed_hours(option, planned, v)),
                              billed)
        return Costing(outsourced_costs(option, billed, scenario, v), billed > 0, unmet, billed)

    def scale_up_lead_months(self, option: OutsourcedOption, v: Values) -> Array:
        return v(option.ramp_up_weeks) * 12 / 52

    def scale_down_lag_months(self, option: OutsourcedOption, v: Values) -> Array:
        return np.full((v.trials, 1), float(option.notice_months))

    def cost_to_shed_fte(self, option: OutsourcedOption, scenario: Scenario,
                         v: Values) -> Array:
        rate = hourly_rate(option, scenario, v)
        return (option.notice_months * v(scenario.hours_per_fte_month) * rate[:, :1]
                / v(option.productivity))

    def exit_cost(self, option: OutsourcedOption, planned: Costing, scenario: Scenario,
                  v: Values) -> Array:
        return v(option.exit_cost) * np.ones((v.trials, 1))

    def max_specialization(self, option: OutsourcedOption) -> Specialization:
        return option.serves_up_to

    def provider(self, option: OutsourcedOption) -> str | None:
        return option.provider

    def location(self, option: OutsourcedOption) -> str | None:
        return option.location


#: The cost model of each ``model`` value of the scenario format.
MODELS: Mapping[str, CostModel[Any]] = {
    "in_house": InHouseModel("in_house"),
    "kpo": OutsourcedModel("kpo"),
    "bpo": OutsourcedModel("bpo"),
}


def cost_model(option: AnyOption) -> CostModel[Any]:
    """The cost model registered for ``option.model``."""
    return MODELS[option.model]
