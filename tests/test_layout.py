"""Nothing is cut off: at any width, every header and every figure shows in full.

Figures are taken from the JSON output and formatted here (thousands separators,
whole units; cents for the cost per hour), then looked up as whole tokens in the
table output.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.cells import cell_len
from typer.testing import CliRunner

from conftest import SCENARIOS, tiny_data
from kpo_calc.cli import app

EXAMPLES = sorted(SCENARIOS.glob("*.yaml"))
WIDTHS = (40, 60, 80, 100, 120)


def run(width: int, *args: str | Path) -> str:
    result = CliRunner().invoke(app, [str(a) for a in args],
                                env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def whole(amount: float) -> str:
    """``amount`` (JSON: cents) in whole units; a half cent-rounded is either neighbour,
    since the table rounds the unrounded figure (``|`` joins the two in a pattern)."""
    low, high = f"{amount - 0.001:,.0f}", f"{amount + 0.001:,.0f}"
    return low if low == high else f"{low}|{high}"


def shown_figures(doc: dict[str, Any]) -> list[str]:
    """Every money figure the table format prints, as it should print it."""
    figures: list[str] = []
    for s in doc["scenarios"]:
        for o in s["options"]:
            for key in ("one_time_cost", "recurring_cost", "total_cost", "npv", "risk_cost",
                        "risk_adjusted_total", "risk_adjusted_npv"):
                figures.append(whole(abs(o[key])))
            figures.append(f"{o['cost_per_hour']:,.2f}")
            if o["name"] != s["baseline"]:
                figures.append(whole(abs(o['savings_vs_baseline'])))
            figures += [whole(amount) for amount in o["lines"].values()]
            flex = o["flexibility"]
            figures += [whole(flex['cost_to_shed_fte']), whole(flex['exit_cost'])]
            figures += [whole(abs(t['delta_vs_base'])) for t in flex["stress"]]
    return figures


def assert_fits(out: str, width: int, doc: dict[str, Any]) -> None:
    assert "…" not in out
    for line in out.splitlines():
        assert cell_len(line.rstrip()) <= width, line
    for figure in shown_figures(doc):
        pattern = "|".join(map(re.escape, figure.split("|")))
        assert re.search(rf"(?<![\d,.])({pattern})(?![\d,]|\.\d)", out), figure


@functools.cache
def figures_of(example: Path) -> dict[str, Any]:
    """The JSON report of ``example`` (the same at any width: computed once per example)."""
    doc: dict[str, Any] = json.loads(run(100, "compare", "--format", "json", example))
    return doc


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_fit_every_width(example: Path, width: int) -> None:
    # --all: every alternative's figures must show, the infeasible ones too.
    assert_fits(run(width, "compare", "--all", example), width, figures_of(example))


@pytest.mark.parametrize("width", WIDTHS)
def test_batch_summary_fits_and_says_everything(width: int) -> None:
    doc = json.loads(run(width, "compare", "--format", "json", SCENARIOS))
    out = run(width, "compare", "--no-details", SCENARIOS)
    assert "…" not in out
    assert max(cell_len(line.rstrip()) for line in out.splitlines()) <= width
    words = " ".join(out.split())  # wrapped cells read as one text
    for s in doc["scenarios"]:
        rec = s["recommendation"]
        base = next(o for o in s["options"] if o["name"] == s["baseline"])
        metric = {"npv": "npv", "total": "total_cost",
                  "risk_adjusted_npv": "risk_adjusted_npv"}[s["metric"]]
        assert f"{s['currency']} {base[metric]:,.0f}" in words
        if rec["option"] == s["baseline"]:
            assert f"{rec['option']} (stays)" in words
            # ... and how far the best alternative falls short.
            best = min((o for o in s["options"] if o["feasible"] and o is not base),
                       key=lambda o: o[metric])
            assert f"{best['name']} would" in words
            assert f"{abs(best['savings_pct']) * 100:.1f}%" in words
        else:
            assert f"{rec['savings_pct'] * 100:.1f}% ({s['currency']} {rec['savings']:,.0f})" \
                in words


def test_six_options_with_long_names_at_80_columns(tmp_path: Path) -> None:
    data = tiny_data()
    vendor = data["options"][1]
    for i in range(5):
        data["options"].append({**vendor, "name": f"Consolidated Offshore Knowledge "
                                f"Services Private Limited {i}",
                                "hourly_rate": vendor["hourly_rate"] + 3 * i})
    data["options"][1]["name"] = "Supercalifragilisticexpialidocious Analytics"
    data["decision"] = {"weights": {"cost": 0.5, "quality": 0.2, "control": 0.1,
                                    "communication": 0.1, "ip_security": 0.1}}
    for option in data["options"]:
        option["scores"] = {"control": 3, "ip_security": 3, "quality": 4, "communication": 2}
    path = tmp_path / "six.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    doc = json.loads(run(80, "compare", "--format", "json", path))
    assert len(doc["scenarios"][0]["options"]) == 7
    out = run(80, "compare", path)
    assert_fits(out, 80, doc)
    assert "Supercalifragilisticexpialidocious" in out  # a long word is never cut
    for row in doc["scenarios"][0]["scorecard"]["rows"]:
        assert f"{row['weighted_score']:.2f}" in out


def test_markdown_and_csv_have_the_scorecard() -> None:
    example = SCENARIOS / "equity-research-india.yaml"
    doc = json.loads(run(100, "compare", "--format", "json", example))
    card = doc["scenarios"][0]["scorecard"]
    markdown = run(100, "compare", "--format", "markdown", example)
    for row in card["rows"]:
        assert re.search(rf"^\| {row['rank']} \| {re.escape(row['option'])} \| "
                         rf"{row['cost_score']:.2f} \|.* \| {row['weighted_score']:.2f} \|$",
                         markdown.replace("**", ""), re.M), row  # rank 1 is bold
    csv = run(100, "compare", "--format", "csv", example)
    for row in card["rows"]:
        assert re.search(rf",{re.escape(row['option'])},.*,scorecard,,weighted_score,,"
                         rf"{row['weighted_score']},", csv)
    for criterion, weight in card["weights"].items():
        assert f",scorecard,{criterion},weight,,{weight}," in csv


@pytest.mark.parametrize("width", WIDTHS)
def test_diff_fits_every_width(width: int) -> None:
    old = SCENARIOS / "patent-search-eur.yaml"
    new = SCENARIOS.parent / "tests" / "data" / "patent-search-cheaper-kpo.yaml"
    doc = json.loads(run(width, "diff", "--format", "json", old, new))
    out = run(width, "diff", old, new)
    assert "…" not in out
    assert max(cell_len(line.rstrip()) for line in out.splitlines()) <= width
    for option in doc["options"]:
        for value in option["total_cost"].values():
            if value is not None:
                assert whole(abs(value)).split("|")[0] in out or \
                    whole(abs(value)).split("|")[-1] in out


def test_markdown_summary_says_everything() -> None:
    doc = json.loads(run(100, "compare", "--format", "json", SCENARIOS))
    out = run(100, "compare", "--format", "markdown", SCENARIOS)
    assert "| File | Scenario | Recommendation | Savings | Baseline | Gates |" in out
    for s in doc["scenarios"]:
        rec = s["recommendation"]
        row = next(line for line in out.splitlines() if line.startswith(f"| `{s['file']}` |"))
        if rec["option"] != s["baseline"]:
            assert f"| {rec['savings_pct'] * 100:.1f}% ({s['currency']} " \
                   f"{rec['savings']:,.0f}) |" in row
        else:
            assert "(stays)" in row
            assert "would" in row
        assert f"| {s['baseline']}: {s['currency']} " in row
