"""``simulate --format json`` (design section 9): ``{"simulations": [...]}``, one entry per
computed file, broken files under ``errors``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kpo_calc.engine.simulation import SimulationResult, Stats
from kpo_calc.outcome import SimulationOutcome
from kpo_calc.render import RenderOptions
from kpo_calc.render.json_format import cents, envelope, fraction, recommendation_dict
from kpo_calc.textsafe import json_text


def render(outcomes: Sequence[SimulationOutcome], options: RenderOptions) -> str:
    """One JSON document whatever the number of files."""
    return json_text(document(outcomes))


def document(outcomes: Sequence[SimulationOutcome]) -> dict[str, Any]:
    """The JSON document as Python data."""
    return envelope("simulations", [simulation_dict(o.file, o.result, o.gate_passed,
                                                    o.min_agreement)
                                    for o in outcomes if o.result is not None], outcomes)


def stats_dict(s: Stats) -> dict[str, float]:
    """Mean, percentiles and expected shortfall, in cents."""
    return {"mean": cents(s.mean), "p5": cents(s.p5), "p10": cents(s.p10),
            "p50": cents(s.p50), "p90": cents(s.p90), "p95": cents(s.p95),
            "es95": cents(s.es95)}


def simulation_dict(file: str, r: SimulationResult, gate_passed: bool | None = None,
                    min_agreement: float | None = None) -> dict[str, Any]:
    """One scenario's simulation."""
    doc: dict[str, Any] = {
        "file": file,
        "scenario": r.name,
        "currency": r.currency,
        "trials": r.trials,
        "seed": r.seed,
        "latin_hypercube": r.latin_hypercube,
        "metric": r.metric,
        "baseline": r.baseline,
        "inputs": [{"input": p, "distribution": d} for p, d in r.inputs],
        "alternatives": [{
            "name": a.name, "kind": a.kind, "feasible": a.feasible,
            "metric": stats_dict(a.metric), "savings": stats_dict(a.savings),
            "p_cheapest": fraction(a.p_cheapest), "p_clears": fraction(a.p_clears),
            "p_recommended": fraction(a.p_recommended),
            "moves": [{"work": m.work, "p_clears": fraction(m.p_clears)} for m in a.moves],
        } for a in r.alternatives],
        "recommendation": recommendation_dict(r.recommendation),
        "agreement": fraction(r.agreement),
        "evpi": cents(r.evpi),
        "threshold_premium": cents(r.threshold_premium),
        "value_of_information": [{"input": v.input, "evppi": cents(v.evppi)}
                                 for v in r.value_of_information],
        "histogram": None if r.histogram is None else {
            "alternative": r.histogram.alternative,
            "edges": [cents(e) for e in r.histogram.edges],
            "counts": list(r.histogram.counts)},
        "clipped": [{"input": p, "share": fraction(s)} for p, s in r.clipped],
    }
    if min_agreement is not None:
        doc["gates"] = [{"name": "min_agreement", "passed": bool(gate_passed),
                         "value": fraction(r.agreement), "limit": min_agreement}]
    return doc
