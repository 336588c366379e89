"""Every figure of the tiny scenario (conftest.TINY), checked against hand arithmetic.

Demand D_m (hours): m1 250 | m2-m4 350 (250 + the study's 100) | m5-m12 250 |
m13-m14 300 (250 grown 20% after the year boundary). Total 3,900 hours.

In-house ("Team"), 100 h per FTE, 2 existing staff, time_to_hire 1 month:
  methodology 2: new staff start from month L = 1 + ceil(1) = 2, so month 1 has the
  2 existing heads for 250 h: 50 h unmet, priced at unmet_hour_cost 50 (line unmet_work).
  headcount = ceil(D/100), capped in m1: 2 | 4 4 4 | 3 x 8 | 3 3   -> two hires in m2
  (2->4), one release in m5 (4->3).
  monthly salary s = 120,000/12 = 10,000 in year 1, 11,000 in year 2 (+10%).
  per-hire cost = 5,000 + 1,000 + 0.5 x 2 months x s x 1.25
                = 18,500 (year 1), 19,750 (year 2).
  attrition a_m = hc x 0.12/12 = hc x 0.01 replacements a month.
Vendor (EUR, fx 1.5): rate 20 x 1.5 = 30 USD/h in year 1, 31.5 in year 2 (+5%).
  billed = max(D / 0.8 x 1.2, 400) = max(1.5 D, 400):
  400 | 525 525 525 | 400 x 8 | 450 450.
  Methodology 2 ramp-up: 13 weeks = 13 x 12/52 = 3 months at half productivity, so
  0.5 x 3 x the first month's fees (400 x 30 = 12,000) = 18,000, booked in m1.
"""

from __future__ import annotations

import math

import pytest

from kpo_calc import api
from kpo_calc.engine import evaluate
from kpo_calc.engine.results import OptionResult, ScenarioResult
from kpo_calc.render.wording import reason

DISCOUNT = 0.1


def df(m: int) -> float:
    """The design's discount factor: (1 + r)^(-m/12)."""
    return (1 + DISCOUNT) ** (-m / 12)


def npv(monthly: list[float]) -> float:
    return sum(c * df(m) for m, c in enumerate(monthly, start=1))


# Team, month by month: salaries + benefits (25%) + overhead (1,000 x hc, x1.1 in y2)
# + training (200 x hc, x1.1 in y2) + hiring + attrition + severance + unmet work.
TEAM_MONTHLY = [
    20_000 + 5_000 + 2_000 + 400 + 0.02 * 18_500 + 50 * 50,          # m1: 2 heads, 50 h unmet
    40_000 + 10_000 + 4_000 + 800 + 2 * 18_500 + 0.04 * 18_500,      # m2: 4 heads, 2 hires
    40_000 + 10_000 + 4_000 + 800 + 0.04 * 18_500,                   # m3
    40_000 + 10_000 + 4_000 + 800 + 0.04 * 18_500,                   # m4
    30_000 + 7_500 + 3_000 + 600 + 0.03 * 18_500 + 3 * 10_000,       # m5: 1 release
    *[30_000 + 7_500 + 3_000 + 600 + 0.03 * 18_500] * 7,              # m6-m12
    *[33_000 + 8_250 + 3_300 + 660 + 0.03 * 19_750] * 2,              # m13-m14
]
# Vendor: fees + governance 5% + communication 10% (+ selection m1, transition m1-m3,
# ramp-up m1).
VENDOR_MONTHLY = [
    400 * 30 * 1.15 + 5_000 + 2_000 + 0.5 * 3 * 400 * 30,             # m1
    525 * 30 * 1.15 + 2_000,                                          # m2
    525 * 30 * 1.15 + 2_000,                                          # m3
    525 * 30 * 1.15,                                                  # m4
    *[400 * 30 * 1.15] * 8,                                           # m5-m12
    *[450 * 31.5 * 1.15] * 2,                                         # m13-m14
]
TOTAL_HOURS = 250 + 3 * 350 + 8 * 250 + 2 * 300  # 3,900
# Today's staff take part in every alternative (design 7): when the vendor does all the
# work, Team's 2 existing staff are released in month 1 with 3 months' salary each.
WIND_DOWN = 2 * 3 * 10_000  # 60,000
VENDOR_ALT_MONTHLY = [VENDOR_MONTHLY[0] + WIND_DOWN, *VENDOR_MONTHLY[1:]]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> ScenarioResult:
    from conftest import TINY

    path = tmp_path_factory.mktemp("tiny") / "tiny.yaml"
    path.write_text(TINY)
    return api.compare(path)


@pytest.fixture(scope="module")
def team(result: ScenarioResult) -> OptionResult:
    return result.option("Team")


@pytest.fixture(scope="module")
def vendor(result: ScenarioResult) -> OptionResult:
    return result.option("Vendor")


def test_hand_monthly_lists_add_up() -> None:
    # The month-by-month lists above agree with the line totals worked out separately.
    assert sum(TEAM_MONTHLY) == pytest.approx(688_735)
    assert sum(VENDOR_MONTHLY) == pytest.approx(240_140)


def test_in_house_lines(team: OptionResult) -> None:
    person_months_y1 = 2 + 4 * 3 + 3 * 8          # 38 (m1 capped at the 2 existing heads)
    person_months_y2 = 3 * 2                        # 6
    salaries = person_months_y1 * 10_000 + person_months_y2 * 11_000     # 446,000
    assert team.lines["salaries"] == pytest.approx(salaries)
    assert team.lines["salaries"] == pytest.approx(446_000)
    assert team.lines["benefits"] == pytest.approx(0.25 * 446_000)        # 111,500
    assert team.lines["overhead"] == pytest.approx(38 * 1_000 + 6 * 1_100)  # 44,600
    assert team.lines["training"] == pytest.approx(38 * 200 + 6 * 220)      # 8,920
    assert team.lines["hiring"] == pytest.approx(2 * 18_500)               # 37,000, both in m2
    assert team.lines["attrition"] == pytest.approx(0.01 * (38 * 18_500 + 6 * 19_750))  # 8,215
    assert team.lines["severance"] == pytest.approx(1 * 3 * 10_000)        # 30,000
    assert team.lines["unmet_work"] == pytest.approx((250 - 2 * 100) * 50)  # 2,500
    assert team.unmet_hours == pytest.approx(50)
    assert set(team.lines) == {"salaries", "benefits", "overhead", "training", "hiring",
                               "attrition", "severance", "unmet_work"}


def test_in_house_totals(team: OptionResult) -> None:
    assert team.one_time_cost == pytest.approx(37_000 + 30_000)
    assert team.recurring_cost == pytest.approx(446_000 + 111_500 + 44_600 + 8_920 + 8_215
                                                + 2_500)
    assert team.total_cost == pytest.approx(688_735)
    assert team.monthly == pytest.approx(TEAM_MONTHLY)
    assert team.npv == pytest.approx(npv(TEAM_MONTHLY))
    assert team.cost_per_hour == pytest.approx(688_735 / 3_900)
    assert team.risk_cost == 0
    assert team.risk_adjusted_total == pytest.approx(688_735)
    assert team.risk_adjusted_npv == pytest.approx(npv(TEAM_MONTHLY))  # no risks
    assert team.feasible
    assert team.infeasible_reasons == ()


def test_outsourced_lines(vendor: OptionResult) -> None:
    fees = 400 * 30 + 3 * 525 * 30 + 8 * 400 * 30 + 2 * 450 * 31.5      # 183,600
    assert vendor.lines["vendor_fees"] == pytest.approx(fees)
    assert vendor.lines["vendor_fees"] == pytest.approx(183_600)
    assert vendor.lines["governance"] == pytest.approx(0.05 * 183_600)     # 9,180
    assert vendor.lines["communication"] == pytest.approx(0.10 * 183_600)  # 18,360
    assert vendor.lines["vendor_selection"] == pytest.approx(5_000)
    assert vendor.lines["transition"] == pytest.approx(6_000)
    assert vendor.lines["ramp_up"] == pytest.approx(0.5 * (13 * 12 / 52) * 400 * 30)  # 18,000
    for unset in ("indirect_tax", "withholding_tax", "retained", "unmet_work"):
        assert vendor.lines[unset] == 0
    assert vendor.unmet_hours == 0
    assert set(vendor.by_option["Vendor"].lines) == {
        "vendor_fees", "governance", "communication", "indirect_tax", "withholding_tax",
        "retained", "vendor_selection", "transition", "ramp_up", "unmet_work"}
    assert vendor.by_option["Team"].lines["severance"] == pytest.approx(WIND_DOWN)
    assert vendor.lines["severance"] == pytest.approx(WIND_DOWN)
    assert "salaries" not in vendor.lines  # a team with no work shows only its wind-down


def test_outsourced_totals_and_risk(vendor: OptionResult) -> None:
    # selection 5,000 + transition 6,000 + ramp-up 18,000, and Team's wind-down
    assert vendor.one_time_cost == pytest.approx(5_000 + 6_000 + 18_000 + WIND_DOWN)
    assert vendor.recurring_cost == pytest.approx(183_600 + 9_180 + 18_360)
    assert vendor.total_cost == pytest.approx(240_140 + WIND_DOWN)  # 300,140
    assert vendor.by_option["Vendor"].total_cost == pytest.approx(240_140)
    assert vendor.monthly == pytest.approx(VENDOR_ALT_MONTHLY)
    assert vendor.npv == pytest.approx(npv(VENDOR_ALT_MONTHLY))
    assert vendor.cost_per_hour == pytest.approx(300_140 / 3_900)
    # Leak: 0.1 x 120,000 / 12 = 1,000 a month over the 14 months the vendor is engaged.
    assert vendor.risk_cost == pytest.approx(14_000)
    assert vendor.risk_adjusted_total == pytest.approx(300_140 + 14_000)
    assert vendor.risk_adjusted_npv == pytest.approx(npv(VENDOR_ALT_MONTHLY)
                                                     + npv([1_000] * 14))


def test_savings_breakeven_and_recommendation(result: ScenarioResult, team: OptionResult,
                                              vendor: OptionResult) -> None:
    assert result.baseline == "Team"
    assert result.metric == "npv"
    assert result.total_hours == pytest.approx(TOTAL_HOURS)
    saved = npv(TEAM_MONTHLY) - npv(VENDOR_ALT_MONTHLY)
    assert vendor.savings_vs_baseline == pytest.approx(saved)
    assert vendor.savings_pct == pytest.approx(saved / npv(TEAM_MONTHLY))
    assert team.savings_vs_baseline == 0
    assert team.savings_pct == 0
    # Month 1: the team (30,270) is cheaper than the vendor with its ramp-up and Team's
    # wind-down (38,800 + 60,000), so cumulative savings are -68,530; month 2 (92,540 vs
    # 20,112.5) adds 72,427.5, and the vendor is cheaper every month after: ahead from m2.
    assert vendor.breakeven_month == 2
    assert team.breakeven_month is None  # the baseline does not break even against itself
    rec = result.recommendation
    assert (rec.option, rec.baseline, rec.clears_threshold) == ("Vendor", "Team", True)
    assert rec.savings == pytest.approx(saved)
    assert rec.savings_pct == pytest.approx(saved / npv(TEAM_MONTHLY))
    share = saved / npv(TEAM_MONTHLY)
    assert f"Vendor costs {share * 100:.1f}% less than Team by NPV (USD {saved:,.0f} saved)" \
        in reason(rec)
    assert result.gates == ()


def test_flexibility(team: OptionResult, vendor: OptionResult) -> None:
    assert team.flexibility.scale_up_lead_months == 1 + 2           # hire + ramp up
    assert team.flexibility.scale_down_lag_months == 0
    assert team.flexibility.cost_to_shed_fte == pytest.approx(3 * 10_000)
    assert team.flexibility.exit_cost == pytest.approx(3 * 3 * 11_000)  # final team of 3
    assert vendor.flexibility.scale_up_lead_months == pytest.approx(13 * 12 / 52)  # 3.0
    assert vendor.flexibility.scale_down_lag_months == 1
    assert vendor.flexibility.cost_to_shed_fte == pytest.approx(1 * 100 * 30 / 0.8)  # 3,750
    assert vendor.flexibility.exit_cost == 4_000


def test_stress_drop(team: OptionResult, vendor: OptionResult) -> None:
    # From m13 demand halves to 150 h. Team: ceil(1.5) = 2 heads, one released at once.
    team_m13 = 22_000 + 5_500 + 2_200 + 440 + 0.02 * 19_750 + 3 * 11_000   # 63,535
    team_m14 = 22_000 + 5_500 + 2_200 + 440 + 0.02 * 19_750                # 30,535
    team_drop = [*TEAM_MONTHLY[:12], team_m13, team_m14]
    drop = team.flexibility.stress[0]
    assert drop.name == "Drop"
    assert drop.total_cost == pytest.approx(sum(team_drop))
    assert drop.delta_vs_base == pytest.approx(63_535 + 30_535 - 2 * 45_802.5)  # +2,465
    assert drop.npv == pytest.approx(npv(team_drop))
    assert drop.unmet_hours == 50        # month 1's, before the team can hire, as planned
    assert drop.unmet_cost == 50 * 50
    # Vendor: 1.5 x 150 = 225 -> the 400 minimum; one month's notice keeps m13 at 450.
    vendor_drop = [*VENDOR_ALT_MONTHLY[:12], 450 * 31.5 * 1.15, 400 * 31.5 * 1.15]
    vdrop = vendor.flexibility.stress[0]
    assert vdrop.total_cost == pytest.approx(sum(vendor_drop))
    assert vdrop.delta_vs_base == pytest.approx((400 - 450) * 31.5 * 1.15)  # -1,811.25
    assert vdrop.npv == pytest.approx(npv(vendor_drop))


def test_stress_rise(team: OptionResult, vendor: OptionResult) -> None:
    # From m7 demand is 1.4x: 350 h (m7-m12), 420 h (m13-m14). Team needs 3 months to add
    # staff: m7-m9 keep 3 heads (300 h), 50 h unmet each month at 50 USD; month 1's 50 h
    # unmet (before hiring can start) are in the plan too.
    team_rise = [
        *TEAM_MONTHLY[:6],
        *[41_655 + 50 * 50] * 3,                                              # m7-m9
        40_000 + 10_000 + 4_000 + 800 + 18_500 + 0.04 * 18_500,               # m10: hire
        *[40_000 + 10_000 + 4_000 + 800 + 0.04 * 18_500] * 2,                 # m11-m12
        55_000 + 13_750 + 5_500 + 1_100 + 19_750 + 0.05 * 19_750,             # m13: 5th head
        55_000 + 13_750 + 5_500 + 1_100 + 0.05 * 19_750,                      # m14
    ]
    rise = team.flexibility.stress[1]
    assert rise.unmet_hours == pytest.approx(50 + 3 * 50)
    assert rise.unmet_cost == pytest.approx(200 * 50)
    assert rise.total_cost == pytest.approx(sum(team_rise))
    assert rise.delta_vs_base == pytest.approx(140_975 + 7_500)  # month 1's unmet is in both
    assert rise.npv == pytest.approx(npv(team_rise))
    # Vendor: lead 13 weeks = 3 months; m7-m9 it serves the planned 250 h (100 h unmet).
    vendor_rise = [
        *VENDOR_ALT_MONTHLY[:6],
        *[400 * 30 * 1.15 + 100 * 50] * 3,
        *[525 * 30 * 1.15] * 3,                                               # 1.5 x 350
        *[630 * 31.5 * 1.15] * 2,                                             # 1.5 x 420
    ]
    vrise = vendor.flexibility.stress[1]
    assert vrise.unmet_hours == pytest.approx(300)
    assert vrise.total_cost == pytest.approx(sum(vendor_rise))
    assert vrise.delta_vs_base == pytest.approx(12_937.5 + 13_041 + 15_000)  # 40,978.5
    assert vrise.npv == pytest.approx(npv(vendor_rise))


def test_part_time_fte_and_monthly_rate(write_scenario) -> None:
    from conftest import tiny_data

    data = tiny_data()
    data["options"][0]["part_time_allowed"] = True
    data["options"][0]["existing_fte"] = 2.5
    data["work"] = [{"name": "Analysis", "kind": "recurring", "fte": 2.5,
                     "specialization": "low"}]
    data["stress"] = []
    data["options"][1].pop("hourly_rate")
    data["options"][1]["fte_monthly_rate"] = 2_000      # EUR per 100 hours = 20 EUR/h
    result = api.compare(write_scenario(data))
    team = result.option("Team")
    # 2.5 FTE exactly (no rounding up), already employed: no hiring at all.
    assert team.lines["hiring"] == 0
    assert team.lines["salaries"] == pytest.approx(2.5 * (12 * 10_000 + 2 * 11_000))
    vendor = result.option("Vendor")
    # fte 2.5 -> 250 h -> billed max(375, 400) = 400 h at 2,000/100 x 1.5 = 30 USD/h.
    assert vendor.lines["vendor_fees"] == pytest.approx(12 * 400 * 30 + 2 * 400 * 31.5)


def test_headcount_tolerance_keeps_whole_heads() -> None:
    import numpy as np

    from kpo_calc.engine.in_house import planned_headcount
    from kpo_calc.scenario import InHouseOption

    option = InHouseOption(name="T", model="in_house", annual_salary=1.0, benefits_rate=0)
    demand = np.array([[300.0000000001, 300.1, 0.0]])
    # 3.000000000001 FTE is float noise: 3 heads; 3.001 FTE needs a 4th; no demand, none.
    assert planned_headcount(option, demand, np.array([[100.0]])).tolist() == [[3, 4, 0]]


def test_decision_threshold_on_both_sides(write_scenario) -> None:
    from conftest import tiny_data

    # On total cost the vendor (with its ramp-up and Team's wind-down) saves
    # 688,735 - 300,140 = 388,595, 56.42% of the baseline. Methodology 3 measures the
    # threshold on the cost it avoids: Team's 688,735 less what Team still costs in the
    # Vendor alternative (its wind-down, 60,000) = 628,735; 388,595 / 628,735 = 61.81%.
    share = (688_735 - 300_140) / 688_735
    avoided = 688_735 - WIND_DOWN
    assert 388_595 / avoided == pytest.approx(0.61806, abs=1e-5)
    data = tiny_data()
    data["decision"] = {"metric": "total", "min_savings": 0.61}
    rec = api.compare(write_scenario(data)).recommendation
    assert (rec.option, rec.clears_threshold) == ("Vendor", True)
    assert rec.savings == pytest.approx(388_595)
    assert rec.savings_pct == pytest.approx(share)
    assert rec.moved_base == pytest.approx(avoided)

    data["decision"] = {"metric": "total", "min_savings": 0.62}
    rec = api.compare(write_scenario(data)).recommendation
    assert (rec.option, rec.clears_threshold) == ("Team", False)
    assert rec.savings == 0
    assert ("short of the 62% minimum-savings threshold on the cost it avoids (it saves "
            f"61.8% of USD 628,735; required: USD {0.62 * avoided:,.0f})") in reason(rec)
    assert "would save only 56.4% (USD 388,595) by total cost" in reason(rec)


def test_discount_rate_zero_makes_npv_the_total(write_scenario) -> None:
    from conftest import tiny_data

    data = tiny_data()
    data["discount_rate"] = 0
    result = evaluate(api.load(write_scenario(data)))
    for option in result.options:
        assert option.npv == pytest.approx(option.total_cost)
        assert math.isclose(option.risk_adjusted_npv, option.risk_adjusted_total)
    # Undiscounted, the NPVs are the hand totals (the vendor's adds the 14,000 leak risk).
    assert result.option("Team").npv == pytest.approx(sum(TEAM_MONTHLY))  # 688,735
    assert sum(TEAM_MONTHLY) == pytest.approx(688_735)
    assert result.option("Vendor").risk_adjusted_npv == pytest.approx(
        sum(VENDOR_ALT_MONTHLY) + 14_000)  # with Team's 60,000 wind-down
    assert sum(VENDOR_MONTHLY) == pytest.approx(222_140 + 18_000)
