"""CSV in a tidy long form: one figure per row, for pandas, DuckDB and spreadsheets.

Columns: file, scenario, currency, option, model, feasible, recommended,
section, item, measure, month, value, note. ``section`` is one of result,
line, assign (item: the work, note: the option), part (item: the option),
move (item: the work moved, note: from → to; methodology 3), monthly,
flexibility, stress, scorecard, recommendation, gate. ``model`` is ``plan`` for a plan.
Figures are the JSON output's (same keys, same rounding), so both formats always agree.

Text cells that a spreadsheet would run as a formula (starting with = + - @,
a tab or a carriage return) get a leading apostrophe: a scenario or option
name is data, never code. Control characters in text are shown as escapes
(:func:`kpo_calc.textsafe.visible`). Numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from kpo_calc.outcome import FileOutcome
from kpo_calc.render import RenderOptions
from kpo_calc.render.json_format import scenario_dict
from kpo_calc.render.wording import shares_text
from kpo_calc.textsafe import no_commands, visible

COLUMNS = ("file", "scenario", "currency", "option", "model", "feasible", "recommended",
           "section", "item", "measure", "month", "value", "note")
RESULT_KEYS = ("one_time_cost", "recurring_cost", "total_cost", "npv", "risk_cost",
               "risk_adjusted_total", "risk_adjusted_npv", "cost_per_hour",
               "savings_vs_baseline", "savings_pct", "breakeven_month", "unmet_hours",
               "moved_base", "required_savings", "clears_threshold")
FLEXIBILITY_KEYS = ("scale_up_lead_months", "scale_down_lag_months", "cost_to_shed_fte",
                    "exit_cost")
STRESS_KEYS = ("total_cost", "npv", "delta_vs_base", "unmet_hours", "unmet_cost")
RISKY_FIRST = ("=", "+", "-", "@", "\t", "\r")


def render(outcomes: Sequence[FileOutcome], options: RenderOptions) -> str:
    """Every computed scenario as tidy rows, with a header."""
    return csv_text(COLUMNS, (row for o in outcomes if o.result is not None
                              for row in rows(scenario_dict(o.file, o.result))))


def csv_text(columns: Sequence[str], table: Iterable[Sequence[Any]]) -> str:
    """A header and rows as CSV text (every command's CSV format), safe for a CI log."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(table)
    return no_commands(buffer.getvalue())


def rows(s: dict[str, Any]) -> Iterator[list[Any]]:
    """The rows of one scenario's JSON object."""
    rec = s["recommendation"]
    for o in s["options"]:
        def row(section: str, measure: str, value: Any, item: str = "", month: Any = "",
                note: str = "", o: dict[str, Any] = o) -> list[Any]:
            return [safe(s["file"]), safe(s["name"]), s["currency"], safe(o["name"]),
                    o["model"], cell(o["feasible"]), cell(o["name"] == rec["option"]),
                    section, safe(item), measure, month, cell(value), safe(note)]

        for key in RESULT_KEYS:
            yield row("result", key, o[key])
        for name, amount in o["lines"].items():
            yield row("line", "amount", amount, item=name)
        for work, shares in o["assign"].items():
            for name, share in shares.items():
                yield row("assign", "share", share, item=work, note=name)
        for name, part in o["by_option"].items():
            for key in ("total_cost", "npv"):
                yield row("part", key, part[key], item=name)
        for move in o.get("moves", []):
            for part in ("incremental", "standalone"):
                for key in ("savings", "required"):
                    yield row("move", f"{part}_{key}", move[part][key], item=move["work"],
                              note=_move(move))
            yield row("move", "clears", move["clears"], item=move["work"], note=_move(move))
        for month, amount in enumerate(o["monthly"], start=1):
            yield row("monthly", "cost", amount, month=month)
        flex = o["flexibility"]
        for key in FLEXIBILITY_KEYS:
            yield row("flexibility", key, flex[key])
        for test in flex["stress"]:
            for key in STRESS_KEYS:
                yield row("stress", key, test[key], item=test["name"])
        yield from scorecard(s, row, o["name"], o["name"] == rec["option"])
        if o["name"] == rec["option"]:
            for key in ("savings", "savings_pct", "clears_threshold"):
                yield row("recommendation", key, rec[key], note=rec["reason"])
            for gate in s["gates"]:
                yield row("gate", "passed", gate["passed"], item=gate["name"],
                          note=gate["message"])


def scorecard(s: dict[str, Any], row: Callable[..., list[Any]], option: str,
              recommended: bool) -> Iterator[list[Any]]:
    """The option's scorecard row (rank, cost score, each criterion's score, weighted
    score); the weights go with the recommended option, like the gates."""
    card = s["scorecard"]
    if card is None:
        return
    for entry in card["rows"]:
        if entry["option"] == option:
            yield row("scorecard", "rank", entry["rank"])
            yield row("scorecard", "cost_score", entry["cost_score"])
            for criterion, score in entry["scores"].items():
                yield row("scorecard", "score", score, item=criterion)
            yield row("scorecard", "weighted_score", entry["weighted_score"])
    if recommended:
        for criterion, weight in card["weights"].items():
            yield row("scorecard", "weight", weight, item=criterion)


def _move(move: dict[str, Any]) -> str:
    """``from → to`` of a move (design 11.2: item, from → to)."""
    return f"{shares_text(move['from'])} → {shares_text(move['to'])}"


def cell(value: Any) -> Any:
    """Booleans as true/false, None as an empty cell, numbers as they are."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def safe(text: str) -> str:
    """Text shown as written: controls as escapes, and a leading apostrophe on text
    that a spreadsheet would evaluate as a formula."""
    text = visible(text)
    return f"'{text}" if text.startswith(RISKY_FIRST) else text
