"""``simulate --format csv``: tidy long form, one row per alternative and figure.

Columns: file, scenario, currency, alternative, measure, statistic, value.
``measure`` is metric, savings, p_cheapest, p_clears, p_recommended, move (with
the work item in ``statistic``), evppi (the input in ``alternative``), or a
scenario-level figure (evpi, threshold_premium, agreement, trials, seed).
Figures are the JSON output's; text goes through ``csv_format.safe``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from kpo_calc.outcome import SimulationOutcome
from kpo_calc.render import RenderOptions
from kpo_calc.render.csv_format import cell, csv_text, safe
from kpo_calc.render.sim_json import simulation_dict

COLUMNS = ("file", "scenario", "currency", "alternative", "measure", "statistic", "value")


def render(outcomes: Sequence[SimulationOutcome], options: RenderOptions) -> str:
    """Every simulated scenario as tidy rows, with a header."""
    return csv_text(COLUMNS, (row for o in outcomes if o.result is not None
                              for row in rows(simulation_dict(o.file, o.result))))


def rows(s: dict[str, Any]) -> Iterator[list[Any]]:
    """The rows of one scenario's simulation."""
    def row(alternative: str, measure: str, statistic: str, value: Any) -> list[Any]:
        return [safe(s["file"]), safe(s["scenario"]), s["currency"], safe(alternative),
                measure, safe(statistic), cell(value)]

    for key in ("trials", "seed", "agreement", "evpi", "threshold_premium"):
        yield row("", key, "", s[key])
    for a in s["alternatives"]:
        for measure in ("metric", "savings"):
            for statistic, value in a[measure].items():
                yield row(a["name"], measure, statistic, value)
        for key in ("p_cheapest", "p_clears", "p_recommended"):
            yield row(a["name"], key, "", a[key])
        for m in a["moves"]:
            yield row(a["name"], "move_p_clears", m["work"], m["p_clears"])
    for v in s["value_of_information"]:
        yield row(v["input"], "evppi", "", v["evppi"])
