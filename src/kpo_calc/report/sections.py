"""One scenario's part of the report, in reading order: the verdict, the one-page summary,
then the details (charts, stress tests, plans' parts, uncertainty, inputs).

Sentences are the other formats' own (``render.wording``, ``render.sim_words``,
``render.tornado_words``); figures are the result's, rounded as ``compare`` rounds them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from kpo_calc.engine.lines import LINES
from kpo_calc.engine.results import OptionResult, ScenarioResult
from kpo_calc.formatting import number, threshold
from kpo_calc.render.feasible import infeasible_note, shown
from kpo_calc.render.rows import MOVE_HEADS, assignment, moves_shown
from kpo_calc.render.scorecard import CRITERION_LABELS, scorecard_criteria, scorecard_weights
from kpo_calc.render.wording import METRIC_LABELS, gate_message, reason
from kpo_calc.report import charts
from kpo_calc.report.content import FileReport
from kpo_calc.report.markup import Cell, Row, amount, chart, esc, figure, paragraph, share, table

T = TypeVar("T")

DASH = "—"
#: Alternatives a table shows side by side, as columns: six amounts in the trillions
#: and the row labels still fit across A4; more go on into another table.
COLUMNS = 6
#: A figure that does not apply, aligned with the figures of its column
NONE = figure(DASH)


def scenario_section(key: str, f: FileReport) -> str:
    """The whole section of one file (``key``: its anchor, unique in the page)."""
    r = f.result
    assert r is not None
    view = shown(r, show_all=False)
    names = [o.name for o in view.options]
    parts = [f'<section class="scenario" id="{key}">',
             f"<h2>{esc(r.name)}: make-or-buy report</h2>",
             paragraph(f"{f.file} · {r.currency} · {r.horizon_months} months · "
                       f"{number(r.total_hours, 0)} hours of work · decided on "
                       f"{METRIC_LABELS[r.metric]}", "meta"),
             verdict(r, f), '<div class="summary">', "<h3>Summary</h3>",
             summary_table(key, view), *moves_tables(key, r), flexibility_table(key, view)]
    if r.scorecard is not None:
        parts.append(scorecard_table(key, r))
    parts += ["</div>", '<div class="details">', "<h3>Cost over time</h3>",
              chart(charts.cumulative(r, names, f"{key}-cum"),
                    f"Cumulative cost per alternative ({r.currency}); a dot marks the month "
                    "from which an alternative's cumulative savings stay positive."),
              "<h3>Cost by line</h3>",
              chart(charts.stacked_lines(r, names, f"{key}-lines"),
                    f"Total cost of each alternative by cost line ({r.currency})."),
              *lines_table(key, view), *stress_tables(key, view), *plan_tables(key, view),
              *uncertainty(key, f), inputs_table(key, f), "</div>", "</section>"]
    return "\n".join(parts)


def verdict(r: ScenarioResult, f: FileReport) -> str:
    """What to do and why, first, in the words every format uses."""
    rec = r.recommendation
    out = ['<div class="verdict">',
           '<p class="rec">Recommendation: <strong class="recommended">'
           f"{esc(rec.option)}</strong></p>",
           paragraph(reason(rec))]
    chosen = r.option(rec.option)
    if rec.option != r.baseline and chosen.breakeven_month is not None:
        out.append(paragraph(f"Cumulative savings stay positive from month "
                             f"{chosen.breakeven_month}."))
    note = infeasible_note(r, show_all=True)
    if note is not None:
        out.append(paragraph(note, "note"))
    if f.simulation is not None:
        count = f.uncertain_inputs
        inputs = "1 input is" if count == 1 else f"{count} inputs are"
        out.append(paragraph(f"{inputs} uncertain: the figures are at the means; how sure "
                             "the answer is comes under Uncertainty.", "note"))
    if r.gates:
        out.append("<ul>" + "".join(
            f"<li>Gate {esc(g.name)} {'PASS' if g.passed else 'FAIL'}: "
            f"{esc(gate_message(g))}</li>" for g in r.gates) + "</ul>")
    out.append("</div>")
    return "\n".join(out)


def _vs_base(o: OptionResult, r: ScenarioResult, cell: Cell) -> Cell | str:
    return NONE if o.name == r.baseline else cell


def _month(o: OptionResult) -> Cell:
    return figure("never" if o.breakeven_month is None else str(o.breakeven_month),
                  "breakeven_month")


def summary_table(key: str, r: ScenarioResult) -> str:
    """Each alternative that can do the work: its cost, NPV, savings and whether it clears."""
    label = METRIC_LABELS[r.metric]
    heads: list[Cell | str] = ["Alternative", figure("Total cost"), figure("NPV"),
                               figure("Risk-adjusted NPV"),
                               figure(f"Savings ({label})"), figure("Savings %"),
                               figure("Breakeven month"), "Clears"]
    rows: list[Row] = []
    for o in r.options:
        rows.append([Cell(o.name, field="name"), amount(o.total_cost, "total_cost"),
                     amount(o.npv, "npv"), amount(o.risk_adjusted_npv, "risk_adjusted_npv"),
                     _vs_base(o, r, amount(o.savings_vs_baseline, "savings_vs_baseline")),
                     _vs_base(o, r, share(o.savings_pct, "savings_pct")),
                     _vs_base(o, r, _month(o)),
                     DASH if o.name == r.baseline else "yes" if o.clears else "no"])
    return table(f"{key}-summary", f"Cost over {r.horizon_months} months ({r.currency})",
                 heads, rows, chosen=r.recommendation.option,
                 note=f"Baseline: {r.baseline}. An alternative clears when it saves at least "
                      f"{threshold(r.min_savings)} of the cost it avoids and each of its "
                      "moves pays its way.")


def moves_tables(key: str, r: ScenarioResult) -> list[str]:
    """The moves of the recommendation and of any cheaper alternative a move holds back."""
    out = []
    for i, o in enumerate(moves_shown(r)):
        rows: list[Row] = [[m.work, f"{assignment(m.from_)} → {assignment(m.to)}",
                            amount(m.incremental_savings), amount(m.incremental_required),
                            amount(m.standalone_savings), amount(m.standalone_required),
                            "yes" if m.clears else "no"] for m in o.moves]
        out.append(table(f"{key}-moves{i + 1}",
                         f"Moves of {o.name} ({r.currency}; each must save "
                         f"{threshold(r.min_savings)} of what it avoids)",
                         [MOVE_HEADS[0], MOVE_HEADS[1], *map(figure, MOVE_HEADS[2:])], rows))
    return out


def flexibility_table(key: str, r: ScenarioResult) -> str:
    """How fast each alternative follows demand, and what leaving it costs."""
    rows: list[Row] = [[o.name, figure(number(o.flexibility.scale_up_lead_months)),
                        figure(number(o.flexibility.scale_down_lag_months)),
                        amount(o.flexibility.cost_to_shed_fte),
                        amount(o.flexibility.exit_cost)] for o in r.options]
    return table(f"{key}-flexibility", f"Flexibility ({r.currency})",
                 ["Alternative", figure("Scale-up lead (months)"),
                  figure("Scale-down lag (months)"), figure("Cost to shed 1 FTE"),
                  figure("Exit cost")], rows)


def scorecard_table(key: str, r: ScenarioResult) -> str:
    """Options ranked on the weighted scores (cost score 5 is the cheapest)."""
    assert r.scorecard is not None
    criteria = scorecard_criteria(r)
    rows: list[Row] = [[figure(str(row.rank)), row.option, figure(f"{row.cost_score:.2f}"),
                        *(figure(number(row.scores[c], 1)) for c in criteria),
                        figure(f"{row.weighted_score:.2f}")] for row in r.scorecard.rows]
    return table(f"{key}-scorecard",
                 f"Scorecard (higher is better; weights: {scorecard_weights(r)})",
                 [figure("Rank"), "Option", *(figure(CRITERION_LABELS[c])
                                               for c in ("cost", *criteria)),
                  figure("Weighted")], rows)


def _groups(items: Sequence[T]) -> list[Sequence[T]]:
    """``items`` in runs of at most ``COLUMNS`` (at least one run, maybe empty)."""
    return [items[i:i + COLUMNS] for i in range(0, max(len(items), 1), COLUMNS)]


def _continued(key: str, caption: str, i: int) -> tuple[str, str]:
    """The id and caption of the ``i``-th table of a run (the first keeps the plain ones)."""
    return (key, caption) if i == 0 else (f"{key}{i + 1}", f"{caption}, continued")


def lines_table(key: str, r: ScenarioResult) -> list[str]:
    """The figures behind the stacked bars: each line's cost in each alternative (the
    alternatives are columns: ``COLUMNS`` to a table)."""
    used = [line for line in LINES if any(line.name in o.lines for o in r.options)]
    out = []
    for i, options in enumerate(_groups(r.options)):
        rows: list[Row] = [[line.label + (" (one-time)" if line.one_time else ""),
                            *(amount(o.lines[line.name], line.name) if line.name in o.lines
                              else NONE for o in options)] for line in used]
        rows.append([Cell("Total"), *(amount(o.total_cost, "total_cost") for o in options)])
        out.append(table(*_continued(f"{key}-lines", f"Cost by line ({r.currency})", i),
                         ["Line", *(figure(o.name) for o in options)], rows))
    return out


def stress_tables(key: str, r: ScenarioResult) -> list[str]:
    """Each stress test: every alternative's total under it, and the change."""
    tests = r.options[0].flexibility.stress if r.options else ()
    if not tests:
        return []
    out = ["<h3>Stress tests</h3>"]
    for i, test in enumerate(tests):
        rows: list[Row] = []
        for o in r.options:
            s = o.flexibility.stress[i]
            rows.append([o.name, amount(s.total_cost, "total_cost"), amount(s.npv, "npv"),
                         amount(s.delta_vs_base, "delta_vs_base"),
                         figure(number(s.unmet_hours, 0), "unmet_hours")])
        cheapest = min((o for o in r.options if o.feasible),
                       key=lambda o: o.flexibility.stress[i].total_cost, default=None)
        out.append(table(f"{key}-stress{i + 1}", f"Stress test: {test.name} ({r.currency})",
                         ["Alternative", figure("Total cost"), figure("NPV"),
                          figure("Change in total"), figure("Unmet hours")], rows,
                         chosen=None if cheapest is None else cheapest.name,
                         note=None if cheapest is None else
                         f"Cheapest under this test: {cheapest.name}."))
    return out


def plan_tables(key: str, r: ScenarioResult) -> list[str]:
    """Who does each work item, and each part of an alternative that has several."""
    plans = [o for o in r.options if len(o.by_option) > 1 or o.kind == "plan"]
    if not plans:
        return []
    out = ["<h3>Plans and their parts</h3>"]
    work = list(dict.fromkeys(w for o in r.options for w in o.assign))
    for i, group in enumerate(_groups(plans) if work else []):
        out.append(table(*_continued(f"{key}-who", "Who does the work", i),
                         ["Work", *(o.name for o in group)],
                         [[w, *(assignment(o.assign.get(w, {})) or DASH for o in group)]
                          for w in work]))
    for i, o in enumerate(plans):
        rows: list[Row] = [[name, amount(part.total_cost, "total_cost"),
                            amount(part.npv, "npv")] for name, part in o.by_option.items()]
        rows.append([Cell("Total"), amount(o.total_cost, "total_cost"), amount(o.npv, "npv")])
        out.append(table(f"{key}-parts{i + 1}", f"Parts of {o.name} ({r.currency})",
                         ["Part", figure("Total cost"), figure("NPV")], rows))
    return out


def uncertainty(key: str, f: FileReport) -> list[str]:
    """The simulation, the value of information and the tornado (uncertain inputs only)."""
    from kpo_calc.report.uncertain import uncertainty_blocks

    if f.simulation is None and f.sensitivity is None:
        return []
    return uncertainty_blocks(key, f)


def inputs_table(key: str, f: FileReport) -> str:
    """Every number the file writes, with its line: what a reviewer re-checks."""
    from kpo_calc.render.tornado_words import value_text

    rows: list[Row] = [[figure(str(i.line)), i.path, figure(value_text(i.value)),
                        i.distribution or ""] for i in f.inputs]
    return "\n".join(["<h3>Inputs</h3>", table(
        f"{key}-inputs", f"The numbers of {f.file}, by line",
        [figure("Line"), "Input", figure("Value costed"), "Distribution"], rows,
        note="Fields the file leaves out take their documented defaults and are not listed; "
             "an uncertain input is costed at its mean.")])
