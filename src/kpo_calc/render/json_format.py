"""JSON output, format version 1 (design section 5): stable keys, amounts in cents."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from kpo_calc._version import __version__
from kpo_calc.engine.results import (
    Flexibility,
    Move,
    OptionResult,
    Recommendation,
    ScenarioResult,
    Scorecard,
)
from kpo_calc.outcome import FileOutcome, Outcome
from kpo_calc.render import RenderOptions
from kpo_calc.render.wording import gate_message, reason
from kpo_calc.textsafe import json_part, json_text

SCHEMA_VERSION = 1


def render(outcomes: Sequence[FileOutcome], options: RenderOptions) -> str:
    """The whole run as one JSON document."""
    return json_text(document(outcomes))


#: Where an entry of a command's list sits in its document: an item of a list that is a
#: value of the top object.
ENTRY = "\n    "


def written(o: FileOutcome) -> FileOutcome:
    """``o`` with its entry of the document written (``FileOutcome.part``): a large
    batch writes each file's on the core that computed it, and :func:`render` places
    them (the same text as writing them all at the end, in one process)."""
    if o.result is None:
        return o
    return replace(o, part=json_part(scenario_dict(o.file, o.result), ENTRY))


def document(outcomes: Sequence[FileOutcome]) -> dict[str, Any]:
    """The JSON document as Python data (an entry already written is kept as text)."""
    doc = envelope("scenarios", [scenario_dict(o.file, o.result) if o.part is None
                                 else o.part for o in outcomes if o.result is not None],
                   outcomes)
    doc["warnings"] = [d.as_dict() for o in outcomes for d in o.warnings]
    return doc


def envelope(key: str, entries: list[dict[str, Any]],
             outcomes: Sequence[Outcome[Any]]) -> dict[str, Any]:
    """The document every command's JSON shares: one shape whatever the number of files,
    ``key`` holding an entry per computed file, broken files under ``errors``."""
    return {"schema_version": SCHEMA_VERSION,
            "tool": {"name": "kpo-calc", "version": __version__},
            key: entries,
            "errors": [d.as_dict() for o in outcomes for d in o.errors]}


def cents(amount: float) -> float:
    """Round money to cents; never print -0.0."""
    value = round(amount, 2)
    return 0.0 if value == 0 else value


def cents_list(amounts: Iterable[float]) -> list[float]:
    """:func:`cents` of each amount (inlined: a report rounds hundreds of thousands)."""
    return [0.0 if (value := round(amount, 2)) == 0 else value for amount in amounts]


def cents_map(amounts: Mapping[str, float]) -> dict[str, float]:
    """:func:`cents` of each amount of a mapping, keys kept."""
    return {name: 0.0 if (value := round(amount, 2)) == 0 else value
            for name, amount in amounts.items()}


def fraction(value: float) -> float:
    """Round a fraction to 6 decimals (0.0001%)."""
    rounded = round(value, 6)
    return 0.0 if rounded == 0 else rounded


def scenario_dict(file: str, r: ScenarioResult) -> dict[str, Any]:
    """One scenario's results."""
    return {
        "file": file,
        "name": r.name,
        "currency": r.currency,
        "horizon_months": r.horizon_months,
        "methodology": r.methodology,
        "baseline": r.baseline,
        "metric": r.metric,
        "min_savings": r.min_savings,
        "total_hours": round(r.total_hours, 2),
        "options": [option_dict(o) for o in r.options],
        "recommendation": recommendation_dict(r.recommendation),
        "scorecard": scorecard_dict(r.scorecard),
        "gates": [{"name": g.name, "passed": g.passed, "message": gate_message(g)}
                  for g in r.gates],
        "threshold_base": r.threshold_base,
        "min_savings_amount": cents(r.min_savings_amount),
    }


def option_dict(o: OptionResult) -> dict[str, Any]:
    """One option's results, keyed exactly as design section 4 names them."""
    return {
        "name": o.name,
        "model": o.model,
        "provider": o.provider,
        "location": o.location,
        "feasible": o.feasible,
        "infeasible_reasons": list(o.infeasible_reasons),
        "one_time_cost": cents(o.one_time_cost),
        "recurring_cost": cents(o.recurring_cost),
        "total_cost": cents(o.total_cost),
        "npv": cents(o.npv),
        "risk_cost": cents(o.risk_cost),
        "risk_adjusted_total": cents(o.risk_adjusted_total),
        "risk_adjusted_npv": cents(o.risk_adjusted_npv),
        "cost_per_hour": cents(o.cost_per_hour),
        "unmet_hours": round(o.unmet_hours, 2),
        "savings_vs_baseline": cents(o.savings_vs_baseline),
        "savings_pct": fraction(o.savings_pct),
        "breakeven_month": o.breakeven_month,
        "lines": cents_map(o.lines),
        "monthly": cents_list(o.monthly),
        "flexibility": flexibility_dict(o.flexibility),
        "kind": o.kind,
        "assign": {work: dict(shares) for work, shares in o.assign.items()},
        "by_option": {name: {"lines": cents_map(part.lines),
                             "total_cost": cents(part.total_cost), "npv": cents(part.npv)}
                      for name, part in o.by_option.items()},
        "moved_base": None if o.moved_base is None else cents(o.moved_base),
        "required_savings": None if o.required_savings is None else cents(o.required_savings),
        "clears_threshold": o.clears,
        **({"moves": [move_dict(m) for m in o.moves]} if o.moves else {}),
    }


def move_dict(m: Move) -> dict[str, Any]:
    """One move judged on its own margin (methodology 3, point 2)."""
    return {
        "work": m.work,
        "from": dict(m.from_),
        "to": dict(m.to),
        "incremental": {"savings": cents(m.incremental_savings),
                        "required": cents(m.incremental_required)},
        "standalone": {"savings": cents(m.standalone_savings),
                       "required": cents(m.standalone_required)},
        "clears": m.clears,
    }


def flexibility_dict(f: Flexibility) -> dict[str, Any]:
    """Lead and lag times, shedding and exit costs, stress tests."""
    return {
        "scale_up_lead_months": round(f.scale_up_lead_months, 4),
        "scale_down_lag_months": round(f.scale_down_lag_months, 4),
        "cost_to_shed_fte": cents(f.cost_to_shed_fte),
        "exit_cost": cents(f.exit_cost),
        "stress": [
            {
                "name": s.name,
                "total_cost": cents(s.total_cost),
                "npv": cents(s.npv),
                "delta_vs_base": cents(s.delta_vs_base),
                "unmet_hours": round(s.unmet_hours, 2),
                "unmet_cost": cents(s.unmet_cost),
            }
            for s in f.stress
        ],
    }


def recommendation_dict(rec: Recommendation) -> dict[str, Any]:
    """What to do and why."""
    return {
        "option": rec.option,
        "baseline": rec.baseline,
        "savings": cents(rec.savings),
        "savings_pct": fraction(rec.savings_pct),
        "clears_threshold": rec.clears_threshold,
        "reason": reason(rec),
    }


def scorecard_dict(card: Scorecard | None) -> dict[str, Any] | None:
    """The weighted scorecard, or None when the scenario has no weights."""
    if card is None:
        return None
    return {
        "weights": {k: fraction(w) for k, w in card.weights.items()},
        "rows": [
            {
                "option": row.option,
                "rank": row.rank,
                "cost_score": round(row.cost_score, 4),
                "scores": dict(row.scores),
                "weighted_score": round(row.weighted_score, 4),
            }
            for row in card.rows
        ],
    }
