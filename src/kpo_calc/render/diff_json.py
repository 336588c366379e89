"""``diff`` as one JSON document."""

from __future__ import annotations

from kpo_calc._version import __version__
from kpo_calc.diffing import Figure, ScenarioDiff
from kpo_calc.render import RenderOptions
from kpo_calc.render.json_format import SCHEMA_VERSION
from kpo_calc.render.wording import reason
from kpo_calc.textsafe import json_text


def render(diff: ScenarioDiff, options: RenderOptions) -> str:
    """A scenario diff as one JSON document."""
    def figure(f: Figure, digits: int = 2) -> dict[str, float | None]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, digits) + 0.0
        return {"old": r(f.old), "new": r(f.new), "delta": r(f.delta)}

    doc = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "kpo-calc", "version": __version__},
        "old": {"file": diff.old_file, "currency": diff.old_currency,
                "baseline": diff.old_baseline},
        "new": {"file": diff.new_file, "currency": diff.currency, "baseline": diff.baseline},
        "name": diff.name,
        "recommendation": {"old": diff.old_recommendation, "new": diff.new_recommendation,
                           "changed": diff.recommendation_changed,
                           "old_reason": reason(diff.old_verdict),
                           "new_reason": reason(diff.new_verdict)},
        "options": [
            {"name": o.name, "status": o.status, "total_cost": figure(o.total_cost),
             "npv": figure(o.npv), "savings_pct": figure(o.savings_pct, 6),
             "breakeven_month": {"old": o.breakeven_month[0], "new": o.breakeven_month[1]},
             "feasible": {"old": o.feasible[0], "new": o.feasible[1]},
             "kind": o.kind, "assign_changed": o.assign_changed}
            for o in diff.options],
        "inputs": [{"path": c.path, "kind": c.kind, "old": c.old, "new": c.new}
                   for c in diff.inputs],
    }
    return json_text(doc)
