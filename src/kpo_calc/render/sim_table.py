"""``simulate`` as tables for people: the verdict and its agreement, the alternatives'
spread, the savings histogram, the value of information."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.text import Text

from kpo_calc.engine.simulation import SimulationResult
from kpo_calc.formatting import money
from kpo_calc.outcome import SimulationOutcome
from kpo_calc.render import RenderOptions
from kpo_calc.render.layout import Column, Grid, fit, text
from kpo_calc.render.sim_words import (
    ALTERNATIVE_HEADS,
    ALTERNATIVE_LEGEND,
    ODDS_LEGEND,
    SPREAD_LEGEND,
    alternative_row,
    clipped_note,
    evpi_line,
    gate_line,
    heading,
    histogram_bars,
    infeasible_note,
    move_notes,
    shown_alternatives,
    verdict,
    worth,
    worth_sentence,
)
from kpo_calc.render.table import each_result
from kpo_calc.render.wording import METRIC_LABELS
from kpo_calc.textsafe import visible


def render(outcomes: Sequence[SimulationOutcome], options: RenderOptions) -> str:
    """Every simulated scenario, one after another."""
    return each_result(outcomes, options, blocks)


def blocks(o: SimulationOutcome, r: SimulationResult, width: int) -> list[RenderableType]:
    """One scenario: heading, verdict, alternatives, histogram, value of information."""
    out: list[RenderableType] = [
        Text.assemble(text(r.name, "bold"), "\n", text(heading(r, o.file), "dim")),
        text(verdict(r), "bold"),
    ]
    out += _alternatives(r, width)
    left = infeasible_note(r)
    if left is not None:
        out.append(text(left, "dim"))
    for note in move_notes(r):
        out.append(text(note))
    if r.histogram is not None:
        bars = Grid(f"Savings of {visible(r.histogram.alternative)} against "
                    f"{visible(r.baseline)} ({r.currency})",
                    [Column("Savings", "left", ""), Column("", "left", ""), Column("Trials")])
        for span, bar, count in histogram_bars(r):
            bars.add(span, bar, count)
        out += fit(bars, width)
    out.append(text(evpi_line(r)))
    if r.value_of_information and r.evpi > 0:
        out += _value_of_information(r, width)
    advice = worth_sentence(r)
    if advice is not None:
        out.append(text(advice, "bold"))
    clipped = clipped_note(r)
    if clipped is not None:
        out.append(text(clipped, "dim"))
    gate = gate_line(o)
    if gate is not None:
        out.append(text(gate, "" if o.gate_passed else "bold red"))
    return out


def _alternatives(r: SimulationResult, width: int) -> list[RenderableType]:
    """The alternatives table; on a narrow terminal (80 columns) two tables, each with its
    own title and legend, rather than one split into parts whose last part's title and
    legend wrap in a column a dozen cells wide."""
    label = METRIC_LABELS[r.metric]
    heads = [Column(ALTERNATIVE_HEADS[0], "left"), *(Column(h) for h in ALTERNATIVE_HEADS[1:])]
    rows = [[visible(c) for c in alternative_row(a)] for a in shown_alternatives(r)]
    grid = Grid(f"Alternatives over {r.trials:,} trials ({label}; savings against "
                f"{visible(r.baseline)})", heads, keep=1, caption=ALTERNATIVE_LEGEND)
    for row in rows:
        grid.add(*row)
    whole = fit(grid, width)
    if len(whole) == 1:
        return whole
    spread = Grid(f"Alternatives over {r.trials:,} trials ({label}; savings against "
                  f"{visible(r.baseline)})", heads[:5], keep=1, caption=SPREAD_LEGEND)
    odds = Grid(f"How often each alternative is cheapest, clears and is picked, over "
                f"{r.trials:,} trials", [heads[0], *heads[5:]], keep=1, caption=ODDS_LEGEND)
    for row in rows:
        spread.add(*row[:5])
        odds.add(row[0], *row[5:])
    return [*fit(spread, width), *fit(odds, width)]


def _value_of_information(r: SimulationResult, width: int) -> list[RenderableType]:
    """The EVPPI table; on a narrow terminal each input's distribution goes under its path
    instead of in a column of its own (which split the table in two)."""
    title = "Value of information: what learning each input before deciding is worth (EVPPI)"
    cells = [(visible(v.input), visible(v.distribution), money(v.evppi),
              "yes" if worth(r, v.evppi) else "no") for v in r.value_of_information[:10]]
    money_head = Column(f"EVPPI ({r.currency})")
    worth_head = Column("Worth a study", "left", "")
    voi = Grid(title, [Column("Input", "left"), Column("Distribution", "left", ""),
                       money_head, worth_head])
    for row in cells:
        voi.add(*row)
    whole = fit(voi, width)
    if len(whole) == 1:
        return whole
    stacked = Grid(title, [Column("Input (distribution)", "left"), money_head, worth_head])
    for path, distribution, evppi, yes in cells:
        stacked.add(f"{path}\n({distribution})", evppi, yes)
    return fit(stacked, width)
