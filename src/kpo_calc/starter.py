"""Starter scenarios for ``kpo-calc init``: one commented template, filled per domain.

The template (``templates/starter.yaml``) carries the structure, the comments
and the values every domain shares; ``templates/domains.toml`` holds what a
domain changes (the work, the salary, the rates and their sources).
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

DEFAULT_DOMAIN = "investment-research"
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


def starter_scenario(domain: str, file_name: str = "scenario.yaml") -> str:
    """The commented starter scenario for ``domain``, as YAML text."""
    values = domains()[domain]
    template = resources.files("kpo_calc").joinpath("templates/starter.yaml").read_text(
        encoding="utf-8")
    return template.format_map({
        **values,
        "domain": domain,
        "file_name": file_name,
        "work": "\n".join(f"  - {item}" for item in values["work"]),
        "plan": _example_plan(values["work"]),
        # OMB A-76: 12% overhead on personnel cost, with BLS's 0.42 benefits.
        "overhead": int(round(0.12 * values["salary"] * 1.42, -2)),
    })


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
