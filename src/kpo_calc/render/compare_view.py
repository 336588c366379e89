"""``compare`` as a view: the batch summary, then per scenario the verdict and its reason,
the moves that decide it, the cost summary, who does the work, and (in detail) cost by
line, flexibility and stress tests, and the scorecard.

Options are columns and measures are rows. The table and Markdown formats lay out
this one view (``view_formats``), so they show the same rows in the same order;
Markdown folds the detail first when a report would pass GitHub's comment limit.
"""

from __future__ import annotations

from collections.abc import Sequence

from kpo_calc.engine.results import OptionResult, ScenarioResult
from kpo_calc.formatting import money, number, threshold
from kpo_calc.outcome import FileOutcome
from kpo_calc.render import RenderOptions, view_formats
from kpo_calc.render.feasible import infeasible_note, shown
from kpo_calc.render.markdown import LIMIT, code, esc
from kpo_calc.render.rows import (
    MOVE_HEADS,
    assign_rows,
    cost_rows,
    flexibility_rows,
    has_plans,
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
from kpo_calc.render.views import Box, Cell, Col, Lines, Say, Table, Tone, View
from kpo_calc.render.wording import gate_message, reason, uncertain_note
from kpo_calc.textsafe import md_text

# The note must not send the reader back to the command that folded: the table and
# JSON formats never fold, and Markdown folds only past LIMIT (fewer files fit).
FOLD_NOTE = ("_Detail was folded to keep this report under {limit:,} characters (GitHub's "
             "limit for a comment); `kpo-calc compare --format table` or `--format json` on "
             "the same files shows all of it, and so does this format on fewer files at a "
             "time._")

#: The tone of a batch summary row, by its status.
_STATUS: dict[str, Tone] = {"ok": "plain", "gate": "fail", "error": "bad"}


def table(outcomes: Sequence[FileOutcome], options: RenderOptions) -> str:
    """Every computed scenario as terminal tables."""
    return view_formats.table(views(outcomes, options), options)


def markdown(outcomes: Sequence[FileOutcome], options: RenderOptions) -> str:
    """A pull-request comment or step summary: the run's status and errors, then the
    view, folded as much as needed to stay under :data:`LIMIT` characters."""
    return fit(outcomes, LIMIT, options.show_all)


def fit(outcomes: Sequence[FileOutcome], limit: int, show_all: bool = False) -> str:
    """The most detailed Markdown that fits in ``limit`` characters."""
    return view_formats.markdown(views(outcomes, RenderOptions(details=True,
                                                               show_all=show_all)),
                                 header(outcomes), limit=limit,
                                 note=FOLD_NOTE.format(limit=LIMIT))


def views(outcomes: Sequence[FileOutcome], options: RenderOptions) -> list[View]:
    """The batch summary (several files), then each scenario's view (up to
    ``DETAIL_LIMIT`` files, unless details are asked for or not)."""
    out = []
    if len(outcomes) > 1:
        out.append(summary_view(outcomes))
    if options.show_details(len(outcomes)):
        out += [scenario_view(o.file, o.result, options.show_all, o.uncertain_inputs)
                for o in outcomes if o.result is not None]
    return out


def summary_view(outcomes: Sequence[FileOutcome]) -> View:
    """One row per file: the recommendation, its savings, the baseline and the gates."""
    rows = summary_rows(outcomes)
    t = Table(f"Summary of {len(outcomes)} scenario files",
              (Col(SUMMARY_HEADERS[0], "code", key=True),
               *(Col(h) for h in SUMMARY_HEADERS[1:])),
              tuple(tuple(row.cells()) for row in rows), records=True,
              tones=tuple(_STATUS[row.status] for row in rows))
    return View("", "", (t,), summary="scenario files")


def scenario_view(file: str, r: ScenarioResult, show_all: bool = False,
                  uncertain: int = 0) -> View:
    """One scenario in reading order: the verdict and its reason, the moves that decide
    it, the summary, the details. The tables show the feasible alternatives (every one
    with ``show_all``); the verdict names the others in one line."""
    view = shown(r, show_all)
    costs = cost_rows(view)
    blocks: list[Box | Table] = [
        verdict(r, show_all, uncertain),
        # The moves that decide the verdict, next to it (methodology 3, point 2).
        *(moves_table(o, r) for o in moves_shown(r)),
        _options_table(f"Cost over {r.horizon_months} months ({r.currency})", view,
                       [(label, cells) for label, cells, _ in costs],
                       tuple("strong" if headline else "plain" for _, _, headline in costs),
                       fold=2),
    ]
    if has_plans(view):
        blocks.append(_options_table("Who does the work", view, assign_rows(view), fold=2))
    blocks.append(lines_table(view))
    blocks.append(flexibility_table(view))
    if r.scorecard is not None:
        blocks.append(scorecard_table(r))
    return View(file, r.name, tuple(blocks),
                about=f"{r.currency}, {r.horizon_months} months, "
                      f"{number(r.total_hours, 0)} hours of work")


def verdict(r: ScenarioResult, show_all: bool = False, uncertain: int = 0) -> Box:
    """What to do, why, what cannot do all the work, and whether the declared gates hold."""
    rec = r.recommendation
    lines = [Say(f"Recommendation: {rec.option}", "good"), Say(reason(rec))]
    chosen = r.option(rec.option)
    if rec.option != r.baseline and chosen.breakeven_month is not None:
        lines.append(Say(f"Cumulative savings stay positive from month "
                         f"{chosen.breakeven_month}."))
    note = infeasible_note(r, show_all)
    if note is not None:
        lines.append(Say(note, "warn"))
    spread = uncertain_note(uncertain)
    if spread is not None:
        lines.append(Say(spread, "quiet"))
    lines += [Say(f"Gate {g.name} {'PASS' if g.passed else 'FAIL'}: {gate_message(g)}",
                  "pass" if g.passed else "fail") for g in r.gates]
    return Box("Verdict", tuple(lines), "good" if r.gates_passed else "fail")


def moves_table(o: OptionResult, r: ScenarioResult) -> Table:
    """Each move of ``o`` on its own margin and alone (methodology 3, point 2); a move
    that does not pay its way in red."""
    rows = move_rows(o)
    return Table(f"Moves of {o.name} ({r.currency}; each must save "
                 f"{threshold(r.min_savings)} of what it avoids)",
                 (Col(MOVE_HEADS[0], key=True), Col(MOVE_HEADS[1], tone="plain"),
                  *(Col(h, "figure") for h in MOVE_HEADS[2:])),
                 tuple(tuple(cells) for cells in rows),
                 tones=tuple("plain" if cells[-1] == "yes" else "bad" for cells in rows))


def _options_table(title: str, r: ScenarioResult, rows: Sequence[tuple[Cell, Sequence[Cell]]],
                   tones: tuple[Tone, ...] = (), *, fold: int, collapsed: bool = False
                   ) -> Table:
    """A table with a row per measure and a column per alternative, each headed by its
    name and marks (baseline, plan, not feasible); the recommended one stands out."""
    columns = [Col("", key=True)]
    for o in r.options:
        mark = marks(o, r)
        columns.append(Col(Lines((o.name, mark)) if mark else o.name, "figure",
                           tone="good" if o.name == r.recommendation.option else "strong"))
    return Table(title, tuple(columns), tuple((label, *cells) for label, cells in rows),
                 tones=tones, fold=fold, collapsed=collapsed)


def lines_table(r: ScenarioResult) -> Table:
    """Cost by line (one-time lines are marked), the total, and each option's part."""
    rows: list[tuple[Cell, Sequence[Cell]]] = [*line_rows(r)]
    rows.append(("Total", [money(o.total_cost) for o in r.options]))
    parts = part_rows(r)
    plain: Tone = "plain"
    strong: Tone = "strong"
    quiet: Tone = "quiet"
    tones = (plain,) * (len(rows) - 1) + (strong,) + (quiet,) * len(parts)
    return _options_table(f"Cost by line ({r.currency})", r, [*rows, *parts], tones,
                          fold=1, collapsed=True)


def flexibility_table(r: ScenarioResult) -> Table:
    """Lead and lag times, shedding and exit costs, then each stress test's change."""
    rows: list[tuple[Cell, Sequence[Cell]]] = [*flexibility_rows(r)]
    for i, test in enumerate(r.options[0].flexibility.stress):
        cheapest = min((o for o in r.options if o.feasible),
                       key=lambda o: o.flexibility.stress[i].total_cost)
        rows.append((Lines((f"{test.name}: change in total", f"(cheapest: {cheapest.name})")),
                     [_stress(o, i) for o in r.options]))
    return _options_table("Flexibility", r, rows, fold=1, collapsed=True)


def _stress(o: OptionResult, i: int) -> Cell:
    cell = stress_cell(o.flexibility.stress[i], "\n{hours} h unmet")
    return Lines(tuple(cell.split("\n"))) if "\n" in cell else cell


def scorecard_table(r: ScenarioResult) -> Table:
    """Feasible options ranked on weighted scores (cost score 5 = cheapest)."""
    assert r.scorecard is not None
    criteria = scorecard_criteria(r)
    rows = scorecard_rows(r, criteria)
    return Table("Scorecard (higher is better)",
                 (Col("Rank", "figure"), Col("Option"),
                  *(Col(CRITERION_LABELS[c], "figure") for c in ("cost", *criteria)),
                  Col("Weighted", "figure")),
                 tuple(tuple(cells) for cells, _ in rows), keep=2,
                 caption=f"Weights: {scorecard_weights(r)}.",
                 tones=tuple("strong" if rank == 1 else "plain" for _, rank in rows), fold=2)


def header(outcomes: Sequence[FileOutcome]) -> list[str]:
    """The run in one Markdown line (files, invalid ones, failed gates), then each error
    and failed gate as a list item."""
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
    return lines
