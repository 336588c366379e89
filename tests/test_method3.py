"""Methodology 3 (design section 11), checked against arithmetic worked by hand.

Each test writes a small scenario, works its figures out in the comments and
asserts them: contract staff, severance by tenure (last in, first out), other
costs, materiality, stress tests per work item and per currency, weakest-link
scores, and what a file without any new key keeps of version 2.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from kpo_calc import api
from kpo_calc.render.wording import reason
from test_plans import PLANNED


def base(**extra: Any) -> dict[str, Any]:
    """A four-month case: 250 hours a month of one medium work item, 100 h per FTE."""
    data: dict[str, Any] = {
        "version": 1, "name": "M3", "currency": "MYR", "horizon_months": 4,
        "hours_per_fte_month": 100, "fx": {"EUR": 1.5},
        "work": [{"name": "Work", "kind": "recurring", "hours_per_month": 250,
                  "specialization": "medium"}],
        "options": [{"name": "Team", "model": "in_house", "annual_salary": 120000,
                     "benefits_rate": 0.0, "existing_fte": 3}],
        "unmet_hour_cost": 10,
    }
    data.update(extra)
    return data


CONTRACTOR = {"name": "Agency", "model": "contractor", "currency": "EUR", "hourly_rate": 50,
              "lead_months": 1, "onboarding_cost_per_person": 1000, "productivity": 0.8,
              "rework_rate": 0.2, "notice_months": 2}


def test_a_contractor_month_with_lead_time_and_onboarding(write_scenario) -> None:
    d = base()
    d["options"].append(CONTRACTOR)
    result = api.compare(write_scenario(d))
    agency = result.option("Agency")
    # L = 1 + ceil(1) = 2: month 1's 250 hours are unmet, priced at 10: 2,500.
    # Months 2-4: billed 250 / 0.8 x 1.2 = 375 h at 50 EUR x 1.5 = 75 MYR: 28,125 a month.
    # People: ceil(375 / 100) = 4, all new in month 2: 4 x 1,000 EUR x 1.5 = 6,000.
    assert agency.lines == {"contractor_fees": pytest.approx(3 * 28_125),
                            "onboarding": pytest.approx(6_000),
                            "unmet_work": pytest.approx(2_500)}
    # Today's team of 3 is released in month 1 in this alternative: no severance months
    # set, so it costs nothing; the monthly costs are the contractor's.
    assert agency.monthly == pytest.approx((2_500, 28_125 + 6_000, 28_125, 28_125))
    assert agency.unmet_hours == pytest.approx(250)
    assert agency.one_time_cost == pytest.approx(6_000)
    flex = agency.flexibility
    # Lead 1 month, lag = notice 2 months; shedding one FTE: 2 x 100 h x 75 = 15,000.
    assert (flex.scale_up_lead_months, flex.scale_down_lag_months) == (1, 2)
    assert flex.cost_to_shed_fte == pytest.approx(15_000)
    assert flex.exit_cost == 0
    assert agency.model == "contractor"


def test_contractors_are_not_vendors_for_mix_constraints(write_scenario) -> None:
    from kpo_calc.engine.search import in_space

    d = base(mix={"max_vendors": 0})
    d["options"].append(CONTRACTOR)
    scenario = api.load(write_scenario(d))
    # max_vendors 0 still allows the whole work to the agency: it is managed in-house.
    assert in_space(scenario, [{"Work": {"Agency": 1.0}}]) == [True]


def test_a_lifo_release_with_one_cohort_under_and_one_over_the_minimum_tenure(
        write_scenario) -> None:
    # One person employed today, 1,000 a month, one month's severance, hires start at
    # once (no time to hire). Work: 100 h all 8 months, 100 h in months 1-6 and 100 h in
    # months 5-6. Headcount 2 in m1-4 (one hired in m1), 3 in m5-6 (one hired in m5),
    # 1 in m7-8: two released in month 7, the newest first: the m5 hire (tenure 7 - 5 = 2,
    # under the minimum of 3: no severance) and the m1 hire (tenure 6: one month's pay).
    d = {
        "version": 1, "name": "Tenure", "currency": "USD", "horizon_months": 8,
        "hours_per_fte_month": 100,
        "work": [
            {"name": "Core", "kind": "recurring", "hours_per_month": 100,
             "specialization": "low"},
            {"name": "Early", "kind": "one_off", "total_hours": 600, "duration_months": 6,
             "specialization": "low"},
            {"name": "Late", "kind": "one_off", "total_hours": 200, "start_month": 5,
             "duration_months": 2, "specialization": "low"}],
        "options": [
            {"name": "Team", "model": "in_house", "annual_salary": 12000, "benefits_rate": 0,
             "severance_months": 1, "existing_fte": 1, "severance_min_tenure_months": 3},
            {"name": "BPO", "model": "bpo", "hourly_rate": 100}],
    }
    team = api.compare(write_scenario(d)).option("Team")
    assert team.lines["severance"] == pytest.approx(1_000)
    assert team.monthly[6] == pytest.approx(1_000 + 1_000)  # one salary and one severance
    # The final team (today's person) is owed severance on reversing: 1,000.
    assert team.flexibility.exit_cost == pytest.approx(1_000)
    # Without a minimum both releases are paid: 2,000 (version 2's figure).
    del d["options"][0]["severance_min_tenure_months"]
    team = api.compare(write_scenario(d, "v2.yaml")).option("Team")
    assert team.lines["severance"] == pytest.approx(2_000)


def test_other_costs_once_and_yearly_with_escalation_and_currency(write_scenario) -> None:
    # A vendor with a regulator's approval (31,000 MYR once, in its first month with
    # work) and an audit right of 12,000 USD a year (fx 4.0, +10% a year), over 14 months.
    d = {
        "version": 1, "name": "Other costs", "currency": "MYR", "horizon_months": 14,
        "fx": {"USD": 4.0},
        "work": [{"name": "Work", "kind": "recurring", "hours_per_month": 100,
                  "specialization": "low"}],
        "options": [
            {"name": "Team", "model": "in_house", "annual_salary": 60000, "benefits_rate": 0},
            {"name": "BPO", "model": "bpo", "hourly_rate": 10, "other_costs": [
                {"name": "Regulator's approval", "amount": 31000, "per": "once"},
                {"name": "Audit right", "amount": 12000, "per": "year", "currency": "USD",
                 "escalation": 0.1}]}],
    }
    result = api.compare(write_scenario(d))
    bpo = result.option("BPO")
    # Yearly: 12,000 / 12 = 1,000 USD x 4.0 = 4,000 MYR in months 1-12, x 1.1 = 4,400 in
    # months 13-14: 12 x 4,000 + 2 x 4,400 = 56,800.
    assert bpo.lines["other_one_time"] == pytest.approx(31_000)
    assert bpo.lines["other_recurring"] == pytest.approx(56_800)
    assert bpo.monthly[0] == pytest.approx(100 * 10 + 31_000 + 4_000)
    assert bpo.monthly[13] == pytest.approx(100 * 10 + 4_400)
    assert bpo.one_time_cost == pytest.approx(31_000)
    # The team's alternative gives the BPO no work: nothing is booked, no line is shown.
    assert "other_one_time" not in result.option("Team").lines
    # to_month stops the yearly cost; a once cost in a given month is booked there.
    d["options"][1]["other_costs"][1]["to_month"] = 6
    d["options"][1]["other_costs"][0]["month"] = 3
    bpo = api.compare(write_scenario(d, "short.yaml")).option("BPO")
    assert bpo.lines["other_recurring"] == pytest.approx(6 * 4_000)
    assert bpo.monthly[2] == pytest.approx(1_000 + 31_000 + 4_000)


def planned(**decision: Any) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(PLANNED)
    loaded["decision"].update(decision)
    return loaded


def test_a_binding_min_savings_amount(write_scenario) -> None:
    # Entry to BPO saves 110,000 (test_plans); 10% of the 236,000 it avoids is 23,600.
    rec = api.compare(write_scenario(planned(min_savings=0.1, min_savings_amount=110_001))
                      ).recommendation
    assert (rec.option, rec.kind, rec.best) == ("Today", "short_of_amount", "Entry to BPO")
    assert reason(rec) == (
        "Entry to BPO would save 15.7% (USD 110,000) by total cost, clearing the 10% "
        "threshold on the cost it avoids (it saves 46.6% of USD 236,000; required: USD "
        "23,600), but less than the minimum saving of USD 110,001, so Today stays.")
    rec = api.compare(write_scenario(planned(min_savings=0.1, min_savings_amount=110_000),
                                     "exact.yaml")).recommendation
    assert rec.option == "Entry to BPO"
    assert "and the minimum saving of USD 110,000" in reason(rec)


def test_a_failing_move_holds_a_cheaper_plan_back(write_scenario) -> None:
    # At 40%, with the figures of test_plans: "Most to KPO" (426,000) clears as a whole
    # (274,000 >= 0.4 x 616,000 = 246,400), but its Entry move adds 57,000 against
    # 0.4 x 156,000 = 62,400 and its Analysis move 108,000 against 0.4 x (360,000 -
    # 60,000) = 120,000; its Project move (+112,000 against 0.4 x 160,000) clears.
    # "Analysis to KPO" (Entry kept, 483,000): Analysis +108,000 fails the same way.
    # "Entry to BPO" (590,000): its Entry move fails (57,000 < 62,400). Nothing else is
    # cheaper than Today, so Today stays, and the verdict names the failing moves.
    d = planned(min_savings=0.4)
    d["plans"] += [
        {"name": "Most to KPO", "assign": {"Entry": "BPO", "Analysis": "KPO", "Project": "KPO"}},
        {"name": "Analysis to KPO", "assign": {"Entry": "Clerks", "Analysis": "KPO",
                                                "Project": "KPO"}}]
    result = api.compare(write_scenario(d))
    most = result.option("Most to KPO")
    assert [(m.work, m.incremental_savings, m.incremental_required, m.clears)
            for m in most.moves] == [
        ("Entry", pytest.approx(57_000), pytest.approx(62_400), False),
        ("Analysis", pytest.approx(108_000), pytest.approx(120_000), False),
        ("Project", pytest.approx(112_000), pytest.approx(64_000), True)]
    assert not most.clears
    plan = result.option("Analysis to KPO")
    assert [(m.work, m.clears) for m in plan.moves] == [("Analysis", False), ("Project", True)]
    rec = result.recommendation
    assert (rec.option, rec.kind, rec.best) == ("Today", "move_fails", "Most to KPO")
    assert reason(rec) == (
        "Most to KPO would save 39.1% (USD 274,000) by total cost, but not every move pays "
        "its way: Entry → BPO saves USD 57,000 more than keeping it, needs 62,400: it does "
        "not pay its way; Analysis → KPO saves USD 108,000 more than keeping it, needs "
        "120,000: it does not pay its way; so Today stays.")


def test_a_held_back_plan_is_named_beside_the_recommendation(write_scenario) -> None:
    # At 36.6%: Most to KPO's Entry move needs 0.366 x 156,000 = 57,096 > 57,000 and its
    # Analysis move 0.366 x 300,000 = 109,800 > 108,000: held back (it clears as a whole,
    # 274,000 >= 0.366 x 616,000). Entry to BPO (590,000) clears as a whole (110,000 >=
    # 0.366 x 236,000 = 86,376) but its Entry move fails the same way: held back too.
    # Project to KPO alone (591,000, one move): saves 109,000 >= 0.366 x 160,000 = 58,560:
    # the recommendation.
    d = planned(min_savings=0.366)
    d["plans"] += [
        {"name": "Most to KPO", "assign": {"Entry": "BPO", "Analysis": "KPO", "Project": "KPO"}},
        {"name": "Project to KPO", "assign": {"Entry": "Clerks", "Analysis": "Analysts",
                                               "Project": "KPO"}}]
    result = api.compare(write_scenario(d))
    rec = result.recommendation
    assert rec.option == "Project to KPO"
    assert rec.savings == pytest.approx(700_000 - 591_000)
    assert [h.name for h in rec.held_back] == ["Most to KPO", "Entry to BPO"]
    most, entry = rec.held_back
    assert [m.work for m in most.failing] == ["Entry", "Analysis"]
    # Entry to BPO without its Entry move is Project half to the KPO, not the
    # recommendation; the sentence names the move and what it needed.
    assert not entry.without_is_recommended
    assert " Entry to BPO would save more (USD 110,000), but Entry → BPO saves USD 57,000 " \
        "more than keeping it, needs 57,096: it does not pay its way." in reason(rec)
    from kpo_calc.render.json_format import scenario_dict

    doc = scenario_dict("f", result)
    moves = next(o for o in doc["options"] if o["name"] == "Entry to BPO")["moves"]
    assert moves[0] == {"work": "Entry", "from": {"Clerks": 1.0}, "to": {"BPO": 1.0},
                        "incremental": {"savings": 57000.0, "required": 57096.0},
                        "standalone": {"savings": 57000.0, "required": 57096.0},
                        "clears": False}


def test_the_plan_without_the_failing_move_is_named_when_it_is_the_recommendation(
        write_scenario) -> None:
    # "Entry and Project out" (Entry to the BPO, Project to the KPO: 534,000) clears as a
    # whole at 37% (166,000 >= 0.37 x (156,000 + 160,000) = 116,920), but its Entry move
    # adds 57,000 against 0.37 x 156,000 = 57,720 and fails; without it the plan is
    # "Project to KPO" (591,000, 109,000 >= 0.37 x 160,000 = 59,200), declared and
    # recommended.
    d = planned(min_savings=0.37)
    d["plans"] += [
        {"name": "Entry and Project out", "assign": {"Entry": "BPO", "Analysis": "Analysts",
                                                      "Project": "KPO"}},
        {"name": "Project to KPO", "assign": {"Entry": "Clerks", "Analysis": "Analysts",
                                               "Project": "KPO"}}]
    rec = api.compare(write_scenario(d)).recommendation
    assert rec.option == "Project to KPO"
    held = next(h for h in rec.held_back if h.name == "Entry and Project out")
    assert held.without_is_recommended
    assert "needs 57,720: it does not pay its way; the plan without it is the " \
        "recommendation." in reason(rec)


def test_stress_tests_per_work_item_and_per_currency(write_scenario) -> None:
    # A claims surge of +50% on Entry only, from month 10: the clerks need 6 heads in
    # months 10-12 (2 hires at no cost), 2 x 3,000 x 1.25 x 3 = 22,500 more; the analysts'
    # work does not change.
    d = planned()
    d["stress"] = [{"name": "Entry surge", "from_month": 10, "demand_change": 0.5,
                    "work": ["Entry"]}]
    today = api.compare(write_scenario(d)).option("Today")
    (surge,) = today.flexibility.stress
    assert surge.delta_vs_base == pytest.approx(22_500)
    assert surge.unmet_hours == 0
    # A currency shock: a vendor priced in EUR (fx 2.0) at 10 an hour for 100 h a month;
    # EUR +50% from month 2: month 1 2,000, month 2 3,000: +1,000 over the plan.
    fx = {"version": 1, "name": "FX", "currency": "MYR", "horizon_months": 2,
          "fx": {"EUR": 2.0},
          "work": [{"name": "W", "kind": "recurring", "hours_per_month": 100,
                    "specialization": "low"}],
          "options": [{"name": "Team", "model": "in_house", "annual_salary": 12000,
                       "benefits_rate": 0},
                      {"name": "BPO", "model": "bpo", "currency": "EUR", "hourly_rate": 10}],
          "stress": [{"name": "Euro up", "from_month": 2, "fx": {"EUR": 0.5}}]}
    bpo = api.compare(write_scenario(fx, "fx.yaml")).option("BPO")
    (shock,) = bpo.flexibility.stress
    assert (shock.total_cost, shock.delta_vs_base) == (pytest.approx(5_000),
                                                       pytest.approx(1_000))


def test_a_plans_control_and_ip_scores_are_its_weakest_working_part(write_scenario) -> None:
    d = planned()
    scores = {"Clerks": (5, 5, 4), "Analysts": (5, 5, 5), "BPO": (2, 3, 3), "KPO": (3, 2, 4)}
    for option in d["options"]:
        c, ip, q = scores[option["name"]]
        option["scores"] = {"control": c, "ip_security": ip, "quality": q}
    d["decision"]["weights"] = {"cost": 1, "control": 1, "ip_security": 1, "quality": 1}
    card = api.compare(write_scenario(d)).scorecard
    assert card is not None
    row = next(r for r in card.rows if r.option == "Entry to BPO")
    # Working parts: BPO (4,800 h), analysts (2,700 h), KPO (300 h); the clerks hold none.
    # Control min(2, 5, 3) = 2; IP min(3, 5, 2) = 2; quality hour-weighted:
    # (3 x 4,800 + 5 x 2,700 + 4 x 300) / 7,800 = 29,100 / 7,800.
    assert row.scores == {"control": 2.0, "ip_security": 2.0,
                          "quality": pytest.approx(29_100 / 7_800)}


def test_new_keys_at_their_defaults_keep_version_2s_figures(write_scenario) -> None:
    # Every figure of a file without the new keys is version 2's (the hand-worked tests of
    # test_engine_tiny, test_plans and test_method2 pass unchanged); spelling the defaults
    # out changes nothing either.
    d = planned()
    plain = api.compare(write_scenario(d))
    for option in d["options"]:
        option["other_costs"] = []
        if option["model"] == "in_house":
            option["severance_min_tenure_months"] = 0
            option["hours_per_fte_month"] = 100
    d["decision"]["min_savings_amount"] = 0
    spelt = api.compare(write_scenario(d, "spelt.yaml"))
    for a, b in zip(plain.options, spelt.options, strict=True):
        assert (a.name, a.lines, a.monthly, a.npv) == (b.name, b.lines, b.monthly, b.npv)


BAD = [
    ({"model": "contractor", "name": "C"}, "give exactly one of hourly_rate or fte_monthly_rate"),
    ({"model": "contractor", "name": "C", "hourly_rate": 10, "lead_months": -1},
     "must be at least 0"),
]


@pytest.mark.parametrize(("option", "message"), BAD)
def test_bad_contractor_options_are_errors(option, message, write_scenario) -> None:
    d = planned()
    d["options"].append(option)
    _, diagnostics = api.check_file(write_scenario(d))
    assert any(message in x.text() for x in diagnostics if x.severity == "error")


@pytest.mark.parametrize(("stress", "message"), [
    ({"name": "S", "from_month": 2}, "a stress test must change something"),
    ({"name": "S", "from_month": 2, "fx": {"USD": 0.1}}, "USD is the scenario currency"),
    ({"name": "S", "from_month": 2, "fx": {"EUR": 0.1}}, "no exchange rate for EUR"),
    ({"name": "S", "from_month": 2, "demand_change": 0.1, "work": ["Entyr"]},
     "no work item is named 'Entyr' (did you mean 'Entry'?)"),
])
def test_bad_stress_tests_are_errors(stress, message, write_scenario) -> None:
    d = planned()
    d["stress"] = [stress]
    _, diagnostics = api.check_file(write_scenario(d))
    assert any(message in x.text() for x in diagnostics if x.severity == "error")


@pytest.mark.parametrize(("cost", "message"), [
    ({"name": "X", "amount": 1, "per": "once", "from_month": 2},
     "from_month and to_month are for per: month or year"),
    ({"name": "X", "amount": 1, "per": "year", "month": 2}, "month is for per: once"),
    ({"name": "X", "amount": 1, "per": "year", "from_month": 5, "to_month": 3},
     "to_month 3 is before from_month 5"),
    ({"name": "X", "amount": 1, "per": "month", "to_month": 13},
     "month 13 is after the horizon of 12 months"),
    ({"name": "X", "amount": 1, "per": "week"}, "per"),
    ({"name": "X", "amount": 1, "per": "once", "currency": "JPY"}, "no exchange rate for JPY"),
])
def test_bad_other_costs_are_errors(cost, message, write_scenario) -> None:
    d = planned()
    d["options"][2]["other_costs"] = [cost]
    _, diagnostics = api.check_file(write_scenario(d))
    assert any(message in x.text() for x in diagnostics if x.severity == "error"), [
        x.text() for x in diagnostics]


def test_the_starters_commented_methodology_3_blocks_work_when_uncommented(tmp_path) -> None:
    import re

    from kpo_calc.starter import starter_scenario

    text = starter_scenario("insurance")
    text = re.sub(r"^  # (- name: Contract staff|  model: contractor|  hourly_rate|  lead_months|"
                  r"  onboarding_cost|  notice_months: 1$|  scores)", r"  \1", text, flags=re.M)
    text = re.sub(r"^    # other_costs:", "    other_costs:", text, flags=re.M)
    text = re.sub(r"^    #   - ", "      - ", text, flags=re.M)
    text = re.sub(r"^  # - \{name: Rupee", "  - {name: Rupee", text, flags=re.M)
    path = tmp_path / "starter.yaml"
    path.write_text(text, encoding="utf-8")
    result = api.compare(path)
    staff = result.option("Contract staff")
    assert staff.model == "contractor"
    assert "Rupee strengthens" in [s.name for s in staff.flexibility.stress]
    assert result.option("In-house").lines["other_one_time"] > 0


def test_a_name_given_twice_in_other_costs_or_stress_work_is_an_error(write_scenario) -> None:
    d = planned()
    d["options"][2]["other_costs"] = [{"name": "Audit", "amount": 1, "per": "once"},
                                      {"name": "audit", "amount": 2, "per": "once"}]
    d["stress"] = [{"name": "S", "from_month": 2, "demand_change": 0.1,
                    "work": ["Entry", "Entry"]}]
    _, diagnostics = api.check_file(write_scenario(d))
    texts = [x.text() for x in diagnostics if x.severity == "error"]
    assert any("options[2].other_costs[1].name: 'audit' is already the name of "
               "other_costs[0]" in t for t in texts), texts
    assert any("stress[0].work[1]: 'Entry' is already listed (work[0])" in t
               for t in texts), texts


def test_a_comparison_plans_demand_is_summed_as_compare_sums_it() -> None:
    # The parts of A−i and B+i are A's (or the baseline's) parts with one item changed;
    # their demand is summed from a shared prefix, and must equal, bit for bit, the
    # sum compare makes of the same shares (the non-zero terms in item order).
    import numpy as np

    from kpo_calc.engine.demand import total_demand
    from kpo_calc.engine.finance import discount_factors
    from kpo_calc.engine.plans import Coster
    from kpo_calc.engine.values import POINT_VALUES as v
    from kpo_calc.scenario import Scenario

    d = base(horizon_months=30)
    d["options"].append(CONTRACTOR)
    d["work"] = [{"name": f"W{i}", "kind": "recurring", "hours_per_month": 10 + 7.3 * i,
                  "growth": 0.013 * (i % 5), "specialization": "low"} for i in range(12)]
    scenario = Scenario.model_validate(d)
    factors = discount_factors(np.full((1, 1), 0.05), 30)
    coster = Coster(scenario, total_demand(scenario, v), v, factors)
    rng = np.random.default_rng(7)
    for trial in range(60):
        vector = None if trial % 11 == 0 else tuple(
            float(x) for x in rng.choice([0.0, 1.0, 0.3, 0.7], size=12))
        changes = [(int(rng.integers(12)), float(rng.choice([0.0, 1.0, 0.25])))
                   for _ in range(4)]
        rows = coster.variant_hours(vector, changes)
        for (at, share), row in zip(changes, rows, strict=True):
            shares = [0.0] * 12 if vector is None else list(vector)
            shares[at] = share
            assert np.array_equal(row, coster._rows(np.array([shares]))[0])
