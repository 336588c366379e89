"""Issue 13, item 20: ``init`` has insurance and finance-operations domains, and
``--currency`` writes the starter in another reporting currency.

The typical values are US figures in dollars; in MYR they are converted at the 2024
average of 4.58 MYR per USD (docs/typical-values.md) to three significant figures, and
the vendors' currencies get their MYR rates from the same table: 1 INR = 4.58 / 83.7 =
0.0547 MYR, drifting (0.0547 / (3.27 / 61.0)) ** (1/10) - 1 = +0.2% a year.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from kpo_calc import api
from kpo_calc.cli import DomainName, StarterCurrency
from kpo_calc.starter import currencies, domains


def test_the_command_line_offers_every_domain_and_currency_of_the_templates() -> None:
    assert [d.value for d in DomainName] == list(domains())
    assert [c.value for c in StarterCurrency] == list(currencies())
    assert {"insurance", "finance-operations"} <= set(domains())


def test_insurance_and_finance_operations_starters(tmp_path: Path) -> None:
    for domain, work in (("insurance", ["Claims processing", "Actuarial reserving"]),
                         ("finance-operations", ["Accounts payable",
                                                 "Reconciliations and close"])):
        proc = run_cli("init", "-", "--domain", domain)
        assert proc.returncode == 0, proc.stderr
        data = yaml.safe_load(proc.stdout)
        assert [w["name"] for w in data["work"]] == work
        assert data["currency"] == "USD"


def test_myr_starter_by_hand() -> None:
    proc = run_cli("init", "-", "--currency", "MYR")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert ("# Amounts in MYR are the typical US figures (quoted in dollars below) converted "
            "at the\n# 2024 average of 4.58 MYR per USD: replace them with local figures.\n"
            ) in text
    data = yaml.safe_load(text)
    assert data["currency"] == "MYR"
    assert data["fx"] == {"INR": {"rate": 0.0547, "drift": 0.002},
                          "PHP": {"rate": 0.0799, "drift": 0.008}}
    in_house = data["options"][0]
    assert in_house["annual_salary"] == 435_000           # 95,000 x 4.58 = 435,100
    assert in_house["recruiting_cost_per_hire"] == 21_500  # 4,700 x 4.58 = 21,526
    assert in_house["overhead_per_fte_year"] == 74_200     # 16,200 x 4.58 = 74,196
    assert data["unmet_hour_cost"] == 687                 # 150 x 4.58
    kpo = data["options"][1]
    assert (kpo["currency"], kpo["hourly_rate"]) == ("INR", 2500)  # priced in rupees still
    assert kpo["transition"]["cost"] == 229_000           # 50,000 x 4.58


@pytest.mark.parametrize("currency", [c.value for c in StarterCurrency])
def test_every_currency_gives_the_same_decision_at_about_the_same_figures(
        tmp_path: Path, currency: str) -> None:
    usd, other = tmp_path / "usd.yaml", tmp_path / f"{currency}.yaml"
    assert run_cli("init", usd, "--domain", "finance-operations").returncode == 0
    proc = run_cli("init", other, "--domain", "finance-operations", "--currency", currency)
    assert proc.returncode == 0, proc.stderr
    assert f"(finance-operations, {currency})" in proc.stderr
    a, b = api.compare(usd), api.compare(other)
    assert b.currency == currency
    assert b.recommendation.option == a.recommendation.option
    rate = currencies()[currency]["per_usd_2024"]
    # The in-house team is costed in the reporting currency: its amounts, converted and
    # rounded to three figures, give its total converted, within 1%. (The vendors' totals
    # differ more: their currencies drift against MYR as they did, not as against USD.)
    assert b.option("In-house").total_cost == pytest.approx(
        a.option("In-house").total_cost * rate, rel=0.01)
    if currency != "USD":
        assert f"2024 average of {rate:g} {currency} per USD" in other.read_text()
    else:
        assert "Amounts in" not in other.read_text()


def test_an_unknown_currency_is_a_usage_error() -> None:
    proc = run_cli("init", "-", "--currency", "GBP")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Invalid value for '--currency'" in proc.stderr
    assert "'GBP' is not one of 'usd', 'eur', 'myr', 'inr', 'php'" in proc.stderr
    assert "Traceback" not in proc.stderr
