"""``sensitivity`` and ``breakeven`` in every format (table, json, csv, markdown).

The sentences and the row cells are built once (``tornado_cells``, ``*_sentence``);
each format only lays them out.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from rich.console import RenderableType
from rich.text import Text

from kpo_calc.engine.sensitivity import TOP, BreakevenResult, SensitivityResult, TornadoRow
from kpo_calc.formatting import money, number, percent
from kpo_calc.outcome import BreakevenOutcome, SensitivityOutcome
from kpo_calc.render import RenderOptions
from kpo_calc.render.csv_format import cell, csv_text, safe
from kpo_calc.render.json_format import cents, envelope
from kpo_calc.render.layout import Column, Grid, fit, text
from kpo_calc.render.markdown import error_lines
from kpo_calc.render.table import each_result
from kpo_calc.render.wording import METRIC_LABELS
from kpo_calc.textsafe import json_text, md_code, md_text, visible

BAR = 8
TORNADO_HEADS = ("Input", "Range", "Savings at low", "Savings at high", "", "Switches at")


def found(x: float | None) -> float | None:
    """A switching value to the precision it was found to (1e-6 relative: 7 digits)."""
    return None if x is None else float(f"{x:.7g}")


#: Below this size a nonzero value is the nearest float to 0 that an open bound allows
#: (``x > 0``: 5e-324), not a figure anyone typed.
TINY = 1e-12


def plain(x: float) -> float:
    """An input's value without the float noise of ``value × (1 ± swing)`` (0.72, not
    0.7200000000000001): 12 significant digits, far finer than any input is known to."""
    return float(f"{x:.12g}")


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


def sensitivity_heading(r: SensitivityResult, file: str) -> str:
    """What the tornado shows."""
    return (f"{file}: savings of {r.alternative} against {r.against} "
            f"({METRIC_LABELS[r.metric]}, {r.currency}) at the means: {money(r.savings)}; "
            "uncertain inputs from P10 to P90, the others (marked ±) by "
            f"±{percent(r.swing, 0)}")


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


# --- sensitivity ---------------------------------------------------------------------------

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


def sensitivity_table(outcomes: Sequence[SensitivityOutcome], options: RenderOptions) -> str:
    return each_result(outcomes, options, _sensitivity_blocks)


def _sensitivity_blocks(o: SensitivityOutcome, r: SensitivityResult,
                        width: int) -> list[RenderableType]:
    widest = max((row.swing for row in r.rows), default=0.0)
    grid = Grid(f"Top {min(TOP, len(r.rows))} of {len(r.rows)} inputs by their effect on "
                f"the savings ({r.currency}; ± a point input)",
                [Column(TORNADO_HEADS[0], "left"), *(Column(h) for h in TORNADO_HEADS[1:4]),
                 Column("", "left", "cyan"), Column("Switches at")], records=True)
    for row in r.rows[:TOP]:
        grid.add(*(visible(c) for c in tornado_cells(r, row, widest)))
    return [Text.assemble(text(r.name, "bold"), "\n",
                          text(sensitivity_heading(r, o.file), "dim")),
            text(switch_sentence(r), "bold"), *fit(grid, width)]


def sensitivity_markdown(outcomes: Sequence[SensitivityOutcome],
                          options: RenderOptions) -> str:
    lines: list[str] = error_lines(outcomes)
    for o in outcomes:
        r = o.result
        if r is None:
            continue
        widest = max((row.swing for row in r.rows), default=0.0)
        lines += ["", f"## {md_text(r.name)}", "", md_text(sensitivity_heading(r, o.file)), "",
                  f"**{md_text(switch_sentence(r))}**", "",
                  "| " + " | ".join(h or "Effect" for h in TORNADO_HEADS) + " |",
                  "| --- | ---: | ---: | ---: | --- | ---: |"]
        for row in r.rows[:TOP]:
            cells = tornado_cells(r, row, widest)
            lines.append("| " + md_code(cells[0], table=True) + " | "
                         + " | ".join(md_text(c) for c in cells[1:]) + " |")
    return "\n".join(lines).strip("\n") + "\n"


def sensitivity_json(outcomes: Sequence[SensitivityOutcome], options: RenderOptions) -> str:
    return json_text(envelope("sensitivities", [sensitivity_dict(o.file, o.result)
                                                for o in outcomes if o.result is not None],
                              outcomes))


def sensitivity_csv(outcomes: Sequence[SensitivityOutcome], options: RenderOptions) -> str:
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


# --- breakeven -----------------------------------------------------------------------------

def breakeven_dict(file: str, r: BreakevenResult) -> dict[str, Any]:
    """Design 9's JSON entry for one scenario."""
    return {"file": file, "scenario": r.name, "currency": r.currency, "metric": r.metric,
            "input": r.input, "option": r.option, "against": r.against, "current": r.current,
            "searched": {"low": plain(r.low), "high": plain(r.high)},
            "equal_at": found(r.equal_at),
            "clears_at": found(r.clears_at), "clears_now": r.clears_now,
            "equal_everywhere": r.equal_everywhere}


def breakeven_table(outcomes: Sequence[BreakevenOutcome], options: RenderOptions) -> str:
    return each_result(outcomes, options, _breakeven_blocks)


def _breakeven_blocks(o: BreakevenOutcome, r: BreakevenResult,
                      width: int) -> list[RenderableType]:
    grid = Grid("Switching values", [Column("", "left"), Column("Value")])
    grid.add("now", value_text(r.current))
    grid.add("costs the same", "none in range" if r.equal_at is None
             else value_text(r.equal_at))
    grid.add("clearing changes", "none in range" if r.clears_at is None
             else value_text(r.clears_at))
    grid.add("searched", f"{value_text(r.low)} … {value_text(r.high)}")
    return [Text.assemble(text(r.name, "bold"), "\n", text(
                f"{o.file}: {r.input}, {r.option} against {r.against}", "dim")),
            *(text(sentence) for sentence in breakeven_sentences(r)), *fit(grid, width)]


def breakeven_markdown(outcomes: Sequence[BreakevenOutcome], options: RenderOptions) -> str:
    lines = error_lines(outcomes)
    for o in outcomes:
        r = o.result
        if r is None:
            continue
        lines += ["", f"## {md_text(r.name)}", "",
                  f"{md_code(o.file)}: {md_code(r.input)}, {md_text(r.option)} against "
                  f"{md_text(r.against)}", ""]
        lines += [f"- {md_text(s)}" for s in breakeven_sentences(r)]
    return "\n".join(lines).strip("\n") + "\n"


def breakeven_json(outcomes: Sequence[BreakevenOutcome], options: RenderOptions) -> str:
    return json_text(envelope("breakevens", [breakeven_dict(o.file, o.result)
                                             for o in outcomes if o.result is not None],
                              outcomes))


def breakeven_csv(outcomes: Sequence[BreakevenOutcome], options: RenderOptions) -> str:
    def rows(b: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
        b["searched_low"], b["searched_high"] = b["searched"]["low"], b["searched"]["high"]
        for key in ("current", "equal_at", "clears_at", "clears_now", "searched_low",
                    "searched_high"):
            yield (safe(b["file"]), safe(b["scenario"]), b["currency"], safe(b["input"]),
                   safe(b["option"]), safe(b["against"]), key, cell(b[key]))

    return csv_text(("file", "scenario", "currency", "input", "option", "against", "measure",
                     "value"), (row for o in outcomes if o.result is not None
                                for row in rows(breakeven_dict(o.file, o.result))))


__all__ = ["number"]
