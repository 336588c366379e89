"""The command line: parse arguments, call the library, pick a renderer, set the exit code.

Exit codes: 0 success; 1 a gate failed; 2 bad input or usage; 3 a bug.
Results go to stdout (or ``--output``); diagnostics go to stderr.
"""

from __future__ import annotations

import gc
import math
import os
import re
import shutil
import sys
import traceback
from collections.abc import Callable, Sequence
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from kpo_calc._version import __version__
from kpo_calc.formats import choices
from kpo_calc.textsafe import guard, visible

if TYPE_CHECKING:
    from kpo_calc.api import RunGates
    from kpo_calc.diagnostics import Diagnostic
    from kpo_calc.outcome import FileOutcome, MixOutcome, Outcome
    from kpo_calc.render import RenderOptions

EXIT_OK, EXIT_GATE, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3
OutcomeT = TypeVar("OutcomeT")
ResultT = TypeVar("ResultT")

_APP_SETTINGS: dict[str, Any] = {
    "name": "kpo-calc",
    "no_args_is_help": True,
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}
app = typer.Typer(**_APP_SETTINGS)


class Color(StrEnum):
    """When to colour output."""

    auto = "auto"
    always = "always"
    never = "never"


class DomainName(StrEnum):
    """Starter scenarios of ``init``: the KPO domains of the examples."""

    investment_research = "investment-research"
    legal = "legal"
    data_analytics = "data-analytics"
    rnd_patent_search = "rnd-patent-search"
    medical_coding = "medical-coding"
    financial_consulting = "financial-consulting"
    insurance = "insurance"
    finance_operations = "finance-operations"


class StarterCurrency(StrEnum):
    """Reporting currencies of ``init`` (those with a sourced exchange rate)."""

    USD = "USD"
    EUR = "EUR"
    MYR = "MYR"
    INR = "INR"
    PHP = "PHP"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kpo-calc {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True,
        help="Print the version and exit.")] = False,
) -> None:
    """Should knowledge work be done in-house, by a KPO or by a BPO?

    Compare the sourcing options of a scenario file on cost, flexibility and
    risk. Exit codes: 0 success, 1 a gate failed, 2 bad input or usage.
    """


FilesArgument = Annotated[list[str], typer.Argument(
    metavar="FILES", help="Scenario files (YAML), folders (searched recursively for *.yaml "
    "and *.yml) or glob patterns.", show_default=False)]
ColorOption = Annotated[Color, typer.Option(
    "--color", help="Colour the output: auto (only on a terminal, honouring NO_COLOR), always "
    "or never.", case_sensitive=False)]
StepSummaryOption = Annotated[bool, typer.Option(
    "--step-summary", help="Also append the Markdown report to the file named by "
    "$GITHUB_STEP_SUMMARY (the GitHub Actions job summary).")]
StrictOption = Annotated[bool, typer.Option(
    "--strict", help="Warnings fail the run: exit 1 when a file has a warning (an implausible "
    "cost, an exchange rate that looks inverted, an unused entry), for CI.")]
AllOption = Annotated[bool, typer.Option(
    "--all", help="Also show, in the tables, the alternatives that cannot do all the work "
    "(by default one line names them with the reason; JSON and CSV always have them).")]


def _format_option(command: str, help: str) -> Any:
    """The ``--format`` option of ``command``: its choices are the registry's
    (``kpo_calc.formats``), matched without regard to case."""
    names = choices(command)

    def check(value: str) -> str:
        if value.lower() not in names:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(names)}")
        return value.lower()

    return typer.Option("--format", "-f", help=help, metavar=f"[{'|'.join(names)}]",
                        callback=check, autocompletion=lambda: list(names))


_TABULAR = ("table (for people), json (for scripts), csv (tidy long form) or markdown (for a "
            "pull-request comment).")
# Each command's --format reads its own entry of the registry: a format added to one
# command is offered by that command only.
MixFormat = Annotated[str, _format_option("mix", _TABULAR)]
SimulateFormat = Annotated[str, _format_option("simulate", _TABULAR)]
SensitivityFormat = Annotated[str, _format_option("sensitivity", _TABULAR)]
BreakevenFormat = Annotated[str, _format_option("breakeven", _TABULAR)]
#: The default seed of every run over trials: the same file gives the same draws in
#: simulate, mix --trials and report.
SEED = 20261129
SeedOption = Annotated[int, typer.Option(
    "--seed", min=0, max=2**63 - 1,
    help="Seed of the draws: the same seed, trials and file give byte-identical output, "
    "and the same draws in simulate, mix --trials and report (the default is fixed).")]


def _output_path(text: str) -> Path:
    """``--output`` as a path; one ending with a slash names a folder, which a file
    name never does (``Path`` would drop the slash and write a file of that name)."""
    if text.endswith(("/", os.sep)):
        bare = text.rstrip("/" + os.sep) or "."
        raise typer.BadParameter(f"{visible(text)} names a folder (it ends with a slash); "
                                 f"give a file name: {visible(bare)} without the slash, "
                                 "or a file in that folder")
    return Path(text)


OutputOption = Annotated[Path | None, typer.Option(
    "--output", "-o", help="Write the report to this file (atomically) instead of stdout.",
    parser=_output_path, metavar="FILE")]


@app.command()
def compare(
    files: FilesArgument,
    output_format: Annotated[str, _format_option(
        "compare", "table (for people), json (format version 1, for scripts), csv "
        "(tidy long form for pandas, DuckDB, spreadsheets) or markdown (for a pull-request "
        "comment).")] = "table",
    output: OutputOption = None,
    expect: Annotated[str | None, typer.Option(
        "--expect", metavar="OPTION",
        help="Gate: exit 1 unless every scenario recommends OPTION.")] = None,
    min_savings: Annotated[list[str] | None, typer.Option(
        "--min-savings", metavar="OPTION=FRACTION",
        help="Gate: exit 1 if OPTION saves less than FRACTION of the cost it avoids (the "
        "verdict's base, e.g. 'KPO India=0.15'); repeatable.")] = None,
    budget: Annotated[list[str] | None, typer.Option(
        "--budget", metavar="OPTION=AMOUNT",
        help="Gate: exit 1 if OPTION costs more than AMOUNT (scenario currency) in the "
        "recommended alternative (its part there; for a plan, the plan's total); "
        "repeatable.")] = None,
    fail_on_change: Annotated[Path | None, typer.Option(
        "--fail-on-change", metavar="REPORT",
        help="Gate: exit 1 if a scenario's recommendation differs from the one in REPORT, "
        "a JSON report of an earlier run.", dir_okay=False)] = None,
    details: Annotated[bool | None, typer.Option(
        "--details/--no-details", help="Print every scenario's tables in the table format "
        "(default: only when there are at most 20 files; above that, the summary).",
        show_default=False)] = None,
    show_all: AllOption = False,
    step_summary: StepSummaryOption = False,
    strict: StrictOption = False,
    color: ColorOption = Color.auto,
) -> None:
    """Compare in-house, KPO and BPO options: cost, flexibility, risk and a recommendation.

    FILES may be files, folders and globs; several scenarios are summarised
    first. Exit 1 when a gate fails (decision.expect, decision.gates or the
    gate options) or, with --strict, a file has a warning; 2 when a file is invalid.
    """
    from kpo_calc.api import compare_files, expand_paths
    from kpo_calc.render import RenderOptions

    expect = None if expect is None else _name_arg(expect, "--expect")
    gates = _run_gates(expect, min_savings or [], budget or [], fail_on_change)
    paths, missing = expand_paths(files)
    # JSON: each file's entry is written where the file is computed (on every core, in a
    # large batch) rather than all of them here at the end.
    then = None
    if output_format == "json":
        from kpo_calc.render import json_format

        then = json_format.written
    outcomes = [*missing, *compare_files(paths, gates, then)]
    unknown = gates.unknown_options(o.result for o in outcomes if o.result is not None)
    if unknown and any(o.result is not None for o in outcomes):
        named = ", ".join(f"{name!r}" + (f" (did you mean {hint!r}?)" if hint else "")
                          for name, hint in unknown.items())
        _usage_error(f"no scenario has an option or plan named {named} "
                     "(given to --expect, --min-savings or --budget)")
    _report_problems(outcomes, color)
    options = RenderOptions(color=_use_color(color) and output is None, width=_width(),
                            details=details, show_all=show_all)
    if output_format == "table" and not options.show_details(len(outcomes)):
        sys.stderr.write(f"kpo-calc: {len(outcomes)} scenario files: showing the summary only; "
                         "pass --details for every scenario's tables\n")
    inputs: list[str | Path] = [*paths, *([fail_on_change] if fail_on_change else [])]
    _finish(outcomes, "compare", output_format, output, inputs, step_summary, strict, color,
            reported=True, base_code=exit_code(outcomes), options=options,
            summary_options=RenderOptions(show_all=show_all))


@app.command()
def mix(
    files: FilesArgument,
    output_format: MixFormat = "table",
    output: OutputOption = None,
    top: Annotated[int, typer.Option(
        "--top", min=1, max=100, help="How many of the best plans to list.")] = 5,
    expect: Annotated[str | None, typer.Option(
        "--expect", metavar="PLAN-OR-OPTION",
        help="Gate: exit 1 unless the best plan has the assignment of this option or "
        "declared plan (or the baseline stays, when it is the baseline).")] = None,
    emit_plan: Annotated[bool, typer.Option(
        "--emit-plan", help="Print the best plan as a YAML plans: entry to paste into the "
        "scenario, instead of the report.")] = False,
    timing: Annotated[bool, typer.Option(
        "--timing", help="Also print how long each file's search took, on stderr (reports "
        "carry no timing, so that a run's output is the same every time).")] = False,
    trials: Annotated[int | None, typer.Option(
        "--trials", "-n", min=100, max=100_000,
        help="Also find the robust plan: the lowest expected metric over this many "
        "trials of the uncertain inputs among the plans that clear in at least "
        "--confidence of them; --expect and --emit-plan then use it.")] = None,
    seed: SeedOption = SEED,
    confidence: Annotated[float | None, typer.Option(
        "--confidence", min=0.0, max=1.0, metavar="SHARE",
        help="With --trials: the share of trials in which the robust plan must clear, "
        "more than 0 and at most 1 (default: mix.confidence in the file, else "
        "0.8).")] = None,
    step_summary: StepSummaryOption = False,
    strict: StrictOption = False,
    color: ColorOption = Color.auto,
) -> None:
    """Find the best sourcing plan: every plan the options and mix: constraints allow.

    Exact: every candidate is costed with compare's engine (a space too large to
    enumerate is refused, never guessed). With --trials, also the robust plan: the
    best under uncertainty, beside the point one. Exit 1 when --expect fails or, with
    --strict, a file has a warning; 2 on bad input.
    """
    from kpo_calc.api import expand_paths, mix_file, mix_files
    from kpo_calc.outcome import MixOutcome

    expect = None if expect is None else _name_arg(expect, "--expect")
    if confidence is not None and trials is None:
        _usage_error("--confidence is the share of trials the robust plan must clear: "
                     "add --trials N (e.g. --trials 10000)")
    if confidence is not None and not confidence > 0:
        # As mix.confidence in a file: at 0 a plan that clears in no trial would qualify.
        _usage_error(f"--confidence must be more than 0 (a share of the trials, such as "
                     f"0.8), got {confidence:g}")
    paths, missing = expand_paths(files)
    if trials is None:
        found = mix_files(paths, top, expect)
    else:
        _keep_freed_memory()
        found = [_Progress.run(p, partial(mix_file, p, top, expect, trials, seed, confidence))
                 for p in paths]
    outcomes = [*(MixOutcome(m.file, None, m.diagnostics) for m in missing), *found]
    if trials is not None and outcomes and all(o.ok and o.robust is None for o in outcomes):
        for o in outcomes:
            _report_diagnostics(o.diagnostics, _use_color(color, stream=sys.stderr))
        _usage_error("--trials: no file of the run has an uncertain input: there is nothing "
                     "to sample")
    if expect is not None and any(o.result is not None for o in outcomes) and all(
            expect not in o.result.alternatives for o in outcomes if o.result is not None):
        _usage_error(f"no scenario has an option or plan named {expect!r} (given to --expect)")
    paint = _use_color(color, stream=sys.stderr)
    for o in outcomes:
        _report_diagnostics(o.diagnostics, paint)
        if timing and o.result is not None:
            from kpo_calc.render.mix_words import timing_note

            sys.stderr.write(visible(f"kpo-calc: {timing_note(o.file, o.result)}") + "\n")
        if o.expect_passed is False:
            which = "robust plan" if o.robust is not None else "best plan"
            sys.stderr.write(visible(f"{o.file}: gate expect failed: the {which} does not "
                                     f"have the assignment of {expect}") + "\n")
    text = None
    if emit_plan:
        from kpo_calc.render.mix_plan import emit_plan as emit

        done = [o for o in outcomes if o.result is not None]
        # Several files: one YAML document each, headed by its file.
        text = "".join((f"---\n# {visible(o.file)}\n" if len(done) > 1 else "")
                       + emit(o.result, o.robust) for o in done if o.result is not None)
    _finish(outcomes, "mix", output_format, output, paths, step_summary, strict,
            color, reported=True, gate_failed=any(o.expect_passed is False for o in outcomes),
            text=text)


@app.command()
def simulate(
    files: FilesArgument,
    trials: Annotated[int, typer.Option(
        "--trials", "-n", min=100, max=1_000_000,
        help="How many trials to draw (at least 100; the JSON, percentiles and value of "
        "information settle by 10,000).")] = 10_000,
    seed: SeedOption = SEED,
    latin_hypercube: Annotated[bool, typer.Option(
        "--latin-hypercube", help="Stratify each input's draws (one per equal-probability "
        "stratum within each chunk of trials): steadier percentiles for the same trials.")
    ] = False,
    output_format: SimulateFormat = "table",
    output: OutputOption = None,
    min_agreement: Annotated[float | None, typer.Option(
        "--min-agreement", min=0.0, max=1.0, metavar="SHARE",
        help="Gate: exit 1 unless at least SHARE of the trials (e.g. 0.8) pick the "
        "recommendation made at the inputs' means.")] = None,
    step_summary: StepSummaryOption = False,
    strict: StrictOption = False,
    color: ColorOption = Color.auto,
) -> None:
    """How sure is the answer? Monte Carlo over the inputs written as distributions.

    Per alternative: the spread of its metric and savings, how often it is cheapest,
    clears the threshold (move by move) and is recommended; the share of trials that
    agree with the recommendation at the means; and what learning each input before
    deciding is worth (the value of information). Exit 1 when --min-agreement fails,
    2 on bad input (or a file with no uncertain input).
    """
    from kpo_calc.api import simulate_file
    from kpo_calc.outcome import SimulationOutcome

    _keep_freed_memory()
    paint = _use_color(color, stream=sys.stderr)
    paths, outcomes = _each_file(files, SimulationOutcome, lambda p: _Progress.run(
        p, partial(simulate_file, p, trials, seed, latin_hypercube, min_agreement)))
    for o in outcomes:
        _report_diagnostics(o.diagnostics, paint)
    if outcomes and all(o.ok and o.result is None for o in outcomes):
        _usage_error("no file of the run has an uncertain input: there is nothing to simulate")
    for o in outcomes:
        if o.gate_passed is False and o.result is not None:
            sys.stderr.write(visible(f"{o.file}: gate min_agreement failed: "
                                     f"{o.result.agreement:.1%} of the trials agree, "
                                     f"{min_agreement:.1%} required") + "\n")
    _finish(outcomes, "simulate", output_format, output, paths, step_summary,
            strict, color, reported=True,
            gate_failed=any(o.gate_passed is False for o in outcomes))


@app.command()
def sensitivity(
    files: FilesArgument,
    swing: Annotated[float, typer.Option(
        "--swing", min=0.001, max=1.0, metavar="FRACTION",
        help="How far each point input moves either way (0.2: ±20%); an uncertain input "
        "moves from its P10 to its P90.")] = 0.2,
    output_format: SensitivityFormat = "table",
    output: OutputOption = None,
    step_summary: StepSummaryOption = False,
    strict: StrictOption = False,
    color: ColorOption = Color.auto,
) -> None:
    """Which inputs drive the decision: a tornado of the savings.

    The savings of the recommended alternative (or the best one, when the baseline
    stays) against the baseline, as each input moves while the others stay at their
    means; the top ten, with the value at which the recommendation switches when it
    lies inside the range. Exit 2 on bad input.
    """
    from kpo_calc.api import sensitivity_file
    from kpo_calc.outcome import SensitivityOutcome

    paths, outcomes = _each_file(files, SensitivityOutcome, lambda p: sensitivity_file(p, swing))
    _finish(outcomes, "sensitivity", output_format, output, paths, step_summary,
            strict, color)


@app.command()
def breakeven(
    files: FilesArgument,
    input_path: Annotated[str, typer.Option(
        "--input", metavar="PATH", help="The input to vary, by its field path: "
        "options[NAME].hourly_rate, work[NAME].hours_per_month, fx.INR, discount_rate.")],
    option: Annotated[str | None, typer.Option(
        "--option", metavar="NAME", help="The alternative to test (default: the "
        "recommendation, or the best alternative when the baseline stays).")] = None,
    against: Annotated[str | None, typer.Option(
        "--against", metavar="NAME", help="What it is compared with on the metric "
        "(default: the baseline). Clearing is always against the baseline.")] = None,
    output_format: BreakevenFormat = "table",
    output: OutputOption = None,
    step_summary: StepSummaryOption = False,
    strict: StrictOption = False,
    color: ColorOption = Color.auto,
) -> None:
    """Switching values: the value of one input at which two alternatives cost the same,
    and at which the alternative just clears the threshold.

    Searched over the field's allowed range, up to ten times the current value's size,
    by bracketing and narrowing grids to 1e-6 of the value. Exit 2 on bad input (an unknown
    path or alternative is named with the closest one).
    """
    from kpo_calc.api import breakeven_file
    from kpo_calc.outcome import BreakevenOutcome

    option = None if option is None else _name_arg(option, "--option")
    against = None if against is None else _name_arg(against, "--against")
    paths, outcomes = _each_file(files, BreakevenOutcome,
                                 lambda p: breakeven_file(p, input_path, option, against))
    _finish(outcomes, "breakeven", output_format, output, paths, step_summary,
            strict, color)


class By(StrEnum):
    """The columns of ``explain``'s tables."""

    year = "year"
    month = "month"


@app.command()
def explain(
    files: FilesArgument,
    alternative: Annotated[str | None, typer.Option(
        "--alternative", "-a", metavar="NAME", help="Explain only this option or plan "
        "(default: every alternative).")] = None,
    month: Annotated[int | None, typer.Option(
        "--month", "-m", min=1, metavar="M", help="Show month M only, with each formula's "
        "inputs substituted (what to type into a calculator to get the line).")] = None,
    by: Annotated[By, typer.Option(
        "--by", help="Columns of the tables: one per year (sums of costs and flows, "
        "monthly averages of levels such as headcount) or one per month.",
        case_sensitive=False)] = By.year,
    output_format: Annotated[str, _format_option(
        "explain", "table (for people), json (every series month by month, for scripts), "
        "csv (one value per row: file, currency, alternative, part, table, item, column, "
        "value; for a pivot table) or markdown.")] = "table",
    output: OutputOption = None,
    step_summary: StepSummaryOption = False,
    strict: StrictOption = False,
    color: ColorOption = Color.auto,
) -> None:
    """The audit trail: how every figure of compare is built.

    Per alternative and per part (an option on the hours the alternative gives it):
    every cost line with its formula, the drivers it reads (headcount, hires, billed
    hours, rates in the scenario currency, fx, other costs by name) and the amounts,
    whose totals are compare's to the cent. Exit 2 on bad input (an unknown
    alternative is named with the closest one).
    """
    from kpo_calc.api import explain_file
    from kpo_calc.outcome import ExplainOutcome

    alternative = None if alternative is None else _name_arg(alternative, "--alternative")
    paths, outcomes = _each_file(files, ExplainOutcome,
                                 lambda p: explain_file(p, alternative, by.value, month))
    _finish(outcomes, "explain", output_format, output, paths, step_summary, strict, color)


@app.command()
def report(
    files: FilesArgument,
    output: Annotated[Path, typer.Option(
        "--output", "-o", metavar="FILE", help="The report to write (atomically; never over "
        "an input); its suffix picks the format: FILE.html (or .htm) is one self-contained "
        "page, printable on A4; FILE.xlsx a workbook finance can re-check (the inputs with "
        "their file lines, every alternative's drivers and cost lines month by month, the "
        "totals, NPV and savings as live formulas; one scenario file per workbook).",
        parser=_output_path, show_default=False)],
    trials: Annotated[int, typer.Option(
        "--trials", "-n", min=100, max=100_000,
        help="Trials of the simulation the HTML page shows for a file with uncertain "
        "inputs (as simulate's; fewer than its 10,000 keep the report quick).")] = 2_000,
    seed: SeedOption = SEED,
    strict: StrictOption = False,
    color: ColorOption = Color.auto,
) -> None:
    """Write the decision's report: one self-contained HTML page, or a workbook.

    The page is for the people who approve the decision: the verdict and its reason
    first, a one-page summary, then charts, stress tests, plans' parts, the inputs with
    their file lines and, when inputs are uncertain, the simulation, the value of
    information and the tornado; no script, nothing fetched; prints on A4. Several
    files make one page with a contents list. The workbook (-o model.xlsx) is for
    finance: its totals, NPV and savings are live formulas over the monthly figures,
    equal to compare's. Exit 1 when a gate in a file fails or, with --strict, a file has
    a warning (the report is written); 2 on bad input (nothing is written).
    """
    from kpo_calc.api import expand_paths
    from kpo_calc.formats import REPORTS
    from kpo_calc.parallel import background
    from kpo_calc.report import get_writer
    from kpo_calc.report.content import FileReport, report_files

    known = REPORTS.get(output.suffix.lower())
    if known is None:
        _usage_error(f"--output {visible(output.name)!r}: the report's format comes from the "
                     f"file's suffix: {', '.join(REPORTS)}")
    writer, binary = known
    paths, missing = expand_paths(files)
    if binary and len(paths) + len(missing) > 1:
        _usage_error(f"a workbook holds one scenario, and {len(paths) + len(missing)} files "
                     "were given: write one workbook per file")
    # A second core costs and simulates while this one loads the writer (matplotlib for
    # the page: as long as the computing, benchmarks/report.py).
    computed = background(lambda: report_files(paths, trials, seed, uncertain=not binary))
    write = get_writer(writer)
    outcomes = [*(FileReport(m.file, None, m.diagnostics) for m in missing), *computed()]
    _report_problems(outcomes, color)
    code = _strictly(exit_code(outcomes), outcomes, strict)
    if code == EXIT_INPUT:
        raise typer.Exit(code)  # nothing written
    write_atomically(output, write(outcomes), inputs=paths)
    raise typer.Exit(code)


def _finish(outcomes: Sequence[Outcome[Any]], command: str, output_format: str,
            output: Path | None, inputs: Sequence[str | Path],
            step_summary: bool, strict: bool, color: Color, *, reported: bool = False,
            gate_failed: bool = False, base_code: int | None = None,
            options: RenderOptions | None = None,
            summary_options: RenderOptions | None = None, text: str | None = None) -> NoReturn:
    """The end of every command over files: report diagnostics (unless ``reported``),
    render (or print ``text``), append the step summary, write, and exit with the run's
    code: 2 on any error, 1 when a gate failed (``gate_failed``, or ``base_code``) or,
    under --strict, on a warning. Nothing is written with --output when a file is bad."""
    from kpo_calc.render import RenderOptions, renderer

    if not reported:
        paint = _use_color(color, stream=sys.stderr)
        for o in outcomes:
            _report_diagnostics(o.diagnostics, paint)
    if base_code is None:
        base_code = (EXIT_INPUT if any(not o.ok for o in outcomes) else
                     EXIT_GATE if gate_failed else EXIT_OK)
    code = _strictly(base_code, outcomes, strict)
    shown = text if text is not None else renderer(command, output_format)(
        outcomes, options or RenderOptions(color=_use_color(color) and output is None,
                                           width=_width()))
    if step_summary:  # a complete report, errors included: CI shows what went wrong
        _append_step_summary(
            shown if text is None and output_format == "markdown" else
            renderer(command, "markdown")(outcomes, summary_options or RenderOptions()), inputs)
    if code == EXIT_INPUT and output is not None:
        raise typer.Exit(code)  # nothing half-written
    _emit(shown, output, inputs=inputs)
    raise typer.Exit(code)


def _keep_freed_memory() -> None:
    """Let the C allocator keep the memory numpy frees, for the commands that cost many
    trials: glibc hands each freed temporary of a megabyte or so back to the system
    and maps it again on the next allocation, and the page faults took a third of a
    simulation's time (``benchmarks/simulate.py``, ``benchmarks/mix.py``). Peak memory
    is unchanged. Elsewhere than glibc nothing happens."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 32 * 1024 * 1024)  # M_MMAP_THRESHOLD, its largest value
        libc.mallopt(-1, 512 * 1024 * 1024)  # M_TRIM_THRESHOLD
    except (OSError, AttributeError):
        pass


def _each_file(files: Sequence[str], kind: Callable[[str, None, tuple[Diagnostic, ...]],
                                                   OutcomeT],
               compute: Callable[[str], OutcomeT]) -> tuple[list[str], list[OutcomeT]]:
    """The files FILES names and an outcome for each: first ``kind`` carrying the problem
    of each argument that names nothing, then ``compute`` of each file, in order."""
    from kpo_calc.api import expand_paths

    paths, missing = expand_paths(files)
    return paths, [*(kind(m.file, None, m.diagnostics) for m in missing),
                   *(compute(p) for p in paths)]


class _Progress:
    """A progress bar on stderr for a run that takes over half a second, on a terminal only
    (a log or a pipe gets nothing: the result is the same without it)."""

    DELAY = 0.5

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.task: Any = None
        self.started = 0.0

    def __enter__(self) -> _Progress:
        import time

        self.started = time.monotonic()
        return self

    @staticmethod
    def run(label: str, work: Callable[[_Progress], ResultT]) -> ResultT:
        """``work(progress)`` with a progress bar labelled ``label``."""
        with _Progress(label) as progress:
            return work(progress)

    def __call__(self, done: int, total: int) -> None:
        import time

        if self.bar is None:
            if not sys.stderr.isatty() or time.monotonic() - self.started < self.DELAY:
                return
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            from rich.markup import escape

            # rich reads a task's description as markup: a path such as ``a[/b]/x.yaml``
            # would raise MarkupError mid-run (and ``[bold]`` would vanish)
            self.task = self.bar.add_task(escape(visible(self.label)), total=total)
        self.bar.update(self.task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


@app.command()
def diff(
    old: Annotated[str, typer.Argument(
        help="The old version: a file, or REVISION:PATH read from git "
        "(e.g. main:scenarios/x.yaml).", show_default=False)],
    new: Annotated[str, typer.Argument(
        help="The new version: a file, or REVISION:PATH.", show_default=False)],
    output_format: Annotated[str, _format_option(
        "diff", "table, markdown (for a pull-request comment) or json.")] = "table",
    output: OutputOption = None,
    fail_on_change: Annotated[bool, typer.Option(
        "--fail-on-change", help="Exit 1 if the recommendation changed.")] = False,
    show_all: AllOption = False,
    color: ColorOption = Color.auto,
) -> None:
    """Show what changed between two versions of a scenario: inputs, results, decision."""
    from kpo_calc.api import diff_files
    from kpo_calc.diagnostics import InputError
    from kpo_calc.outcome import FileOutcome
    from kpo_calc.render import RenderOptions, renderer

    try:
        changes = diff_files(old, new)
    except InputError as exc:
        _report_problems([FileOutcome(new, None, exc.diagnostics)], color)
        raise typer.Exit(EXIT_INPUT) from None
    options = RenderOptions(color=_use_color(color) and output is None, width=_width(),
                            show_all=show_all)
    _emit(renderer("diff", output_format)(changes, options), output,
          inputs=[spec for spec in (old, new) if os.path.lexists(spec)])
    if fail_on_change and changes.recommendation_changed:
        sys.stderr.write(visible(f"{new}: the recommendation changed from "
                                 f"{changes.old_recommendation} to "
                                 f"{changes.new_recommendation}") + "\n")
        raise typer.Exit(EXIT_GATE)


@app.command()
def validate(
    files: FilesArgument,
    output_format: Annotated[str, _format_option(
        "validate", "text (problems on stderr, a summary on stdout), json, or "
        "github (workflow commands that annotate the pull request).")] = "text",
    strict: StrictOption = False,
    color: ColorOption = Color.auto,
) -> None:
    """Check scenario files without computing them: every problem with file:line:column.

    Exit 0 when every file is valid (warnings allowed, unless --strict: then 1), 2
    otherwise.
    """
    from kpo_calc.api import expand_paths, validate_files
    from kpo_calc.render import renderer

    paths, missing = expand_paths(files)
    outcomes = [*missing, *validate_files(paths)]
    if output_format == "text":  # the problems themselves, for people, on stderr
        _report_problems(outcomes, color)
    _emit(renderer("validate", output_format)(outcomes), None)
    raise typer.Exit(_strictly(EXIT_INPUT if any(not o.ok for o in outcomes) else EXIT_OK,
                               outcomes, strict))


@app.command()
def schema(output: OutputOption = None) -> None:
    """Print the JSON Schema (draft-07) of the scenario format, for editors and validators.

    Point an editor at it with a first line such as
    `# yaml-language-server: $schema=kpo-calc.schema.json`.
    """
    from kpo_calc.schema import scenario_schema_json

    _emit(scenario_schema_json(), output)


@app.command()
def init(
    path: Annotated[str, typer.Argument(
        help="File to write; '-' prints to stdout.")] = "scenario.yaml",
    domain: Annotated[DomainName, typer.Option(
        "--domain", "-d", help="Which KPO domain's typical values to start from.",
        case_sensitive=False)] = DomainName.investment_research,
    currency: Annotated[StarterCurrency, typer.Option(
        "--currency", "-c", help="Reporting currency of the scenario: the typical values "
        "(US figures) are converted at the 2024 average rate, and the file says so.",
        case_sensitive=False)] = StarterCurrency.USD,
    force: Annotated[bool, typer.Option(
        "--force", help="Overwrite PATH if it exists.")] = False,
) -> None:
    """Write a commented starter scenario with typical values and their sources."""
    from kpo_calc.starter import starter_scenario

    if path == "-":
        _emit(starter_scenario(domain.value, currency=currency.value), None)
        return
    from kpo_calc.files import shown

    target = Path(path)
    if target.is_dir():
        target = target / "scenario.yaml"
    text = starter_scenario(domain.value, shown(target.name), currency.value)
    write_atomically(target, text, replace=force)  # without --force, an existing file stays
    sys.stderr.write(f"wrote {shown(target)} ({domain.value}, {currency.value}); next: "
                     "kpo-calc compare "
                     f"{shown(target)}\n")


def _run_gates(expect: str | None, min_savings: list[str], budget: list[str],
               previous: Path | None) -> RunGates:
    from kpo_calc.api import RunGates, previous_recommendations
    from kpo_calc.diagnostics import InputError
    from kpo_calc.scenario import Gate

    gates = [Gate(option=name, min_savings=_fraction(value, "--min-savings"))
             for name, value in (_pair(item, "--min-savings") for item in min_savings)]
    gates += [Gate(option=name, max_total_cost=_amount(value, "--budget"))
              for name, value in (_pair(item, "--budget") for item in budget)]
    before: dict[str, str] = {}
    if previous is not None:
        try:
            before = previous_recommendations(previous)
        except InputError as exc:
            _usage_error(exc.diagnostics[0].text())
    return RunGates(tuple(gates), expect, before)


def _pair(item: str, flag: str) -> tuple[str, str]:
    name, sep, value = item.rpartition("=")
    if not sep or not name.strip():
        _usage_error(f"{flag} takes OPTION=VALUE, got {item!r}")
    return _name_arg(name.strip(), flag), value.strip()


def _name_arg(name: str, flag: str) -> str:
    """An option or plan name from the command line, read as a scenario reads names."""
    from kpo_calc.scenario import filler_problem, normal_name

    name = normal_name(name)
    problem = filler_problem(name)
    if problem is not None:
        _usage_error(f"{flag}: the name {name!r} {problem}")
    return name


def _fraction(text: str, flag: str) -> float:
    value = _number(text, flag)
    if not 0 <= value <= 1:
        hint = f"; did you mean {value / 100:g}?" if 2 <= value <= 100 else ""
        _usage_error(f"{flag} takes a fraction between 0 and 1, got {text}{hint}")
    return value


def _amount(text: str, flag: str) -> float:
    from kpo_calc.scenario import MAX_TOTAL

    value = _number(text, flag)
    if not 0 <= value <= MAX_TOTAL:
        _usage_error(f"{flag} takes an amount from 0 to {MAX_TOTAL:.0e} (a sanity bound, as "
                     f"for decision.gates), got {text}")
    return value


def _number(text: str, flag: str) -> float:
    """A number written as in a scenario file (YAML 1.2): ``5000000``, ``0.15``, ``5e6``.

    Anything else (``5,000,000``, ``1_000``, ``25%``, ``4,45``) is refused with the
    number meant, by the same hints the scenario reader gives: one reading of numbers.
    """
    plain = text.strip()
    if not _PLAIN_NUMBER.fullmatch(plain):
        from kpo_calc.scenario import number_hint

        hint = number_hint(plain)
        _usage_error(f"{flag}: {text!r} is not a number" + (f"; {hint}" if hint else ""))
    value = float(plain)
    if not math.isfinite(value):
        _usage_error(f"{flag}: {text!r} is not a finite number")
    return value


#: A plain decimal or scientific number, as YAML 1.2's core schema reads one.
_PLAIN_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def _usage_error(message: str) -> NoReturn:
    # Messages quote names with repr or hold a diagnostic's text: shown already.
    sys.stderr.write(f"kpo-calc: {guard(message)}\n")
    raise typer.Exit(EXIT_INPUT)


def _append_step_summary(markdown: str, inputs: Sequence[str | Path]) -> None:
    from kpo_calc.diagnostics import InputError
    from kpo_calc.files import append_regular

    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        sys.stderr.write("kpo-calc: --step-summary: GITHUB_STEP_SUMMARY is not set (it is set "
                         "inside GitHub Actions); nothing appended\n")
        return
    try:
        append_regular(target, markdown + "\n", inputs=inputs)
    except InputError as exc:
        _usage_error(f"--step-summary: {exc.diagnostics[0].text()}")


def exit_code(outcomes: Sequence[FileOutcome]) -> int:
    """2 if any file is broken, else 1 if any gate failed, else 0."""
    if any(not o.ok for o in outcomes):
        return EXIT_INPUT
    if any(o.result is not None and not o.result.gates_passed for o in outcomes):
        return EXIT_GATE
    return EXIT_OK


def _strictly(code: int, outcomes: Sequence[FileOutcome | MixOutcome | Outcome[Any]],
              strict: bool) -> int:
    """``code``, or 1 under ``--strict`` when a file has warnings and nothing worse
    happened; says so on stderr."""
    if not strict or code == EXIT_INPUT:
        return code
    warned = [o for o in outcomes if any(d.severity == "warning" for d in o.diagnostics)]
    if not warned:
        return code
    count = sum(1 for o in warned for d in o.diagnostics if d.severity == "warning")
    sys.stderr.write(f"kpo-calc: --strict: the run fails on {count} warning"
                     f"{'s' * (count > 1)} in {len(warned)} file{'s' * (len(warned) > 1)}\n")
    return EXIT_GATE


def _report_problems(outcomes: Sequence[FileOutcome], color: Color) -> None:
    # Every line passes through visible(): a name is shown, never run by the terminal
    # or read by GitHub Actions as a workflow command.

    paint = _use_color(color, stream=sys.stderr)
    for outcome in outcomes:
        _report_diagnostics(outcome.diagnostics, paint)
        if outcome.result is not None:
            from kpo_calc.render.wording import gate_message

            for gate in outcome.result.gates:
                if not gate.passed:
                    sys.stderr.write(visible(f"{outcome.file}: gate {gate.name} failed: "
                                             f"{gate_message(gate)}") + "\n")


def _report_diagnostics(diagnostics: Sequence[Diagnostic], paint: bool) -> None:
    """Errors and warnings on stderr, one line each, the location tinted when ``paint``."""
    for d in diagnostics:
        text = d.text()
        if paint:
            where = visible(d.location())
            tint = "31" if d.severity == "error" else "33"
            text = f"\x1b[{tint}m{where}\x1b[0m{text[len(where):]}"
        sys.stderr.write(text + "\n")


def _use_color(color: Color, stream: object = None) -> bool:
    if color is Color.always:
        return True
    if color is Color.never or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    target = stream if stream is not None else sys.stdout
    isatty = getattr(target, "isatty", None)
    return bool(isatty and isatty())


#: the table width used when COLUMNS is unset and stdout is not a terminal
DEFAULT_WIDTH = 100
#: COLUMNS is clamped to this range: a huge value would make huge output
MIN_WIDTH, MAX_WIDTH = 20, 1000


def _width() -> int:
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:  # anything else is ignored, as by most tools
        width = int(columns)
    elif sys.stdout is not None and sys.stdout.isatty():
        width = shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    else:
        width = DEFAULT_WIDTH
    return min(max(width, MIN_WIDTH), MAX_WIDTH)


def _emit(text: str, output: Path | None, inputs: Sequence[str | Path] = ()) -> None:
    """Print ``text``, or write it to ``output`` (never over one of ``inputs``)."""
    if output is not None:
        write_atomically(output, text, inputs=inputs)
        return
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        _usage_error("standard output is closed; nothing printed (redirect it, or write to "
                     "a file with --output)")
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped reading (`| head`): that is not an error. Point stdout at
        # the null device so that the flush at exit does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except OSError as exc:  # closed (EBADF), disk full (ENOSPC) and the like
        sys.stdout = None  # nothing more can be printed there
        _usage_error(f"cannot write to standard output: {exc.strerror or exc}")


def write_atomically(path: Path, text: str | bytes, *, inputs: Sequence[str | Path] = (),
                     replace: bool = True) -> None:
    """Write through the one safe writer (:func:`kpo_calc.files.write_safely`); exit 2 when
    it refuses or fails, with nothing written."""
    from kpo_calc.diagnostics import InputError
    from kpo_calc.files import write_safely

    try:
        write_safely(path, text, inputs=inputs, replace=replace)
    except InputError as exc:
        sys.stderr.write(exc.diagnostics[0].text() + "\n")
        raise typer.Exit(EXIT_INPUT) from None


def app_for(argv: Sequence[str]) -> typer.Typer:
    """The app with only the command that ``argv`` names (all of them for help or a typo).

    Typer turns every registered command into a Click command, with a pydantic
    adapter per parameter, on each run; a run needs only the one it executes.
    """
    name = next((a for a in argv if not a.startswith("-")), None)
    chosen = [c for c in app.registered_commands
              if c.callback is not None and c.callback.__name__ == name]
    if not chosen:
        return app
    slim = typer.Typer(**_APP_SETTINGS)
    slim.registered_callback = app.registered_callback
    slim.registered_commands = chosen
    return slim


def run() -> None:
    """Run the app; an unexpected exception is a bug: report it and exit 3."""
    # A batch run keeps thousands of small acyclic objects (results) alive; with
    # the default thresholds the cyclic collector rescans them over and over.
    # Reference counting frees them anyway, so collect cycles far less often.
    gc.set_threshold(100_000, 50, 100)
    try:
        app_for(sys.argv[1:])(prog_name="kpo-calc")
    except SystemExit:
        raise
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM/SIGHUP while writing a file
        signum = getattr(exc, "signum", 2)
        sys.stderr.write("interrupted\n" if signum == 2 else "terminated\n")
        sys.exit(128 + signum)
    except Exception:  # a bug: keep the traceback for the report, but exit distinctly
        sys.stderr.write("kpo-calc: internal error (this is a bug; please report it with the "
                         "input file):\n")
        traceback.print_exc()
        sys.exit(EXIT_BUG)
