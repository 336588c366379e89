"""``diff`` as Markdown, for a pull-request comment."""

from __future__ import annotations

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
from kpo_calc.render.markdown import LIMIT, code, esc
from kpo_calc.render.wording import reason
from kpo_calc.textsafe import no_commands


def render(diff: ScenarioDiff, options: RenderOptions) -> str:
    """A pull-request comment: did the decision change, what moved, which inputs changed."""
    icon = "⚠️" if diff.recommendation_changed else "✅"
    lines = [f"## {icon} {esc(diff.name)}: {esc(headline(diff))}", "",
             f"{code(diff.old_file)} → {code(diff.new_file)} · {diff.currency}", "",
             f"- Before: {esc(reason(diff.old_verdict))}",
             f"- After: {esc(reason(diff.new_verdict))}", "",
             f"| {' | '.join(DIFF_HEADERS)} |", "|---|---|---:|---:|---:|---:|"]
    for option in shown_options(diff, options.show_all):
        cells = [esc(c) for c in option_cells(option, diff.baseline)]
        lines.append(f"| {' | '.join(cells)} |")
    lines.append("")
    note = hidden_note(diff, options.show_all)
    if note is not None:
        lines += [f"_{esc(note)}_", ""]
    if diff.inputs:
        lines += [f"<details><summary>Inputs changed ({len(diff.inputs)})</summary>", "",
                  "| Input | Before | After |", "|---|---|---|"]
        lines += [f"| {code(a, table=True)} | {esc(b)} | {esc(c)} |"
                  for a, b, c in (input_cells(ch) for ch in diff.inputs)]
        lines += ["", "</details>"]
    else:
        lines.append("No input changed.")
    text = "\n".join(lines) + "\n"
    return no_commands(text if len(text) <= LIMIT else text[: LIMIT - 2] + "…\n")
