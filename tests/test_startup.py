"""The start-up shortcuts of the command line keep its behaviour (speed is measured in
benchmarks/startup.py, never timed here)."""

from __future__ import annotations

from kpo_calc.cli import app, app_for


def _names(typer_app) -> list[str]:
    return [c.callback.__name__ for c in typer_app.registered_commands]


def test_a_run_registers_only_the_command_it_executes() -> None:
    slim = app_for(["compare", "--format", "json", "x.yaml"])
    assert _names(slim) == ["compare"]
    assert slim.registered_callback is app.registered_callback  # --version still works
    assert _names(app_for(["diff", "a.yaml", "b.yaml"])) == ["diff"]


def test_help_and_unknown_commands_see_every_command() -> None:
    every = ["compare", "mix", "simulate", "sensitivity", "breakeven", "report", "diff",
             "validate", "schema", "init"]
    assert _names(app_for([])) == every
    assert _names(app_for(["--help"])) == every
    assert _names(app_for(["comprae", "x.yaml"])) == every  # Click's "No such command" lists them


def test_the_slim_app_behaves_like_the_full_one(tmp_path) -> None:
    from typer.testing import CliRunner

    from conftest import TINY

    path = tmp_path / "s.yaml"
    path.write_text(TINY, encoding="utf-8")
    args = ["compare", "--format", "json", str(path)]
    full = CliRunner().invoke(app, args)
    slim = CliRunner().invoke(app_for(args), args)
    assert (slim.exit_code, slim.stdout) == (full.exit_code, full.stdout)
    assert full.exit_code == 0
