"""Output formats: one module per format, each with the same ``render`` signature.

Nothing else in the program formats results. Modules are imported on first
use so that a run pays only for the format it prints.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kpo_calc.outcome import FileOutcome


@dataclass(frozen=True)
class RenderOptions:
    """How to render: colour (ANSI codes) and width (columns; None = 100)."""

    color: bool = False
    width: int | None = None


Renderer = Callable[[Sequence[FileOutcome], RenderOptions], str]

#: ``--format`` choice -> module in this package that renders it.
FORMATS: dict[str, str] = {
    "table": "table",
    "json": "json_format",
}


def get_renderer(name: str) -> Renderer:
    """The ``render`` function of the format called ``name``."""
    module = importlib.import_module(f"kpo_calc.render.{FORMATS[name]}")
    renderer: Renderer = module.render
    return renderer
