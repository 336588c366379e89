"""Issue 13, items 14 and 15: the verdict comes first, and alternatives that cannot do all
the work are left out of the tables (one line names them) unless ``--all``.

The insurer example gives every team a ``serves`` list: In-house clerks, In-house
actuaries and BPO Manila cannot do all the work alone, so their all-work columns
are infeasible; KPO Pune and the four plans (Today the baseline) are the choices.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SCENARIOS, run_cli
from kpo_calc.diffing import Figure, OptionDiff
from kpo_calc.render.diff_text import feasibility_mark

INSURER = SCENARIOS / "insurer-claims-actuarial-myr.yaml"
INFEASIBLE = ("In-house clerks", "In-house actuaries", "BPO Manila")
FEASIBLE = ("KPO Pune", "Today", "Claims to BPO, analytics kept", "Migration to Pune",
            "Claims to BPO, analytics to Pune")
NOTE = ("Not feasible, not shown (--all shows them): In-house clerks ('Actuarial analytics' "
        "is not in the serves list of In-house clerks; 'IFRS 17 migration' is not in the "
        "serves list of In-house clerks); In-house actuaries ('Claims data entry' is not in "
        "the serves list of In-house actuaries); BPO Manila ('Actuarial analytics' needs high "
        "specialization; BPO Manila serves up to low; 'IFRS 17 migration' needs high "
        "specialization; BPO Manila serves up to low).")


def table(*args: str | Path, width: int = 80) -> str:
    proc = run_cli("compare", *args, env={"COLUMNS": str(width)})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_the_verdict_and_its_reason_come_first_in_the_table() -> None:
    lines = table(INSURER).splitlines()
    verdict = next(i for i, line in enumerate(lines) if "Recommendation: Migration to Pune" in line)
    summary = next(i for i, line in enumerate(lines) if line.startswith("Cost over 36 months"))
    details = next(i for i, line in enumerate(lines) if line.startswith("Cost by line"))
    assert verdict < 8  # right under the title and the file line
    assert "Migration to Pune costs 1.5% less than Today" in lines[verdict + 1]
    assert verdict < summary < details


def test_the_verdict_comes_before_the_tables_in_markdown() -> None:
    out = run_cli("compare", "--format", "markdown", INSURER).stdout
    assert out.index("**Recommendation: Migration to Pune.**") < out.index("| MYR |")
    assert out.index("| MYR |") < out.index("<details><summary>Cost by line")


def test_infeasible_alternatives_are_one_line_not_columns() -> None:
    out = table(INSURER, width=1000)
    head = next(line for line in out.splitlines() if line.lstrip().startswith("KPO Pune"))
    for name in INFEASIBLE:
        assert name not in head
    assert "not feasible)" not in out
    assert "(not" not in out
    # The verdict box holds one line for the three, with their reasons.
    assert " ".join(out.split()).count("Not feasible") == 1
    assert NOTE in " ".join(out.replace("│", " ").split())
    markdown = run_cli("compare", "--format", "markdown", INSURER).stdout
    header = next(line for line in markdown.splitlines() if line.startswith("| MYR |"))
    assert header == ("| MYR | KPO Pune | Today (baseline, plan) | Claims to BPO, analytics kept "
                      "(plan) | Migration to Pune (plan) | Claims to BPO, analytics to Pune "
                      "(plan) |")
    assert f"_{NOTE}_" in markdown


def test_all_shows_them_marked() -> None:
    out = table("--all", INSURER, width=1000)
    assert out.count("(not feasible)") == 4 * 3  # summary, who, lines, flexibility headers
    assert "Not feasible: In-house clerks (" in " ".join(out.replace("│", " ").split())
    markdown = run_cli("compare", "--format", "markdown", "--all", INSURER).stdout
    header = next(line for line in markdown.splitlines() if line.startswith("| MYR |"))
    assert header.startswith("| MYR | In-house clerks (not feasible) | In-house actuaries "
                             "(not feasible) | BPO Manila (not feasible) | KPO Pune |")


def test_json_and_csv_keep_every_alternative() -> None:
    doc = json.loads(run_cli("compare", "--format", "json", INSURER).stdout)
    options = {o["name"]: o["feasible"] for o in doc["scenarios"][0]["options"]}
    assert options == {**dict.fromkeys(INFEASIBLE, False), **dict.fromkeys(FEASIBLE, True)}
    csv = run_cli("compare", "--format", "csv", INSURER).stdout
    assert all(f",{name}," in csv for name in INFEASIBLE)


def test_diff_hides_them_too_and_marks_them_under_all(tmp_path: Path) -> None:
    new = tmp_path / "new.yaml"
    new.write_text(INSURER.read_text(encoding="utf-8").replace(
        "min_savings: 0.10 ", "min_savings: 0.05 "), encoding="utf-8")
    out = run_cli("diff", INSURER, new).stdout
    rows = [line.split("  ")[0] for line in out.splitlines()]
    assert not set(INFEASIBLE) & set(rows)
    assert "KPO Pune" in rows
    assert ("Not feasible in either version, so not shown (--all shows them): In-house "
            "clerks; In-house actuaries; BPO Manila.") in " ".join(out.split())
    shown = run_cli("diff", "--all", "--format", "markdown", INSURER, new).stdout
    assert "| In-house clerks (not feasible) | " in shown
    assert "| BPO Manila (not feasible) | " in shown
    assert "--all shows them" not in shown
    hidden = run_cli("diff", "--format", "markdown", INSURER, new).stdout
    assert "| In-house clerks" not in hidden
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
