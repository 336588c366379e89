"""``mix`` as a view: the verdict, the best plan, the ranking, the robust plans
(``--trials``), the gate and what the search covered.

The table and Markdown formats lay out this one view (``view_formats``); JSON and CSV
keep their own modules (``mix_json``, ``mix_csv``): their fields are a contract.
"""

from __future__ import annotations

from collections.abc import Sequence

from kpo_calc.engine.mixing import MixResult
from kpo_calc.engine.robust import RobustResult
from kpo_calc.formatting import money, percent
from kpo_calc.outcome import MixOutcome
from kpo_calc.render import RenderOptions, view_formats
from kpo_calc.render.markdown import LIMIT, error_lines
from kpo_calc.render.mix_json import expect_message, work_items
from kpo_calc.render.mix_words import (
    CLEARS_LEGEND,
    cheapest_note,
    clears_word,
    search_note,
    single_note,
)
from kpo_calc.render.robust_words import ROBUST_HEADS, ROBUST_LEGEND, plan_row, sentence, title
from kpo_calc.render.views import Block, Col, Say, Table, View
from kpo_calc.render.wording import METRIC_LABELS, reason, shares_text


def view(o: MixOutcome, r: MixResult) -> View:
    """One scenario's search: verdict, best plan, ranking, notes, robust plans, the gate
    and the search line."""
    blocks: list[Block] = [Say(reason(r.recommendation),
                               "good" if r.best is not None else "strong")]
    if r.best is not None:
        blocks.append(Table(f"Best plan: {r.best.result.name}",
                            (Col("Work", key=True), Col("Goes to")),
                            tuple((work, shares_text(to))
                                  for work, to in r.best.result.assign.items())))
    blocks.append(top_table(r))
    blocks += [Say(note) for note in (cheapest_note(r), single_note(r)) if note is not None]
    if o.robust is not None:
        blocks += robust_blocks(o.robust, r.metric)
    if o.expect is not None:
        blocks.append(Say(("Gate expect passed: " if o.expect_passed else
                           "Gate expect failed: ") + expect_message(o),
                          "pass" if o.expect_passed else "fail"))
    blocks.append(Say(search_note(r), "quiet"))
    return View(o.file, r.name, tuple(blocks),
                about=f"best sourcing plan against {r.baseline.name} "
                      f"({METRIC_LABELS[r.metric]}, {r.currency})")


def top_table(r: MixResult) -> Table:
    """The ranking's head as a matrix: a row per plan, a column per work item (the option,
    or the split, that does it), then the metric, and the savings with whether they clear
    the plan's threshold (in the same cell: a column of its own would not fit 80 columns).

    One column per work item keeps each plan on a line or two at 80 columns; when the
    items do not fit side by side, the table splits into parts that repeat the rank and
    plan name.
    """
    work = work_items(r)
    order = "cheapest first" if not r.baseline.feasible else "cheapest that clear first"
    rows = tuple((str(p.rank), p.result.name,
                  *(shares_text(p.result.assign.get(w, {})) for w in work),
                  money(p.result.metric(r.metric)),
                  f"{money(p.result.savings_vs_baseline)} ({percent(p.result.savings_pct)}) "
                  + clears_word(r, p))
                 for p in r.top)
    return Table(f"Top {len(r.top)} plans ({order})",
                 (Col("#", "figure", key=True), Col("Plan", key=True),
                  *(Col(w, tone="plain") for w in work),
                  Col(METRIC_LABELS[r.metric], "figure"), Col("Savings", "figure")),
                 rows, caption=CLEARS_LEGEND)


def robust_blocks(rr: RobustResult, metric: str) -> list[Block]:
    """``mix --trials``: the robust verdict and the plans judged in every trial."""
    return [Say(sentence(rr, metric), "strong"),
            Table(title(rr, metric), (Col(ROBUST_HEADS[0], key=True),
                                      *(Col(h, "figure") for h in ROBUST_HEADS[1:])),
                  tuple(tuple(plan_row(rr, p)) for p in rr.plans), caption=ROBUST_LEGEND)]


def _views(outcomes: Sequence[MixOutcome]) -> list[View]:
    return [view(o, o.result) for o in outcomes if o.result is not None]


def table(outcomes: Sequence[MixOutcome], options: RenderOptions) -> str:
    """Every searched scenario as terminal tables, one after another."""
    return view_formats.table(_views(outcomes), options)


def markdown(outcomes: Sequence[MixOutcome], options: RenderOptions) -> str:
    """Every searched scenario as Markdown, broken files' errors first."""
    return view_formats.markdown(_views(outcomes), error_lines(outcomes), limit=LIMIT)
