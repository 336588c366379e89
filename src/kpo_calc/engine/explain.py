"""The audit trail of one scenario: every cost line of every part, month by month.

``explain`` (design section 10) shows how each figure of ``compare`` is built:
per alternative, each part (an option on the hours the alternative gives it),
each cost line with its formula (``lines.LINES``, the same text the engine
evaluates), the drivers the formula reads (headcount, hires, billed hours, the
rate in the scenario currency, fx, ...) and the result in every month. The
parts are costed by the same ``Coster`` as ``compare``, without the batched
pass that drops the drivers, so the totals are ``compare``'s (tested to the cent).

Only a point run is explained: one trial, every number as the file writes it, and an
uncertain one (a distribution) at its mean, as ``compare`` costs it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from kpo_calc.engine.demand import total_demand
from kpo_calc.engine.figures import expected_losses
from kpo_calc.engine.finance import discount_factors, npv
from kpo_calc.engine.lines import LINE_BY_NAME, ONE_TIME_LINES
from kpo_calc.engine.other_costs import other_cost_lines
from kpo_calc.engine.plans import Alternative, Coster, alternatives
from kpo_calc.engine.values import POINT_VALUES
from kpo_calc.scenario import Scenario


@dataclass(frozen=True)
class DriverInfo:
    """How to read a driver: its label, its unit, and how months add up to a year."""

    label: str
    #: "hours", "people", "money" (scenario currency), "rate" (a fraction), "factor",
    #: "months", "flag" (1 when true) or "number"
    unit: str
    #: True: a flow (a year is the sum of its months: hires, billed hours); False: a
    #: level (a year shows its monthly average: headcount, salary, fx)
    flow: bool


#: Every driver a cost model hands the lines' formulas, in the order explain shows them.
#: A driver missing here is shown by its name, as a level.
DRIVERS: dict[str, DriverInfo] = {
    "hours": DriverInfo("Hours of demand given to this part", "hours", True),
    "headcount": DriverInfo("Headcount (FTE employed)", "people", False),
    "hires": DriverInfo("Hires", "people", True),
    "leavers": DriverInfo("Leavers replaced (attrition)", "people", True),
    "owed": DriverInfo("Releases owed severance (past the minimum tenure)", "people", True),
    "salary": DriverInfo("Monthly salary per FTE, in the scenario currency", "money", False),
    "benefits_rate": DriverInfo("Benefits rate", "rate", False),
    "overhead_per_fte_year": DriverInfo("Overhead per FTE a year (option currency)",
                                        "number", False),
    "annual_training_per_fte": DriverInfo("Training per FTE a year (option currency)",
                                          "number", False),
    "per_hire": DriverInfo("Cost of one hire, in the scenario currency", "money", False),
    "severance_months": DriverInfo("Severance months per release", "months", False),
    "growth": DriverInfo("Salary growth since month 1 (factor)", "factor", False),
    "fx": DriverInfo("FX: scenario currency per unit of the option's currency",
                     "factor", False),
    "billed": DriverInfo("Billed hours", "hours", True),
    "rate": DriverInfo("Hourly rate, in the scenario currency", "money", False),
    "governance_rate": DriverInfo("Governance rate", "rate", False),
    "communication_overhead": DriverInfo("Communication overhead rate", "rate", False),
    "indirect_tax_rate": DriverInfo("Indirect tax rate", "rate", False),
    "withholding_tax_rate": DriverInfo("Withholding tax rate", "rate", False),
    "engaged": DriverInfo("Vendor engaged (1 = yes)", "flag", False),
    "retained_cost_per_year": DriverInfo("Retained organisation a year", "money", False),
    "vendor_selection_cost": DriverInfo("Vendor selection cost", "money", False),
    "transition_months": DriverInfo("Transition months", "months", False),
    "transition_cost": DriverInfo("Transition cost", "money", False),
    # An event, not a state: a year shows 1 when it has the first billed month (a level
    # would average it to 1/12).
    "first_billed": DriverInfo("First billed month (1 = yes)", "flag", True),
    "ramp_up_weeks": DriverInfo("Vendor ramp-up weeks", "number", False),
    "people": DriverInfo("Contractors working", "people", False),
    "people_before": DriverInfo("Contractors the month before", "people", False),
    "onboarding_cost_per_person": DriverInfo("Onboarding per contractor (option currency)",
                                             "number", False),
    "other_recurring": DriverInfo("Other recurring costs", "money", True),
    "other_one_time": DriverInfo("Other one-time costs", "money", True),
    "unmet": DriverInfo("Hours of demand not served in time", "hours", True),
    "unmet_hour_cost": DriverInfo("Cost of an unmet hour", "money", False),
    "month": DriverInfo("Month", "number", False),
}


def driver_info(name: str) -> DriverInfo:
    """What ``DRIVERS`` says about ``name`` (its name, as a level, when it is not listed)."""
    return DRIVERS.get(name) or DriverInfo(name, "number", False)


@dataclass(frozen=True)
class Driver:
    """One driver of a part, month by month."""

    name: str
    monthly: tuple[float, ...]

    @property
    def constant(self) -> bool:
        """The same value in every month (an input, not a path)."""
        return all(x == self.monthly[0] for x in self.monthly)


@dataclass(frozen=True)
class LineWork:
    """One cost line of a part: its formula, the drivers it reads, its monthly amounts."""

    name: str
    monthly: tuple[float, ...]

    @property
    def label(self) -> str:
        return LINE_BY_NAME[self.name].label

    @property
    def formula(self) -> str:
        return LINE_BY_NAME[self.name].shown

    @property
    def reads(self) -> tuple[str, ...]:
        return LINE_BY_NAME[self.name].reads

    @property
    def one_time(self) -> bool:
        return self.name in ONE_TIME_LINES

    @property
    def total(self) -> float:
        return float(np.sum(self.monthly))


@dataclass(frozen=True)
class PartWork:
    """One option inside an alternative, on the hours the alternative gives it."""

    option: str
    model: str
    #: the option's own currency (its inputs are in it; every amount here is in the
    #: scenario currency)
    currency: str
    #: the share of each work item (file order) the alternative gives the option
    shares: Mapping[str, float]
    hours: tuple[float, ...]
    #: what the lines' formulas read, in ``DRIVERS`` order then the rest by name
    drivers: tuple[Driver, ...]
    #: each named other cost (``other_costs``), month by month, in the scenario currency
    other_costs: tuple[Driver, ...]
    lines: tuple[LineWork, ...]
    #: expected risk losses, month by month (not a cost line: the risk-adjusted metrics)
    risk: tuple[float, ...]
    #: the line each named other cost is booked on (``other_one_time``: ``per: once``)
    other_lines: Mapping[str, str] = field(default_factory=dict)

    @property
    def monthly(self) -> tuple[float, ...]:
        return _sum_months([line.monthly for line in self.lines], len(self.hours))

    @property
    def total_cost(self) -> float:
        return float(np.sum(self.monthly))

    @property
    def risk_cost(self) -> float:
        return float(np.sum(self.risk))


@dataclass(frozen=True)
class AlternativeWork:
    """One alternative (an option doing all the work, or a plan): its parts and sums."""

    name: str
    #: "option" or "plan"
    kind: str
    parts: tuple[PartWork, ...]
    horizon: int
    #: why it cannot do all the work (compare's reasons; empty when it can): it is costed
    #: all the same, but it is no choice
    infeasible_reasons: tuple[str, ...] = ()

    @property
    def feasible(self) -> bool:
        return not self.infeasible_reasons

    @property
    def monthly(self) -> tuple[float, ...]:
        return _sum_months([p.monthly for p in self.parts], self.horizon)

    @property
    def total_cost(self) -> float:
        return float(np.sum(self.monthly))

    @property
    def one_time_cost(self) -> float:
        return float(sum(line.total for p in self.parts for line in p.lines if line.one_time))

    @property
    def risk(self) -> tuple[float, ...]:
        return _sum_months([p.risk for p in self.parts], self.horizon)

    @property
    def risk_cost(self) -> float:
        """The expected risk losses over the horizon, summed as compare sums them (numpy's
        pairwise sum: a plain sum of 600 months of 8e11 is 4 off)."""
        return float(np.sum(self.risk))


@dataclass(frozen=True)
class Explanation:
    """The audit trail of a scenario: the discount factors and every alternative."""

    #: the scenario's name
    name: str
    currency: str
    horizon: int
    discount_rate: float
    #: ``df(m) = (1 + r)^(-m/12)`` for m = 1..horizon
    factors: tuple[float, ...]
    alternatives: tuple[AlternativeWork, ...]
    #: how many inputs the file writes as distributions: explained at their means
    uncertain_inputs: int = 0

    def npv(self, monthly: Sequence[float]) -> float:
        """The present value of a monthly cost stream: ``Σ_m cost_m · df(m)``, as compare
        computes it (``finance.npv``)."""
        return float(npv(np.asarray(monthly), np.asarray(self.factors)))


def explain(scenario: Scenario, names: Sequence[str] | None = None) -> Explanation:
    """The audit trail of ``scenario`` (of the alternatives ``names``, default all)."""
    v = POINT_VALUES
    demand = total_demand(scenario, v)
    rate = v(scenario, "discount_rate")
    factors = discount_factors(rate, scenario.horizon_months)
    # No prefetch: the batched pass keeps only the figures, and explain shows the drivers.
    coster = Coster(scenario, demand, v, factors)
    chosen = [a for a in alternatives(scenario) if names is None or a.name in names]
    return Explanation(
        name=scenario.name, currency=scenario.currency, horizon=scenario.horizon_months,
        discount_rate=float(rate.ravel()[0]),
        factors=_months(factors, scenario.horizon_months),
        alternatives=tuple(_alternative(coster, alt) for alt in chosen),
        uncertain_inputs=len(scenario.uncertain_inputs()))


def _alternative(coster: Coster, alt: Alternative) -> AlternativeWork:
    scenario, h = coster.scenario, coster.scenario.horizon_months
    parts: list[PartWork] = []
    reasons: list[str] = []
    for option, shares in zip(scenario.options, coster.vectors(alt.assign), strict=True):
        if shares is None:
            continue
        figures = coster.part(option, shares)
        reasons += figures.infeasible_reasons
        hours = coster.hours(shares)
        drivers = figures.costing.drivers
        others = tuple(
            Driver(cost.name, _months(sum(other_cost_lines([cost], hours, scenario,
                                                           coster.v).values()), h))
            for cost in option.other_costs)
        parts.append(PartWork(
            option=option.name, model=option.model,
            currency=getattr(option, "currency", None) or scenario.currency,
            shares=dict(zip(coster.names, shares, strict=True)),
            hours=_months(hours, h),
            drivers=_drivers(drivers, h),
            other_costs=others,
            # A team wound down with no work shows only what it costs (its severance), as
            # in compare, not a column of zero salaries.
            lines=tuple(LineWork(name, _months(amount, h))
                        for name, amount in figures.costing.lines.items()
                        if np.any(hours > 0) or np.any(amount != 0)),
            risk=_months(expected_losses(option, hours, coster.v), h),
            other_lines={cost.name: "other_one_time" if cost.per == "once" else
                         "other_recurring" for cost in option.other_costs}))
    return AlternativeWork(alt.name, alt.kind, tuple(parts), h, tuple(reasons))


def _drivers(drivers: Mapping[str, object], horizon: int) -> tuple[Driver, ...]:
    """The drivers the lines read, known ones first in ``DRIVERS`` order."""
    order = {name: i for i, name in enumerate(DRIVERS)}
    # Other costs are shown by name, and "month" is the column itself.
    names = [n for n in drivers if n not in ("month", "other_recurring", "other_one_time")]
    names.sort(key=lambda n: (order.get(n, len(order)), n))
    return tuple(Driver(n, _months(drivers[n], horizon)) for n in names)


def _months(value: object, horizon: int) -> tuple[float, ...]:
    """A driver or line of one trial as ``horizon`` floats (a constant repeated)."""
    array = np.asarray(value, dtype=np.float64).reshape(-1)
    return tuple(float(x) for x in np.broadcast_to(array, (horizon,)))


def _sum_months(series: Sequence[Sequence[float]], horizon: int) -> tuple[float, ...]:
    total = np.zeros(horizon)
    for s in series:
        total = total + np.asarray(s, dtype=np.float64)
    return tuple(float(x) for x in total)
