"""Output formats: one module per format, each with the same ``render`` signature.

Nothing else in the program formats results. Modules are imported on first
use so that a run pays only for the format it prints.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kpo_calc.outcome import FileOutcome

if TYPE_CHECKING:
    from kpo_calc.diffing import ScenarioDiff

#: With more scenario files than this, the table format shows only the summary
#: unless details are asked for: nobody reads a thousand sets of tables.
DETAIL_LIMIT = 20


@dataclass(frozen=True)
class RenderOptions:
    """How to render: colour (ANSI codes), width (columns; None = 100), whether the
    table format shows every scenario's tables (None: only up to DETAIL_LIMIT files),
    and whether tables show the alternatives that cannot do all the work (``--all``)."""

    color: bool = False
    width: int | None = None
    details: bool | None = None
    show_all: bool = False

    def show_details(self, files: int) -> bool:
        """Whether to print each scenario's tables for a run over ``files`` files."""
        return self.details if self.details is not None else files <= DETAIL_LIMIT


Renderer = Callable[[Sequence[FileOutcome], RenderOptions], str]
DiffRenderer = Callable[["ScenarioDiff", RenderOptions], str]

#: ``--format`` choice -> module in this package that renders it.
FORMATS: dict[str, str] = {
    "table": "table",
    "json": "json_format",
    "csv": "csv_format",
    "markdown": "markdown",
}


#: ``diff --format`` choice -> module in this package whose ``render`` prints a diff.
DIFF_FORMATS: dict[str, str] = {
    "table": "diff_table",
    "markdown": "diff_markdown",
    "json": "diff_json",
}


#: ``mix --format`` choice -> module in this package whose ``render`` prints a search.
MIX_FORMATS: dict[str, str] = {
    "table": "mix_table",
    "json": "mix_json",
    "csv": "mix_csv",
    "markdown": "mix_markdown",
}


#: ``simulate --format`` choice -> module in this package whose ``render`` prints it.
SIMULATE_FORMATS: dict[str, str] = {
    "table": "sim_table",
    "json": "sim_json",
    "csv": "sim_csv",
    "markdown": "sim_markdown",
}


def get_renderer(name: str) -> Renderer:
    """The ``render`` function of the format called ``name``."""
    module = importlib.import_module(f"kpo_calc.render.{FORMATS[name]}")
    renderer: Renderer = module.render
    return renderer


def get_diff_renderer(name: str) -> DiffRenderer:
    """The ``render`` function of the diff format called ``name``."""
    module = importlib.import_module(f"kpo_calc.render.{DIFF_FORMATS[name]}")
    renderer: DiffRenderer = module.render
    return renderer


def get_mix_renderer(name: str) -> Callable[..., str]:
    """The ``render`` function of the ``mix`` format called ``name``."""
    module = importlib.import_module(f"kpo_calc.render.{MIX_FORMATS[name]}")
    renderer: Callable[..., str] = module.render
    return renderer


def get_simulate_renderer(name: str) -> Callable[..., str]:
    """The ``render`` function of the ``simulate`` format called ``name``."""
    module = importlib.import_module(f"kpo_calc.render.{SIMULATE_FORMATS[name]}")
    renderer: Callable[..., str] = module.render
    return renderer
