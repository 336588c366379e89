"""The words of a verdict: every format (table, Markdown, JSON, CSV, diff) says it this way.

The engine returns the recommendation as data (``Recommendation``: its kind
and numbers); this module is the one place that turns it into a sentence.
"""

from __future__ import annotations

from kpo_calc.engine.decision import METRIC_LABELS
from kpo_calc.engine.results import GateResult, Recommendation
from kpo_calc.formatting import money, percent, threshold

__all__ = ["METRIC_LABELS", "gate_message", "metric_label", "reason"]


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
                f"{rec.best} is the cheapest feasible option by {label} "
                f"({money(rec.best_metric, rec.currency)}).")
    if rec.kind == "no_alternative":
        return f"No alternative can do all the work, so {rec.baseline} stays."
    if rec.kind == "clears":
        return (f"{rec.best} costs {share} less than {rec.baseline} by {label} "
                f"({saved} saved), clearing the {limit} minimum-savings threshold"
                f"{_on_moved(rec)}.")
    if rec.kind == "baseline_cheapest":
        return (f"{rec.baseline} is the cheapest feasible option by {label}; the "
                f"closest alternative, {rec.best}, costs {share} ({saved}) more.")
    if rec.required_savings is not None:
        return (f"{rec.best} would save only {share} ({saved}) by {label}, short of the "
                f"{limit} minimum-savings threshold{_on_moved(rec)}, so {rec.baseline} stays.")
    return (f"{rec.best} would save only {share} ({saved}) by {label}, "
            f"{rec.shortfall * 100:.1f} points short of the {limit} minimum-savings threshold, "
            f"so {rec.baseline} stays.")


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
        return (f"{g.subject} saves {percent(g.value)} of the baseline's "
                f"{metric_label(g.metric)}" + (f" (at least {need} required)" if g.passed else
                                               f", less than the required {need}"))
    spent, limit = money(g.value, g.currency), money(g.limit, g.currency)
    where = "in total" if g.within is None else f"in the recommended alternative ({g.within})"
    return f"{g.subject} costs {spent} {where}, " + (
        f"within its budget of {limit}" if g.passed else
        f"over its budget of {limit} by {money(g.value - g.limit, g.currency)}")


def _on_moved(rec: Recommendation) -> str:
    """`` on the work it moves (X of Y)``, when the threshold is not the whole baseline's."""
    if rec.required_savings is None or rec.moved_base is None:
        return ""
    return (f" on the work it moves (required: {money(rec.required_savings, rec.currency)}, "
            f"{threshold(rec.threshold)} of {money(rec.moved_base, rec.currency)})")
