"""The engine's shape: cost models by kind, one table of lines, trials kept, verdicts as data.

These tests hold the structure that plans, simulation and ``mix`` build on:
every ``model`` has a registered cost model, every line comes from one table,
an option can be costed on any demand path, N identical trials give exactly
the one-trial figures, and the recommendation is data that one module words.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from pathlib import Path
from typing import get_args

import numpy as np
import pytest
from pydantic import BaseModel

from conftest import SCENARIOS, tiny_data
from kpo_calc import api
from kpo_calc.engine import LINES, MODELS, ONE_TIME_LINES, cost_model, cost_option, evaluate
from kpo_calc.engine.demand import total_demand, work_hours
from kpo_calc.engine.figures import OptionFigures, summarise
from kpo_calc.engine.flexibility import StressFigures
from kpo_calc.engine.lines import OTHER_LINES
from kpo_calc.engine.results import Flexibility, OptionResult, ScenarioResult
from kpo_calc.engine.values import POINT_VALUES, Array, PathValues, written
from kpo_calc.render.json_format import scenario_dict
from kpo_calc.render.rows import LINE_LABELS, line_rows
from kpo_calc.render.wording import reason
from kpo_calc.scenario import (
    SPECIALIZATION_RANK,
    AnyOption,
    ContractorOption,
    InHouseOption,
    OutsourcedOption,
    Scenario,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [*sorted(SCENARIOS.glob("*.yaml")), ROOT / "tests/data/patent-search-cheaper-kpo.yaml"]


class Repeated:
    """Every number the same in each of ``trials`` trials (a fresh, writable array each time)."""

    def __init__(self, trials: int) -> None:
        self.trials = trials

    def __call__(self, owner: BaseModel, field: str, default: float = 0.0) -> Array:
        return np.full((self.trials, 1), written(owner, field, default))


def tiny() -> Scenario:
    return Scenario.model_validate(tiny_data())


def scenarios() -> list[tuple[str, Scenario]]:
    return [("tiny", tiny())] + [(p.name, api.load(p)) for p in EXAMPLES]


ALL = scenarios()
IDS = [name for name, _ in ALL]


# --- cost models by kind ----------------------------------------------------------------

def test_every_model_value_of_the_format_has_a_cost_model() -> None:
    declared = set()
    for cls in (InHouseOption, OutsourcedOption, ContractorOption):
        declared |= set(get_args(cls.model_fields["model"].annotation))
    assert declared == set(MODELS) == {"in_house", "kpo", "bpo", "contractor"}


@pytest.mark.parametrize(("name", "scenario"), ALL, ids=IDS)
def test_each_option_books_exactly_the_lines_the_table_gives_its_kind(
        name: str, scenario: Scenario) -> None:
    demand = total_demand(scenario, POINT_VALUES)
    for option in scenario.options:
        model = cost_model(option)
        expected = tuple(line.name for line in LINES if option.model in line.kinds)
        assert model.lines == expected
        # Other costs only for an option that declares some (methodology 3, point 7).
        if not option.other_costs:
            expected = tuple(n for n in expected if n not in OTHER_LINES)
        assert model.lines_for(option) == expected
        assert tuple(model.planned(option, scenario, demand, POINT_VALUES).lines) == expected
        for test in scenario.stress:
            stressed = model.stressed(option, scenario, demand, test, POINT_VALUES)
            assert tuple(stressed.lines) == expected
        # Its own part of its alternative (today's staff elsewhere add their wind-down).
        part = evaluate(scenario).option(option.name).by_option[option.name]
        assert tuple(part.lines) == expected


@pytest.mark.parametrize(("name", "scenario"), ALL, ids=IDS)
def test_what_a_model_can_serve_decides_feasibility(name: str, scenario: Scenario) -> None:
    result = evaluate(scenario)
    hardest = max(SPECIALIZATION_RANK[w.specialization] for w in scenario.work)
    for option in scenario.options:
        reach = SPECIALIZATION_RANK[cost_model(option).max_specialization(option)]
        serves_all = option.serves is None or {w.name for w in scenario.work} <= set(
            option.serves)
        assert result.option(option.name).feasible == (reach >= hardest and serves_all)


def test_engine_modules_look_kinds_up_instead_of_testing_classes() -> None:
    engine = ROOT / "src/kpo_calc/engine"
    branching = re.compile(r"isinstance\([^)]*(Option|Outsourced|InHouse)")
    offenders = [p.name for p in engine.glob("*.py") if branching.search(p.read_text())]
    assert offenders == []


# --- one table of lines ------------------------------------------------------------------

def test_line_table_is_the_design_list() -> None:
    names = [line.name for line in LINES]
    assert len(names) == len(set(names))
    # Design section 4, "Line names", with section 8's (methodology 2), and which are one-time.
    # Section 11 (methodology 3): contractors' lines and named other costs of any option.
    assert names == ["salaries", "benefits", "overhead", "training", "hiring", "attrition",
                     "severance", "vendor_fees", "governance", "communication",
                     "indirect_tax", "withholding_tax", "retained",
                     "vendor_selection", "transition", "ramp_up", "contractor_fees",
                     "onboarding", "other_recurring", "other_one_time", "unmet_work"]
    assert {"hiring", "severance", "vendor_selection", "transition", "ramp_up", "onboarding",
            "other_one_time"} == ONE_TIME_LINES
    assert all(line.kinds and line.kinds <= set(MODELS) for line in LINES)
    assert {line.name: line.label for line in LINES} == LINE_LABELS


@pytest.mark.parametrize(("name", "scenario"), ALL, ids=IDS)
def test_one_time_recurring_rows_and_json_follow_the_table(name: str, scenario: Scenario) -> None:
    result = evaluate(scenario)
    table = {line.name: line for line in LINES}
    for o in result.options:
        one_time = sum(a for n, a in o.lines.items() if table[n].one_time)
        recurring = sum(a for n, a in o.lines.items() if not table[n].one_time)
        assert o.one_time_cost == pytest.approx(one_time, rel=1e-12, abs=1e-9)
        assert o.recurring_cost == pytest.approx(recurring, rel=1e-12, abs=1e-6)
    shown = [line for line in LINES if any(line.name in o.lines for o in result.options)]
    assert [label for label, _ in line_rows(result)] == [
        line.label + (" (one-time)" if line.one_time else "") for line in shown]
    doc = scenario_dict("f.yaml", result)
    for o in doc["options"]:
        parts = [_lines(scenario, name) for name in o["by_option"]]
        # In table order: every line of its working parts, and what a team wound down costs.
        assert list(o["lines"]) == [n for n in (line.name for line in LINES)
                                    if n in o["lines"]]
        assert set(o["lines"]) <= {n for p in parts for n in p}
        if o["kind"] == "option":
            assert set(_lines(scenario, o["name"])) <= set(o["lines"])
        for name, part in o["by_option"].items():
            assert list(part["lines"]) == list(_lines(scenario, name))


def _lines(scenario: Scenario, name: str) -> tuple[str, ...]:
    option = _option(scenario, name)
    return cost_model(option).lines_for(option)


def _option(scenario: Scenario, name: str) -> AnyOption:
    return next(o for o in scenario.options if o.name == name)


# --- trials kept to one summarising step -------------------------------------------------

def _per_trial_arrays(f: OptionFigures) -> dict[str, Array]:
    arrays = {f"line {name}": a for name, a in f.lines.items()}
    arrays.update({field.name: getattr(f, field.name) for field in fields(f)
                   if isinstance(getattr(f, field.name), np.ndarray)})
    flex = f.flexibility
    arrays.update({f"flexibility {k}": getattr(flex, k) for k in (
        "scale_up_lead_months", "scale_down_lag_months", "cost_to_shed_fte", "exit_cost")})
    for s in flex.stress:
        arrays.update({f"stress {s.name} {field.name}": getattr(s, field.name)
                       for field in fields(StressFigures) if field.name != "name"})
    return arrays


@pytest.mark.parametrize(("name", "scenario"), ALL, ids=IDS)
def test_seven_identical_trials_give_exactly_the_one_trial_figures(
        name: str, scenario: Scenario) -> None:
    one, seven = POINT_VALUES, Repeated(7)
    demand_1, demand_7 = total_demand(scenario, one), total_demand(scenario, seven)
    assert np.array_equal(demand_7, np.repeat(demand_1, 7, axis=0))
    for option in scenario.options:
        single = _per_trial_arrays(cost_option(option, scenario, demand_1, one))
        many = _per_trial_arrays(cost_option(option, scenario, demand_7, seven))
        assert single.keys() == many.keys()
        for key, value in single.items():
            assert value.shape[0] == 1, key
            # Seven rows, or one that broadcasts (a figure no trial changes is made once).
            assert many[key].shape[0] in (1, 7), key
            assert np.array_equal(np.broadcast_to(many[key], (7, *value.shape[1:])),
                                  np.repeat(value, 7, axis=0)), key
    # The summarising step reduces them to exactly the one-trial results.
    assert evaluate(scenario, seven) == evaluate(scenario, one)


def test_summarising_is_the_mean_over_trials() -> None:
    # Two trials of the tiny scenario at different salaries: the summary is their mean.
    scenario = tiny()

    # The annual salary, by its path: 120,000 in one trial, 130,000 in the other.
    two = PathValues(scenario, {"options[Team].annual_salary": np.array([120000.0, 130000.0])},
                     trials=2)
    both = evaluate(scenario, two).option("Team")
    low = evaluate(scenario).option("Team")
    data = tiny_data()
    data["options"][0]["annual_salary"] = 130000
    high = evaluate(Scenario.model_validate(data)).option("Team")
    assert both.lines["salaries"] == pytest.approx((low.lines["salaries"]
                                                    + high.lines["salaries"]) / 2)
    assert both.total_cost == pytest.approx((low.total_cost + high.total_cost) / 2)


# --- an option costed on the demand it is given (the entry point plans use) --------------

def _alone(result: OptionResult) -> OptionResult:
    """A result without the figures that need a baseline, nor those of a plan."""
    return replace(result, savings_vs_baseline=0.0, savings_pct=0.0, breakeven_month=None,
                   assign={}, by_option={}, moved_base=None, required_savings=None, moved=(),
                   moves=(), clears=False)


@pytest.mark.parametrize(("name", "scenario"), ALL, ids=IDS)
def test_costing_an_option_on_the_whole_demand_is_what_evaluate_reports(
        name: str, scenario: Scenario) -> None:
    result = evaluate(scenario)
    demand = total_demand(scenario, POINT_VALUES)
    for option in scenario.options:
        figures = cost_option(option, scenario, demand, POINT_VALUES)
        alternative = result.option(option.name)
        part = alternative.by_option[option.name]
        assert (dict(part.lines), part.total_cost, part.npv) == (
            {n: float(a[0]) for n, a in figures.lines.items()}, float(figures.total_cost[0]),
            float(figures.npv[0]))
        if list(alternative.by_option) == [option.name]:  # no other team to wind down
            assert summarise(figures) == _alone(alternative)


def test_costing_an_option_on_one_work_item_equals_a_scenario_of_that_item_alone() -> None:
    # The demand D_o,m a plan would give an option: here one work item's hours.
    scenario = tiny()
    for work in scenario.work:
        demand = work_hours(work, scenario, POINT_VALUES)
        only = scenario.model_copy(update={"work": [work]})
        expected = evaluate(only)
        for option in scenario.options:
            figures = cost_option(option, scenario, demand, POINT_VALUES, work=[work])
            part = expected.option(option.name).by_option[option.name]
            assert summarise(figures).total_cost == part.total_cost
            assert summarise(figures).lines == part.lines
    # The two items' demands add up to the scenario's, so parts sum to the whole demand.
    parts = sum(work_hours(w, scenario, POINT_VALUES) for w in scenario.work)
    assert np.array_equal(parts, total_demand(scenario, POINT_VALUES))


def test_vendor_lines_on_a_share_of_demand_are_hand_checkable() -> None:
    # Vendor (conftest.TINY) given only the Study: 100 h in months 2-4.
    # billed = max(100 / 0.8 x 1.2, 400) = 400 h in months 2-4, 0 elsewhere; 30 USD/h in year 1.
    scenario = tiny()
    study = next(w for w in scenario.work if w.name == "Study")
    vendor = _option(scenario, "Vendor")
    f = cost_option(vendor, scenario, work_hours(study, scenario, POINT_VALUES), POINT_VALUES,
                    work=[study])
    fees = 3 * 400 * 30
    assert f.lines["vendor_fees"][0] == pytest.approx(fees)
    assert f.lines["governance"][0] == pytest.approx(fees * 0.05)
    assert f.lines["communication"][0] == pytest.approx(fees * 0.10)
    assert f.lines["vendor_selection"][0] == pytest.approx(5000)
    assert f.lines["transition"][0] == pytest.approx(6000)
    assert f.hours[0] == pytest.approx(300)
    # Risk accrues only in the three months the vendor holds work: 0.1 x 120,000 / 12 x 3.
    assert f.risk_cost[0] == pytest.approx(0.1 * 120000 / 12 * 3)


# --- verdicts as data, worded in one place -----------------------------------------------

def _flat(name: str, npv: float, feasible: bool = True, base: float = 1000.0) -> OptionResult:
    return OptionResult(
        name=name, model="kpo", provider=None, location=None, feasible=feasible,
        infeasible_reasons=() if feasible else ("needs high specialization",),
        one_time_cost=0, recurring_cost=npv, total_cost=npv, npv=npv, risk_cost=0,
        risk_adjusted_total=npv, risk_adjusted_npv=npv, cost_per_hour=0,
        savings_vs_baseline=base - npv, savings_pct=(base - npv) / base, breakeven_month=None,
        lines={}, monthly=(), flexibility=Flexibility(0, 0, 0, 0, ()))


def test_verdicts_carry_their_numbers() -> None:
    from kpo_calc.engine.decision import recommend

    short = recommend([_flat("Base", 1000), _flat("Alt", 901)], "Base", "npv", 0.10, "USD")
    assert (short.kind, short.option, short.best) == ("short_of_threshold", "Base", "Alt")
    assert short.best_savings == pytest.approx(99)
    assert short.best_savings_pct == pytest.approx(0.099)
    assert short.shortfall == pytest.approx(0.10 - 0.099)
    assert (short.threshold, short.metric, short.currency) == (0.10, "npv", "USD")

    alone = recommend([_flat("Base", 1000), _flat("Unfit", 10, feasible=False)], "Base", "npv",
                      0.10, "USD")
    assert (alone.kind, alone.option, alone.best) == ("no_alternative", "Base", None)
    assert reason(alone) == "No alternative can do all the work, so Base stays."

    handed = recommend([_flat("Base", 1000, feasible=False), _flat("A", 950)], "Base", "npv",
                       0.10, "USD")
    assert (handed.kind, handed.option, handed.clears_threshold) == (
        "baseline_infeasible", "A", False)
    assert handed.baseline_problem == "needs high specialization"
    assert handed.best_metric == 950
    assert reason(handed) == ("The baseline Base cannot do all the work (needs high "
                              "specialization); A is the cheapest feasible alternative by NPV "
                              "(USD 950).")


@pytest.mark.parametrize(("name", "scenario"), ALL, ids=IDS)
def test_json_reason_is_the_wording_of_the_verdict(name: str, scenario: Scenario) -> None:
    result: ScenarioResult = evaluate(scenario)
    doc = scenario_dict("f.yaml", result)
    assert doc["recommendation"]["reason"] == reason(result.recommendation)
    assert result.recommendation.kind in {"clears", "baseline_cheapest", "short_of_threshold",
                                          "baseline_infeasible", "no_alternative"}


def test_gates_are_data_and_worded_by_the_renderers(write_scenario) -> None:
    from kpo_calc import api
    from kpo_calc.render.wording import gate_message

    data = tiny_data()
    data["decision"] = {"expect": "Team",
                        "gates": [{"option": "Vendor", "min_savings": 0.7},
                                  {"option": "Team", "max_total_cost": 800000}]}
    result = api.compare(write_scenario(data))
    expect, savings, budget = result.gates
    vendor = result.option("Vendor")
    assert (expect.name, expect.passed, expect.subject, expect.expected) == (
        "expect", False, "Vendor", "Team")
    # The figures the engine measured travel with the gate, unworded.
    # The savings gate measures on the verdict's base: the cost the option avoids.
    assert vendor.moved_base is not None
    assert (savings.subject, savings.value, savings.limit, savings.metric, savings.base) == (
        "Vendor", vendor.savings_vs_baseline / vendor.moved_base, 0.7, "npv", vendor.moved_base)
    # A budget on an option holds its part of the recommended alternative (Vendor).
    assert (budget.subject, budget.value, budget.limit, budget.currency, budget.within) == (
        "Team", vendor.by_option["Team"].total_cost, 800000, "USD", "Vendor")
    assert gate_message(expect) == ("expected the recommendation to be Team, but it is "
                                    "Vendor")
