"""``explain`` in the text formats: its view (``explain_view``) laid out by each format."""

from __future__ import annotations

from collections.abc import Sequence

from kpo_calc.outcome import ExplainOutcome
from kpo_calc.render import RenderOptions, view_formats
from kpo_calc.render.explain_view import Periods, views
from kpo_calc.render.markdown import LIMIT, error_lines
from kpo_calc.render.views import View


def _views(outcomes: Sequence[ExplainOutcome]) -> list[View]:
    return [views(o.file, o.result, Periods(o.by, o.result.horizon, o.month))
            for o in outcomes if o.result is not None]


def table(outcomes: Sequence[ExplainOutcome], options: RenderOptions) -> str:
    """Terminal tables."""
    return view_formats.table(_views(outcomes), options)


#: Said when the whole audit trail does not fit GitHub's limit (the drivers of a 36-month
#: file of ten alternatives are 69,000 characters; by month, a quarter of a million): the
#: tables fold, drivers first (``Table.fold``).
FOLD_NOTE = ("_Detail was folded to keep this report under {limit:,} characters (GitHub's "
             "limit for a comment): `kpo-calc explain --format table`, `--format csv` or "
             "`--format json` on the same files shows all of it, and so does this format "
             "for one alternative (`--alternative`), by year, or on fewer files at a time._")


def markdown(outcomes: Sequence[ExplainOutcome], options: RenderOptions) -> str:
    """GitHub Markdown, broken files' errors first: the whole audit trail when it fits in
    ``LIMIT`` characters (a pull-request comment, a step summary), else folded."""
    return view_formats.markdown(_views(outcomes), error_lines(outcomes), limit=LIMIT,
                                 note=FOLD_NOTE.format(limit=LIMIT))


def csv(outcomes: Sequence[ExplainOutcome], options: RenderOptions) -> str:
    """One tidy long table."""
    return view_formats.csv(_views(outcomes))
