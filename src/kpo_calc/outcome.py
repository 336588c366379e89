"""What a run produced for each input file: a result, or the problems that stopped it."""

from __future__ import annotations

from dataclasses import dataclass

from kpo_calc.diagnostics import Diagnostic
from kpo_calc.engine.results import ScenarioResult


@dataclass(frozen=True)
class FileOutcome:
    """One input file: its result (None when it has errors or was only validated)
    and its diagnostics, errors and warnings."""

    file: str
    result: ScenarioResult | None
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The problems that stop the file from being computed."""
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        """Things that are probably not what the author meant."""
        return tuple(d for d in self.diagnostics if d.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when the file has no errors."""
        return not self.errors
