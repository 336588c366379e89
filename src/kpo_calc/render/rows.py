"""Rows shared by the table and Markdown formats: one label and one cell per option.

Both formats show the same cost lines and flexibility figures; defining the
rows once keeps their wording and rounding the same, and keeps rich out of
the Markdown format.
"""

from __future__ import annotations

from collections.abc import Mapping

from kpo_calc.engine.lines import LINES
from kpo_calc.engine.results import OptionResult, ScenarioResult, StressResult
from kpo_calc.formatting import money, number, percent
from kpo_calc.render.wording import shares_text

DASH = "—"
Row = tuple[str, list[str]]

#: Row labels of the cost lines, from the engine's line table.
LINE_LABELS = {line.name: line.label for line in LINES}


def cost_rows(r: ScenarioResult) -> list[tuple[str, list[str], bool]]:
    """The cost summary, once for every format: (label, a cell per option, whether the
    row is a headline figure): one-time, recurring, total, NPV, cost per hour, unmet
    hours (when any), savings, breakeven, and the risks."""
    from kpo_calc.render.wording import METRIC_LABELS

    def vs_base(o: OptionResult, value: str) -> str:
        return DASH if o.name == r.baseline else value

    os = r.options
    rows = [("One-time cost", [money(o.one_time_cost) for o in os], False),
            ("Recurring cost", [money(o.recurring_cost) for o in os], False),
            ("Total cost", [money(o.total_cost) for o in os], True),
            ("NPV", [money(o.npv) for o in os], True),
            ("Cost per hour", [money(o.cost_per_hour, cents=True) for o in os], False)]
    if any(o.unmet_hours > 0.005 for o in os):
        rows.append(("Unmet hours", [number(o.unmet_hours, 0) for o in os], False))
    rows += [(f"Savings vs baseline ({METRIC_LABELS[r.metric]})",
              [vs_base(o, money(o.savings_vs_baseline)) for o in os], False),
             ("Savings %", [vs_base(o, percent(o.savings_pct)) for o in os], False),
             ("Breakeven month", [vs_base(o, "never" if o.breakeven_month is None else
                                          str(o.breakeven_month)) for o in os], False),
             ("Risk (expected loss)", [money(o.risk_cost) for o in os], False),
             ("Risk-adjusted total", [money(o.risk_adjusted_total) for o in os], False),
             ("Risk-adjusted NPV", [money(o.risk_adjusted_npv) for o in os], False)]
    return rows


def line_rows(r: ScenarioResult) -> list[Row]:
    """Cost by line, for the lines some option has; one-time lines are marked."""
    return [
        (line.label + (" (one-time)" if line.one_time else ""),
         [money(o.lines[line.name]) if line.name in o.lines else DASH for o in r.options])
        for line in LINES if any(line.name in o.lines for o in r.options)]


def part_rows(r: ScenarioResult) -> list[Row]:
    """``of which <option>``: each option's part of each alternative's total.

    Shown when some alternative has several parts (a plan, or today's staff
    wound down beside a vendor).
    """
    if all(len(o.by_option) <= 1 for o in r.options):
        return []
    names = list(dict.fromkeys(n for o in r.options for n in o.by_option))
    return [(f"of which {name}", [money(o.by_option[name].total_cost) if name in o.by_option
                                  else DASH for o in r.options]) for name in names]


def has_plans(r: ScenarioResult) -> bool:
    """Does the scenario declare plans?"""
    return any(o.kind == "plan" for o in r.options)


def assign_rows(r: ScenarioResult) -> list[Row]:
    """Who does each work item in each alternative (shown when there are plans)."""
    if not has_plans(r):
        return []
    work = list(dict.fromkeys(w for o in r.options for w in o.assign))
    return [(name, [assignment(o.assign.get(name, {})) for o in r.options]) for name in work]


def assignment(shares: Mapping[str, float]) -> str:
    """``KPO Pune`` or ``KPO Pune 50% + In-house 50%``."""
    if len(shares) == 1:
        return next(iter(shares))
    return " + ".join(f"{name} {percent(share, 0)}" for name, share in shares.items())


def flexibility_rows(r: ScenarioResult) -> list[Row]:
    """Lead and lag times, the cost of shedding one FTE, the exit cost."""
    return [
        ("Scale-up lead (months)", [number(o.flexibility.scale_up_lead_months)
                                    for o in r.options]),
        ("Scale-down lag (months)", [number(o.flexibility.scale_down_lag_months)
                                     for o in r.options]),
        ("Cost to shed 1 FTE", [money(o.flexibility.cost_to_shed_fte) for o in r.options]),
        ("Exit cost", [money(o.flexibility.exit_cost) for o in r.options]),
    ]


def stress_cell(s: StressResult, unmet: str) -> str:
    """``+1,234`` (or ``-1,234``), then ``unmet`` (with ``{hours}``) when hours went unmet."""
    sign = "+" if s.delta_vs_base >= 0.005 else ""
    cell = f"{sign}{money(s.delta_vs_base)}"
    if s.unmet_hours > 0.005:
        cell += unmet.format(hours=number(s.unmet_hours, 0))
    return cell


def marks(o: OptionResult, r: ScenarioResult) -> str:
    """``(baseline, plan, not feasible)``: every mark that holds, or ''."""
    held = [mark for mark, holds in (("baseline", o.name == r.baseline),
                                     ("plan", o.kind == "plan"),
                                     ("not feasible", not o.feasible)) if holds]
    return f"({', '.join(held)})" if held else ""


#: The columns of a moves table (methodology 3, point 2), for every format.
MOVE_HEADS = ("Work", "From → to", "Saves on its margin", "Needs", "Saves alone", "Needs alone",
              "Pays its way")


def moves_shown(r: ScenarioResult) -> list[OptionResult]:
    """The alternatives whose moves decide something: the recommendation (when it moves
    two or more items) and every cheaper one a failing move holds back."""
    names = [h.name for h in r.recommendation.held_back]
    if r.recommendation.option != r.baseline:
        names.insert(0, r.recommendation.option)
    if r.recommendation.kind == "move_fails" and r.recommendation.best is not None:
        names.append(r.recommendation.best)
    shown = [r.option(n) for n in dict.fromkeys(names)]
    return [o for o in shown if o.moves]


def move_rows(o: OptionResult) -> list[list[str]]:
    """One row a move: where it goes, what it saves on its own margin and alone, and
    what each needs (plain text; callers escape)."""
    return [[m.work, f"{shares_text(m.from_)} → {shares_text(m.to)}",
             money(m.incremental_savings), money(m.incremental_required),
             money(m.standalone_savings), money(m.standalone_required),
             "yes" if m.clears else "no"] for m in o.moves]
