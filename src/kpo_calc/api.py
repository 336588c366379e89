"""The library: everything the CLI does, as typed Python calls.

>>> from kpo_calc import compare
>>> compare("scenarios/medical-coding-bpo.yaml").recommendation.option
'BPO Philippines'

One orchestrator, pure stages: read (loader) -> validate (validation) ->
compute (engine). A broken file is data in the batch outcome, never an
exception that stops the other files.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from kpo_calc.diagnostics import Diagnostic, InputError
from kpo_calc.engine import evaluate
from kpo_calc.engine.results import ScenarioResult
from kpo_calc.loader import read_document
from kpo_calc.outcome import FileOutcome
from kpo_calc.scenario import Scenario
from kpo_calc.validation import check_document, load_scenario

StrPath = str | os.PathLike[str]
SUFFIXES = (".yaml", ".yml")


def load(path: StrPath) -> Scenario:
    """Read and validate one scenario file; raise :class:`InputError` on any error."""
    return load_scenario(read_document(path))


def compare(path: StrPath) -> ScenarioResult:
    """Load one scenario file and compare its options."""
    return evaluate(load(path))


def check_file(path: StrPath) -> tuple[Scenario | None, list[Diagnostic]]:
    """Read and validate one file: the scenario (None on error) and every diagnostic."""
    try:
        doc = read_document(path)
    except InputError as exc:
        return None, list(exc.diagnostics)
    return check_document(doc)


def validate_files(paths: Iterable[StrPath]) -> list[FileOutcome]:
    """Check files without computing them."""
    return [FileOutcome(os.fspath(p), None, tuple(check_file(p)[1])) for p in paths]


def compare_files(paths: Iterable[StrPath]) -> list[FileOutcome]:
    """Compare several files; a broken one is reported and the others still computed."""
    outcomes: list[FileOutcome] = []
    for path in paths:
        scenario, diagnostics = check_file(path)
        result = evaluate(scenario) if scenario is not None else None
        outcomes.append(FileOutcome(os.fspath(path), result, tuple(diagnostics)))
    return outcomes


def expand_paths(args: Sequence[StrPath]) -> tuple[list[str], list[FileOutcome]]:
    """Files named by ``args`` (files, folders searched recursively, globs), sorted.

    Returns the files and, for each argument that names nothing, an outcome
    carrying the problem. A path that does not exist is kept, so that reading
    it reports the missing file in the usual way.
    """
    found: set[str] = set()
    problems: list[FileOutcome] = []
    for arg in args:
        text = os.fspath(arg)
        path = Path(text)
        if path.is_dir():
            matches = [str(p) for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file()]
            if not matches:
                problems.append(_nothing(text, "the folder holds no scenario files "
                                               "(*.yaml, *.yml)"))
        elif not path.exists() and glob.has_magic(text):
            matches = [m for m in glob.glob(text, recursive=True) if Path(m).is_file()]
            if not matches:
                problems.append(_nothing(text, "no file matches this pattern"))
        else:
            matches = [text]
        found.update(matches)
    return sorted(found), problems


def _nothing(arg: str, message: str) -> FileOutcome:
    return FileOutcome(arg, None, (Diagnostic(arg, 0, 0, message),))
