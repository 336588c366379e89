"""The demand: hours of work needed in each month."""

from __future__ import annotations

import numpy as np

from kpo_calc.engine.finance import escalation, months
from kpo_calc.engine.values import Array, Values
from kpo_calc.scenario import (
    ContractorOption,
    InHouseOption,
    OneOffWork,
    OutsourcedOption,
    RecurringWork,
    Scenario,
)


def work_hours(work: RecurringWork | OneOffWork, scenario: Scenario, v: Values) -> Array:
    """Hours of one work item in each month, ``(trials, horizon)``.

    Recurring: ``h * esc(growth, m)`` from start_month to end_month.
    One-off: ``total_hours / duration_months`` in each month of the project.
    """
    h = scenario.horizon_months
    m = months(h)
    if isinstance(work, RecurringWork):
        end = work.end_month or h
        active = (m >= work.start_month) & (m <= end)
        if work.hours_per_month is not None:
            base = v(work, "hours_per_month")
        else:
            assert work.fte is not None  # the model guarantees one of the two
            base = v(work, "fte") * v(scenario, "hours_per_fte_month")
        return np.where(active, base * escalation(v(work, "growth"), h), 0.0)
    active = (m >= work.start_month) & (m <= work.end_month)
    per_month = v(work, "total_hours") / work.duration_months
    return np.where(active, per_month, 0.0)


def total_demand(scenario: Scenario, v: Values) -> Array:
    """``D_m``: the sum of all work items, ``(trials, horizon)``."""
    total = np.zeros((1, scenario.horizon_months))
    for work in scenario.work:
        total = total + work_hours(work, scenario, v)
    return total


def hours_per_fte(option: InHouseOption | OutsourcedOption | ContractorOption,
                  scenario: Scenario, v: Values) -> Array:
    """The option's ``hours_per_fte_month`` (staff and contract staff may set their own:
    methodology 3, point 8), or the scenario's (always, for a vendor's per-FTE price)."""
    if getattr(option, "hours_per_fte_month", None) is not None:
        return v(option, "hours_per_fte_month")
    return v(scenario, "hours_per_fte_month")
