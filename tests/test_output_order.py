"""Issue 13, items 14 and 15: the verdict comes first, and alternatives that cannot do all
the work are left out of the tables (one line names them) unless ``--all``.

The case is test_plans.PLANNED: Clerks serve only Entry, Analysts only Analysis and
Project, and the BPO only low work, so their all-work alternatives are infeasible;
KPO, Today (the baseline plan) and "Entry to BPO" (recommended) are the choices.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from kpo_calc.diffing import Figure, OptionDiff
from kpo_calc.render.diff_text import feasibility_mark
from test_plans import PLANNED

INFEASIBLE = ("Clerks", "Analysts", "BPO")
FEASIBLE = ("KPO", "Today", "Entry to BPO")
NOTE = ("Not feasible, not shown (--all shows them): Clerks ('Analysis' is not in the serves "
        "list of Clerks; 'Project' is not in the serves list of Clerks); Analysts ('Entry' is "
        "not in the serves list of Analysts); BPO ('Analysis' needs high specialization; BPO "
        "serves up to low; 'Project' needs high specialization; BPO serves up to low).")


@pytest.fixture
def planned(tmp_path: Path) -> Path:
    path = tmp_path / "planned.yaml"
    path.write_text(PLANNED, encoding="utf-8")
    return path


def table(*args: str | Path, width: int = 80) -> str:
    proc = run_cli("compare", *args, env={"COLUMNS": str(width)})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def column_words(out: str) -> list[str]:
    """The words of the summary table's column headers (names over their marks)."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Cost over"))
    rule = next(i for i in range(start, len(lines)) if lines[i].startswith("─"))
    return " ".join(lines[start + 1:rule]).split()


def flat(text: str) -> str:
    """The words of a table's output, box borders and line breaks left out."""
    return " ".join(text.replace("│", " ").split())


def test_the_verdict_and_its_reason_come_first_in_the_table(planned: Path) -> None:
    lines = table(planned).splitlines()
    verdict = next(i for i, line in enumerate(lines) if "Recommendation: Entry to BPO" in line)
    summary = next(i for i, line in enumerate(lines) if line.startswith("Cost over 12 months"))
    details = next(i for i, line in enumerate(lines) if line.startswith("Cost by line"))
    assert verdict < 6  # right under the title and the file line
    assert "Entry to BPO costs 15.7% less than Today" in lines[verdict + 1]
    assert verdict < summary < details


def test_the_verdict_comes_before_the_tables_in_markdown(planned: Path) -> None:
    out = run_cli("compare", "--format", "markdown", planned).stdout
    summary = out.index("**Cost over ")
    assert out.index("**Recommendation: Entry to BPO**") < summary
    assert summary < out.index("<details><summary>Cost by line")


def test_infeasible_alternatives_are_one_line_not_columns(planned: Path) -> None:
    out = table(planned, width=1000)
    # Headers are bottom-aligned over two lines: compare the words, in any order.
    assert sorted(column_words(out)) == sorted(["KPO", "Today", "(baseline,", "plan)", "Entry",
                                                "to", "BPO", "(plan)"])
    assert "not feasible)" not in out
    # The verdict box holds one line for the three, with their reasons.
    assert flat(out).count("Not feasible") == 1
    assert NOTE in flat(out)
    markdown = run_cli("compare", "--format", "markdown", planned).stdout
    header = next(line for line in markdown.splitlines() if line.startswith("|   |"))
    assert header == "|   | KPO | Today (baseline, plan) | Entry to BPO (plan) |"
    assert f"_{NOTE}_" in markdown


def test_all_shows_them_marked(planned: Path) -> None:
    out = table("--all", planned, width=1000)
    assert {"Clerks", "Analysts", "KPO", "Today"} <= set(column_words(out))
    assert column_words(out).count("BPO") == 2  # BPO's own column and Entry to BPO
    # Summary, who does the work, cost by line and flexibility: four headers each.
    assert out.count("(not feasible)") == 4 * 3
    assert "Not feasible: Clerks (" in flat(out)
    markdown = run_cli("compare", "--format", "markdown", "--all", planned).stdout
    header = next(line for line in markdown.splitlines() if line.startswith("|   |"))
    assert header == ("|   | Clerks (not feasible) | Analysts (not feasible) | BPO (not "
                      "feasible) | KPO | Today (baseline, plan) | Entry to BPO (plan) |")


def test_json_and_csv_keep_every_alternative(planned: Path) -> None:
    doc = json.loads(run_cli("compare", "--format", "json", planned).stdout)
    options = {o["name"]: o["feasible"] for o in doc["scenarios"][0]["options"]}
    assert options == {**dict.fromkeys(INFEASIBLE, False), **dict.fromkeys(FEASIBLE, True)}
    csv = run_cli("compare", "--format", "csv", planned).stdout
    assert all(f",{name}," in csv for name in INFEASIBLE)


def test_diff_hides_them_too_and_marks_them_under_all(planned: Path, tmp_path: Path) -> None:
    new = tmp_path / "new.yaml"
    new.write_text(PLANNED.replace("hourly_rate: 80", "hourly_rate: 85"), encoding="utf-8")
    out = run_cli("diff", planned, new).stdout
    rows = [line.split("  ")[0] for line in out.splitlines()]
    assert not set(INFEASIBLE) & set(rows)
    assert "KPO" in rows
    assert ("Not feasible in either version, so not shown (--all shows them): Clerks; "
            "Analysts; BPO.") in flat(out)
    shown = run_cli("diff", "--all", "--format", "markdown", planned, new).stdout
    assert "| Clerks (not feasible) | " in shown
    assert "| BPO (not feasible) | " in shown
    assert "--all shows them" not in shown
    hidden = run_cli("diff", "--format", "markdown", planned, new).stdout
    assert "| Clerks" not in hidden
    assert "_Not feasible in either version, so not shown (--all shows them): " in hidden


def test_an_alternative_feasible_in_one_version_is_shown_with_its_change() -> None:
    def option(old: bool | None, new: bool | None) -> OptionDiff:
        return OptionDiff("X", "changed", Figure(1, 2), Figure(1, 2), Figure(0, 0),
                          (None, None), (old, new))

    assert feasibility_mark(option(True, False)) == "no longer feasible"
    assert feasibility_mark(option(False, True)) == "feasible now"
    assert feasibility_mark(option(False, False)) == "not feasible"
    assert feasibility_mark(option(None, False)) == "not feasible"
    assert feasibility_mark(option(False, None)) == "not feasible"
    assert feasibility_mark(option(True, True)) == ""
