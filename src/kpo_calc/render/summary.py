"""The batch summary: one row per input file, shared by the table and Markdown formats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kpo_calc.engine.decision import METRIC_LABELS
from kpo_calc.engine.results import ScenarioResult
from kpo_calc.formatting import money, percent, threshold
from kpo_calc.outcome import FileOutcome

SUMMARY_HEADERS = ("File", "Scenario", "Recommendation", "Savings", "Baseline", "Gates")
DASH = "—"


@dataclass(frozen=True)
class SummaryRow:
    """One input file at a glance (plain text: each format escapes it for its medium)."""

    file: str
    scenario: str
    #: the recommended option; "(stays)" after it when that is the baseline
    recommendation: str
    #: what the recommendation saves (share and money), or why the baseline stays
    savings: str
    #: the baseline and its value of the decision metric
    baseline: str
    gates: str
    #: "ok", "gate" (a gate failed) or "error" (the file is invalid)
    status: str

    def cells(self) -> tuple[str, ...]:
        """The row in SUMMARY_HEADERS order."""
        return (self.file, self.scenario, self.recommendation, self.savings, self.baseline,
                self.gates)


def summary_rows(outcomes: Sequence[FileOutcome]) -> list[SummaryRow]:
    """A row for every file, computed or not, in the run's (sorted) order."""
    rows = []
    for o in outcomes:
        r = o.result
        if r is None:
            count = len(o.errors)
            rows.append(SummaryRow(o.file, DASH, f"invalid: {count} error{'s' * (count != 1)}",
                                   DASH, DASH, DASH, "error"))
            continue
        rec = r.recommendation
        failed = [g for g in r.gates if not g.passed]
        gates = (DASH if not r.gates else
                 f"{len(failed)} of {len(r.gates)} failed" if failed else
                 f"{len(r.gates)} passed")
        stays = rec.option == rec.baseline
        base = r.option(rec.baseline)
        rows.append(SummaryRow(
            o.file, r.name, f"{rec.option} (stays)" if stays else rec.option,
            _shortfall(r) if stays else
            f"{percent(rec.savings_pct)} ({money(rec.savings, r.currency)})",
            f"{rec.baseline}: {money(base.metric(r.metric), r.currency)} "
            f"({METRIC_LABELS[r.metric]})",
            gates, "gate" if failed else "ok"))
    return rows


def _shortfall(r: ScenarioResult) -> str:
    """Why the baseline stays: its best alternative and how far it falls short."""
    alternatives = [o for o in r.options if o.feasible and o.name != r.baseline]
    if not alternatives:
        return "no feasible alternative"
    best = min(alternatives, key=lambda o: o.metric(r.metric))
    share = percent(abs(best.savings_pct))
    amount = money(abs(best.savings_vs_baseline), r.currency)
    if best.savings_vs_baseline > 0:
        # Each percentage names its base: the baseline's metric, the cost avoided.
        avoided = ("" if not best.moved_base else
                   f" = {percent(best.savings_vs_baseline / best.moved_base)} of the "
                   f"{money(best.moved_base, r.currency)} it avoids")
        return (f"{best.name} would save {share} of {r.baseline} ({amount}){avoided}; "
                f"{threshold(r.min_savings)} of that needed")
    return f"{best.name} would cost {share} ({amount}) more"
