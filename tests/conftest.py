"""Shared fixtures: scenario files written in the domain language, and CLI runners.

``run_cli`` runs the command line in-process (fast, the default for tests);
``run_subprocess`` starts a real interpreter for the few end-to-end smoke tests.
"""

from __future__ import annotations

import gc
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

# Subprocess coverage (pyproject: patch = ["subprocess"]) is measured in CI only, where
# the coverage floor is enforced with it (.ci/run). On a developer's machine (`pytest
# --cov`; the default run measures no coverage at all) the children
# (the smoke tests' interpreters, mypy, import-linter) run unmeasured: measuring them
# adds about a tenth to the suite's time and changes the total by under 0.1 point.
# pytest-cov has started coverage before this file is imported; the variable it set
# is what starts coverage in a child.
if os.environ.get("CI", "").lower() not in ("1", "true", "yes"):
    os.environ.pop("COVERAGE_PROCESS_CONFIG", None)



@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    """Run a test marked ``unmeasured`` with coverage paused (pytest-cov's own no_cover
    marker fails under ``--no-cov``): its asserts still hold, it just adds no lines."""
    import coverage

    cov = coverage.Coverage.current() if item.get_closest_marker("unmeasured") else None
    if cov is not None:
        cov.stop()
    try:
        yield
    finally:
        if cov is not None:
            cov.start()


ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"

# A scenario small enough to cost by hand (see test_engine_tiny.py for the arithmetic).
# Demand: Analysis 250 h/month, growing 20% from month 13 (300 h); Study 300 h over
# months 2-4 (100 h/month). So D = 250 | 350 350 350 | 250 x 8 | 300 300.
TINY = """\
version: 1
name: Tiny
currency: USD
horizon_months: 14
discount_rate: 0.1
hours_per_fte_month: 100
fx: {EUR: 1.5}
work:
  - name: Analysis
    kind: recurring
    hours_per_month: 250
    specialization: medium
    growth: 0.2
  - name: Study
    kind: one_off
    total_hours: 300
    start_month: 2
    duration_months: 3
    specialization: medium
options:
  - name: Team
    model: in_house
    annual_salary: 120000
    benefits_rate: 0.25
    overhead_per_fte_year: 12000
    annual_training_per_fte: 2400
    recruiting_cost_per_hire: 5000
    training_cost_per_hire: 1000
    time_to_hire_months: 1
    ramp_up_months: 2
    attrition_rate: 0.12
    severance_months: 3
    salary_growth: 0.1
    existing_fte: 2
  - name: Vendor
    model: kpo
    currency: EUR
    hourly_rate: 20
    rate_escalation: 0.05
    productivity: 0.8
    rework_rate: 0.2
    governance_rate: 0.05
    communication_overhead: 0.1
    min_monthly_hours: 400
    notice_months: 1
    ramp_up_weeks: 13
    vendor_selection_cost: 5000
    transition: {cost: 6000, months: 3}
    exit_cost: 4000
    risks:
      - {name: Leak, annual_probability: 0.1, impact: 120000}
stress:
  - {name: Drop, from_month: 13, demand_change: -0.5}
  - {name: Rise, from_month: 7, demand_change: 0.4}
unmet_hour_cost: 50
"""


def pytest_configure(config: pytest.Config) -> None:
    """The coverage floor (fail_under in pyproject.toml) judges the whole suite only."""
    start = config.invocation_params.dir
    whole = {ROOT, ROOT / "tests"}
    if not all((start / arg).resolve() in whole for arg in config.args):
        _no_coverage_floor(config)  # some files or tests were named


def pytest_deselected(items: list[pytest.Item]) -> None:
    """-k, -m, --deselect or --last-failed ran part of the suite: no floor either."""
    if items:
        _no_coverage_floor(items[0].config)


def _no_coverage_floor(config: pytest.Config) -> None:
    options = getattr(config.pluginmanager.get_plugin("_cov"), "options", None)
    if options is not None:  # pytest-cov is active
        options.cov_fail_under = 0


def tiny_data() -> dict[str, Any]:
    """The tiny scenario as plain data, to modify in a test."""
    data: dict[str, Any] = yaml.safe_load(TINY)
    return data


def two_vendors(challenger: Any = 50.0, **extra: Any) -> dict[str, Any]:
    """Two vendors, total cost, no discounting, 100 hours a month for 12 months (1,200
    hours): the incumbent (the baseline) at 40 an hour, 48,000; the challenger at
    ``challenger`` (a number or a distribution), 1,200 × rate. ``extra``: top-level keys."""
    data: dict[str, Any] = {
        "version": 1, "name": "Two vendors", "currency": "USD", "horizon_months": 12,
        "work": [{"name": "Reports", "kind": "recurring", "hours_per_month": 100,
                  "specialization": "low"}],
        "options": [{"name": "Incumbent", "model": "bpo", "hourly_rate": 40},
                    {"name": "Challenger", "model": "bpo", "hourly_rate": challenger}],
        "decision": {"metric": "total", "min_savings": 0.1}}
    data.update(extra)
    return data


@pytest.fixture
def write_scenario(tmp_path: Path) -> Callable[..., Path]:
    """Write a scenario (YAML text or data) to a file and return its path."""

    def write(content: str | dict[str, Any] = TINY, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write


# Both runners see the same fixed terminal: 120 columns, no colour unless asked.
BASE_ENV: dict[str, str | None] = {"COLUMNS": "120", "NO_COLOR": "1", "FORCE_COLOR": None}


def run_cli(*args: str | Path, env: dict[str, str | None] | None = None,
            cwd: Path | None = None, merge_stderr: bool = False,
            ) -> subprocess.CompletedProcess[str]:
    """Run the command line in this process, as ``kpo-calc ARGS`` would, capturing both streams.

    It goes through the script's own entry (``kpo_calc.__main__.main``, hence
    ``cli.run``), so exit codes, the exit-3 handler and the ``--version`` fast
    path are the real ones. ``env`` maps a variable to its value, or to None to
    unset it. Everything the run may change is restored afterwards: argv, the
    standard streams, the environment, the working directory, the GC
    thresholds that ``cli.run`` raises and the exception hook typer sets.
    Many times cheaper than a new interpreter; ``run_subprocess`` keeps a few
    end-to-end checks honest.
    ``merge_stderr`` sends both streams to stdout, interleaved as on a terminal.
    """
    from kpo_calc.__main__ import main

    saved_streams = sys.stdin, sys.stdout, sys.stderr
    saved_argv, saved_env, saved_cwd = sys.argv, os.environ.copy(), os.getcwd()
    saved_gc, saved_hook = gc.get_threshold(), sys.excepthook  # typer installs its own hook
    out, err = io.BytesIO(), io.BytesIO()
    # Binary buffers under text wrappers, like real pipes: not a terminal, with .buffer.
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    stderr = stdout if merge_stderr else io.TextIOWrapper(err, encoding="utf-8",
                                                           write_through=True)
    code: int
    try:
        for key, value in {**BASE_ENV, **(env or {})}.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        if cwd is not None:
            os.chdir(cwd)
        sys.argv = ["kpo-calc", *map(str, args)]
        sys.stdin = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        sys.stdout, sys.stderr = stdout, stderr
        try:
            main()
            code = 0
        except SystemExit as exc:  # what the interpreter would turn into the exit status
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                stderr.write(f"{exc.code}\n")
                code = 1
        stdout.flush()
        stderr.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        sys.argv = saved_argv
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)
        gc.set_threshold(*saved_gc)
        sys.excepthook = saved_hook
    return subprocess.CompletedProcess(["kpo-calc", *map(str, args)], code,
                                       _decoded(out.getvalue()), _decoded(err.getvalue()))


def _decoded(data: bytes) -> str:
    """Bytes as ``subprocess.run(text=True)`` returns them: UTF-8, universal newlines."""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def run_subprocess(*args: str | Path, env: dict[str, str | None] | None = None,
                   cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m kpo_calc`` in a new interpreter, as a user would (smoke tests only).

    ``env`` maps a variable to its value, or to None to unset it.
    """
    full_env = dict(os.environ)
    for key, value in {**BASE_ENV, **(env or {})}.items():
        if value is None:
            full_env.pop(key, None)
        else:
            full_env[key] = value
    return subprocess.run([sys.executable, "-m", "kpo_calc", *map(str, args)],
                          capture_output=True, text=True, env=full_env, cwd=cwd, timeout=120,
                          check=False)


def run_json(*args: str | Path) -> tuple[int, dict[str, Any]]:
    """Run ``compare --format json`` and parse stdout."""
    proc = run_cli("compare", "--format", "json", *args)
    return proc.returncode, json.loads(proc.stdout)


def assert_name_is_data(command: str, args: list[str], name: str, word: str) -> None:
    """``command ARGS`` shows ``name`` (markup, a pipe ``word`` holds, a backtick, HTML, a
    mention, a workflow command) as typed on a terminal and escaped in Markdown."""
    import re

    term = run_cli(command, *args, env={"COLUMNS": "400"})
    assert term.returncode == 0, term.stderr
    # (``##[`` anywhere in a line is a workflow command: its second # shows as \x23)
    assert name.replace("##[", "#\\x23[") in term.stdout
    assert "##[" not in term.stdout
    md = run_cli(command, *args, "--format", "markdown")
    assert md.returncode == 0, md.stderr
    piped = word.replace("|", "\\|")
    assert f"\\[bold\\]{piped}\\`\\<b\\> @&#8203;team" in md.stdout
    assert "##[" not in md.stdout
    # Outside code spans (a file, an input's path: literal there, a pipe escaped) nothing
    # of the name is read as Markdown.
    prose = re.sub(r"``.*?``|`[^`]*`", "", md.stdout)
    for raw in ("[bold]", word, "<b>", " @team", "*y*"):
        assert raw not in prose, raw
