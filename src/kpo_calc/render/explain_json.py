"""``explain --format json``: ``{"explanations": [...]}``, one entry per computed file.

Every series is month by month whatever ``--by`` and ``--month`` say (those shape the
tables); amounts in the scenario currency rounded to cents, drivers and hours to 15
significant digits and discount factors exact (fixed decimals lose the cent once a driver
is multiplied by 10^8, as in dong or rupiah: every line recomputes to the cent).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kpo_calc.engine.explain import AlternativeWork, Explanation, PartWork, driver_info
from kpo_calc.outcome import ExplainOutcome
from kpo_calc.render import RenderOptions
from kpo_calc.render.json_format import cents, envelope, fraction
from kpo_calc.textsafe import json_text


def render(outcomes: Sequence[ExplainOutcome], options: RenderOptions) -> str:
    """One JSON document whatever the number of files."""
    return json_text(document(outcomes))


def document(outcomes: Sequence[ExplainOutcome]) -> dict[str, Any]:
    """The JSON document as Python data."""
    return envelope("explanations", [explanation_dict(o.file, o.result) for o in outcomes
                                     if o.result is not None], outcomes)


def explanation_dict(file: str, e: Explanation) -> dict[str, Any]:
    """One file's audit trail."""
    return {"file": file, "scenario": e.name, "currency": e.currency,
            "horizon_months": e.horizon, "discount_rate": fraction(e.discount_rate),
            "discount_factors": list(e.factors),
            "alternatives": [_alternative(e, a) for a in e.alternatives]}


def _money(series: Sequence[float]) -> list[float]:
    return [cents(x) for x in series]


def _figures(series: Sequence[float]) -> list[float]:
    """Drivers to 15 significant digits: no float noise (0.1 + 0.2 is 0.3), and a product
    still right to the cent up to amounts of about 10^12."""
    return [float(f"{x:.15g}") for x in series]


def _alternative(e: Explanation, a: AlternativeWork) -> dict[str, Any]:
    return {"name": a.name, "kind": a.kind, "feasible": a.feasible,
            "infeasible_reasons": list(a.infeasible_reasons), "total_cost": cents(a.total_cost),
            "one_time_cost": cents(a.one_time_cost),
            "recurring_cost": cents(a.total_cost - a.one_time_cost),
            "npv": cents(e.npv(a.monthly)), "risk_cost": cents(a.risk_cost),
            "monthly": _money(a.monthly), "parts": [_part(e, p) for p in a.parts]}


def _part(e: Explanation, p: PartWork) -> dict[str, Any]:
    return {"option": p.option, "model": p.model, "currency": p.currency,
            "shares": {work: fraction(s) for work, s in p.shares.items()},
            "hours": _figures(p.hours),
            "total_cost": cents(p.total_cost), "npv": cents(e.npv(p.monthly)),
            "risk_cost": cents(p.risk_cost), "monthly": _money(p.monthly),
            "lines": [{"name": line.name, "label": line.label, "formula": line.formula,
                       "reads": list(line.reads), "one_time": line.one_time,
                       "total": cents(line.total), "monthly": _money(line.monthly)}
                      for line in p.lines],
            "drivers": {d.name: {"label": driver_info(d.name).label,
                                 "unit": driver_info(d.name).unit,
                                 "monthly": _figures(d.monthly)}
                        for d in p.drivers},
            "other_costs": {d.name: _money(d.monthly) for d in p.other_costs},
            "risk": _money(p.risk)}
