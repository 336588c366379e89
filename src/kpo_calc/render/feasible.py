"""Which alternatives the tables show: infeasible ones are hidden unless ``--all``.

An alternative that cannot do all the work is no choice, and its savings and
breakeven month mean nothing; shown beside the real choices it is noise (a
scenario with ``serves`` has one per team). The tables show the feasible
alternatives and the baseline (every saving is measured against it), and one
line names the hidden ones with their reasons. JSON and CSV keep every
alternative: they are a contract, and say ``feasible``.
"""

from __future__ import annotations

from dataclasses import replace

from kpo_calc.engine.results import OptionResult, ScenarioResult


def hidden(r: ScenarioResult) -> list[OptionResult]:
    """The alternatives that cannot do all the work, the baseline apart."""
    return [o for o in r.options if not o.feasible and o.name != r.baseline]


def shown(r: ScenarioResult, show_all: bool) -> ScenarioResult:
    """``r`` with only the alternatives the tables show (all of them when ``show_all``)."""
    if show_all:
        return r
    out = {o.name for o in hidden(r)}
    return replace(r, options=tuple(o for o in r.options if o.name not in out))


def infeasible_note(r: ScenarioResult, show_all: bool) -> str | None:
    """One line: the alternatives :func:`hidden` names, and why (plain text; callers escape
    it). An infeasible baseline is not in it: the verdict's reason says why already."""
    options = hidden(r)
    if not options:
        return None
    head = "Not feasible" if show_all else "Not feasible, not shown (--all shows them)"
    return f"{head}: " + "; ".join(
        f"{o.name} ({'; '.join(o.infeasible_reasons)})" for o in options) + "."
