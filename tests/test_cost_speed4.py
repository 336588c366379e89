"""Per-file speed-ups of compare in the cost models (issue 13, item 22): each keeps
every figure and message as it was."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import kpo_calc.scenario as scenario_module
from conftest import two_vendors
from kpo_calc.engine.costing import _change, stressed_demand
from kpo_calc.engine.finance import months
from kpo_calc.engine.in_house import _previous, lead_time_cap
from kpo_calc.engine.lines import LINE_BY_NAME, book, lines_of
from kpo_calc.engine.models import cost_model
from kpo_calc.engine.outsourced import _engaged, _first
from kpo_calc.engine.values import KEEP_BYTES, POINT_VALUES, PathValues, PointValues, derived
from kpo_calc.scenario import InHouseOption, Scenario, uncertain_entries

# --- the uncertain inputs are walked once per scenario -------------------------------------


def _count_walks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    walk = scenario_module._find_uncertain

    def counted(*args: Any) -> None:
        if args[1] == "":  # the walk's start (it recurses into every model)
            calls[0] += 1
        walk(*args)

    monkeypatch.setattr(scenario_module, "_find_uncertain", counted)
    return calls


def test_validation_walks_once_and_compare_counts_from_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The challenger's rate and an fx rate are uncertain: validation's walk finds both,
    # and asking again (compare's count, simulate's inputs) walks no more.
    calls = _count_walks(monkeypatch)
    data = two_vendors(challenger="40 to 60", fx={"EUR": "0.9 to 1.1"})
    scenario = Scenario.model_validate(data)
    assert calls[0] == 1
    assert list(scenario.uncertain_inputs()) == ["options[Challenger].hourly_rate", "fx.EUR"]
    assert len(scenario.uncertain_inputs()) == 2
    assert calls[0] == 1


def test_a_copy_with_other_values_is_walked_anew(monkeypatch: pytest.MonkeyPatch) -> None:
    # model_copy keeps the private attributes: the walk kept for the original must not
    # answer for a copy whose options differ (here the incumbent's rate is uncertain too).
    calls = _count_walks(monkeypatch)
    scenario = Scenario.model_validate(two_vendors(challenger="40 to 60"))
    other = Scenario.model_validate(two_vendors(challenger=50.0))
    incumbent = other.options[0].model_copy(
        update={"hourly_rate": scenario.options[1].hourly_rate})
    copy = scenario.model_copy(update={"options": [incumbent, scenario.options[1]]})
    assert calls[0] == 2
    assert [p for p, _, _ in uncertain_entries(copy)] == [
        "options[Incumbent].hourly_rate", "options[Challenger].hourly_rate"]
    assert calls[0] == 3
    # ... while a copy with the same values reads the walk kept.
    same = scenario.model_copy(update={"name": "Renamed"})
    assert [p for p, _, _ in uncertain_entries(same)] == ["options[Challenger].hourly_rate"]
    assert calls[0] == 4  # the name is a field value too: walked anew, the same entries
    assert [p for p, _, _ in uncertain_entries(scenario)] == [
        "options[Challenger].hourly_rate"]
    assert calls[0] == 4


def test_the_entries_returned_are_the_callers_own() -> None:
    # Each call returns a new list: a caller that changes it leaves the walk kept alone.
    scenario = Scenario.model_validate(two_vendors(challenger="40 to 60"))
    uncertain_entries(scenario).clear()
    assert len(uncertain_entries(scenario)) == 1


# --- per-option figures made once: the planned capacity, the months of a test ---------------



def _vendor_with_tests() -> tuple[Scenario, Any]:
    # A vendor, 3 months, 100 hours a month, productivity 1, no rework or minimum, notice
    # 1 month, no ramp-up: a rise of 50% and a drop of 50%, both from month 2.
    data = two_vendors()
    data.update(horizon_months=3, stress=[
        {"name": "Rise", "from_month": 2, "demand_change": 0.5},
        {"name": "Drop", "from_month": 2, "demand_change": -0.5}])
    data["options"][0].update(notice_months=1, ramp_up_weeks=0)
    scenario = Scenario.model_validate(data)
    return scenario, scenario.options[0]


def test_the_stress_tests_read_the_capacity_costed_as_planned() -> None:
    # The planned billed hours (100 a month) are kept with the demand they were costed
    # for: the drop is billed at least 100 hours in its month of notice (month 2), then
    # 50. A demand of the same hours in another array is costed anew (same numbers).
    scenario, option = _vendor_with_tests()
    model = cost_model(option)
    v = PointValues()
    demand = np.array([[100.0, 100.0, 100.0]])
    planned = model.planned(option, scenario, demand, v)
    assert model.kept_capacity(option, scenario, demand, v) is planned.activity
    stressed = model.stressed_together(option, scenario, demand, scenario.stress, v,
                                       [None, None])
    assert stressed.activity.tolist() == [[100.0, 150.0, 150.0], [100.0, 100.0, 50.0]]
    again = demand.copy()
    assert model.kept_capacity(option, scenario, again, v) is not planned.activity
    assert model.kept_capacity(option, scenario, again, v).tolist() == [[100.0] * 3]


def test_a_run_over_trials_keeps_no_capacity() -> None:
    # (trials, months) arrays are not kept past their use: each ask makes it anew.
    scenario, option = _vendor_with_tests()
    model = cost_model(option)
    v = PathValues(scenario, {}, 2)
    demand = np.array([[100.0, 100.0, 100.0], [10.0, 0.0, 10.0]])
    first = model.kept_capacity(option, scenario, demand, v)
    assert first.tolist() == [[100.0] * 3, [10.0, 0.0, 10.0]]
    assert model.kept_capacity(option, scenario, demand, v) is not first


def test_the_months_of_a_test_by_hand() -> None:
    # Scale-up lead 0 weeks: ceil(0 - 1e-9) = 0 months of catching up after the rise;
    # notice 1 month: month 2 only after the drop. The rise has no notice, the drop no
    # catching up.
    scenario, option = _vendor_with_tests()
    model = cost_model(option)
    rise, drop = scenario.stress
    assert model.catching_up(option, scenario, rise, POINT_VALUES).tolist() == [[False] * 3]
    assert model.catching_up(option, scenario, drop, POINT_VALUES).tolist() == [[False] * 3]
    assert model.notice(option, scenario, drop).tolist() == [[False, True, False]]
    assert model.notice(option, scenario, rise).tolist() == [[False] * 3]
    slow = option.model_copy(update={"ramp_up_weeks": 6.0})  # 6 × 12 / 52 = 1.38: 2 months
    mask = model.catching_up(slow, scenario, rise, POINT_VALUES)
    assert mask.tolist() == [[False, True, True]]


def test_months_are_shared_and_read_only() -> None:
    assert months(4).tolist() == [1.0, 2.0, 3.0, 4.0]
    assert months(4) is months(4)
    assert not months(4).flags.writeable


@pytest.mark.parametrize(("row", "engaged"), [
    ([0, 0, 5, 0, 7, 0], [0, 0, 1, 1, 1, 0]), ([0, 0, 0], [0, 0, 0]), ([3, 0, 0], [1, 0, 0]),
    ([0, 0, 2], [0, 0, 1]), ([1, 2, 3], [1, 1, 1]), ([0, 4, 0], [0, 1, 0])])
def test_engaged_months_by_hand(row: list[float], engaged: list[int]) -> None:
    # From the first to the last month with demand; a row with none is never engaged.
    got = _engaged(np.array([row, [1.0] * len(row)], dtype=float))
    assert got.dtype == bool
    assert got.tolist() == [[bool(x) for x in engaged], [True] * len(row)]


def test_a_point_reading_gives_the_written_number_or_the_default() -> None:
    # 0.1 as written, None as the default given, and the same read-only array each time.
    scenario, option = _vendor_with_tests()
    v = PointValues()
    assert v(option, "hourly_rate").tolist() == [[40.0]]
    assert v(scenario, "unmet_hour_cost", 7.0).tolist() == [[7.0]]
    assert v(scenario, "unmet_hour_cost").tolist() == [[0.0]]
    assert v(option, "hourly_rate") is v(option, "hourly_rate")
    assert not v(option, "hourly_rate").flags.writeable


def test_stressed_demand_by_hand_and_the_change_kept_per_test() -> None:
    # 100 hours a month for 3 months; a drop of 40% from month 2: 100, 60, 60. With an
    # affected part of 50 hours a month, only that part drops: 100, 100 - 20, 100 - 20.
    scenario, _ = _vendor_with_tests()
    drop = scenario.stress[1].model_copy(update={"demand_change": -0.4})
    demand = np.array([[100.0, 100.0, 100.0]])
    assert stressed_demand(demand, drop).tolist() == [[100.0, 60.0, 60.0]]
    part = np.array([[50.0, 50.0, 50.0]])
    assert stressed_demand(demand, drop, part).tolist() == [[100.0, 80.0, 80.0]]
    change, factor = _change(drop, 3)
    assert change.tolist() == [0.0, -0.4, -0.4]
    assert factor.tolist() == [1.0, 1 - 0.4, 1 - 0.4]
    assert _change(drop, 3)[1] is factor
    assert not factor.flags.writeable


def test_previous_headcount_by_hand() -> None:
    # existing_fte 2 before month 1, then each month's headcount a month late; one
    # existing figure serves every row.
    got = _previous(np.array([[3.0, 4.0, 1.0], [0.0, 5.0, 6.0]]), np.full((1, 1), 2.0))
    assert got.tolist() == [[2.0, 3.0, 4.0], [2.0, 0.0, 5.0]]
    assert _previous(np.array([[7.0]]), np.full((1, 1), 2.0)).tolist() == [[2.0]]


def test_the_months_before_hires_by_hand() -> None:
    # time_to_hire_months 1.4: new staff from month 1 + ceil(1.4) = 3. Existing staff 1,
    # 140 hours each; demand 280 hours a month needs 2: 1 in months 1 and 2 (140 hours
    # unmet in each), 2 from month 3.
    data = two_vendors()
    data["options"][0] = {"name": "Team", "model": "in_house", "annual_salary": 60000,
                          "benefits_rate": 0.2, "time_to_hire_months": 1.4,
                          "existing_fte": 1}
    scenario = Scenario.model_validate(data)
    option = scenario.options[0]
    assert isinstance(option, InHouseOption)
    demand = np.full((1, 4), 280.0)
    hpf = np.full((1, 1), 140.0)
    hc, unmet = lead_time_cap(option, demand, np.full((1, 4), 2.0), hpf, PointValues())
    assert hc.tolist() == [[1.0, 1.0, 2.0, 2.0]]
    assert unmet.tolist() == [[140.0, 140.0, 0.0, 0.0]]


def test_a_derived_figure_is_made_once_per_owners() -> None:
    made: list[int] = []

    def make() -> np.ndarray:
        made.append(1)
        return np.ones((1, 2))

    v = PointValues()
    a, b = object(), object()
    first = derived(v, "kind", (a, None), make)
    assert derived(v, "kind", (a, None), make) is first
    assert derived(v, "other", (a, None), make) is not first
    assert derived(v, "kind", (b, None), make) is not first
    assert len(made) == 3
    assert not first.flags.writeable


def test_a_point_reading_keeps_no_large_figure() -> None:
    # The point reading serves the whole process: a block of 256 rows × 600 months of
    # float64 is 1,228,800 bytes > KEEP_BYTES (65,536), made again when asked again and
    # left writable (not shared); 8,192 floats (65,536 bytes, the bound itself) are kept.
    made: list[int] = []

    def make(shape: tuple[int, int]) -> np.ndarray:
        made.append(1)
        return np.ones(shape)

    v = PointValues()
    owner = object()
    assert 256 * 600 * 8 > KEEP_BYTES == 8_192 * 8
    large = derived(v, "large", (owner,), lambda: make((256, 600)))
    again = derived(v, "large", (owner,), lambda: make((256, 600)))
    assert again is not large
    assert large.flags.writeable
    at_bound = derived(v, "bound", (owner,), lambda: make((1, 8_192)))
    assert derived(v, "bound", (owner,), lambda: make((1, 8_192))) is at_bound
    assert len(made) == 3
    assert len(v.derived) == 1
    # A reading over trials keeps its figures, whatever their size: it ends with its chunk.
    trials = PathValues(scenario_module.Scenario.model_validate(two_vendors()), {}, 256)
    big = derived(trials, "large", (owner,), lambda: make((256, 600)))
    assert derived(trials, "large", (owner,), lambda: make((256, 600))) is big
    assert len(made) == 4


# --- terms over an option's fixed inputs are computed once per operands ---------------------


def _vendor_drivers(selection: float, transition: float, months_: int = 3) -> dict[str, Any]:
    one, zero = np.full((1, 1), 1.0), np.zeros((1, 1))
    return {
        "billed": np.full((1, months_), 10.0), "rate": np.full((1, months_), 2.0),
        "governance_rate": zero, "communication_overhead": zero, "indirect_tax_rate": zero,
        "withholding_tax_rate": zero, "engaged": np.ones((1, months_), dtype=bool),
        "retained_cost_per_year": np.full((1, 1), 1200.0),
        "month": months(months_),
        "vendor_selection_cost": np.full((1, 1), selection), "transition_months": 2,
        "transition_cost": np.full((1, 1), transition),
        "first_billed": np.array([[True] + [False] * (months_ - 1)]), "ramp_up_weeks": zero,
        "unmet": np.zeros((1, months_)), "unmet_hour_cost": one}


def test_fixed_terms_by_hand_and_kept_per_operands() -> None:
    # Selection 500 in month 1; transition 300 over 2 months: 150, 150, 0; retained
    # 1,200 a year: 100 a month; fees 10 hours × 2 = 20 a month.
    names = ("vendor_fees", "retained", "vendor_selection", "transition", "unmet_work")
    drivers = _vendor_drivers(500.0, 300.0)
    first = book(names, drivers)
    assert first["vendor_fees"].tolist() == [[20.0] * 3]
    assert first["retained"].tolist() == [[100.0] * 3]
    assert first["vendor_selection"].tolist() == [[500.0, 0.0, 0.0]]
    assert first["transition"].tolist() == [[150.0, 150.0, 0.0]]
    # The same operands (another part, a stress test): the same arrays, read-only.
    again = book(names, {**drivers, "billed": np.full((1, 3), 5.0)})
    assert again["vendor_selection"] is first["vendor_selection"]
    assert again["transition"] is first["transition"]
    assert not first["transition"].flags.writeable
    assert again["vendor_fees"].tolist() == [[10.0] * 3]
    # Other operands (another vendor): its own figures, never the kept ones.
    other = book(names, _vendor_drivers(800.0, 300.0))
    assert other["vendor_selection"].tolist() == [[800.0, 0.0, 0.0]]
    assert book(names, {**drivers, "transition_months": 3})["transition"].tolist() == [
        [100.0, 100.0, 100.0]]


def test_a_term_with_a_row_per_trial_is_not_kept() -> None:
    # A simulation's selection cost drawn per trial: 3,000 trials × 3 months of float64
    # = 72,000 bytes > KEEP_BYTES (65,536), so the term is computed, not kept: each chunk
    # draws anew, and keeping them held 600 MB at a million trials.
    from kpo_calc.engine import lines

    trials = 3_000
    assert trials * 3 * 8 > KEEP_BYTES
    drivers = {**_vendor_drivers(500.0, 300.0),
               "vendor_selection_cost": np.linspace(400.0, 600.0, trials)[:, None]}
    lines._FIXED.clear()
    booked = book(("vendor_selection",), drivers)
    assert booked["vendor_selection"].shape == (trials, 3)
    assert booked["vendor_selection"][:, 0].tolist() == drivers["vendor_selection_cost"][
        :, 0].tolist()
    assert booked["vendor_selection"][:, 1:].tolist() == [[0.0, 0.0]] * trials
    assert all(value.nbytes <= KEEP_BYTES for _, value in lines._FIXED.values()
               if isinstance(value, np.ndarray))
    assert book(("vendor_selection",), drivers)["vendor_selection"] is not booked[
        "vendor_selection"]


def test_every_line_booked_is_its_formula_alone() -> None:
    # The booker (shared terms, fixed terms kept) gives each line exactly what its
    # formula gives evaluated on its own, twice in a row (the second from the kept terms).
    drivers = _vendor_drivers(500.0, 300.0, 5)
    drivers.update(withholding_tax_rate=np.full((1, 1), 0.1), ramp_up_weeks=np.full((1, 1), 3.0),
                   other_recurring=np.zeros((1, 5)), other_one_time=np.zeros((1, 5)))
    names = lines_of("kpo")
    for _ in range(2):
        booked = book(names, drivers)
        for name in names:
            alone = LINE_BY_NAME[name].compute(drivers)
            assert np.array_equal(booked[name], alone), name
            assert booked[name].tobytes() == np.broadcast_to(alone, booked[name].shape).tobytes()


@pytest.mark.parametrize(("row", "first"), [
    ([0, 0, 5, 0, 7], [0, 0, 1, 0, 0]), ([0, 0, 0], [0, 0, 0]), ([3, 0, 2], [1, 0, 0]),
    ([0, 0, 2], [0, 0, 1]), ([0, 1, 1], [0, 1, 0])])
def test_first_months_by_hand(row: list[float], first: list[int]) -> None:
    # The first month with a positive amount; a row with none has no first month.
    got = _first(np.array([row, [0.0] * (len(row) - 1) + [1.0]], dtype=float))
    assert got.dtype == bool
    assert got.tolist() == [[bool(x) for x in first], [False] * (len(row) - 1) + [True]]
