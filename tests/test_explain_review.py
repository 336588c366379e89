"""A hostile review of ``explain``: names as data in every part of the table, formulas that
recompute to the cent at any magnitude, Markdown within GitHub's limits, and what an
analyst needs to read the figures (means of uncertain inputs, events by year, a CSV that
pivots)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import numpy as np
import pytest

from conftest import SCENARIOS, run_cli, tiny_data
from kpo_calc.engine.lines import LINE_BY_NAME
from kpo_calc.formats import choices
from kpo_calc.render.explain_view import substituted
from kpo_calc.render.markdown import LIMIT

INSURER = SCENARIOS / "insurer-claims-actuarial-myr.yaml"


def test_table_titles_show_a_line_break_in_a_name_as_an_escape(write_scenario) -> None:
    # A title holds the alternative's name: like every cell, it is shown through visible(),
    # so a line break in the name is "\n", not a second line that starts "::error::".
    data = tiny_data()
    data["options"][0]["name"] = "+Team\n::error::pwned"
    out = run_cli("explain", str(write_scenario(data)), env={"COLUMNS": "200"})
    assert out.returncode == 0, out.stderr
    assert "+Team\\n::error::pwned: parts" in out.stdout
    assert "+Team\\n::error::pwned · +Team\\n::error::pwned: cost lines" in out.stdout
    assert not any(line.lstrip().startswith(("::", "\\x3a:error::pwned"))
                   for line in out.stdout.splitlines())


def test_one_month_recomputes_to_the_cent_at_any_magnitude() -> None:
    # 4 heads at 1e12 / 12 a month: 333,333,333,333.33. Ten significant digits
    # (8.333333333e+10) would give 333,333,333,320: the substitution shows more digits
    # when the line needs them, and never an exponent below 1e15.
    text = substituted("salaries", {"headcount": 4.0, "salary": 1e12 / 12})
    assert "e" not in text
    count, salary = (float(x) for x in text.split(" × "))
    assert abs(count * salary - 4 * 1e12 / 12) < 0.005
    # hires × per_hire: 2 × 104,166,672,666.67 (a cost per hire in the hundred billions)
    per_hire = 1e12 / 12 * 1.25 + 1 / 3
    count, each = (float(x) for x in substituted("hiring", {"hires": 2.0,
                                                            "per_hire": per_hire}).split(" × "))
    assert abs(count * each - 2 * per_hire) < 0.005
    # Everyday figures stay as short as before.
    assert substituted("salaries", {"headcount": 4.0, "salary": 10_000 / 3}) == "4 × 3333.333333"


def test_one_month_table_with_a_huge_salary(write_scenario) -> None:
    data = tiny_data()
    data["options"][0]["annual_salary"] = 1e12
    out = run_cli("explain", str(write_scenario(data)), "-a", "Team", "--month", "2",
                  env={"COLUMNS": "200"})
    assert out.returncode == 0, out.stderr
    # Month 2: 4 heads × 1e12 / 12 = 333,333,333,333.33
    assert "333,333,333,333.33" in out.stdout
    assert "e+10" not in out.stdout
    assert "e+11" not in out.stdout


def _vnd() -> dict:
    """Tiny in Vietnamese dong: salaries in the hundreds of millions, and attrition of
    10% a year on 7 heads, so that leavers a month (7 × 0.1 / 12 = 0.0583...) is not a
    round number."""
    data = tiny_data()
    data.update(currency="VND", fx={"EUR": 27_000}, unmet_hour_cost=1_000_000)
    data["options"][0].update(annual_salary=3.6e8, recruiting_cost_per_hire=5e7,
                              training_cost_per_hire=2e7, overhead_per_fte_year=3e7,
                              annual_training_per_fte=6e6, attrition_rate=0.1, existing_fte=7)
    return data


def test_json_drivers_recompute_every_line_in_a_currency_of_large_numbers(
        write_scenario) -> None:
    # Drivers rounded to 9 decimals lose the cent once multiplied by 10^8 (leavers ×
    # per_hire was 3 cents off): they keep 15 significant digits, and so do the factors.
    out = run_cli("explain", str(write_scenario(_vnd())), "-f", "json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)["explanations"][0]
    month = np.arange(1, doc["horizon_months"] + 1)
    checked = 0
    for alt in doc["alternatives"]:
        for part in alt["parts"]:
            values = {n: np.array(d["monthly"]) for n, d in part["drivers"].items()}
            values["month"] = month
            for line in part["lines"]:
                if line["name"] in ("other_recurring", "other_one_time"):
                    continue
                expected = np.broadcast_to(LINE_BY_NAME[line["name"]].compute(values),
                                           month.shape)
                assert np.max(np.abs(np.array(line["monthly"]) - expected)) <= 0.005, (
                    alt["name"], part["option"], line["name"])
                checked += 1
        # NPV from the JSON's own monthly amounts and factors, to the cent
        assert sum(c * f for c, f in zip(alt["monthly"], doc["discount_factors"],
                                         strict=True)) == pytest.approx(alt["npv"], abs=0.01)
    assert checked == 19  # Team: 8 lines; Vendor: the team's severance and 10 vendor lines


def test_markdown_fits_a_github_comment_and_says_it_folded() -> None:
    # The insurer's full audit trail is about 69,000 characters, and by month 254,000:
    # past GitHub's 65,536 for a comment (and a step summary of several such files
    # passes 1 MiB, when GitHub drops all of it). Markdown folds, as compare's does.
    for extra in ((), ("--by", "month")):
        out = run_cli("explain", str(INSURER), "-f", "markdown", *extra)
        assert out.returncode == 0, out.stderr
        assert len(out.stdout) <= LIMIT
        assert "folded" in out.stdout
        assert "--format json" in out.stdout
        # the totals are still there: Today's total cost, 11,138,094.51 (compare's)
        compared = json.loads(run_cli("compare", str(INSURER), "-f", "json").stdout)
        today = next(o for o in compared["scenarios"][0]["options"] if o["name"] == "Today")
        assert f"{today['total_cost']:,.2f}" in out.stdout
    # One alternative fits unfolded.
    whole = run_cli("explain", str(INSURER), "-f", "markdown", "-a", "Today").stdout
    assert "folded" not in whole
    assert "**Today · In-house actuaries: drivers**" in whole


def test_step_summary_of_many_long_files_stays_within_the_limit(tmp_path) -> None:
    summary = tmp_path / "summary.md"
    files = [str(p) for p in sorted(SCENARIOS.glob("*.yaml"))]
    out = run_cli("explain", *files, "--by", "month", "-f", "json", "--step-summary",
                  env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert out.returncode == 0, out.stderr
    text = summary.read_text(encoding="utf-8")
    assert len(text) <= LIMIT + 1
    assert "### How the figures of Insurer claims and actuarial work are built" in text


def test_markdown_never_starts_a_line_with_a_workflow_command(write_scenario) -> None:
    data = tiny_data()
    data["name"] = "::error::Tiny"
    data["options"][1]["other_costs"] = [{"name": "::warning::x", "amount": 10, "per": "month"}]
    out = run_cli("explain", str(write_scenario(data)), "-f", "markdown")
    assert out.returncode == 0, out.stderr
    assert not any(line.lstrip().startswith("::") for line in out.stdout.splitlines())


def test_uncertain_inputs_are_said_to_be_at_their_means(write_scenario) -> None:
    # compare says so; explain shows the means as drivers (a triangular [10, 20, 40]
    # EUR rate is 70 / 3 = 23.33 EUR, 35.00 USD at 1.5), so it must say so too.
    data = tiny_data()
    data["options"][1]["hourly_rate"] = {"triangular": [10, 20, 40]}
    data["options"][0]["annual_salary"] = "100000 to 150000"
    path = write_scenario(data)
    for fmt in ("table", "markdown"):
        out = run_cli("explain", str(path), "-f", fmt, "-a", "Vendor", "--month", "1",
                      env={"COLUMNS": "200"})
        assert out.returncode == 0, out.stderr
        assert "2 uncertain inputs are evaluated at their means" in out.stdout
        assert "35.00" in out.stdout
    plain = run_cli("explain", str(write_scenario(tiny_data(), name="point.yaml")))
    assert "evaluated at" not in plain.stdout


def test_a_year_counts_the_first_billed_month_once(write_scenario) -> None:
    # first_billed is an event: Year 1 has it once (1), not 1/12 (0.08) as a level.
    out = run_cli("explain", str(write_scenario(tiny_data())), "-f", "csv", "-a", "Vendor")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    first = {r["column"]: float(r["value"]) for r in rows
             if r["part"] == "Vendor" and r["item"] == "first_billed"
             and r["column"].startswith("Year")}
    assert first == {"Year 1": 1.0, "Year 2 (2 mo)": 0.0}


def test_csv_table_names_the_kind_of_table_not_the_alternative(write_scenario) -> None:
    # The alternative and part have their own columns: the table column is the same for
    # every part, so a pivot filters "Cost lines" once, whatever the names.
    out = run_cli("explain", str(write_scenario(tiny_data())), "-f", "csv", "--by", "month")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    tables = {r["table"] for r in rows}
    assert tables == {"Alternatives", "Discount factors", "Parts", "Totals", "Cost lines",
                      "Drivers"}
    fees = [r for r in rows if r["table"] == "Cost lines" and r["item"] == "Vendor fees"
            and r["column"] == "Total"]
    assert [(r["alternative"], r["part"]) for r in fees] == [("Vendor", "Vendor")]


def test_one_month_shows_the_named_other_costs_that_make_a_line(write_scenario) -> None:
    # Month 3 of the vendor: Travel 1,200 EUR a year = 100 EUR = 150 USD at 1.5; Tooling
    # 50 EUR a month (months 2-5) = 75 USD; Licence 1,000 USD once, in month 3.
    data = tiny_data()
    data["options"][1]["other_costs"] = [
        {"name": "Licence", "amount": 1000, "per": "once", "month": 3},
        {"name": "Travel", "amount": 1200, "per": "year", "currency": "EUR"},
        {"name": "Tooling", "amount": 50, "per": "month", "from_month": 2, "to_month": 5,
         "currency": "EUR"}]
    out = run_cli("explain", str(write_scenario(data)), "-a", "Vendor", "--month", "3",
                  "-f", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    shown = {r["item"]: r["value"] for r in rows
             if r["part"] == "Vendor" and r["column"] == "Month 3: with its values"}
    assert shown["Other recurring costs"] == "150 (Travel) + 75 (Tooling)"
    assert shown["Other one-time costs"] == "1000 (Licence)"


@pytest.mark.parametrize("command", ["mix", "simulate", "sensitivity", "breakeven", "explain",
                                     "compare", "diff", "validate"])
def test_each_command_takes_the_formats_the_registry_lists_for_it(command) -> None:
    # A format added to one command's entry reaches that command's --format, and no
    # other's: simulate, sensitivity and breakeven read mix's entry, so a format added to
    # simulate was refused, and one added to mix was accepted by simulate and crashed
    # (no renderer: exit 3).
    code = (
        "import sys\n"
        "import kpo_calc.formats as f\n"
        f"f.REGISTRY[{command!r}] = {{**f.REGISTRY[{command!r}], 'xml': 'nowhere:render'}}\n"
        "from kpo_calc import cli\n"
        f"sys.argv = ['kpo-calc', {command!r}, '--help']\n"
        "cli.run()\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False, timeout=60)
    assert out.returncode == 0, out.stderr
    assert f"[{'|'.join(choices(command))}|xml]" in out.stdout
    for other in ("mix", "simulate"):
        if other != command:
            helped = subprocess.run([sys.executable, "-c", code.replace(
                f"[\'kpo-calc\', {command!r}, ", f"['kpo-calc', {other!r}, ")],
                capture_output=True, text=True, check=False, timeout=60)
            assert "xml" not in helped.stdout, other


def test_risk_losses_are_summed_as_compare_sums_them(write_scenario) -> None:
    # The largest risk the loader takes, certain, over 600 months: 1e13 / 12 a month. A
    # plain running sum of the months is 4 off compare's (numpy's pairwise sum).
    data = tiny_data()
    data.update(horizon_months=600, stress=[])
    data["options"][1]["risks"] = [{"name": "Fine", "annual_probability": 1, "impact": 1e13}]
    path = str(write_scenario(data))
    compared = json.loads(run_cli("compare", path, "-f", "json").stdout)["scenarios"][0]
    explained = json.loads(run_cli("explain", path, "-f", "json").stdout)["explanations"][0]
    risk = {o["name"]: o["risk_cost"] for o in compared["options"]}
    assert {a["name"]: a["risk_cost"] for a in explained["alternatives"]} == risk
    (vendor,) = (a for a in explained["alternatives"] if a["name"] == "Vendor")
    assert sum(p["risk_cost"] for p in vendor["parts"]) == risk["Vendor"]


def test_one_month_shows_its_discount_factor(write_scenario) -> None:
    # Month 12 at 10%: df = 1.1^(-12/12) = 1/1.1 = 0.909090909091; Team costs 41,655.00
    # that month, worth 41,655 / 1.1 = 37,868.18 today: the reviewer needs df to check it.
    out = run_cli("explain", str(write_scenario(tiny_data())), "-a", "Team", "--month", "12",
                  "-f", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    (df,) = (r for r in rows if r["table"] == "Discount factors")
    assert (df["column"], float(df["value"])) == ("Month 12", 0.909090909091)
    totals = {r["item"]: float(r["value"]) for r in rows if r["table"] == "Totals"}
    assert totals["Cost"] == 41_655.00
    assert totals["Present value: cost × df(m)"] == 37_868.18


def test_csv_present_values_recompute_from_the_factors_shown(write_scenario) -> None:
    # Dong: 480 million a month, so factors to six decimals were up to 154 off the
    # present value of a month; to twelve they recompute it to the cent.
    out = run_cli("explain", str(write_scenario(_vnd())), "-f", "csv", "--by", "month")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    df = {r["column"]: float(r["value"]) for r in rows if r["table"] == "Discount factors"}
    assert len(df) == 14
    for alt in ("Team", "Vendor"):
        cells = {(r["item"], r["column"]): float(r["value"]) for r in rows
                 if r["table"] == "Totals" and r["alternative"] == alt}
        for month, factor in df.items():
            # the cost is shown to the cent: its rounding moves the product by half a cent
            assert cells["Cost", month] * factor == pytest.approx(
                cells["Present value: cost × df(m)", month], abs=0.01), (alt, month)


def test_csv_says_the_currency_of_its_amounts(write_scenario) -> None:
    # The vendor's inputs are in EUR and its amounts in USD (the scenario's): the CSV, which
    # has no sentence saying so, names the currency on every row, and the parts table says
    # that its currency is the inputs'.
    first = write_scenario(tiny_data())
    data = tiny_data()
    data.update(currency="EUR", fx={"USD": 0.9})
    data["options"][1]["currency"] = "USD"
    second = write_scenario(data, name="eur.yaml")
    out = run_cli("explain", str(first), str(second), "-f", "csv", "-a", "Vendor")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert {(r["file"], r["currency"]) for r in rows} == {(str(first), "USD"),
                                                         (str(second), "EUR")}
    inputs = {(r["currency"], r["value"]) for r in rows
              if r["table"] == "Parts" and r["item"] == "Vendor"
              and r["column"] == "Input currency"}
    assert inputs == {("USD", "EUR"), ("EUR", "USD")}


def test_alternatives_that_cannot_do_all_the_work_are_marked() -> None:
    # The insurer's In-house clerks serve only the claims: at 4,337,858.47 they are the
    # cheapest line of the table, and no choice. compare says so; explain must too.
    compared = json.loads(run_cli("compare", str(INSURER), "-f", "json").stdout)
    reasons = {o["name"]: o["infeasible_reasons"] for o in compared["scenarios"][0]["options"]}
    doc = json.loads(run_cli("explain", str(INSURER), "-f", "json").stdout)
    alts = doc["explanations"][0]["alternatives"]
    assert {a["name"]: a["infeasible_reasons"] for a in alts} == reasons
    assert {a["name"] for a in alts if not a["feasible"]} == {
        "In-house clerks", "In-house actuaries", "BPO Manila", "Contract actuaries"}
    table = run_cli("explain", str(INSURER), "-a", "In-house clerks", env={"COLUMNS": "1000"})
    assert "Not feasible (cannot do all the work; compare leaves them out of the decision): " \
           "In-house clerks ('Actuarial analytics' is not in the serves list of In-house " \
           "clerks; 'IFRS 17 migration' is not in the serves list of In-house clerks)." \
           in table.stdout
    rows = list(csv.DictReader(io.StringIO(run_cli("explain", str(INSURER), "-f", "csv",
                                                   "-a", "Today").stdout)))
    assert [r["value"] for r in rows if r["column"] == "Feasible"] == ["yes"]
