"""Limits and bounds (issue 7, items 8 and 10): a file under the size cap finishes in seconds.

Merge keys are resolved once per anchor (the loader is linear), the lists of a
scenario are capped, and the largest inputs allowed still give finite results.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from conftest import TINY
from kpo_calc.engine.evaluate import evaluate
from kpo_calc.loader import MAX_BYTES, parse_document
from kpo_calc.scenario import MAX_OPTIONS, MAX_STRESS, MAX_WORK
from kpo_calc.validation import check_document, load_scenario

BASE = """\
version: 1
name: Limits
currency: USD
horizon_months: {horizon}
work:
{work}options:
  - {{name: In-house, model: in_house, annual_salary: 90000, benefits_rate: 0.3}}
  - &vendor {{name: v0, model: bpo, hourly_rate: 20, governance_rate: 0.05}}
{options}{stress}"""


def scenario_text(options: int = 2, work: int = 1, stress: int = 0, horizon: int = 24) -> str:
    """A valid scenario with ``options`` options (all but two merge an anchor) and so on."""
    return BASE.format(
        horizon=horizon,
        work="".join(f"  - {{name: w{i}, kind: recurring, hours_per_month: {100 + i}, "
                     "specialization: low, growth: 0.02}\n" for i in range(work)),
        options="".join(f"  - {{<<: *vendor, name: v{i}, hourly_rate: {20 + i}}}\n"
                        for i in range(1, options - 1)),
        stress=("stress:\n" + "".join(f"  - {{name: s{i}, from_month: {1 + i % horizon}, "
                                      f"demand_change: {0.5 if i % 2 else -0.3}}}\n"
                                      for i in range(stress)) + "unmet_hour_cost: 100\n")
        if stress else "")


def errors(text: str) -> list[str]:
    _, diagnostics = check_document(parse_document(text.encode(), "t.yaml"))
    return [d.text() for d in diagnostics if d.severity == "error"]


# --- merge keys ------------------------------------------------------------------------------

def test_merge_keys_explicit_wins_earlier_wins_and_positions_point_at_the_source() -> None:
    text = ("a: &a {x: 1, y: 2}\n"
            "b: &b {y: 3, z: 4}\n"
            "c: &c\n"
            "  <<: [*a, *b]\n"
            "  x: 9\n"
            "d: {<<: *c, w: 0}\n")
    doc = parse_document(text.encode(), "t.yaml")
    assert doc.data["c"] == {"x": 9, "y": 2, "z": 4}
    assert doc.data["d"] == {"w": 0, "x": 9, "y": 2, "z": 4}
    assert doc.locate(("c", "x")) == doc.locate(("d", "x"))  # line 5, where x: 9 is
    assert (doc.locate(("c", "x")).line, doc.locate(("c", "y")).line) == (5, 1)
    assert doc.locate(("c", "z")).line == 2
    assert doc.locate(("d", "z"), at_key=True).line == 2


def test_a_duplicate_key_in_an_anchor_is_reported_once() -> None:
    text = "a: &a {x: 1, x: 2}\n" + "".join(f"b{i}: {{<<: *a}}\n" for i in range(5))
    doc = parse_document(text.encode(), "t.yaml")
    assert [p.message.split(" (")[0] for p in doc.problems] == ["duplicate key 'x'"]


def test_a_long_chain_of_merges_is_read_without_recursion_error() -> None:
    text = "a0: &a0 {k0: 0}\n" + "".join(f"a{i}: &a{i} {{<<: *a{i - 1}, k{i}: {i}}}\n"
                                         for i in range(1, 300))
    data = parse_document(text.encode(), "t.yaml").data
    assert data["a299"] == {f"k{i}": i for i in range(300)}


def test_merge_keys_are_linear_3000_options_sharing_one_anchor() -> None:
    text = scenario_text(options=3000)
    assert len(text) < MAX_BYTES
    start = time.perf_counter()
    doc = parse_document(text.encode(), "t.yaml")
    elapsed = time.perf_counter() - start
    assert len(doc.data["options"]) == 3000
    assert doc.data["options"][2999] == {"name": "v2998", "hourly_rate": 20 + 2998,
                                         "model": "bpo", "governance_rate": 0.05}
    # 150 s before (quadratic span copies); about 0.25 s now. Generous for a loaded machine.
    assert elapsed < 10


# --- list limits -------------------------------------------------------------------------------

@pytest.mark.parametrize(("what", "limit", "key", "shown"), [
    ("options", MAX_OPTIONS, "options", "options"),
    ("work", MAX_WORK, "work", "work items"),
    ("stress", MAX_STRESS, "stress", "stress tests"),
])
def test_each_list_is_capped(what: str, limit: int, key: str, shown: str) -> None:
    assert errors(scenario_text(**{what: limit})) == []
    over = errors(scenario_text(**{what: limit + 1}))
    assert len(over) == 1
    assert f": {key}: has {limit + 1} {shown}; at most {limit} are allowed" in over[0]


def test_the_largest_scenario_allowed_runs_in_seconds() -> None:
    text = scenario_text(options=MAX_OPTIONS, work=MAX_WORK, stress=MAX_STRESS, horizon=600)
    start = time.perf_counter()
    result = evaluate(load_scenario(parse_document(text.encode(), "t.yaml")))
    elapsed = time.perf_counter() - start
    assert len(result.options) == MAX_OPTIONS
    assert all(len(o.flexibility.stress) == MAX_STRESS for o in result.options)
    assert elapsed < 20  # about 0.3 s here


# --- bounds -------------------------------------------------------------------------------------

def extreme() -> dict[str, Any]:
    """Every input at the end of its range that makes costs largest."""
    import yaml

    data: dict[str, Any] = yaml.safe_load(TINY)
    data.update(horizon_months=600, hours_per_fte_month=1, fx={"EUR": 1e6}, discount_rate=0,
                unmet_hour_cost=1e12)
    data["work"] = [{"name": f"w{i}", "kind": "recurring", "fte": 1e7, "specialization": "low",
                     "growth": 1} for i in range(MAX_WORK)]
    team, vendor = data["options"]
    team.update(currency="EUR", annual_salary=1e12, benefits_rate=1, overhead_per_fte_year=1e12,
                annual_training_per_fte=1e12, recruiting_cost_per_hire=1e12,
                training_cost_per_hire=1e12, time_to_hire_months=120, ramp_up_months=120,
                attrition_rate=1, severance_months=120, salary_growth=1, existing_fte=0)
    vendor.update(hourly_rate=1e7, productivity=0.01, rework_rate=1, governance_rate=1,
                  communication_overhead=1, rate_escalation=1, min_monthly_hours=1e7,
                  vendor_selection_cost=1e12, exit_cost=1e12,
                  transition={"cost": 1e12, "months": 600},
                  risks=[{"name": "r", "annual_probability": 1, "impact": 1e13}])
    data["stress"] = [{"name": f"s{i}", "from_month": 1 + i, "demand_change": 4}
                      for i in range(MAX_STRESS)]
    return data


def test_the_largest_inputs_allowed_give_finite_results() -> None:
    import yaml

    text = yaml.safe_dump(extreme(), sort_keys=False)
    scenario = load_scenario(parse_document(text.encode(), "t.yaml"))
    result = evaluate(scenario)  # raises NonFiniteResult if any figure is NaN or infinite
    # growth 1 doubles demand each year: 2^49 in the last year of 50
    assert result.total_hours == pytest.approx(
        MAX_WORK * 1e7 * 1 * sum(12 * 2.0 ** year for year in range(50)))
