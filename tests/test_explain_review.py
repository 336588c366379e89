"""A hostile review of ``explain``: names as data in every part of the table, formulas that
recompute to the cent at any magnitude, Markdown within GitHub's limits, and what an
analyst needs to read the figures (means of uncertain inputs, events by year, a CSV that
pivots)."""

from __future__ import annotations

from conftest import SCENARIOS, run_cli, tiny_data

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


def test_markdown_never_starts_a_line_with_a_workflow_command(write_scenario) -> None:
    data = tiny_data()
    data["name"] = "::error::Tiny"
    data["options"][1]["other_costs"] = [{"name": "::warning::x", "amount": 10, "per": "month"}]
    out = run_cli("explain", str(write_scenario(data)), "-f", "markdown")
    assert out.returncode == 0, out.stderr
    assert not any(line.lstrip().startswith("::") for line in out.stdout.splitlines())
