"""``kpo-calc report``: one file for the people who approve the decision.

The output's suffix picks the writer (``FORMATS``); each writer module has a
``render(reports) -> str`` over :class:`kpo_calc.report.content.FileReport`.
Nothing here imports a plotting library: only the writer that draws does, and
only ``report`` runs it (``compare`` and ``--help`` stay as quick to start).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kpo_calc.report.content import FileReport

#: ``--output`` suffix (lower case) -> module in this package that writes it.
FORMATS: dict[str, str] = {".html": "html", ".htm": "html"}

Writer = Callable[[Sequence["FileReport"]], str]


def format_for(output: Path) -> str | None:
    """The writer module for ``output`` by its suffix; None when no writer takes it."""
    return FORMATS.get(output.suffix.lower())


def get_writer(module: str) -> Writer:
    """The ``render`` function of the writer module called ``module``."""
    found = importlib.import_module(f"kpo_calc.report.{module}")
    writer: Writer = found.render
    return writer
