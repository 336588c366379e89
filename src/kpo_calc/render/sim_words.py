"""``simulate`` in words: the verdict with its agreement, the value of information, notes.

Every format says the same sentences; they are built here once, from the result.
"""

from __future__ import annotations

from kpo_calc.engine.simulation import SimulatedAlternative, SimulationResult
from kpo_calc.formatting import money, percent
from kpo_calc.outcome import SimulationOutcome
from kpo_calc.render.wording import METRIC_LABELS, reason

#: The columns of the alternatives table, for the table and Markdown formats.
ALTERNATIVE_HEADS = ("Alternative", "Mean", "P5", "P50", "P95", "Savings mean",
                     "Savings P5…P95", "P(cheapest)", "P(clears)", "P(recommended)")


def heading(r: SimulationResult, file: str) -> str:
    """Where the figures come from: the file, the trials, the seed, the inputs."""
    sampling = ", Latin hypercube" if r.latin_hypercube else ""
    count = len(r.inputs)
    return (f"{file}: {r.trials:,} trials, seed {r.seed}{sampling}, {count} uncertain "
            f"input{'s' if count != 1 else ''}; {METRIC_LABELS[r.metric]} in {r.currency}, "
            f"against {r.baseline}")


def verdict(r: SimulationResult) -> str:
    """The point recommendation (compare at the means) and how many trials agree."""
    return (f"{reason(r.recommendation)} At the inputs' means; {percent(r.agreement, 0)} of "
            f"the trials agree (each trial decided by the same rule).")


def alternative_row(a: SimulatedAlternative) -> list[str]:
    """One alternative's cells, in ``ALTERNATIVE_HEADS`` order."""
    if not a.feasible:
        return [a.name, money(a.metric.mean), "", "", "", "", "cannot do all the work",
                "", "", ""]
    s = a.savings
    return [a.name, money(a.metric.mean), money(a.metric.p5), money(a.metric.p50),
            money(a.metric.p95), money(s.mean), f"{money(s.p5)} … {money(s.p95)}",
            percent(a.p_cheapest, 0), percent(a.p_clears, 0), percent(a.p_recommended, 0)]


def move_notes(r: SimulationResult) -> list[str]:
    """For each alternative with two or more moves: how often each move pays its way."""
    notes = []
    for a in r.alternatives:
        for m in a.moves:
            notes.append(f"{a.name}: moving {m.work} pays its way in "
                         f"{percent(m.p_clears, 0)} of the trials")
    return notes


def evpi_line(r: SimulationResult) -> str:
    """What perfect knowledge of every input would be worth, and the threshold's premium."""
    premium = (f"; the threshold costs {money(r.threshold_premium, r.currency)} in expectation "
               "(the recommendation is not the cheapest on average)"
               if r.threshold_premium > 0 else "")
    return (f"Knowing every input before deciding would be worth up to "
            f"{money(r.evpi, r.currency)} (EVPI){premium}.")


def worth_sentence(r: SimulationResult, path: str, evppi: float) -> str:
    """An input's EVPPI as advice: what a pilot or due diligence on it is worth."""
    if evppi <= 0.005 * max(r.evpi, 1e-9) or evppi < 0.5:
        return f"learning {path} would not change the decision: not worth a study"
    return (f"learning {path} is worth up to {money(evppi, r.currency)}: a pilot or due "
            "diligence that costs less is worth running before you sign")


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
