"""Starter scenarios for ``kpo-calc init``: one commented template, filled per domain.

The template (``templates/starter.yaml``) carries the structure, the comments
and the values every domain shares; ``templates/domains.toml`` holds what a
domain changes (the work, the salary, the rates and their sources), and
``templates/currencies.toml`` the exchange rates of the reporting currencies
``--currency`` offers. The typical values are US figures in dollars: in another
currency they are converted at the 2024 average rate, and the file says so.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

DEFAULT_DOMAIN = "investment-research"
DEFAULT_CURRENCY = "USD"
#: the vendors' own currencies in the template (their rates are priced in them)
_VENDOR_CURRENCIES = ("INR", "PHP")
_FIELDS = ("title", "description", "work", "salary", "salary_note", "ramp_up", "kpo_rate",
           "kpo_note", "bpo_rate", "bpo_note", "bpo_max", "risk_name", "risk_impact",
           "unmet_cost", "existing_fte")


@cache
def domains() -> dict[str, dict[str, Any]]:
    """Every domain's values, by domain name, in file order."""
    text = resources.files("kpo_calc").joinpath("templates/domains.toml").read_text("utf-8")
    table = tomllib.loads(text)
    for name, values in table.items():
        if sorted(values) != sorted(_FIELDS):  # a packaging mistake, caught by the tests
            raise ValueError(f"domains.toml: [{name}] must set exactly {', '.join(_FIELDS)}")
    return table


@cache
def currencies() -> dict[str, dict[str, float]]:
    """Units of each reporting currency per US dollar, 2014 and 2024 averages."""
    text = resources.files("kpo_calc").joinpath("templates/currencies.toml").read_text("utf-8")
    return tomllib.loads(text)


class _Converted:
    """``{usd:4700}`` in the template: a dollar amount in the reporting currency."""

    def __init__(self, per_usd: float) -> None:
        self.per_usd = per_usd

    def __call__(self, dollars: float) -> int:
        # Three significant figures: a converted typical value is no more precise.
        value = dollars * self.per_usd
        return int(round(value, 3 - len(str(int(value))))) if value >= 1000 else round(value)

    def __format__(self, spec: str) -> str:
        return str(self(float(spec)))


def starter_scenario(domain: str, file_name: str = "scenario.yaml",
                     currency: str = DEFAULT_CURRENCY) -> str:
    """The commented starter scenario for ``domain`` in ``currency``, as YAML text."""
    values = domains()[domain]
    rates = currencies()
    per_usd = rates[currency]["per_usd_2024"]
    usd = _Converted(per_usd)
    template = resources.files("kpo_calc").joinpath("templates/starter.yaml").read_text(
        encoding="utf-8")
    return template.format_map({
        **values,
        "domain": domain,
        "file_name": file_name,
        "currency": currency,
        "currency_note": "" if currency == "USD" else (
            f"# Amounts in {currency} are the typical US figures (quoted in dollars below) "
            f"converted at the\n# 2024 average of {per_usd:g} {currency} per USD: replace "
            "them with local figures.\n"),
        "fx": _fx_lines(currency),
        "usd": usd,
        "salary": usd(values["salary"]),
        "risk_impact": usd(values["risk_impact"]),
        "unmet_cost": usd(values["unmet_cost"]),
        "work": "\n".join(f"  - {item}" for item in values["work"]),
        "plan": _example_plan(values["work"]),
        # OMB A-76: 12% overhead on personnel cost, with BLS's 0.42 benefits.
        "overhead": usd(int(round(0.12 * values["salary"] * 1.42, -2))),
    })


def _fx_lines(currency: str) -> str:
    """The vendors' currencies in ``currency``: the 2024 rate, and the 2014-2024 trend as
    the drift (a currency that lost value against ``currency`` drifts below 0)."""
    rates = currencies()
    lines = []
    for foreign in (c for c in _VENDOR_CURRENCIES if c != currency):
        then, now = (rates[currency][key] / rates[foreign][key]
                     for key in ("per_usd_2014", "per_usd_2024"))
        drift = (now / then) ** (1 / 10) - 1
        lines.append(f"  {foreign}: {{rate: {now:.3g}, drift: {drift:.3f}}}   # {currency} per "
                     f"{foreign}: {then:.3g} in 2014, {now:.3g} in 2024")
    return "\n".join(lines)


def _example_plan(work: list[str]) -> str:
    """A commented ``plans:`` entry for the domain's work: the first item to the KPO, the
    others shared between the in-house team and the KPO (uncommented, it is valid)."""
    names = [m.group(1).strip() for item in work
             if (m := re.search(r"name:\s*([^,}]+)", item))]
    first, rest = names[0], names[1:]
    lines = [f"#   - name: {first} to KPO India",
             "#     assign:                 # every work item: an option, or shares summing "
             "to 1",
             f"#       {first}: KPO India"]
    lines += [f"#       {name}: {{In-house: 0.5, KPO India: 0.5}}" for name in rest]
    return "\n".join(lines)
