"""The command line: parse arguments, call the library, pick a renderer, set the exit code.

Exit codes: 0 success; 1 a gate failed; 2 bad input or usage; 3 a bug.
Results go to stdout (or ``--output``); diagnostics go to stderr.
"""

from __future__ import annotations

import os
import shutil
import sys
import traceback
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kpo_calc._version import __version__

if TYPE_CHECKING:
    from kpo_calc.outcome import FileOutcome

EXIT_OK, EXIT_GATE, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3

app = typer.Typer(
    name="kpo-calc",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Color(StrEnum):
    """When to colour output."""

    auto = "auto"
    always = "always"
    never = "never"


class CompareFormat(StrEnum):
    """Output formats of ``compare``."""

    table = "table"
    json = "json"


class CheckFormat(StrEnum):
    """Output formats of ``validate``."""

    text = "text"
    json = "json"
    github = "github"


class DomainName(StrEnum):
    """Starter scenarios of ``init``: the KPO domains of the examples."""

    investment_research = "investment-research"
    legal = "legal"
    data_analytics = "data-analytics"
    rnd_patent_search = "rnd-patent-search"
    medical_coding = "medical-coding"
    financial_consulting = "financial-consulting"


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
    help="Scenario files (YAML), folders (searched recursively for *.yaml and *.yml) or "
    "glob patterns.", show_default=False)]
ColorOption = Annotated[Color, typer.Option(
    "--color", help="Colour the output: auto (only on a terminal, honouring NO_COLOR), always "
    "or never.", case_sensitive=False)]
OutputOption = Annotated[Path | None, typer.Option(
    "--output", "-o", help="Write the report to this file (atomically) instead of stdout.",
    dir_okay=False)]


@app.command()
def compare(
    files: FilesArgument,
    output_format: Annotated[CompareFormat, typer.Option(
        "--format", "-f", help="table (for people) or json (format version 1, for scripts).",
        case_sensitive=False)] = CompareFormat.table,
    output: OutputOption = None,
    color: ColorOption = Color.auto,
) -> None:
    """Compare in-house, KPO and BPO options: cost, flexibility, risk and a recommendation.

    Exit 1 when a gate (decision.expect) fails, 2 when a file is invalid.
    """
    from kpo_calc.api import compare_files, expand_paths
    from kpo_calc.render import RenderOptions, get_renderer

    paths, missing = expand_paths(files)
    outcomes = [*missing, *compare_files(paths)]
    _report_problems(outcomes, color)
    options = RenderOptions(color=_use_color(color) and output is None, width=_width())
    text = get_renderer(output_format.value)(outcomes, options)
    code = exit_code(outcomes)
    if code == EXIT_INPUT and output is not None:
        raise typer.Exit(code)  # nothing half-written
    _emit(text, output)
    raise typer.Exit(code)


@app.command()
def validate(
    files: FilesArgument,
    output_format: Annotated[CheckFormat, typer.Option(
        "--format", "-f", help="text (problems on stderr, a summary on stdout), json, or "
        "github (workflow commands that annotate the pull request).",
        case_sensitive=False)] = CheckFormat.text,
    color: ColorOption = Color.auto,
) -> None:
    """Check scenario files without computing them: every problem with file:line:column.

    Exit 0 when every file is valid (warnings allowed), 2 otherwise.
    """
    from kpo_calc.api import expand_paths, validate_files
    from kpo_calc.render import checks

    paths, missing = expand_paths(files)
    outcomes = [*missing, *validate_files(paths)]
    if output_format is CheckFormat.text:
        _report_problems(outcomes, color)
        _emit(checks.summary(outcomes), None)
    elif output_format is CheckFormat.json:
        _emit(checks.as_json(outcomes), None)
    else:
        _emit(checks.as_github(outcomes), None)
    raise typer.Exit(EXIT_INPUT if any(not o.ok for o in outcomes) else EXIT_OK)


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
    force: Annotated[bool, typer.Option(
        "--force", help="Overwrite PATH if it exists.")] = False,
) -> None:
    """Write a commented starter scenario with typical values and their sources."""
    from kpo_calc.starter import starter_scenario

    if path == "-":
        _emit(starter_scenario(domain.value), None)
        return
    target = Path(path)
    if target.is_dir():
        target = target / "scenario.yaml"
    text = starter_scenario(domain.value, target.name)
    if target.exists() and not force:
        sys.stderr.write(f"{target}: already exists; choose another path or pass --force "
                         "to overwrite it\n")
        raise typer.Exit(EXIT_INPUT)
    write_atomically(target, text)
    sys.stderr.write(f"wrote {target} ({domain.value}); next: kpo-calc compare {target}\n")


def exit_code(outcomes: Sequence[FileOutcome]) -> int:
    """2 if any file is broken, else 1 if any gate failed, else 0."""
    if any(not o.ok for o in outcomes):
        return EXIT_INPUT
    if any(o.result is not None and not o.result.gates_passed for o in outcomes):
        return EXIT_GATE
    return EXIT_OK


def _report_problems(outcomes: Sequence[FileOutcome], color: Color) -> None:
    paint = _use_color(color, stream=sys.stderr)
    for outcome in outcomes:
        for d in outcome.diagnostics:
            text = d.text()
            if paint:
                tint = "31" if d.severity == "error" else "33"
                text = f"\x1b[{tint}m{d.location()}\x1b[0m{text[len(d.location()):]}"
            sys.stderr.write(text + "\n")
        if outcome.result is not None:
            for gate in outcome.result.gates:
                if not gate.passed:
                    sys.stderr.write(f"{outcome.file}: gate {gate.name} failed: "
                                     f"{gate.message}\n")


def _use_color(color: Color, stream: object = None) -> bool:
    if color is Color.always:
        return True
    if color is Color.never or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    target = stream if stream is not None else sys.stdout
    isatty = getattr(target, "isatty", None)
    return bool(isatty and isatty())


def _width() -> int:
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size((100, 24)).columns
    return 100


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_atomically(output, text)


def write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so readers never see half a report."""
    path = path.resolve()
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        sys.stderr.write(f"{path}: cannot write: {exc.strerror}\n")
        raise typer.Exit(EXIT_INPUT) from None


def run() -> None:
    """Run the app; an unexpected exception is a bug: report it and exit 3."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except Exception:  # a bug: keep the traceback for the report, but exit distinctly
        sys.stderr.write("kpo-calc: internal error (this is a bug; please report it with the "
                         "input file):\n")
        traceback.print_exc()
        sys.exit(EXIT_BUG)
