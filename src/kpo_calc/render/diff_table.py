"""``diff`` as rich tables: the decision before and after, results, inputs."""

from __future__ import annotations

import io

from rich import box
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from kpo_calc.diffing import ScenarioDiff
from kpo_calc.render import RenderOptions
from kpo_calc.render.diff_text import DIFF_HEADERS, headline, input_cells, option_cells
from kpo_calc.render.table import console_for
from kpo_calc.render.wording import reason


def render(diff: ScenarioDiff, options: RenderOptions) -> str:
    """Two versions of a scenario side by side: decision, results, inputs."""
    buffer = io.StringIO()
    console = console_for(buffer, options)
    console.print(Text.assemble((diff.name, "bold"), "\n", (
        f"{diff.old_file} → {diff.new_file} ({diff.currency})", "dim")))
    console.print()
    style = "bold yellow" if diff.recommendation_changed else "bold green"
    console.print(Panel(Group(Text(headline(diff), style=style),
                              Text(f"Before: {reason(diff.old_verdict)}"),
                              Text(f"After: {reason(diff.new_verdict)}")),
                        title="Decision", title_align="left", box=box.ROUNDED))
    console.print()
    table = Table(title="Results (before → after)", title_justify="left", title_style="bold",
                  box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for header in DIFF_HEADERS:
        table.add_column(header, justify="left" if header in ("Option", "Status") else "right")
    for option in diff.options:
        table.add_row(*option_cells(option, diff.baseline),
                      style="" if option.status == "unchanged" else "bold")
    console.print(table)
    console.print()
    inputs = Table(title=f"Inputs changed ({len(diff.inputs)})", title_justify="left",
                   title_style="bold", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for header in ("Input", "Before", "After"):
        inputs.add_column(header, overflow="fold")
    for change in diff.inputs:
        inputs.add_row(*input_cells(change))
    console.print(inputs if diff.inputs else Text("No input changed."))
    return buffer.getvalue()

