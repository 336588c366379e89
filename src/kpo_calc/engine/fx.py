"""Exchange rates month by month (methodology 2, point 3).

``fx_m = rate · esc(drift, m)``: a currency that depreciates against the base
(negative drift) offsets the escalation of the amounts priced in it.
"""

from __future__ import annotations

import numpy as np

from kpo_calc.engine.finance import escalation, months
from kpo_calc.engine.values import Array, Values, derived
from kpo_calc.scenario import Scenario, StressTest


def fx_path(scenario: Scenario, currency: str | None, v: Values,
            shock: StressTest | None = None) -> Array:
    """Scenario-currency units per unit of ``currency`` in each month, ``(trials, horizon)``.

    ``shock`` is a stress test whose ``fx`` multiplies the rate of a currency by
    ``1 + change`` from its ``from_month`` (methodology 3, point 9).
    """
    shock = fx_shock(currency, shock)
    return derived(v, f"fx {currency}", (scenario, shock),
                   lambda: _fx_path(scenario, currency, v, shock))


def fx_shock(currency: str | None, shock: StressTest | None) -> StressTest | None:
    """``shock`` when it moves the rate of ``currency``, else None (the figures that read
    the rate are then the planned ones)."""
    if shock is not None and currency is not None and shock.fx.get(currency, 0.0):
        return shock
    return None


def _fx_path(scenario: Scenario, currency: str | None, v: Values,
             shock: StressTest | None) -> Array:
    if currency is None or currency == scenario.currency:
        path: Array = np.ones((1, scenario.horizon_months))
    else:
        entry = scenario.fx[currency]  # its own path: fx.INR (the rate), fx.INR.drift
        path = v(entry, "rate") * escalation(v(entry, "drift"), scenario.horizon_months)
    if shock is not None and currency is not None and (change := shock.fx.get(currency, 0.0)):
        path = path * np.where(months(scenario.horizon_months) >= shock.from_month,
                               1.0 + change, 1.0)
    return path
