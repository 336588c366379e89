"""``mix --format csv``: one row per ranked plan and work item, tidy long form.

Columns: file, scenario, currency, rank, plan, role, clears, measure, item,
option, value. ``role`` is best, top, cheapest, single (the best pure option),
search or robust (``--trials``: each judged plan's figures and shares, then the
run's trials, seed, confidence and the robust and point picks' names). Figures
are the JSON output's (same keys, same rounding); text goes through
``csv_format.safe`` (no spreadsheet formula, controls escaped).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from kpo_calc.outcome import MixOutcome
from kpo_calc.render import RenderOptions
from kpo_calc.render.csv_format import cell, csv_text, safe
from kpo_calc.render.mix_json import mix_dict

COLUMNS = ("file", "scenario", "currency", "rank", "plan", "role", "clears", "measure",
           "item", "option", "value")
MEASURES = ("total_cost", "npv", "risk_adjusted_npv", "savings_vs_baseline", "savings_pct",
            "moved_base", "required_savings")


def render(outcomes: Sequence[MixOutcome], options: RenderOptions) -> str:
    """Every searched scenario as tidy rows, with a header."""
    return csv_text(COLUMNS, (row for o in outcomes if o.result is not None
                              for row in rows(mix_dict(o.file, o.result, o))))


def rows(m: dict[str, Any]) -> Iterator[list[Any]]:
    """The rows of one scenario's search."""
    def row(role: str, plan: dict[str, Any] | None, measure: str, value: Any,
            item: str = "", option: str = "") -> list[Any]:
        rank = plan.get("rank", "") if plan else ""
        clears = plan.get("clears_threshold") if plan else None
        return [safe(m["file"]), safe(m["scenario"]), m["currency"], rank,
                safe(plan["name"]) if plan else "", role, cell(clears), measure, safe(item),
                safe(option), cell(value)]

    for role, plans in (("best", [m["best"]]), ("top", m["top"]),
                        ("cheapest", [m["cheapest"]]), ("single", [m["best_single_option"]])):
        for plan in plans:
            if plan is None:
                continue
            for key in MEASURES:
                if key in plan:
                    yield row(role, plan, key, plan[key])
            for work, to in plan["assign"].items():
                for option, share in to.items():
                    yield row(role, plan, "share", share, work, option)
    for key, value in m["search"].items():
        yield row("search", None, key, value)
    robust = m.get("robust")
    if robust is not None:
        for plan in robust["plans"]:
            named = {"name": plan["name"]}
            for key in ("mean", "p10", "p50", "p90"):
                yield row("robust", named, f"metric_{key}", plan["metric"][key])
            for key in ("p_clears", "p_cheapest"):
                yield row("robust", named, key, plan[key])
            for key in ("mean", "p90"):
                yield row("robust", named, f"regret_{key}", plan["regret"][key])
            # Which work goes where: a plan the search found ("Mix #8") is named
            # nowhere else when it is not in the point ranking.
            for work, to in plan["assign"].items():
                for option, share in to.items():
                    yield row("robust", named, "share", share, work, option)
        for key in ("trials", "seed", "confidence"):
            yield row("robust", None, key, robust[key])
        for key in ("best", "point"):  # names: user text, as in the plan column
            yield row("robust", None, key, safe(robust[key]))
