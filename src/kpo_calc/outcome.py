"""What a run produced for each input file: a result, or the problems that stopped it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from kpo_calc.diagnostics import Diagnostic
from kpo_calc.engine.results import ScenarioResult

if TYPE_CHECKING:
    # Named in the Outcome[...] aliases below as strings (the engine modules that define
    # them are imported only by the commands that run them).
    from kpo_calc.engine.explain import Explanation  # noqa: F401
    from kpo_calc.engine.mixing import MixResult  # noqa: F401
    from kpo_calc.engine.robust import RobustResult
    from kpo_calc.engine.sensitivity import BreakevenResult, SensitivityResult  # noqa: F401
    from kpo_calc.engine.simulation import SimulationResult  # noqa: F401


ResultT = TypeVar("ResultT")


@dataclass(frozen=True)
class Outcome(Generic[ResultT]):
    """One input file of a command: its result (None when it has errors, or was only
    validated) and its diagnostics, errors and warnings."""

    file: str
    result: ResultT | None
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


@dataclass(frozen=True)
class FileOutcome(Outcome[ScenarioResult]):
    """One input file of ``compare`` or ``validate``."""

    #: how many inputs the file writes as distributions (``compare`` costs them at
    #: their means and says so; not part of the JSON report)
    uncertain_inputs: int = 0
    #: the file's part of the output, written where the file was computed (on another
    #: core, in a large batch; ``kpo_calc.render.json_format.written``), or None
    part: Any = field(default=None, kw_only=True)


@dataclass(frozen=True)
class MixOutcome(Outcome["MixResult"]):
    """One input file of ``mix``: its search, and its ``--expect`` gate."""

    #: ``--expect``: the option or plan whose assignment the best plan must have
    expect: str | None = None
    #: whether it has it (None without --expect)
    expect_passed: bool | None = None
    #: ``mix --trials``: the robust plan beside the point one
    robust: RobustResult | None = None


#: ``sensitivity``: one file's tornado.
SensitivityOutcome = Outcome["SensitivityResult"]
#: ``breakeven``: one file's switching values.
BreakevenOutcome = Outcome["BreakevenResult"]


@dataclass(frozen=True)
class SimulationOutcome(Outcome["SimulationResult"]):
    """One input file of ``simulate``, with its ``--min-agreement`` gate."""

    #: ``--min-agreement``: the share of trials that must agree (None: no gate)
    min_agreement: float | None = None

    @property
    def gate_passed(self) -> bool | None:
        """Whether enough trials agree with the recommendation (None without the gate)."""
        if self.min_agreement is None or self.result is None:
            return None
        return self.result.agreement >= self.min_agreement - 1e-12


@dataclass(frozen=True)
class ExplainOutcome(Outcome["Explanation"]):
    """One input file of ``explain``: its audit trail, or the problems that stopped it,
    and how the tables show the months (``--by``, ``--month``)."""

    #: "year" or "month": the columns of the tables
    by: str = "year"
    #: one month only, with the inputs substituted into each formula
    month: int | None = None
