"""``mix`` as tables for people: the verdict, the best plan, the ranking, the search."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.text import Text

from kpo_calc.engine.mixing import MixResult
from kpo_calc.engine.robust import RobustResult
from kpo_calc.formatting import money, percent
from kpo_calc.outcome import MixOutcome
from kpo_calc.render import RenderOptions
from kpo_calc.render.layout import Column, Grid, fit, text
from kpo_calc.render.mix_json import expect_message, work_items
from kpo_calc.render.mix_words import (
    CLEARS_LEGEND,
    cheapest_note,
    clears_word,
    search_note,
    single_note,
)
from kpo_calc.render.robust_words import ROBUST_HEADS, ROBUST_LEGEND, plan_row, sentence, title
from kpo_calc.render.table import each_result
from kpo_calc.render.wording import METRIC_LABELS, reason, shares_text
from kpo_calc.textsafe import visible


def render(outcomes: Sequence[MixOutcome], options: RenderOptions) -> str:
    """Every searched scenario, one after another."""
    return each_result(outcomes, options, blocks)


def blocks(o: MixOutcome, r: MixResult, width: int) -> list[RenderableType]:
    """One scenario: heading, verdict, best plan, ranking, notes and the search line."""
    out: list[RenderableType] = [
        Text.assemble(text(r.name, "bold"), "\n", text(
            f"{o.file}: best sourcing plan against {r.baseline.name} "
            f"({METRIC_LABELS[r.metric]}, {r.currency})", "dim")),
        text(reason(r.recommendation), "bold green" if r.best is not None else "bold"),
    ]
    if r.best is not None:
        grid = Grid(f"Best plan: {visible(r.best.result.name)}",
                    [Column("Work", "left"), Column("Goes to", "left", "bold")])
        for work, to in r.best.result.assign.items():
            grid.add(visible(work), visible(shares_text(to)))
        out += fit(grid, width)
    out += fit(top_grid(r), width)
    for note in (cheapest_note(r), single_note(r)):
        if note is not None:
            out.append(text(note))
    if o.robust is not None:
        out += robust_blocks(o.robust, r.metric, width)
    if o.expect is not None:
        out.append(text(("expect passed: " if o.expect_passed else "gate expect failed: ")
                        + expect_message(o), "" if o.expect_passed else "bold red"))
    out.append(text(search_note(r), "dim"))
    return out


def robust_blocks(rr: RobustResult, metric: str, width: int) -> list[RenderableType]:
    """``mix --trials``: the robust verdict and the plans judged in every trial."""
    grid = Grid(title(rr, metric), [Column(ROBUST_HEADS[0], "left"),
                                    *(Column(h) for h in ROBUST_HEADS[1:])],
                caption=ROBUST_LEGEND)
    for p in rr.plans:
        grid.add(*(visible(c) for c in plan_row(rr, p)))
    return [text(sentence(rr, metric), "bold"), *fit(grid, width)]


def top_grid(r: MixResult) -> Grid:
    """The ranking's head as a matrix: a row per plan, a column per work item (the option,
    or the split, that does it), then the metric, and the savings with whether they clear
    the plan's threshold (in the same cell: a column of its own would not fit 80 columns).

    One column per work item keeps each plan on a line or two at 80 columns; when
    the items do not fit side by side, the grid splits into parts that repeat the
    rank and plan name.
    """
    label = METRIC_LABELS[r.metric]
    work = work_items(r)
    order = ("cheapest first" if not r.baseline.feasible else "cheapest that clear first")
    grid = Grid(f"Top {len(r.top)} plans ({order})", [
        Column("#"), Column("Plan", "left"), *(Column(visible(w), "left", "") for w in work),
        Column(label), Column("Savings")], keep=2, caption=CLEARS_LEGEND)
    for p in r.top:
        name = visible(p.result.name)
        grid.add(str(p.rank), name,
                 *(visible(shares_text(p.result.assign.get(w, {}))) for w in work),
                 money(p.result.metric(r.metric)),
                 f"{money(p.result.savings_vs_baseline)} ({percent(p.result.savings_pct)}) "
                 + clears_word(r, p))
    return grid
