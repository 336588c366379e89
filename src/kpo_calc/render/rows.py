"""Rows shared by the table and Markdown formats: one label and one cell per option.

Both formats show the same cost lines and flexibility figures; defining the
rows once keeps their wording and rounding the same, and keeps rich out of
the Markdown format.
"""

from __future__ import annotations

from kpo_calc.engine.lines import LINES
from kpo_calc.engine.results import ScenarioResult, StressResult
from kpo_calc.formatting import money, number

DASH = "—"
Row = tuple[str, list[str]]

#: Row labels of the cost lines, from the engine's line table.
LINE_LABELS = {line.name: line.label for line in LINES}


def line_rows(r: ScenarioResult) -> list[Row]:
    """Cost by line, for the lines some option has; one-time lines are marked."""
    return [
        (line.label + (" (one-time)" if line.one_time else ""),
         [money(o.lines[line.name]) if line.name in o.lines else DASH for o in r.options])
        for line in LINES if any(line.name in o.lines for o in r.options)]


def flexibility_rows(r: ScenarioResult) -> list[Row]:
    """Lead and lag times, the cost of shedding one FTE, the exit cost."""
    return [
        ("Scale-up lead (months)", [number(o.flexibility.scale_up_lead_months)
                                    for o in r.options]),
        ("Scale-down lag (months)", [number(o.flexibility.scale_down_lag_months)
                                     for o in r.options]),
        ("Cost to shed 1 FTE", [money(o.flexibility.cost_to_shed_fte) for o in r.options]),
        ("Exit cost", [money(o.flexibility.exit_cost) for o in r.options]),
    ]


def stress_cell(s: StressResult, unmet: str) -> str:
    """``+1,234`` (or ``-1,234``), then ``unmet`` (with ``{hours}``) when hours went unmet."""
    sign = "+" if s.delta_vs_base >= 0.005 else ""
    cell = f"{sign}{money(s.delta_vs_base)}"
    if s.unmet_hours > 0.005:
        cell += unmet.format(hours=number(s.unmet_hours, 0))
    return cell
