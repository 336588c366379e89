"""``explain``: the audit trail equals compare to the cent, shows each formula with its
inputs, and treats names as data in every format."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from conftest import SCENARIOS, TINY, run_cli
from kpo_calc.engine.lines import LINE_BY_NAME
from kpo_calc.render.explain_view import Periods, plain, substituted
from test_engine_tiny import TEAM_MONTHLY, VENDOR_ALT_MONTHLY, npv

EXAMPLES = sorted(SCENARIOS.glob("*.yaml"))


def as_json(*args: str) -> dict:
    out = run_cli(args[0], "--format", "json", *args[1:])
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_totals_equal_compare_to_the_cent(path) -> None:
    compared = as_json("compare", str(path))["scenarios"][0]
    explained = as_json("explain", str(path))["explanations"][0]
    options = {o["name"]: o for o in compared["options"]}
    assert [a["name"] for a in explained["alternatives"]] == list(options)
    for alt in explained["alternatives"]:
        o = options[alt["name"]]
        for key in ("total_cost", "one_time_cost", "recurring_cost", "npv", "risk_cost"):
            assert alt[key] == pytest.approx(o[key], abs=0.011), (alt["name"], key)
        # Each line of compare is the sum of the part lines of the same name.
        lines: dict[str, float] = {}
        for part in alt["parts"]:
            for line in part["lines"]:
                lines[line["name"]] = lines.get(line["name"], 0.0) + line["total"]
        for name, amount in o["lines"].items():
            assert lines.get(name, 0.0) == pytest.approx(amount, abs=0.011 * len(alt["parts"]))
        assert sum(alt["monthly"]) == pytest.approx(o["total_cost"], abs=0.01 * len(
            alt["monthly"]))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_line_is_its_formula_on_the_drivers_shown(path) -> None:
    # What explain shows recomputes each line: its formula over the drivers it lists.
    doc = as_json("explain", str(path))["explanations"][0]
    month = np.arange(1, doc["horizon_months"] + 1)
    for alt in doc["alternatives"]:
        for part in alt["parts"]:
            values = {n: np.array(d["monthly"]) for n, d in part["drivers"].items()}
            values["month"] = month
            values["other_recurring"] = sum((np.array(m) for m in
                                             part["other_costs"].values()), np.zeros(1))
            for line in part["lines"]:
                if line["name"] in ("other_recurring", "other_one_time"):
                    continue  # their amounts are the named other costs, checked below
                expected = np.broadcast_to(LINE_BY_NAME[line["name"]].compute(values),
                                           month.shape)
                # drivers are shown to 9 decimals: a line is within a cent of them
                assert np.allclose(line["monthly"], expected, rtol=1e-7, atol=0.02), (
                    path.stem, alt["name"], part["option"], line["name"])
            others = sum((np.array(m) for m in part["other_costs"].values()),
                         np.zeros(len(month)))
            booked = sum((np.array(line["monthly"]) for line in part["lines"]
                          if line["name"] in ("other_recurring", "other_one_time")),
                         np.zeros(len(month)))
            assert np.allclose(others, booked, atol=0.02)


def test_tiny_by_hand(write_scenario) -> None:
    path = write_scenario(TINY)
    doc = as_json("explain", str(path))["explanations"][0]
    team = next(a for a in doc["alternatives"] if a["name"] == "Team")
    assert team["monthly"] == pytest.approx(TEAM_MONTHLY, abs=0.005)
    (part,) = team["parts"]
    d = part["drivers"]
    # Month 2: 4 heads (2 existing + 2 hires) at 120,000 / 12 = 10,000 a month each.
    assert d["headcount"]["monthly"][1] == 4
    assert d["hires"]["monthly"][1] == 2
    assert d["salary"]["monthly"][1] == 10_000
    # One hire: recruiting 5,000 + training 1,000 + half the loaded pay of 2 ramp-up
    # months = 6,000 + 0.5 × 2 × 10,000 × 1.25 = 18,500.
    assert d["per_hire"]["monthly"][1] == 18_500
    salaries = next(x for x in part["lines"] if x["name"] == "salaries")
    assert salaries["formula"] == "headcount × salary"
    assert salaries["monthly"][1] == 40_000  # 4 × 10,000
    hiring = next(x for x in part["lines"] if x["name"] == "hiring")
    assert hiring["monthly"][1] == 37_000  # 2 × 18,500
    vendor = next(a for a in doc["alternatives"] if a["name"] == "Vendor")
    assert vendor["monthly"] == pytest.approx(VENDOR_ALT_MONTHLY, abs=0.005)
    assert vendor["npv"] == pytest.approx(npv(VENDOR_ALT_MONTHLY), abs=0.01)
    # df(m) = 1.1^(-m/12): month 12 is 1/1.1.
    assert doc["discount_factors"][11] == pytest.approx(1 / 1.1, abs=1e-9)


def test_one_month_shows_the_inputs_substituted(write_scenario) -> None:
    path = write_scenario(TINY)
    out = run_cli("explain", str(path), "--alternative", "Team", "--month", "2",
                  env={"COLUMNS": "160"})
    assert out.returncode == 0, out.stderr
    # headcount × salary at month 2: 4 × 10000 = 40,000.00
    assert "4 × 10000" in out.stdout
    assert "40,000.00" in out.stdout
    assert "2 × 18500" in out.stdout
    assert "37,000.00" in out.stdout
    assert "Vendor" not in out.stdout.replace("Vendor fees", "")


def test_substitution_is_what_a_calculator_needs() -> None:
    text = substituted("salaries", {"headcount": 4.0, "salary": 10_000 / 3})
    assert text == "4 × 3333.333333"  # 4 × 3333.333333 = 13,333.33: right to the cent
    assert plain(0.05) == "0.05"
    assert plain(1.0609) == "1.0609"
    assert plain(1e20) == "1e+20"


def test_years_and_months_as_columns() -> None:
    assert [s[0] for s in Periods("year", 30).spans] == ["Year 1", "Year 2", "Year 3 (6 mo)"]
    assert Periods("year", 30).sums(list(range(1, 31)))[2] == sum(range(25, 31))
    assert Periods("year", 24).levels([1.0] * 12 + [3.0] * 12) == [1.0, 3.0]
    assert len(Periods("month", 14).spans) == 14
    assert Periods("month", 14, month=5).spans == [("Month 5", 5, 5)]


def test_csv_is_one_value_per_row(write_scenario) -> None:
    path = write_scenario(TINY)
    out = run_cli("explain", str(path), "--format", "csv", "--by", "month")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert list(rows[0]) == ["file", "currency", "alternative", "part", "table", "item",
                             "column", "value"]
    team = [r for r in rows if r["table"] == "Cost lines" and r["alternative"] == "Team"
            and r["part"] == "Team" and r["item"] == "Total" and r["column"].startswith("M")]
    assert [float(r["value"]) for r in team] == pytest.approx(TEAM_MONTHLY, abs=0.005)


def test_markdown_has_the_same_tables(write_scenario) -> None:
    path = write_scenario(TINY)
    out = run_cli("explain", str(path), "--format", "markdown", "-a", "Vendor")
    assert "**Vendor · Vendor: cost lines**" in out.stdout
    assert "| Vendor fees | billed × rate |" in out.stdout


def test_hostile_names_are_data(write_scenario) -> None:
    hostile = TINY.replace("name: Team", "name: '[bold]=cmd|x`<b>'").replace(
        "name: Analysis", "name: '@team *Analysis*'").replace(
        "name: Study", "name: '=SUM(A1)'").replace("name: Vendor", "name: '=1+2'")
    path = write_scenario(hostile)
    table = run_cli("explain", str(path), "-a", "[bold]=cmd|x`<b>", env={"COLUMNS": "200"})
    assert table.returncode == 0, table.stderr
    assert "[bold]=cmd|x`<b>" in table.stdout
    md = run_cli("explain", str(path), "-f", "markdown", "-a", "[bold]=cmd|x`<b>").stdout
    assert "\\[bold\\]=cmd\\|x\\`\\<b\\>" in md
    assert "@&#8203;team \\*Analysis\\*" in md
    rows = list(csv.reader(io.StringIO(run_cli("explain", str(path), "-f", "csv").stdout)))
    assert any(r[2] == "[bold]=cmd|x`<b>" and r[3] == "[bold]=cmd|x`<b>" for r in rows)
    assert ["'=1+2", "'=1+2"] in [r[2:4] for r in rows]
    assert "'@team *Analysis* 100%; =SUM(A1) 100%" in [r[7] for r in rows]
    assert not any(c.startswith("=") for r in rows for c in r)  # never a formula


def test_bad_input_is_a_clear_error(write_scenario, tmp_path) -> None:
    path = write_scenario(TINY)
    out = run_cli("explain", str(path), "--alternative", "Vendr")
    assert out.returncode == 2
    assert "--alternative 'Vendr' is not an option or plan of this scenario; did you mean " \
           "'Vendor'?" in out.stderr
    out = run_cli("explain", str(path), "--month", "15")
    assert out.returncode == 2
    assert "--month 15 is past the horizon of this scenario (14 months); choose 1 to 14" \
        in out.stderr
    out = run_cli("explain", str(path), "--month", "0")
    assert out.returncode == 2
    out = run_cli("explain", str(tmp_path / "missing.yaml"))
    assert out.returncode == 2
    assert "missing.yaml" in out.stderr
    target = tmp_path / "out.json"
    out = run_cli("explain", str(path), str(tmp_path / "missing.yaml"), "-f", "json",
                  "-o", str(target))
    assert out.returncode == 2
    assert not target.exists()


def test_json_envelope_is_a_list_per_file() -> None:
    files = [str(EXAMPLES[0]), str(EXAMPLES[1])]
    doc = json.loads(run_cli("explain", "-f", "json", *files).stdout)
    assert doc["schema_version"] == 1
    assert doc["errors"] == []
    assert [e["file"] for e in doc["explanations"]] == files


def test_a_one_month_horizon_reads_as_one_month() -> None:
    from kpo_calc.engine.explain import Explanation
    from kpo_calc.render.explain_view import views

    one = Explanation("One", "USD", 1, 0.1, (1.1 ** (-1 / 12),), ())
    assert views("f.yaml", one, Periods("year", 1)).blocks[0].text.startswith(  # type: ignore[union-attr]
        "Amounts in USD over 1 month; ")
    many = Explanation("Two", "USD", 2, 0.1, (1.0, 1.0), ())
    assert "over 2 months; " in views("f.yaml", many, Periods("year", 2)).blocks[0].text  # type: ignore[union-attr]
