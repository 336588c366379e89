"""The command line as users and CI jobs run it: streams, formats, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SCENARIOS, TINY, run_cli, run_json, tiny_data
from test_engine_tiny import VENDOR_ALT_MONTHLY, npv

EQUITY = SCENARIOS / "equity-research-india.yaml"


def test_version() -> None:
    from kpo_calc import __version__

    proc = run_cli("--version")
    assert proc.returncode == 0
    assert proc.stdout == f"kpo-calc {__version__}\n"


def test_compare_table_on_an_example() -> None:
    proc = run_cli("compare", EQUITY)
    assert proc.returncode == 0, proc.stderr
    for heading in ("Cost over 36 months (USD)", "Cost by line (USD)", "Flexibility",
                    "Scorecard", "Verdict", "Recommendation: Captive centre India"):
        assert heading in proc.stdout
    assert "\x1b[" not in proc.stdout  # no colour when not on a terminal
    # no warning: the example prices the hours its hiring lead time leaves unmet
    assert proc.stderr == ""


def test_color_always_overrides_no_color() -> None:
    proc = run_cli("compare", "--color", "always", EQUITY)
    assert "\x1b[" in proc.stdout


def test_columns_sets_the_table_width(write_scenario) -> None:
    path = write_scenario()
    narrow = run_cli("compare", path, env={"COLUMNS": "70"}).stdout
    wide = run_cli("compare", path, env={"COLUMNS": "160"}).stdout
    assert max(len(line) for line in narrow.splitlines()) <= 70
    assert max(len(line) for line in wide.splitlines()) > 70


def test_json_is_deterministic_and_follows_the_contract(write_scenario) -> None:
    path = write_scenario()
    first = run_cli("compare", "--format", "json", path)
    second = run_cli("compare", "--format", "json", path)
    assert first.returncode == 0
    assert first.stdout == second.stdout  # byte-identical
    doc = json.loads(first.stdout)
    assert doc["schema_version"] == 1
    assert doc["tool"]["name"] == "kpo-calc"
    assert doc["errors"] == []
    (scenario,) = doc["scenarios"]
    assert {"file", "name", "currency", "horizon_months", "baseline", "options",
            "recommendation"} <= set(scenario)
    team, vendor = scenario["options"]
    expected_keys = {
        "name", "model", "feasible", "infeasible_reasons", "one_time_cost", "recurring_cost",
        "total_cost", "npv", "risk_cost", "risk_adjusted_total", "risk_adjusted_npv",
        "cost_per_hour", "savings_vs_baseline", "savings_pct", "breakeven_month", "lines",
        "monthly", "flexibility", "kind", "assign", "by_option", "unmet_hours"}
    assert expected_keys <= set(team)
    # Amounts in cents (hand figures from test_engine_tiny): 688,735 for the team, and
    # 240,140 for the vendor plus 60,000 severance of Team's 2 existing staff (design 7).
    assert scenario["methodology"] == 3
    assert team["total_cost"] == 688735.0
    assert vendor["total_cost"] == 300140.0
    assert vendor["by_option"]["Vendor"]["total_cost"] == 240140.0
    assert (vendor["kind"], vendor["assign"]) == ("option", {"Analysis": {"Vendor": 1.0},
                                                             "Study": {"Vendor": 1.0}})
    assert vendor["unmet_hours"] == 0
    assert team["cost_per_hour"] == round(688_735 / 3_900, 2)   # 176.60
    assert team["unmet_hours"] == 50.0       # month 1, before the team can hire
    assert vendor["lines"]["vendor_fees"] == 183600.0
    assert len(team["monthly"]) == 14
    assert team["monthly"][0] == 30270.0
    assert set(vendor["flexibility"]) >= {"scale_up_lead_months", "scale_down_lag_months",
                                          "cost_to_shed_fte", "stress"}
    # The Rise stress test, month by month as in test_engine_tiny.test_stress_rise:
    # m7-m9 the vendor still bills 400 h and 100 h go unmet at 50 USD; month 1 carries the
    # 18,000 ramp-up (0.5 x 3 months x 12,000 fees) and Team's 60,000 wind-down.
    vendor_rise = [*VENDOR_ALT_MONTHLY[:6], *[400 * 30 * 1.15 + 100 * 50] * 3,
                   *[525 * 30 * 1.15] * 3, *[630 * 31.5 * 1.15] * 2]
    rise = vendor["flexibility"]["stress"][1]
    assert sum(vendor_rise) == pytest.approx(263_118.5 + 18_000 + 60_000)
    assert rise.pop("npv") == pytest.approx(npv(vendor_rise), abs=0.01)  # JSON keeps cents
    assert rise == {"name": "Rise", "total_cost": 341118.5, "delta_vs_base": 40978.5,
                    "unmet_hours": 300.0, "unmet_cost": 15000.0}
    assert set(scenario["recommendation"]) == {"option", "baseline", "savings", "savings_pct",
                                               "clears_threshold", "reason"}


def test_gate_failure_exits_1(write_scenario) -> None:
    data = tiny_data()
    data["decision"] = {"expect": "Team"}
    proc = run_cli("compare", write_scenario(data))
    assert proc.returncode == 1
    assert "gate expect failed: expected the recommendation to be Team, but it is Vendor" \
        in proc.stderr
    assert "Gate expect FAIL" in proc.stdout


def test_gate_pass_exits_0(write_scenario) -> None:
    data = tiny_data()
    data["decision"] = {"expect": "Vendor"}
    assert run_cli("compare", write_scenario(data)).returncode == 0


def test_invalid_scenario_exits_2_without_traceback(write_scenario) -> None:
    path = write_scenario(TINY.replace("benefits_rate: 0.25", "benefits_rate: 25"))
    proc = run_cli("compare", path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert f"{path}:24:20: options[0].benefits_rate: must be at most 1, got 25" in proc.stderr
    assert "did you mean 0.25?" in proc.stderr


def test_missing_file_exits_2() -> None:
    proc = run_cli("compare", "no/such/file.yaml")
    assert proc.returncode == 2
    assert "no/such/file.yaml: no such file" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unknown_format_is_a_usage_error() -> None:
    proc = run_cli("compare", "--format", "xml", EQUITY)
    assert proc.returncode == 2
    assert "xml" in proc.stderr


def test_json_lists_errors_and_keeps_stdout_parseable(write_scenario) -> None:
    good = write_scenario(name="good.yaml")
    bad = write_scenario(TINY.replace("kind: one_off", "kind: once"), name="bad.yaml")
    code, doc = run_json(good, bad)
    assert code == 2
    assert [s["name"] for s in doc["scenarios"]] == ["Tiny"]
    (error,) = doc["errors"]
    assert error["file"] == str(bad)
    assert (error["line"], error["column"]) == (15, 11)
    assert "must be one of recurring, one_off" in error["message"]


def test_output_file_is_written_and_nothing_on_failure(write_scenario, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    proc = run_cli("compare", "-f", "json", "-o", out, write_scenario())
    assert proc.returncode == 0
    assert proc.stdout == ""
    assert json.loads(out.read_text())["scenarios"][0]["name"] == "Tiny"

    out2 = tmp_path / "never.json"
    bad = write_scenario("version: 1\n", name="bad.yaml")
    assert run_cli("compare", "-f", "json", "-o", out2, bad).returncode == 2
    assert not out2.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_help_for_every_command_and_option() -> None:
    proc = run_cli("--help")
    assert proc.returncode == 0
    assert "compare" in proc.stdout
    proc = run_cli("compare", "--help")
    for option in ("--format", "--output", "--color"):
        assert option in proc.stdout
