"""The engine's speed-ups compute the same numbers: shared terms of the line formulas,
and figures made once per sampled reading."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import two_vendors
from kpo_calc.engine.lines import LINE_BY_NAME, book, booker, lines_of
from kpo_calc.engine.values import PathValues, PointValues, derived
from kpo_calc.scenario import Scenario


def _vendor_drivers() -> dict[str, object]:
    return {
        "billed": np.array([[100.0, 0.0, 50.0]]), "rate": np.array([[20.0, 20.0, 22.0]]),
        "governance_rate": np.full((1, 1), 0.05), "communication_overhead": np.full((1, 1), 0.02),
        "indirect_tax_rate": np.full((1, 1), 0.06), "withholding_tax_rate": np.full((1, 1), 0.1),
        "engaged": np.array([[True, True, True]]),
        "retained_cost_per_year": np.full((1, 1), 1200.0),
        "month": np.array([1.0, 2.0, 3.0]), "vendor_selection_cost": np.full((1, 1), 500.0),
        "transition_months": 2, "transition_cost": np.full((1, 1), 300.0),
        "first_billed": np.array([[True, False, False]]), "ramp_up_weeks": np.full((1, 1), 13.0),
        "unmet": np.zeros((1, 3)), "unmet_hour_cost": np.full((1, 1), 0.0),
        "other_recurring": np.zeros((1, 3)), "other_one_time": np.zeros((1, 3)),
    }


def test_book_shares_terms_and_keeps_every_number() -> None:
    drivers = _vendor_drivers()
    lines = book(lines_of("kpo"), drivers)
    # vendor fees: billed × rate = 100×20, 0×20, 50×22
    assert lines["vendor_fees"].tolist() == [[2000.0, 0.0, 1100.0]]
    # governance: 5% of the fees: 100, 0, 55
    assert np.allclose(lines["governance"], [[100.0, 0.0, 55.0]])
    # withholding: fees × 0.1 / 0.9 = 222.22…, 0, 122.22…
    assert np.allclose(lines["withholding_tax"], [[2000 / 9, 0.0, 1100 / 9]])
    # ramp-up: half of 13 weeks (3 months) of month 1's fees: 0.5 × 3 × 2000 = 3000
    assert lines["ramp_up"].tolist() == [[3000.0, 0.0, 0.0]]
    # transition: 300 over 2 months
    assert lines["transition"].tolist() == [[150.0, 150.0, 0.0]]
    # bit for bit what each formula gives evaluated alone
    for name, value in lines.items():
        alone = LINE_BY_NAME[name].compute(drivers)
        assert np.array_equal(value, alone), name
        assert np.shape(value) == np.shape(alone), name


def test_book_runs_every_formula_in_one_function() -> None:
    # a formula outside the grammar would be evaluated alone (correct, but slower)
    for kind in ("in_house", "kpo", "bpo", "contractor"):
        assert ".compute(" not in (booker(lines_of(kind)).__doc__ or ""), kind
    # the vendor's fees are computed once and read by five other lines
    assert (booker(lines_of("kpo")).__doc__ or "").count("(d0 * d1)") == 1


def test_book_names_a_missing_driver() -> None:
    drivers = _vendor_drivers()
    del drivers["rate"]
    with pytest.raises(NameError, match="'rate'"):
        book(("vendor_fees",), drivers)


def test_derived_once_per_reading_and_owners() -> None:
    scenario = Scenario.model_validate(two_vendors())
    incumbent, challenger = scenario.options
    made: list[str] = []

    def make(name: str) -> np.ndarray:
        made.append(name)
        return np.full((1, 1), 2.0)

    sampled = PathValues(scenario, {}, 4)
    first = derived(sampled, "x", (incumbent,), lambda: make("a"))
    assert derived(sampled, "x", (incumbent,), lambda: make("b")) is first
    assert made == ["a"]  # the second read is the first figure, kept read-only
    assert not first.flags.writeable
    derived(sampled, "x", (challenger,), lambda: make("c"))  # another owner
    derived(sampled, "y", (incumbent,), lambda: make("d"))  # another kind
    derived(PathValues(scenario, {}, 4), "x", (incumbent,), lambda: make("e"))  # a chunk
    assert made == ["a", "c", "d", "e"]
    point = PointValues()
    derived(point, "x", (incumbent,), lambda: make("f"))
    derived(point, "x", (incumbent,), lambda: make("g"))
    # an equal but distinct model (another file) is another owner
    derived(point, "x", (incumbent.model_copy(),), lambda: make("h"))
    assert made == ["a", "c", "d", "e", "f", "h"]


def test_derived_without_a_memo_makes_each_time() -> None:
    class Plain:
        trials = 1

    made: list[int] = []
    derived(Plain(), "x", (), lambda: np.full((1, 1), float(len(made.append(1) or made))))
    derived(Plain(), "x", (), lambda: np.full((1, 1), float(len(made.append(1) or made))))
    assert len(made) == 2
