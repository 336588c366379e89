"""Escalation, discounting, NPV and breakeven: the time value arithmetic."""

from __future__ import annotations

import numpy as np

from kpo_calc.engine.values import Array

#: Cumulative savings above this (in currency units) count as "not negative";
#: it absorbs float noise without ever hiding a real cent.
BREAKEVEN_TOLERANCE = 1e-6


def months(horizon: int) -> Array:
    """Month numbers 1..horizon as a ``(horizon,)`` float array (read-only, shared: the
    cost models compare with it some 20 times a file)."""
    found = _MONTHS.get(horizon)
    if found is None:
        found = np.arange(1, horizon + 1, dtype=np.float64)
        found.flags.writeable = False
        _MONTHS[horizon] = found  # at most 600 horizons (the format's limit), 1.4 MB in all
    return found


_MONTHS: dict[int, Array] = {}


#: Recent escalations by the identity of their rate column (kept alive in the entry, so
#: an identity is not reused while cached): one input's column is escalated many times.
_ESCALATIONS: dict[tuple[int, int], tuple[Array, Array]] = {}
#: The numbers those escalations hold, at most: a simulation's chunk makes a few per
#: option, each (trials, horizon), and the chunks before it are not read again.
CACHED_CELLS = 1 << 22
_cells = [0]


def escalation(rate: Array, horizon: int) -> Array:
    """``esc(g, m) = (1+g)^floor((m-1)/12)``: steps once a year, ``(trials, horizon)``.

    The power is taken once per year and spread over its months: the same numbers as
    a power per month, for a twelfth of the work. The result is read-only and shared.
    """
    key = (id(rate), horizon)
    found = _ESCALATIONS.get(key)
    if found is not None and found[0] is rate:
        return found[1]
    years = np.arange((horizon + 11) // 12, dtype=np.float64)
    per_year = np.power(1.0 + rate, years)
    index = (np.arange(horizon) // 12)
    result: Array = np.take(per_year, index, axis=-1)
    result.flags.writeable = False
    if len(_ESCALATIONS) >= 256 or _cells[0] + result.size > CACHED_CELLS:
        _ESCALATIONS.clear()
        _cells[0] = 0
    _ESCALATIONS[key] = (rate, result)
    _cells[0] += result.size
    return result


def discount_factors(annual_rate: Array, horizon: int) -> Array:
    """``df(m) = (1+r)^(-m/12)``, ``(trials, horizon)``."""
    return np.power(1.0 + annual_rate, -months(horizon) / 12)


#: ``add_up(x, axis)`` is ``x.sum(axis=axis)`` (the same ufunc reduction, so the same
#: numbers) without ndarray.sum's Python wrapper: about 1 µs a call, some 80 calls a file.
add_up = np.add.reduce


def npv(cost: Array, factors: Array) -> Array:
    """Present value of a ``(trials, horizon)`` cost stream, per trial."""
    return np.asarray(add_up(cost * factors, -1), dtype=np.float64)


def breakeven_month(baseline: Array, option: Array) -> int | None:
    """First month from which cumulative savings stay >= 0 to the horizon.

    ``baseline`` and ``option`` are one trial's monthly costs. Returns None
    when cumulative savings are negative at the horizon (never breaks even).
    """
    cumulative = np.cumsum(baseline - option)
    negative = np.flatnonzero(cumulative < -BREAKEVEN_TOLERANCE)
    if negative.size == 0:
        return 1
    last = int(negative[-1])
    if last == cumulative.size - 1:
        return None
    return last + 2  # index of the month after the last negative one, 1-based
