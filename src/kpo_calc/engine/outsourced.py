"""KPO and BPO costs: fees, governance, communication, taxes, retained staff, one-time costs."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from kpo_calc.engine.demand import hours_per_fte
from kpo_calc.engine.finance import CACHED_CELLS, escalation, months
from kpo_calc.engine.fx import fx_path, fx_shock
from kpo_calc.engine.lines import Drivers, lines_of
from kpo_calc.engine.values import Array, Mask, Values, derived
from kpo_calc.scenario import ContractorOption, OutsourcedOption, Scenario, StressTest

#: The same lines for KPO and BPO: the line table gives both kinds these.
OUTSOURCED_LINES = lines_of("kpo")


def hourly_rate(option: OutsourcedOption | ContractorOption, scenario: Scenario, v: Values,
                shock: StressTest | None = None) -> Array:
    """``R_m = hourly_rate * fx_m * esc(rate_escalation, m)`` in the scenario currency.

    ``fte_monthly_rate`` is per ``hours_per_fte_month`` hours: the option's own for
    contract staff (methodology 3, point 8), else the scenario's.
    """
    shock = fx_shock(option.currency, shock)
    return derived(v, "rate", (option, scenario, shock),
                   lambda: _hourly_rate(option, scenario, v, shock))


def _hourly_rate(option: OutsourcedOption | ContractorOption, scenario: Scenario, v: Values,
                 shock: StressTest | None) -> Array:
    fx = fx_path(scenario, option.currency, v, shock)
    if option.hourly_rate is not None:
        base = v(option, "hourly_rate")
    else:
        assert option.fte_monthly_rate is not None  # the model guarantees one of the two
        base = v(option, "fte_monthly_rate") / hours_per_fte(option, scenario, v)
    return base * fx * escalation(v(option, "rate_escalation"), scenario.horizon_months)


#: Masks of recent arrays, by identity (the array is kept in the entry, so an identity
#: is not reused while cached): a part's demand is read by its lines and its risks.
_MASKS: dict[tuple[str, int], tuple[Array, Mask]] = {}
_cells = [0]


def _remembered(kind: str, array: Array, make: Callable[[Array], Mask]) -> Mask:
    key = (kind, id(array))
    found = _MASKS.get(key)
    if found is not None and found[0] is array:
        return found[1]
    return _remember(kind, array, make(array))


def _remember(kind: str, array: Array, mask: Mask) -> Mask:
    """Keep ``mask`` as the ``kind`` mask of ``array`` (read-only: it is shared). At most
    64, holding at most ``CACHED_CELLS`` numbers (a simulation's arrays are large, and a
    chunk's are not read by the next)."""
    if mask.flags.writeable:
        mask.flags.writeable = False
    if len(_MASKS) >= 64 or _cells[0] + array.size > CACHED_CELLS:
        _MASKS.clear()
        _cells[0] = 0
    _MASKS[(kind, id(array))] = (array, mask)
    _cells[0] += array.size
    return mask


def engaged_months(demand: Array) -> Mask:
    """True from the first to the last month with demand, per trial."""
    return _remembered("engaged", demand, _engaged)


def first_months(amounts: Array) -> Mask:
    """True in the first month with a positive amount, per trial."""
    return _remembered("first", amounts, _first)


def _engaged(demand: Array) -> Mask:
    has: Mask = demand > 0
    if has.all():  # the usual case (demand in every month): the mask below, for less
        return has
    # A month is engaged when some month up to it has demand and some month from it on
    # does (a trial with none has neither): two running ors, not argmax and compares.
    since_first: Mask = np.logical_or.accumulate(has, axis=1)
    until_last: Mask = np.logical_or.accumulate(has[:, ::-1], axis=1)[:, ::-1]
    return np.asarray(since_first & until_last)


def _first(amounts: Array) -> Mask:
    has: Mask = amounts > 0
    if has[:, 0].all():  # every trial has an amount in month 1: the mask below, for less
        found_first: Mask = np.zeros(has.shape, dtype=bool)
        found_first[:, 0] = True
        return found_first
    # The first True is where the running or turns True (a row with none never does): a
    # running or and a compare of neighbours, not argmax, compares and any.
    seen: Mask = np.logical_or.accumulate(has, axis=1)
    found: Mask = seen.copy()
    np.greater(seen[:, 1:], seen[:, :-1], out=found[:, 1:])
    return found


def billed_hours(option: OutsourcedOption, demand: Array, v: Values) -> Array:
    """``B_m = max(D_m / productivity * (1 + rework_rate), min_monthly_hours)`` while engaged."""
    needed = demand / v(option, "productivity") * (1 + v(option, "rework_rate"))
    minimum = v(option, "min_monthly_hours")
    engaged = engaged_months(demand)
    billed: Array = np.where(engaged, np.maximum(needed, minimum), 0.0)
    if (minimum.item() > 0) if minimum.size == 1 else (minimum > 0).all():  # (1 us less)
        # Billed hours are then positive in exactly the months engaged: the fees' lines
        # read the same mask, not one worked out again from the hours.
        _remember("engaged", billed, engaged)
    return billed


#: No transition cost (one shared object: the line table keeps terms over it by identity).
_NO_COST = np.zeros((1, 1))
_NO_COST.flags.writeable = False


def outsourced_costs(option: OutsourcedOption, billed: Array, scenario: Scenario,
                     v: Values, shock: StressTest | None = None) -> Drivers:
    """The drivers of buying ``billed`` hours in each month, each ``(trials, horizon)`` or
    broadcastable: the lines' formulas (``lines.LINES``) read them."""
    spread = option.transition.months if option.transition is not None else 1
    return {
        "billed": billed,
        "rate": hourly_rate(option, scenario, v, shock),
        "governance_rate": v(option, "governance_rate"),
        "communication_overhead": v(option, "communication_overhead"),
        "indirect_tax_rate": v(option, "indirect_tax_rate"),
        # The price is net of withholding tax and the buyer grosses it up.
        "withholding_tax_rate": v(option, "withholding_tax_rate"),
        "engaged": engaged_months(billed),
        "retained_cost_per_year": v(option, "retained_cost_per_year"),
        "month": months(scenario.horizon_months),
        "vendor_selection_cost": v(option, "vendor_selection_cost"),
        # Transition: its cost spread over its first months (0 in month 1 without one).
        "transition_months": spread,
        "transition_cost": (v(option.transition, "cost") if option.transition is not None
                            else _NO_COST),
        # Ramp-up: productivity rises linearly to full over ramp_up_weeks, so half
        # of that time's fees buy nothing; booked in the first month billed.
        "first_billed": first_months(billed),
        "ramp_up_weeks": v(option, "ramp_up_weeks"),
    }
