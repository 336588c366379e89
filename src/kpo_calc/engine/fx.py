"""Exchange rates month by month (methodology 2, point 3).

``fx_m = rate · esc(drift, m)``: a currency that depreciates against the base
(negative drift) offsets the escalation of the amounts priced in it.
"""

from __future__ import annotations

from kpo_calc.engine.finance import escalation
from kpo_calc.engine.values import Array, Values
from kpo_calc.scenario import Scenario


def fx_path(scenario: Scenario, currency: str | None, v: Values) -> Array:
    """Scenario-currency units per unit of ``currency`` in each month, ``(trials, horizon)``."""
    return v(scenario.fx_rate(currency)) * escalation(v(scenario.fx_drift(currency)),
                                                      scenario.horizon_months)
