"""``simulate`` in words: the verdict with its agreement, the value of information, notes.

Every format says the same sentences; they are built here once, from the result.
"""

from __future__ import annotations

from kpo_calc.engine.simulation import SimulatedAlternative, SimulationResult
from kpo_calc.formatting import money, percent
from kpo_calc.outcome import SimulationOutcome
from kpo_calc.render.wording import METRIC_LABELS, reason

#: The columns of the alternatives table.
ALTERNATIVE_HEADS = ("Alternative", "Mean", "Savings", "P5", "P95", "Cheapest", "Clears",
                     "Picked")
#: Under the alternatives table: what its columns mean.
ALTERNATIVE_LEGEND = ("Mean: the metric's mean; Savings: their mean against the baseline, "
                      "with P5 and P95; Cheapest, Clears (the threshold, every move "
                      "included) and Picked: the share of trials.")
#: The legends of the two tables the alternatives table becomes on a narrow terminal.
SPREAD_LEGEND = ("Mean: the metric's mean; Savings: their mean against the baseline, "
                 "with P5 and P95.")
ODDS_LEGEND = ("The share of trials in which each alternative is the cheapest, clears the "
               "threshold (every move included) and is picked.")


def about(r: SimulationResult) -> str:
    """Where the figures come from (after the file's name): the trials, the seed, the
    inputs."""
    sampling = ", Latin hypercube" if r.latin_hypercube else ""
    count = len(r.inputs)
    return (f"{r.trials:,} trials, seed {r.seed}{sampling}, {count} uncertain "
            f"input{'s' if count != 1 else ''}; {METRIC_LABELS[r.metric]} in {r.currency}, "
            f"against {r.baseline}")


def heading(r: SimulationResult, file: str) -> str:
    """Where the figures come from: the file, the trials, the seed, the inputs."""
    return f"{file}: {about(r)}"


def verdict(r: SimulationResult) -> str:
    """The point recommendation (compare at the means) and how many trials agree."""
    return (f"{reason(r.recommendation)} At the inputs' means; {percent(r.agreement, 0)} of "
            f"the trials agree (each trial decided by the same rule).")


def alternative_row(a: SimulatedAlternative) -> list[str]:
    """One alternative's cells, in ``ALTERNATIVE_HEADS`` order: the metric's mean, the
    savings' mean and 90% interval, and how often it is cheapest, clears and is picked."""
    s = a.savings
    return [a.name, money(a.metric.mean), money(s.mean), money(s.p5), money(s.p95),
            share(a.p_cheapest), share(a.p_clears), share(a.p_recommended)]


def shown_alternatives(r: SimulationResult) -> list[SimulatedAlternative]:
    """The alternatives the tables list: those that can do all the work."""
    return [a for a in r.alternatives if a.feasible]


def infeasible_note(r: SimulationResult) -> str | None:
    """One line naming the alternatives left out of the tables (JSON and CSV keep them)."""
    left = [a.name for a in r.alternatives if not a.feasible]
    if not left:
        return None
    return ("Cannot do all the work (not simulated further): " + ", ".join(left) + ".")


def share(p: float) -> str:
    """A probability as a whole percentage, never rounding a rare event to 0% or 100%."""
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 <= p < 1:
        return ">99%"
    return percent(p, 0)


def move_notes(r: SimulationResult) -> list[str]:
    """The moves that do not pay their way in every trial (methodology 3, per trial), of
    the alternatives that matter: picked or cheapest in some trial, or recommended."""
    notes = []
    for a in r.alternatives:
        if not (a.p_recommended or a.p_cheapest or a.name == r.recommendation.option):
            continue
        for m in a.moves:
            if m.p_clears < 1:
                notes.append(f"{a.name}: moving {m.work} pays its way in "
                             f"{share(m.p_clears)} of the trials")
    return notes


def evpi_line(r: SimulationResult) -> str:
    """What perfect knowledge of every input would be worth, and the threshold's premium."""
    premium = (f" The threshold costs {money(r.threshold_premium, r.currency)} in expectation: "
               "the recommendation is not the cheapest on average." if r.threshold_premium > 0
               else "")
    if r.evpi <= 0:
        return ("The cheapest alternative is the same in every trial: knowing the inputs "
                "before deciding would not change the choice (EVPI 0)." + premium)
    return (f"Knowing every input before deciding would be worth up to "
            f"{money(r.evpi, r.currency)} (EVPI).{premium}")


def worth(r: SimulationResult, evppi: float) -> bool:
    """Is learning an input worth anything (above rounding and the estimator's noise)?"""
    return evppi >= 0.5 and evppi > 0.01 * r.evpi


def worth_sentence(r: SimulationResult) -> str | None:
    """The input most worth learning, as advice: what a pilot or due diligence is worth."""
    top = r.value_of_information[0] if r.value_of_information else None
    if top is None or not worth(r, top.evppi):
        return None
    return (f"Learning {top.input} is worth up to {money(top.evppi, r.currency)}: a pilot or "
            "due diligence that costs less is worth running before you sign.")


def clipped_note(r: SimulationResult) -> str | None:
    """Inputs whose draws went past the field's allowed range and were held at its end."""
    if not r.clipped:
        return None
    items = ", ".join(f"{p} ({percent(share, 2)})" for p, share in r.clipped)
    return (f"Draws held at the end of the allowed range: {items}. Narrow those ranges if "
            "this share matters.")


def histogram_bars(r: SimulationResult, width: int = 30) -> list[tuple[str, str, str]]:
    """The savings histogram as (range, bar, count) rows."""
    h = r.histogram
    if h is None:
        return []
    top = max(h.counts) or 1
    return [(f"{money(lo)} … {money(hi)}", "█" * round(width * c / top), f"{c:,}")
            for lo, hi, c in zip(h.edges, h.edges[1:], h.counts, strict=False)]


def gate_line(o: SimulationOutcome) -> str | None:
    """``--min-agreement``: whether enough trials agree with the point recommendation."""
    if o.min_agreement is None or o.result is None:
        return None
    verb = "passed" if o.gate_passed else "failed"
    return (f"gate min_agreement {verb}: {percent(o.result.agreement, 1)} of the trials agree "
            f"with the recommendation; at least {percent(o.min_agreement, 1)} required")
