"""The sentences of ``mix`` that every format shares (plain text; callers escape)."""

from __future__ import annotations

from kpo_calc.engine.mixing import MixResult, RankedPlan
from kpo_calc.formatting import money, percent
from kpo_calc.render.wording import metric_label


def cheapest_note(r: MixResult) -> str | None:
    """Why the cheapest plan is not the best one, when they differ."""
    c = r.cheapest
    if c is None:
        return None
    saved = c.result.savings_vs_baseline
    label = metric_label(r.metric)
    if saved <= 0:
        why = (f"it saves nothing against {r.baseline.name} "
               f"({money(-saved, r.currency)} more)")
    else:
        why = (f"it saves {money(saved, r.currency)} ({percent(c.result.savings_pct)}), short "
               f"of the {money(c.required_savings, r.currency)} its threshold asks on the "
               "work it moves")
    return (f"The cheapest plan overall, {c.result.name}, costs "
            f"{money(c.result.metric(r.metric), r.currency)} by {label} but does not clear: "
            f"{why}.")


def single_note(r: MixResult) -> str | None:
    """The best pure option, for comparison."""
    o = r.best_single_option
    if o is None:
        return None
    saved = o.savings_vs_baseline
    against = (f"{money(saved, r.currency)} less than {r.baseline.name}" if saved > 0 else
               f"{money(-saved, r.currency)} more than {r.baseline.name}" if saved < 0 else
               f"the same as {r.baseline.name}")
    return (f"Best single option: {o.name}, {money(o.metric(r.metric), r.currency)} by "
            f"{metric_label(r.metric)}, {against}.")


def search_note(r: MixResult) -> str:
    """What the search covered (no timing, so that reports do not differ between runs)."""
    return (f"Searched {r.candidates:,} candidate plans "
            f"(exact: every plan the constraints allow was costed).")


def timing_note(file: str, r: MixResult) -> str:
    """``mix --timing``: how long the search of one file took (stderr only)."""
    return f"{file}: searched {r.candidates:,} candidate plans in {r.seconds:.3f} s"


def clears_word(p: RankedPlan) -> str:
    """``yes`` or ``no``: does the plan clear its threshold."""
    return "yes" if p.clears else "no"
