"""What a run produced for each input file: a result, or the problems that stopped it."""

from __future__ import annotations

from dataclasses import dataclass

from kpo_calc.diagnostics import Diagnostic
from kpo_calc.engine.results import ScenarioResult


@dataclass(frozen=True)
class FileOutcome:
    """One input file: its result when it computed, else the problems that stopped it."""

    file: str
    result: ScenarioResult | None
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the file computed."""
        return self.result is not None
