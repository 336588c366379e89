"""``diff`` as rich tables: the decision before and after, results, inputs."""

from __future__ import annotations

import io

from rich.text import Text

from kpo_calc.diffing import ScenarioDiff
from kpo_calc.render import RenderOptions
from kpo_calc.render.diff_text import (
    DIFF_HEADERS,
    headline,
    hidden_note,
    input_cells,
    option_cells,
    shown_options,
)
from kpo_calc.render.layout import Column, Grid, fit, panel, text
from kpo_calc.render.table import console_for
from kpo_calc.render.wording import reason
from kpo_calc.textsafe import no_commands, visible


def render(diff: ScenarioDiff, options: RenderOptions) -> str:
    """Two versions of a scenario side by side: decision, results, inputs."""
    buffer = io.StringIO()
    console = console_for(buffer, options)
    console.print(Text.assemble(text(diff.name, "bold"), "\n", text(
        f"{diff.old_file} → {diff.new_file} ({diff.currency})", "dim")))
    console.print()
    style = "bold yellow" if diff.recommendation_changed else "bold green"
    console.print(panel("Decision", [text(headline(diff), style),
                                     text(f"Before: {reason(diff.old_verdict)}"),
                                     text(f"After: {reason(diff.new_verdict)}")],
                        console.width, console))
    console.print()
    results = Grid("Results (before → after)", [
        Column(h, "left" if h in ("Option", "Status") else "right") for h in DIFF_HEADERS])
    for option in shown_options(diff, options.show_all):
        results.add(*map(visible, option_cells(option, diff.baseline)),
                    style="" if option.status == "unchanged" else "bold")
    for table in fit(results, console.width):
        console.print(table)
    note = hidden_note(diff, options.show_all)
    if note is not None:
        console.print(text(note, "yellow"))
    console.print()
    inputs = Grid(f"Inputs changed ({len(diff.inputs)})",
                  [Column(h, "left") for h in ("Input", "Before", "After")], records=True)
    for change in diff.inputs:
        inputs.add(*map(visible, input_cells(change)))
    for table in fit(inputs, console.width) if diff.inputs else [Text("No input changed.")]:
        console.print(table)
    return no_commands(buffer.getvalue())

