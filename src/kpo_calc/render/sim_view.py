"""``simulate`` as a view: the verdict and how many trials agree, the alternatives' spread,
the savings histogram, the value of information, the notes and the gate.

The table and Markdown formats lay out this one view (``view_formats``); JSON and CSV
are ``sim_json`` and ``sim_csv``. The sentences are ``sim_words``'.
"""

from __future__ import annotations

from collections.abc import Sequence

from kpo_calc.engine.simulation import SimulationResult
from kpo_calc.formatting import money
from kpo_calc.outcome import SimulationOutcome
from kpo_calc.render import RenderOptions, view_formats
from kpo_calc.render.markdown import LIMIT, error_lines
from kpo_calc.render.sim_words import (
    ALTERNATIVE_HEADS,
    ALTERNATIVE_LEGEND,
    ODDS_LEGEND,
    SPREAD_LEGEND,
    about,
    alternative_row,
    clipped_note,
    evpi_line,
    gate_line,
    histogram_bars,
    infeasible_note,
    move_notes,
    shown_alternatives,
    verdict,
    worth,
    worth_sentence,
)
from kpo_calc.render.views import Block, Cell, Col, Lines, Say, Table, View
from kpo_calc.render.wording import METRIC_LABELS

#: How many inputs the value-of-information table lists (the JSON has them all).
VOI_ROWS = 10


def view(o: SimulationOutcome, r: SimulationResult) -> View:
    """One file's simulation, in reading order."""
    blocks: list[Block] = [Say(verdict(r), "strong"), _alternatives(r)]
    left = infeasible_note(r)
    if left is not None:
        blocks.append(Say(left, "quiet"))
    blocks += [Say(note) for note in move_notes(r)]
    if r.histogram is not None:
        blocks.append(Table(
            f"Savings of {r.histogram.alternative} against {r.baseline} ({r.currency})",
            (Col("Savings", key=True, tone="plain"), Col("", tone="plain"),
             Col("Trials", "figure")), tuple(histogram_bars(r))))
    blocks.append(Say(evpi_line(r)))
    if r.value_of_information and r.evpi > 0:
        blocks.append(_value_of_information(r))
    advice, clipped = worth_sentence(r), clipped_note(r)
    if advice is not None:
        blocks.append(Say(advice, "strong"))
    if clipped is not None:
        blocks.append(Say(clipped, "quiet"))
    gate = gate_line(o)
    if gate is not None:
        blocks.append(Say(gate, "pass" if o.gate_passed else "fail"))
    return View(o.file, r.name, tuple(blocks), about=about(r))


def _alternatives(r: SimulationResult) -> Table:
    """The alternatives' spread and odds; on a narrow terminal (80 columns) two tables,
    each with its own title and legend, rather than one split into parts whose last
    part's title and legend wrap in a column a dozen cells wide."""
    heads = (Col(ALTERNATIVE_HEADS[0], key=True),
             *(Col(h, "figure") for h in ALTERNATIVE_HEADS[1:]))
    rows = tuple(tuple(alternative_row(a)) for a in shown_alternatives(r))
    title = (f"Alternatives over {r.trials:,} trials ({METRIC_LABELS[r.metric]}; savings "
             f"against {r.baseline})")
    spread = Table(title, heads[:5], tuple(row[:5] for row in rows), caption=SPREAD_LEGEND)
    odds = Table(f"How often each alternative is cheapest, clears and is picked, over "
                 f"{r.trials:,} trials", (heads[0], *heads[5:]),
                 tuple((row[0], *row[5:]) for row in rows), caption=ODDS_LEGEND)
    return Table(title, heads, rows, caption=ALTERNATIVE_LEGEND, narrow=(spread, odds))


def _value_of_information(r: SimulationResult) -> Table:
    """The EVPPI table; on a narrow terminal each input's distribution goes under its path
    instead of in a column of its own (which split the table in two)."""
    title = "Value of information: what learning each input before deciding is worth (EVPPI)"
    shown = r.value_of_information[:VOI_ROWS]
    evppi = Col(f"EVPPI ({r.currency})", "figure")
    yes = Col("Worth a study", tone="plain")
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (v.input, v.distribution, money(v.evppi), "yes" if worth(r, v.evppi) else "no")
        for v in shown)
    stacked = Table(title, (Col("Input (distribution)", key=True), evppi, yes), tuple(
        (Lines((v.input, f"({v.distribution})")), money(v.evppi),
         "yes" if worth(r, v.evppi) else "no") for v in shown))
    return Table(title, (Col("Input", "code", key=True), Col("Distribution", tone="plain"),
                         evppi, yes), rows, narrow=(stacked,))


def _views(outcomes: Sequence[SimulationOutcome]) -> list[View]:
    return [view(o, o.result) for o in outcomes if o.result is not None]


def table(outcomes: Sequence[SimulationOutcome], options: RenderOptions) -> str:
    """Terminal text: every simulated file, one after another."""
    return view_formats.table(_views(outcomes), options)


def markdown(outcomes: Sequence[SimulationOutcome], options: RenderOptions) -> str:
    """GitHub Markdown (a pull-request comment, a job summary), broken files' errors
    first."""
    return view_formats.markdown(_views(outcomes), error_lines(outcomes), limit=LIMIT)
