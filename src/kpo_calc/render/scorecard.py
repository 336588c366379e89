"""The weighted scorecard as rows of text, shared by the table and Markdown formats."""

from __future__ import annotations

from collections.abc import Sequence

from kpo_calc.engine.results import ScenarioResult
from kpo_calc.formatting import number, percent

CRITERION_LABELS = {"cost": "Cost", "control": "Control", "ip_security": "IP security",
                    "quality": "Quality", "communication": "Communication"}


def scorecard_criteria(r: ScenarioResult) -> list[str]:
    """The scored criteria that carry weight, in a fixed order (cost comes first, apart)."""
    assert r.scorecard is not None
    return [c for c in ("control", "ip_security", "quality", "communication")
            if r.scorecard.weights.get(c, 0) > 0]


def scorecard_weights(r: ScenarioResult) -> str:
    """``Cost 50%, Control 20%, ...``: the criteria that carry weight."""
    assert r.scorecard is not None
    return ", ".join(f"{CRITERION_LABELS[k]} {percent(w, 0)}"
                     for k, w in r.scorecard.weights.items() if w > 0)


def scorecard_rows(r: ScenarioResult, criteria: Sequence[str]) -> list[tuple[list[str], int]]:
    """Rank, option, cost score, each criterion's score and the weighted score, per row
    (plain text), with the rank."""
    assert r.scorecard is not None
    return [([str(row.rank), row.option, f"{row.cost_score:.2f}",
              *[number(row.scores[c], 1) for c in criteria], f"{row.weighted_score:.2f}"],
             row.rank) for row in r.scorecard.rows]
