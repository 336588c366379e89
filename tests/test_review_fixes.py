"""What a hostile review of plans and methodology 2 broke, fixed at the root: names that look
alike, bounds that let a figure explode, one number reader for the command line, no write
into an input, every mark on a column header."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli

BASE = """\
version: 1
name: Small plan case
currency: USD
horizon_months: 12
hours_per_fte_month: 100
fx: {INR: {rate: 0.012, drift: -0.05}}
work:
  - {name: Entry, kind: recurring, hours_per_month: 200, specialization: low}
  - {name: Analysis, kind: recurring, hours_per_month: 100, specialization: high}
options:
  - {name: Team, model: in_house, annual_salary: 60000, benefits_rate: 0.2, existing_fte: 3}
  - {name: BPO, model: bpo, currency: INR, hourly_rate: 1000, withholding_tax_rate: 0.1}
  - {name: KPO, model: kpo, hourly_rate: 20}
plans:
  - {name: Split, assign: {Entry: BPO, Analysis: Team}}
  - {name: Shared, assign: {Entry: {BPO: 0.5, Team: 0.5}, Analysis: KPO}}
decision: {baseline: Split}
"""
SHARED_LINE = 16  # the line of the plan named Shared (the 16th of BASE)


def scenario(tmp_path: Path, old: str = "", new: str = "", name: str = "s.yaml") -> Path:
    assert old in BASE
    path = tmp_path / name
    path.write_text(BASE.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "message"), [
    ('" KPO "', "plans[1].name: starts or ends with a space; remove it"),
    ('"kpo"', "plans[1].name: the name 'kpo' looks the same as 'KPO' (options[2]) once case, "
              "spacing and invisible characters are ignored; options and plans share one "
              "namespace, so rename the plan"),
    ('"Split\\u00a0"', "plans[1].name: starts or ends with a space"),  # a no-break space
    ('"S\\u200bplit"', "plans[1].name: the name 'S\\u200bplit' looks the same as 'Split' "
                       "(plans[0])"),
])
def test_names_that_look_alike_are_refused(tmp_path: Path, name: str, message: str) -> None:
    path = scenario(tmp_path, "name: Shared", f"name: {name}")
    proc = run_cli("validate", path)
    assert proc.returncode == 2
    assert f"{path}:{SHARED_LINE}:12: {message}" in proc.stderr


def test_shares_show_how_far_from_one_they_sum(tmp_path: Path) -> None:
    path = scenario(tmp_path, "{BPO: 0.5, Team: 0.5}", "{BPO: 0.5000001, Team: 0.5}")
    proc = run_cli("validate", path)
    assert proc.returncode == 2
    # 0.5000001 + 0.5 = 1.0000001, shown as such (not rounded to "1")
    assert "the shares of 'Entry' sum to 1.0000001; they must sum to 1 within 1e-09" \
        in proc.stderr


@pytest.mark.parametrize(("old", "new", "message"), [
    ("withholding_tax_rate: 0.1", "withholding_tax_rate: 0.999999",
     "options[1].withholding_tax_rate: must be at most 0.6, got 0.999999 (a sanity bound"),
    ("rate: 0.012", "rate: 1.0e-300", "fx.INR.rate: must be at least 1e-09, got 1e-300"),
    ("drift: -0.05", "drift: -1", "fx.INR.drift: must be at least -0.9, got -1"),
])
def test_bounds_that_keep_figures_sane(tmp_path: Path, old: str, new: str,
                                       message: str) -> None:
    proc = run_cli("validate", scenario(tmp_path, old, new))
    assert proc.returncode == 2
    assert message in proc.stderr


def test_no_percent_hint_just_past_a_bound(tmp_path: Path) -> None:
    path = scenario(tmp_path, "withholding_tax_rate: 0.1}",
                    "withholding_tax_rate: 0.1, risks: [{name: R, probability: 1.0000001, "
                    "impact: 10}]}")
    proc = run_cli("validate", path)
    assert proc.returncode == 2
    assert "must be at most 1, got 1.0000001" in proc.stderr
    assert "did you mean" not in proc.stderr  # 1.0000001 is no percentage


def test_an_implausible_cost_ratio_stays_short(tmp_path: Path) -> None:
    # At the smallest fx rate the BPO costs 1000 x 1e-9 = 1e-6 USD an hour against the
    # others' 20 (KPO) and 60000 x 1.2 / 12 / 100 = 60 (Team): a ratio of about 4e7.
    path = scenario(tmp_path, "rate: 0.012", "rate: 1.0e-9")
    proc = run_cli("validate", path)
    assert proc.returncode == 0
    (warning,) = [w for w in proc.stderr.splitlines() if "per delivered hour" in w]
    assert "4.0e+07x less than" in warning
    assert len(warning) < 400


def test_a_budget_past_its_bound_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_cli("compare", scenario(tmp_path), "--budget", "Shared=1e16")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr.endswith("kpo-calc: --budget takes an amount from 0 to 1e+15 (a sanity "
                                "bound, as for decision.gates), got 1e16\n")


def test_the_step_summary_is_never_an_input(tmp_path: Path) -> None:
    path = scenario(tmp_path)
    proc = run_cli("compare", path, "--step-summary", env={"GITHUB_STEP_SUMMARY": str(path)})
    assert proc.returncode == 2
    assert "is an input of this run; refusing to append to it" in proc.stderr
    assert path.read_text(encoding="utf-8") == BASE


def test_every_mark_of_an_alternative_is_shown(tmp_path: Path) -> None:
    # The baseline plan gives Analysis (high) to the BPO (low): it is a plan, the baseline
    # and not feasible, and each format says all three.
    path = scenario(tmp_path, "Analysis: Team}", "Analysis: BPO}")
    table = run_cli("compare", path, env={"COLUMNS": "200"})
    assert table.returncode == 0, table.stderr
    assert "(baseline, plan, not feasible)" in table.stdout
    markdown = run_cli("compare", "--format", "markdown", path)
    assert "Split (baseline, plan, not feasible)" in markdown.stdout
    assert "Shared (plan)" in markdown.stdout


def test_mix_appends_its_markdown_report_to_the_step_summary(tmp_path: Path) -> None:
    path = scenario(tmp_path)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    proc = run_cli("mix", path, "--step-summary", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert proc.returncode == 0, proc.stderr
    markdown = run_cli("mix", "--format", "markdown", path).stdout

    assert summary.read_text(encoding="utf-8") == "earlier step\n" + markdown + "\n"
    refused = run_cli("mix", path, "--step-summary", env={"GITHUB_STEP_SUMMARY": str(path)})
    assert refused.returncode == 2
    assert path.read_text(encoding="utf-8") == BASE
