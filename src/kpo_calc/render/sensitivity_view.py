"""``sensitivity`` as a view: which inputs drive the savings (a tornado), and whether any
flips the recommendation within its range.

The table and Markdown formats lay out this one view (``view_formats``); JSON and CSV
are ``tornado_json`` and ``tornado_csv``.
"""

from __future__ import annotations

from collections.abc import Sequence

from kpo_calc.engine.sensitivity import TOP, SensitivityResult
from kpo_calc.outcome import SensitivityOutcome
from kpo_calc.render import RenderOptions, view_formats
from kpo_calc.render.markdown import LIMIT, error_lines
from kpo_calc.render.tornado_words import (
    TORNADO_HEADS,
    sensitivity_about,
    switch_sentence,
    tornado_cells,
)
from kpo_calc.render.views import Col, Kind, Say, Table, View

#: What each tornado column holds: the input's path, figures already written out, a bar.
_KINDS: tuple[Kind, ...] = ("code", "figure", "figure", "figure", "text", "figure")


def view(file: str, r: SensitivityResult) -> View:
    """One file's tornado: the sentence that says what flips, then the top rows."""
    widest = max((row.swing for row in r.rows), default=0.0)
    columns = tuple(Col(head, kind, key=n == 0)
                    for n, (head, kind) in enumerate(zip(TORNADO_HEADS, _KINDS, strict=True)))
    tornado = Table(f"Top {min(TOP, len(r.rows))} of {len(r.rows)} inputs by their effect on "
                    f"the savings ({r.currency}; ± a point input)", columns,
                    tuple(tuple(tornado_cells(r, row, widest)) for row in r.rows[:TOP]),
                    records=True)
    return View(file, r.name, (Say(switch_sentence(r), "strong"), tornado),
                about=sensitivity_about(r))


def _views(outcomes: Sequence[SensitivityOutcome]) -> list[View]:
    return [view(o.file, o.result) for o in outcomes if o.result is not None]


def table(outcomes: Sequence[SensitivityOutcome], options: RenderOptions) -> str:
    """Terminal text: each file's tornado."""
    return view_formats.table(_views(outcomes), options)


def markdown(outcomes: Sequence[SensitivityOutcome], options: RenderOptions) -> str:
    """GitHub Markdown, broken files' errors first."""
    return view_formats.markdown(_views(outcomes), error_lines(outcomes), limit=LIMIT)
