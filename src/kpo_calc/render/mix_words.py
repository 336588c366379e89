"""The sentences of ``mix`` that every format shares (plain text; callers escape)."""

from __future__ import annotations

from kpo_calc.engine.decision import Shortfall, shortfall
from kpo_calc.engine.mixing import MixResult, RankedPlan
from kpo_calc.formatting import money
from kpo_calc.render.wording import SHORTFALL_WORDS, metric_label, why_not


def cheapest_note(r: MixResult) -> str | None:
    """Why the cheapest plan is not the best one, when they differ."""
    c = r.cheapest
    if c is None:
        return None
    why = why_not(c.result, _shortfall(r, c), r.baseline.name, r.min_savings,
                  r.recommendation.min_savings_amount, r.currency)
    return (f"The cheapest plan overall, {c.result.name}, costs "
            f"{money(c.result.metric(r.metric), r.currency)} by {metric_label(r.metric)} but "
            f"does not clear: {why}.")


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


def clears_word(r: MixResult, p: RankedPlan) -> str:
    """``clears``, or why not (``short``, ``move fails``, ...); a dash when the baseline
    cannot do the work (then the cheapest plan is the answer, without a threshold)."""
    if not r.baseline.feasible:
        return "—"
    return SHORTFALL_WORDS[_shortfall(r, p)]


def _shortfall(r: MixResult, p: RankedPlan) -> Shortfall | None:
    """``decision.shortfall`` of a ranked plan against the search's baseline."""
    return shortfall(p.result, r.baseline.metric(r.metric), r.min_savings,
                     r.recommendation.min_savings_amount)


#: What the words of the clears column mean, for a table's caption.
CLEARS_LEGEND = ("clears: saves enough; short: less than the threshold on the cost it "
                 "avoids; amount: less than min_savings_amount; move: a moved item does not "
                 "pay its way; none: no saving")
