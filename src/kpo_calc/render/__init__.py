"""Output formats: every command's renderers, found through ``kpo_calc.formats``.

Nothing else in the program formats results. Modules are imported on first
use so that a run pays only for the format it prints.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from kpo_calc.formats import REGISTRY

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


def renderer(command: str, name: str) -> Callable[..., str]:
    """The function that prints ``command``'s results in the format ``name``
    (``kpo_calc.formats.REGISTRY``); its module is imported now, on first use."""
    module, _, function = REGISTRY[command][name].partition(":")
    found: Callable[..., str] = getattr(
        importlib.import_module(f"kpo_calc.render.{module}"), function)
    return found
