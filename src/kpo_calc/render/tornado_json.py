"""``sensitivity`` and ``breakeven --format json``: design 9's entries, every tornado row
(not only the top ten)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kpo_calc.engine.sensitivity import BreakevenResult, SensitivityResult
from kpo_calc.outcome import BreakevenOutcome, SensitivityOutcome
from kpo_calc.render import RenderOptions
from kpo_calc.render.json_format import cents, envelope
from kpo_calc.textsafe import json_text


def found(x: float | None) -> float | None:
    """A switching value to the precision it was found to (1e-6 relative: 7 digits)."""
    return None if x is None else float(f"{x:.7g}")


def plain(x: float) -> float:
    """An input's value without the float noise of ``value × (1 ± swing)`` (0.72, not
    0.7200000000000001): 12 significant digits, far finer than any input is known to."""
    return float(f"{x:.12g}")


def sensitivity_dict(file: str, r: SensitivityResult) -> dict[str, Any]:
    """Design 9's JSON entry for one scenario (every row, not only the top ten)."""
    return {"file": file, "scenario": r.name, "currency": r.currency, "metric": r.metric,
            "alternative": r.alternative, "against": r.against, "savings": cents(r.savings),
            "swing": r.swing, "recommendation": r.recommendation,
            "rows": [{"input": row.input, "uncertain": row.uncertain, "low": plain(row.low),
                      "high": plain(row.high), "savings_low": cents(row.savings_low),
                      "savings_high": cents(row.savings_high),
                      "switching_value": found(row.switching_value),
                      "switches_to": row.switches_to} for row in r.rows]}


def breakeven_dict(file: str, r: BreakevenResult) -> dict[str, Any]:
    """Design 9's JSON entry for one scenario."""
    return {"file": file, "scenario": r.name, "currency": r.currency, "metric": r.metric,
            "input": r.input, "option": r.option, "against": r.against, "current": r.current,
            "searched": {"low": plain(r.low), "high": plain(r.high)},
            "equal_at": found(r.equal_at),
            "clears_at": found(r.clears_at), "clears_now": r.clears_now,
            "equal_everywhere": r.equal_everywhere}


def sensitivity_json(outcomes: Sequence[SensitivityOutcome], options: RenderOptions) -> str:
    """Every tornado in the JSON envelope."""
    return json_text(envelope("sensitivities", [sensitivity_dict(o.file, o.result)
                                                for o in outcomes if o.result is not None],
                              outcomes))


def breakeven_json(outcomes: Sequence[BreakevenOutcome], options: RenderOptions) -> str:
    """Every file's switching values in the JSON envelope."""
    return json_text(envelope("breakevens", [breakeven_dict(o.file, o.result)
                                             for o in outcomes if o.result is not None],
                              outcomes))
