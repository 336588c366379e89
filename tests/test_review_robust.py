"""Hostile review of ``mix --trials`` (design 9, "Robust plans"): the CSV's names and
shares, and ``--confidence`` as the command line takes it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli

SEED = 11
#: A name a spreadsheet would evaluate, holding a terminal escape (ESC [31m, BEL).
ODD = "=Steady\x1b[31m\x07"


def one_item(steady: str = "Steady") -> dict[str, Any]:
    """One item of 100 hours a month for 12 months (1,200 hours), total cost.

    Incumbent (the baseline) 40 an hour: 48,000. Risky U(20, 44), mean 32: 38,400 in
    expectation; it clears (saves at least 10% of the 48,000 it avoids, 4,800) when
    1,200 r <= 43,200, r <= 36: in 16/24 = 2/3 of the trials, under 0.8. Steady 35.5:
    42,600, saves 5,400 >= 4,800 in every trial. So the point pick (r = 32) is Risky,
    the robust pick at 0.8 is Steady (the next by expected metric, clearing always).
    """
    return {"version": 1, "name": "One item", "currency": "USD", "horizon_months": 12,
            "work": [{"name": "X", "kind": "recurring", "hours_per_month": 100,
                      "specialization": "low"}],
            "options": [{"name": "Incumbent", "model": "bpo", "hourly_rate": 40},
                        {"name": "Risky", "model": "bpo",
                         "hourly_rate": {"uniform": [20, 44]}},
                        {"name": steady, "model": "bpo", "hourly_rate": 35.5}],
            "decision": {"metric": "total", "min_savings": 0.1}}


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def robust_rows(stdout: str) -> list[dict[str, str]]:
    return [r for r in csv.DictReader(io.StringIO(stdout)) if r["role"] == "robust"]


def test_csv_robust_pick_names_are_escaped_and_not_formulas(tmp_path: Path) -> None:
    path = write(tmp_path, one_item(ODD))
    done = run_cli("mix", path, "--trials", "1000", "--seed", str(SEED), "--format", "csv")
    assert done.returncode == 0, done.stderr
    # No raw control character anywhere in the CSV (it was written raw in the 'best'
    # cell, while the same name in the plan column was escaped).
    assert "\x1b" not in done.stdout
    assert "\x07" not in done.stdout
    rows = {r["measure"]: r["value"] for r in robust_rows(done.stdout) if not r["plan"]}
    # The robust pick is ODD (by hand above), shown as the plan column shows it: the
    # escapes visible and an apostrophe so that a spreadsheet keeps it as text.
    assert rows["best"] == "'=Steady\\x1b[31m\\x07"
    assert rows["point"] == "Risky"
    named = {r["plan"] for r in robust_rows(done.stdout) if r["plan"]}
    assert "'=Steady\\x1b[31m\\x07" in named


def test_csv_lists_the_shares_of_each_robust_plan(tmp_path: Path) -> None:
    # Two items, Cheap serving only X at 30: X to Cheap saves 1,200 x 10 = 12,000 against
    # the 4,800 required, so Cheap+Steady (36,000 + 42,600 = 78,600) clears always and is
    # the robust pick at 0.8; the search names it "Mix #n", a name the file does not
    # hold: the CSV must say which work goes where.
    data = one_item()
    data["work"].append({**data["work"][0], "name": "Y"})
    data["options"].append({"name": "Cheap", "model": "bpo", "hourly_rate": 30,
                            "serves": ["X"]})
    path = write(tmp_path, data)
    done = run_cli("mix", path, "--trials", "1000", "--seed", str(SEED), "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = robust_rows(done.stdout)
    best = next(r["value"] for r in rows if r["measure"] == "best" and not r["plan"])
    assert best.startswith("Mix #")
    shares = {(r["item"], r["option"]): float(r["value"]) for r in rows
              if r["plan"] == best and r["measure"] == "share"}
    assert shares == {("X", "Cheap"): 1.0, ("Y", "Steady"): 1.0}
    figures = {r["measure"]: float(r["value"]) for r in rows
               if r["plan"] == best and r["measure"] in ("metric_mean", "p_clears")}
    assert figures == {"metric_mean": pytest.approx(78_600), "p_clears": 1.0}


@pytest.mark.parametrize("value", ["0", "0.0", "-0"])
def test_confidence_zero_is_refused_as_in_the_file(tmp_path: Path, value: str) -> None:
    # mix.confidence: 0 is an input error in a file; on the command line it made a plan
    # that clears in no trial (0% >= 0%) the robust pick, above the baseline's cost.
    path = write(tmp_path, one_item())
    done = run_cli("mix", path, "--trials", "100", "--confidence", value)
    assert done.returncode == 2
    assert "--confidence must be more than 0" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_confidence_without_trials_is_a_usage_error(tmp_path: Path) -> None:
    # It was silently ignored: the point search ran as if it had not been given.
    path = write(tmp_path, one_item())
    done = run_cli("mix", path, "--confidence", "0.9")
    assert done.returncode == 2
    assert "add --trials" in done.stderr
    assert "Traceback" not in done.stderr


def test_confidence_one_still_works(tmp_path: Path) -> None:
    # Steady clears in every trial (by hand above): 100% >= 100%, it stays the pick.
    path = write(tmp_path, one_item())
    done = run_cli("mix", path, "--trials", "500", "--seed", str(SEED), "--confidence", "1",
                   "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["mixes"][0]["robust"]["best"] == "Steady"


def point_not_judged() -> dict[str, Any]:
    """Three items of 1,200 hours; Incumbent 40 (48,000 an item, 144,000 in all).

    Volatile: 30 an hour, productivity U(0.3, 1.7), only X and Y. At the means (p = 1)
    36,000 an item, so the point pick is X, Y to Volatile, Z to Steady (34 an hour,
    40,800): 112,800, saving 31,200 >= 14,400, each Volatile move 4,800 >= 4,080. In
    expectation an item costs 36,000 x E[1/p] = 36,000 x ln(1.7/0.3)/1.4 = 44,604, so
    that plan expects 130,008, behind SSS 122,400, VSS and SVS 126,204 and the three
    plans with two Steady and one Incumbent (129,600): with --top 1 the head (five
    plans, ties kept) leaves it out. SSS clears always (21,600 >= 14,400; each move
    7,200 >= 4,800): the robust pick.
    """
    return {"version": 1, "name": "Point pick not judged", "currency": "USD",
            "horizon_months": 12,
            "work": [{"name": n, "kind": "recurring", "hours_per_month": 100,
                      "specialization": "low"} for n in ("X", "Y", "Z")],
            "options": [{"name": "Incumbent", "model": "bpo", "hourly_rate": 40},
                        {"name": "Volatile", "model": "bpo", "hourly_rate": 30,
                         "productivity": {"uniform": [0.3, 1.7]}, "serves": ["X", "Y"]},
                        {"name": "Steady", "model": "bpo", "hourly_rate": 34}],
            "decision": {"metric": "total", "min_savings": 0.1}}


def test_a_point_pick_that_was_not_judged_is_not_called_the_baseline(
        tmp_path: Path) -> None:
    # The sentence said "At the means Incumbent stays" while the point search above it
    # named Mix #1 as the best plan at the means.
    path = write(tmp_path, point_not_judged())
    done = run_cli("mix", path, "--trials", "2000", "--seed", "1", "--top", "1",
                   "--format", "json")
    assert done.returncode == 0, done.stderr
    entry = json.loads(done.stdout)["mixes"][0]["robust"]
    assert (entry["point"], entry["best"]) == ("Mix #1", "Steady")
    assert "Mix #1" not in {p["name"] for p in entry["plans"]}
    table = run_cli("mix", path, "--trials", "2000", "--seed", "1", "--top", "1",
                    env={"COLUMNS": "200"})
    assert table.returncode == 0, table.stderr
    assert "At the means Incumbent stays" not in table.stdout
    assert ("At the means the best plan is Mix #1, but over the trials it is not among the "
            "plans of lowest expected total cost (it was not judged); Steady has the lowest "
            "expected total cost (122,400)") in table.stdout


def test_the_same_when_no_plan_clears_often_enough() -> None:
    # The sentence alone: no plan judged clears enough, and the point pick was not judged.
    from kpo_calc.engine.robust import RobustResult
    from kpo_calc.render.robust_words import sentence

    r = RobustResult(trials=1000, seed=1, confidence=0.8, best="Today", point="Mix #1",
                     baseline="Today", plans=(), candidates=9)
    assert sentence(r, "total") == (
        "At the means the best plan is Mix #1, but over the trials it is not among the "
        "plans of lowest expected total cost (it was not judged). No plan clears in at "
        "least 80% of the 1,000 trials: Today stays.")
    same = RobustResult(trials=1000, seed=1, confidence=0.8, best="Today", point="Today",
                        baseline="Today", plans=(), candidates=9)
    assert sentence(same, "total") == (
        "No plan clears in at least 80% of the 1,000 trials: Today stays, as at the means.")
