"""``diff`` as a view: the decision before and after, the results that moved, the inputs
that changed.

The table and Markdown formats lay out this one view (``view_formats``); JSON keeps its
own module (``diff_json``): its fields are a contract.
"""

from __future__ import annotations

from kpo_calc.diffing import ScenarioDiff
from kpo_calc.render import RenderOptions, view_formats
from kpo_calc.render.diff_text import (
    DIFF_HEADERS,
    headline,
    hidden_note,
    input_cells,
    option_cells,
    shown_options,
)
from kpo_calc.render.markdown import LIMIT
from kpo_calc.render.views import Block, Box, Col, Say, Table, View
from kpo_calc.render.wording import reason

#: Said when a diff does not fit GitHub's limit for a comment: the inputs fold first
#: (``Table.fold``), the decision and the results stay.
FOLD_NOTE = ("_The inputs that changed were left out to keep this comment under {limit:,} "
             "characters (GitHub's limit for a comment): `kpo-calc diff --format table` or "
             "`--format json` on the same files lists them._")


def view(d: ScenarioDiff, show_all: bool) -> View:
    """Two versions of a scenario side by side: decision, results, inputs."""
    options = shown_options(d, show_all)
    blocks: list[Block] = [
        Box("Decision", (Say(headline(d), "alert" if d.recommendation_changed else "good"),
                         Say(f"Before: {reason(d.old_verdict)}"),
                         Say(f"After: {reason(d.new_verdict)}"))),
        Table("Results (before → after)",
              tuple(Col(h, key=h == "Option") if h in ("Option", "Status") else Col(h, "figure")
                    for h in DIFF_HEADERS),
              tuple(option_cells(o, d.baseline) for o in options),
              tones=tuple("plain" if o.status == "unchanged" else "strong" for o in options))]
    note = hidden_note(d, show_all)
    if note is not None:
        blocks.append(Say(note, "warn"))
    if d.inputs:
        blocks.append(Table(f"Inputs changed ({len(d.inputs)})",
                            (Col("Input", "code", key=True), Col("Before"), Col("After")),
                            tuple(input_cells(c) for c in d.inputs),
                            records=True, fold=1, collapsed=True))
    else:
        blocks.append(Say("No input changed."))
    return View("", d.name, tuple(blocks),
                about=f"{d.old_file} → {d.new_file} ({d.currency})")


def table(d: ScenarioDiff, options: RenderOptions) -> str:
    """Terminal tables."""
    return view_formats.table([view(d, options.show_all)], options)


def markdown(d: ScenarioDiff, options: RenderOptions) -> str:
    """A pull-request comment, under GitHub's limit: the inputs fold first."""
    return view_formats.markdown([view(d, options.show_all)], limit=LIMIT,
                                 note=FOLD_NOTE.format(limit=LIMIT))
