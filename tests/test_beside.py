"""The comparison plans' parts costed beside the full parts, in one pass per option
(issue 13, item 22): the same figures, bit for bit, and the same counts, as a lean pass
of their own."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from conftest import SCENARIOS
from kpo_calc.engine import plans
from kpo_calc.engine.evaluate import cost_scenario, decide
from kpo_calc.engine.simulation import TrialCost
from kpo_calc.engine.values import PathValues
from kpo_calc.loader import read_document
from kpo_calc.scenario import Scenario
from kpo_calc.validation import load_scenario

evaluate_module = sys.modules["kpo_calc.engine.evaluate"]
EXAMPLES = sorted(SCENARIOS.glob("*.yaml"))


def _load(path: Path) -> Scenario:
    return load_scenario(read_document(str(path)))


@pytest.mark.parametrize("metric", ["npv", "total", "risk_adjusted_npv"])
@pytest.mark.parametrize("base", ["cost", "personnel"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_parts_costed_beside_give_the_same_result_and_counts(
        path: Path, base: str, metric: str, monkeypatch: pytest.MonkeyPatch) -> None:
    written = _load(path)
    # every decision metric and threshold base: each reads other figures of a part
    scenario = written.model_copy(update={"decision": written.decision.model_copy(
        update={"threshold_base": base, "metric": metric})})
    beside = cost_scenario(scenario)
    with_beside = decide(beside)
    monkeypatch.setattr(evaluate_module, "BESIDE_ROWS", 0)  # each in a lean pass
    alone = cost_scenario(scenario)
    assert not alone.coster._beside
    assert decide(alone) == with_beside  # every figure, exactly (== on floats)
    # what a simulation's budget reads from a point costing is unchanged
    assert TrialCost.of(beside) == TrialCost.of(alone)


def test_the_examples_with_moves_cost_each_option_in_one_pass(
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    cost_option = plans.cost_option

    def counted(option: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(option.name)
        return cost_option(option, *args, **kwargs)

    monkeypatch.setattr(plans, "cost_option", counted)
    for path in EXAMPLES:
        scenario = _load(path)
        calls.clear()
        costed = cost_scenario(scenario)
        decide(costed)
        assert sorted(calls) == sorted(o.name for o in scenario.options)
        if path.stem == "equity-research-india":  # plans of two moves: comparisons made
            assert costed.judge.variants > 0
            assert costed.coster._beside


def test_a_pass_is_not_burdened_with_many_stressed_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    # Past BESIDE_CELLS stressed months, the light parts get a lean pass of their own.
    scenario = _load(SCENARIOS / "equity-research-india.yaml")
    monkeypatch.setattr(plans, "BESIDE_CELLS", 0)
    costed = cost_scenario(scenario)
    assert not costed.coster._beside
    monkeypatch.setattr(plans, "BESIDE_CELLS", 16_384)
    assert decide(costed) == decide(cost_scenario(scenario))


def test_a_run_over_trials_costs_no_part_beside() -> None:
    scenario = _load(SCENARIOS / "equity-research-india.yaml")
    v = PathValues(scenario, {"discount_rate": np.array([0.08, 0.09])}, 2)
    costed = cost_scenario(scenario, v, lean=True)
    assert not costed.coster._beside
