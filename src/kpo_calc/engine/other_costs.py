"""Named costs the model has no field for (methodology 3, point 7).

Booked only while the option holds work in the alternative, in the months
``first..last`` of its demand: ``once`` in ``month`` (default ``first``), line
``other_one_time``; ``month`` and ``year`` (amount / 12) in each month of
``max(first, from_month) .. min(last, to_month)``, line ``other_recurring``;
each ``· fx(currency, m) · esc(escalation, m)``.
"""

from __future__ import annotations

import numpy as np

from kpo_calc.engine.finance import escalation, months
from kpo_calc.engine.fx import fx_path
from kpo_calc.engine.outsourced import engaged_months, first_months
from kpo_calc.engine.values import Array, Values
from kpo_calc.scenario import OtherCost, Scenario, StressTest


def other_cost_lines(costs: list[OtherCost], demand: Array, scenario: Scenario, v: Values,
                     shock: StressTest | None = None) -> dict[str, Array]:
    """Lines ``other_one_time`` and ``other_recurring``, each ``(trials, horizon)``."""
    h = scenario.horizon_months
    m = months(h)
    # The months first..last of the option's demand, as a vendor is engaged for them.
    engaged = engaged_months(demand)
    holds = (demand > 0).any(axis=1, keepdims=True)
    once = np.zeros(demand.shape)
    recurring = np.zeros(demand.shape)
    for cost in costs:
        scale = (fx_path(scenario, cost.currency, v, shock)
                 * escalation(v(cost, "escalation"), h) * v(cost, "amount"))
        if cost.per == "once":
            when = first_months(demand) if cost.month is None else holds & (m == cost.month)
            once = once + np.where(when, scale, 0.0)
            continue
        end = h if cost.to_month is None else cost.to_month
        per_month = scale if cost.per == "month" else scale / 12
        recurring = recurring + np.where(engaged & (m >= cost.from_month) & (m <= end),
                                         per_month, 0.0)
    return {"other_one_time": once, "other_recurring": recurring}
