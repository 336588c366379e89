"""Uncertain inputs in the scenario format (design section 3; section 9 for paths and
correlations): which numbers take a distribution, what the value becomes, the messages
for each way of writing one wrongly, correlations, the JSON Schema and ``compare``.
"""

from __future__ import annotations

import copy
import json
import math
import pickle
import time
import typing
from pathlib import Path
from typing import Annotated, Any

import pytest
import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from conftest import ROOT, TINY, run_cli
from kpo_calc import api
from kpo_calc.diagnostics import InputError
from kpo_calc.distributions import parse
from kpo_calc.loader import parse_document
from kpo_calc.scenario import (
    STRUCTURAL_FIELDS,
    Bounds,
    ContractorOption,
    FxRate,
    OutsourcedOption,
    Sampleable,
    Scenario,
    StressTest,
    Transition,
    Uncertain,
    _types,
    field_at,
    is_sampleable,
    uncertain,
)
from kpo_calc.validation import check_document
from test_corpus import check_jsonschema

FULL = ROOT / "tests" / "data" / "uncertain-full.yaml"


def diagnostics(text: str) -> list[str]:
    try:
        doc = parse_document(text.encode(), "t.yaml")
    except InputError as exc:
        return [d.text() for d in exc.diagnostics]
    return [d.text() for d in check_document(doc)[1] if d.severity == "error"]


def load(text: str) -> Scenario:
    scenario, found = check_document(parse_document(text.encode(), "t.yaml"))
    assert scenario is not None, [d.text() for d in found]
    return scenario


def tiny(old: str, new: str) -> str:
    text = TINY.replace(old, new, 1)
    assert text != TINY, old
    return text


# --- the value: Uncertain is the mean -----------------------------------------------------

@pytest.mark.parametrize(("written", "mean"), [
    # lognormal 90% interval: mu = (ln 80000 + ln 120000) / 2 = ln 97979.59,
    # sigma = ln 1.5 / (2 x 1.644854) = 0.123253, mean = 97979.59 x e^(0.123253^2 / 2)
    # = 97979.59 x 1.0076246 = 98726.7
    ("80000 to 120000", 98726.7),
    ({"low": 80000, "high": 120000}, 98726.7),
    ("-0.02 to 0.04", 0.01),  # a normal: the midpoint
    ({"triangular": [1, 2, 6]}, 3.0),  # (1 + 2 + 6) / 3
    ({"pert": [1, 2, 6]}, 2.5),  # (1 + 4 x 2 + 6) / 6
    ({"uniform": [2, 4]}, 3.0),
    ({"normal": [5, 0.5]}, 5.0),
    ("7 to 7", 7.0),  # width 0: exactly the number
])
def test_an_uncertain_value_is_its_mean(written: Any, mean: float) -> None:
    value = uncertain(written, Bounds(-10, 1e6))
    assert isinstance(value, float)
    assert float(value) == pytest.approx(mean, rel=1e-6)
    assert value.distribution == parse(written)
    assert value.bounds == Bounds(-10, 1e6)


def test_an_uncertain_value_survives_copies_and_pickling() -> None:
    value = uncertain({"pert": [1, 2, 6]}, Bounds(0, 10))
    for other in (copy.copy(value), copy.deepcopy(value), pickle.loads(pickle.dumps(value))):
        assert isinstance(other, Uncertain)
        assert float(other) == 2.5
        assert other.distribution == value.distribution
        assert other.bounds == value.bounds
    assert value.describe() == "pert(1, 2, 6)"
    assert json.dumps(value) == "2.5"  # a float to every writer
    assert f"{value}" == "2.5"


@pytest.mark.parametrize(("written", "bounds", "expected"), [
    ("-1 to -1", Bounds(0, 1), "-1 to -1 is always -1, below the smallest allowed value 0 "
     "for this field"),
    ({"uniform": [0.5, 1]}, Bounds(0, 1, high_open=True),
     "uniform(0.5, 1) goes up to 1, but this field must be less than 1; lower its maximum"),
    ("0.5 to 1", Bounds(0, 1, high_open=True),
     "the 90% interval 0.5 to 1 goes up to 1 or above, but this field must be less than 1; "
     "narrow it or move it down"),
    ("1 to 1", Bounds(0, 1, high_open=True),
     "1 to 1 is always 1, but this field must be less than 1"),
])
def test_open_and_closed_ends(written: Any, bounds: Bounds, expected: str) -> None:
    with pytest.raises(PydanticCustomError) as caught:
        uncertain(written, bounds)
    assert caught.value.message().startswith(expected)


def test_an_uncertain_value_validated_again_stays_itself() -> None:
    cost = uncertain({"pert": [1000, 2000, 6000]}, Bounds(0, 1e12))
    transition = Transition.model_validate({"cost": cost, "months": 2})
    assert transition.cost is cost
    with pytest.raises(ValidationError, match="less than or equal to 1"):
        FxRate.model_validate({"rate": 1, "drift": uncertain("2 to 3", Bounds(0, 9))})


def test_only_a_float_field_can_be_sampleable() -> None:
    with pytest.raises(TypeError, match="Sampleable needs a float field, got int"):
        TypeAdapter(Annotated[int, Sampleable()])


def test_field_at_finds_the_model_and_field_of_a_location() -> None:
    data = {"options": [{"model": "contractor", "lead_months": 1}]}
    assert field_at(("options", 0, "lead_months"), data) == (ContractorOption, "lead_months")
    # without the data, the first kind with that field
    assert field_at(("options", 0, "productivity")) == (OutsourcedOption, "productivity")
    assert field_at(("options", 0, "productivity"), data) == (ContractorOption, "productivity")
    assert field_at(("stress", 0, "fx", "USD")) == (StressTest, "fx")
    assert field_at(("nope",)) is None
    assert field_at(("horizon_months", "deeper")) == (Scenario, "horizon_months")
    assert not is_sampleable(Scenario, "nope")


def test_bounds_clip_what_the_sampler_draws() -> None:
    b = Bounds(0, 1)
    assert (b.clip(-0.2), b.clip(0.4), b.clip(1.3)) == (0, 0.4, 1)
    assert Bounds(0, 1, low_open=True).below(0)
    assert not Bounds(0, 1).below(0)


# --- every number field is sampleable or structural ------------------------------------

def _models(tp: Any, seen: dict[type[BaseModel], None]) -> dict[type[BaseModel], None]:
    for t in _types(tp):
        if isinstance(t, type) and issubclass(t, BaseModel) and t not in seen:
            seen[t] = None
            for info in t.model_fields.values():
                _models(info.annotation, seen)
        elif typing.get_origin(t) in (list, dict):
            for arg in typing.get_args(t):
                _models(arg, seen)
    return seen


def _is_number(tp: Any) -> bool:
    """Does the field hold a number anywhere (itself, a list or a mapping of them)?"""
    for t in _types(tp):
        if t in (int, float):
            return True
        if typing.get_origin(t) in (list, dict) and any(map(_is_number, typing.get_args(t))):
            return True
    return False


MODELS = list(_models(Scenario, {}))
NUMBER_FIELDS = [(m, name) for m in MODELS for name, info in m.model_fields.items()
                 if _is_number(info.annotation)]


def test_every_number_field_is_sampleable_or_listed_as_structural() -> None:
    unclassified = [f"{m.__name__}.{name}" for m, name in NUMBER_FIELDS
                    if not is_sampleable(m, name) and (m, name) not in STRUCTURAL_FIELDS
                    and (m, "*") not in STRUCTURAL_FIELDS]
    assert unclassified == [], "classify these in scenario.STRUCTURAL_FIELDS or mark them " \
        "Sampleable"
    both = [f"{m.__name__}.{name}" for m, name in NUMBER_FIELDS
            if is_sampleable(m, name) and ((m, name) in STRUCTURAL_FIELDS
                                           or (m, "*") in STRUCTURAL_FIELDS)]
    assert both == []
    stale = [(m.__name__, name) for m, name in STRUCTURAL_FIELDS
             if name != "*" and (m, name) not in NUMBER_FIELDS]
    assert stale == []
    assert len(NUMBER_FIELDS) > 80  # the walk reaches every model


def test_the_schema_offers_a_distribution_exactly_where_the_model_takes_one() -> None:
    from kpo_calc.schema import scenario_schema

    schema = scenario_schema()
    defs = {**schema["definitions"], "Scenario": schema}
    for m, name in NUMBER_FIELDS:
        prop = defs[m.__name__ if m is not Scenario else "Scenario"]["properties"][name]
        refs = [b.get("$ref") for b in prop.get("anyOf", [])]
        assert ("#/definitions/Distribution" in refs) == is_sampleable(m, name), (m, name)


def _leaves(node: Any, at: tuple[str | int, ...] = ()) -> list[tuple[tuple[str | int, ...],
                                                                     Any]]:
    if isinstance(node, dict):
        return [leaf for k, v in node.items() for leaf in _leaves(v, (*at, k))]
    if isinstance(node, list):
        return [leaf for i, v in enumerate(node) for leaf in _leaves(v, (*at, i))]
    return [(at, node)]


def _put(data: Any, at: tuple[str | int, ...], value: Any) -> Any:
    data = copy.deepcopy(data)
    node = data
    for part in at[:-1]:
        node = node[part]
    node[at[-1]] = value
    return data


def _full() -> tuple[dict[str, Any], list[tuple[tuple[str | int, ...], float]]]:
    """The data of the full file and its numbers (``version`` is a tag, not a number)."""
    data = parse_document(FULL.read_bytes(), str(FULL)).data
    numbers = [(at, v) for at, v in _leaves(data)
               if isinstance(v, int | float) and not isinstance(v, bool) and at != ("version",)]
    return data, numbers


def test_every_sampleable_number_takes_a_distribution_and_compare_reads_its_mean(
        tmp_path: Path) -> None:
    # Each plain number x of the file is written as the 90% interval "x to x" (width 0):
    # its mean is x exactly, so compare must give the same figures, to the last digit.
    data, numbers = _full()
    written = [at for at, v in _leaves(data) if isinstance(v, str) and " to " in v]
    fields = {field_at(at, data) for at in [*(at for at, _ in numbers), *written]}
    sampleable = {f for f in fields if f is not None and is_sampleable(*f)}
    assert sampleable == {f for f in NUMBER_FIELDS if is_sampleable(*f)}, "extend the file"
    structural = {f for f in fields if f is not None and not is_sampleable(*f)}
    assert {(m, n) for m, n in STRUCTURAL_FIELDS if n != "*"} <= structural, "extend the file"
    widened = data
    count = 0
    for at, value in numbers:
        field = field_at(at, data)
        if field is not None and is_sampleable(*field):
            widened = _put(widened, at, f"{value!r} to {value!r}")
            count += 1
    plain, wide = tmp_path / "plain.yaml", tmp_path / "wide.yaml"
    plain.write_bytes(FULL.read_bytes())
    wide.write_text(yaml.safe_dump(widened, sort_keys=False, allow_unicode=True))
    before, after = api.load(plain), api.load(wide)
    assert len(before.uncertain_inputs()) == 2
    assert len(after.uncertain_inputs()) == 2 + count
    assert api.compare(plain) == api.compare(wide)


def test_every_structural_number_refuses_a_distribution() -> None:
    data, numbers = _full()
    for at, _ in numbers:
        field = field_at(at, data)
        assert field is not None, at
        if is_sampleable(*field):
            continue
        text = yaml.safe_dump(_put(data, at, "1 to 2"), sort_keys=False)
        found = diagnostics(text)
        assert any("cannot be uncertain; give one number" in d for d in found), (at, found)


# --- which is which: the list itself --------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "expected"), [
    ("horizon_months: 14", "horizon_months: 12 to 14",
     "t.yaml:4:17: horizon_months: this field sets the structure of the plan (how many "
     "months are costed), so it cannot be uncertain; give one number"),
    ("notice_months: 1", "notice_months: {low: 1, high: 2}",
     "t.yaml:45:20: options[1].notice_months: this field sets the structure of the plan "
     "(whole months of notice), so it cannot be uncertain; give one number"),
    ("time_to_hire_months: 1", "time_to_hire_months: {uniform: [1, 2]}",
     "t.yaml:29:26: options[0].time_to_hire_months: this field sets the structure of the "
     "plan (hires start in month 1 + ceil(time_to_hire_months)), so it cannot be "
     "uncertain; give one number"),
    ("existing_fte: 2", "existing_fte: 1 to 3",
     "t.yaml:34:19: options[0].existing_fte: this field sets the structure of the plan"),
    ("demand_change: -0.5", "demand_change: -0.6 to -0.4",
     "t.yaml:53:49: stress[0].demand_change: this field is a what-if you choose to test "
     "flexibility, not an estimate, so it cannot be uncertain; give one number"),
    ("months: 3}", "months: 2 to 3}",
     "t.yaml:48:38: options[1].transition.months: this field sets the structure of the "
     "plan (the months the cost is spread over)"),
])
def test_a_distribution_on_a_structural_field_says_why_it_cannot_be(
        old: str, new: str, expected: str) -> None:
    found = diagnostics(tiny(old, new))
    assert len(found) == 1, found
    assert found[0].startswith(expected), found


@pytest.mark.parametrize("field", ["ramp_up_months", "severance_months"])
def test_month_counts_that_multiply_money_are_sampleable(field: str) -> None:
    # The cost model multiplies pay by them; no month of the plan depends on them.
    value = {"ramp_up_months": 2, "severance_months": 3}[field]
    s = load(tiny(f"{field}: {value}", f"{field}: {{triangular: [1, {value}, 5]}}"))
    assert list(s.uncertain_inputs()) == [f"options[Team].{field}"]
    # triangular mean: (1 + value + 5) / 3
    assert getattr(s.options[0], field) == pytest.approx((6 + value) / 3)


# --- the paths and their order ------------------------------------------------------------

def test_uncertain_inputs_are_keyed_by_field_path_in_file_order() -> None:
    text = (TINY.replace("fx: {EUR: 1.5}", "unmet_hour_cost: 40 to 60\n"
                         "fx: {EUR: {rate: 1.4 to 1.6, drift: -0.05 to 0}}")
            .replace("unmet_hour_cost: 50\n", "")
            .replace("discount_rate: 0.1", "discount_rate: {pert: [0.05, 0.1, 0.2]}")
            .replace("    growth: 0.2", "    growth: {uniform: [0.1, 0.3]}")
            .replace("    hourly_rate: 20\n", "")
            .replace("    exit_cost: 4000", "    exit_cost: 4000\n    hourly_rate: 18 to 22")
            .replace("impact: 120000}", "impact: {normal: [120000, 10000]}}"))
    s = load(text)
    # unmet_hour_cost comes before fx in the file (after options in the model), and the
    # vendor's hourly_rate after its exit_cost and transition: the file's order.
    assert list(s.uncertain_inputs()) == [
        "discount_rate", "unmet_hour_cost", "fx.EUR", "fx.EUR.drift", "work[Analysis].growth",
        "options[Vendor].hourly_rate", "options[Vendor].risks[Leak].impact"]
    assert s.uncertain_inputs()["discount_rate"] == parse({"pert": [0.05, 0.1, 0.2]})
    assert s.fx_rate("EUR") == pytest.approx(
        math.exp((math.log(1.4) + math.log(1.6)) / 2 + ((math.log(1.6) - math.log(1.4))
                                                        / (2 * 1.6448536269514722)) ** 2 / 2))


def test_a_plain_fx_distribution_is_the_rate() -> None:
    s = load(tiny("fx: {EUR: 1.5}", "fx: {EUR: {uniform: [1.4, 1.6]}}"))
    assert list(s.uncertain_inputs()) == ["fx.EUR"]
    assert s.fx_rate("EUR") == pytest.approx(1.5)  # (1.4 + 1.6) / 2
    assert s.fx_drift("EUR") == 0


def test_the_scenario_currency_cannot_have_an_uncertain_rate() -> None:
    # normal(1, 0.05) has mean 1, the rate of USD to itself: still not an input to sample
    text = tiny("fx: {EUR: 1.5}", "fx: {EUR: 1.5, USD: {normal: [1, 0.05]}}")
    assert diagnostics(text) == [
        "t.yaml:7:21: fx.USD: USD is the scenario currency, so its rate is 1 by definition; "
        "remove this entry"]


def test_two_risks_with_one_name_cannot_both_be_uncertain() -> None:
    text = tiny("      - {name: Leak, annual_probability: 0.1, impact: 120000}",
                "      - {name: Leak, annual_probability: 0.1, impact: 1e5 to 2e5}\n"
                "      - {name: Leak, annual_probability: 0.2, impact: 1e5 to 2e5}")
    assert diagnostics(text) == [
        "t.yaml:52:55: options[1].risks[1].impact: another uncertain input has the same "
        "path options[Vendor].risks[Leak].impact; give the items different names, so that "
        "each input is sampled and named on its own"]


# --- wrong distributions: message, line and column -----------------------------------------

RATE = "t.yaml:38:18: options[1].hourly_rate: "
BENEFITS = "t.yaml:24:20: options[0].benefits_rate: "
FX = "t.yaml:7:11: fx.EUR: "
SPELLINGS = ("'a to b' or {low: a, high: b} (a 90% interval), {triangular: [min, mode, "
             "max]}, {pert: [min, mode, max]}, {uniform: [min, max]} or {normal: [mean, sd]}")
CLIPPED = " (draws beyond the field's range are clipped, so 90% of them must lie within it)"

BAD = [
    ("hourly_rate: 20", 'hourly_rate: "0x10 to 20"',
     RATE + "'0x10 to 20' is not a number or a distribution; write a 90% interval as "
     "'80000 to 120000' (plain decimal numbers), or " + SPELLINGS),
    ("hourly_rate: 20", "hourly_rate: 1e400 to 1e401",
     RATE + "'1e400 to 1e401' holds a number too large to be a float (above about "
     "1.8e308); write the amount meant"),
    # a lognormal whose ends are 1e600 apart: sigma = ln(1e600) / 3.29 = 420, e^(sigma^2/2)
    # overflows
    ("hourly_rate: 20", "hourly_rate: 1e-300 to 1e300",
     RATE + "1e-300 to 1e+300 is too wide to have a finite mean; narrow it"),
    ("hourly_rate: 20", "hourly_rate: {low: .inf, high: 30}",
     "t.yaml:38:24: options[1].hourly_rate.low: .inf is not a finite number; write a real "
     "amount"),
    ("hourly_rate: 20", "hourly_rate: -5 to 25",
     RATE + "the 90% interval -5 to 25 goes down to 0 or below, but this field must be more "
     "than 0; narrow it or move it up" + CLIPPED),
    ("hourly_rate: 20", "hourly_rate: {low: 15}",
     RATE + "a 90% interval is {low: a, high: b}: missing high"),
    ("hourly_rate: 20", "hourly_rate: {uniform: [30, 10]}",
     RATE + "uniform needs min ≤ max, got [30, 10]; swap the numbers"),
    ("hourly_rate: 20", "hourly_rate: {normal: [20, -1]}",
     RATE + "the standard deviation of a normal cannot be negative, got -1"),
    ("hourly_rate: 20", "hourly_rate: {triangular: [10, 20]}",
     RATE + "triangular takes a list of 3 numbers, [min, mode, max]"),
    ("hourly_rate: 20", "hourly_rate: {uniform: [0, 40]}",
     RATE + "uniform(0, 40) goes down to 0, but this field must be more than 0; raise its "
     "minimum"),
    ("hourly_rate: 20", "hourly_rate: {beta: [2, 5]}",
     RATE + "unknown distribution 'beta': " + SPELLINGS),
    ("hourly_rate: 20", "hourly_rate: abc",
     RATE + "must be a number, got the text 'abc'; or write a distribution: " + SPELLINGS),
    ("hourly_rate: 20", "hourly_rate: 25%",
     RATE + "must be a number, got the text '25%'; did you mean 0.25? (rates are "
     "fractions, without %)"),
    # the brief's example: 0.9 to 1.3 is a lognormal interval, its 95th percentile 1.3 > 1
    ("benefits_rate: 0.25", "benefits_rate: 0.9 to 1.3",
     BENEFITS + "the 90% interval 0.9 to 1.3 goes above the largest allowed value 1 for this "
     "field; narrow it or move it down" + CLIPPED),
    # normal(0.5, 0.4): 0.5 -/+ 1.6449 x 0.4 = -0.158 to 1.158
    ("benefits_rate: 0.25", "benefits_rate: {normal: [0.5, 0.4]}",
     BENEFITS + "the 90% interval of normal(0.5, 0.4), -0.1579 to 1.158, goes below the "
     "smallest allowed value 0 for this field; narrow it or move it up" + CLIPPED),
    ("benefits_rate: 0.25", "benefits_rate: {pert: [0.2, 0.3, 1.2]}",
     BENEFITS + "pert(0.2, 0.3, 1.2) goes up to 1.2, above the largest allowed value 1 for "
     "this field; lower its maximum"),
    ("benefits_rate: 0.25", "benefits_rate: 1.2 to 1.2",
     BENEFITS + "1.2 to 1.2 is always 1.2, above the largest allowed value 1 for this field"),
    # a lognormal 90% interval 1e-4 to 1e11 lies within (0, 1e12], but its mean does not:
    # mu = (ln 1e-4 + ln 1e11) / 2 = 8.059, sigma = (ln 1e11 - ln 1e-4) / 3.2897 = 10.499,
    # mean = e^(8.059 + 10.499^2 / 2) = e^63.17 = 2.73e27
    ("annual_salary: 120000", "annual_salary: 1e-4 to 1e11",
     "t.yaml:23:20: options[0].annual_salary: the mean 2.73e+27 of 0.0001 to "
     "100000000000 is above the largest allowed value 1000000000000 for this field; "
     "narrow it"),
    ("fx: {EUR: 1.5}", "fx: {EUR: {low: 1.6, high: 1.4}}",
     FX + "the low end 1.6 is above the high end 1.4; swap them"),
    ("fx: {EUR: 1.5}", "fx: {EUR: -1 to 1.6}",
     FX + "the 90% interval -1 to 1.6 goes below the smallest allowed value 1e-09 for this "
     "field; narrow it or move it up" + CLIPPED),
    ("fx: {EUR: 1.5}", "fx: {EUR: abc}",
     FX + "must be a number (scenario-currency units per 1 unit), a distribution of it "
     "(such as '0.011 to 0.013') or {rate: ..., drift: ...}; got the text 'abc'"),
    ("fx: {EUR: 1.5}", "fx: {EUR: {rate: 1.5, drift: -1 to 0}}",
     "t.yaml:7:30: fx.EUR.drift: the 90% interval -1 to 0 goes below the smallest allowed "
     "value -0.9 for this field; narrow it or move it up" + CLIPPED),
]


@pytest.mark.parametrize(("old", "new", "expected"), BAD, ids=[b[1] for b in BAD])
def test_a_wrong_distribution_says_what_and_how_to_fix_it(old: str, new: str,
                                                           expected: str) -> None:
    assert diagnostics(tiny(old, new)) == [expected]


@pytest.mark.parametrize(("old", "new", "expected"), [
    *BAD[::4], ("horizon_months: 14", "horizon_months: 12 to 14",
                "t.yaml:4:17: horizon_months: this field sets the structure of the plan")])
def test_validate_reports_a_wrong_distribution_with_exit_2(tmp_path: Path, old: str, new: str,
                                                           expected: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(tiny(old, new))
    proc = run_cli("validate", path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert f"{tmp_path}/{expected}" in proc.stderr  # file:line:column: path: message


@pytest.mark.parametrize("written", ["1e4 to 3e4", "10000 to 30000", "+1e4 to 3E4",
                                     "{low: 10000, high: 30000}"])
def test_intervals_read_as_yaml_writes_them(written: str) -> None:
    s = load(tiny("recruiting_cost_per_hire: 5000", f"recruiting_cost_per_hire: {written}"))
    assert s.uncertain_inputs()["options[Team].recruiting_cost_per_hire"].written == (1e4, 3e4)


# --- correlations ----------------------------------------------------------------------------

UNCERTAIN = (TINY.replace("fx: {EUR: 1.5}", "fx: {EUR: {rate: 1.4 to 1.6, drift: -0.05 to 0}}")
             .replace("    growth: 0.2", "    growth: {pert: [0, 0.2, 0.3]}")
             .replace("hourly_rate: 20", "hourly_rate: 15 to 25"))
AT = "t.yaml:57:"  # the first correlation's line


def correlations(*entries: str) -> str:
    return UNCERTAIN + "correlations:\n" + "".join(f"  - {e}\n" for e in entries)


def test_correlated_uncertain_inputs_are_read() -> None:
    s = load(correlations('{between: ["options[Vendor].hourly_rate", fx.EUR.drift], rho: -0.5}',
                          "{between: [fx.EUR, fx.EUR.drift], rho: 0.3}"))
    assert [(c.between, c.rho) for c in s.correlations] == [
        (["options[Vendor].hourly_rate", "fx.EUR.drift"], -0.5),
        (["fx.EUR", "fx.EUR.drift"], 0.3)]


def test_block_style_paths_need_no_quotes() -> None:
    text = UNCERTAIN + ("correlations:\n  - between:\n      - options[Vendor].hourly_rate\n"
                        "      - work[Analysis].growth\n    rho: 0.2\n")
    assert load(text).correlations[0].between[0] == "options[Vendor].hourly_rate"


@pytest.mark.parametrize(("entries", "expected"), [
    (['{between: ["options[Vendor].hourly_rat", fx.EUR], rho: 0.5}'],
     AT + "16: correlations[0].between[0]: no uncertain input is named "
     "'options[Vendor].hourly_rat' (did you mean 'options[Vendor].hourly_rate'?); the "
     "uncertain inputs are: fx.EUR, fx.EUR.drift, work[Analysis].growth, "
     "options[Vendor].hourly_rate"),
    (['{between: [fx.EUR, "options[Vendor].productivity"], rho: 0.5}'],
     AT + "24: correlations[0].between[1]: options[Vendor].productivity is a point input; "
     "give it a distribution to correlate it"),
    (["{between: [horizon_months, fx.EUR], rho: 0.5}"],
     AT + "16: correlations[0].between[0]: horizon_months sets the structure of the plan "
     "(how many months are costed), so it cannot be uncertain nor correlated"),
    (["{between: [fx.EUR, fx.EUR], rho: 0.5}"],
     AT + "24: correlations[0].between[1]: correlates fx.EUR with itself; name two "
     "different inputs"),
    (["{between: [fx.EUR, fx.EUR.drift], rho: 0.5}",
      "{between: [fx.EUR.drift, fx.EUR], rho: 0.2}"],
     "t.yaml:58:5: correlations[1]: fx.EUR.drift and fx.EUR are already correlated by "
     "correlations[0]; give each pair once"),
    (["{between: [fx.EUR, fx.EUR.drift], rho: 1.5}"],
     AT + "44: correlations[0].rho: must be at most 1, got 1.5"),
    (["{between: [fx.EUR, fx.EUR.drift], rho: -0.6 to -0.4}"],
     AT + "44: correlations[0].rho: this field says how two uncertain inputs move together, "
     "so it cannot be uncertain; give one number"),
    (["{between: [fx.EUR], rho: 0.5}"],
     AT + "15: correlations[0].between: names two uncertain inputs (field paths), got 1; "
     "write one entry per pair"),
    (["{between: fx.EUR, rho: 0.5}"],
     AT + "15: correlations[0].between: must be a list of two field paths, such as "
     '["options[KPO India].rate_escalation", fx.INR.drift] (quote a path with brackets in '
     "a [...] list); got 'fx.EUR'"),
    (["{between: [options[Vendor].hourly_rate, fx.EUR], rho: 0.5}"],
     AT + "23: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence; "
     'inside [...], quote a value that holds brackets, such as a field path: '
     '"options[KPO India].hourly_rate"'),
])
def test_a_wrong_correlation_is_reported_at_its_entry(entries: list[str],
                                                      expected: str) -> None:
    assert diagnostics(correlations(*entries)) == [expected]


def test_no_uncertain_inputs_to_correlate() -> None:
    text = TINY + "correlations:\n  - {between: [fx.EUR, discount_rate], rho: 0.5}\n"
    assert diagnostics(text) == [
        "t.yaml:57:16: correlations[0].between[0]: fx.EUR is a point input; give it a "
        "distribution to correlate it",
        "t.yaml:57:24: correlations[0].between[1]: discount_rate is a point input; give it a "
        "distribution to correlate it"]
    text = TINY + "correlations:\n  - {between: [fx.EUR.drif, discount_rate], rho: 0.5}\n"
    assert diagnostics(text)[0].endswith(
        "no uncertain input is named 'fx.EUR.drif', and this file has none: write an input "
        "as a distribution (such as '80000 to 120000') to correlate it")


IMPOSSIBLE = ("with the correlations before it, this one makes the set impossible: no inputs "
              "can be correlated like that (the correlation matrix is not positive "
              "semi-definite; pairs not listed count as 0). If A moves with B and B with C, "
              "A moves with C too: weaken one of them, or list the missing pair")
A, B, C = "fx.EUR", "fx.EUR.drift", '"work[Analysis].growth"'


@pytest.mark.parametrize(("rhos", "bad"), [
    # A-B 0.9, B-C 0.9 and A-C 0 (not listed): det = 1 (1 - 0.81) - 0.9 (0.9 - 0) = -0.62
    ((0.9, 0.9, None), 1),
    # with A-C 0.8: det = 0.19 - 0.9 (0.9 - 0.72) + 0.8 (0.81 - 0.8) = 0.036 > 0 and the
    # leading minors 1 and 0.19 are positive: possible
    ((0.9, 0.9, 0.8), None),
    # rho 1 throughout is the limit (semi-definite, rank 1): possible
    ((1, 1, 1), None),
    # A = B and B = C, yet A-C 0.5: det = 0 - 1 (1 - 0.5) + 0.5 (1 - 0.5) = -0.25
    ((1, 1, 0.5), 2),
    # opposite signs can be impossible too: det = 1 - 0.64 - 0.64 - 0.64 + 2(-0.8)^3 < 0
    ((-0.8, -0.8, -0.8), 2),
])
def test_an_impossible_set_of_correlations_is_an_error_at_the_pair_that_completes_it(
        rhos: tuple[float, float, float | None], bad: int | None) -> None:
    pairs = [(A, B), (B, C), (A, C)]
    entries = [f"{{between: [{x}, {y}], rho: {r}}}" for (x, y), r in zip(pairs, rhos, strict=True)
               if r is not None]
    found = diagnostics(correlations(*entries))
    if bad is None:
        assert found == []
    else:
        assert found == [f"t.yaml:{57 + bad}:5: correlations[{bad}]: {IMPOSSIBLE}"]


def _star(rho: float) -> str:
    """200 work items; the first one's growth correlated with the hours of each."""
    work = "".join(f"  - {{name: W{i}, kind: recurring, hours_per_month: 90 to 110, "
                   f"specialization: low, growth: 0 to 0.1}}\n" for i in range(200))
    pairs = "".join(f'  - {{between: ["work[W0].growth", "work[W{i}].hours_per_month"], '
                    f"rho: {rho}}}\n" for i in range(200))
    return ("version: 1\nname: Star\ncurrency: USD\nhorizon_months: 12\nwork:\n" + work
            + "options:\n  - {name: A, model: kpo, hourly_rate: 10}\n"
            "  - {name: B, model: bpo, hourly_rate: 9, max_specialization: low}\n"
            "correlations:\n" + pairs)


def test_the_largest_set_of_correlations_is_checked_quickly() -> None:
    # A star (one input correlated rho with k others, which are independent of each other)
    # is possible while k rho^2 <= 1 (the Schur complement 1 - k rho^2 of the centre).
    # 200 x 0.07^2 = 0.98: possible. At 0.08 it fails when k = 157 (157 x 0.0064 = 1.0048):
    # the centre and the first 157 leaves, completed by correlations[156].
    start = time.perf_counter()
    assert diagnostics(_star(0.07)) == []
    found = diagnostics(_star(0.08))
    assert time.perf_counter() - start < 5
    assert len(found) == 1
    assert f"correlations[156]: {IMPOSSIBLE}" in found[0]


def test_at_most_200_correlations() -> None:
    text = _star(0.01) + '  - {between: ["work[W1].growth", "work[W2].growth"], rho: 0}\n'
    assert any("correlations: has 201 correlations; at most 200 are allowed" in d
               for d in diagnostics(text))


# --- the schema -----------------------------------------------------------------------------

def test_the_schema_accepts_every_spelling_of_a_distribution(tmp_path: Path) -> None:
    text = (UNCERTAIN.replace("annual_salary: 120000", "annual_salary: {low: 1e5, high: 1.4e5}")
            .replace("benefits_rate: 0.25", "benefits_rate: {triangular: [0.2, 0.25, 0.35]}")
            .replace("attrition_rate: 0.12", "attrition_rate: {pert: [0.05, 0.12, 0.3]}")
            .replace("salary_growth: 0.1", "salary_growth: {uniform: [0.02, 0.12]}")
            .replace("impact: 120000", "impact: {normal: [120000, 20000]}")
            .replace("productivity: 0.8", "productivity: 7e-1 to 9e-1"))
    ok = tmp_path / "ok.yaml"
    ok.write_text(text + 'correlations:\n  - {between: [fx.EUR, "work[Analysis].growth"], '
                  "rho: 0.3}\n")
    assert len(load(ok.read_text()).uncertain_inputs()) == 10
    bad = {}
    for name, old, new in [("two.yaml", "hourly_rate: 15 to 25", "hourly_rate: {uniform: [1]}"),
                           ("text.yaml", "hourly_rate: 15 to 25", "hourly_rate: 15 - 25"),
                           ("both.yaml", "hourly_rate: 15 to 25",
                            "hourly_rate: {low: 1, high: 2, normal: [1, 2]}"),
                           ("structural.yaml", "horizon_months: 14", "horizon_months: 12 to 14")]:
        bad[name] = tmp_path / name
        bad[name].write_text(text.replace(old, new))
    assert check_jsonschema([ok, *bad.values()]) == set(bad)


# --- compare ---------------------------------------------------------------------------------

def test_compare_evaluates_at_the_means_and_says_so_outside_json(tmp_path: Path) -> None:
    # uniform(10, 30) has mean 20 and triangular(0.5, 0.75, 1) mean 2.25 / 3 = 0.75 (both
    # exact in binary): the figures of the file with hourly_rate 20 and productivity 0.75.
    point, spread = tmp_path / "point.yaml", tmp_path / "spread.yaml"
    point.write_text(TINY.replace("productivity: 0.8", "productivity: 0.75"))
    spread.write_text(TINY.replace("hourly_rate: 20", "hourly_rate: {uniform: [10, 30]}")
                      .replace("productivity: 0.8", "productivity: {triangular: [0.5, 0.75, 1]}"))
    assert api.compare(point) == api.compare(spread)
    note = "2 uncertain inputs are evaluated at their means; run kpo-calc simulate to see " \
           "the spread."
    table = run_cli("compare", spread, env={"COLUMNS": "200"})
    assert table.returncode == 0, table.stderr
    assert note in table.stdout
    assert note not in run_cli("compare", point, env={"COLUMNS": "200"}).stdout
    markdown = run_cli("compare", spread, "--format", "markdown").stdout
    assert f"_{note}_" in markdown
    # The JSON contract is unchanged: the same report as the point file's, but for its name.
    as_json = [json.loads(run_cli("compare", p, "--format", "json").stdout.replace(
        str(p), "FILE")) for p in (point, spread)]
    assert as_json[0] == as_json[1]


def test_one_uncertain_input_is_said_in_the_singular(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text(tiny("hourly_rate: 20", "hourly_rate: 18 to 22"))
    assert "1 uncertain input is evaluated at its mean; run kpo-calc simulate" in run_cli(
        "compare", path, env={"COLUMNS": "200"}).stdout
