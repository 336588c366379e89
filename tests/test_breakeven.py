"""``breakeven`` and ``sensitivity`` on cases worked by hand (design section 9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SCENARIOS, run_cli, two_vendors
from kpo_calc import api
from kpo_calc.engine.sensitivity import breakeven, sensitivity
from kpo_calc.scenario import Scenario


def test_breakeven_of_a_rate_by_hand() -> None:
    # Equal cost: 1,200 × r = 48,000 -> r = 40. Clearing: the challenger avoids all of the
    # incumbent's 48,000, so it must save 10% of that, 4,800: 48,000 − 1,200 r ≥ 4,800
    # -> r ≤ 36. Searched from 0.05 (the rate must be positive: an open end is kept 0.1%
    # of the current 50 away) to 50 + 10 × 50.
    r = breakeven(Scenario.model_validate(two_vendors()), "options[Challenger].hourly_rate")
    assert r.option == "Challenger"
    assert r.against == "Incumbent"
    assert r.current == 50
    assert r.low == pytest.approx(0.05)
    assert r.high == 550
    assert r.equal_at == pytest.approx(40, rel=1e-6)
    assert r.clears_at == pytest.approx(36, rel=1e-5)
    assert r.clears_now is False


def test_breakeven_says_when_there_is_no_crossing() -> None:
    # The incumbent's hours: changing the work changes both sides alike (1,200 h × 10 in
    # the rate gap): the gap 1,200 × (50 − 40) never reaches 0 for positive hours.
    scenario = Scenario.model_validate(two_vendors())
    r = breakeven(scenario, "work[Reports].hours_per_month")
    assert r.equal_at is None
    assert r.clears_at is None


def test_tornado_by_hand() -> None:
    # The challenger at 30: total 36,000, savings 12,000 against 48,000 (clears: 12,000 ≥
    # 4,800). ±20% of the challenger's rate: 24 -> savings 48,000 − 28,800 = 19,200;
    # 36 -> 48,000 − 43,200 = 4,800 (just clears: the threshold is ≥). The incumbent's
    # rate ±20%: 32 -> 38,400 − 36,000 = 2,400 (fails: 10% of 38,400 is 3,840), so the
    # recommendation switches where 1,200 × (r − 30) = 0.1 × 1,200 r, r = 30/0.9 = 33.33.
    result = sensitivity(Scenario.model_validate(two_vendors(30)), swing=0.2)
    assert (result.alternative, result.against) == ("Challenger", "Incumbent")
    rows = {r.input: r for r in result.rows}
    mine = rows["options[Challenger].hourly_rate"]
    assert (mine.low, mine.high) == pytest.approx((24, 36))
    assert (mine.savings_low, mine.savings_high) == pytest.approx((19_200, 4_800))
    theirs = rows["options[Incumbent].hourly_rate"]
    assert (theirs.savings_low, theirs.savings_high) == pytest.approx((2_400, 21_600))
    assert theirs.switching_value == pytest.approx(100 / 3, rel=1e-5)
    assert theirs.switches_to == "Incumbent"
    # Productivity (default 1) is an input too, ±20%. The incumbent's: 0.8 -> 1,500 h a
    # year at 40 = 60,000, savings 24,000; 1.2 -> 1,000 h = 40,000, savings 4,000: a swing
    # of 20,000, the widest; then the incumbent's rate (2,400 to 21,600: 19,200), the
    # challenger's productivity (0.8: 45,000, savings 3,000; 1.2: 30,000, savings 18,000:
    # 15,000) and its rate (14,400).
    assert [r.input for r in result.rows[:4]] == [
        "options[Incumbent].productivity", "options[Incumbent].hourly_rate",
        "options[Challenger].productivity", "options[Challenger].hourly_rate"]
    assert [r.swing for r in result.rows[:4]] == pytest.approx([20_000, 19_200, 15_000,
                                                                14_400])
    # The work's hours scale both sides: 12,000 × 0.8 and × 1.2, no switch.
    hours = rows["work[Reports].hours_per_month"]
    assert (hours.savings_low, hours.savings_high) == pytest.approx((9_600, 14_400))
    assert hours.switching_value is None


def test_breakeven_cli_names_the_closest_path(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(two_vendors()), encoding="utf-8")
    done = run_cli("breakeven", path, "--input", "options[Challenger].hourly_rat")
    assert done.returncode == 2
    assert "did you mean 'options[Challenger].hourly_rate'" in done.stderr
    assert "Traceback" not in done.stderr
    done = run_cli("breakeven", path, "--input", "horizon_months")
    assert done.returncode == 2
    assert "structure" in done.stderr
    done = run_cli("breakeven", path, "--input", "options[Challenger].hourly_rate",
                   "--option", "Challengr")
    assert done.returncode == 2
    assert "did you mean 'Challenger'" in done.stderr


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_breakeven_and_sensitivity_in_every_format(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(two_vendors()), encoding="utf-8")
    done = run_cli("breakeven", path, "--input", "options[Challenger].hourly_rate",
                   "--format", fmt)
    assert done.returncode == 0, done.stderr
    if fmt == "json":
        b = json.loads(done.stdout)["breakevens"][0]
        assert b["equal_at"] == pytest.approx(40, rel=1e-6)
        assert set(b) >= {"scenario", "input", "option", "against", "current", "equal_at",
                          "clears_at"}
    else:
        assert "40" in done.stdout
    done = run_cli("sensitivity", path, "--format", fmt)
    assert done.returncode == 0, done.stderr
    if fmt == "json":
        s = json.loads(done.stdout)["sensitivities"][0]
        assert set(s) >= {"scenario", "alternative", "against", "rows"}
        assert set(s["rows"][0]) >= {"input", "low", "high", "savings_low", "savings_high",
                                     "switching_value"}


def test_sensitivity_on_an_example_runs_one_design() -> None:
    scenario = api.load(SCENARIOS / "insurer-claims-actuarial-myr.yaml")
    result = sensitivity(scenario)
    assert len(result.rows) > 30
    # Sorted by how far each input moves the savings.
    swings = [r.swing for r in result.rows]
    assert swings == sorted(swings, reverse=True)


def test_two_alternatives_that_tie_everywhere_have_no_crossing() -> None:
    # Two identical vendors: every value of the work's hours costs them the same (to the
    # last bit or within float noise), so there is no crossing to report.
    data = two_vendors(40)
    scenario = Scenario.model_validate(data)
    r = breakeven(scenario, "work[Reports].hours_per_month", "Challenger", "Incumbent")
    assert r.equal_everywhere is True
    assert r.equal_at is None


def test_a_full_swing_stays_off_the_open_end(recwarn: pytest.WarningsRecorder) -> None:
    # --swing 1 takes a rate to 0, which the field excludes: the tornado's low end is
    # kept 0.1% of the value away (50 × 0.001 = 0.05), and no numpy warning escapes.
    result = sensitivity(Scenario.model_validate(two_vendors()), swing=1.0)
    rows = {r.input: r for r in result.rows}
    assert rows["options[Challenger].hourly_rate"].low == pytest.approx(0.05)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_breakeven_names_a_cut_path_and_the_reporting_currency(tmp_path: Path) -> None:
    # A path cut short suggests the first field under it (options[Challenger] has
    # hourly_rate first); the reporting currency's own rate is 1 by definition.
    data = two_vendors()
    data["fx"] = {"EUR": 1.1}
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")
    done = run_cli("breakeven", path, "--input", "options[Challenger]")
    assert done.returncode == 2
    assert "did you mean 'options[Challenger]." in done.stderr
    done = run_cli("breakeven", path, "--input", "fx.USD")
    assert done.returncode == 2
    assert "reporting currency" in done.stderr
    assert run_cli("breakeven", path, "--input", "fx.EUR").returncode == 0


def test_an_input_at_zero_is_searched_up_to_the_baseline_metric() -> None:
    # The challenger's governance rate is 0 by default: a rate has no size of its own, so
    # it is searched over its field's range (0 to 1, smaller than the baseline's 48,000).
    # Fees 1,200 × 50 = 60,000 × (1 + g) never fall to 48,000 for g ≥ 0: no crossing; at
    # the rate 30 instead (36,000), 36,000 (1 + g) = 48,000 at g = 1/3.
    r = breakeven(Scenario.model_validate(two_vendors(30)),
                  "options[Challenger].governance_rate")
    assert (r.low, r.high) == (0.0, 1.0)
    assert r.equal_at == pytest.approx(1 / 3, rel=1e-6)
