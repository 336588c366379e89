"""The library: everything the CLI does, as typed Python calls.

>>> from kpo_calc import compare
>>> compare("scenarios/medical-coding-bpo.yaml").recommendation.option
'BPO Philippines'

One orchestrator, pure stages: read (loader) -> validate (validation) ->
compute (engine). A broken file is data in the batch outcome, never an
exception that stops the other files.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re
import subprocess
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from kpo_calc.diagnostics import Diagnostic, InputError
from kpo_calc.engine import ExtraGates, evaluate
from kpo_calc.engine.results import ScenarioResult
from kpo_calc.files import read_regular, too_large
from kpo_calc.loader import MAX_BYTES, Document, parse_document, read_document
from kpo_calc.outcome import (
    BreakevenOutcome,
    ExplainOutcome,
    FileOutcome,
    MixOutcome,
    SensitivityOutcome,
    SimulationOutcome,
)
from kpo_calc.parallel import in_order
from kpo_calc.scenario import Gate, Scenario
from kpo_calc.validation import check_document, load_scenario

if TYPE_CHECKING:
    from kpo_calc.diffing import ScenarioDiff

StrPath = str | os.PathLike[str]
SUFFIXES = (".yaml", ".yml")
#: the largest ``--fail-on-change`` report read (a report of 1,000 scenarios is ~1 MB)
MAX_REPORT_BYTES = 10_000_000


def load(path: StrPath) -> Scenario:
    """Read and validate one scenario file; raise :class:`InputError` on any error."""
    return load_scenario(read_document(path))


def compare(path: StrPath) -> ScenarioResult:
    """Load one scenario file and compare its options."""
    return evaluate(load(path))


@dataclass(frozen=True)
class Loaded:
    """One input file read and validated: what every command computes from."""

    name: str
    #: the parsed file (None when it could not be read or parsed)
    document: Document | None
    #: the valid scenario (None on any error)
    scenario: Scenario | None
    diagnostics: tuple[Diagnostic, ...]


def load_file(path: StrPath | Loaded) -> Loaded:
    """Read and validate one file; every problem is a diagnostic, never an exception.
    A file already loaded is returned as it is (a caller that runs several commands'
    functions on one file reads it once)."""
    if isinstance(path, Loaded):
        return path
    name = os.fspath(path)
    try:
        doc = read_document(path)
    except InputError as exc:
        return Loaded(name, None, None, exc.diagnostics)
    scenario, diagnostics = check_document(doc)
    return Loaded(name, doc, scenario, tuple(diagnostics))


OutcomeT = TypeVar("OutcomeT")


def run_files(paths: Iterable[StrPath], compute: Callable[[Loaded], OutcomeT]) -> list[
        OutcomeT]:
    """Each file read, validated and computed by ``compute``, which also makes the outcome
    of a broken file (its diagnostics): one broken file never stops the others.

    A large batch is shared with forked copies of this process, one per core
    (:mod:`kpo_calc.parallel`); the outcomes are the same, in the same order, either way.
    """
    return in_order(list(paths), lambda p: compute(load_file(p)))


def check_file(path: StrPath) -> tuple[Scenario | None, list[Diagnostic]]:
    """Read and validate one file: the scenario (None on error) and every diagnostic."""
    loaded = load_file(path)
    return loaded.scenario, list(loaded.diagnostics)


def validate_files(paths: Iterable[StrPath]) -> list[FileOutcome]:
    """Check files without computing them."""
    return run_files(paths, lambda f: FileOutcome(f.name, None, f.diagnostics))


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

    def unknown_options(self, results: Iterable[ScenarioResult]) -> dict[str, str | None]:
        """Gate options that no scenario of the run has (probably a typo), each with the
        closest option name that exists (None when nothing is close)."""
        names = sorted({o.name for r in results for o in r.options})
        wanted = [g.option for g in self.gates] + ([self.expect] if self.expect else [])
        return {name: closest(name, names) for name in dict.fromkeys(wanted)
                if name not in names}


def closest(word: str, choices: Sequence[str]) -> str | None:
    """The choice ``word`` was probably meant to be: same letters in another case, else
    the most similar one; None when nothing is close."""
    folded = [c for c in choices if c.casefold() == word.casefold()]
    if folded:
        return folded[0]
    import difflib  # only needed when something is wrong

    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return match[0] if match else None


def compare_files(paths: Iterable[StrPath], gates: RunGates | None = None,
                  then: Callable[[FileOutcome], FileOutcome] | None = None
                  ) -> list[FileOutcome]:
    """Compare several files; a broken one is reported and the others still computed.
    ``then`` finishes each outcome where it was computed (a large batch's files are
    computed on every core): the caller writes each file's part of the output there."""
    run = gates or RunGates()

    def compute(f: Loaded) -> FileOutcome:
        if f.scenario is None:
            out = FileOutcome(f.name, None, f.diagnostics)
        else:
            out = FileOutcome(f.name, evaluate(f.scenario, None,
                                               run.for_file(f.name, f.scenario)),
                              f.diagnostics, len(f.scenario.uncertain_inputs()))
        return out if then is None else then(out)

    return run_files(paths, compute)


def mix_file(path: StrPath, top: int = 5, expect: str | None = None,
             trials: int | None = None, seed: int = 20261129,
             confidence: float | None = None,
             progress: Callable[[int, int], None] | None = None) -> MixOutcome:
    """Search every plan one scenario file allows (``kpo-calc mix``); errors are data.

    A space too large to enumerate is an input error at the ``mix`` key (or the
    file), naming the constraints that would shrink it. ``trials``: also find the
    robust plan (``mix --trials``; a file with no uncertain input is an input error),
    which ``expect`` then checks.
    """
    from kpo_calc.engine.mixing import mix, same_assign
    from kpo_calc.engine.search import SearchTooLarge
    from kpo_calc.engine.simulation import TooManyTrials

    loaded = load_file(path)
    name, doc, scenario, diagnostics = (loaded.name, loaded.document, loaded.scenario,
                                        loaded.diagnostics)
    if scenario is None or doc is None:
        return MixOutcome(name, None, diagnostics)
    if trials is not None:
        from kpo_calc.engine.simulation import uncertain_inputs

        if not uncertain_inputs(scenario):
            # Nothing to sample: the point plan is all there is (a batch goes on).
            diagnostics = (*diagnostics, Diagnostic(
                name, 0, 0, "--trials: no input is uncertain, so this file has no robust "
                "plan to search (its point plan is shown): write a number as a "
                "distribution, e.g. hourly_rate: 20 to 30, to search one",
                severity="warning"))
            trials = None
    try:
        result = mix(scenario, top)
        robust_result = None
        if trials is not None:
            from kpo_calc.engine.robust import robust

            robust_result = robust(scenario, result, trials, seed, confidence, top, progress)
    except TooManyTrials as exc:
        return MixOutcome(name, None, (*diagnostics, Diagnostic(name, 0, 0, str(exc))))
    except SearchTooLarge as exc:
        where = (doc.diagnostic(("mix",), str(exc), at_key=True)
                 if isinstance(doc.data, dict) and "mix" in doc.data
                 else Diagnostic(doc.file, 0, 0, str(exc)))
        return MixOutcome(name, None, (*diagnostics, where))
    chosen = result.chosen_assign
    if robust_result is not None:
        picked = robust_result.plan(robust_result.best)
        chosen = picked.assign if picked is not None else result.alternatives[
            robust_result.baseline]
    passed = None
    if expect is not None:
        wanted = result.alternatives.get(expect)
        passed = wanted is not None and same_assign(chosen, wanted)
    return MixOutcome(name, result, tuple(diagnostics), expect, passed, robust_result)


def mix_files(paths: Iterable[StrPath], top: int = 5,
              expect: str | None = None) -> list[MixOutcome]:
    """``mix_file`` over several files; a broken one does not stop the others."""
    return [mix_file(p, top, expect) for p in paths]


#: Why a file is not simulated (a warning: a batch goes on with the others; a run in
#: which no file has an uncertain input exits 2).
NOTHING_UNCERTAIN = ("no input is uncertain, so there is nothing to simulate in this file "
                     "(skipped): write a number as a distribution, e.g. hourly_rate: 20 to 30 "
                     "(a 90% interval), {triangular: [18, 22, 30]} or {normal: [22, 2]}")


def simulate_file(path: StrPath | Loaded, trials: int, seed: int, latin_hypercube: bool = False,
                  min_agreement: float | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  command: str = "simulate") -> SimulationOutcome:
    """Monte Carlo over one file's uncertain inputs (``kpo-calc simulate``; ``command``:
    the run a refusal names); errors are data.

    A file without an uncertain input is an input error: there is nothing to sample.
    """
    from kpo_calc.engine.simulation import TooManyTrials, simulate, uncertain_inputs

    loaded = load_file(path)
    name, scenario, diagnostics = loaded.name, loaded.scenario, loaded.diagnostics
    if scenario is None:
        return SimulationOutcome(name, None, diagnostics)
    if not uncertain_inputs(scenario):
        return SimulationOutcome(name, None, (*diagnostics, Diagnostic(
            name, 0, 0, NOTHING_UNCERTAIN, severity="warning")))
    try:
        result = simulate(scenario, trials, seed, latin_hypercube, progress=progress,
                          command=command)
    except TooManyTrials as exc:
        return SimulationOutcome(name, None, (*diagnostics, Diagnostic(name, 0, 0, str(exc))))
    return SimulationOutcome(name, result, tuple(diagnostics), min_agreement)


def sensitivity_file(path: StrPath | Loaded, swing: float = 0.2) -> SensitivityOutcome:
    """The tornado of one file (``kpo-calc sensitivity``); errors are data."""
    from kpo_calc.engine.sensitivity import sensitivity
    from kpo_calc.engine.simulation import TooManyTrials

    loaded = load_file(path)
    name, scenario, diagnostics = loaded.name, loaded.scenario, loaded.diagnostics
    if scenario is None:
        return SensitivityOutcome(name, None, diagnostics)
    try:
        return SensitivityOutcome(name, sensitivity(scenario, swing), diagnostics)
    except TooManyTrials as exc:
        return SensitivityOutcome(name, None, (*diagnostics, Diagnostic(name, 0, 0, str(exc))))


def breakeven_file(path: StrPath, input_path: str, option: str | None = None,
                   against: str | None = None) -> BreakevenOutcome:
    """Switching values of one input in one file (``kpo-calc breakeven``); errors are data:
    an unknown path or alternative is named with the closest one that exists."""
    from kpo_calc.engine.sensitivity import breakeven, paths_of, structural_at
    from kpo_calc.engine.simulation import TooManyTrials

    loaded = load_file(path)
    name, scenario, diagnostics = loaded.name, loaded.scenario, loaded.diagnostics
    if scenario is None:
        return BreakevenOutcome(name, None, diagnostics)
    problems: list[str] = []
    known = paths_of(scenario)
    if input_path not in known:
        why = structural_at(scenario, input_path)
        if why is not None:
            # ``why`` completes "this field ..." (scenario.STRUCTURAL_FIELDS)
            problems.append(f"--input {input_path!r} {why}, so it has no switching value; "
                            "choose a cost input")
        elif input_path == f"fx.{scenario.currency}":
            problems.append(f"--input {input_path!r} is the reporting currency: its rate is 1 "
                            "by definition, not an input; vary another currency's rate")
        else:
            # A path cut short (options[Vendor) means the fields that start with it.
            started = [p for p in known if p.startswith(input_path)]
            hint = started[0] if started else closest(input_path, known)
            problems.append(f"--input {input_path!r} is not a number of this scenario"
                            + (f"; did you mean {hint!r}?" if hint else
                               "; paths look like options[NAME].hourly_rate, "
                               "work[NAME].hours_per_month, fx.INR or discount_rate"))
    alternatives = [o.name for o in scenario.options] + [p.name for p in scenario.plans]
    for flag, wanted in (("--option", option), ("--against", against)):
        if wanted is not None and wanted not in alternatives:
            hint = closest(wanted, alternatives)
            problems.append(f"{flag} {wanted!r} is not an option or plan of this scenario"
                            + (f"; did you mean {hint!r}?" if hint else ""))
    if option is not None and option == against:
        problems.append(f"--option and --against are both {option!r}; name two alternatives")
    if problems:
        return BreakevenOutcome(name, None, (*diagnostics, *(
            Diagnostic(name, 0, 0, p) for p in problems)))
    try:
        return BreakevenOutcome(name, breakeven(scenario, input_path, option, against),
                                diagnostics)
    except TooManyTrials as exc:
        return BreakevenOutcome(name, None, (*diagnostics, Diagnostic(name, 0, 0, str(exc))))


def explain_file(path: StrPath, alternative: str | None = None, by: str = "year",
                 month: int | None = None) -> ExplainOutcome:
    """The audit trail of one file (``kpo-calc explain``); errors are data: an unknown
    alternative is named with the closest one, a month past the horizon with the horizon."""
    from kpo_calc.engine.explain import explain

    loaded = load_file(path)
    name, scenario, diagnostics = loaded.name, loaded.scenario, loaded.diagnostics
    if scenario is None:
        return ExplainOutcome(name, None, diagnostics)
    problems: list[str] = []
    known = [o.name for o in scenario.options] + [p.name for p in scenario.plans]
    if alternative is not None and alternative not in known:
        hint = closest(alternative, known)
        problems.append(f"--alternative {alternative!r} is not an option or plan of this "
                        "scenario" + (f"; did you mean {hint!r}?" if hint else
                                      f"; it has {', '.join(map(repr, known))}"))
    if month is not None and month > scenario.horizon_months:
        problems.append(f"--month {month} is past the horizon of this scenario "
                        f"({scenario.horizon_months} months); choose 1 to "
                        f"{scenario.horizon_months}")
    if problems:
        return ExplainOutcome(name, None, (*diagnostics, *(
            Diagnostic(name, 0, 0, p) for p in problems)))
    chosen = None if alternative is None else [alternative]
    return ExplainOutcome(name, explain(scenario, chosen), diagnostics, by=by, month=month)


def previous_recommendations(path: StrPath) -> dict[str, str]:
    """Recommendations in a JSON report of an earlier run (``compare --format json``).

    Keyed by scenario file and by scenario name; raises :class:`InputError`
    when the report cannot be read (missing, not a regular file, over
    ``MAX_REPORT_BYTES``, or not a report).
    """
    name = os.fspath(path)
    raw = read_regular(path, MAX_REPORT_BYTES)
    if len(raw) > MAX_REPORT_BYTES:
        raise too_large(name, MAX_REPORT_BYTES, "a kpo-calc report is far smaller; check "
                        "the path")
    import json  # only for --fail-on-change: a table run need not load it

    try:
        doc = json.loads(raw.decode("utf-8"))
        pairs: dict[str, str] = {}
        for s in doc["scenarios"]:
            option = s["recommendation"]["option"]
            if not isinstance(option, str) or not isinstance(s["file"], str):
                raise TypeError("a recommendation or a file is not text")
            pairs[os.path.normpath(s["file"])] = option
            pairs.setdefault(s["name"], option)
    except RecursionError:
        raise _not_a_report(name, "nested too deeply") from None
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise _not_a_report(name, str(exc)) from None
    return pairs


def _not_a_report(name: str, reason: str) -> InputError:
    return InputError([Diagnostic(name, 0, 0, "not a kpo-calc JSON report (make one with "
                                  f"`kpo-calc compare --format json`): {reason}")])


def expand_paths(args: Sequence[StrPath]) -> tuple[list[str], list[FileOutcome]]:
    """Files named by ``args`` (files, folders searched recursively, globs), in natural order.

    Returns the files and, for each argument that names nothing, an outcome
    carrying the problem. A path that does not exist is kept, so that reading
    it reports the missing file in the usual way. Searching a folder or a
    ``**`` pattern never enters a symbolic link to a folder (a loop, or a link
    to ``/``, would walk forever); links to files are kept.
    """
    found: set[str] = set()
    problems: list[FileOutcome] = []
    for arg in args:
        text = os.fspath(arg)
        if os.path.isdir(text):
            matches = [m for m in _walk(text) if m.endswith(SUFFIXES) and os.path.isfile(m)]
            if not matches:
                problems.append(_nothing(text, "the folder holds no scenario files "
                                               "(*.yaml, *.yml)"))
        elif not os.path.lexists(text) and glob.has_magic(text):
            matches = sorted(m for m in _glob(text) if os.path.isfile(m))
            if not matches:
                problems.append(_nothing(text, "no file matches this pattern"))
        else:
            matches = [text]
        found.update(matches)
    return sorted(found, key=natural_key), problems


def natural_key(path: str) -> tuple[tuple[tuple[_Chunk, ...], ...], str]:
    """Order paths as people count: ``bpo7`` before ``bpo11`` and ``x.yaml`` before
    ``x2.yaml``, folder by folder, ignoring case first and then by the exact text, so
    that the order is total."""
    key = []
    for part in path.replace(os.sep, "/").split("/"):
        stem, suffix = os.path.splitext(part.casefold())
        key += [_chunks(stem), _chunks(suffix)]
    return tuple(key), path


_Chunk = tuple[int, int, str]


def _chunks(text: str) -> tuple[_Chunk, ...]:
    return tuple((0, int(c), c) if c.isdigit() else (1, 0, c) for c in _CHUNKS.findall(text))


_CHUNKS = re.compile(r"\d+|\D+")


def _walk(folder: str) -> Iterator[str]:
    for root, _dirs, names in os.walk(folder, followlinks=False):
        for name in names:
            yield os.path.join(root, name)


def _glob(pattern: str) -> Iterator[str]:
    """Like ``glob.glob(pattern, recursive=True)``, but ``**`` never enters a link to a
    folder. Hidden names match only a part that starts with a dot, as in glob."""
    parts = pattern.split(os.sep)
    first = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    base = os.sep.join(parts[:first])
    if not base and pattern.startswith(os.sep):
        base = os.sep
    yield from _match(base, parts[first:])


def _match(base: str, parts: list[str]) -> Iterator[str]:
    if not parts:
        yield base
        return
    part, rest = parts[0], parts[1:]
    if not glob.has_magic(part):
        path = os.path.join(base, part) if base else part
        if os.path.lexists(path):
            yield from _match(path, rest)
        return
    try:
        entries = list(os.scandir(base or os.curdir))
    except OSError:
        return
    if part == "**":
        yield from _match(base, rest)  # zero folders
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = os.path.join(base, entry.name) if base else entry.name
            if entry.is_dir(follow_symlinks=False):
                yield from _match(path, parts)
            elif not rest:  # a final "**" names the files too
                yield path
        return
    for entry in entries:
        if entry.name.startswith(".") and not part.startswith("."):
            continue
        if fnmatch.fnmatchcase(entry.name, part):
            yield from _match(os.path.join(base, entry.name) if base else entry.name, rest)


def _nothing(arg: str, message: str) -> FileOutcome:
    return FileOutcome(arg, None, (Diagnostic(arg, 0, 0, message),))


def read_version(spec: str) -> Document:
    """A scenario file, or ``REVISION:PATH`` read from git (``main:scenarios/x.yaml``).

    Nothing the user typed reaches git where it could be read as an option: the
    revision may not start with ``-`` and is resolved to a commit first
    (``--end-of-options``); the blob is then named by that commit's hash, must
    exist as a blob, and is read only when under ``MAX_BYTES``.
    """
    if os.path.lexists(spec) or ":" not in spec:
        return read_document(spec)
    revision, _, path = spec.partition(":")
    if not revision or revision.startswith("-"):
        raise _no_version(spec, "the revision before ':' must be a branch, tag or commit, "
                          "not empty nor starting with '-' (e.g. main:scenarios/x.yaml)")
    commit = _git(spec, "rev-parse", "--verify", "--quiet", "--end-of-options",
                  f"{revision}^{{commit}}", missing=f"git knows no commit {revision!r}")
    blob = f"{commit.decode('ascii', 'replace').strip()}:{path}"
    kind = _git(spec, "cat-file", "-t", blob, missing=f"{path!r} is not in {revision} (the "
                "path is from the top of the repository)", own_words=True)
    if kind.strip() != b"blob":
        raise _no_version(spec, f"{path!r} in {revision} is a {kind.strip().decode()}, not "
                          "a file")
    size = int(_git(spec, "cat-file", "-s", blob))
    if size > MAX_BYTES:
        raise too_large(spec, MAX_BYTES, "a scenario is a short hand-written file, so this "
                        "is refused to bound memory and time")
    return parse_document(_git(spec, "cat-file", "blob", blob), spec)


def _git(spec: str, *args: str, missing: str = "", own_words: bool = False) -> bytes:
    """Run git (never with a pager or a prompt); stdout, or an :class:`InputError` saying
    ``missing`` when git fails silently (or always, with ``own_words``)."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"}
    try:
        proc = subprocess.run(["git", *args], capture_output=True, check=False, timeout=60,
                              env=env, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _no_version(spec, f"git cannot be run ({exc})") from None
    if proc.returncode != 0:
        said = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = missing if missing and (own_words or not said) else (
            said[-1] if said else f"git {args[0]} failed")
        raise _no_version(spec, reason)
    return proc.stdout


def _no_version(spec: str, reason: str) -> InputError:
    return InputError([Diagnostic(spec, 0, 0, "no such file, and git cannot show it as "
                                  f"REVISION:PATH: {reason}")])


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
