"""Shared wording of a scenario diff, so the table and Markdown formats say the same."""

from __future__ import annotations

import json
from typing import Any

from kpo_calc.diffing import Figure, InputChange, OptionDiff, ScenarioDiff
from kpo_calc.formatting import money, percent

DIFF_HEADERS = ("Option", "Status", "Total cost", "NPV", "Savings", "Breakeven month")


def headline(d: ScenarioDiff) -> str:
    """The decision before and after, in one sentence."""
    if d.recommendation_changed:
        return (f"The recommendation changed: {d.old_recommendation} → "
                f"{d.new_recommendation}.")
    return f"The recommendation is unchanged: {d.new_recommendation}."


def money_change(f: Figure) -> str:
    """``1,000 → 1,200 (+200)``, with dashes where the option did not exist."""
    old = "—" if f.old is None else money(f.old)
    new = "—" if f.new is None else money(f.new)
    if f.delta is None or round(f.delta, 2) == 0:
        return new if f.delta is not None else f"{old} → {new}"
    return f"{old} → {new} ({'+' if f.delta > 0 else ''}{money(f.delta)})"


def share_change(f: Figure, baseline: bool) -> str:
    """Savings as percentages before and after."""
    if baseline:
        return "—"
    old = "—" if f.old is None else percent(f.old)
    new = "—" if f.new is None else percent(f.new)
    return new if old == new else f"{old} → {new}"


def month_change(months: tuple[int | None, int | None], baseline: bool) -> str:
    """Breakeven months before and after."""
    if baseline:
        return "—"
    old, new = ("never" if m is None else str(m) for m in months)
    return new if old == new else f"{old} → {new}"


def hidden_options(d: ScenarioDiff) -> list[OptionDiff]:
    """The alternatives that cannot do all the work in either version (the baselines
    apart): no choice before or after, so the tables leave them out unless ``--all``."""
    return [o for o in d.options if True not in o.feasible
            and o.name not in (d.baseline, d.old_baseline)]


def shown_options(d: ScenarioDiff, show_all: bool) -> list[OptionDiff]:
    """The rows of the results table."""
    out = [] if show_all else [o.name for o in hidden_options(d)]
    return [o for o in d.options if o.name not in out]


def hidden_note(d: ScenarioDiff, show_all: bool) -> str | None:
    """One line naming the alternatives :func:`hidden_options` leaves out (plain text)."""
    if show_all or not hidden_options(d):
        return None
    return ("Not feasible in either version, so not shown (--all shows them): "
            + "; ".join(o.name for o in hidden_options(d)) + ".")


def feasibility_mark(o: OptionDiff) -> str:
    """``not feasible``, ``no longer feasible``, ``feasible now`` or ''."""
    old, new = o.feasible
    if new is False:
        return "no longer feasible" if old is True else "not feasible"
    if new is None and old is False:
        return "not feasible"
    return "feasible now" if old is False and new is True else ""


def option_cells(o: OptionDiff, baseline: str) -> tuple[str, ...]:
    """One option's row, in DIFF_HEADERS order (savings are "—" for the baseline); the name
    marked as a plan, and when it cannot do all the work."""
    base = o.name == baseline
    marks = [m for m in ("plan" if o.kind == "plan" else "", feasibility_mark(o)) if m]
    name = o.name + (f" ({', '.join(marks)})" if marks else "")
    status = o.status + (", reassigned" if o.assign_changed else "")
    return (name, status, money_change(o.total_cost), money_change(o.npv),
            share_change(o.savings_pct, base), month_change(o.breakeven_month, base))


def value_text(value: Any) -> str:
    """A scenario value as it would be written in YAML (compact)."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def input_cells(c: InputChange) -> tuple[str, str, str]:
    """Path, before, after."""
    return c.path, value_text(c.old), value_text(c.new)
