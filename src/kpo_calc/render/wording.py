"""The words of a verdict: every format (table, Markdown, JSON, CSV, diff) says it this way.

The engine returns the recommendation as data (``Recommendation``: its kind
and numbers); this module is the one place that turns it into a sentence.
"""

from __future__ import annotations

from collections.abc import Mapping

from kpo_calc.engine.decision import METRIC_LABELS, Shortfall
from kpo_calc.engine.results import GateResult, HeldBack, Move, OptionResult, Recommendation
from kpo_calc.formatting import money, percent, threshold

__all__ = [
    "METRIC_LABELS",
    "SHORTFALL_WORDS",
    "gate_message",
    "metric_label",
    "move_sentence",
    "reason",
    "shares_text",
    "uncertain_note",
    "why_not",
]


def uncertain_note(count: int) -> str | None:
    """What ``compare`` says of a file with uncertain inputs (None when it has none)."""
    if count <= 0:
        return None
    inputs = "1 uncertain input is" if count == 1 else f"{count} uncertain inputs are"
    return (f"{inputs} evaluated at {'its mean' if count == 1 else 'their means'}; run "
            "kpo-calc simulate to see the spread.")


def metric_label(metric: str) -> str:
    """``NPV``, ``total cost`` or ``risk-adjusted NPV``."""
    return METRIC_LABELS[metric]


def reason(rec: Recommendation) -> str:
    """Why ``rec`` recommends what it does, in one or two sentences."""
    label = metric_label(rec.metric)
    limit = threshold(rec.threshold)
    saved = money(abs(rec.best_savings), rec.currency)
    share = percent(abs(rec.best_savings_pct))
    if rec.kind == "baseline_infeasible":
        return (f"The baseline {rec.baseline} cannot do all the work ({rec.baseline_problem}); "
                f"{rec.best} is the cheapest feasible alternative by {label} "
                f"({money(rec.best_metric, rec.currency)}).")
    if rec.kind == "no_alternative":
        return f"No alternative can do all the work, so {rec.baseline} stays."
    if rec.kind == "clears":
        return (f"{rec.best} costs {share} less than {rec.baseline} by {label} "
                f"({saved} saved), clearing the {limit} minimum-savings threshold"
                f"{_on_moved(rec)}{_material(rec)}.{_held_back(rec)}")
    if rec.kind == "baseline_cheapest":
        return (f"{rec.baseline} is the cheapest feasible alternative by {label}; the "
                f"closest alternative, {rec.best}, costs {share} ({saved}) more.")
    if rec.kind == "short_of_amount":
        return (f"{rec.best} would save {share} ({saved}) by {label}, clearing the {limit} "
                f"threshold{_on_moved(rec)}, but less than the minimum saving of "
                f"{money(rec.min_savings_amount, rec.currency)}, so {rec.baseline} stays.")
    if rec.kind == "move_fails":
        moves = "; ".join(move_sentence(m, rec.currency) for m in rec.failing_moves)
        return (f"{rec.best} would save {share} ({saved}) by {label}, but not every move "
                f"pays its way: {moves}; so {rec.baseline} stays.")
    return (f"{rec.best} would save only {share} ({saved}) by {label}, short of the "
            f"{limit} minimum-savings threshold{_on_moved(rec)}, so {rec.baseline} stays.")


#: One short word a table gives each shortfall (so that a plan keeps one line at 80
#: columns): ``none`` no saving, ``short`` below the threshold, ``amount`` below
#: min_savings_amount, ``move`` a move that does not pay its way.
SHORTFALL_WORDS: dict[Shortfall | None, str] = {
    None: "clears", "no_saving": "none", "threshold": "short", "amount": "amount",
    "move": "move"}


def why_not(o: OptionResult, why: Shortfall | None, baseline: str, threshold_share: float,
            min_amount: float, currency: str) -> str:
    """Why an alternative does not clear (``why``: ``decision.shortfall``), in the words
    of the verdict."""
    saved = o.savings_vs_baseline
    if why == "no_saving":
        return f"it saves nothing against {baseline} ({money(-saved, currency)} more)"
    if why == "amount":
        return (f"it saves {money(saved, currency)}, less than the minimum saving of "
                f"{money(min_amount, currency)}")
    if why == "move":
        return "; ".join(move_sentence(m, currency) for m in o.moves if not m.clears)
    base = o.moved_base or 0.0
    share = f", {percent(saved / base)} of the {money(base, currency)} it avoids" if base else ""
    return (f"it saves {money(saved, currency)}{share}, short of the "
            f"{threshold(threshold_share)} threshold "
            f"({money(o.required_savings or 0.0, currency)})")


def shares_text(to: Mapping[str, float]) -> str:
    """``option``, or ``option 50% + option 50%`` for a split: where one work item goes."""
    if len(to) == 1:
        return next(iter(to))
    return " + ".join(f"{o} {share * 100:g}%" for o, share in to.items())


def move_sentence(m: Move, currency: str) -> str:
    """``Valuation → KPO Pune saves MYR 38,043 more than keeping it, needs 279,419: it does
    not pay its way`` (or that it does)."""
    head = f"{m.work} → {shares_text(m.to)}"
    inc = m.incremental_savings
    if inc <= 0:
        return (f"{head} costs {money(-inc, currency)} more than keeping it: it does not pay "
                "its way")
    verdict = "it pays its way" if m.clears else "it does not pay its way"
    return (f"{head} saves {money(inc, currency)} more than keeping it, needs "
            f"{money(m.incremental_required)}: {verdict}")


def _held_back(rec: Recommendation) -> str:
    """The cheaper alternatives a failing move holds back, one sentence each."""
    return "".join(_held_sentence(h, rec) for h in rec.held_back)


def _held_sentence(h: HeldBack, rec: Recommendation) -> str:
    moves = "; ".join(move_sentence(m, rec.currency) for m in h.failing)
    tail = "; the plan without it is the recommendation" if h.without_is_recommended else ""
    return (f" {h.name} would save more ({money(h.savings, rec.currency)}), but {moves}"
            f"{tail}.")


def _material(rec: Recommendation) -> str:
    """`` and the minimum saving of X``, when decision.min_savings_amount is set."""
    if rec.min_savings_amount <= 0:
        return ""
    return f" and the minimum saving of {money(rec.min_savings_amount, rec.currency)}"


def gate_message(g: GateResult) -> str:
    """What a gate checked and what it found, in one clause."""
    if g.name == "expect":
        return (f"the recommendation is {g.expected}, as expected" if g.passed else
                f"expected the recommendation to be {g.expected}, but it is {g.subject}")
    if g.name == "unchanged":
        return (f"the recommendation is still {g.subject}" if g.passed else
                f"the recommendation changed from {g.expected} to {g.subject}")
    if g.name == "min_savings":
        need = threshold(g.limit)
        base = (f"the baseline's {metric_label(g.metric)}" if g.base is None else
                f"the cost it avoids ({money(g.base, g.currency)} by {metric_label(g.metric)})")
        return (f"{g.subject} saves {percent(g.value)} of {base}"
                + (f" (at least {need} required)" if g.passed else
                   f", less than the required {need}"))
    spent, limit = money(g.value, g.currency), money(g.limit, g.currency)
    where = "in total" if g.within is None else f"in the recommended alternative ({g.within})"
    return f"{g.subject} costs {spent} {where}, " + (
        f"within its budget of {limit}" if g.passed else
        f"over its budget of {limit} by {money(g.value - g.limit, g.currency)}")


def _on_moved(rec: Recommendation) -> str:
    """`` on the cost it avoids (required: X, 10% of Y)``: the base of the threshold."""
    if rec.required_savings is None or rec.moved_base is None:
        return ""
    share = (f"it saves {percent(rec.best_savings / rec.moved_base)} of "
             f"{money(rec.moved_base, rec.currency)}" if rec.moved_base else
             f"it avoids {money(0.0, rec.currency)}")
    return (f" on the cost it avoids ({share}; required: "
            f"{money(rec.required_savings, rec.currency)})")
