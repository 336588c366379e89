"""``report FILE -o model.xlsx``: the workbook finance re-checks (issue 15, item 3).

Read back with real clients: openpyxl (the values the file stores, which a
spreadsheet shows for a file it did not write) and LibreOffice headless, which
recalculates every formula of a copy whose stored values were stripped. Both
must give ``compare --format json``'s figures to the cent. LibreOffice is
started once per session for every workbook (it takes seconds to start).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, SCENARIOS, TINY, run_cli, tiny_data

openpyxl = pytest.importorskip("openpyxl")

EXAMPLES = sorted(SCENARIOS.glob("*.yaml"))
#: other costs (once and a month), contractors (onboarding: MAX), uncertain inputs
UNCERTAIN = ROOT / "tests" / "data" / "uncertain-full.yaml"
HOSTILE_NAMES = ("=cmd|' /C calc'!A0", "<script>alert(1)</script>",
                 "Research/analysis: EMEA desk [v2] *Q3?*!")
#: Summary's table: the JSON key of each money/percent column, from column D on
SUMMARY_KEYS = ("one_time_cost", "recurring_cost", "total_cost", "npv", "risk_cost",
                "risk_adjusted_total", "risk_adjusted_npv", "savings_vs_baseline",
                "savings_pct", "cost_per_hour")
HEADER_ROW = 13  # 1-based: the Summary table's headings


def hostile_scenario() -> dict[str, Any]:
    data = tiny_data()
    data["name"] = HOSTILE_NAMES[0]
    data["options"][0]["name"] = HOSTILE_NAMES[0]
    data["options"][1]["name"] = HOSTILE_NAMES[1]
    data["options"].append({**data["options"][1], "name": HOSTILE_NAMES[2]})
    data["work"][0]["name"] = "-2+3"
    data["name"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    return data


def assert_cents(got: Any, want: float, what: str) -> None:
    assert isinstance(got, int | float), f"{what}: {got!r} is not a number"
    assert abs(got - want) <= 0.005 + 1e-9 * abs(want), f"{what}: {got} != {want}"


# --- The workbooks of the session, and LibreOffice's recalculation of them ----------------


class Books:
    """Each workbook written by the CLI, its JSON report, and LibreOffice's recalculation of
    its copy without stored values."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written: dict[str, Path] = {}
        self.reports: dict[str, dict[str, Any]] = {}
        self.stripped_count: dict[str, int] = {}
        self.recalculated: dict[str, Path] = {}

    def add(self, key: str, scenario: Path) -> None:
        out = self.folder / f"{key}.xlsx"
        proc = run_cli("report", scenario, "-o", out)
        assert proc.returncode == 0, proc.stderr
        self.written[key] = out
        compare = run_cli("compare", "--format", "json", scenario)
        self.reports[key] = json.loads(compare.stdout)["scenarios"][0]


def strip_cached_values(source: Path, target: Path) -> int:
    """Copy ``source`` without the values stored with its formulas; how many were dropped."""
    dropped = 0
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                text, count = re.subn(r"(<f>[^<]*</f>)<v>[^<]*</v>", r"\1", data.decode())
                data, dropped = text.encode(), dropped + count
            zout.writestr(info, data)
    return dropped


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="session")
def books(tmp_path_factory: pytest.TempPathFactory) -> Books:
    folder = tmp_path_factory.mktemp("xlsx")
    found = Books(folder)
    for path in EXAMPLES:
        found.add(path.stem, path)
    found.add("uncertain", UNCERTAIN)
    tiny = folder / "tiny.yaml"
    tiny.write_text(TINY, encoding="utf-8")
    found.add("tiny", tiny)
    import yaml

    hostile = folder / "hostile.yaml"
    hostile.write_text(yaml.safe_dump(hostile_scenario(), sort_keys=False), encoding="utf-8")
    found.add("hostile", hostile)
    return found


@pytest.fixture(scope="session")
def recalculated(books: Books, tmp_path_factory: pytest.TempPathFactory) -> Books:
    """Every workbook stripped of its stored values and converted by LibreOffice in one run,
    so that every formula is recalculated by LibreOffice."""
    program = soffice()
    if program is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing in CI: .ci/run installs "
                        "libreoffice-calc-nogui")
        pytest.skip("!!! LibreOffice (soffice) is not installed: the workbook's formulas are "
                    "NOT recalculated by a spreadsheet here (apt-get install "
                    "libreoffice-calc-nogui; CI installs it) !!!")
    work = tmp_path_factory.mktemp("soffice")
    stripped = []
    for key, path in books.written.items():
        target = work / f"{key}.xlsx"
        books.stripped_count[key] = strip_cached_values(path, target)
        stripped.append(str(target))
    out = work / "out"
    profile = (work / "profile").as_uri()  # its own profile: never the user's, never shared
    proc = subprocess.run(
        [program, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--calc",
         "--convert-to", "xlsx", "--outdir", str(out), *stripped],
        capture_output=True, text=True, timeout=600, check=False)
    for key in books.written:
        converted = out / f"{key}.xlsx"
        assert converted.is_file(), f"LibreOffice did not convert {key}: {proc.stderr}"
        books.recalculated[key] = converted
    return books


def summary_rows(path: Path) -> dict[str, list[Any]]:
    sheet = openpyxl.load_workbook(path, data_only=True)["Summary"]
    rows = {}
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        if row[0] is None:
            break
        rows[row[0]] = list(row)
    return rows


def assert_summary_equals_json(path: Path, report: dict[str, Any]) -> None:
    rows = summary_rows(path)
    assert list(rows) == [o["name"] for o in report["options"]]
    for option in report["options"]:
        row = rows[option["name"]]
        for key, got in zip(SUMMARY_KEYS, row[3:], strict=False):
            want = option[key]
            if key == "savings_pct":  # JSON keeps six decimals of a fraction
                assert abs(got - want) <= 5e-7, f"{option['name']} {key}: {got} != {want}"
            else:
                assert_cents(got, want, f"{path.name}: {option['name']} {key}")


def alternative_rows(sheet: Any) -> dict[str, list[Any]]:
    """The rows of an alternative's own block (after its section heading), by label."""
    rows: dict[str, list[Any]] = {}
    started = False
    for row in sheet.iter_rows(values_only=True):
        if isinstance(row[0], str) and row[0].endswith(": the alternative"):
            started = True
        elif started and row[0] is not None:
            rows[row[0]] = list(row)
    return rows


# --- (1) The stored values are compare's figures ----------------------------------------


@pytest.mark.parametrize("key", [p.stem for p in EXAMPLES] + ["uncertain", "tiny"])
def test_stored_values_equal_the_json_figures(books: Books, key: str) -> None:
    assert_summary_equals_json(books.written[key], books.reports[key])


@pytest.mark.parametrize("key", [p.stem for p in EXAMPLES] + ["uncertain"])
def test_each_alternatives_months_and_lines_equal_the_json(books: Books, key: str) -> None:
    book = openpyxl.load_workbook(books.written[key], data_only=True)
    report = books.reports[key]
    h = report["horizon_months"]
    for i, option in enumerate(report["options"], start=1):
        sheet = book.worksheets[1 + i]
        assert sheet["A1"].value == option["name"]
        rows = alternative_rows(sheet)
        total = rows["Total cost"]
        for m in range(h):
            assert_cents(total[2 + m], option["monthly"][m], f"{option['name']} month {m + 1}")
        assert_cents(total[2 + h], option["total_cost"], f"{option['name']} total")
        # Each line's yearly total summed over the parts: the JSON's cost by line.
        by_line: dict[str, float] = {}
        for row in sheet.iter_rows(values_only=True):
            label = row[0]
            if isinstance(label, str) and isinstance(row[1], str) and row[2 + h] is not None \
                    and label.removesuffix(" (one-time)") in LABEL_TO_LINE:
                name = LABEL_TO_LINE[label.removesuffix(" (one-time)")]
                by_line[name] = by_line.get(name, 0.0) + row[2 + h]
        for name, amount in option["lines"].items():
            assert_cents(by_line.get(name, 0.0), amount, f"{option['name']} line {name}")


def _label_to_line() -> dict[str, str]:
    from kpo_calc.engine.lines import LINES

    return {line.label: line.name for line in LINES}


LABEL_TO_LINE = _label_to_line()


def test_the_tiny_scenario_by_hand(books: Books) -> None:
    """The cells of TINY worked by hand (the engine's arithmetic is in test_engine_tiny.py)."""
    book = openpyxl.load_workbook(books.written["tiny"], data_only=True)
    formulas = openpyxl.load_workbook(books.written["tiny"])
    summary = book["Summary"]
    verdict = books.reports["tiny"]["recommendation"]
    assert (summary["B2"].value, summary["B3"].value) == (verdict["option"], verdict["reason"])
    assert summary["B8"].value == pytest.approx(0.1)  # the discount rate, from Inputs
    assert formulas["Summary"]["B8"].value.startswith("=Inputs!B")
    team, team_f = book["1 Team"], formulas["1 Team"]
    # Month 12's discount factor: (1 + 0.1)^(-12/12) = 1/1.1.
    assert team["N3"].value == pytest.approx(1 / 1.1, abs=1e-12)
    assert team_f["N3"].value == "=(1+Summary!$B$8)^(-N$2/12)"
    rows = {row[0].value: row for row in team_f.iter_rows() if row[0].value}
    values = {row[0]: row for row in team.iter_rows(values_only=True) if row[0]}
    # Month 1: the 2 existing heads (new staff start in month 2); salary 120,000 / 12 =
    # 10,000; salaries 2 x 10,000 = 20,000; benefits 20,000 x 0.25 = 5,000; 250 - 200 = 50
    # hours unmet at 50 = 2,500. Month 2: ceil(350 / 100) = 4 heads, 2 hires at 5,000 +
    # 1,000 + 0.5 x 2 x 10,000 x 1.25 = 18,500 each: 37,000.
    assert values["Headcount (FTE employed)"][2:4] == (2, 4)
    assert values["Monthly salary per FTE, in the scenario currency"][2] == 10_000
    assert values["Salaries"][2] == pytest.approx(20_000)
    assert values["Benefits"][2] == pytest.approx(5_000)
    assert values["Unmet work"][2] == pytest.approx(2_500)
    assert values["Hiring (one-time)"][3] == pytest.approx(37_000)
    # The salaries line is the formula headcount x salary over the driver rows.
    hc = rows["Headcount (FTE employed)"][2].row
    salary = rows["Monthly salary per FTE, in the scenario currency"][2].row
    assert rows["Salaries"][2].value == f"=C{hc}*C{salary}"
    assert rows["Salaries"][1].value == "headcount × salary"
    vendor = {row[0]: row for row in book["2 Vendor"].iter_rows(values_only=True) if row[0]}
    # The vendor in month 1: max(250 / 0.8 x 1.2, 400) = max(375, 400) = 400 billed hours
    # at 20 EUR x 1.5 = 30 USD: fees 12,000.
    assert vendor["Billed hours"][2] == pytest.approx(400)
    assert vendor["Hourly rate, in the scenario currency"][2] == pytest.approx(30)
    assert vendor["Vendor fees"][2] == pytest.approx(12_000)
    # Ramp-up: 13 weeks = 3 months at half the first month's fees, 0.5 x 3 x 12,000.
    assert vendor["Vendor ramp-up (one-time)"][2] == pytest.approx(18_000)
    # Vendor selection (5,000) only in month 1: where(month == 1, ...) is IF(C$2=1, ...).
    vendor_f = {row[0].value: row for row in formulas["2 Vendor"].iter_rows() if row[0].value}
    selection = vendor_f["Vendor selection (one-time)"]
    assert re.fullmatch(r"=IF\(\(C\$2=1\),C\d+,0\)", selection[2].value)
    assert vendor["Vendor selection (one-time)"][2:4] == (5000, 0)


def test_the_inputs_sheet_lists_every_number_with_its_line(books: Books) -> None:
    sheet = openpyxl.load_workbook(books.written["tiny"], data_only=True)["Inputs"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    lines = TINY.splitlines()
    # hourly_rate: 20 is on the line that says so, and so on for a few.
    for path, text, value in (("options[Vendor].hourly_rate", "hourly_rate: 20", 20),
                              ("discount_rate", "discount_rate: 0.1", 0.1),
                              ("fx.EUR", "fx: {EUR: 1.5}", 1.5),
                              ("stress[Rise].demand_change", "demand_change: 0.4", 0.4)):
        _, got, line, _, _ = rows[path]
        assert got == value
        assert text in lines[line - 1], (path, line)
    lines_seen = [row[2] for row in rows.values() if row[2] is not None]
    assert lines_seen == sorted(lines_seen)  # file order
    # The numbers TINY writes: 5 at the top (version, horizon, discount rate, hours per
    # FTE, fx) + 2 + 3 for the work + 12 for Team + 13 + 2 (its risk) for Vendor + 4 for
    # the stress tests + unmet_hour_cost = 42.
    assert len(lines_seen) == 42
    # The defaults the file leaves out come last, marked, with no line.
    default = rows["options[Vendor].withholding_tax_rate"]
    assert default[1:] == (0, None, None, "default (not in the file)")
    assert list(rows).index("options[Vendor].withholding_tax_rate") >= 42
    from kpo_calc.api import load
    from kpo_calc.paths import numbers

    assert set(rows) == {path for path, *_ in numbers(load(books.written["tiny"]
                                                           .with_suffix(".yaml")))}


def test_uncertain_inputs_show_their_distribution(books: Books) -> None:
    sheet = openpyxl.load_workbook(books.written["uncertain"], data_only=True)["Inputs"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["fx.EUR.drift"][1] == pytest.approx(-0.02)  # the mean of -0.04 to 0
    assert rows["fx.EUR.drift"][4] == "-0.04 to 0"


def test_formats_freeze_and_widths(books: Books) -> None:
    book = openpyxl.load_workbook(books.written["insurer-claims-actuarial-myr"])
    sheet = book.worksheets[2]
    assert sheet.freeze_panes == "C4"
    assert book["Summary"].freeze_panes == f"B{HEADER_ROW + 1}"
    assert sheet.column_dimensions["A"].width > 40
    money = [c for row in sheet.iter_rows() for c in row if c.value and c.column == 3
             and "MYR" in c.number_format]
    assert money
    assert all(c.number_format == '"MYR" #,##0.00' for c in money)
    assert sheet["C2"].value == 1
    assert sheet["C2"].number_format == '"Month "0'


# --- (2) LibreOffice recalculates every formula to the same figures -----------------------


@pytest.mark.parametrize("key", [p.stem for p in EXAMPLES] + ["uncertain", "tiny", "hostile"])
def test_libreoffice_recalculates_to_the_json_figures(recalculated: Books, key: str) -> None:
    assert recalculated.stripped_count[key] > 500  # the values really were stripped
    assert_summary_equals_json(recalculated.recalculated[key], recalculated.reports[key])


@pytest.mark.parametrize("key", [p.stem for p in EXAMPLES] + ["uncertain", "tiny", "hostile"])
def test_libreoffice_recalculates_every_cell_as_stored(recalculated: Books, key: str) -> None:
    """Every formula cell, LibreOffice's value against the stored one: a driver row or a
    formula translated wrong would show here, month by month."""
    written = recalculated.written[key]
    formulas = openpyxl.load_workbook(written)
    stored = openpyxl.load_workbook(written, data_only=True)
    again = openpyxl.load_workbook(recalculated.recalculated[key], data_only=True)
    count = 0
    for sheet in formulas.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                want = stored[sheet.title][cell.coordinate].value
                got = again[sheet.title][cell.coordinate].value
                assert isinstance(got, int | float), (sheet.title, cell.coordinate, got)
                assert abs(got - want) <= 1e-6 * max(1.0, abs(want)), (
                    sheet.title, cell.coordinate, cell.value, got, want)
                count += 1
    assert count == recalculated.stripped_count[key]


def test_without_recalculation_the_stripped_copy_has_no_figures(recalculated: Books) -> None:
    """The control: the stripped copy itself holds no figures, so the figures above are
    LibreOffice's own."""
    work = recalculated.recalculated["tiny"].parent.parent
    rows = summary_rows(work / "tiny.xlsx")
    assert rows
    assert all(value is None for row in rows.values() for value in row[3:13])


# --- (3) Opens without repair ---------------------------------------------------------------


def test_every_workbook_opens_cleanly(books: Books) -> None:
    for key, path in books.written.items():
        with zipfile.ZipFile(path) as z:
            assert z.testzip() is None
            names = z.namelist()
        assert "xl/workbook.xml" in names, key
        book = openpyxl.load_workbook(path)
        assert book.sheetnames[:2] == ["Summary", "Inputs"]
        assert len(book.sheetnames) == 2 + len(books.reports[key]["options"])


def test_the_bytes_are_deterministic(books: Books, tmp_path: Path) -> None:
    again = tmp_path / "again.xlsx"
    assert run_cli("report", SCENARIOS / "medical-coding-bpo.yaml", "-o", again).returncode == 0
    assert again.read_bytes() == books.written["medical-coding-bpo"].read_bytes()
    with zipfile.ZipFile(again) as z:
        core = z.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core


def test_formulas_call_only_the_plain_functions(books: Books, monkeypatch) -> None:
    """The writer's rewrite for newer Excel functions is skipped (for speed): safe because
    only SUM, SUMPRODUCT, IF and MAX are called, and the bytes are the same with it."""
    from kpo_calc.api import load_file
    from kpo_calc.engine import evaluate
    from kpo_calc.report import xlsx

    for path in books.written.values():
        with zipfile.ZipFile(path) as z:
            text = "".join(z.read(n).decode() for n in z.namelist()
                           if n.startswith("xl/worksheets/sheet"))
        formulas = re.findall(r"<f>([^<]*)</f>", text)
        bare = [re.sub(r"'(?:[^']|'')*'!", "", f) for f in formulas]
        assert {name for f in bare for name in re.findall(r"([A-Z][A-Z0-9.]*)\(", f)} \
            <= xlsx.FUNCTIONS
    loaded = load_file(SCENARIOS / "equity-research-india.yaml")
    assert loaded.scenario is not None
    result = evaluate(loaded.scenario)
    fast = xlsx.workbook_bytes(loaded.name, loaded.scenario, result, loaded.document)
    monkeypatch.setattr(xlsx, "_as_written", lambda sheet: sheet)
    slow = xlsx.workbook_bytes(loaded.name, loaded.scenario, result, loaded.document)
    assert fast == slow


# --- (4) Text from the scenario stays text ----------------------------------------------


def test_hostile_names_are_text(books: Books) -> None:
    path = books.written["hostile"]
    book = openpyxl.load_workbook(path)
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in (
                        *HOSTILE_NAMES, "@SUM(1+1)*cmd|' /C calc'!A0"):
                    assert cell.data_type == "s", (sheet.title, cell.coordinate)
                    found[cell.value] = cell.data_type
    assert set(found) == {*HOSTILE_NAMES, "@SUM(1+1)*cmd|' /C calc'!A0"}
    assert len(HOSTILE_NAMES[2]) == 40
    parts = [c.value for c in book.worksheets[2]["B"] if isinstance(c.value, str)]
    assert any(p.endswith("work given: -2+3 100%, Study 100%") for p in parts), parts
    with zipfile.ZipFile(path) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    formulas = [f for text in sheets for f in re.findall(r"<f>([^<]*)</f>", text)]
    # A name is only ever inside a quoted sheet reference ('1 =cmd|'' C calc''!A0'!C3).
    bare = [re.sub(r"'(?:[^']|'')*'!", "", f) for f in formulas]
    assert len(bare) > 500
    assert not any("cmd" in f or "script" in f for f in bare)
    assert book.sheetnames[2:] == ["1 =cmd|' C calc'!A0", "2 <script>alert(1)< script>",
                                   "3 Research analysis EMEA desk v"]
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert len(set(n.casefold() for n in book.sheetnames)) == len(book.sheetnames)


def test_sheet_names_are_sanitised() -> None:
    from kpo_calc.report.xlsx import sheet_name

    assert sheet_name(1, "=cmd|' /C calc'!A0") == "1 =cmd|' C calc'!A0"
    forty = "Research/analysis: EMEA [desk] *v2?* x\\y"
    assert len(forty) == 40
    assert sheet_name(12, forty) == "12 Research analysis EMEA desk"
    assert sheet_name(3, "x" * 29 + "'") == "3 " + "x" * 29  # never ends in an apostrophe
    assert sheet_name(4, "tab\there") == "4 tab here"


def test_hostile_recalculated_by_libreoffice_stays_text(recalculated: Books) -> None:
    book = openpyxl.load_workbook(recalculated.recalculated["hostile"], data_only=True)
    assert book["Summary"]["A1"].value == "@SUM(1+1)*cmd|' /C calc'!A0"
    assert book.worksheets[2]["A1"].value == HOSTILE_NAMES[0]
    assert book.worksheets[3]["A1"].value == HOSTILE_NAMES[1]


# --- (5) Bad input: exit 2, nothing written, never over an input --------------------------


def test_bad_input_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(TINY.replace("horizon_months: 14", "horizon_months: -3"), encoding="utf-8")
    out = tmp_path / "model.xlsx"
    proc = run_cli("report", bad, "-o", out)
    assert proc.returncode == 2
    assert re.search(r"bad\.yaml:\d+:\d+: ", proc.stderr)
    assert not out.exists()
    assert sorted(os.listdir(tmp_path)) == ["bad.yaml"]


def test_the_output_never_replaces_an_input(tmp_path: Path) -> None:
    source = tmp_path / "scenario.xlsx"  # an odd name for a scenario, but a valid file
    source.write_text(TINY, encoding="utf-8")
    proc = run_cli("report", source, "-o", source)
    assert proc.returncode == 2
    assert source.read_text(encoding="utf-8") == TINY
    assert "input" in proc.stderr


def test_a_planted_symlink_is_not_followed(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(TINY, encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    (tmp_path / "model.xlsx").symlink_to(victim)
    assert run_cli("report", scenario, "-o", tmp_path / "model.xlsx").returncode == 2
    assert victim.read_text(encoding="utf-8") == "keep"


def test_other_suffixes_and_several_files_are_refused(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(TINY, encoding="utf-8")
    proc = run_cli("report", scenario, "-o", tmp_path / "model.ods")
    assert proc.returncode == 2
    assert ".xlsx" in proc.stderr
    other = tmp_path / "t.yaml"
    other.write_text(TINY, encoding="utf-8")
    proc = run_cli("report", scenario, other, "-o", tmp_path / "model.xlsx")
    assert proc.returncode == 2
    assert "one workbook per file" in proc.stderr
    missing = run_cli("report", tmp_path / "none.yaml", "-o", tmp_path / "model.xlsx")
    assert missing.returncode == 2
    assert sorted(os.listdir(tmp_path)) == ["s.yaml", "t.yaml"]


# --- The formula translation ------------------------------------------------------------


def test_line_formulas_translate_to_spreadsheet_formulas() -> None:
    from kpo_calc.report.xlsx_formulas import template

    rows = {"a": 5, "b": 6, "c": 7}

    def cell(name: str) -> str | None:
        return "{c}" + str(rows[name]) if name in rows else None

    assert template("a * b", cell) == "{c}5*{c}6"
    assert template("a - (b - c)", cell) == "{c}5-({c}6-{c}7)"
    assert template("(a - b) - c", cell) == "{c}5-{c}6-{c}7"
    assert template("a / (b * c)", cell) == "{c}5/({c}6*{c}7)"
    assert template("(a + b) * c", cell) == "({c}5+{c}6)*{c}7"
    assert template("-a ** 2", cell) is None  # not in the line table: written as values
    assert template("-(a + b)", cell) == "(-({c}5+{c}6))"
    assert template("where(a <= b, c / 12, 0.0)", cell) == "IF(({c}5<={c}6),{c}7/12,0)"
    assert template("maximum(a - b, 0.0) * c", cell) == "MAX({c}5-{c}6,0)*{c}7"
    assert template("a * 0.5 + 1e-05", cell) == "{c}5*0.5+1E-05"
    assert template("a * unknown", cell) is None
    assert template("open('x')", cell) is None


def test_every_line_of_the_table_is_a_formula() -> None:
    """Every cost line of the engine's table translates, given a row for each name."""
    from kpo_calc.engine.lines import LINES
    from kpo_calc.report.xlsx_formulas import template

    for line in LINES:
        assert template(line.formula, lambda name: "{c}1") is not None, line.name


# --- Speed and start-up ----------------------------------------------------------------------


def test_compare_does_not_import_the_writer(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(TINY, encoding="utf-8")
    run = ("def run(*argv):\n"
           "    try:\n        app_for(argv)(list(argv), prog_name='kpo-calc')\n"
           "    except SystemExit:\n        pass\n")
    code = ("import sys\nfrom kpo_calc.cli import app_for\n" + run +
            f"run('compare', {str(scenario)!r})\n"
            "print('xlsxwriter' in sys.modules, 'openpyxl' in sys.modules)\n"
            f"run('report', {str(scenario)!r}, '-o', {str(tmp_path / 'm.xlsx')!r})\n"
            "print('xlsxwriter' in sys.modules)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, timeout=120)
    # The control: the same check sees the writer once a workbook is written.
    assert proc.stdout.strip().splitlines()[-2:] == ["False False", "True"], proc.stderr


def test_control_characters_read_as_escapes_and_xml_escapes_as_text(tmp_path: Path) -> None:
    # A control character used to be stored as such (_x0007_ in the XML) and shown as
    # nothing; the literal text _x0041_ must not turn into "A".
    data = tiny_data()
    data["options"][1]["name"] = "Vendor\a _x0041_"
    path = tmp_path / "ctl.yaml"
    path.write_text(json.dumps(data))
    out = tmp_path / "ctl.xlsx"
    proc = run_cli("report", str(path), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    book = openpyxl.load_workbook(out)
    texts = {c.value for s in book.worksheets for row in s.iter_rows() for c in row
             if isinstance(c.value, str) and "Vendor" in c.value}
    assert "Vendor\\x07 _x0041_" in texts  # as every other format shows it (visible)
    assert not any("\a" in t for t in texts)
