"""``sensitivity`` and ``breakeven`` in words: the heading, the switching sentences, the
tornado's cells.

Every format (the views, the report) says the same sentences; they are built here once,
from the result.
"""

from __future__ import annotations

from kpo_calc.engine.sensitivity import BreakevenResult, SensitivityResult, TornadoRow
from kpo_calc.formatting import money, percent
from kpo_calc.render.wording import METRIC_LABELS

#: The widest tornado bar, in characters.
BAR = 8
#: The tornado's columns (the bar's has no name on a terminal: "Effect" elsewhere).
TORNADO_HEADS = ("Input", "Range", "Savings at low", "Savings at high", "Effect",
                 "Switches at")

#: Below this size a nonzero value is the nearest float to 0 that an open bound allows
#: (``x > 0``: 5e-324), not a figure anyone typed.
TINY = 1e-12


def value_text(x: float) -> str:
    """An input's value: money-sized numbers with separators, small ones with 7 digits;
    the end of an open range (``4.940656e-324``) as "just above 0"."""
    if 0 < abs(x) < TINY:
        return "just above 0" if x > 0 else "just below 0"
    return money(x) if abs(x) >= 1000 else f"{x:.7g}"


def tornado_cells(r: SensitivityResult, row: TornadoRow, widest: float) -> list[str]:
    """One tornado row: the range, the savings at each end, a bar, the switching value."""
    size = round(BAR * row.swing / widest) if widest > 0 else 0
    switch = "—" if row.switching_value is None else value_text(row.switching_value)
    return [row.input + ("" if row.uncertain else " ±"),
            f"{value_text(row.low)} … {value_text(row.high)}", money(row.savings_low),
            money(row.savings_high), "█" * max(size, 1 if row.swing > 0 else 0), switch]


def sensitivity_about(r: SensitivityResult) -> str:
    """What the tornado shows (after the file's name)."""
    return (f"savings of {r.alternative} against {r.against} "
            f"({METRIC_LABELS[r.metric]}, {r.currency}) at the means: {money(r.savings)}; "
            "uncertain inputs from P10 to P90, the others (marked ±) by "
            f"±{percent(r.swing, 0)}")


def sensitivity_heading(r: SensitivityResult, file: str) -> str:
    """The file and what the tornado shows."""
    return f"{file}: {sensitivity_about(r)}"


def switch_sentence(r: SensitivityResult) -> str:
    """The inputs whose range flips the recommendation, or that none does."""
    flips = [row for row in r.rows if row.switching_value is not None]
    if not flips:
        return f"No input flips the recommendation ({r.recommendation}) within its range."
    parts = [f"{row.input} at {value_text(row.switching_value or 0.0)} "
             f"(then {row.switches_to})" for row in flips[:5]]
    more = f" and {len(flips) - 5} more" if len(flips) > 5 else ""
    return (f"The recommendation ({r.recommendation}) changes if "
            + "; ".join(parts) + more + ".")


def breakeven_about(r: BreakevenResult) -> str:
    """What the switching values are of (after the file's name)."""
    return f"{r.input}, {r.option} against {r.against}"


def breakeven_sentences(r: BreakevenResult) -> list[str]:
    """The two switching values in words."""
    searched = f"between {value_text(r.low)} and {value_text(r.high)}"
    now = f"{r.input} is {value_text(r.current)} now"
    out = []
    if r.equal_everywhere:
        out.append(f"{r.option} and {r.against} cost the same at every value {searched} "
                   f"({now}): {r.input} does not separate them.")
    elif r.equal_at is None:
        out.append(f"{r.option} and {r.against} never cost the same {searched} ({now}).")
    else:
        out.append(f"{r.option} and {r.against} cost the same ({METRIC_LABELS[r.metric]}) "
                   f"when {r.input} is {value_text(r.equal_at)} ({now}).")
    state = "clears" if r.clears_now else "does not clear"
    if r.clears_at is None:
        out.append(f"{r.option} clears the threshold everywhere {searched}." if r.clears_now
                   else f"{r.option} does not clear the threshold anywhere {searched}.")
    else:
        change = "stops clearing" if r.clears_now else "starts to clear"
        out.append(f"{r.option} {state} the threshold now and {change} when {r.input} is "
                   f"{value_text(r.clears_at)}.")
    return out
