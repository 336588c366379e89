"""``sensitivity`` and ``breakeven --format csv``: the JSON entries as tidy rows, one value
a row (``measure``, ``value``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from kpo_calc.outcome import BreakevenOutcome, SensitivityOutcome
from kpo_calc.render import RenderOptions
from kpo_calc.render.csv_format import cell, csv_text, safe
from kpo_calc.render.tornado_json import breakeven_dict, sensitivity_dict


def sensitivity_csv(outcomes: Sequence[SensitivityOutcome], options: RenderOptions) -> str:
    """Every tornado row's low, high, savings at each end and switching value."""
    keys = ("low", "high", "savings_low", "savings_high", "switching_value", "switches_to")

    def rows(s: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
        for row in s["rows"]:
            for key in keys:
                yield (safe(s["file"]), safe(s["scenario"]), s["currency"],
                       safe(s["alternative"]), safe(s["against"]), safe(row["input"]),
                       cell(row["uncertain"]), key,
                       safe(row[key]) if key == "switches_to" and row[key] else cell(row[key]))

    return csv_text(("file", "scenario", "currency", "alternative", "against", "input",
                     "uncertain", "measure", "value"),
                    (row for o in outcomes if o.result is not None
                     for row in rows(sensitivity_dict(o.file, o.result))))


def breakeven_csv(outcomes: Sequence[BreakevenOutcome], options: RenderOptions) -> str:
    """Every file's switching values, the searched range's ends included."""
    def rows(b: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
        b["searched_low"], b["searched_high"] = b["searched"]["low"], b["searched"]["high"]
        for key in ("current", "equal_at", "clears_at", "clears_now", "searched_low",
                    "searched_high"):
            yield (safe(b["file"]), safe(b["scenario"]), b["currency"], safe(b["input"]),
                   safe(b["option"]), safe(b["against"]), key, cell(b[key]))

    return csv_text(("file", "scenario", "currency", "input", "option", "against", "measure",
                     "value"), (row for o in outcomes if o.result is not None
                                for row in rows(breakeven_dict(o.file, o.result))))
