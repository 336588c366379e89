"""Markdown shared by every command's Markdown: GitHub's comment limit, the broken files'
errors as list items, and user text escaped inline or as a code span."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kpo_calc.outcome import Outcome
from kpo_calc.textsafe import md_code, md_text

#: GitHub refuses comments over 65,536 characters: each report folds to stay under this.
LIMIT = 65_000


def error_lines(outcomes: Sequence[Outcome[Any]]) -> list[str]:
    """Every broken file's errors as list items (``mix``, ``simulate``, ``sensitivity`` and
    ``breakeven`` put them first)."""
    return [f"- :x: {md_code(d.text(), shown=True)}" for o in outcomes for d in o.errors]


def esc(text: str) -> str:
    """User text as inline Markdown that shows literally (in a table cell too)."""
    return md_text(text)


def code(text: str, *, table: bool = False) -> str:
    """User text as a code span (a file name, a location)."""
    return md_code(text, table=table)
