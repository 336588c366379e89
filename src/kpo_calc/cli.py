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
from typing import Annotated

import typer

from kpo_calc._version import __version__

EXIT_OK, EXIT_GATE, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3

app = typer.Typer(
    name="kpo-calc",
    help="Should knowledge work be done in-house, by a KPO or by a BPO? Compare the options "
    "of a scenario file on cost, flexibility and risk.",
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

    Compare the sourcing options of a scenario file on cost, flexibility and risk.
    Exit codes: 0 success, 1 a gate failed, 2 bad input or usage.
    """


ColorOption = Annotated[Color, typer.Option(
    "--color", help="Colour the output: auto (only on a terminal, honouring NO_COLOR), always "
    "or never.", case_sensitive=False)]
OutputOption = Annotated[Path | None, typer.Option(
    "--output", "-o", help="Write the report to this file (atomically) instead of stdout.",
    dir_okay=False)]


@app.command()
def compare(
    files: Annotated[list[Path], typer.Argument(
        help="Scenario files (YAML) to compare.", show_default=False)],
    output_format: Annotated[CompareFormat, typer.Option(
        "--format", "-f", help="table (for people) or json (design section 5, for scripts).",
        case_sensitive=False)] = CompareFormat.table,
    output: OutputOption = None,
    color: ColorOption = Color.auto,
) -> None:
    """Compare in-house, KPO and BPO options: cost, flexibility, risk and a recommendation.

    Exit 1 when a gate (decision.expect) fails, 2 when a file is invalid.
    """
    from kpo_calc.api import compare_files
    from kpo_calc.render import RenderOptions, get_renderer

    outcomes = compare_files(files)
    _report_problems(outcomes, color)
    options = RenderOptions(color=_use_color(color) and output is None, width=_width())
    text = get_renderer(output_format.value)(outcomes, options)
    code = exit_code(outcomes)
    if code == EXIT_INPUT and output is not None:
        raise typer.Exit(code)  # nothing half-written
    _emit(text, output)
    raise typer.Exit(code)


def exit_code(outcomes: Sequence[object]) -> int:
    """2 if any file is broken, else 1 if any gate failed, else 0."""
    from kpo_calc.outcome import FileOutcome

    items = [o for o in outcomes if isinstance(o, FileOutcome)]
    if any(not o.ok for o in items):
        return EXIT_INPUT
    if any(o.result is not None and not o.result.gates_passed for o in items):
        return EXIT_GATE
    return EXIT_OK


def _report_problems(outcomes: Sequence[object], color: Color) -> None:
    from kpo_calc.outcome import FileOutcome

    paint = _use_color(color, stream=sys.stderr)
    for outcome in outcomes:
        if not isinstance(outcome, FileOutcome):
            continue
        for d in outcome.diagnostics:
            text = d.text()
            if paint:
                text = f"\x1b[31m{d.location()}\x1b[0m{text[len(d.location()):]}"
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
        sys.stderr.write(f"{path}: cannot write the report: {exc.strerror}\n")
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
