"""``breakeven`` as a view: where one input makes two alternatives cost the same, and
where the option starts or stops clearing the threshold.

The table and Markdown formats lay out this one view (``view_formats``); JSON and CSV
are ``tornado_json`` and ``tornado_csv``.
"""

from __future__ import annotations

from collections.abc import Sequence

from kpo_calc.engine.sensitivity import BreakevenResult
from kpo_calc.outcome import BreakevenOutcome
from kpo_calc.render import RenderOptions, view_formats
from kpo_calc.render.markdown import LIMIT, error_lines
from kpo_calc.render.tornado_words import breakeven_about, breakeven_sentences, value_text
from kpo_calc.render.views import Col, Say, Table, View

#: A switching value the search did not find.
NONE = "none in range"


def view(file: str, r: BreakevenResult) -> View:
    """One file's switching values: in words, then as a table."""
    values = Table("Switching values", (Col("", key=True), Col("Value", "figure")), (
        ("now", value_text(r.current)),
        ("costs the same", NONE if r.equal_at is None else value_text(r.equal_at)),
        ("clearing changes", NONE if r.clears_at is None else value_text(r.clears_at)),
        ("searched", f"{value_text(r.low)} … {value_text(r.high)}")))
    return View(file, r.name, (*(Say(s) for s in breakeven_sentences(r)), values),
                about=breakeven_about(r))


def _views(outcomes: Sequence[BreakevenOutcome]) -> list[View]:
    return [view(o.file, o.result) for o in outcomes if o.result is not None]


def table(outcomes: Sequence[BreakevenOutcome], options: RenderOptions) -> str:
    """Terminal text: each file's switching values."""
    return view_formats.table(_views(outcomes), options)


def markdown(outcomes: Sequence[BreakevenOutcome], options: RenderOptions) -> str:
    """GitHub Markdown, broken files' errors first."""
    return view_formats.markdown(_views(outcomes), error_lines(outcomes), limit=LIMIT)
