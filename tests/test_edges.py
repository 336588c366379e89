"""Edges the other tests pass by: the bug handler, a gate without a condition, work that
runs past the horizon, and scenarios where no alternative (or no option) can do the work."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
import yaml

from conftest import TINY, run_cli, tiny_data
from kpo_calc import api
from kpo_calc.engine.decision import recommend
from kpo_calc.render.wording import reason
from test_decision import option
from test_engine_tiny import TEAM_MONTHLY, VENDOR_ALT_MONTHLY, WIND_DOWN, npv

TINY_LINES = TINY.count("\n")


def line_of(text: str, fragment: str) -> int:
    """1-based line number of the first line containing ``fragment``."""
    return text[:text.index(fragment)].count("\n") + 1


# The exit-3 handler (cli.run): an unexpected exception is reported as a bug.

def test_an_unexpected_exception_exits_3_as_a_bug(write_scenario,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("injected for the test")

    monkeypatch.setattr(api, "compare_files", broken)
    before = gc.get_threshold()
    proc = run_cli("compare", write_scenario())
    assert proc.returncode == 3
    assert proc.stdout == ""
    assert proc.stderr.startswith("kpo-calc: internal error (this is a bug; please report it "
                                  "with the input file):\nTraceback (most recent call last):\n")
    assert "in broken" in proc.stderr  # the traceback reaches the failing frame
    assert proc.stderr.endswith("ZeroDivisionError: injected for the test\n")
    assert gc.get_threshold() == before  # the runner undoes cli.run's GC tuning


def test_keyboard_interrupt_exits_130(write_scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    # Typer turns an interrupt inside a command into exit 130 (128 + SIGINT), quietly.
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "compare_files", interrupted)
    proc = run_cli("compare", write_scenario())
    assert (proc.returncode, proc.stdout) == (130, "")
    assert "Traceback" not in proc.stderr


# A gate names an option but gives no condition: an error, not a gate that always passes.

def test_a_gate_without_a_condition_is_an_error(write_scenario) -> None:
    text = TINY + "decision:\n  gates:\n    - option: Vendor\n"
    path = write_scenario(text)
    proc = run_cli("compare", path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    # The gate's mapping starts after "    - " on the file's last line.
    assert proc.stderr == (f"{path}:{TINY_LINES + 3}:7: decision.gates[0]: give min_savings, "
                           "max_total_cost or both: a gate needs a condition\n")
    assert run_cli("validate", path).returncode == 2


def test_a_gate_with_one_condition_is_enough(write_scenario) -> None:
    # Vendor's part of the recommended vendor alternative costs 222,140 + its 18,000
    # ramp-up (0.5 x 3 months x 12,000 fees of month 1) = 240,140 (Team's 60,000
    # wind-down is Team's part): a budget of exactly that passes.
    path = write_scenario(TINY + "decision:\n  gates:\n    - option: Vendor\n"
                          "      max_total_cost: 240140\n")
    proc = run_cli("compare", "--format", "json", path)
    assert proc.returncode == 0, proc.stderr
    (gate,) = json.loads(proc.stdout)["scenarios"][0]["gates"]
    assert (gate["name"], gate["passed"]) == ("budget", True)


# end_month: the last month of recurring work must fall inside the horizon (14 months).

@pytest.mark.parametrize(("end_month", "accepted"), [(13, True), (14, True), (15, False),
                                                     (240, False)])
def test_end_month_past_the_horizon(write_scenario, end_month: int, accepted: bool) -> None:
    text = TINY.replace("    growth: 0.2\n", f"    growth: 0.2\n    end_month: {end_month}\n")
    path = write_scenario(text)
    proc = run_cli("compare", "--format", "json", path)
    if accepted:
        assert proc.returncode == 0, proc.stderr
        return
    assert proc.returncode == 2
    line = line_of(text, "end_month:")
    column = len("    end_month: ") + 1
    assert (f"{path}:{line}:{column}: work[0].end_month: ends in month {end_month}, after the "
            "horizon of 14 months; lower it or raise horizon_months") in proc.stderr
    (error,) = json.loads(proc.stdout)["errors"]
    assert (error["line"], error["column"]) == (line, column)


def test_end_month_shortens_the_work(write_scenario) -> None:
    # Analysis stops after month 12 and the study ended in month 4: months 13-14 have no
    # demand, and a vendor bills only from the first to the last month with demand (design
    # section 4), so its minimum of 400 h does not apply there: nothing is billed.
    data = tiny_data()
    data["work"][0]["end_month"] = 12
    data["stress"] = []
    result = api.compare(write_scenario(data))
    vendor = result.option("Vendor")
    assert result.total_hours == pytest.approx(250 + 3 * 350 + 8 * 250)  # 3,300
    # (Team's 2 existing staff are released in month 1 in this alternative: WIND_DOWN.)
    assert vendor.monthly[:12] == pytest.approx(VENDOR_ALT_MONTHLY[:12])
    assert vendor.monthly[12:] == (0.0, 0.0)
    assert vendor.total_cost == pytest.approx(sum(VENDOR_ALT_MONTHLY[:12]))  # 300,140 - 32,602.5


# No feasible alternative: the baseline stays, whatever the alternatives cost.

def test_every_alternative_infeasible_keeps_the_baseline(write_scenario) -> None:
    data = tiny_data()
    data["options"][1]["model"] = "bpo"  # a BPO serves up to low specialization; the work
    data["options"][1]["max_specialization"] = "low"  # is medium
    proc = run_cli("compare", "--format", "json", write_scenario(data))
    assert proc.returncode == 0, proc.stderr
    (scenario,) = json.loads(proc.stdout)["scenarios"]
    team, vendor = scenario["options"]
    assert (team["feasible"], vendor["feasible"]) == (True, False)
    assert vendor["infeasible_reasons"] == [
        "'Analysis' needs medium specialization; Vendor serves up to low",
        "'Study' needs medium specialization; Vendor serves up to low"]
    # The vendor is far cheaper (222,140 + 18,000 ramp-up + 60,000 wind-down of Team's
    # staff, against 688,735) but cannot do the work.
    assert vendor["total_cost"] == pytest.approx(222_140 + 18_000 + WIND_DOWN)
    assert scenario["recommendation"] == {
        "option": "Team", "baseline": "Team", "savings": 0.0, "savings_pct": 0.0,
        "clears_threshold": False,
        "reason": "No alternative can do all the work, so Team stays."}


def test_an_infeasible_baseline_hands_over_to_a_feasible_option(write_scenario) -> None:
    # The baseline is a BPO that cannot do medium work; the team can, though it costs more.
    data = tiny_data()
    data["options"][1]["model"] = "bpo"
    data["decision"] = {"baseline": "Vendor"}
    result = api.compare(write_scenario(data))
    rec = result.recommendation
    # Team's existing staff take part in the Vendor alternative too (wind-down in month 1).
    saved = npv(VENDOR_ALT_MONTHLY) - npv(TEAM_MONTHLY)  # negative: the team costs more
    assert (rec.option, rec.baseline, rec.clears_threshold) == ("Team", "Vendor", False)
    assert rec.savings == pytest.approx(saved)
    assert reason(rec) == (
        "The baseline Vendor cannot do all the work ('Analysis' needs medium specialization; "
        f"Vendor serves up to low); Team is the cheapest feasible alternative by NPV "
        f"(USD {npv(TEAM_MONTHLY):,.0f}).")


def test_no_option_can_do_the_work_is_an_input_error(write_scenario) -> None:
    data = tiny_data()
    data["work"][1]["specialization"] = "high"
    data["options"][0] = {**data["options"][1], "name": "Vendor B", "model": "bpo"}
    data["options"][1]["max_specialization"] = "medium"
    text = yaml.safe_dump(data, sort_keys=False)
    path = write_scenario(text)
    proc = run_cli("compare", path)
    assert proc.returncode == 2
    line = line_of(text, "specialization: high")
    column = len("  specialization: ") + 1
    assert proc.stderr.startswith(
        f"{path}:{line}:{column}: work[1].specialization: high specialization is beyond every "
        "option (max_specialization)")


def test_recommend_refuses_when_nothing_is_feasible() -> None:
    # The scenario check above forbids it; a library caller gets a plain error, not a pick.
    options = [option("Base", 1000, feasible=False), option("A", 500, feasible=False)]
    with pytest.raises(ValueError, match="no feasible option"):
        recommend(options, "Base", "npv", 0.10, "USD")


# Output that cannot be written is bad input (exit 2), not a bug.

def test_an_unwritable_output_file_exits_2_and_leaves_nothing(write_scenario,
                                                              tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "report.json"
    proc = run_cli("compare", "-f", "json", "-o", target, write_scenario())
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == (f"{target}: cannot write: the folder does not exist; "
                           "create it first\n")
    assert not target.parent.exists()


def test_an_unwritable_step_summary_exits_2(write_scenario, tmp_path: Path) -> None:
    folder = tmp_path / "summary-is-a-folder"
    folder.mkdir()
    proc = run_cli("compare", write_scenario(), "--step-summary",
                   env={"GITHUB_STEP_SUMMARY": str(folder)})
    assert proc.returncode == 2
    assert proc.stderr.endswith(f"kpo-calc: --step-summary: {folder}: is a directory; only a "
                                "regular file is appended to\n")
    assert list(folder.iterdir()) == []
