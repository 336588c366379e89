"""A hostile review of ``simulate``, ``sensitivity`` and ``breakeven``: each test pins one
problem found and fixed (see the review's report)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import run_cli, two_vendors
from kpo_calc import cli
from kpo_calc.engine.sensitivity import BreakevenResult
from kpo_calc.render.tornado_words import breakeven_sentences, value_text


def write(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                    encoding="utf-8")
    return path


# --- the progress bar: a file path is not markup ---------------------------------------------

class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_label_with_brackets_is_not_read_as_markup(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Found: `simulate 'a[/b]/x.yaml'` on a terminal, over half a second, died with rich's
    # MarkupError ("closing tag '[/b]' ... doesn't match any open tag") and exit 3: the
    # bar's description is rich markup. The path must be shown as written.
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr(cli._Progress, "DELAY", 0.0)
    with cli._Progress("a[/b]/x[bold].yaml") as progress:
        progress(1, 2)
        progress(2, 2)
        assert progress.bar is not None
        shown = progress.bar.tasks[0].description
    assert shown == "a\\[/b]/x\\[bold].yaml"  # escaped, so rich prints a[/b]/x[bold].yaml


# --- breakeven: the message for a structural path --------------------------------------------

def test_breakeven_structural_path_says_why_once(tmp_path: Path) -> None:
    # Found: "--input 'horizon_months' sets the structure of the plan (sets the structure
    # of the plan (how many months are costed)), ..." - the reason was wrapped twice.
    path = write(tmp_path / "s.yaml", two_vendors())
    proc = run_cli("breakeven", path, "--input", "horizon_months")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert ("--input 'horizon_months' sets the structure of the plan (how many months are "
            "costed), so it has no switching value; choose a cost input") in proc.stderr
    assert proc.stderr.count("sets the structure of the plan") == 1


# --- breakeven: the end of an open range, and "nowhere" ---------------------------------------

def test_open_range_end_reads_just_above_zero(tmp_path: Path) -> None:
    # Found: "searched 4.940656e-324 … 550": hourly_rate must be > 0, so the search started
    # at the smallest float above 0. It now starts 0.1% of the current 50 above 0: 0.05,
    # to 50 + 10 × 50 = 550 (tests/test_breakeven.py); the crossing 40 is unchanged. A
    # value that close to 0 still reads "just above 0" wherever one is shown.
    path = write(tmp_path / "s.yaml", two_vendors())
    proc = run_cli("breakeven", path, "--input", "options[Challenger].hourly_rate")
    assert proc.returncode == 0, proc.stderr
    assert "e-324" not in proc.stdout
    assert "0.05 … 550" in proc.stdout
    assert "when options[Challenger].hourly_rate is 40 " in proc.stdout
    assert value_text(5e-324) == "just above 0"
    assert value_text(-5e-324) == "just below 0"
    assert value_text(0.0) == "0"
    assert value_text(1e-9) == "1e-09"  # a real lower bound (fx rates) stays a number
    assert value_text(48.95) == "48.95"
    assert value_text(33_000_000) == "33,000,000"


def _never_clears(clears_now: bool) -> BreakevenResult:
    return BreakevenResult(
        name="n", currency="USD", metric="total", input="options[X].hourly_rate",
        option="X", against="B", current=10.0, low=1.0, high=100.0, equal_at=None,
        clears_at=None, clears_now=clears_now)


def test_no_clearing_anywhere_is_said_plainly() -> None:
    # Found: "X does not clear the threshold everywhere between 0 and 1", which reads as
    # "not everywhere" (so somewhere it does); it never clears in the range.
    never = breakeven_sentences(_never_clears(False))[1]
    assert never == "X does not clear the threshold anywhere between 1 and 100."
    always = breakeven_sentences(_never_clears(True))[1]
    assert always == "X clears the threshold everywhere between 1 and 100."


# --- sensitivity: an empty "Switches at" ------------------------------------------------------

def test_tornado_row_without_switch_shows_a_dash(tmp_path: Path) -> None:
    # Found: on a terminal too narrow for the tornado table (records, one block per input)
    # an input that does not flip the decision printed a bare "Switches at" label.
    # Here the challenger at 1,200 × 50 = 60,000 never clears against 48,000 within ±20%
    # of its rate (40..60: 48,000..72,000, it must cost at most 43,200), so the hours
    # per FTE row (it moves neither bpo) has no switching value.
    path = write(tmp_path / "s.yaml", two_vendors())
    proc = run_cli("sensitivity", path, env={"COLUMNS": "60"})
    assert proc.returncode == 0, proc.stderr
    lines = [line.rstrip() for line in proc.stdout.splitlines()]
    switches = [line for line in lines if line.startswith("Switches at")]
    assert switches, proc.stdout
    assert all(line != "Switches at" for line in switches), proc.stdout
    assert "Switches at      —" in lines


# --- simulate at 80 columns --------------------------------------------------------------------

def test_simulate_at_80_columns_keeps_titles_and_legends_readable(tmp_path: Path) -> None:
    # Found: at COLUMNS=80 the alternatives table split into "part 1 of 2" and a
    # "part 2 of 2" holding only Picked, whose title and legend wrapped in a column 20
    # cells wide ("Alternatives over / 2,000 trials (NPV; / savings against / ...").
    # Now two tables with their own titles; no line is wider than 80 and no part split.
    data = two_vendors({"uniform": [30, 50]})
    data["work"][0]["hours_per_month"] = 10_000  # costs of 4.8 million: 9-digit cells
    data["options"].append({"name": "A much longer alternative name", "model": "bpo",
                            "hourly_rate": {"uniform": [35, 45]}})
    path = write(tmp_path / "s.yaml", data)
    proc = run_cli("simulate", path, "--trials", "200", env={"COLUMNS": "80"})
    assert proc.returncode == 0, proc.stderr
    assert "part 1 of" not in proc.stdout
    assert "part 2 of" not in proc.stdout
    assert all(len(line) <= 80 for line in proc.stdout.splitlines())
    words = " ".join(proc.stdout.split())
    assert "How often each alternative is cheapest, clears and is picked" in words
    assert "Mean: the metric's mean; Savings: their mean against the baseline" in words
    assert "Picked" in proc.stdout
    assert "Cheapest" in proc.stdout
    # the same run at 120 columns is still one table with one legend
    wide = run_cli("simulate", path, "--trials", "200", env={"COLUMNS": "120"})
    assert "How often each alternative" not in wide.stdout
    assert "Picked: the share of trials." in " ".join(wide.stdout.split())


# --- CSV: what the JSON says, the CSV says -----------------------------------------------------

def test_csv_keeps_the_switch_target_and_the_searched_range(tmp_path: Path) -> None:
    # Found: the sensitivity CSV dropped ``switches_to`` (which alternative the decision
    # flips to) and the breakeven CSV dropped the searched range, both in the JSON.
    # By hand: the challenger's rate moves ±20% of 50, 40..60; it clears at 1,200 r ≤
    # 43,200, r ≤ 36 (tests/test_breakeven.py), outside 40..60, so no switch there; with
    # the rate at 35 (40..60 becomes 28..42, 36 inside) the pick flips to the incumbent.
    # The alternative is named "=Challenger", which a spreadsheet would evaluate: it is
    # written with a leading apostrophe, as every text cell.
    data = two_vendors(35.0)
    data["options"][1]["name"] = "=Challenger"
    path = write(tmp_path / "s.yaml", data)
    proc = run_cli("sensitivity", path, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = [line.split(",") for line in proc.stdout.splitlines()]
    rate = [r for r in rows if r[5] == "options[=Challenger].hourly_rate"]
    assert {r[7]: r[8] for r in rate}["switching_value"] == "36.0"
    assert {r[7]: r[8] for r in rate}["switches_to"] == "Incumbent"
    hours = [r for r in rows if r[5] == "hours_per_fte_month"]
    assert {r[7]: r[8] for r in hours}["switches_to"] == ""
    proc = run_cli("breakeven", path, "--input", "options[=Challenger].hourly_rate",
                   "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    values = {r[6]: r[7] for r in (line.split(",") for line in proc.stdout.splitlines()[1:])}
    assert values["searched_high"] == "385.0"  # 35 + 10 × 35
    assert float(values["searched_low"]) > 0
    assert values["equal_at"] == "40.0"
    assert proc.stdout.splitlines()[1].split(",")[4] == "'=Challenger"
