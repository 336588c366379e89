"""Plans (design section 7), checked against arithmetic worked by hand on a 12-month case.

The case (PLANNED below), no discounting so NPV equals the total, 100 h per FTE:

Work: Entry 400 h a month (low); Analysis 200 h a month (high); Project 600 h in
months 4-6, i.e. 200 h a month (high).

Clerks (in-house, serves Entry only): 3,000 a month, benefits 25%, 4 employed
today, severance 2 months. Analysts (in-house, serves Analysis and Project):
10,000 a month, benefits 50%, 2 employed, 5,000 per hire, 2 months to hire,
severance 3 months. BPO: 20 an hour, selection 1,000, transition 2,000, exit
500. KPO: 80 an hour, selection 3,000.

Today (the baseline plan): Entry to Clerks, Analysis and Project to Analysts.
  Clerks: 4 heads all year: salaries 4 x 3,000 x 12 = 144,000, benefits 36,000
    -> 180,000.
  Analysts: 200 | 400 | 200 h -> 2 heads in m1-3, 4 in m4-6, 2 in m7-12 (30
    head-months): salaries 300,000, benefits 150,000, 2 hires in m4 10,000,
    2 released in m7: 2 x 3 x 10,000 = 60,000 -> 520,000.
  Today = 700,000.
"Entry to BPO": Entry to BPO, Analysis to Analysts, Project half KPO, half Analysts.
  BPO: 400 h x 20 x 12 = 96,000 + 1,000 + 2,000 = 99,000.
  Clerks, no work: all 4 released in m1: 4 x 2 x 3,000 = 24,000.
  Analysts: 200 | 300 | 200 h -> 2, 3, 2 heads (27 head-months): salaries
    270,000, benefits 135,000, 1 hire 5,000, 1 release 30,000 -> 440,000.
  KPO: 100 h x 80 x 3 months = 24,000 + 3,000 = 27,000.
  Plan = 590,000; saves 110,000 (15.7% of 700,000).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from conftest import run_cli
from kpo_calc import api
from kpo_calc.engine.results import OptionResult, ScenarioResult
from kpo_calc.render.wording import reason

PLANNED = """\
version: 1
name: Plans by hand
currency: USD
horizon_months: 12
hours_per_fte_month: 100
work:
  - {name: Entry, kind: recurring, hours_per_month: 400, specialization: low}
  - {name: Analysis, kind: recurring, hours_per_month: 200, specialization: high}
  - {name: Project, kind: one_off, total_hours: 600, start_month: 4, duration_months: 3,
     specialization: high}
options:
  - name: Clerks
    model: in_house
    serves: [Entry]
    annual_salary: 36000
    benefits_rate: 0.25
    severance_months: 2
    existing_fte: 4
  - name: Analysts
    model: in_house
    serves: [Analysis, Project]
    annual_salary: 120000
    benefits_rate: 0.5
    recruiting_cost_per_hire: 5000
    time_to_hire_months: 2
    severance_months: 3
    existing_fte: 2
  - name: BPO
    model: bpo
    hourly_rate: 20
    vendor_selection_cost: 1000
    transition: {cost: 2000}
    exit_cost: 500
  - name: KPO
    model: kpo
    hourly_rate: 80
    vendor_selection_cost: 3000
plans:
  - name: Today
    assign: {Entry: Clerks, Analysis: Analysts, Project: Analysts}
  - name: Entry to BPO
    assign:
      Entry: BPO
      Analysis: Analysts
      Project: {KPO: 0.5, Analysts: 0.5}
decision:
  baseline: Today
  metric: total
"""

TODAY = 180_000 + 520_000
CLERKS_WIND_DOWN = 4 * 2 * 3_000          # 24,000
ANALYSTS_WIND_DOWN = 2 * 3 * 10_000       # 60,000 (both analysts released)
PLAN = 99_000 + CLERKS_WIND_DOWN + 440_000 + 27_000   # 590,000
# Methodology 3: the threshold base is the cost the plan avoids, part by part: the
# clerks' 180,000 less their 24,000 wind-down in the plan, and the analysts' 520,000
# less the 440,000 they still cost in it; the vendors cost nothing today.
MOVED = (180_000 - CLERKS_WIND_DOWN) + (520_000 - 440_000)   # 236,000


def data(**decision: Any) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(PLANNED)
    loaded["decision"].update(decision)
    return loaded


@pytest.fixture
def compare(write_scenario):
    def run(content: dict[str, Any] | None = None) -> ScenarioResult:
        return api.compare(write_scenario(content if content is not None else data()))
    return run


def test_baseline_plan_is_the_sum_of_its_teams(compare) -> None:
    today = compare().option("Today")
    assert today.kind == "plan"
    assert today.model == "plan"
    assert today.feasible
    assert today.by_option["Clerks"].total_cost == pytest.approx(180_000)
    assert today.by_option["Analysts"].total_cost == pytest.approx(520_000)
    assert today.total_cost == pytest.approx(TODAY)
    assert today.lines["salaries"] == pytest.approx(144_000 + 300_000)
    assert today.lines["benefits"] == pytest.approx(36_000 + 150_000)
    assert today.lines["hiring"] == pytest.approx(10_000)
    assert today.lines["severance"] == pytest.approx(60_000)


def test_plan_with_a_shared_item(compare) -> None:
    plan = compare().option("Entry to BPO")
    assert dict(plan.assign["Project"]) == {"KPO": 0.5, "Analysts": 0.5}
    parts = plan.by_option
    assert list(parts) == ["Clerks", "Analysts", "BPO", "KPO"]
    assert parts["BPO"].total_cost == pytest.approx(400 * 20 * 12 + 1_000 + 2_000)
    assert parts["KPO"].total_cost == pytest.approx(100 * 80 * 3 + 3_000)
    assert parts["KPO"].lines["vendor_fees"] == pytest.approx(24_000)
    assert parts["Analysts"].lines["salaries"] == pytest.approx(27 * 10_000)
    assert parts["Analysts"].lines["hiring"] == pytest.approx(5_000)
    assert parts["Analysts"].lines["severance"] == pytest.approx(30_000)
    assert parts["Analysts"].total_cost == pytest.approx(440_000)
    assert plan.total_cost == pytest.approx(PLAN)
    # Each vendor's one-time costs once: 1,000 + 3,000 selection, 2,000 transition.
    assert plan.lines["vendor_selection"] == pytest.approx(4_000)
    assert plan.lines["transition"] == pytest.approx(2_000)
    assert plan.lines["vendor_fees"] == pytest.approx(96_000 + 24_000)
    assert plan.one_time_cost == pytest.approx(4_000 + 2_000 + 5_000 + 30_000
                                               + CLERKS_WIND_DOWN)
    assert sum(plan.monthly) == pytest.approx(PLAN)
    assert plan.unmet_hours == 0
    assert plan.savings_vs_baseline == pytest.approx(TODAY - PLAN)
    assert plan.cost_per_hour == pytest.approx(PLAN / (400 * 12 + 200 * 12 + 600))


def test_wind_down_of_existing_staff_in_a_plan(compare) -> None:
    plan = compare().option("Entry to BPO")
    clerks = plan.by_option["Clerks"]
    assert clerks.lines["severance"] == pytest.approx(CLERKS_WIND_DOWN)
    assert clerks.lines["salaries"] == 0
    assert clerks.total_cost == pytest.approx(CLERKS_WIND_DOWN)
    # The four clerks go in month 1, beside the BPO's first month (8,000 + 1,000 + 2,000),
    # the two analysts (20,000 + 10,000 benefits) and the KPO's selection (month 1).
    assert plan.monthly[0] == pytest.approx(CLERKS_WIND_DOWN + 11_000 + 30_000 + 3_000)


def test_wind_down_of_existing_staff_in_a_pure_vendor_alternative(
        compare) -> None:
    kpo = compare().option("KPO")
    assert kpo.kind == "option"
    assert kpo.feasible
    # KPO does everything: 600 | 800 | 600 h a month -> 7,800 h x 80 + 3,000.
    assert kpo.by_option["KPO"].total_cost == pytest.approx(7_800 * 80 + 3_000)
    assert kpo.by_option["Clerks"].total_cost == pytest.approx(CLERKS_WIND_DOWN)
    assert kpo.by_option["Analysts"].total_cost == pytest.approx(ANALYSTS_WIND_DOWN)
    assert kpo.lines["severance"] == pytest.approx(CLERKS_WIND_DOWN + ANALYSTS_WIND_DOWN)
    assert kpo.total_cost == pytest.approx(7_800 * 80 + 3_000 + 24_000 + 60_000)  # 711,000
    assert kpo.monthly[0] == pytest.approx(600 * 80 + 3_000 + 24_000 + 60_000)


def test_option_outside_its_serves_makes_the_plan_infeasible(
        compare) -> None:
    content = data()
    content["plans"].append({"name": "Clerks analyse",
                             "assign": {"Entry": "Clerks", "Analysis": "Clerks",
                                        "Project": "Analysts"}})
    result = compare(content)
    plan = result.option("Clerks analyse")
    assert not plan.feasible
    assert plan.infeasible_reasons == ("'Analysis' is not in the serves list of Clerks",)
    assert result.recommendation.option != "Clerks analyse"
    # Pure options that may not serve some work are infeasible the same way.
    assert result.option("Clerks").infeasible_reasons == (
        "'Analysis' is not in the serves list of Clerks",
        "'Project' is not in the serves list of Clerks")
    assert result.option("BPO").infeasible_reasons == (
        "'Analysis' needs high specialization; BPO serves up to low",
        "'Project' needs high specialization; BPO serves up to low")


def test_moved_work_threshold_clears_where_the_whole_baseline_would_not(
        compare) -> None:
    result = compare(data(min_savings=0.2))
    plan = result.option("Entry to BPO")
    saved = TODAY - PLAN                                   # 110,000
    assert plan.moved_base == pytest.approx(MOVED)
    # A threshold on the whole baseline would need 20% of 700,000 = 140,000: rejected.
    assert saved < 0.2 * TODAY
    # On the cost it avoids it needs 20% of 236,000 = 47,200: cleared.
    assert saved >= 0.2 * MOVED
    # Each move pays its way. Without the Entry move (Entry back to the clerks): clerks
    # 180,000 + analysts 440,000 + KPO 27,000 = 647,000, so Entry saves 57,000 on its own
    # margin against 20% of the clerks' 156,000 it avoids (31,200). Without the Project
    # move: clerks 24,000 + analysts 520,000 + BPO 99,000 = 643,000: 53,000 against 20% of
    # the analysts' 80,000 (16,000).
    entry, project = plan.moves
    assert (entry.work, entry.incremental_savings, entry.incremental_required) == (
        "Entry", pytest.approx(647_000 - PLAN), pytest.approx(0.2 * 156_000))
    assert (project.work, project.incremental_savings, project.incremental_required) == (
        "Project", pytest.approx(643_000 - PLAN), pytest.approx(0.2 * 80_000))
    assert entry.clears
    assert project.clears
    # Alone against Today: Entry to BPO saves 700,000 - (99,000 + 24,000 + 520,000).
    assert entry.standalone_savings == pytest.approx(TODAY - 643_000)
    rec = result.recommendation
    assert (rec.option, rec.clears_threshold) == ("Entry to BPO", True)
    assert rec.required_savings == pytest.approx(0.2 * MOVED)
    assert reason(rec) == (
        "Entry to BPO costs 15.7% less than Today by total cost (USD 110,000 saved), clearing "
        "the 20% minimum-savings threshold on the cost it avoids (it saves 46.6% of USD "
        "236,000; required: USD 47,200).")


def test_moved_work_threshold_can_still_reject(compare) -> None:
    # 50% of 236,000 = 118,000 > 110,000 saved: Today stays, and KPO costs more than Today.
    rec = compare(data(min_savings=0.5)).recommendation
    assert (rec.option, rec.kind, rec.best) == ("Today", "short_of_threshold", "Entry to BPO")
    assert "short of the 50% minimum-savings threshold on the cost it avoids (it saves " \
        "46.6% of USD 236,000; required: USD 118,000), so Today stays." in reason(rec)


def test_threshold_base_personnel(compare) -> None:
    # Personnel: salaries and benefits only. Today: clerks 180,000, analysts 450,000; in
    # the plan the clerks have none (severance only) and the analysts 270,000 + 135,000.
    personnel = 180_000 + (450_000 - 405_000)             # 225,000 avoided
    saved = TODAY - PLAN
    # At 34% on cost: whole 0.34 x 236,000 = 80,240 <= 110,000; Entry's move 57,000 >=
    # 0.34 x 156,000 = 53,040; Project's 53,000 >= 0.34 x 80,000 = 27,200: it clears.
    cost = compare(data(min_savings=0.34))
    assert cost.recommendation.option == "Entry to BPO"
    # On personnel the whole clears (0.34 x 225,000 = 76,500), but the Entry move avoids
    # all the clerks' 180,000 of pay and needs 0.34 x 180,000 = 61,200 > 57,000.
    result = compare(data(min_savings=0.34, threshold_base="personnel"))
    assert result.threshold_base == "personnel"
    plan = result.option("Entry to BPO")
    assert plan.moved_base == pytest.approx(personnel)
    assert saved >= 0.34 * personnel
    rec = result.recommendation
    assert (rec.option, rec.kind, rec.best) == ("Today", "move_fails", "Entry to BPO")
    (failing,) = rec.failing_moves
    assert (failing.work, failing.incremental_savings) == ("Entry", pytest.approx(57_000))
    assert failing.incremental_required == pytest.approx(0.34 * 180_000)
    assert reason(rec) == (
        "Entry to BPO would save 15.7% (USD 110,000) by total cost, but not every move pays "
        "its way: Entry → BPO saves USD 57,000 more than keeping it, needs 61,200: it does "
        "not pay its way; so Today stays.")


def test_recommendation_is_the_cheapest_that_clears_its_own_threshold(
        compare) -> None:
    # A cheaper plan that moves everything to the KPO except Entry (BPO): it saves more,
    # but against the whole-work threshold it falls short, while Entry to BPO clears.
    content = data(min_savings=0.2)
    content["plans"].append({"name": "Most to KPO",
                             "assign": {"Entry": "BPO", "Analysis": "KPO", "Project": "KPO"}})
    result = compare(content)
    most = result.option("Most to KPO")
    # BPO 99,000 + KPO (200 | 400 | 200 h: 3,000 h x 80 + 3,000 = 243,000) + both teams
    # wound down (24,000 + 60,000) = 426,000; it saves 274,000 against 20% of the cost
    # it avoids, (180,000 - 24,000) + (520,000 - 60,000) = 616,000: it clears too.
    assert most.total_cost == pytest.approx(99_000 + 243_000 + 24_000 + 60_000)
    assert most.moved_base == pytest.approx(616_000)
    # Its three moves, each on its own margin (the plan without it, minus the plan):
    # Entry to the clerks: 180,000 + 99,000 - 99,000 ... = 483,000, +57,000 (needs 20% of
    #   the clerks' 156,000 avoided); Analysis to the analysts (2 heads all year, 360,000;
    #   KPO on Project only 51,000): 534,000, +108,000 (20% of 300,000); Project to the
    #   analysts (2 released in m1, 2 hired for m4-6, released again: 220,000; KPO on
    #   Analysis 195,000): 538,000, +112,000 (20% of 160,000).
    assert [(m.work, m.incremental_savings, m.incremental_required) for m in most.moves] == [
        ("Entry", pytest.approx(57_000), pytest.approx(31_200)),
        ("Analysis", pytest.approx(108_000), pytest.approx(60_000)),
        ("Project", pytest.approx(112_000), pytest.approx(32_000))]
    assert result.recommendation.option == "Most to KPO"


def test_flexibility_of_a_plan(compare) -> None:
    content = data()
    content["stress"] = [{"name": "Drop", "from_month": 10, "demand_change": -0.5}]
    plan = compare(content).option("Entry to BPO")
    flex = plan.flexibility
    # Hour-weighted lead: analysts (2 months to hire) hold 2,400 + 300 of 7,800 hours;
    # the vendors and the clerks (no hours) add 0.
    assert flex.scale_up_lead_months == pytest.approx(2 * 2_700 / 7_800)
    # Exit: the BPO's 500, the KPO's 0, the analysts' final team of 2 x 3 x 10,000.
    assert flex.exit_cost == pytest.approx(500 + 60_000)
    # Drop from m10: the BPO bills 200 h instead of 400 (no notice): -3 x 200 x 20;
    # the analysts fall to 1 head (100 h): one released in m10 (30,000 severance) and
    # 3 months of one analyst's 15,000 saved.
    (drop,) = flex.stress
    assert drop.delta_vs_base == pytest.approx(-3 * 200 * 20 + 30_000 - 3 * 15_000)
    assert drop.total_cost == pytest.approx(PLAN - 12_000 - 15_000)


def test_json_of_a_plan(write_scenario) -> None:
    proc = run_cli("compare", "--format", "json", write_scenario(data()))
    assert proc.returncode == 0, proc.stderr
    (scenario,) = json.loads(proc.stdout)["scenarios"]
    names = [o["name"] for o in scenario["options"]]
    assert names == ["Clerks", "Analysts", "BPO", "KPO", "Today", "Entry to BPO"]
    plan = scenario["options"][-1]
    assert plan["kind"] == "plan"
    assert plan["assign"] == {"Entry": {"BPO": 1.0}, "Analysis": {"Analysts": 1.0},
                              "Project": {"KPO": 0.5, "Analysts": 0.5}}
    assert plan["by_option"]["KPO"] == {"lines": plan["by_option"]["KPO"]["lines"],
                                        "total_cost": 27000.0, "npv": 27000.0}
    assert plan["unmet_hours"] == 0
    assert plan["total_cost"] == PLAN
    assert scenario["baseline"] == "Today"


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_every_format_shows_the_plans_and_their_parts(write_scenario, fmt: str) -> None:
    proc = run_cli("compare", "--format", fmt, write_scenario(data()),
                   env={"COLUMNS": "200"})
    assert proc.returncode == 0, proc.stderr
    assert "Entry to BPO" in proc.stdout
    if fmt == "csv":
        assert "Entry to BPO,plan,true,true,assign,Project,share,,0.5,KPO" in proc.stdout
        assert "Entry to BPO,plan,true,true,part,KPO,total_cost,,27000.0," in proc.stdout
    else:
        assert "KPO 50% + Analysts 50%" in proc.stdout
        assert "of which Clerks" in proc.stdout


def test_diff_shows_a_changed_plan(write_scenario) -> None:
    old = write_scenario(data(), name="old.yaml")
    changed = data()
    changed["plans"][1]["assign"]["Project"] = "KPO"
    new = write_scenario(changed, name="new.yaml")
    proc = run_cli("diff", "--format", "json", old, new)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    plan = next(o for o in doc["options"] if o["name"] == "Entry to BPO")
    assert (plan["kind"], plan["status"], plan["assign_changed"]) == ("plan", "changed", True)
    assert doc["inputs"] == [
        {"path": "plans[Entry to BPO].assign.Project", "kind": "added", "old": None,
         "new": "KPO"},
        {"path": "plans[Entry to BPO].assign.Project.KPO", "kind": "removed", "old": 0.5,
         "new": None},
        {"path": "plans[Entry to BPO].assign.Project.Analysts", "kind": "removed", "old": 0.5,
         "new": None}]
    # The whole Project to the KPO: 200 h x 80 x 3 + 3,000 = 51,000; the analysts keep
    # their 2 heads all year (240,000 + 120,000 benefits, no hire, no release):
    # 99,000 + 24,000 + 360,000 + 51,000 = 534,000 instead of 590,000.
    assert plan["total_cost"] == {"old": PLAN, "new": 534_000, "delta": 534_000 - PLAN}
    table = run_cli("diff", old, new, env={"COLUMNS": "200"})
    assert "Entry to BPO (plan)" in table.stdout
    assert "changed, reassigned" in table.stdout


def test_pure_options_keep_their_v1_figures_when_no_team_is_wound_down(
        compare) -> None:
    content = data()
    for option in content["options"]:
        option.pop("existing_fte", None)
    result = compare(content)
    kpo: OptionResult = result.option("KPO")
    assert list(kpo.by_option) == ["KPO"]
    assert kpo.total_cost == pytest.approx(7_800 * 80 + 3_000)


@pytest.mark.parametrize("domain", ["investment-research", "legal"])
def test_the_starters_commented_plan_is_valid_once_uncommented(tmp_path, domain: str) -> None:
    from kpo_calc.starter import starter_scenario

    lines = starter_scenario(domain).splitlines()
    start = lines.index(next(line for line in lines if line.startswith("# plans:")))
    end = lines.index("", start)
    lines[start:end] = [line.removeprefix("# ") for line in lines[start:end]]
    path = tmp_path / "starter.yaml"
    path.write_text("\n".join(lines) + "\n")
    result = api.compare(path)
    plan = next(o for o in result.options if o.kind == "plan")
    assert plan.feasible
    assert plan.name.endswith(" to KPO India")
    assert any(len(shares) == 2 for shares in plan.assign.values())


def test_a_baseline_or_expectation_may_name_a_plan_and_a_typo_lists_both(write_scenario) -> None:
    content = data()
    content["decision"]["baseline"] = "Tody"
    _, diagnostics = api.check_file(write_scenario(content))
    (error,) = [d for d in diagnostics if d.severity == "error"]
    assert error.text().endswith(
        "decision.baseline: no option or plan is named 'Tody' (did you mean 'Today'?); the "
        "options are: Clerks, Analysts, BPO, KPO; the plans are: Today, Entry to BPO")


def test_shares_that_sum_to_one_up_to_float_noise_are_accepted(write_scenario) -> None:
    content = data()
    content["plans"][1]["assign"]["Project"] = {"KPO": 0.7, "Analysts": 0.2, "BPO": 0.1}
    assert sum([0.7, 0.2, 0.1]) != 1.0  # 0.9999999999999999: within the 1e-9 tolerance
    result = api.compare(write_scenario(content))
    plan = result.option("Entry to BPO")
    # The BPO may not do Project (high specialization): the plan is costed, not feasible.
    assert plan.infeasible_reasons == (
        "'Project' needs high specialization; BPO serves up to low",)
