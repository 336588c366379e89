"""``explain`` in the text formats: its view (``explain_view``) laid out by each format."""

from __future__ import annotations

from collections.abc import Sequence

from kpo_calc.outcome import ExplainOutcome
from kpo_calc.render import RenderOptions, view_formats
from kpo_calc.render.explain_view import Periods, views
from kpo_calc.render.views import View


def _views(outcomes: Sequence[ExplainOutcome]) -> list[View]:
    return [views(o.file, o.result, Periods(o.by, o.result.horizon, o.month))
            for o in outcomes if o.result is not None]


def table(outcomes: Sequence[ExplainOutcome], options: RenderOptions) -> str:
    """Terminal tables."""
    return view_formats.table(_views(outcomes), options)


def markdown(outcomes: Sequence[ExplainOutcome], options: RenderOptions) -> str:
    """GitHub Markdown, broken files' errors first."""
    return view_formats.markdown(_views(outcomes), outcomes)


def csv(outcomes: Sequence[ExplainOutcome], options: RenderOptions) -> str:
    """One tidy long table."""
    return view_formats.csv(_views(outcomes))
