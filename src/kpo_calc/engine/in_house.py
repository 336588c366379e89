"""In-house costs: salaries, benefits, overhead, training, hiring, attrition, severance."""

from __future__ import annotations

import numpy as np

from kpo_calc.engine.finance import escalation, months
from kpo_calc.engine.fx import fx_path, fx_shock
from kpo_calc.engine.lines import Drivers, lines_of
from kpo_calc.engine.values import Array, Mask, Values, derived
from kpo_calc.scenario import InHouseOption, Scenario, StressTest

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
    horizon = demand.shape[1]
    early = derived(v, f"before hires {horizon}", (option,),
                    lambda: _before_hires(option, horizon, v))
    hc = np.where(early, np.minimum(needed, v(option, "existing_fte")), needed)
    unmet = np.where(hc < needed, np.maximum(demand - hc * hours_per_fte_month, 0.0), 0.0)
    return hc, unmet


def _before_hires(option: InHouseOption, horizon: int, v: Values) -> Mask:
    """The months before new staff can start (``m < L``): the same for every part."""
    lead = 1 + np.ceil(v(option, "time_to_hire_months") - HEADCOUNT_TOLERANCE)
    return np.asarray(months(horizon) < lead)


def monthly_salary(option: InHouseOption, scenario: Scenario, v: Values,
                   shock: StressTest | None = None) -> Array:
    """``s_m = annual_salary / 12 * esc(salary_growth, m) * fx_m`` in the scenario currency."""
    shock = fx_shock(option.currency, shock)
    return derived(v, "salary", (option, scenario, shock),
                   lambda: _monthly_salary(option, scenario, v, shock))


def _monthly_salary(option: InHouseOption, scenario: Scenario, v: Values,
                    shock: StressTest | None) -> Array:
    fx = fx_path(scenario, option.currency, v, shock)
    return v(option, "annual_salary") * fx / 12 * escalation(v(option, "salary_growth"),
                                                          scenario.horizon_months)


def _previous(headcount: Array, existing: Array) -> Array:
    """Headcount of the month before each month (``existing_fte`` before month 1)."""
    # Two copies into one array: np.concatenate needs ``existing`` broadcast first (6 us).
    before = np.empty(headcount.shape)
    before[:, :1] = existing
    before[:, 1:] = headcount[:, :-1]
    return before


def releases_owed_severance(headcount: Array, existing: Array, min_tenure: float,
                            before: Array | None = None) -> tuple[Array, Array]:
    """Releases that are owed severance, by month; and the final team that would be.

    Methodology 3, point 6: releases take the most recently hired first (last
    in, first out); a person hired in month ``h`` and released in month ``m``
    has tenure ``m − h`` and is owed severance when that is at least
    ``min_tenure``. Existing staff always are (they were hired before month 1,
    and today's staff are taken to have served the minimum). Attrition
    replacements keep the tenure of the person they replace, so they change
    no cohort. The final team is released in month ``horizon + 1``. ``before``: the
    headcount of the month before each month, when the caller has it.
    """
    rows, horizon = max(headcount.shape[0], existing.shape[0]), headcount.shape[1]
    if headcount.shape != (rows, horizon):  # (np.broadcast_to costs 6 µs even when not)
        headcount = np.broadcast_to(headcount, (rows, horizon))
    if before is None or before.shape != (rows, horizon):
        before = _previous(headcount, existing)
    releases = np.maximum(before - headcount, 0.0)
    if min_tenure <= 0:
        return releases, headcount[:, -1:]
    # cohort[:, h]: people hired in month h still employed (h = 0: today's staff)
    cohort = np.zeros((rows, horizon + 1))
    cohort[:, :1] = np.broadcast_to(existing, (rows, 1))
    owed = np.zeros((rows, horizon))
    previous = cohort[:, 0].copy()
    for m in range(1, horizon + 1):
        now = headcount[:, m - 1]
        leaving = np.maximum(previous - now, 0.0)
        if (leaving > 0).any():
            held = cohort[:, :m]
            # people hired after each cohort: they leave first
            newer = np.cumsum(held[:, ::-1], axis=1)[:, ::-1] - held
            out = np.clip(leaving[:, None] - newer, 0.0, held)
            tenure = m - np.arange(m)
            eligible = (tenure >= min_tenure) | (np.arange(m) == 0)
            owed[:, m - 1] = (out * eligible).sum(axis=1)
            cohort[:, :m] = held - out
        cohort[:, m] = np.maximum(now - previous, 0.0)
        previous = now
    tenure = horizon + 1 - np.arange(horizon + 1)
    eligible = (tenure >= min_tenure) | (np.arange(horizon + 1) == 0)
    return owed, (cohort * eligible).sum(axis=1, keepdims=True)


def _per_hire(option: InHouseOption, v: Values, fx: Array, salary: Array,
              benefits_rate: Array) -> Array:
    """The cost of bringing one person in: recruiting, onboarding, and half the loaded pay
    of the ramp-up months (productivity rises linearly to full)."""
    return ((v(option, "recruiting_cost_per_hire") + v(option, "training_cost_per_hire")) * fx
            + 0.5 * v(option, "ramp_up_months") * salary * (1 + benefits_rate))


def in_house_costs(option: InHouseOption, headcount: Array, scenario: Scenario,
                   v: Values, shock: StressTest | None = None) -> Drivers:
    """The drivers of employing ``headcount`` people in each month, each ``(trials,
    horizon)`` or broadcastable: the lines' formulas (``lines.LINES``) read them."""
    h = scenario.horizon_months
    fx = fx_path(scenario, option.currency, v, shock)
    salary = monthly_salary(option, scenario, v, shock)
    benefits_rate = v(option, "benefits_rate")
    existing = v(option, "existing_fte")
    before = _previous(headcount, existing)
    owed, _ = releases_owed_severance(headcount, existing, option.severance_min_tenure_months,
                                      before)
    return {
        "headcount": headcount,
        "salary": salary,
        "benefits_rate": benefits_rate,
        "fx": fx,
        "growth": escalation(v(option, "salary_growth"), h),
        "overhead_per_fte_year": v(option, "overhead_per_fte_year"),
        "annual_training_per_fte": v(option, "annual_training_per_fte"),
        "hires": np.maximum(headcount - before, 0.0),
        "leavers": headcount * v(option, "attrition_rate") / 12,
        "per_hire": derived(v, "per_hire", (option, scenario, fx_shock(option.currency, shock)),
                            lambda: _per_hire(option, v, fx, salary, benefits_rate)),
        "owed": owed,
        "severance_months": v(option, "severance_months"),
    }
