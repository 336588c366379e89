"""``kpo-calc report FILE… -o report.html``: the page for the people who approve the decision.

The page shows the engine's figures; they are checked here against the JSON of
``compare``, ``simulate`` and ``sensitivity`` (whose figures the engine tests check by
hand), read from the parsed page, not by patterns over the markup. Then the page is
opened in a real browser (headless Chromium): it draws, the hostile names stay text,
nothing is fetched, and it prints on A4.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, SCENARIOS, TINY, run_cli, tiny_data
from kpo_calc.api import natural_key

LARGEST = SCENARIOS / "insurer-claims-actuarial-myr.yaml"
HOSTILE = {
    "scenario": "<title>Report</title> \"quoted\" & 'single'",
    "team": "<script>alert(1)</script> & Co",
    "vendor": "</style><img src=x onerror=alert(2)>",
    "work": "<b>Analysis</b> $x^2$",
    "stress": "</svg><script>alert(3)</script>",
}


# --- a small reader of the page ------------------------------------------------------------

class Page(HTMLParser):
    """The parsed page: every element (tag, attributes), its text, and its tables by id."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.tables: dict[str, list[list[tuple[str, dict[str, str | None]]]]] = {}
        self._table: str | None = None
        self._cell: tuple[list[str], dict[str, str | None]] | None = None
        self._classed: dict[str, list[str]] = {}
        self._open: list[tuple[str, str | None]] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.elements.append((tag, found))
        if tag == "table":
            self._table = found.get("id") or ""
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = ([], found)
        if tag not in ("meta", "br", "img", "input", "link", "path", "use", "rect"):
            self._open.append((tag, found.get("class")))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._table is not None:
            texts, attrs = self._cell
            self.tables[self._table][-1].append(("".join(texts).strip(), attrs))
            self._cell = None
        elif tag == "table":
            self._table = None
        while self._open:
            name, _ = self._open.pop()
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._cell is not None:
            self._cell[0].append(data)
        for _, cls in self._open:
            if cls:
                self._classed.setdefault(cls, []).append(data)

    def text(self) -> str:
        """All the text of the page, as a reader sees it (entities decoded)."""
        return "".join(self.texts)

    def classed(self, cls: str) -> str:
        """The text inside the elements of class ``cls``."""
        return "".join(self._classed.get(cls, []))

    def rows(self, table: str) -> list[list[tuple[str, dict[str, str | None]]]]:
        """The body rows of a table (the header row dropped)."""
        return self.tables[table][1:]

    def heads(self, table: str) -> list[str]:
        return [text for text, _ in self.tables[table][0]]


def by_field(row: list[tuple[str, dict[str, str | None]]]) -> dict[str, tuple[str, Any]]:
    """A row's cells keyed by their JSON field: (text shown, exact value)."""
    out = {}
    for text, attrs in row:
        if attrs.get("data-field"):
            value = attrs.get("data-value")
            out[str(attrs["data-field"])] = (text, None if value is None else float(value))
    return out


def shown(amount: float) -> str:
    """An amount as the page rounds it: whole units with separators."""
    text = f"{amount:,.0f}"
    return "0" if text == "-0" else text


def report(tmp_path: Path, *files: str | Path, extra: tuple[str, ...] = (),
           name: str = "report.html") -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path / name
    return run_cli("report", *files, "-o", out, *extra), out


def in_run_order(*pairs: tuple[str | Path, str]) -> list[str]:
    """The values of ``(path, value)`` pairs in the order a run takes the paths (natural
    order: a temporary folder may sort before or after the checkout)."""
    return [v for p, v in sorted(pairs, key=lambda pair: natural_key(os.fspath(pair[0])))]


def page_of(tmp_path: Path, *files: str | Path, extra: tuple[str, ...] = ()) -> Page:
    proc, out = report(tmp_path, *files, extra=extra)
    assert proc.returncode == 0, proc.stderr
    return Page(out.read_text(encoding="utf-8"))


def hostile_file(folder: Path) -> Path:
    """The tiny scenario with names that are markup, and one uncertain input (so that the
    uncertainty part, whose tornado names inputs by path, is drawn too)."""
    data = tiny_data()
    data["name"] = HOSTILE["scenario"]
    data["options"][0]["name"] = HOSTILE["team"]
    data["options"][1]["name"] = HOSTILE["vendor"]
    data["options"][1]["hourly_rate"] = "18 to 22"
    data["work"][0]["name"] = HOSTILE["work"]
    data["stress"][0]["name"] = HOSTILE["stress"]
    path = folder / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return path


@pytest.fixture(scope="module")
def largest(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Page, dict[str, Any]]:
    """The report of the largest example, and compare's JSON of it."""
    folder = tmp_path_factory.mktemp("largest")
    proc, out = report(folder, LARGEST)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(run_cli("compare", "--format", "json", LARGEST).stdout)
    return out, Page(out.read_text(encoding="utf-8")), doc["scenarios"][0]


# --- the figures are compare's ---------------------------------------------------------

def test_the_verdict_comes_first_in_compares_words(largest) -> None:
    _, page, s = largest
    text = page.text()
    rec = s["recommendation"]
    assert page.classed("recommended") == rec["option"] == "Migration to contractors"
    assert rec["reason"] in text
    # The verdict, then the summary, then the details: in reading order.
    assert text.index(rec["reason"]) < text.index("Summary") < text.index("Cost over time")


def test_the_summary_equals_compares_json(largest) -> None:
    _, page, s = largest
    feasible = {o["name"]: o for o in s["options"] if o["feasible"]}
    rows = [by_field(row) for row in page.rows("s1-summary")]
    assert [row["name"][0] for row in rows] == list(feasible)
    for row in rows:
        o = feasible[row["name"][0]]
        for key in ("total_cost", "npv", "risk_adjusted_npv"):
            assert row[key] == (shown(o[key]), o[key]), key
        if o["name"] == s["baseline"]:
            assert "savings_vs_baseline" not in row
            continue
        assert row["savings_vs_baseline"] == (shown(o["savings_vs_baseline"]),
                                              o["savings_vs_baseline"])
        assert row["savings_pct"][1] == o["savings_pct"]
        assert row["savings_pct"][0] == f"{o['savings_pct'] * 100:.1f}%"
        assert row["breakeven_month"][0] == str(o["breakeven_month"] or "never")
    # the recommendation's row is the highlighted one
    chosen = [row for row in page.tables["s1-summary"][1:] if row[0][0] == s["recommendation"]
              ["option"]]
    assert len(chosen) == 1


def test_cost_by_line_stress_tests_and_parts_equal_compares_json(largest) -> None:
    _, page, s = largest
    feasible = [o for o in s["options"] if o["feasible"]]
    assert page.heads("s1-lines")[1:] == [o["name"] for o in feasible]
    checked = 0
    for row in page.rows("s1-lines"):
        for o, (text, attrs) in zip(feasible, row[1:], strict=True):
            line = attrs.get("data-field")
            if line is None:
                assert text == "—"
                continue
            want = o["total_cost"] if line == "total_cost" else o["lines"][line]
            assert (text, float(str(attrs["data-value"]))) == (shown(want), want)
            checked += 1
    assert checked > 60  # 20 lines × 6 alternatives, less the lines a model lacks
    names = [t["name"] for t in feasible[0]["flexibility"]["stress"]]
    assert names == ["Claims surge after floods", "Portfolio sold"]
    for i in range(len(names)):
        for row, o in zip(page.rows(f"s1-stress{i + 1}"), feasible, strict=True):
            cells, stress = by_field(row), o["flexibility"]["stress"][i]
            assert row[0][0] == o["name"]
            for key in ("total_cost", "npv", "delta_vs_base"):
                assert cells[key] == (shown(stress[key]), stress[key])
            assert cells["unmet_hours"][0] == shown(stress["unmet_hours"])
    plans = [o for o in feasible if len(o["by_option"]) > 1 or o["kind"] == "plan"]
    for i, o in enumerate(plans):
        rows = page.rows(f"s1-parts{i + 1}")
        assert [r[0][0] for r in rows] == [*o["by_option"], "Total"]
        for row, part in zip(rows, [*o["by_option"].values(), o], strict=True):
            assert by_field(row)["total_cost"][1] == part["total_cost"]
            assert by_field(row)["npv"][1] == part["npv"]


def test_flexibility_moves_and_scorecard_are_compares(largest) -> None:
    _, page, s = largest
    feasible = [o for o in s["options"] if o["feasible"]]
    for row, o in zip(page.rows("s1-flexibility"), feasible, strict=True):
        flex = o["flexibility"]
        assert row[0][0] == o["name"]
        assert float(str(row[3][1]["data-value"])) == flex["cost_to_shed_fte"]
        assert float(str(row[4][1]["data-value"])) == flex["exit_cost"]
    card = s["scorecard"]["rows"]
    assert [(int(r[0][0]), r[1][0]) for r in page.rows("s1-scorecard")] == [
        (c["rank"], c["option"]) for c in card]
    assert [r[-1][0] for r in page.rows("s1-scorecard")] == [
        f"{c['weighted_score']:.2f}" for c in card]


def test_the_moves_table_of_the_recommendation_is_compares(tmp_path) -> None:
    # The equity example's recommendation moves three items (methodology 3, point 2).
    file = SCENARIOS / "equity-research-india.yaml"
    doc = json.loads(run_cli("compare", "--format", "json", file).stdout)["scenarios"][0]
    rec = doc["recommendation"]["option"]
    moves = next(o for o in doc["options"] if o["name"] == rec)["moves"]
    assert len(moves) == 3
    page = page_of(tmp_path, file)
    rows = page.rows("s1-moves1")
    assert [row[0][0] for row in rows] == [m["work"] for m in moves]
    for row, m in zip(rows, moves, strict=True):
        values = [float(str(attrs["data-value"])) for _, attrs in row[2:6]]
        assert values == [m["incremental"]["savings"], m["incremental"]["required"],
                          m["standalone"]["savings"], m["standalone"]["required"]]
        assert row[6][0] == ("yes" if m["clears"] else "no")
    assert f"Moves of {rec}" in page.text()


def test_the_uncertainty_part_equals_simulate_and_sensitivity(tmp_path, largest) -> None:
    _, page, _ = largest
    sim = json.loads(run_cli("simulate", "-n", "2000", "--format", "json", LARGEST).stdout)
    sim = sim["simulations"][0]
    feasible = [a for a in sim["alternatives"] if a["feasible"]]
    for row, a in zip(page.rows("s1-simulation"), feasible, strict=True):
        cells = by_field(row)
        assert cells["name"][0] == a["name"]
        assert cells["metric_mean"][1] == a["metric"]["mean"]
        for key in ("mean", "p5", "p50", "p95"):
            assert cells[f"savings_{key}"] == (shown(a["savings"][key]), a["savings"][key])
    assert [(r[0][0], float(str(r[2][1]["data-value"]))) for r in page.rows("s1-voi")] == [
        (v["input"], v["evppi"]) for v in sim["value_of_information"]]
    assert f"MYR {sim['evpi']:,.0f} (EVPI)" in page.text()
    sens = json.loads(run_cli("sensitivity", "--format", "json", LARGEST).stdout)
    rows = sens["sensitivities"][0]["rows"][:10]
    for row, want in zip(page.rows("s1-tornado"), rows, strict=True):
        cells = by_field(row)
        assert row[0][0].removesuffix(" ±") == want["input"]
        assert cells["savings_low"][1] == want["savings_low"]
        assert cells["savings_high"][1] == want["savings_high"]
    assert len(page.rows("s1-tornado")) == 10


def test_trials_and_seed_are_simulates(tmp_path) -> None:
    page = page_of(tmp_path, LARGEST, extra=("--trials", "300", "--seed", "7"))
    sim = json.loads(run_cli("simulate", "-n", "300", "--seed", "7", "--format", "json",
                             LARGEST).stdout)["simulations"][0]
    means = [by_field(r)["savings_mean"][1] for r in page.rows("s1-simulation")]
    assert means == [a["savings"]["mean"] for a in sim["alternatives"] if a["feasible"]]
    assert "300 trials, seed 7" in page.text()


def test_a_file_without_uncertain_inputs_has_no_uncertainty_part(tmp_path,
                                                                  write_scenario) -> None:
    page = page_of(tmp_path, write_scenario())
    assert "Uncertainty" not in page.text()
    assert not any(key.endswith(("-simulation", "-voi", "-tornado")) for key in page.tables)
    assert sum(1 for tag, _ in page.elements if tag == "svg") == 2  # cumulative, by line


def test_inputs_are_echoed_with_their_file_lines(tmp_path, write_scenario) -> None:
    path = write_scenario()
    lines = TINY.splitlines()
    rows = Page(report(tmp_path, path)[1].read_text("utf-8")).rows("s1-inputs")
    echoed = {row[1][0]: (int(row[0][0]), row[2][0]) for row in rows}
    # Hand-read from the tiny scenario (conftest.TINY): the line of each value.
    assert echoed["horizon_months"] == (4, "14")
    assert echoed["fx.EUR"] == (7, "1.5")
    assert echoed["options[Team].annual_salary"] == (
        lines.index("    annual_salary: 120000") + 1, "120,000")
    assert echoed["options[Vendor].transition.cost"][0] == next(
        i for i, text in enumerate(lines, 1) if "transition: {cost: 6000" in text)
    for name, (line, _) in echoed.items():
        key = name.rsplit(".", 1)[-1].split("[")[0]
        assert key in lines[line - 1] or name.startswith("fx."), (name, line)
    assert len(echoed) == len(rows)  # one row a number


def test_an_uncertain_input_is_echoed_with_its_distribution(tmp_path) -> None:
    page = page_of(tmp_path, LARGEST)
    rows = {row[1][0]: row for row in page.rows("s1-inputs")}
    assert rows["options[Contract actuaries].hourly_rate"][3][0] == "uniform(200, 300)"
    assert rows["options[Contract actuaries].hourly_rate"][2][0] == "250"  # its mean


# --- the page is safe and self-contained -------------------------------------------------

def test_hostile_names_render_as_text(tmp_path) -> None:
    page = page_of(tmp_path, hostile_file(tmp_path))
    scripts = [a for tag, a in page.elements if tag in ("script", "img", "iframe", "object")]
    assert scripts == []
    assert not any(key.startswith("on") for _, attrs in page.elements for key in attrs)
    text = page.text()
    for name in HOSTILE.values():
        assert name in text, name
    # In the charts too: the legend of the cumulative chart is SVG text.
    legend = [t for t in page.texts if HOSTILE["vendor"] in t]
    assert len(legend) > 5
    assert page.classed("recommended") == HOSTILE["vendor"]
    title = [t for t in page.texts if t.startswith(HOSTILE["scenario"])]
    assert title  # the <title> is text, not a second title element
    assert sum(1 for tag, _ in page.elements if tag == "title") == 1
    assert sum(1 for tag, _ in page.elements if tag == "style") == 1
    assert "1 input is uncertain: the figures are at the means" in text


def test_nothing_in_the_page_points_outside(tmp_path, largest) -> None:
    for markup in (largest[0].read_text("utf-8"),
                   page_of_text(tmp_path, hostile_file(tmp_path))):
        page = Page(markup)
        assert "://" not in markup
        assert "@import" not in markup
        assert re.findall(r"url\((?!#)", markup) == []  # only references inside the page
        for tag, attrs in page.elements:
            assert tag not in ("script", "link", "iframe", "object", "embed", "img", "base")
            assert "src" not in attrs
            for key in ("href", "xlink:href"):
                if key in attrs:
                    assert str(attrs[key]).startswith("#"), (tag, attrs)
        policy = [a["content"] for t, a in page.elements if a.get("http-equiv") ==
                  "Content-Security-Policy"]
        assert policy == ["default-src 'none'; style-src 'unsafe-inline'; img-src data:"]


def page_of_text(tmp_path: Path, file: Path) -> str:
    proc, out = report(tmp_path, file, name="other.html")
    assert proc.returncode == 0, proc.stderr
    return out.read_text("utf-8")


def test_ids_are_unique_across_the_charts(largest) -> None:
    _, page, _ = largest
    ids = [str(a["id"]) for _, a in page.elements if "id" in a]
    assert len(ids) == len(set(ids))
    svg_ids = [i for i in ids if i.startswith("s1-") and "-" in i[3:]]
    assert svg_ids  # the charts' ids are prefixed with their section and chart
    refs = {str(a.get("xlink:href"))[1:] for _, a in page.elements if "xlink:href" in a}
    assert refs <= set(ids)


def test_the_same_files_give_the_same_bytes(tmp_path) -> None:
    first = report(tmp_path, LARGEST, name="a.html")[1].read_bytes()
    second = report(tmp_path, LARGEST, name="b.html")[1].read_bytes()
    assert first == second


def test_several_files_make_one_report_with_contents(tmp_path, write_scenario) -> None:
    tiny = write_scenario()
    page = page_of(tmp_path, tiny, LARGEST)
    links = [str(a["href"]) for tag, a in page.elements if tag == "a"]
    assert links == ["#s1", "#s2"]
    sections = [str(a["id"]) for tag, a in page.elements if tag == "section"]
    assert sections == ["s1", "s2"]
    assert "2 scenarios: make-or-buy report" in page.text()
    assert page.classed("recommended") == "".join(in_run_order(
        (tiny, "Vendor"), (LARGEST, "Migration to contractors")))


# --- bad input, and the output file --------------------------------------------------------

def test_a_missing_file_exits_2_and_writes_nothing(tmp_path) -> None:
    proc, out = report(tmp_path, tmp_path / "nope.yaml")
    assert proc.returncode == 2
    assert "nope.yaml" in proc.stderr
    assert not out.exists()


def test_an_invalid_file_among_good_ones_exits_2_with_its_line_and_writes_nothing(
        tmp_path, write_scenario) -> None:
    good = write_scenario()
    bad = write_scenario(TINY.replace("horizon_months: 14", "horizon_months: -3"), "bad.yaml")
    proc, out = report(tmp_path, good, bad)
    assert proc.returncode == 2
    assert re.search(r"bad\.yaml:4:\d+: ", proc.stderr), proc.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == sorted([good, bad]) or set(tmp_path.iterdir()) == {
        good, bad}


def test_an_unknown_output_suffix_is_a_usage_error(tmp_path) -> None:
    proc, out = report(tmp_path, LARGEST, name="report.pdf")
    assert proc.returncode == 2
    assert "'report.pdf'" in proc.stderr
    assert "suffix: .html, .htm, .xlsx" in proc.stderr
    assert not out.exists()
    assert run_cli("report", LARGEST).returncode == 2  # --output is required


def test_htm_and_upper_case_suffixes_are_html(tmp_path, write_scenario) -> None:
    proc, out = report(tmp_path, write_scenario(), name="REPORT.HTM")
    assert proc.returncode == 0, proc.stderr
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_the_report_never_replaces_an_input(tmp_path) -> None:
    # A scenario saved under a .html name, given as the output too.
    source = tmp_path / "scenario.html"
    source.write_text(TINY, "utf-8")
    proc = run_cli("report", source, "-o", source)
    assert proc.returncode == 2
    assert source.read_text("utf-8") == TINY


def test_the_report_never_follows_a_planted_link(tmp_path, write_scenario) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", "utf-8")
    link = tmp_path / "report.html"
    link.symlink_to(victim)
    proc = run_cli("report", write_scenario(), "-o", link)
    assert proc.returncode == 2
    assert victim.read_text("utf-8") == "keep"
    assert link.is_symlink()


def test_a_gate_that_fails_still_writes_the_report_and_exits_1(tmp_path) -> None:
    data = tiny_data()
    data["decision"] = {"expect": "Team"}
    path = tmp_path / "gate.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    proc, out = report(tmp_path, path)
    assert proc.returncode == 1
    assert "gate expect failed" in proc.stderr
    assert "Gate expect FAIL" in Page(out.read_text("utf-8")).text()


def test_other_commands_do_not_load_the_plotting_library() -> None:
    code = ("import sys\n"
            "from kpo_calc.cli import run\n"
            "sys.argv = ['kpo-calc', *sys.argv[1:]]\n"
            "try:\n    run()\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write('LOADED' if 'matplotlib' in sys.modules else 'CLEAN')\n")
    for args in (["compare", str(LARGEST)], ["--help"], ["report", "--help"]):
        proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                              text=True, check=False, timeout=120)
        assert proc.stderr.endswith("CLEAN"), (args, proc.stderr[-300:])


def test_the_help_describes_every_option() -> None:
    text = " ".join(run_cli("report", "--help", env={"COLUMNS": "200"}).stdout.split())
    for option in ("--output", "--trials", "--seed", "--strict", "--color"):
        assert option in text
    assert "printable on A4" in text
    assert "contents list" in text


# --- in a real browser -------------------------------------------------------------------

def _chromium() -> str | None:
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser",
                                               "google-chrome")) if p), None)


IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
BROWSER = _chromium()
needs_browser = pytest.mark.skipif(
    BROWSER is None and not IN_CI,
    reason="HEADLESS CHROMIUM IS NOT INSTALLED: the browser tests of the HTML report are "
           "skipped (CI installs it: apt-get install chromium; see .ci/run)")
QUIET = ["--headless=new", "--disable-gpu", "--no-sandbox", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions",
         "--host-resolver-rules=MAP * ~NOTFOUND"]


def browse(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    assert BROWSER is not None, "CI must install chromium (.ci/run)"
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run([BROWSER, *QUIET, f"--user-data-dir={profile}", *args,
                           page.resolve().as_uri()], capture_output=True, check=False,
                          timeout=180)


@pytest.fixture(scope="module")
def browsed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The largest example and the hostile file, in one report, as Chromium shows it."""
    if BROWSER is None:
        pytest.fail("CI must install chromium (.ci/run)") if IN_CI else pytest.skip(
            "no chromium")
    folder = tmp_path_factory.mktemp("browser")
    hostile = hostile_file(folder)
    proc, out = report(folder, LARGEST, hostile)
    assert proc.returncode == 0, proc.stderr
    shot, pdf, net = folder / "shot.png", folder / "page.pdf", folder / "net.json"
    dom = browse(folder, out, "--dump-dom", f"--log-net-log={net}")
    browse(folder, out, f"--screenshot={shot}", "--window-size=1200,2000",
           "--hide-scrollbars")
    browse(folder, out, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    return {"dom": dom.stdout.decode("utf-8"), "hostile": hostile, "shot": shot, "pdf": pdf,
            "net": net, "folder": folder}


@needs_browser
def test_the_browser_draws_the_page(browsed) -> None:
    from PIL import Image

    with Image.open(browsed["shot"]) as image:
        assert image.size == (1200, 2000)
        grey = image.convert("L")
        ink = sum(grey.histogram()[:200])  # pixels clearly darker than the white page
    assert ink > 0.02 * 1200 * 2000, ink


@needs_browser
def test_the_browsers_dom_has_the_verdict_and_its_figures(browsed, largest) -> None:
    page = Page(browsed["dom"])
    _, _, s = largest
    rec = s["recommendation"]["option"]
    # The files come in the natural order of their paths, wherever the checkout is.
    order = in_run_order((browsed["hostile"], "hostile"), (LARGEST, "largest"))
    assert page.classed("recommended") == "".join(
        HOSTILE["vendor"] if kind == "hostile" else rec for kind in order)
    row = next(r for r in page.rows(f"s{order.index('largest') + 1}-summary")
               if r[0][0] == rec)
    chosen = next(o for o in s["options"] if o["name"] == rec)
    assert by_field(row)["total_cost"] == (shown(chosen["total_cost"]), chosen["total_cost"])
    assert s["recommendation"]["reason"] in page.text()


@needs_browser
def test_the_browser_shows_hostile_names_as_text(browsed) -> None:
    page = Page(browsed["dom"])
    assert [tag for tag, _ in page.elements if tag in ("script", "img", "iframe")] == []
    assert not any(key.startswith("on") for _, attrs in page.elements for key in attrs)
    for name in HOSTILE.values():
        assert name in page.text(), name


@needs_browser
def test_no_request_leaves_the_page(browsed) -> None:
    # Chromium's net log records every request; its own services (time, updates,
    # accounts) may appear whatever the page, so only other hosts count.
    def requested(log: Path) -> set[str]:
        urls = set(re.findall(r'"url":"([a-z]+://[^"]*)"', log.read_text("utf-8", "replace")))
        return {u for u in urls if not re.match(
            r"[a-z]+://[^/]*\b(google\.com|googleapis\.com|gvt1\.com)(/|:|$)", u)}

    assert requested(browsed["net"]) == set()
    # The log does see a page's requests: a page with an external image and style sheet.
    control = browsed["folder"] / "control.html"
    control.write_text('<!DOCTYPE html><link rel="stylesheet" href="https://cdn.example.org/'
                       'x.css"><img src="http://img.example.net/a.png"><p>x</p>', "utf-8")
    net = browsed["folder"] / "control-net.json"
    browse(browsed["folder"], control, "--dump-dom", f"--log-net-log={net}")
    assert requested(net) == {"https://cdn.example.org/x.css", "http://img.example.net/a.png"}


@needs_browser
def test_it_prints_on_a4_the_summary_on_one_page_and_tables_whole(browsed) -> None:
    from pypdf import PdfReader

    pages = PdfReader(browsed["pdf"]).pages
    texts = [page.extract_text() for page in pages]
    assert len(pages) >= 8
    for page in pages:  # A4: 210 × 297 mm = 595.3 × 841.9 points
        assert abs(float(page.mediabox.width) - 595.28) < 1
        assert abs(float(page.mediabox.height) - 841.89) < 1
    assert texts[0].startswith("2 scenarios: make-or-buy report\nContents")
    # Each scenario starts a page; its verdict and summary fill that page, and the
    # details start on the next.
    first = next(i for i, t in enumerate(texts)
                 if t.startswith("Insurer claims and actuarial work: make-or-buy report"))
    assert "Recommendation: Migration to contractors" in texts[first]
    assert "Scorecard (higher is better" in texts[first]
    assert texts[first + 1].startswith("Cost over time")
    # A table that runs over a page repeats its header there (its rows are not cut).
    inputs = [i for i, t in enumerate(texts) if "The numbers of " in t and "insurer" in t]
    assert len(inputs) == 1
    following = texts[inputs[0] + 1]
    assert following.startswith("Line Input Value\ncosted\nDistribution\n")


def test_print_styles_keep_tables_whole_on_a4() -> None:
    from kpo_calc.report.html import STYLE

    assert "@page { size: A4;" in STYLE
    assert re.search(r"table \{[^}]*break-inside: avoid", STYLE)
    assert re.search(r"tr \{ break-inside: avoid; \}", STYLE)
    assert re.search(r"figure svg \{[^}]*width: 100%", STYLE)


def test_the_ci_script_installs_the_browser() -> None:
    script = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "apt-get install -y chromium" in script
