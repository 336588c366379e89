"""The decision rule and the scorecard, on hand-made results."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kpo_calc.engine.decision import recommend, scorecard, whole_clears
from kpo_calc.engine.results import Flexibility, OptionResult
from kpo_calc.render.wording import reason
from kpo_calc.scenario import Scenario

FLEX = Flexibility(0, 0, 0, 0, ())


def option(name: str, npv: float, *, feasible: bool = True, baseline_npv: float = 1000.0,
           min_savings: float = 0.10) -> OptionResult:
    # A pure alternative against a pure baseline avoids the whole baseline cost.
    saved = baseline_npv - npv
    result = OptionResult(
        name=name, model="kpo", provider=None, location=None, feasible=feasible,
        infeasible_reasons=() if feasible else ("needs high specialization",),
        one_time_cost=0, recurring_cost=npv, total_cost=npv, npv=npv, risk_cost=0,
        risk_adjusted_total=npv, risk_adjusted_npv=npv, cost_per_hour=0,
        savings_vs_baseline=saved, savings_pct=saved / baseline_npv, breakeven_month=None,
        lines={}, monthly=(), flexibility=FLEX, moved_base=baseline_npv,
        required_savings=min_savings * baseline_npv)
    return replace(result, clears=whole_clears(result, baseline_npv, min_savings, 0.0))


def test_alternative_exactly_at_the_threshold_clears() -> None:
    # Baseline 1000; 10% threshold = 100; an alternative at 900 saves exactly 100.
    rec = recommend([option("Base", 1000), option("Alt", 900)], "Base", "npv", 0.10, "USD")
    assert (rec.option, rec.clears_threshold) == ("Alt", True)
    assert rec.savings == pytest.approx(100)
    assert rec.savings_pct == pytest.approx(0.10)


def test_alternative_just_short_of_the_threshold_keeps_the_baseline() -> None:
    # 901 saves 99 = 9.9%: 0.1 points short.
    rec = recommend([option("Base", 1000), option("Alt", 901)], "Base", "npv", 0.10, "USD")
    assert (rec.option, rec.clears_threshold, rec.savings) == ("Base", False, 0.0)
    assert reason(rec) == ("Alt would save only 9.9% (USD 99) by NPV, short of the 10% "
                           "minimum-savings threshold on the cost it avoids (it saves 9.9% of USD "
                           "1,000; required: USD 100), so Base stays.")


def test_cheapest_feasible_alternative_wins_and_infeasible_never_does() -> None:
    options = [option("Base", 1000), option("Cheap but unfit", 100, feasible=False),
               option("A", 850), option("B", 700)]
    rec = recommend(options, "Base", "npv", 0.10, "USD")
    assert rec.option == "B"
    assert reason(rec).startswith("B costs 30.0% less than Base by NPV (USD 300 saved)")


def test_baseline_cheapest() -> None:
    rec = recommend([option("Base", 1000), option("Alt", 1200)], "Base", "npv", 0.10, "USD")
    assert rec.option == "Base"
    assert "the closest alternative, Alt, costs 20.0% (USD 200) more" in reason(rec)


def test_thresholds_print_without_a_needless_decimal() -> None:
    from kpo_calc.formatting import threshold

    assert (threshold(0.1), threshold(0.125), threshold(0.69)) == ("10%", "12.5%", "69%")


def test_zero_threshold_still_needs_a_positive_saving() -> None:
    # An equal cost is no reason to move the work.
    assert not option("Alt", 1000, min_savings=0.0).clears
    assert option("Alt", 999, min_savings=0.0).clears


def test_infeasible_baseline_hands_over_to_the_cheapest_feasible() -> None:
    options = [option("Base", 1000, feasible=False), option("A", 950), option("B", 980)]
    rec = recommend(options, "Base", "npv", 0.10, "USD")
    # A saves only 5%, but the baseline cannot do the work at all.
    assert (rec.option, rec.clears_threshold) == ("A", False)
    assert reason(rec).startswith("The baseline Base cannot do all the work "
                                 "(needs high specialization); A is the cheapest")


def test_scorecard_weights_and_cost_scores() -> None:
    scenario = Scenario.model_validate({
        "version": 1, "name": "s", "currency": "USD", "horizon_months": 12,
        "work": [{"name": "w", "kind": "recurring", "hours_per_month": 10,
                  "specialization": "low"}],
        "options": [
            {"name": "Base", "model": "in_house", "annual_salary": 1, "benefits_rate": 0,
             "scores": {"control": 5, "quality": 4}},
            {"name": "A", "model": "kpo", "hourly_rate": 1, "scores": {"control": 2,
                                                                       "quality": 4}},
            {"name": "X", "model": "bpo", "hourly_rate": 1, "scores": {"control": 1,
                                                                       "quality": 1}},
        ],
        "decision": {"weights": {"cost": 2, "control": 1, "quality": 1}},
    })
    results = [option("Base", 1000), option("A", 500), option("X", 100, feasible=False)]
    card = scorecard(scenario, results)
    assert card is not None
    # Weights 2:1:1 normalise to 0.5, 0.25, 0.25.
    assert card.weights["cost"] == pytest.approx(0.5)
    assert card.weights["control"] == pytest.approx(0.25)
    assert card.weights["ip_security"] == 0
    # Cost score 1 + 4 x (max - own) / (max - min) over the feasible (1000 and 500):
    # Base 1 + 4 x 0 / 500 = 1, A 1 + 4 x 500 / 500 = 5.
    # Base: 0.5 x 1 + 0.25 x 5 + 0.25 x 4 = 2.75; A: 0.5 x 5 + 0.25 x 2 + 0.25 x 4 = 4.0.
    assert [(r.option, r.rank) for r in card.rows] == [("A", 1), ("Base", 2)]
    assert card.rows[0].cost_score == pytest.approx(5.0)
    assert card.rows[0].weighted_score == pytest.approx(4.0)
    assert card.rows[1].cost_score == pytest.approx(1.0)
    assert card.rows[1].weighted_score == pytest.approx(2.75)
