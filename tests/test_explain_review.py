"""A hostile review of ``explain``: names as data in every part of the table, formulas that
recompute to the cent at any magnitude, Markdown within GitHub's limits, and what an
analyst needs to read the figures (means of uncertain inputs, events by year, a CSV that
pivots)."""

from __future__ import annotations

from conftest import SCENARIOS, run_cli, tiny_data
from kpo_calc.render.explain_view import substituted

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


def test_markdown_never_starts_a_line_with_a_workflow_command(write_scenario) -> None:
    data = tiny_data()
    data["name"] = "::error::Tiny"
    data["options"][1]["other_costs"] = [{"name": "::warning::x", "amount": 10, "per": "month"}]
    out = run_cli("explain", str(write_scenario(data)), "-f", "markdown")
    assert out.returncode == 0, out.stderr
    assert not any(line.lstrip().startswith("::") for line in out.stdout.splitlines())
