"""Batch speed-ups (issue 13, item 22) that must not change a message or a number."""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from conftest import SCENARIOS, two_vendors
from kpo_calc import api
from kpo_calc.distributions import parse
from kpo_calc.engine import flexibility as flexibility_module
from kpo_calc.engine.demand import total_demand
from kpo_calc.engine.finance import discount_factors
from kpo_calc.engine.flexibility import StressFigures, _stress, flexibility
from kpo_calc.engine.models import AnyOption, cost_model
from kpo_calc.engine.plans import Coster, alternatives
from kpo_calc.engine.values import POINT_VALUES, Array
from kpo_calc.paths import located_numbers
from kpo_calc.scenario import (
    Bounds,
    OutsourcedOption,
    Scenario,
    Uncertain,
    _file_position,
    distribution_problem,
    name_key,
    uncertain_entries,
)

UNIT = Bounds(0.0, 1.0, low_open=True)


@pytest.mark.parametrize("params", [
    [0.8, 0.9, 1.0], [0.7, 0.85, 1.0], [0.5, 0.5, 0.9], [1e-300, 2e-300, 3e-300],
    [0.1, 0.999999, 1.0], [0.25, 0.25, 0.25]])
def test_a_pert_within_bounds_is_accepted_without_its_quantiles(params: list[float]) -> None:
    # Every one of these has quantiles within [min, max] (checked the slow way here),
    # so validation has nothing to say, as before it skipped computing them.
    d = parse({"pert": params})
    assert all(params[0] <= d.quantile(q) <= params[2] for q in (0.05, 0.95))
    assert distribution_problem(d, UNIT) is None


def test_a_pert_too_wide_for_a_float_is_still_refused() -> None:
    # max − min = 2e308 overflows: the quantiles min + t × inf are infinite (t > 0), the
    # mean (−1e308 + 0 + 1e308) / 6 = 0 is not; both ways the message is the same.
    d = parse({"pert": [-1e308, 0.0, 1e308]})
    assert d.mean == 0.0
    assert not math.isfinite(d.quantile(0.05))
    assert distribution_problem(d, Bounds()) == (
        "pert(-1e+308, 0, 1e+308) is too wide to have a finite mean; narrow it")


def test_a_pert_outside_bounds_names_its_end() -> None:
    d = parse({"pert": [0.5, 0.9, 1.2]})
    assert distribution_problem(d, UNIT) == (
        "pert(0.5, 0.9, 1.2) goes up to 1.2, above the largest allowed value 1 for this "
        "field; lower its maximum")


# --- stress tests costed together (one pass for the tests that move no exchange rate) ----

STRESS = [
    {"name": "Surge", "from_month": 13, "demand_change": 0.3},
    {"name": "Sold", "from_month": 25, "demand_change": -0.4},
    {"name": "Dollar up", "from_month": 7, "fx": {"USD": 0.15}},
    {"name": "Claims only", "from_month": 4, "demand_change": 0.75,
     "work": ["Claims data entry"]},
    {"name": "Migration cut", "from_month": 2, "demand_change": -1,
     "work": ["IFRS 17 migration", "Actuarial analytics"]},
]


def _insurer(stress: list[dict[str, Any]]) -> Scenario:
    data = yaml.safe_load((SCENARIOS / "insurer-claims-actuarial-myr.yaml").read_text())
    data["stress"] = stress
    return Scenario.model_validate(data)


def _one_at_a_time(option: AnyOption, scenario: Scenario, demand: Array, factors: Array,
                   affected: list[Array | None]) -> list[StressFigures]:
    planned = cost_model(option).planned(option, scenario, demand, POINT_VALUES)
    total = planned.total.sum(axis=1)
    return [_stress(option, scenario, demand, test, total, factors, POINT_VALUES, part)
            for test, part in zip(scenario.stress, affected, strict=True)]


def test_stress_tests_together_are_each_test_alone_bit_for_bit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Every kind of option (two in-house teams, a BPO and a KPO with notice periods, contract
    # staff), as parts of plans (rows of one demand array: the examples' plans) and alone,
    # under rises, drops to nothing, tests on some items only, and an exchange-rate shock
    # (costed on its own, as before).
    scenario = _insurer(STRESS)
    coster = Coster(scenario, total_demand(scenario, POINT_VALUES), POINT_VALUES,
                    discount_factors(POINT_VALUES(scenario, "discount_rate"),
                                     scenario.horizon_months))
    compared = 0
    for o, option in enumerate(scenario.options):
        rows = sorted({coster.vectors(a.assign)[o] for a in alternatives(scenario)} - {None})
        table = np.array(rows, dtype=np.float64)
        demand, affected = coster._rows(table), coster._affected_rows(table)
        planned = cost_model(option).planned(option, scenario, demand, POINT_VALUES)
        alone_calls: list[str] = []
        with monkeypatch.context() as m:
            m.setattr(flexibility_module, "_stress",
                      lambda *a, seen=alone_calls: seen.append(a[3].name) or _stress(*a))
            together = flexibility(option, planned, scenario, demand, coster.factors,
                                   POINT_VALUES, affected).stress
        assert alone_calls == ["Dollar up"]  # the others in one pass
        alone = _one_at_a_time(option, scenario, demand, coster.factors, affected)
        assert [s.name for s in together] == [t["name"] for t in STRESS]
        for mine, theirs in zip(together, alone, strict=True):
            for field in ("total_cost", "npv", "delta_vs_base", "unmet_hours", "unmet_cost"):
                a, b = getattr(mine, field), getattr(theirs, field)
                assert np.array_equal(np.broadcast_to(a, b.shape), b), (option.name, field)
                compared += b.size
    assert compared >= 5 * 5 * 5  # every option, test and figure, some parts as rows


def test_the_stress_rows_follow_each_test_by_hand() -> None:
    # A vendor alone, 3 months, 100 hours a month, productivity 1, no rework or minimum,
    # notice 1 month, no ramp-up (scale-up lead 0 months): a rise of 50% from month 2 is
    # served at once (150 hours billed), a drop of 50% from month 2 is billed at the
    # planned 100 hours for the month of notice, then 50.
    data = two_vendors()
    data.update(horizon_months=3, stress=[
        {"name": "Rise", "from_month": 2, "demand_change": 0.5},
        {"name": "Drop", "from_month": 2, "demand_change": -0.5}])
    scenario = Scenario.model_validate(data)
    option = scenario.options[0]
    option_data = data["options"][0]
    rate = option_data["hourly_rate"]
    assert isinstance(option, OutsourcedOption)
    option = option.model_copy(update={"notice_months": 1, "ramp_up_weeks": 0.0})
    demand = np.array([[100.0, 100.0, 100.0]])
    costing = cost_model(option).stressed_together(
        option, scenario, demand, scenario.stress, POINT_VALUES, [None, None])
    assert costing.activity.tolist() == [[100.0, 150.0, 150.0], [100.0, 100.0, 50.0]]
    assert costing.unmet_hours.tolist() == [[0.0] * 3, [0.0] * 3]
    assert costing.lines["vendor_fees"][:, 1].tolist() == [150.0 * rate, 100.0 * rate]


# --- uncertain inputs found by a walk of their own ----------------------------------------


@pytest.mark.parametrize("path", [*sorted(SCENARIOS.glob("*.yaml")),
                                  SCENARIOS.parent / "tests" / "data" / "uncertain-full.yaml"],
                         ids=lambda p: p.name)
def test_uncertain_entries_are_the_generic_walks(path: Path) -> None:
    # The generic walk (paths.located_numbers, every number of every model) filtered to
    # the uncertain ones, then put in file order: the same entries, the same objects.
    scenario = api.load(path)
    slow = [(p, at, v) for p, at, _, _, v in located_numbers(scenario)
            if isinstance(v, Uncertain)]
    source = scenario._source
    slow.sort(key=lambda entry: _file_position(source, entry[1]))
    fast = uncertain_entries(scenario)
    assert [(p, at, id(v)) for p, at, v in fast] == [(p, at, id(v)) for p, at, v in slow]


def test_uncertain_entries_by_hand() -> None:
    # Two vendors, the challenger's rate a 90% interval, an fx rate and its drift written
    # as distributions, and a risk's impact: in file order (fx is written last here),
    # named by path.
    data = two_vendors(challenger="40 to 60", currency="EUR")
    data["options"][1].update(currency="USD", risks=[
        {"name": "Breach", "annual_probability": 0.1, "impact": "1000 to 3000"}])
    data["fx"] = {"USD": {"rate": "0.8 to 1.0", "drift": {"normal": [0.0, 0.01]}}}
    entries = uncertain_entries(Scenario.model_validate(data))
    assert [(p, at) for p, at, _ in entries] == [
        ("options[Challenger].hourly_rate", ("options", 1, "hourly_rate")),
        ("options[Challenger].risks[Breach].impact", ("options", 1, "risks", 0, "impact")),
        ("fx.USD", ("fx", "USD", "rate")), ("fx.USD.drift", ("fx", "USD", "drift"))]


# --- names: an ASCII name needs no Unicode folding ----------------------------------------


def _name_key_by_definition(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name)
    folded = "".join(c for c in folded if unicodedata.category(c) != "Cf")
    return " ".join(folded.split()).casefold()


@pytest.mark.parametrize("name", [
    "".join(chr(i) for i in range(128)), "  KPO\\tIndia \\x1c x", "KPO\tIndia\x0b\x1f B",
    "In-house  TEAM", "", "Café\u00a0Team", "KPO\u200bIndia", "ﬁnance"])
def test_name_key_is_its_definition(name: str) -> None:
    # ASCII takes the short way (NFKC leaves it as it is and it has no format character);
    # the rest the long way: the keys are the definition's either way.
    assert name_key(name) == _name_key_by_definition(name)


def test_name_keys_by_hand() -> None:
    assert name_key("  KPO   india ") == "kpo india"
    assert name_key("KPO\u00a0India") == "kpo india"  # a no-break space is a space
    assert name_key("KPO\u200bIndia") == "kpoindia"  # an invisible format character goes
