"""The library: everything the CLI does, as typed Python calls.

>>> from kpo_calc import compare
>>> result = compare("scenarios/equity-research-india.yaml")
>>> result.recommendation.option
'KPO India'

One orchestrator, pure stages: read (loader) -> validate (validation) ->
compute (engine). A broken file is data in the batch outcome, never an
exception that stops the other files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from kpo_calc.diagnostics import InputError
from kpo_calc.engine import evaluate
from kpo_calc.engine.results import ScenarioResult
from kpo_calc.loader import read_document
from kpo_calc.outcome import FileOutcome
from kpo_calc.scenario import Scenario
from kpo_calc.validation import load_scenario

StrPath = str | os.PathLike[str]


def load(path: StrPath) -> Scenario:
    """Read and validate one scenario file; raise :class:`InputError` on any problem."""
    return load_scenario(read_document(path))


def compare(path: StrPath) -> ScenarioResult:
    """Load one scenario file and compare its options."""
    return evaluate(load(path))


def compare_files(paths: Iterable[StrPath]) -> list[FileOutcome]:
    """Compare several files; a broken one is reported and the others still computed."""
    outcomes: list[FileOutcome] = []
    for path in paths:
        name = os.fspath(path)
        try:
            result = compare(path)
        except InputError as exc:
            outcomes.append(FileOutcome(name, None, exc.diagnostics))
        else:
            outcomes.append(FileOutcome(name, result))
    return outcomes
