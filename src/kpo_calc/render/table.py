"""Rich tables for people: summary, cost lines, flexibility, scorecard and the verdict.

Options are columns and measures are rows, so that three or four options fit
an 80-column terminal and a CI log alike.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from kpo_calc.engine.results import OptionResult, ScenarioResult
from kpo_calc.formatting import money, number, percent
from kpo_calc.outcome import FileOutcome
from kpo_calc.render import RenderOptions
from kpo_calc.render.rows import (
    DASH,
    assign_rows,
    flexibility_rows,
    has_plans,
    line_rows,
    part_rows,
    stress_cell,
)
from kpo_calc.render.summary import summary_rows
from kpo_calc.render.wording import METRIC_LABELS, reason

DEFAULT_WIDTH = 100


CRITERION_LABELS = {"cost": "Cost", "control": "Control", "ip_security": "IP security",
                    "quality": "Quality", "communication": "Communication"}


def console_for(buffer: io.StringIO, options: RenderOptions) -> Console:
    """A console that renders into ``buffer`` with the run's colour and width."""
    return Console(file=buffer, width=options.width or DEFAULT_WIDTH,
                   force_terminal=options.color, no_color=not options.color,
                   color_system="standard" if options.color else None,
                   highlight=False, emoji=False, soft_wrap=False)


def render(outcomes: Sequence[FileOutcome], options: RenderOptions) -> str:
    """Every computed scenario as tables, one block after another."""
    buffer = io.StringIO()
    console = console_for(buffer, options)
    if len(outcomes) > 1:
        console.print(batch_table(outcomes))
        console.print()
    if not options.show_details(len(outcomes)):
        return buffer.getvalue()
    results = [(o.file, o.result) for o in outcomes if o.result is not None]
    for file, result in results:
        for block in scenario_blocks(file, result):
            console.print(block)
            console.print()
    return buffer.getvalue()


def batch_table(outcomes: Sequence[FileOutcome]) -> Table:
    """One row per file: the recommendation, its savings and the gates."""
    table = Table(title=f"Summary of {len(outcomes)} scenario files", title_justify="left",
                  title_style="bold", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for header in ("File", "Scenario", "Recommendation", "Saves", "Gates"):
        table.add_column(header, justify="right" if header == "Saves" else "left",
                         no_wrap=header == "File")
    styles = {"ok": "", "gate": "bold red", "error": "red"}
    for row in summary_rows(outcomes):
        table.add_row(row.file, row.scenario, row.recommendation, row.savings_pct, row.gates,
                      style=styles[row.status])
    return table


def scenario_blocks(file: str, r: ScenarioResult) -> list[RenderableType]:
    """The tables and verdict of one scenario, in reading order."""
    blocks: list[RenderableType] = [
        Text.assemble((r.name, "bold"), "\n", (f"{file}: {r.currency}, {r.horizon_months} "
                      f"months, {number(r.total_hours, 0)} hours of work", "dim")),
        summary_table(r),
        *([assign_table(r)] if has_plans(r) else []),
        lines_table(r),
        flexibility_table(r),
    ]
    if r.scorecard is not None:
        blocks.append(scorecard_table(r))
    blocks.append(verdict_panel(r))
    return blocks


def _table(title: str, r: ScenarioResult) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
                  pad_edge=False, show_edge=False)
    table.add_column("", no_wrap=True)
    for o in r.options:
        label = o.name
        style = "bold green" if o.name == r.recommendation.option else "bold"
        if o.name == r.baseline:
            label += "\n(baseline)"
        elif not o.feasible:
            label += "\n(not feasible)"
        elif o.kind == "plan":
            label += "\n(plan)"
        table.add_column(label, justify="right", header_style=style)
    return table


def summary_table(r: ScenarioResult) -> Table:
    """One-time, recurring, total, NPV, cost per hour, savings, breakeven, risk."""
    cur = r.currency
    table = _table(f"Cost over {r.horizon_months} months ({cur})", r)
    metric = METRIC_LABELS[r.metric]

    def row(label: str, cells: Sequence[str], style: str = "") -> None:
        table.add_row(label, *cells, style=style)

    row("One-time cost", [money(o.one_time_cost) for o in r.options])
    row("Recurring cost", [money(o.recurring_cost) for o in r.options])
    row("Total cost", [money(o.total_cost) for o in r.options], "bold")
    row("NPV", [money(o.npv) for o in r.options], "bold")
    row("Cost per hour", [money(o.cost_per_hour, cents=True) for o in r.options])
    row(f"Savings vs baseline ({metric})", [_vs_base(o, r, money(o.savings_vs_baseline))
                                            for o in r.options])
    row("Savings %", [_vs_base(o, r, percent(o.savings_pct)) for o in r.options])
    row("Breakeven month", [_vs_base(o, r, _month(o.breakeven_month)) for o in r.options])
    row("Risk (expected loss)", [money(o.risk_cost) for o in r.options])
    row("Risk-adjusted total", [money(o.risk_adjusted_total) for o in r.options])
    row("Risk-adjusted NPV", [money(o.risk_adjusted_npv) for o in r.options])
    return table


def _vs_base(o: OptionResult, r: ScenarioResult, text: str) -> str:
    return DASH if o.name == r.baseline else text


def _month(month: int | None) -> str:
    return "never" if month is None else str(month)


def lines_table(r: ScenarioResult) -> Table:
    """Cost by line; one-time lines are marked."""
    table = _table(f"Cost by line ({r.currency})", r)
    for label, cells in line_rows(r):
        table.add_row(label, *cells)
    table.add_row("Total", *[money(o.total_cost) for o in r.options], style="bold")
    for label, cells in part_rows(r):
        table.add_row(label, *cells, style="dim")
    return table


def assign_table(r: ScenarioResult) -> Table:
    """Who does each work item in each alternative."""
    table = _table("Who does the work", r)
    for label, cells in assign_rows(r):
        table.add_row(label, *cells)
    return table


def flexibility_table(r: ScenarioResult) -> Table:
    """Lead and lag times, shedding and exit costs, then each stress test's change."""
    table = _table("Flexibility", r)
    for label, cells in flexibility_rows(r):
        table.add_row(label, *cells)
    for i, test in enumerate(r.options[0].flexibility.stress):
        cells = [stress_cell(o.flexibility.stress[i], "\n{hours} h unmet") for o in r.options]
        cheapest = min((o for o in r.options if o.feasible),
                       key=lambda o: o.flexibility.stress[i].total_cost)
        table.add_row(f"{test.name}: change in total\n(cheapest: {cheapest.name})", *cells)
    return table


def scorecard_table(r: ScenarioResult) -> Table:
    """Feasible options ranked on weighted scores (cost score 5 = cheapest)."""
    assert r.scorecard is not None
    card = r.scorecard
    weights = ", ".join(f"{CRITERION_LABELS[k]} {percent(w, 0)}"
                        for k, w in card.weights.items() if w > 0)
    table = Table(title="Scorecard (higher is better)", title_justify="left",
                  title_style="bold", caption=f"Weights: {weights}.", caption_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    criteria = [c for c in ("control", "ip_security", "quality", "communication")
                if card.weights.get(c, 0) > 0]
    for header in ["Rank", "Option", *[CRITERION_LABELS[c] for c in ("cost", *criteria)],
                   "Weighted"]:
        table.add_column(header, justify="left" if header == "Option" else "right")
    for row in card.rows:
        table.add_row(str(row.rank), row.option, f"{row.cost_score:.2f}",
                      *[number(row.scores[c], 1) for c in criteria],
                      f"{row.weighted_score:.2f}",
                      style="bold" if row.rank == 1 else "")
    return table


def verdict_panel(r: ScenarioResult) -> Panel:
    """What to do, why, and whether the declared gates hold."""
    rec = r.recommendation
    lines: list[RenderableType] = [
        Text.assemble(("Recommendation: ", "bold"), (rec.option, "bold green")),
        Text(reason(rec)),
    ]
    chosen = r.option(rec.option)
    if rec.option != r.baseline and chosen.breakeven_month is not None:
        lines.append(Text(f"Cumulative savings stay positive from month "
                          f"{chosen.breakeven_month}."))
    for o in r.options:
        if not o.feasible:
            lines.append(Text(f"{o.name} is not feasible: {'; '.join(o.infeasible_reasons)}.",
                              style="yellow"))
    for gate in r.gates:
        mark, style = ("PASS", "green") if gate.passed else ("FAIL", "bold red")
        lines.append(Text.assemble((f"Gate {gate.name} {mark}: ", style), gate.message))
    return Panel(Group(*lines), title="Verdict", title_align="left", border_style="green"
                 if r.gates_passed else "red", box=box.ROUNDED, expand=True)
