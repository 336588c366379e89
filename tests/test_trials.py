"""The per-trial decision (design 9: one implementation of sections 7 and 11, over trials).

``compare`` is the one-trial case of ``decide_trials``: on every example the pick,
each alternative's clearing and its figures are the same. Inputs are read by
field path: perturbing one path changes only the alternatives that can depend
on it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pydantic import BaseModel

from conftest import SCENARIOS, tiny_data
from kpo_calc import api
from kpo_calc.engine import evaluate
from kpo_calc.engine.decision import pick_trials
from kpo_calc.engine.evaluate import cost_scenario, decide_trials
from kpo_calc.engine.values import Array, PathValues, written
from kpo_calc.paths import numbers
from kpo_calc.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [*sorted(SCENARIOS.glob("*.yaml")), ROOT / "tests/data/patent-search-cheaper-kpo.yaml"]
ALL = [("tiny", Scenario.model_validate(tiny_data()))] + [(p.name, api.load(p))
                                                          for p in EXAMPLES]
IDS = [name for name, _ in ALL]


class Repeated:
    """Every number the same in each of ``trials`` trials."""

    def __init__(self, trials: int) -> None:
        self.trials = trials

    def __call__(self, owner: BaseModel, field: str, default: float = 0.0) -> Array:
        return np.full((self.trials, 1), written(owner, field, default))


@pytest.mark.parametrize(("name", "scenario"), ALL, ids=IDS)
def test_one_trial_decides_what_compare_decides(name: str, scenario: Scenario) -> None:
    result = evaluate(scenario)
    trials = decide_trials(cost_scenario(scenario))
    assert trials.trials == 1
    assert trials.names == tuple(o.name for o in result.options)
    assert trials.names[int(trials.recommended[0])] == result.recommendation.option
    metric = result.metric
    for i, option in enumerate(result.options):
        assert trials.metric[i, 0] == option.metric(metric)
        assert trials.savings[i, 0] == option.savings_vs_baseline
        assert bool(trials.clears[i, 0]) == option.clears, option.name
        if option.required_savings is not None:
            assert trials.required[i, 0] == option.required_savings
        assert [w for w, _ in trials.moves[i]] == [m.work for m in option.moves]
        assert [bool(c[0]) for _, c in trials.moves[i]] == [m.clears for m in option.moves]


@pytest.mark.parametrize(("name", "scenario"), ALL, ids=IDS)
def test_identical_trials_decide_alike(name: str, scenario: Scenario) -> None:
    one = decide_trials(cost_scenario(scenario))
    five = decide_trials(cost_scenario(scenario, Repeated(5)))
    assert np.array_equal(five.recommended, np.repeat(one.recommended, 5))
    assert np.array_equal(five.clears, np.repeat(one.clears, 5, axis=1))
    assert np.array_equal(five.metric, np.repeat(one.metric, 5, axis=1))


def test_a_path_changes_only_the_alternatives_that_hold_its_option() -> None:
    # Every number of every option of the insurer example, 10% up in the second trial:
    # an alternative without a part of that option keeps its metric to the bit; the
    # option alone changes for every field its cost model reads with demand on it.
    scenario = api.load(SCENARIOS / "insurer-claims-actuarial-myr.yaml")
    base = cost_scenario(scenario)
    parts = [{p.option.name for p in f.parts} for f in base.figures]
    changed_any = 0
    for path, _, _, value in numbers(scenario):
        if not path.startswith("options[") or isinstance(value, int):
            continue
        option = path[len("options["):path.index("]")]
        draws = {path: np.array([float(value), float(value) * 1.1 + 1.0])}
        costed = cost_scenario(scenario, PathValues(scenario, draws, trials=2))
        metric = decide_trials(costed).metric
        for i, holders in enumerate(parts):
            if option not in holders:
                assert metric[i, 0] == metric[i, 1], (path, base.figures[i].alternative.name)
        changed_any += bool(np.any(metric[:, 0] != metric[:, 1]))
    assert changed_any > 40  # most fields move some figure (the insurer has 60-odd)


def test_a_value_shared_by_two_fields_is_two_inputs() -> None:
    # The tiny scenario's team salary and another field may hold equal numbers; a draw
    # for the salary's path changes the salary only.
    scenario = Scenario.model_validate(tiny_data())
    salary = "options[Team].annual_salary"
    values = PathValues(scenario, {salary: np.array([1.0, 2.0])}, trials=2)
    team = scenario.options[0]
    assert values(team, "annual_salary").tolist() == [[1.0], [2.0]]
    assert values(team, "benefits_rate").shape == (1, 1)
    assert values.path(team, "annual_salary") == salary


def test_pick_in_each_trial() -> None:
    # Three alternatives, the baseline first; four trials:
    # t0: both others clear, B (90) cheaper than C (95) -> B (1)
    # t1: only C clears -> C (2)
    # t2: none clears -> the baseline (0)
    # t3: B and C tie at 80 and both clear -> file order, B (1)
    metrics = [[100, 100, 100, 100], [90, 85, 99, 80], [95, 90, 98, 80]]
    clears = [[False] * 4, [True, False, False, True], [True, True, False, True]]
    assert pick_trials(metrics, clears, [True, True, True], 0).tolist() == [1, 2, 0, 1]
    # An infeasible alternative is never picked; an infeasible baseline gives way to the
    # cheapest feasible alternative, clearing or not.
    assert pick_trials(metrics, clears, [True, False, True], 0).tolist() == [2, 2, 0, 2]
    assert pick_trials(metrics, clears, [False, True, True], 0).tolist() == [1, 1, 2, 1]
