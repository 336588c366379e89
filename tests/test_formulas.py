"""Each cost line has its formula once (``engine.lines``): the engine computes the line by
it, and the methodology's table shows it. Checked here on every example."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import SCENARIOS, tiny_data
from kpo_calc import api
from kpo_calc.engine import cost_option
from kpo_calc.engine.demand import total_demand
from kpo_calc.engine.lines import LINE_BY_NAME, LINES
from kpo_calc.engine.values import POINT_VALUES
from kpo_calc.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
ALL = [("tiny", Scenario.model_validate(tiny_data()))] + [
    (p.name, api.load(p)) for p in sorted(SCENARIOS.glob("*.yaml"))]


def _names(formula: str) -> set[str]:
    return {n.id for n in ast.walk(ast.parse(formula, mode="eval"))
            if isinstance(n, ast.Name)} - {"where", "maximum"}


@pytest.mark.parametrize(("name", "scenario"), ALL, ids=[n for n, _ in ALL])
def test_every_line_is_its_formula_over_the_drivers_the_costing_kept(
        name: str, scenario: Scenario) -> None:
    demand = total_demand(scenario, POINT_VALUES)
    for option in scenario.options:
        costing = cost_option(option, scenario, demand, POINT_VALUES).costing
        for line_name, amounts in costing.lines.items():
            line = LINE_BY_NAME[line_name]
            assert _names(line.formula) <= set(costing.drivers), (option.name, line_name)
            again = np.broadcast_to(line.compute(costing.drivers), amounts.shape)
            assert np.array_equal(again, amounts), (option.name, line_name)


def test_a_formula_by_hand() -> None:
    # The tiny scenario's team in month 1: 250 hours of analysis at 100 hours per FTE
    # call for 3 heads, but hiring takes a month, so today's 2 staff do it: headcount 2,
    # at 120,000 a year (salary 10,000 a month): salaries 2 × 10,000 = 20,000 and
    # benefits 25% of that, 5,000. The formulas read exactly those drivers.
    scenario = Scenario.model_validate(tiny_data())
    team = scenario.options[0]
    demand = total_demand(scenario, POINT_VALUES)
    costing = cost_option(team, scenario, demand, POINT_VALUES).costing
    d = costing.drivers
    assert d["headcount"][0, 0] == 2
    assert d["salary"][0, 0] == pytest.approx(10_000)
    assert costing.lines["salaries"][0, 0] == pytest.approx(20_000)
    assert costing.lines["benefits"][0, 0] == pytest.approx(5_000)
    assert LINE_BY_NAME["benefits"].shown == "headcount × salary × benefits_rate"


def test_every_line_has_a_formula_and_the_methodology_shows_them() -> None:
    assert all(line.formula for line in LINES)
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "sync_formulas.py"),
                           "--check"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
