"""What a report shows for one file: the comparison, the inputs with their file lines and,
when inputs are uncertain, the simulation and the tornado.

Every figure comes from the functions the other commands run (``compare``'s
``evaluate``, ``api.simulate_file``, ``api.sensitivity_file``), so the report cannot
disagree with them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kpo_calc.api import StrPath, load_file, sensitivity_file, simulate_file
from kpo_calc.engine import evaluate
from kpo_calc.outcome import FileOutcome
from kpo_calc.paths import located_numbers
from kpo_calc.scenario import Uncertain

if TYPE_CHECKING:
    from kpo_calc.engine.sensitivity import SensitivityResult
    from kpo_calc.engine.simulation import SimulationResult
    from kpo_calc.loader import Document
    from kpo_calc.scenario import Scenario

#: Trials of a report's simulation: percentiles and the histogram settle well before
#: simulate's 10,000, and the report stays quick (benchmarks/report.py).
DEFAULT_TRIALS = 2_000


@dataclass(frozen=True)
class InputRow:
    """One number of the scenario as the engine read it, and where the file says it."""

    path: str
    #: the value costed (an uncertain input's mean)
    value: float
    #: the distribution as written, for an uncertain input
    distribution: str | None
    line: int
    column: int


@dataclass(frozen=True)
class FileReport(FileOutcome):
    """One file of a report: ``compare``'s result and what the report adds to it."""

    inputs: tuple[InputRow, ...] = ()
    simulation: SimulationResult | None = None
    sensitivity: SensitivityResult | None = None
    #: the valid scenario and the file as read (the workbook costs and locates them)
    scenario: Scenario | None = None
    document: Document | None = None


def report_files(paths: Iterable[StrPath], trials: int = DEFAULT_TRIALS,
                 seed: int = 20261129, uncertain: bool = True) -> list[FileReport]:
    """:func:`report_file` over several files; a broken one does not stop the others."""
    return [report_file(p, trials, seed, uncertain) for p in paths]


def report_file(path: StrPath, trials: int = DEFAULT_TRIALS,
                seed: int = 20261129, uncertain: bool = True) -> FileReport:
    """Compare one file and, when it has uncertain inputs (and ``uncertain``), simulate it
    (``trials``, ``seed``, as ``simulate``) and find its tornado (as ``sensitivity``);
    errors are data."""
    loaded = load_file(path)
    name, doc, scenario = os.fspath(path), loaded.document, loaded.scenario
    if scenario is None or doc is None:
        return FileReport(name, None, loaded.diagnostics)
    result = evaluate(scenario)
    count = len(scenario.uncertain_inputs())
    diagnostics = loaded.diagnostics
    simulation = sensitivity = None
    if uncertain and count:
        # On the file as loaded; only their errors are new (the warnings are the load's):
        # a run over too many trials is refused as simulate refuses it.
        simulated = simulate_file(loaded, trials, seed, command="report's simulation")
        diagnostics = (*diagnostics, *simulated.errors)
        simulation = simulated.result
        if simulated.ok:  # a refused run stops here: no tornado to wait for
            tornado = sensitivity_file(loaded)
            diagnostics = (*diagnostics, *tornado.errors)
            sensitivity = tornado.result
    return FileReport(name, result, diagnostics, count, input_rows(doc, scenario),
                      simulation, sensitivity, scenario, doc)


def input_rows(doc: Document | None, scenario: Scenario,
               defaults: bool = False) -> tuple[InputRow, ...]:
    """Every number of the scenario with its field path and its line in the file, in
    file order. A default the file does not write has no line: it is left out, or with
    ``defaults`` listed last with line 0 (the workbook's Inputs sheet)."""
    rows, left_out = [], []
    for path, at, _, _, value in located_numbers(scenario):
        written = value.describe() if isinstance(value, Uncertain) else None
        where = tuple(at)
        if doc is not None and where not in doc.spans and where[-1:] == ("rate",) \
                and where[0] == "fx":
            where = where[:-1]  # an fx rate written as a plain number is the entry itself
        if doc is None or where not in doc.spans:
            left_out.append(InputRow(path, float(value), written, 0, 0))
            continue
        mark = doc.locate(where)
        rows.append(InputRow(path, float(value), written, mark.line, mark.column))
    rows.sort(key=lambda row: (row.line, row.column))
    return tuple(rows + left_out) if defaults else tuple(rows)
