"""CI and batch use: many files, every format, gates, diff, GitHub integration."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SCENARIOS, TINY, run_cli, run_json, tiny_data
from kpo_calc import api
from kpo_calc.formats import REGISTRY, choices
from kpo_calc.render import RenderOptions, renderer
from test_engine_tiny import TEAM_MONTHLY, VENDOR_ALT_MONTHLY, VENDOR_MONTHLY, WIND_DOWN, npv

EXAMPLES = sorted(SCENARIOS.glob("*.yaml"))


@pytest.mark.parametrize("command", sorted(REGISTRY))
def test_every_registered_format_has_a_renderer_and_is_a_choice(command: str) -> None:
    # The registry is the only list: the command line offers exactly its formats.
    for name in choices(command):
        assert callable(renderer(command, name))
    out = run_cli(command, "--help", env={"COLUMNS": "200"})
    assert f"[{'|'.join(choices(command))}]" in out.stdout
    wrong = run_cli(command, "x.yaml", *(["x.yaml"] if command == "diff" else []),
                    "--format", "xml")
    assert wrong.returncode == 2
    assert "'xml' is not one of " + ", ".join(choices(command)) in wrong.stderr


def test_a_format_is_matched_without_regard_to_case() -> None:
    out = run_cli("compare", str(SCENARIOS / "legal-document-review.yaml"), "-f", "JSON")
    assert out.returncode == 0
    assert json.loads(out.stdout)["scenarios"][0]["name"]


@pytest.mark.parametrize("fmt", choices("compare"))
def test_every_format_renders_every_example(fmt: str) -> None:
    outcomes = api.compare_files(EXAMPLES)
    render = renderer("compare", fmt)
    together = render(outcomes, RenderOptions(width=120))
    for outcome in outcomes:
        alone = render([outcome], RenderOptions(width=120))
        assert outcome.result is not None
        assert outcome.result.recommendation.option in alone
        assert outcome.result.recommendation.option in together
    if fmt == "json":
        assert len(json.loads(together)["scenarios"]) == len(EXAMPLES)
    if fmt == "csv":
        assert {r["scenario"] for r in csv.DictReader(io.StringIO(together))} == {
            o.result.name for o in outcomes if o.result}


def test_json_stdout_parses_when_there_are_warnings(write_scenario) -> None:
    # The tiny team cannot hire before month 2 and unmet hours have no price here.
    data = tiny_data()
    del data["unmet_hour_cost"]
    data["stress"] = []
    proc = run_cli("compare", "--format", "json", write_scenario(data))
    assert proc.returncode == 0
    assert "warning:" in proc.stderr
    doc = json.loads(proc.stdout)
    (warning,) = doc["warnings"]
    assert warning["path"] == "options[0].time_to_hire_months"
    assert doc["errors"] == []


def test_csv_read_back_equals_the_json_figures() -> None:
    code, doc = run_json(*EXAMPLES)
    assert code == 0
    proc = run_cli("compare", "--format", "csv", *EXAMPLES)
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert rows[0].keys() == {"file", "scenario", "currency", "option", "model", "feasible",
                              "recommended", "section", "item", "measure", "month", "value",
                              "note"}
    index = {(r["file"], r["option"], r["section"], r["item"], r["measure"], r["month"]):
             r["value"] for r in rows}
    checked = 0
    for s in doc["scenarios"]:
        for o in s["options"]:
            key = (s["file"], o["name"])
            for measure in ("total_cost", "npv", "risk_adjusted_npv", "cost_per_hour",
                            "savings_pct"):
                assert float(index[(*key, "result", "", measure, "")]) == o[measure]
                checked += 1
            breakeven = index[(*key, "result", "", "breakeven_month", "")]
            assert breakeven == ("" if o["breakeven_month"] is None
                                 else str(o["breakeven_month"]))
            for line, amount in o["lines"].items():
                assert float(index[(*key, "line", line, "amount", "")]) == amount
                checked += 1
            for month, amount in enumerate(o["monthly"], start=1):
                assert float(index[(*key, "monthly", "", "cost", str(month))]) == amount
                checked += 1
            for test in o["flexibility"]["stress"]:
                assert float(index[(*key, "stress", test["name"], "unmet_hours", "")]) == \
                    test["unmet_hours"]
        rec = s["recommendation"]
        assert index[(s["file"], rec["option"], "recommendation", "", "clears_threshold",
                      "")] == str(rec["clears_threshold"]).lower()
    assert checked > 500


def test_csv_neutralises_formulas(write_scenario) -> None:
    data = tiny_data()
    data["name"] = "=HYPERLINK(\"http://x\",\"y\")"
    data["options"][1]["name"] = "+Vendor"
    data["decision"] = {"baseline": "Team"}
    proc = run_cli("compare", "--format", "csv", write_scenario(data))
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert {r["scenario"] for r in rows} == {"'=HYPERLINK(\"http://x\",\"y\")"}
    assert {r["option"] for r in rows} == {"Team", "'+Vendor"}
    # numbers stay numbers, negative ones included
    deltas = [float(r["value"]) for r in rows if r["measure"] == "delta_vs_base"]
    assert min(deltas) < 0


def test_batch_with_a_broken_file_computes_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    (folder / "nested").mkdir(parents=True)
    (folder / "b.yaml").write_text(TINY)
    (folder / "nested" / "a.yml").write_text(TINY.replace("name: Tiny", "name: Tiny A"))
    (folder / "broken.yaml").write_text(TINY.replace("kind: one_off", "kind: once"))
    (folder / "notes.txt").write_text("not a scenario")
    code, doc = run_json(folder)
    assert code == 2
    assert [s["file"] for s in doc["scenarios"]] == [str(folder / "b.yaml"),
                                                      str(folder / "nested" / "a.yml")]
    assert [e["file"] for e in doc["errors"]] == [str(folder / "broken.yaml")]
    table = run_cli("compare", folder, env={"COLUMNS": "1000"})  # a row a file, any tmp path
    assert table.returncode == 2
    lines = table.stdout.splitlines()
    assert lines[0].startswith("Summary of 3 scenario files")
    assert any(str(folder / "broken.yaml") in line and "invalid: 1 error" in line
               for line in lines[:8])


def test_paths_are_expanded_sorted_and_deduplicated(tmp_path: Path) -> None:
    for name in ("c.yaml", "a.yaml", "b.yml"):
        (tmp_path / name).write_text(TINY)
    paths, problems = api.expand_paths([str(tmp_path / "c.yaml"), str(tmp_path / "*.y*ml"),
                                        str(tmp_path)])
    assert paths == [str(tmp_path / n) for n in ("a.yaml", "b.yml", "c.yaml")]
    assert problems == []
    paths, problems = api.expand_paths([str(tmp_path / "*.json"), str(tmp_path / "empty")])
    assert paths == [str(tmp_path / "empty")]  # a missing path is reported when read
    assert [p.diagnostics[0].message for p in problems] == ["no file matches this pattern"]


# Gates. The tiny scenario's vendor alternative saves 55.9% of the team's NPV and costs
# 300,140 in total (test_engine_tiny works both out by hand).

def test_gates_from_the_command_line(write_scenario) -> None:
    path = write_scenario()
    # Vendor is recommended; a budget on it holds its part of that alternative: 240,140
    # (222,140 of fees and 18,000 of ramp-up), not the 60,000 wind-down of Team's staff.
    # --min-savings is on the verdict's base, the cost avoided: Team's NPV less its
    # 60,000 wind-down (month 1) in the Vendor alternative.
    avoided = npv(TEAM_MONTHLY) - npv([WIND_DOWN] + [0] * 13)
    share = (npv(TEAM_MONTHLY) - npv(VENDOR_ALT_MONTHLY)) / avoided
    assert round(share * 100, 1) == 61.5
    assert run_cli("compare", path, "--min-savings", "Vendor=0.61",
                   "--budget", "Vendor=240140").returncode == 0
    proc = run_cli("compare", path, "--min-savings", "Vendor=0.7", "--budget", "Vendor=240000")
    assert proc.returncode == 1
    assert (f"gate min_savings failed: Vendor saves {share * 100:.1f}% of the cost it avoids "
            f"(USD {avoided:,.0f} by NPV), less than the required 70%") in proc.stderr
    assert "gate budget failed: Vendor costs USD 240,140 in the recommended alternative " \
        "(Vendor), over its budget of USD 240,000 by USD 140" in proc.stderr
    assert run_cli("compare", path, "--expect", "Team").returncode == 1
    assert run_cli("compare", path, "--expect", "Vendor").returncode == 0


def test_gates_declared_in_the_scenario(write_scenario) -> None:
    data = tiny_data()
    data["decision"] = {"gates": [{"option": "Vendor", "min_savings": 0.7},
                                  {"option": "Team", "max_total_cost": 800000}]}
    code, doc = run_json(write_scenario(data))
    assert code == 1
    gates = doc["scenarios"][0]["gates"]
    assert [(g["name"], g["passed"]) for g in gates] == [("min_savings", False),
                                                          ("budget", True)]
    # Team's part of the recommended Vendor alternative: its staff's wind-down, 60,000.
    assert gates[1]["message"] == ("Team costs USD 60,000 in the recommended alternative "
                                   "(Vendor), within its budget of USD 800,000")


def test_gate_usage_errors_exit_2(write_scenario) -> None:
    path = write_scenario()
    for args, message in [
        (["--min-savings", "Vendor=15"], "takes a fraction between 0 and 1, got 15; did you "
                                          "mean 0.15?"),
        (["--min-savings", "Vendor"], "--min-savings takes OPTION=VALUE"),
        (["--budget", "Vendor=lots"], "--budget: 'lots' is not a number"),
        (["--budget", "Vendr=1"], "no scenario has an option or plan named 'Vendr'"),
        (["--fail-on-change", str(path)], "not a kpo-calc JSON report"),
    ]:
        proc = run_cli("compare", path, *args)
        assert proc.returncode == 2, args
        assert message in proc.stderr, (args, proc.stderr)
    data = tiny_data()
    data["decision"] = {"gates": [{"option": "Vendr", "min_savings": 0.1}]}
    proc = run_cli("compare", write_scenario(data, name="g.yaml"))
    assert proc.returncode == 2
    assert "decision.gates[0].option: no option is named 'Vendr' (did you mean 'Vendor'?)" \
        in proc.stderr


def test_fail_on_change_against_a_previous_report(write_scenario, tmp_path: Path) -> None:
    path = write_scenario()
    report = tmp_path / "before.json"
    assert run_cli("compare", "-f", "json", "-o", report, path).returncode == 0
    assert run_cli("compare", path, "--fail-on-change", report).returncode == 0
    data = tiny_data()
    data["options"][1]["hourly_rate"] = 80  # the vendor is now dearer than the team
    path.write_text(yaml.safe_dump(data))
    proc = run_cli("compare", path, "--fail-on-change", report)
    assert proc.returncode == 1
    assert "gate unchanged failed: the recommendation changed from Vendor to Team" in proc.stderr


def test_diff_on_a_real_change(write_scenario) -> None:
    old = write_scenario(name="old.yaml")
    data = tiny_data()
    data["options"][1]["hourly_rate"] = 10  # half the rate: fees, governance and
    new = write_scenario(data, name="new.yaml")  # communication all halve
    proc = run_cli("diff", "--format", "json", old, new)
    assert proc.returncode == 0
    doc = json.loads(proc.stdout)
    # The reasons quote the NPV savings, from the hand month-by-month costs: at half the
    # rate every month costs half as much, apart from selection (m1) and transition (m1-m3).
    one_time = [5_000 + 2_000, 2_000, 2_000] + [0] * 11
    halved = [(cost - fixed) / 2 + fixed for cost, fixed in zip(VENDOR_MONTHLY, one_time,
                                                                 strict=True)]

    # The threshold is on the cost avoided: Team's NPV less its wind-down in the Vendor
    # alternative (60,000 in month 1), the same in both versions.
    avoided = npv(TEAM_MONTHLY) - npv([WIND_DOWN] + [0] * 13)

    def reason(vendor_monthly: list[float]) -> str:
        saved = npv(TEAM_MONTHLY) - npv(vendor_monthly)
        return (f"Vendor costs {saved / npv(TEAM_MONTHLY) * 100:.1f}% less than Team by NPV "
                f"(USD {saved:,.0f} saved), clearing the 10% minimum-savings threshold on the "
                f"cost it avoids (it saves {saved / avoided * 100:.1f}% of USD {avoided:,.0f}; "
                f"required: USD {0.1 * avoided:,.0f}).")

    assert doc["recommendation"] == {
        "old": "Vendor", "new": "Vendor", "changed": False,
        "old_reason": reason(VENDOR_ALT_MONTHLY),
        "new_reason": reason([halved[0] + WIND_DOWN, *halved[1:]])}
    vendor = next(o for o in doc["options"] if o["name"] == "Vendor")
    # (183,600 + 9,180 + 18,360 + the ramp-up's 18,000) / 2 = 114,570 less; selection,
    # transition and Team's 60,000 wind-down stay.
    assert vendor["total_cost"] == {"old": 300140.0, "new": 185570.0, "delta": -114570.0}
    assert vendor["status"] == "changed"
    team = next(o for o in doc["options"] if o["name"] == "Team")
    assert team["status"] == "unchanged"
    assert doc["inputs"] == [{"path": "options[Vendor].hourly_rate", "kind": "changed",
                              "old": 20, "new": 10}]
    table = run_cli("diff", old, new)
    assert "The recommendation is unchanged: Vendor." in table.stdout
    assert "options[Vendor].hourly_rate" in table.stdout
    markdown = run_cli("diff", "--format", "markdown", old, new)
    # The changed row is bold, as on a terminal.
    assert ("| **Vendor** | **changed** | **300,140 → 185,570 (-114,570)** |"
            in markdown.stdout)


def test_diff_against_a_git_revision(tmp_path: Path) -> None:
    git = shutil.which("git")
    assert git is not None
    repo = tmp_path / "repo"
    repo.mkdir()
    path = repo / "s.yaml"
    path.write_text(TINY)

    def run_git(*args: str) -> None:
        subprocess.run([git, *args], cwd=repo, check=True, capture_output=True)

    run_git("init", "-q")
    run_git("add", "s.yaml")
    run_git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "x")
    data = tiny_data()
    data["options"][1]["hourly_rate"] = 80
    path.write_text(yaml.safe_dump(data))
    proc = run_cli("diff", "HEAD:s.yaml", "s.yaml", "--fail-on-change", cwd=repo)
    assert proc.returncode == 1
    assert "The recommendation changed: Vendor → Team." in proc.stdout
    assert "s.yaml: the recommendation changed from Vendor to Team" in proc.stderr
    missing = run_cli("diff", "HEAD:nope.yaml", "s.yaml", cwd=repo)
    assert missing.returncode == 2
    assert "HEAD:nope.yaml: no such file, and git cannot show it as REVISION:PATH" \
        in missing.stderr


def test_markdown_stays_under_githubs_comment_limit() -> None:
    from kpo_calc.render.compare_view import LIMIT, fit

    outcomes = api.compare_files(EXAMPLES)
    full = fit(outcomes, LIMIT)
    assert "<details>" in full
    assert "folded" not in full
    many = outcomes * 60  # 360 scenario sections would be ~900,000 characters
    folded = {limit: fit(many, limit) for limit in (LIMIT, 20_000, 3_000)}
    for limit, text in folded.items():
        assert len(text) <= limit
        assert "Detail was folded to keep this report under" in text
    assert "more scenario files, left out to fit" in folded[3_000]
    assert "<details>" not in folded[LIMIT]


def test_step_summary_is_appended(write_scenario, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    proc = run_cli("compare", write_scenario(), "--step-summary",
                   env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert proc.returncode == 0
    text = summary.read_text()
    assert text.startswith("earlier step\n## ✅ kpo-calc: 1 scenario file")
    assert "**Recommendation: Vendor**" in text
    assert "Cost over" in proc.stdout  # stdout still holds the table
    unset = run_cli("compare", write_scenario(), "--step-summary",
                    env={"GITHUB_STEP_SUMMARY": ""})
    assert "GITHUB_STEP_SUMMARY is not set" in unset.stderr


def test_pre_commit_hook_definition() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "kpo-calc-validate"
    assert hook["entry"] == "kpo-calc validate"
    assert hook["language"] == "python"


def test_table_details_follow_the_number_of_files(tmp_path: Path) -> None:
    for i in range(21):
        (tmp_path / f"s{i:02d}.yaml").write_text(TINY)
    proc = run_cli("compare", tmp_path)
    assert proc.returncode == 0
    assert "Summary of 21 scenario files" in proc.stdout
    assert "Cost by line" not in proc.stdout
    assert "showing the summary only; pass --details" in proc.stderr
    detailed = run_cli("compare", "--details", tmp_path)
    assert detailed.stdout.count("Cost by line") == 21
    few = run_cli("compare", "--no-details", tmp_path / "s00.yaml", tmp_path / "s01.yaml")
    assert "Summary of 2 scenario files" in few.stdout
    assert "Cost by line" not in few.stdout
