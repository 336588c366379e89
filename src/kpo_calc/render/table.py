"""Rich tables for people: summary, cost lines, flexibility, scorecard and the verdict.

Options are columns and measures are rows; when the options do not fit the
width side by side, a table is split into parts that repeat the row labels
(:mod:`kpo_calc.render.layout`), so that no figure is ever cut off. Every text
from a scenario or a path goes to rich as ``Text``, never as markup.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Console, RenderableType
from rich.text import Text

from kpo_calc.engine.results import OptionResult, ScenarioResult
from kpo_calc.formatting import money, number, threshold
from kpo_calc.outcome import FileOutcome
from kpo_calc.render import RenderOptions
from kpo_calc.render.feasible import infeasible_note, shown
from kpo_calc.render.layout import Column, Grid, fit, panel, text
from kpo_calc.render.rows import (
    DASH,
    MOVE_HEADS,
    assign_rows,
    cost_rows,
    flexibility_rows,
    has_plans,
    line_rows,
    marks,
    move_rows,
    moves_shown,
    part_rows,
    stress_cell,
)
from kpo_calc.render.scorecard import (
    CRITERION_LABELS,
    scorecard_criteria,
    scorecard_rows,
    scorecard_weights,
)
from kpo_calc.render.summary import SUMMARY_HEADERS, summary_rows
from kpo_calc.render.wording import gate_message, reason, uncertain_note
from kpo_calc.textsafe import no_commands, visible

DEFAULT_WIDTH = 100


def console_for(buffer: io.StringIO, options: RenderOptions) -> Console:
    """A console that renders into ``buffer`` with the run's colour and width.

    Markup is off: a ``[`` in a name is text (renderers pass ``Text`` anyway).
    """
    return Console(file=buffer, width=options.width or DEFAULT_WIDTH,
                   force_terminal=options.color, no_color=not options.color,
                   color_system="standard" if options.color else None,
                   highlight=False, emoji=False, soft_wrap=False, markup=False)


def each_result(outcomes: Sequence[Any], options: RenderOptions,
                blocks: Callable[[Any, Any, int], list[RenderableType]]) -> str:
    """The table text of a command: ``blocks(outcome, result, width)`` of every file that
    has a result, one after another (``mix``, ``simulate``)."""
    buffer = io.StringIO()
    console = console_for(buffer, options)
    for o in outcomes:
        if o.result is not None:
            for block in blocks(o, o.result, console.width):
                console.print(block)
            console.print()
    return no_commands(buffer.getvalue())


def render(outcomes: Sequence[FileOutcome], options: RenderOptions) -> str:
    """Every computed scenario as tables, one block after another."""
    buffer = io.StringIO()
    console = console_for(buffer, options)
    width = console.width
    if len(outcomes) > 1:
        for table in batch_tables(outcomes, width):
            console.print(table)
        console.print()
    if options.show_details(len(outcomes)):
        for o in outcomes:
            if o.result is not None:
                for block in scenario_blocks(o.file, o.result, console, options.show_all,
                                             o.uncertain_inputs):
                    console.print(block)
                    console.print()
    return no_commands(buffer.getvalue())


def batch_tables(outcomes: Sequence[FileOutcome], width: int) -> list[RenderableType]:
    """One row per file: the recommendation, its savings, the baseline and the gates."""
    grid = Grid(f"Summary of {len(outcomes)} scenario files",
                [Column(h, "left", "bold") for h in SUMMARY_HEADERS], records=True)
    styles = {"ok": "", "gate": "bold red", "error": "red"}
    for row in summary_rows(outcomes):
        grid.add(*map(visible, row.cells()), style=styles[row.status])
    return list(fit(grid, width))


def scenario_blocks(file: str, r: ScenarioResult, console: Console,
                    show_all: bool = False, uncertain: int = 0) -> list[RenderableType]:
    """One scenario in reading order: the verdict and its reason, the summary, the details.

    The tables show the feasible alternatives (every one with ``show_all``); the
    verdict names the others in one line.
    """
    width = console.width
    view = shown(r, show_all)
    blocks: list[RenderableType] = [
        Text.assemble(text(r.name, "bold"), "\n", text(
            f"{file}: {r.currency}, {r.horizon_months} months, "
            f"{number(r.total_hours, 0)} hours of work", "dim")),
        verdict_panel(r, width, console, show_all, uncertain),
        # The moves that decide the verdict, next to it (methodology 3, point 2).
        *(block for o in moves_shown(r) for block in fit(moves_grid(o, r), width)),
        *fit(summary_grid(view), width),
        *(fit(assign_grid(view), width) if has_plans(view) else []),
        *fit(lines_grid(view), width),
        *fit(flexibility_grid(view), width),
    ]
    if r.scorecard is not None:
        blocks += fit(scorecard_grid(r), width)
    return blocks


def moves_grid(o: OptionResult, r: ScenarioResult) -> Grid:
    """Each move of ``o`` on its own margin and alone (methodology 3, point 2)."""
    grid = Grid(f"Moves of {visible(o.name)} ({r.currency}; each must save "
                f"{threshold(r.min_savings)} of what it avoids)",
                [Column(MOVE_HEADS[0], "left"), Column(MOVE_HEADS[1], "left", ""),
                 *(Column(h) for h in MOVE_HEADS[2:])])
    for cells in move_rows(o):
        grid.add(visible(cells[0]), visible(cells[1]), *cells[2:],
                 style="" if cells[-1] == "yes" else "red")
    return grid


def _grid(title: str, r: ScenarioResult) -> Grid:
    columns = [Column("", "left", "")]
    for o in r.options:
        label = visible(o.name)
        if marks(o, r):  # every mark that holds: an infeasible baseline plan says all three
            label += "\n" + marks(o, r)
        columns.append(Column(label, "right",
                              "bold green" if o.name == r.recommendation.option else "bold"))
    return Grid(title, columns)


def summary_grid(r: ScenarioResult) -> Grid:
    """One-time, recurring, total, NPV, cost per hour, savings, breakeven, risk."""
    grid = _grid(f"Cost over {r.horizon_months} months ({r.currency})", r)
    for label, cells, headline in cost_rows(r):
        grid.add(label, *cells, style="bold" if headline else "")
    return grid


def _vs_base(o: OptionResult, r: ScenarioResult, value: str) -> str:
    return DASH if o.name == r.baseline else value


def _month(month: int | None) -> str:
    return "never" if month is None else str(month)


def lines_grid(r: ScenarioResult) -> Grid:
    """Cost by line; one-time lines are marked."""
    grid = _grid(f"Cost by line ({r.currency})", r)
    for label, cells in line_rows(r):
        grid.add(label, *cells)
    grid.add("Total", *[money(o.total_cost) for o in r.options], style="bold")
    for label, cells in part_rows(r):
        grid.add(label, *cells, style="dim")
    return grid


def assign_grid(r: ScenarioResult) -> Grid:
    """Who does each work item in each alternative."""
    grid = _grid("Who does the work", r)
    for label, cells in assign_rows(r):
        grid.add(label, *cells)
    return grid


def flexibility_grid(r: ScenarioResult) -> Grid:
    """Lead and lag times, shedding and exit costs, then each stress test's change."""
    grid = _grid("Flexibility", r)
    for label, cells in flexibility_rows(r):
        grid.add(label, *cells)
    for i, test in enumerate(r.options[0].flexibility.stress):
        cells = [stress_cell(o.flexibility.stress[i], "\n{hours} h unmet") for o in r.options]
        cheapest = min((o for o in r.options if o.feasible),
                       key=lambda o: o.flexibility.stress[i].total_cost)
        grid.add(f"{visible(test.name)}: change in total\n(cheapest: {visible(cheapest.name)})",
                 *cells)
    return grid


def scorecard_grid(r: ScenarioResult) -> Grid:
    """Feasible options ranked on weighted scores (cost score 5 = cheapest)."""
    assert r.scorecard is not None
    criteria = scorecard_criteria(r)
    grid = Grid("Scorecard (higher is better)",
                [Column("Rank"), Column("Option", "left"),
                 *[Column(CRITERION_LABELS[c]) for c in ("cost", *criteria)],
                 Column("Weighted")], keep=2, caption=f"Weights: {scorecard_weights(r)}.")
    for cells, rank in scorecard_rows(r, criteria):
        grid.add(*cells, style="bold" if rank == 1 else "")
    return grid


def verdict_panel(r: ScenarioResult, width: int, console: Console,
                  show_all: bool = False, uncertain: int = 0) -> Text:
    """What to do, why, what cannot do all the work, and whether the declared gates hold."""
    rec = r.recommendation
    lines: list[Text] = [
        Text.assemble(("Recommendation: ", "bold"), text(rec.option, "bold green")),
        text(reason(rec)),
    ]
    chosen = r.option(rec.option)
    if rec.option != r.baseline and chosen.breakeven_month is not None:
        lines.append(Text(f"Cumulative savings stay positive from month "
                          f"{chosen.breakeven_month}."))
    note = infeasible_note(r, show_all)
    if note is not None:
        lines.append(text(note, "yellow"))
    spread = uncertain_note(uncertain)
    if spread is not None:
        lines.append(text(spread, "dim"))
    for gate in r.gates:
        mark, style = ("PASS", "green") if gate.passed else ("FAIL", "bold red")
        lines.append(Text.assemble(text(f"Gate {gate.name} {mark}: ", style),
                                   text(gate_message(gate))))
    return panel("Verdict", lines, width, console, "green" if r.gates_passed else "red")
