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
import json
import os
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kpo_calc.diagnostics import Diagnostic, InputError
from kpo_calc.engine import ExtraGates, evaluate
from kpo_calc.engine.results import ScenarioResult
from kpo_calc.loader import MAX_BYTES, Document, parse_document, read_document
from kpo_calc.outcome import FileOutcome
from kpo_calc.scenario import Gate, Scenario
from kpo_calc.validation import check_document, load_scenario

if TYPE_CHECKING:
    from kpo_calc.diffing import ScenarioDiff

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


@dataclass(frozen=True)
class RunGates:
    """Gates given for a whole run (on the command line), applied to every scenario."""

    #: minimum savings or budgets, for the scenarios that have the named option
    gates: tuple[Gate, ...] = ()
    #: the option every scenario must recommend
    expect: str | None = None
    #: recommendations of a previous run, by file and by scenario name, which must not change
    previous: Mapping[str, str] = field(default_factory=dict)

    def for_file(self, file: str, scenario: Scenario) -> ExtraGates:
        """The gates that apply to ``scenario``, read from ``file``."""
        before = self.previous.get(os.path.normpath(file), self.previous.get(scenario.name))
        return ExtraGates(self.gates, self.expect, before)

    def unknown_options(self, results: Iterable[ScenarioResult]) -> list[str]:
        """Gate options that no scenario of the run has (probably a typo)."""
        names = {o.name for r in results for o in r.options}
        wanted = [g.option for g in self.gates] + ([self.expect] if self.expect else [])
        return [name for name in dict.fromkeys(wanted) if name not in names]


def compare_files(paths: Iterable[StrPath], gates: RunGates | None = None) -> list[FileOutcome]:
    """Compare several files; a broken one is reported and the others still computed."""
    run = gates or RunGates()
    outcomes: list[FileOutcome] = []
    for path in paths:
        name = os.fspath(path)
        scenario, diagnostics = check_file(path)
        result = None if scenario is None else evaluate(scenario, None,
                                                        run.for_file(name, scenario))
        outcomes.append(FileOutcome(name, result, tuple(diagnostics)))
    return outcomes


def previous_recommendations(path: StrPath) -> dict[str, str]:
    """Recommendations in a JSON report of an earlier run (``compare --format json``).

    Keyed by scenario file and by scenario name; raises :class:`InputError`
    when the report cannot be read.
    """
    name = os.fspath(path)
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        pairs: dict[str, str] = {}
        for s in doc["scenarios"]:
            option = s["recommendation"]["option"]
            pairs[os.path.normpath(s["file"])] = option
            pairs.setdefault(s["name"], option)
    except FileNotFoundError:
        raise InputError([Diagnostic(name, 0, 0, "no such report; check the path")]) from None
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise InputError([Diagnostic(name, 0, 0, "not a kpo-calc JSON report (make one with "
                                     f"`kpo-calc compare --format json`): {exc}")]) from None
    return pairs


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


def read_version(spec: str) -> Document:
    """A scenario file, or ``REVISION:PATH`` read from git (``main:scenarios/x.yaml``)."""
    if Path(spec).exists() or ":" not in spec:
        return read_document(spec)
    try:
        proc = subprocess.run(["git", "show", spec], capture_output=True, check=False,
                              timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError([Diagnostic(spec, 0, 0, f"no such file, and git cannot be run to "
                                     f"read it as REVISION:PATH ({exc})")]) from None
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError([Diagnostic(spec, 0, 0, "no such file, and git cannot show it as "
                                     f"REVISION:PATH: {reason[-1] if reason else 'unknown'}")])
    if len(proc.stdout) > MAX_BYTES:
        raise InputError([Diagnostic(spec, 0, 0, f"larger than {MAX_BYTES:,} bytes; refused")])
    return parse_document(proc.stdout, spec)


def diff_files(old: str, new: str) -> ScenarioDiff:
    """Compare two versions of a scenario; raise :class:`InputError` if either is invalid."""
    from kpo_calc.diffing import diff_scenarios

    docs: list[Document] = []
    problems: list[Diagnostic] = []
    for spec in (old, new):
        try:
            docs.append(read_version(spec))
        except InputError as exc:
            problems += exc.diagnostics
    results = []
    for doc in docs:
        scenario, diagnostics = check_document(doc)
        problems += [d for d in diagnostics if d.severity == "error"]
        if scenario is not None:
            results.append(evaluate(scenario))
    if problems:
        raise InputError(problems)
    (old_doc, new_doc), (old_result, new_result) = docs, results
    return diff_scenarios(old_doc.file, old_result, old_doc.data,
                          new_doc.file, new_result, new_doc.data)
