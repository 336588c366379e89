"""A hostile review of ``kpo-calc report``: the inputs that broke the page or the workbook.

Each test is one problem found: a scenario a user can write, what the page did
with it, and what it must do (the figures stay on the printed page, the charts
keep their names inside the picture).
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import run_cli, tiny_data
from test_report_html import Page, browse, needs_browser

LONG = "x" * 200  # the longest name the format allows, without a space


def many_alternatives(count: int, hours: float = 250) -> dict[str, Any]:
    """The tiny scenario with ``count`` more vendors (each a little dearer than the last)."""
    data = tiny_data()
    vendor = data["options"][1]
    data["options"] += [dict(copy.deepcopy(vendor), name=f"Vendor number {i} with a long name",
                             hourly_rate=21 + i) for i in range(count)]
    data["work"][0]["hours_per_month"] = hours
    return data


def written(folder: Path, data: dict[str, Any], name: str = "scenario.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def compared(path: Path) -> dict[str, Any]:
    proc = run_cli("compare", "--format", "json", path)
    assert proc.returncode == 0, proc.stderr
    scenario: dict[str, Any] = json.loads(proc.stdout)["scenarios"][0]
    return scenario


def page_file(folder: Path, scenario: Path) -> Path:
    out = folder / "report.html"
    proc = run_cli("report", scenario, "-o", out)
    assert proc.returncode == 0, proc.stderr
    return out


def printed(folder: Path, page: Path) -> list[str]:
    """The text of each page of ``page`` printed to PDF by Chromium."""
    from pypdf import PdfReader

    pdf = folder / "page.pdf"
    browse(folder, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    return [p.extract_text() for p in PdfReader(pdf).pages]


# --- 1. A name of 200 characters without a space -----------------------------------------
# The table grew as wide as the name: the summary's figures were printed past the right
# edge of the page, where Chromium drops them (page 1 had the names and no figure).

@needs_browser
def test_a_long_name_leaves_the_summarys_figures_on_the_printed_page(tmp_path) -> None:
    data = tiny_data()
    data["options"][1]["name"] = LONG
    scenario = written(tmp_path, data)
    texts = printed(tmp_path, page_file(tmp_path, scenario))
    first = texts[0].replace("\n", " ")
    for option in compared(scenario)["options"]:
        assert f"{option['total_cost']:,.0f}" in first, option["name"][:20]
    # Team's 688,735 and the vendor's 300,140, as tests/test_engine_tiny.py works them out
    assert "688,735" in first
    assert "300,140" in first


def test_a_long_name_can_wrap_in_a_table_and_reads_whole(tmp_path) -> None:
    data = tiny_data()
    data["options"][1]["name"] = LONG[3:] + "<&>"
    out = page_file(tmp_path, written(tmp_path, data))
    markup = out.read_text("utf-8")
    row = Page(markup).rows("s1-summary")[1]
    assert row[0][0] == LONG[3:] + "<&>"  # the cell's text is the name (the breaks are <wbr>)
    cell = re.search(r'<td data-field="name">(x{16}<wbr>.*?)</td>', markup)
    assert cell is not None
    pieces = cell.group(1).split("<wbr>")
    assert len(pieces) == 13  # 200 characters, 16 to a piece (&amp; is one)
    assert pieces[-1] == "xxxxx&lt;&amp;&gt;"


# --- 2. Twenty alternatives and amounts in the trillions ---------------------------------
# The cost-by-line table put every alternative in a column: 22 columns ran off the page.
# The cumulative chart's legend had no room: it covered the lines and the last names
# fell outside the picture. Axis ticks read "13,000,000M" and were cut at the left.

def test_the_cost_by_line_table_splits_its_alternatives_into_tables_that_fit(
        tmp_path) -> None:
    scenario = written(tmp_path, many_alternatives(20))
    page = Page(page_file(tmp_path, scenario).read_text("utf-8"))
    report = compared(scenario)
    ids = ["s1-lines", *(f"s1-lines{i}" for i in range(2, 5))]  # 22 alternatives: 6+6+6+4
    assert [t for t in page.tables if t.startswith("s1-lines")] == ids
    heads = [page.heads(t)[1:] for t in ids]
    assert [len(h) for h in heads] == [6, 6, 6, 4]
    assert [n for h in heads for n in h] == [o["name"] for o in report["options"]]
    # The Total row of each table: each alternative's total is the JSON's, to the cent.
    shown = [float(str(a.get("data-value"))) for t in ids for _, a in page.tables[t][-1][1:]]
    assert shown == pytest.approx([o["total_cost"] for o in report["options"]], abs=0.005)


def test_short_amounts_use_billions_and_trillions() -> None:
    from kpo_calc.report.charts import short_amount

    assert short_amount(13e12) == "13T"
    assert short_amount(1.25e12) == "1.2T"  # one decimal, as for millions
    assert short_amount(-2.5e9) == "-2.5B"
    assert short_amount(999e6) == "999M"
    assert short_amount(0.0) == "0"


def _legend_and_axis(svg: str) -> tuple[list[float], float, float]:
    """The y of the cumulative chart's legend texts, of its x-axis label, and its height."""
    height = float(re.search(r'<svg[^>]*height="([\d.]+)pt"', svg).group(1))  # type: ignore[union-attr]
    legend = svg[svg.index('legend_1"'):]
    ys = [float(y) for y in re.findall(r'<text[^>]* y="([\d.]+)"', legend)]
    month = re.search(r'<text[^>]* y="([\d.]+)"[^>]*>Month</text>', svg)
    assert month is not None
    return ys, float(month.group(1)), height


def test_many_alternatives_put_the_legend_under_the_cumulative_chart(tmp_path) -> None:
    from kpo_calc import api
    from kpo_calc.report.charts import LEGEND_INSIDE, cumulative

    result = api.compare(written(tmp_path, many_alternatives(20)))
    names = [o.name for o in result.options]
    svg = cumulative(result, names, "k")
    ys, month, height = _legend_and_axis(svg)
    assert len(ys) == len(names) == 22
    assert all(month < y < height for y in ys), (month, height, ys)
    for name in names:
        assert f">{name}" in svg
    # A few alternatives keep their legend inside the chart, at the top.
    few = cumulative(result, names[:LEGEND_INSIDE], "k")
    ys, month, height = _legend_and_axis(few)
    assert height == pytest.approx(3.6 * 72)
    assert all(y < month for y in ys)


# --- 3. The workbook writer is not loaded by other commands ---------------------------------

def test_other_commands_do_not_load_the_workbook_writer(tmp_path) -> None:
    scenario = written(tmp_path, tiny_data())
    code = ("import sys\nfrom kpo_calc.cli import run\nsys.argv = ['kpo-calc', *sys.argv[1:]]\n"
            "try:\n    run()\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write(' '.join(m for m in ('xlsxwriter', 'matplotlib')"
            " if m in sys.modules) or 'CLEAN')\n")
    for args in (["compare", str(scenario)], ["--help"], ["report", "--help"],
                 ["compare", "--format", "json", str(scenario)]):
        proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                              text=True, check=False, timeout=120)
        assert proc.stderr.endswith("CLEAN"), (args, proc.stderr[-300:])


# --- 4. Chart labels of long names ---------------------------------------------------------
# A label was cut at its end: every tornado bar of an option with a long name read
# "options[$x$ yyyy…… ±", whatever the input (salary, benefits, overhead), and two
# alternatives named alike up to their 40th character had the same bar label.

def test_a_long_label_keeps_its_end(tmp_path) -> None:
    from kpo_calc.report.charts import LABEL_CHARS, label

    name = "options[" + "y" * 60 + "].annual_salary"
    shown = label(name)
    assert len(shown) == LABEL_CHARS
    assert shown.startswith("options[yyy")
    assert shown.endswith("…" + name[-13:])  # "annual_salary"
    assert label("y" * LABEL_CHARS) == "y" * LABEL_CHARS


def test_the_tornado_tells_apart_the_inputs_of_an_option_with_a_long_name(tmp_path) -> None:
    text = (Path(__file__).parent / "data" / "uncertain-full.yaml").read_text("utf-8")
    long = "Team of analysts in the Kuala Lumpur shared service centre"
    path = tmp_path / "long.yaml"
    path.write_text(re.sub(r"\bTeam\b", long, text), "utf-8")
    markup = page_file(tmp_path, path).read_text("utf-8")
    tornado = markup[markup.index('id="s1-tornado-'):]
    tornado = tornado[:tornado.index("</svg>")]
    labels = re.findall(r"<text[^>]*>(options\[Team[^<]*)</text>", tornado)
    assert len(labels) >= 3  # salary, benefits, overhead, ... of the team
    assert len(set(labels)) == len(labels), labels


# --- 5. A one-month horizon ----------------------------------------------------------------
# The cumulative chart drew each alternative as a line of one point (nothing shows) on an
# axis of months 1.05, 1.20, ..., 1.95.

def test_a_one_month_horizon_draws_a_dot_per_alternative_on_whole_months(tmp_path) -> None:
    from kpo_calc import api
    from kpo_calc.report.charts import colour, cumulative

    data = tiny_data()
    data["horizon_months"] = 1
    data["work"][1].update(start_month=1, duration_months=1)
    data["options"][1].update(transition={"cost": 6000, "months": 1}, notice_months=0)
    data["stress"] = []
    result = api.compare(written(tmp_path, data))
    svg = cumulative(result, ["Team", "Vendor"], "k")
    # The baseline Team has no breakeven dot: its only mark is its month.
    for i in (0, 1):
        assert re.search(rf'<use [^>]*style="fill: {colour(i)}', svg, re.I), i
    xticks = svg[svg.index('id="k-matplotlib.axis_1"'):svg.index('id="k-matplotlib.axis_2"')]
    assert re.findall(r"<text[^>]*>([^<]*)</text>", xticks) == ["1", "Month"]
