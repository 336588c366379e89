"""Numbers read as a person means them, hints for numbers written for people, finite results.

Issue 7, items 6, 7, 8, 9, 12 and 13: the loader resolves plain scalars by the
YAML 1.2 core schema (``010`` is 10, ``1:30`` is text), messages suggest the
number meant, every input is bounded, and results are checked once to be finite.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from conftest import SCENARIOS, TINY, run_cli, tiny_data
from kpo_calc import api
from kpo_calc.advice import IMPLAUSIBLE_RATIO, advise, loaded_hourly_cost
from kpo_calc.engine.evaluate import evaluate
from kpo_calc.engine.sanity import NonFiniteResult, check_finite
from kpo_calc.loader import parse_document
from kpo_calc.scenario import OneOffWork, OutsourcedOption, number_hint
from kpo_calc.validation import check_document, load_scenario


def parse(text: str) -> Any:
    return parse_document(text.encode(), "t.yaml").data


def errors_of(text: str) -> list[str]:
    _, diagnostics = check_document(parse_document(text.encode(), "t.yaml"))
    return [d.text() for d in diagnostics if d.severity == "error"]


def warnings_of(data: dict[str, Any] | str) -> list[str]:
    import yaml

    text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
    _, diagnostics = check_document(parse_document(text.encode(), "t.yaml"))
    assert not [d for d in diagnostics if d.severity == "error"], diagnostics
    return [d.text() for d in diagnostics if d.severity == "warning"]


# --- YAML 1.2 core schema ---------------------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [
    ("010", 10), ("0100", 100), ("007", 7), ("-010", -10), ("+5", 5),
    ("0o10", 8), ("0x1F", 31),  # prefixed ints, as YAML 1.2 core defines them
    ("5e6", 5 * 10.0**6), ("9e4", 9 * 10.0**4), ("1.5E-3", 1.5 / 1000), (".5", 0.5), ("5.", 5.0),
    ("true", True), ("False", False), ("~", None), ("null", None), ("", None),
    # text in YAML 1.2 (numbers, booleans or dates in YAML 1.1): validation explains them
    ("1:30", "1:30"), ("1_000", "1_000"), ("yes", "yes"), ("No", "No"), ("on", "on"),
    ("off", "off"), ("y", "y"), ("0b101", "0b101"), ("2024-01-31", "2024-01-31"),
    ("5,000", "5,000"), ("25%", "25%"), ("=", "="),
])
def test_plain_scalars_follow_yaml_1_2_core(text: str, value: Any) -> None:
    got = parse(f"x: {text}\n")["x"]
    assert got == value
    assert type(got) is type(value)


def test_quoted_numbers_stay_text_and_keys_keep_their_source_text() -> None:
    assert parse('a: "010"\nb: \'5e6\'\n') == {"a": "010", "b": "5e6"}
    assert list(parse("010: a\nyes: b\n1:30: c\nnull: d\n")) == ["010", "yes", "1:30", "null"]


def test_leading_zero_month_is_decimal_in_a_scenario() -> None:
    text = TINY.replace("    start_month: 2\n", "    start_month: 010\n").replace(
        "    duration_months: 3\n", "    duration_months: 03\n")
    scenario = load_scenario(parse_document(text.encode(), "t.yaml"))
    study = scenario.work[1]
    assert isinstance(study, OneOffWork)
    assert (study.start_month, study.duration_months) == (10, 3)  # not 8 (octal)


def test_exponent_is_a_number_not_text_blamed_on_quotes() -> None:
    text = TINY.replace("    hourly_rate: 20\n", "    hourly_rate: 2e1\n")
    scenario = load_scenario(parse_document(text.encode(), "t.yaml"))
    vendor = scenario.options[1]
    assert isinstance(vendor, OutsourcedOption)
    assert vendor.hourly_rate == 20.0


def test_non_finite_plain_floats_are_reported_by_the_loader() -> None:
    doc = parse_document(b"x: .inf\ny: -.Inf\nz: .NaN\n", "t.yaml")
    assert [p.message.split(" is ")[0] for p in doc.problems] == [".inf", "-.Inf", ".NaN"]


# --- hints for numbers written the way people write them ----------------------------------

@pytest.mark.parametrize(("text", "hint"), [
    ("25%", f"did you mean {25 / 100:g}?"),
    ("2.5 %", f"did you mean {2.5 / 100:g}?"),
    ("1_000", "write 1000 (no digit separators)"),
    ("1:30", f"(YAML 1.1 made 1:30 into {1 * 60 + 30}); did you mean {1 + 30 / 60:g}?"),
    ("2:15", f"(YAML 1.1 made 2:15 into {2 * 60 + 15}); did you mean {2 + 15 / 60:g}?"),
    ("5,000,000", "write 5000000 (no thousands separators)"),
    ("1,234.5", "write 1234.5 (no thousands separators)"),
    ("4,45", "decimal comma? did you mean 4.45?"),
    ("4,450", "write 4450 if the comma separates thousands, or 4.45 if it is a decimal comma"),
    ("5 000", "write 5000 (no digit grouping)"),
    ("1.000.000", "write 1000000 (no digit grouping)"),
    ("1.234,5", "write 1234.5 (no digit grouping)"),
    ("1'000", "write 1000 (no digit grouping)"),
    ("5000 USD", "write 5000 without the currency"),
    ("$ 95000", "write 95000 without the currency"),
    ("INR 2,500,000", "leave out the currency (an option's `currency` field sets it), then "
                      "write 2500000 (no thousands separators)"),
])
def test_number_hints(text: str, hint: str) -> None:
    assert hint in number_hint(text)


@pytest.mark.parametrize("text", ["abc", "KPO India", "", "1 to 2", "5000", "USD", "12 months",
                                  "1.000"])
def test_no_number_hint_for_other_text(text: str) -> None:
    assert number_hint(text) == ""


def test_quotes_are_blamed_only_when_they_are_there() -> None:
    quoted = errors_of(TINY.replace("    hourly_rate: 20\n", '    hourly_rate: "20"\n'))
    assert len(quoted) == 1
    assert quoted[0].endswith("got the text '20'; write it without quotes")
    plain = errors_of(TINY.replace("    hourly_rate: 20\n", "    hourly_rate: 2,000,000\n"))
    assert len(plain) == 1
    assert "quotes" not in plain[0]
    assert plain[0].endswith("got the text '2,000,000'; write 2000000 (no thousands separators)")
    quoted_commas = errors_of(TINY.replace("    hourly_rate: 20\n", "    hourly_rate: '20,5'\n"))
    assert quoted_commas[0].endswith("decimal comma? did you mean 20.5?")


def test_flow_mapping_thousands_are_one_number_not_unknown_keys() -> None:
    text = TINY.replace("    transition: {cost: 6000, months: 3}\n",
                        "    transition: {cost: 6,000, months: 3}\n")
    errors = errors_of(text)
    line = TINY.splitlines().index("    transition: {cost: 6000, months: 3}") + 1
    column = len("    transition: {cost: ") + 1
    assert errors == [f"t.yaml:{line}:{column}: options[1].transition.cost: 6,000: write 6000 "
                      "if the comma separates thousands, or 6.0 if it is a decimal comma; in a "
                      "flow mapping {...} a comma separates entries, so YAML read the digits "
                      "after it as more keys"]


@pytest.mark.parametrize(("flow", "message"), [
    ("{x: 1.5,000}", "1.5,000: write the number without commas; in a flow mapping"),
    ("{x: -5,000,000, y: 2}", "-5,000,000: write -5000000 (no thousands separators)"),
])
def test_flow_numbers_with_commas_always_say_what_to_write(flow: str, message: str) -> None:
    doc = parse_document(f"a: {flow}\n".encode(), "t.yaml")
    assert [p.message for p in doc.problems if message in p.message]
    assert "000" not in doc.data["a"]


@pytest.mark.parametrize("flow", ["{x: a, 000}", "{x: 1, 000: 2}", "{x: 1, y: 000}"])
def test_flow_mappings_without_split_numbers_are_untouched(flow: str) -> None:
    doc = parse_document(f"a: {flow}\n".encode(), "t.yaml")
    assert doc.problems == ()
    assert "x" in doc.data["a"]


def test_yaml_1_1_booleans_get_a_hint() -> None:
    errors = errors_of(TINY.replace("    existing_fte: 2\n",
                                    "    existing_fte: 2\n    part_time_allowed: off\n"))
    assert len(errors) == 1
    assert errors[0].endswith("got 'off'; write false (YAML 1.2, which "
                                                   "kpo-calc reads, has only true and false)")


# --- bounds and finite results (items 6 and 8) ---------------------------------------------

@pytest.mark.parametrize(("old", "new", "where"), [
    ("    hourly_rate: 20\n", "    hourly_rate: 1.0e+307\n", "options[1].hourly_rate"),
    ("    hours_per_month: 250\n", "    fte: 1.3e+307\n", "work[0].fte"),
    ("    annual_salary: 120000\n", "    annual_salary: 1e300\n", "options[0].annual_salary"),
    ("fx: {EUR: 1.5}\n", "fx: {EUR: 1e300}\n", "fx.EUR"),
    ("    productivity: 0.8\n", "    productivity: 1e-300\n", "options[1].productivity"),
    ("hours_per_fte_month: 100\n", "hours_per_fte_month: 1e-300\n", "hours_per_fte_month"),
    ("      - {name: Leak, annual_probability: 0.1, impact: 120000}\n",
     "      - {name: Leak, annual_probability: 0.1, impact: 1e300}\n",
     "options[1].risks[0].impact"),
])
def test_absurd_inputs_are_clear_errors_not_nan(old: str, new: str, where: str,
                                                  write_scenario: Any) -> None:
    assert old in TINY
    proc = run_cli("compare", write_scenario(TINY.replace(old, new)))
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert f": {where}: must be " in proc.stderr


def test_an_exchange_rate_over_its_bound_suggests_the_inverse() -> None:
    errors = errors_of(TINY.replace("fx: {EUR: 1.5}\n", "fx: {EUR: 2000000}\n"))
    assert len(errors) == 1
    assert errors[0].startswith("t.yaml:7:11: fx.EUR: must be at most 1000000, got 2000000")
    assert errors[0].endswith("; fx.EUR is USD per 1 EUR: did you write EUR per USD?")


def test_check_finite_passes_a_real_result_and_names_a_nan() -> None:
    from dataclasses import replace

    result = evaluate(load_scenario(parse_document(TINY.encode(), "t.yaml")))
    assert check_finite(result) is result
    broken = replace(result, options=(replace(result.options[0], npv=math.nan),
                                      *result.options[1:]))
    with pytest.raises(NonFiniteResult, match=r"result\.options\[0\]\.npv = nan"):
        check_finite(broken)
    lines = dict(result.options[1].lines, fees=math.inf)
    with pytest.raises(NonFiniteResult, match=r"options\[1\]\.lines\['fees'\] = inf"):
        check_finite(replace(result, options=(result.options[0],
                                              replace(result.options[1], lines=lines))))


def test_a_non_finite_result_is_a_bug_exit_3(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str],
                                             write_scenario: Any) -> None:
    import gc
    import sys

    import numpy as np

    from kpo_calc import cli
    from kpo_calc.engine.values import PointValues

    # Inputs cannot make a NaN any more, so simulate an engine bug: every number read as NaN.
    monkeypatch.setattr(PointValues, "__call__",
                        lambda self, owner, field, default=0.0: np.full((1, 1), math.nan))
    monkeypatch.setattr(sys, "argv", ["kpo-calc", "compare", "--format", "json",
                                      str(write_scenario())])
    thresholds = gc.get_threshold()
    try:
        with pytest.raises(SystemExit) as exit_info:
            cli.run()
    finally:
        gc.set_threshold(*thresholds)
    assert exit_info.value.code == 3
    out, err = capsys.readouterr()
    assert "NaN" not in out
    assert "is not finite" in err


def test_warnings_survive_values_past_the_bounds() -> None:
    # The bounds keep such values out; the warnings pass must not crash on them anyway
    # (it raised OverflowError on math.ceil(inf) for fte: 1.3e+307).
    scenario = load_scenario(parse_document(TINY.encode(), "t.yaml"))
    broken = scenario.model_copy(update={"hours_per_fte_month": 1e-320,
                                         "unmet_hour_cost": None})
    assert math.isinf(250 / 1e-320)
    messages = [m for _, m in advise(broken)]
    # Month 1: the 2 on staff serve 2e-320 hours, so all 250 go unmet.
    assert any("can add staff only from month 2: 250 hours" in m for m in messages)


# --- lead time for every month with new hires (item 13) ------------------------------------

def test_lead_time_checks_every_month_with_new_hires() -> None:
    data = tiny_data()
    del data["unmet_hour_cost"]  # the warning is about unmet hours that cost nothing
    team = data["options"][0]
    # D = 250 | 350 350 350 | 250 ...; 100 h per FTE: 3 heads in month 1, 4 in months 2-4.
    # Hires start in month L = 1 + ceil(time_to_hire_months) (methodology 2, point 1).
    team.update(existing_fte=3, time_to_hire_months=1.5)
    # L = 3: month 1 is covered by the 3 on staff; month 2 needs 4, so 350 - 300 = 50 h
    # go unmet: a month after the work started, which the old check never looked at.
    assert any("can add staff only from month 3: 50 hours of demand" in w
               for w in warnings_of(data))
    team.update(time_to_hire_months=1)  # L = 2: month 2 is in time
    assert not any("can add staff only" in w for w in warnings_of(data))
    team.update(existing_fte=2)  # month 1 short: 250 - 200 = 50 h
    assert any("can add staff only from month 2: 50 hours of demand" in w
               for w in warnings_of(data))


# --- implausible hourly costs (item 9) -----------------------------------------------------

def test_hourly_cost_formula() -> None:
    scenario = load_scenario(parse_document(TINY.encode(), "t.yaml"))
    team, vendor = scenario.options
    assert loaded_hourly_cost(team, scenario) == pytest.approx(
        (120000 * 1.25 + 12000 + 2400) / 12 / 100)
    assert loaded_hourly_cost(vendor, scenario) == pytest.approx(20 * 1.5 / 0.8)


def test_an_inverted_exchange_rate_is_flagged() -> None:
    data = tiny_data()
    # In-house: (150000 + 14400) / 1200 = 137 USD/h. Vendor: 2500 INR at 0.012 USD per
    # INR / 0.8 = 37.5 USD/h (3.7x apart: no warning); INR per USD (83) instead: 259375.
    data["fx"] = {"INR": 0.012}
    data["options"][1].update(currency="INR", hourly_rate=2500)
    assert not [w for w in warnings_of(data) if "per delivered hour" in w]
    data["fx"] = {"INR": 83}
    warnings = warnings_of(data)
    assert any(f"options[1].hourly_rate: Vendor costs {2500 * 83 / 0.8:,.2f} USD per "
               "delivered hour" in w
               and "fx.INR is USD per 1 INR; did you write INR per USD?" in w
               for w in warnings), warnings


def test_a_monthly_salary_typed_as_annual_is_flagged() -> None:
    data = tiny_data()
    team = data["options"][0]
    del team["overhead_per_fte_year"], team["annual_training_per_fte"]
    data["options"][1]["hourly_rate"] = 100  # vendor 100 * 1.5 / 0.8 = 187.5 USD/h
    # in-house 120000 * 1.25 / 1200 = 125 USD/h: 1.5x apart, no warning
    assert not [w for w in warnings_of(data) if "per delivered hour" in w]
    team["annual_salary"] = 10000  # the monthly pay: 10000 * 1.25 / 1200 = 10.42 USD/h
    assert IMPLAUSIBLE_RATIO < 187.5 / (10000 * 1.25 / 1200)
    warnings = warnings_of(data)
    assert any("options[0].annual_salary: Team costs 10.42 USD per delivered hour, 18x less"
               in w and "a monthly salary typed as annual?" in w for w in warnings), warnings


def test_with_three_options_the_median_of_the_others_is_the_reference() -> None:
    data = tiny_data()
    team = data["options"][0]
    del team["overhead_per_fte_year"], team["annual_training_per_fte"]
    team["annual_salary"] = 10000  # 10000 * 1.25 / 1200 = 10.42 USD/h
    data["options"][1]["hourly_rate"] = 100  # 100 * 1.5 / 0.8 = 187.5 USD/h
    data["options"].append({"name": "Other", "model": "kpo", "hourly_rate": 150,
                            "governance_rate": 0.05})
    median = (187.5 + 150) / 2
    warnings = [w for w in warnings_of(data) if "per delivered hour" in w]
    assert len(warnings) == 1  # the vendors are 1.25x apart; only the team is off
    assert (f"Team costs 10.42 USD per delivered hour, {median / (10000 * 1.25 / 1200):.0f}x "
            f"less than the median of the other options ({median:,.2f})") in warnings[0]


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_examples_have_plausible_hourly_costs(path: Path) -> None:
    scenario, _ = api.check_file(path)
    assert scenario is not None
    assert not [m for _, m in advise(scenario) if "per delivered hour" in m]
