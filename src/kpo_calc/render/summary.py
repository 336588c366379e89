"""The batch summary: one row per input file, shared by the table and Markdown formats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kpo_calc.formatting import money, percent
from kpo_calc.outcome import FileOutcome

SUMMARY_HEADERS = ("File", "Scenario", "Recommendation", "Baseline", "Savings", "Gates")


@dataclass(frozen=True)
class SummaryRow:
    """One input file at a glance."""

    file: str
    scenario: str
    recommendation: str
    baseline: str
    #: savings of the recommendation as a share of the baseline's metric
    savings_pct: str
    #: the same in money, with the currency
    savings: str
    gates: str
    #: "ok", "gate" (a gate failed) or "error" (the file is invalid)
    status: str

    def cells(self) -> tuple[str, ...]:
        """The row in SUMMARY_HEADERS order."""
        saved = self.savings_pct if self.savings == "—" else f"{self.savings_pct} ({self.savings})"
        return (self.file, self.scenario, self.recommendation, self.baseline, saved, self.gates)


def summary_rows(outcomes: Sequence[FileOutcome]) -> list[SummaryRow]:
    """A row for every file, computed or not, in the run's (sorted) order."""
    rows = []
    for o in outcomes:
        r = o.result
        if r is None:
            count = len(o.errors)
            rows.append(SummaryRow(o.file, "—", f"invalid: {count} error{'s' * (count != 1)}",
                                   "—", "—", "—", "—", "error"))
            continue
        rec = r.recommendation
        moved = rec.option != rec.baseline
        share = percent(rec.savings_pct) if moved else "—"
        saved = money(rec.savings, r.currency) if moved else "—"
        failed = [g for g in r.gates if not g.passed]
        gates = ("—" if not r.gates else
                 f"{len(failed)} of {len(r.gates)} failed" if failed else
                 f"{len(r.gates)} passed")
        rows.append(SummaryRow(o.file, r.name, rec.option, rec.baseline, share, saved, gates,
                               "gate" if failed else "ok"))
    return rows
