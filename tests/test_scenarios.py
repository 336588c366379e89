"""Every shipped example loads, computes, passes its own gate and tells its story."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SCENARIOS
from kpo_calc import api
from kpo_calc.render.wording import gate_message

EXAMPLES = sorted(SCENARIOS.glob("*.yaml"))


def test_there_are_at_least_six_examples() -> None:
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_computes_and_its_gate_holds(path: Path) -> None:
    result = api.compare(path)
    assert result.gates, f"{path.name} should declare decision.expect"
    assert result.gates_passed, [gate_message(g) for g in result.gates]
    for option in result.options:
        assert option.total_cost > 0
        assert option.total_cost == pytest.approx(sum(option.monthly))
        assert option.total_cost == pytest.approx(option.one_time_cost + option.recurring_cost)
        assert option.total_cost == pytest.approx(sum(option.lines.values()))


def test_examples_cover_the_required_cases() -> None:
    results = {p.name: api.compare(p) for p in EXAMPLES}
    currencies = {r.currency for r in results.values()}
    for path in EXAMPLES:
        currencies |= {o.currency for o in api.load(path).options if o.currency}
    assert {"MYR", "USD", "INR"} <= currencies
    # a BPO that is feasible and wins
    assert any(r.option(r.recommendation.option).model == "bpo"
               for r in results.values())
    # in-house stays because the best alternative's savings do not clear the threshold
    assert any(r.recommendation.option == r.baseline
               and any(o.savings_pct > 0 for o in r.options if o.name != r.baseline)
               for r in results.values())
    # a one-off project
    assert any(all(w.kind == "one_off" for w in api.load(p).work) for p in EXAMPLES)


def test_examples_quote_sources() -> None:
    for path in EXAMPLES:
        text = path.read_text()
        assert "A-76" in text, path.name
        assert "assumption" in text, path.name
