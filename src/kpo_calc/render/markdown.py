"""Markdown for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

GitHub refuses comments over 65,536 characters, so the report folds itself:
first the per-scenario detail goes, then the per-scenario sections, then rows
of the summary table, always with a note that says what was left out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kpo_calc.engine.results import ScenarioResult
from kpo_calc.formatting import number, threshold
from kpo_calc.outcome import FileOutcome, Outcome
from kpo_calc.render import RenderOptions
from kpo_calc.render.feasible import infeasible_note, shown
from kpo_calc.render.rows import (
    MOVE_HEADS,
    Row,
    assign_rows,
    cost_rows,
    flexibility_rows,
    line_rows,
    marks,
    move_rows,
    moves_shown,
    part_rows,
    stress_cell,
)
from kpo_calc.render.scorecard import (
    CRITERION_LABELS,
    scorecard_criteria,
    scorecard_rows,
    scorecard_weights,
)
from kpo_calc.render.summary import SUMMARY_HEADERS, summary_rows
from kpo_calc.render.wording import METRIC_LABELS, gate_message, reason, uncertain_note
from kpo_calc.textsafe import md_code, md_text, no_commands

LIMIT = 65_000
# The note must not send the reader back to the command that folded: the table and
# JSON formats never fold, and Markdown folds only past LIMIT (fewer files fit).
FOLD_NOTE = ("_Detail was folded to keep this report under {limit:,} characters (GitHub's "
             "limit for a comment); `kpo-calc compare --format table` or `--format json` on "
             "the same files shows all of it, and so does this format on fewer files at a "
             "time._")


def render(outcomes: Sequence[FileOutcome], options: RenderOptions) -> str:
    """The whole run, folded as much as needed to stay under :data:`LIMIT` characters."""
    return no_commands(fit(outcomes, LIMIT, options.show_all))


#: One scenario's part of the report: (result, file, show_all, uncertain inputs).
Section = Callable[[ScenarioResult, str, bool, int], list[str]]


def fit(outcomes: Sequence[FileOutcome], limit: int, show_all: bool = False) -> str:
    """The most detailed report that fits in ``limit`` characters (the tables show the
    infeasible alternatives only when ``show_all``)."""
    levels: list[Section] = [_full, _brief, _verdict_only]
    for level, section in enumerate(levels):
        text = _report(outcomes, section, show_all, folded=level > 0)
        if len(text) <= limit:
            return text
    return _truncated_summary(outcomes, limit)


def _report(outcomes: Sequence[FileOutcome], section: Section, show_all: bool, *,
            folded: bool) -> str:
    lines = [*_header(outcomes)]
    if folded:
        lines += [FOLD_NOTE.format(limit=LIMIT), ""]
    if len(outcomes) > 1:
        lines += [*_summary_table(outcomes), ""]
    for o in outcomes:
        if o.result is not None:
            lines += section(o.result, o.file, show_all, o.uncertain_inputs)
    return "\n".join(lines).rstrip() + "\n"


def _header(outcomes: Sequence[FileOutcome]) -> list[str]:
    results = [o.result for o in outcomes if o.result is not None]
    invalid = sum(1 for o in outcomes if not o.ok)
    failed = sum(1 for r in results for g in r.gates if not g.passed)
    status = "❌" if invalid or failed else "✅"
    parts = [f"{len(outcomes)} scenario file{'s' * (len(outcomes) != 1)}"]
    if invalid:
        parts.append(f"{invalid} invalid")
    if failed:
        parts.append(f"{failed} gate{'s' * (failed != 1)} failed")
    lines = [f"## {status} kpo-calc: {', '.join(parts)}", ""]
    for o in outcomes:
        for d in o.errors:
            lines.append(f"- ❌ {code(d.location())}: {md_text(d.message, shown=True)}")
        if o.result is not None:
            for g in o.result.gates:
                if not g.passed:
                    lines.append(f"- ❌ {code(o.file)}: gate {g.name} failed: "
                                 f"{esc(gate_message(g))}")
    if lines[-1] != "":
        lines.append("")
    return lines


def _summary_table(outcomes: Sequence[FileOutcome], rows: int | None = None) -> list[str]:
    table = [f"| {' | '.join(SUMMARY_HEADERS)} |", "|---|---|---|---|---|---|"]
    all_rows = summary_rows(outcomes)
    for row in all_rows[:rows]:
        cells = [code(row.file, table=True), *(esc(c) for c in row.cells()[1:])]
        table.append(f"| {' | '.join(cells)} |")
    if rows is not None and rows < len(all_rows):
        table.append("")
        table.append(f"_… and {len(all_rows) - rows} more scenario files, left out to fit._")
    return table


def _verdict_only(r: ScenarioResult, file: str, show_all: bool,
                  uncertain: int = 0) -> list[str]:
    return [f"### {esc(r.name)}", code(file), "", *_verdict(r, show_all, uncertain), ""]


def _brief(whole: ScenarioResult, file: str, show_all: bool, uncertain: int = 0) -> list[str]:
    # The verdict and its reason first, then the summary table, then (in _full) the details.
    metric = METRIC_LABELS[whole.metric]
    lines = [f"### {esc(whole.name)}",
             f"{code(file)} · {whole.currency} · {whole.horizon_months} months · "
             f"{number(whole.total_hours, 0)} hours · decided on {metric}", "",
             *_verdict(whole, show_all, uncertain), ""]
    r = shown(whole, show_all)
    rows = [(f"**{label}**", [f"**{c}**" for c in cells]) if headline else (label, cells)
            for label, cells, headline in cost_rows(r)]
    rows += [(f"Who: {esc(work)}", [esc(c) for c in who]) for work, who in assign_rows(r)]
    lines += _options_table(r, rows)
    if r.scorecard is not None:
        lines += ["", *_scorecard(r)]
    return [*lines, ""]


def _full(whole: ScenarioResult, file: str, show_all: bool, uncertain: int = 0) -> list[str]:
    lines = _brief(whole, file, show_all, uncertain)
    r = shown(whole, show_all)
    lines += ["<details><summary>Cost by line, flexibility and stress tests</summary>", ""]
    lines += _options_table(r, [*line_rows(r), *((esc(label), cells)
                                                 for label, cells in part_rows(r))])
    lines.append("")
    rows = flexibility_rows(r)
    for i, test in enumerate(r.options[0].flexibility.stress):
        rows.append((f"{esc(test.name)}: change in total",
                     [stress_cell(o.flexibility.stress[i], " ({hours} h unmet)")
                      for o in r.options]))
    lines += _options_table(r, rows)
    lines += ["", "</details>", ""]
    return lines


def _verdict(r: ScenarioResult, show_all: bool, uncertain: int = 0) -> list[str]:
    rec = r.recommendation
    lines = [f"**Recommendation: {esc(rec.option)}.** {esc(reason(rec))}"]
    note = infeasible_note(r, show_all)
    if note is not None:
        lines += ["", f"_{esc(note)}_"]
    spread = uncertain_note(uncertain)
    if spread is not None:
        lines += ["", f"_{esc(spread)}_"]
    if r.gates:
        lines.append("")
        lines += [f"- {'✅' if g.passed else '❌'} gate {g.name}: {esc(gate_message(g))}"
                  for g in r.gates]
    for o in moves_shown(r):
        lines += ["", f"Moves of {esc(o.name)} ({r.currency}; each must save "
                      f"{threshold(r.min_savings)} of what it avoids):", "",
                  "| " + " | ".join(MOVE_HEADS) + " |",
                  "|" + "---|" * 2 + "--:|" * (len(MOVE_HEADS) - 3) + ":-:|"]
        lines += ["| " + " | ".join([esc(c[0]), esc(c[1]), *c[2:]]) + " |"
                  for c in move_rows(o)]
    return lines


def _scorecard(r: ScenarioResult) -> list[str]:
    assert r.scorecard is not None
    criteria = scorecard_criteria(r)
    heads = ["Rank", "Option", *[CRITERION_LABELS[c] for c in ("cost", *criteria)], "Weighted"]
    out = [f"**Scorecard** (higher is better; weights: {scorecard_weights(r)})", "",
           f"| {' | '.join(heads)} |", "|---:|---|" + "---:|" * (len(heads) - 2)]
    for cells, _ in scorecard_rows(r, criteria):
        cells[1] = esc(cells[1])
        out.append(f"| {' | '.join(cells)} |")
    return out


def _options_table(r: ScenarioResult, rows: Sequence[Row]) -> list[str]:
    heads = [esc(o.name) + (f" {marks(o, r)}" if marks(o, r) else "") for o in r.options]
    out = [f"| {r.currency} | {' | '.join(heads)} |", "|---|" + "---:|" * len(heads)]
    out += [f"| {label} | {' | '.join(cells)} |" for label, cells in rows]
    return out


def _truncated_summary(outcomes: Sequence[FileOutcome], limit: int) -> str:
    head = "\n".join([*_header(outcomes), FOLD_NOTE.format(limit=LIMIT), ""])
    low, high = 0, len(outcomes)
    while low < high:  # the most summary rows that fit
        mid = (low + high + 1) // 2
        if len(head + "\n".join(_summary_table(outcomes, mid))) + 1 <= limit:
            low = mid
        else:
            high = mid - 1
    text = head + "\n".join(_summary_table(outcomes, low)) + "\n"
    return text if len(text) <= limit else text[: limit - 2] + "…\n"


def error_lines(outcomes: Sequence[Outcome[Any]]) -> list[str]:
    """Every broken file's errors as list items (``mix``, ``simulate``, ``sensitivity`` and
    ``breakeven`` put them first)."""
    return [f"- :x: {md_code(d.text(), shown=True)}" for o in outcomes for d in o.errors]


def esc(text: str) -> str:
    """User text as inline Markdown that shows literally (in a table cell too)."""
    return md_text(text)


def code(text: str, *, table: bool = False) -> str:
    """User text as a code span (a file name, a location)."""
    return md_code(text, table=table)
