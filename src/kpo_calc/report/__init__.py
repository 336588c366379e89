"""``kpo-calc report``: the files a reader forwards — one self-contained HTML page for
the people who approve the decision, a workbook with live formulas for finance.

The output's suffix picks the writer (``kpo_calc.formats.REPORTS``); each writer is a
function over :class:`kpo_calc.report.content.FileReport` returning text or bytes.
Nothing here imports a plotting or spreadsheet library: only the writer that needs one
does, and only ``report`` runs it (``compare`` and ``--help`` stay as quick to start).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kpo_calc.report.content import FileReport

Writer = Callable[[Sequence["FileReport"]], str | bytes]


def get_writer(name: str) -> Writer:
    """The writer ``module:function`` of this package (``formats.REPORTS``)."""
    module, _, function = name.partition(":")
    writer: Writer = getattr(importlib.import_module(f"kpo_calc.report.{module}"), function)
    return writer
