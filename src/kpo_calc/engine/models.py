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

Methodology 3 adds contract staff (``ContractorModel``), stress tests that hit
some work items only (``affected``: the part of the option's demand the test
changes) or an exchange rate (``shock``), and named other costs of any option.

Methodology 2 (design section 8, point 1): in-house hires start only from
month ``1 + ceil(time_to_hire_months)``, in the plan as in every stress test;
the demand above the staff available before then is unmet. Every kind books
unmet hours as the line ``unmet_work`` at ``unmet_hour_cost`` (0 when unset).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar

import numpy as np

from kpo_calc.engine.contractor import (
    contractor_billed,
    contractor_costs,
    contractor_served,
)
from kpo_calc.engine.costing import Costing, stressed_demand
from kpo_calc.engine.demand import hours_per_fte
from kpo_calc.engine.finance import months
from kpo_calc.engine.in_house import (
    in_house_costs,
    lead_time_cap,
    monthly_salary,
    planned_headcount,
    releases_owed_severance,
)
from kpo_calc.engine.lines import OTHER_LINES, Drivers, book, lines_of
from kpo_calc.engine.other_costs import other_cost_lines
from kpo_calc.engine.outsourced import billed_hours, hourly_rate, outsourced_costs
from kpo_calc.engine.values import Array, Mask, Values, derived
from kpo_calc.scenario import (
    AnyOption,
    ContractorOption,
    InHouseOption,
    OutsourcedOption,
    Scenario,
    Specialization,
    StressTest,
)

OptionT = TypeVar("OptionT", InHouseOption, OutsourcedOption, ContractorOption)


class CostModel(ABC, Generic[OptionT]):
    """What the engine needs to know about one kind of option.

    Every figure is an array with the trials axis first: ``(trials, months)``
    for monthly figures, ``(trials, 1)`` for one per trial.
    """

    def __init__(self, model: str) -> None:
        self.model = model
        #: the cost lines this kind books, in the order of the line table
        self.lines = lines_of(model)
        self._plain_lines = tuple(n for n in self.lines if n not in OTHER_LINES)

    def lines_for(self, option: OptionT) -> tuple[str, ...]:
        """The lines ``option`` books: its kind's, with other costs only when it has some."""
        return self.lines if option.other_costs else self._plain_lines

    @abstractmethod
    def planned(self, option: OptionT, scenario: Scenario, demand: Array, v: Values) -> Costing:
        """Costs of serving ``demand`` (the hours this option is given) as planned."""

    def stressed(self, option: OptionT, scenario: Scenario, planned: Array, test: StressTest,
                 v: Values, affected: Array | None = None) -> Costing:
        """Costs when ``test`` hits the planned demand without warning.

        ``affected`` is the part of ``planned`` that the test changes (the work
        items it names); None means all of it.
        """
        return self.shocked(option, scenario, planned, self.kept_capacity(option, scenario,
                                                                          planned, v),
                            stressed_demand(planned, test, affected),
                            self.catching_up(option, scenario, test, v),
                            self.notice(option, scenario, test), v, test)

    def stressed_together(self, option: OptionT, scenario: Scenario, planned: Array,
                          tests: Sequence[StressTest], v: Values,
                          affected: Sequence[Array | None]) -> Costing:
        """``stressed`` for each of ``tests`` (none of which moves an exchange rate), as one
        costing whose rows are test 0's rows of ``planned``, then test 1's, and so on.

        A point run only (rows stand for trials). Each row's numbers are those of
        ``stressed`` for its test: every step of a cost model works within a row, and a
        test's month masks are merely broadcast to its rows.
        """
        rows, count = planned.shape[0], len(tests)
        demand = np.concatenate([stressed_demand(planned, test, part)
                                 for test, part in zip(tests, affected, strict=True)])
        # The planned capacity works within a row: that of ``planned`` (kept when it was
        # costed as planned), repeated for each test, is that of the repeated rows.
        capacity = self.kept_capacity(option, scenario, planned, v)
        return self.shocked(
            option, scenario, np.concatenate([planned] * count),
            np.concatenate([capacity] * count), demand,
            _stacked([self.catching_up(option, scenario, test, v) for test in tests], rows),
            _stacked([self.notice(option, scenario, test) for test in tests], rows), v)

    @abstractmethod
    def shocked(self, option: OptionT, scenario: Scenario, planned: Array, capacity: Array,
                demand: Array, catching_up: Mask, notice: Mask, v: Values,
                shock: StressTest | None = None) -> Costing:
        """The costs of ``stressed`` once its test is read as month masks: ``capacity``
        the planned capacity (``capacity`` of ``planned``), ``demand`` the stressed
        demand, ``catching_up`` the months after a rise served at the planned capacity,
        ``notice`` the months after a drop billed at least as planned; ``shock`` the test
        itself where it moves an exchange rate."""

    @abstractmethod
    def capacity(self, option: OptionT, scenario: Scenario, planned: Array,
                 v: Values) -> Array:
        """What the option plans for ``planned`` that a stress test holds it to: the
        headcount (in-house) or the billed hours (vendors, contract staff)."""

    def kept_capacity(self, option: OptionT, scenario: Scenario, planned: Array,
                      v: Values, found: Array | None = None) -> Array:
        """``capacity`` of ``planned``, made once per reading (``planned`` costs it on the
        way, as ``found``, and the stress tests of the same demand read it). A point run's
        only: a run over trials keeps no arrays of (trials, months) beyond their use."""
        if v.trials != 1:
            return found if found is not None else self.capacity(option, scenario, planned, v)
        return derived(v, "capacity", (option, scenario, planned),
                       (lambda: found) if found is not None
                       else lambda: self.capacity(option, scenario, planned, v))

    def notice_months(self, option: OptionT) -> int:
        """Months of notice before billed capacity can shrink (0: none)."""
        return 0

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

    def costing(self, option: OptionT, lines: Drivers, demand: Array, active: Mask,
                unmet: Array, activity: Array, scenario: Scenario, v: Values,
                shock: StressTest | None = None) -> Costing:
        """A ``Costing``: every line of the option booked by its formula (in table order)
        from ``lines``, the drivers its cost function worked out, with the unmet hours
        and the other costs. ``demand`` is the demand the option holds (other costs
        follow it)."""
        drivers = {**lines, "unmet": unmet, "unmet_hour_cost": v(scenario, "unmet_hour_cost")}
        if option.other_costs:
            drivers.update(other_cost_lines(option.other_costs, demand, scenario, v, shock))
        return Costing(book(self.lines_for(option), drivers), active, unmet, activity,
                       drivers)

    def provider(self, option: OptionT) -> str | None:
        """Who does the work (third_party or captive), where it applies."""
        return None

    def location(self, option: OptionT) -> str | None:
        """Where the work is done (onshore, nearshore, offshore), where it applies."""
        return None

    def catching_up(self, option: OptionT, scenario: Scenario, test: StressTest,
                    v: Values) -> Mask:
        """Months after a rise in which only the planned capacity is available."""
        horizon = scenario.horizon_months
        if test.demand_change <= 0:
            return _no_months(horizon)
        m = months(horizon)
        lead = np.ceil(self.scale_up_lead_months(option, v) - 1e-9)
        return np.asarray((m >= test.from_month) & (m < test.from_month + lead))

    def notice(self, option: OptionT, scenario: Scenario, test: StressTest) -> Mask:
        """Months after a drop in which billed hours cannot shrink yet (read-only)."""
        notice_months = self.notice_months(option)
        if test.demand_change >= 0 or notice_months <= 0:
            return _no_months(scenario.horizon_months)
        m = months(scenario.horizon_months)
        found = np.asarray((m >= test.from_month) & (m < test.from_month + notice_months))
        return found[None]


def _stacked(masks: list[Mask], rows: int) -> Mask:
    """Each test's month mask, ``(1, horizon)``, repeated for its ``rows`` rows, in order."""
    whole = np.concatenate(masks)
    return whole if rows == 1 else whole.repeat(rows, axis=0)


#: No month of notice (in-house staff are released at once).
_NO_NOTICE = np.zeros((1, 1), dtype=bool)
_NO_NOTICE.flags.writeable = False
#: No month, by horizon (read-only, shared).
_NONE_BY_HORIZON: dict[int, Mask] = {}


def _no_months(horizon: int) -> Mask:
    found = _NONE_BY_HORIZON.get(horizon)
    if found is None:
        found = np.zeros((1, horizon), dtype=bool)
        found.flags.writeable = False
        _NONE_BY_HORIZON[horizon] = found  # at most 600 horizons (the format's limit)
    return found


class InHouseModel(CostModel[InHouseOption]):
    """Employees: headcount follows demand, hiring and severance at each step."""

    def planned(self, option: InHouseOption, scenario: Scenario, demand: Array,
                v: Values) -> Costing:
        hpf = hours_per_fte(option, scenario, v)
        hc, unmet = lead_time_cap(option, demand, planned_headcount(option, demand, hpf), hpf, v)
        hc = self.kept_capacity(option, scenario, demand, v, hc)
        return self.costing(option, in_house_costs(option, hc, scenario, v), demand, hc > 0,
                            unmet, hc, scenario, v)

    def capacity(self, option: InHouseOption, scenario: Scenario, planned: Array,
                 v: Values) -> Array:
        hpf = hours_per_fte(option, scenario, v)
        hc, _ = lead_time_cap(option, planned, planned_headcount(option, planned, hpf), hpf, v)
        return hc

    def stressed(self, option: InHouseOption, scenario: Scenario, planned: Array,
                 test: StressTest, v: Values, affected: Array | None = None) -> Costing:
        return self.shocked(option, scenario, planned,
                            self.kept_capacity(option, scenario, planned, v),
                            stressed_demand(planned, test, affected),
                            self.catching_up(option, scenario, test, v), _NO_NOTICE, v, test)

    def shocked(self, option: InHouseOption, scenario: Scenario, planned: Array,
                capacity: Array, demand: Array, catching_up: Mask, notice: Mask, v: Values,
                shock: StressTest | None = None) -> Costing:
        hpf = hours_per_fte(option, scenario, v)
        planned_hc = capacity
        needed_hc = planned_headcount(option, demand, hpf)
        available, _ = lead_time_cap(option, demand, needed_hc, hpf, v)
        # Staff are released at once; new ones arrive only after the lead time.
        hc = np.where(catching_up, np.minimum(available, planned_hc), available)
        unmet = np.where(hc < needed_hc, np.maximum(demand - hc * hpf, 0.0), 0.0)
        return self.costing(option, in_house_costs(option, hc, scenario, v, shock), demand,
                            hc > 0, unmet, hc, scenario, v, shock)

    def scale_up_lead_months(self, option: InHouseOption, v: Values) -> Array:
        return v(option, "time_to_hire_months") + v(option, "ramp_up_months")

    def scale_down_lag_months(self, option: InHouseOption, v: Values) -> Array:
        return np.zeros((1, 1))

    def cost_to_shed_fte(self, option: InHouseOption, scenario: Scenario, v: Values) -> Array:
        return v(option, "severance_months") * monthly_salary(option, scenario, v)[:, :1]

    def exit_cost(self, option: InHouseOption, planned: Costing, scenario: Scenario,
                  v: Values) -> Array:
        # Reversing an in-house choice means letting the final team go: those owed
        # severance by then (all of them without a minimum tenure).
        salary = monthly_salary(option, scenario, v)
        _, final = releases_owed_severance(planned.activity, v(option, "existing_fte"),
                                           option.severance_min_tenure_months)
        return final * v(option, "severance_months") * salary[:, -1:]

    def max_specialization(self, option: InHouseOption) -> Specialization:
        return "high"


class OutsourcedModel(CostModel[OutsourcedOption]):
    """A KPO or BPO vendor: billed hours follow demand, with a minimum and a notice period."""

    def planned(self, option: OutsourcedOption, scenario: Scenario, demand: Array,
                v: Values) -> Costing:
        billed = self.kept_capacity(option, scenario, demand, v,
                                    billed_hours(option, demand, v))
        return self.costing(option, outsourced_costs(option, billed, scenario, v), demand,
                            billed > 0, np.zeros_like(demand), billed, scenario, v)

    def capacity(self, option: OutsourcedOption, scenario: Scenario, planned: Array,
                 v: Values) -> Array:
        return billed_hours(option, planned, v)

    def shocked(self, option: OutsourcedOption, scenario: Scenario, planned: Array,
                capacity: Array, demand: Array, catching_up: Mask, notice: Mask, v: Values,
                shock: StressTest | None = None) -> Costing:
        served = np.where(catching_up, np.minimum(demand, planned), demand)
        unmet = demand - served
        billed = billed_hours(option, served, v)
        # Notice period: capacity cannot shrink for notice_months months.
        if notice.any():
            billed = np.where(notice, np.maximum(billed, capacity), billed)
        return self.costing(option, outsourced_costs(option, billed, scenario, v, shock), demand,
                            billed > 0, unmet, billed, scenario, v, shock)

    def scale_up_lead_months(self, option: OutsourcedOption, v: Values) -> Array:
        return v(option, "ramp_up_weeks") * 12 / 52

    def scale_down_lag_months(self, option: OutsourcedOption, v: Values) -> Array:
        return np.full((1, 1), float(option.notice_months))

    def notice_months(self, option: OutsourcedOption) -> int:
        return option.notice_months

    def cost_to_shed_fte(self, option: OutsourcedOption, scenario: Scenario,
                         v: Values) -> Array:
        rate = hourly_rate(option, scenario, v)
        return (option.notice_months * v(scenario, "hours_per_fte_month") * rate[:, :1]
                / v(option, "productivity"))

    def exit_cost(self, option: OutsourcedOption, planned: Costing, scenario: Scenario,
                  v: Values) -> Array:
        return v(option, "exit_cost")

    def max_specialization(self, option: OutsourcedOption) -> Specialization:
        return option.serves_up_to

    def provider(self, option: OutsourcedOption) -> str | None:
        return option.provider

    def location(self, option: OutsourcedOption) -> str | None:
        return option.location


class ContractorModel(CostModel[ContractorOption]):
    """Contract staff by the hour: a lead time, a notice period, onboarding per person."""

    def planned(self, option: ContractorOption, scenario: Scenario, demand: Array,
                v: Values) -> Costing:
        served, unmet = contractor_served(option, demand, v)
        billed = self.kept_capacity(option, scenario, demand, v,
                                    contractor_billed(option, served, v))
        return self.costing(option, contractor_costs(option, billed, scenario, v), demand,
                            billed > 0, unmet, billed, scenario, v)

    def capacity(self, option: ContractorOption, scenario: Scenario, planned: Array,
                 v: Values) -> Array:
        return contractor_billed(option, contractor_served(option, planned, v)[0], v)

    def shocked(self, option: ContractorOption, scenario: Scenario, planned: Array,
                capacity: Array, demand: Array, catching_up: Mask, notice: Mask, v: Values,
                shock: StressTest | None = None) -> Costing:
        served, _ = contractor_served(option, np.where(catching_up,
                                                       np.minimum(demand, planned), demand), v)
        billed = contractor_billed(option, served, v)
        if notice.any():
            billed = np.where(notice, np.maximum(billed, capacity), billed)
        unmet = np.maximum(demand - served, 0.0)
        return self.costing(option, contractor_costs(option, billed, scenario, v, shock), demand,
                            billed > 0, unmet, billed, scenario, v, shock)

    def scale_up_lead_months(self, option: ContractorOption, v: Values) -> Array:
        return v(option, "lead_months")

    def scale_down_lag_months(self, option: ContractorOption, v: Values) -> Array:
        return np.full((1, 1), float(option.notice_months))

    def notice_months(self, option: ContractorOption) -> int:
        return option.notice_months

    def cost_to_shed_fte(self, option: ContractorOption, scenario: Scenario,
                         v: Values) -> Array:
        rate = hourly_rate(option, scenario, v)
        return (option.notice_months * hours_per_fte(option, scenario, v)
                * rate[:, :1])

    def exit_cost(self, option: ContractorOption, planned: Costing, scenario: Scenario,
                  v: Values) -> Array:
        return np.zeros((1, 1))

    def max_specialization(self, option: ContractorOption) -> Specialization:
        return option.serves_up_to


#: The cost model of each ``model`` value of the scenario format.
MODELS: Mapping[str, CostModel[Any]] = {
    "in_house": InHouseModel("in_house"),
    "kpo": OutsourcedModel("kpo"),
    "bpo": OutsourcedModel("bpo"),
    "contractor": ContractorModel("contractor"),
}


def cost_model(option: AnyOption) -> CostModel[Any]:
    """The cost model registered for ``option.model``."""
    return MODELS[option.model]


__all__ = ["MODELS", "AnyOption", "CostModel", "cost_model"]
