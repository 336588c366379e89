"""The workbook finance re-checks: ``kpo-calc report FILE -o model.xlsx`` (design section 10).

Sheets, in order:

- ``Summary``: the verdict and its reason, the discount rate, and per alternative its
  one-time, recurring and total cost, NPV, risk cost, risk-adjusted figures and savings
  against the baseline, each a live formula over the alternative's own sheet (SUM of
  its monthly rows, SUMPRODUCT with the discount factors, baseline minus alternative).
- ``Inputs``: every number of the file, in file order, with its field path and line.
- one sheet per alternative (``1 In-house``, ``2 KPO India``, ...): per part, the
  drivers and the cost lines month by month, each line beside its formula text and,
  where the formula is plain arithmetic, written as that formula over the driver rows
  (``=C12*C13`` for ``headcount × salary``); the part's total, its expected risk
  losses; then the alternative's one-time, recurring, total and risk-adjusted rows; a
  discount-factor row ``=(1+rate)^(-m/12)`` over the Summary's rate cell.

Every formula carries the figure the engine computed as its cached value: a
spreadsheet that does not recalculate a file it did not write shows exactly
``compare``'s figures, and one that does recalculates the same (tested with
LibreOffice). Text from the scenario is data: written with ``write_string``, so
a name starting with ``=`` stays text; sheet names are sanitised. The bytes are
deterministic (a fixed creation date; XlsxWriter dates the zip entries 1980).

XlsxWriter is imported here only, when a workbook is written.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kpo_calc.engine.decision import METRIC_LABELS
from kpo_calc.engine.explain import AlternativeWork, Explanation, PartWork, driver_info, explain
from kpo_calc.engine.lines import LINE_BY_NAME
from kpo_calc.render.wording import reason
from kpo_calc.report.content import input_rows
from kpo_calc.report.xlsx_formulas import COLUMN, template
from kpo_calc.textsafe import visible

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

    from kpo_calc.engine.results import OptionResult, ScenarioResult
    from kpo_calc.loader import Document
    from kpo_calc.report.content import FileReport
    from kpo_calc.scenario import Scenario

#: The workbook's creation date: fixed, so the same input gives the same bytes.
CREATED = dt.datetime(2000, 1, 1)
#: Sheet names: at most 31 characters, none of these.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
#: The first month's column on an alternative's sheet (A: label, B: how it is built).
_FIRST = 2
_SUMMARY = "Summary"
#: How an other cost is booked, beside its row.
_PER = {"once": "other cost, once (other_one_time)",
        "month": "other cost, a month (other_recurring)",
        "year": "other cost, a year ÷ 12 (other_recurring)"}
_INPUTS = "Inputs"


def render(reports: Sequence[FileReport]) -> bytes:
    """The workbook of a report's one file (``report -o model.xlsx``)."""
    (report,) = reports
    assert report.scenario is not None
    assert report.result is not None
    return workbook_bytes(report.file, report.scenario, report.result, report.document)


def workbook_bytes(file: str, scenario: Scenario, result: ScenarioResult,
                   document: Document | None = None) -> bytes:
    """The workbook of one scenario (``result`` is ``evaluate(scenario)``); ``document``
    (the file as read) gives the inputs their lines."""
    import xlsxwriter  # only this command needs it

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {
        "in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
        "strings_to_urls": False, "nan_inf_to_errors": True})
    book.set_properties({"created": CREATED})
    explanation = explain(scenario)
    styles = _Styles(book, scenario.currency)
    summary = _as_written(book.add_worksheet(_SUMMARY))
    inputs = _as_written(book.add_worksheet(_INPUTS))
    sheets = [_alternative_sheet(book, styles, i, alt, explanation, scenario)
              for i, alt in enumerate(explanation.alternatives, start=1)]
    rate_input = _inputs_sheet(inputs, styles, file, scenario, document)
    _summary_sheet(summary, styles, file, result, explanation, sheets, rate_input)
    summary.activate()
    book.close()
    return out.getvalue()


#: The only functions the workbook's formulas call: none needs Excel 365's ``_xlfn.`` prefix.
FUNCTIONS = frozenset({"SUM", "SUMPRODUCT", "IF", "MAX"})


def _as_written(sheet: Worksheet) -> Worksheet:
    """``sheet``, storing formulas as written and every string as people read it.

    Formulas: XlsxWriter passes every formula through some thirty regular expressions
    that add the ``_xlfn.`` prefix of newer Excel functions; ours call only
    ``FUNCTIONS`` and the rewrite took 80% of the writing time (12,000 formulas on the
    insurer example). Strings: a control character in a name would be stored as such
    (``_x0007_``) and shown as nothing, or a box; through ``visible`` it reads ``\\x07``
    as in every other format. Both hooks are XlsxWriter's private methods of this
    instance: should it rename them, formulas are rewritten, identically, as before,
    and the string hook is missed, which tests/test_report_xlsx.py catches."""

    def as_is(formula: str, *_: object, **__: object) -> str:
        return formula.removeprefix("=")

    write_string = sheet._write_string

    def shown(row: int, col: int, string: str, cell_format: Format | None = None) -> int:
        return write_string(row, col, visible(string), cell_format)

    setattr(sheet, "_prepare_formula", as_is)  # noqa: B010 (a method of this instance)
    setattr(sheet, "_write_string", shown)  # noqa: B010
    return sheet


# --- Formats -------------------------------------------------------------------------


class _Styles:
    """The cell formats of the workbook, made once."""

    def __init__(self, book: Workbook, currency: str) -> None:
        money = f"{_quoted(currency)} #,##0.00"
        self.money = book.add_format({"num_format": money})
        self.money_bold = book.add_format({"num_format": money, "bold": True, "top": 1})
        self.percent = book.add_format({"num_format": "0.00%"})
        self.number = book.add_format({"num_format": "#,##0.00"})
        self.factor = book.add_format({"num_format": "0.000000"})
        self.integer = book.add_format({"num_format": "0"})
        self.month = book.add_format({"num_format": '"Month "0', "bold": True,
                                      "align": "right", "bottom": 1})
        self.header = book.add_format({"bold": True, "bottom": 1, "text_wrap": True,
                                       "valign": "top"})
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.bold = book.add_format({"bold": True})
        self.section = book.add_format({"bold": True, "bg_color": "#DDEBF7"})
        self.note = book.add_format({"italic": True, "font_color": "#595959"})
        self.by_unit: dict[str, Format] = {
            "money": self.money, "rate": self.percent, "factor": self.factor,
            "flag": self.integer, "hours": self.number, "people": self.number,
            "months": self.number, "number": self.number}


def _quoted(text: str) -> str:
    """``text`` as a literal inside a number format."""
    return '"' + text.replace('"', "") + '"'


# --- Alternatives' sheets ---------------------------------------------------------------


#: The Summary's discount rate cell, which every discount factor reads.
_RATE_ROW, _RATE_COL = 7, 1
_RATE_CELL = f"{_SUMMARY}!$B${_RATE_ROW + 1}"
#: The Summary's total hours of demand, which the cost per hour reads.
_HOURS_ROW = 8


@dataclass
class _AltSheet:
    """Where an alternative's figures are on its sheet (0-based rows)."""

    name: str
    horizon: int
    factor_row: int = 2
    one_time_row: int = 0
    recurring_row: int = 0
    total_row: int = 0
    risk_row: int = 0
    adjusted_row: int = 0

    def months(self, row: int) -> str:
        """The range of ``row``'s months, as another sheet refers to it."""
        return (f"{_sheet_ref(self.name)}!${_col(_FIRST)}${row + 1}:"
                f"${_col(_FIRST + self.horizon - 1)}${row + 1}")


@dataclass
class _Rows:
    """Rows written so far on an alternative's sheet, and the column of their totals."""

    sheet: Worksheet
    styles: _Styles
    horizon: int
    row: int = 0
    driver_rows: dict[str, int] = field(default_factory=dict)

    @property
    def total_col(self) -> int:
        return _FIRST + self.horizon

    def values(self, label: str, how: str, monthly: Sequence[float], style: Format,
               total: bool) -> int:
        """A row of numbers (a driver, an other cost, the risk); its Total column sums the
        months when ``total`` (a flow). Returns its row."""
        row = self._label(label, how)
        for m, x in enumerate(monthly):
            self.sheet.write_number(row, _FIRST + m, x, style)
        if total:
            self._sum(row, float(sum(monthly)), style)
        return row

    def formulas(self, label: str, how: str, cell: Callable[[str], str], monthly: Sequence[float],
                 style: Format) -> int:
        """A row of formulas: ``cell(column letter)`` in each month, then their SUM."""
        row = self._label(label, how)
        for m, x in enumerate(monthly):
            self.sheet.write_formula(row, _FIRST + m, "=" + cell(_col(_FIRST + m)), style, x)
        self._sum(row, float(sum(monthly)), style)
        return row

    def heading(self, label: str, how: str, style: Format) -> None:
        self.sheet.write_string(self.row, 0, label, style)
        if how:
            self.sheet.write_string(self.row, 1, how, style)
        self.row += 1

    def skip(self) -> None:
        self.row += 1

    def _label(self, label: str, how: str) -> int:
        row = self.row
        self.sheet.write_string(row, 0, label)
        if how:
            self.sheet.write_string(row, 1, how, self.styles.note)
        self.row += 1
        return row

    def _sum(self, row: int, total: float, style: Format) -> None:
        first, last = _col(_FIRST) + str(row + 1), _col(_FIRST + self.horizon - 1) + str(row + 1)
        self.sheet.write_formula(row, self.total_col, f"=SUM({first}:{last})", style, total)


def _alternative_sheet(book: Workbook, styles: _Styles, index: int, alt: AlternativeWork,
                       explanation: Explanation, scenario: Scenario) -> _AltSheet:
    name = sheet_name(index, alt.name)
    sheet = _as_written(book.add_worksheet(name))
    h = explanation.horizon
    rows = _Rows(sheet, styles, h)
    where = _AltSheet(name, h)
    rows.sheet.write_string(0, 0, alt.name, styles.title)
    rows.sheet.write_string(0, 1, f"{'plan' if alt.kind == 'plan' else 'option'}; "
                            f"amounts in {scenario.currency}", styles.note)
    sheet.write_string(1, 0, "Month", styles.header)
    sheet.write_string(1, 1, "How it is built", styles.header)
    for m in range(h):
        sheet.write_number(1, _FIRST + m, m + 1, styles.month)
    sheet.write_string(1, rows.total_col, "Total", styles.header)
    sheet.write_string(2, 0, "Discount factor df(m)", styles.bold)
    sheet.write_string(2, 1, "(1 + discount rate) ^ (−m ÷ 12)", styles.note)
    for m, f in enumerate(explanation.factors):
        col = _col(_FIRST + m)
        sheet.write_formula(2, _FIRST + m, f"=(1+{_RATE_CELL})^(-{col}$2/12)", styles.factor, f)
    rows.row = 3
    one_time: list[int] = []
    recurring: list[int] = []
    part_totals: list[int] = []
    risks: list[int] = []
    options = {o.name: o for o in scenario.options}
    for part in alt.parts:
        rows.skip()
        total, risk, lines = _part_rows(rows, part, options.get(part.option))
        part_totals.append(total)
        risks.append(risk)
        for line_name, row in lines.items():
            (one_time if LINE_BY_NAME[line_name].one_time else recurring).append(row)
    rows.skip()
    rows.heading(f"{alt.name}: the alternative", "", styles.section)
    money = styles.money_bold
    ot = _sum_months([[ln.monthly for ln in p.lines if ln.one_time] for p in alt.parts], h)
    rec = _sum_months([[ln.monthly for ln in p.lines if not ln.one_time] for p in alt.parts], h)
    where.one_time_row = rows.formulas("One-time cost", "sum of the one-time lines above",
                                       _adder(one_time), ot, money)
    where.recurring_row = rows.formulas("Recurring cost", "sum of the other lines above",
                                        _adder(recurring), rec, money)
    where.total_row = rows.formulas("Total cost", "sum of the parts' totals",
                                    _adder(part_totals), alt.monthly, money)
    where.risk_row = rows.formulas("Expected risk losses", "sum of the parts' risk rows",
                                   _adder(risks), alt.risk, money)
    adjusted = [c + r for c, r in zip(alt.monthly, alt.risk, strict=True)]
    where.adjusted_row = rows.formulas(
        "Risk-adjusted cost", "total cost + expected risk losses",
        _adder([where.total_row, where.risk_row]), adjusted, money)
    sheet.freeze_panes(3, _FIRST)
    sheet.set_column(0, 0, 46)
    sheet.set_column(1, 1, 44)
    sheet.set_column(_FIRST, _FIRST + h - 1, 14)
    sheet.set_column(rows.total_col, rows.total_col, 17)
    return where


def _part_rows(rows: _Rows, part: PartWork, option: Any) -> tuple[int, int, dict[str, int]]:
    """The rows of one part: its drivers, other costs, cost lines, total and risk. Returns
    the total's row, the risk's row and each line's row."""
    styles = rows.styles
    given = ", ".join(f"{work} {share:.0%}" for work, share in part.shares.items() if share)
    rows.heading(f"Part: {part.option}",
                 f"{part.model}; its inputs in {part.currency}; work given: {given or 'none'}",
                 styles.section)
    cells: dict[str, int] = {}
    rows.heading("Drivers", "name in the formulas", styles.bold)
    if not any(d.name == "hours" for d in part.drivers):
        cells["hours"] = rows.values(driver_info("hours").label, "hours", part.hours,
                                     styles.number, True)
    for driver in part.drivers:
        info = driver_info(driver.name)
        cells[driver.name] = rows.values(info.label, driver.name, driver.monthly,
                                         styles.by_unit.get(info.unit, styles.number),
                                         info.flow)
    kinds = {c.name: c.per for c in getattr(option, "other_costs", None) or ()}
    others: dict[str, list[int]] = {"other_recurring": [], "other_one_time": []}
    for cost in part.other_costs:
        per = kinds.get(cost.name)
        row = rows.values(cost.name, _PER.get(per or "", "other cost"), cost.monthly,
                          styles.money, True)
        if per is not None:
            others["other_one_time" if per == "once" else "other_recurring"].append(row)
    rows.heading("Cost lines", "formula", styles.bold)
    month_row = "{c}$2"

    def cell(name: str) -> str | None:
        if name == "month":
            return month_row
        if name in cells:
            return f"{COLUMN}{cells[name] + 1}"
        if others.get(name):
            return "(" + "+".join(f"{COLUMN}{r + 1}" for r in others[name]) + ")"
        return None

    lines: dict[str, int] = {}
    for line in part.lines:
        formula = template(LINE_BY_NAME[line.name].formula, cell)
        label = line.label + (" (one-time)" if line.one_time else "")
        if formula is None:
            lines[line.name] = rows.values(label, line.formula, line.monthly, styles.money, True)
        else:
            lines[line.name] = rows.formulas(label, line.formula, _filled(formula), line.monthly,
                                             styles.money)
    total = rows.formulas(f"Total {part.option}", "sum of its lines",
                          _span(min(lines.values()), max(lines.values())) if lines
                          else _constant(), part.monthly, styles.money_bold)
    risk = rows.values("Expected risk losses", "Σ annual probability × impact ÷ 12 "
                       "(not a cost line: the risk-adjusted figures)", part.risk, styles.money,
                       True)
    return total, risk, lines


def _filled(formula: str) -> Callable[[str], str]:
    return lambda col: formula.replace(COLUMN, col)


def _adder(rows: Sequence[int]) -> Callable[[str], str]:
    """The sum of ``rows`` in a month (0 when there are none)."""
    if not rows:
        return _constant()
    return lambda col: "+".join(f"{col}{r + 1}" for r in rows)


def _span(first: int, last: int) -> Callable[[str], str]:
    return lambda col: f"SUM({col}{first + 1}:{col}{last + 1})"


def _constant() -> Callable[[str], str]:
    return lambda col: "0"


def _sum_months(series: Sequence[Sequence[Sequence[float]]], horizon: int) -> list[float]:
    total = [0.0] * horizon
    for part in series:
        for monthly in part:
            total = [a + b for a, b in zip(total, monthly, strict=True)]
    return total


# --- Inputs -----------------------------------------------------------------------------


def _inputs_sheet(sheet: Worksheet, styles: _Styles, file: str, scenario: Scenario,
                  document: Document | None) -> str | None:
    """Every number of the scenario with its path and line, in file order; the defaults
    the file leaves out come last, marked. Returns the discount rate's cell."""
    sheet.write_string(0, 0, "Every number of the scenario, in file order", styles.title)
    sheet.write_string(1, 0, file, styles.note)
    for col, text in enumerate(("Field path", "Value", "Line", "Column",
                                "Uncertain: the distribution (valued at its mean); or a "
                                "default the file leaves out")):
        sheet.write_string(2, col, text, styles.header)
    rate_cell = None
    for i, r in enumerate(input_rows(document, scenario, defaults=True)):
        row = 3 + i
        sheet.write_string(row, 0, r.path)
        sheet.write_number(row, 1, r.value)
        if r.line:
            sheet.write_number(row, 2, r.line, styles.integer)
            sheet.write_number(row, 3, r.column, styles.integer)
        if r.distribution is not None:
            sheet.write_string(row, 4, r.distribution)
        elif not r.line and document is not None:
            sheet.write_string(row, 4, "default (not in the file)", styles.note)
        if r.path == "discount_rate":
            rate_cell = f"{_INPUTS}!B{row + 1}"
    sheet.freeze_panes(3, 1)
    sheet.set_column(0, 0, 52)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, 3, 8)
    sheet.set_column(4, 4, 48)
    return rate_cell


# --- Summary ----------------------------------------------------------------------------


#: The Summary table's headings (A, B, ...).
_COLUMNS = (
    "Alternative", "Kind", "Feasible", "One-time cost", "Recurring cost", "Total cost", "NPV",
    "Risk cost", "Risk-adjusted total", "Risk-adjusted NPV", "Savings vs baseline",
    "Savings %", "Cost per hour", "Recommended", "Sheet", "Why not feasible")
#: The column of each decision metric (savings are the baseline's minus the alternative's).
_METRIC_COLUMN = {"total": 5, "npv": 6, "risk_adjusted_npv": 9}
_SAVINGS_COL = 10


def _summary_sheet(sheet: Worksheet, styles: _Styles, file: str, result: ScenarioResult,
                   explanation: Explanation, sheets: Sequence[_AltSheet],
                   rate_input: str | None) -> None:
    rec = result.recommendation
    sheet.write_string(0, 0, result.name, styles.title)
    sheet.write_string(1, 0, "Recommendation", styles.bold)
    sheet.write_string(1, 1, rec.option, styles.bold)
    sheet.write_string(2, 0, "Why", styles.bold)
    sheet.write_string(2, 1, reason(rec))
    facts: list[tuple[str, str | float, Format | None]] = [
        ("File", file, None), ("Currency", result.currency, None),
        ("Horizon (months)", float(result.horizon_months), styles.integer),
        ("Decision metric (savings are on it)", METRIC_LABELS.get(result.metric, result.metric),
         None)]
    for i, (label, value, style) in enumerate(facts):
        sheet.write_string(3 + i, 0, label, styles.bold)
        if isinstance(value, str):
            sheet.write_string(3 + i, 1, value)
        else:
            sheet.write_number(3 + i, 1, value, style)
    sheet.write_string(_RATE_ROW, 0, "Discount rate (a year)", styles.bold)
    if rate_input is not None:
        sheet.write_formula(_RATE_ROW, _RATE_COL, f"={rate_input}", styles.percent,
                            explanation.discount_rate)
        sheet.write_string(_RATE_ROW, 2, "from Inputs; every discount factor reads this cell",
                           styles.note)
    else:
        sheet.write_number(_RATE_ROW, _RATE_COL, explanation.discount_rate, styles.percent)
    sheet.write_string(_HOURS_ROW, 0, "Total hours of demand", styles.bold)
    sheet.write_number(_HOURS_ROW, 1, result.total_hours, styles.number)
    sheet.write_string(9, 0, "Baseline", styles.bold)
    sheet.write_string(9, 1, result.baseline)
    sheet.write_string(10, 0, "Minimum savings", styles.bold)
    sheet.write_number(10, 1, result.min_savings, styles.percent)
    header = 12
    label = METRIC_LABELS.get(result.metric, result.metric)
    for col, title in enumerate(_COLUMNS):
        sheet.write_string(header, col, f"{title} ({label})" if col == _SAVINGS_COL else title,
                           styles.header)
    by_name = {o.name: o for o in result.options}
    first = header + 1
    names = [s.name for s in sheets]
    base_index = next((i for i, a in enumerate(explanation.alternatives)
                       if a.name == result.baseline), None)
    metric_col = _METRIC_COLUMN.get(result.metric)
    for i, (alt, where) in enumerate(zip(explanation.alternatives, sheets, strict=True)):
        option = by_name[alt.name]
        row = first + i
        base = (None if base_index is None or metric_col is None else
                f"${_col(metric_col)}${first + base_index + 1}")
        _summary_row(sheet, styles, row, option, where, base, metric_col, names[i],
                     rec.option == alt.name)
    sheet.freeze_panes(header + 1, 1)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)  # printed one page wide
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 2, 12)
    sheet.set_column(3, 12, 17)
    sheet.set_column(13, 14, 14)
    sheet.set_column(15, 15, 60)


def _summary_row(sheet: Worksheet, styles: _Styles, row: int, o: OptionResult,
                 where: _AltSheet, base: str | None, metric_col: int | None, name: str,
                 recommended: bool) -> None:
    r = row + 1
    sheet.write_string(row, 0, o.name, styles.bold)
    sheet.write_string(row, 1, o.kind)
    sheet.write_string(row, 2, "yes" if o.feasible else "no")
    factors = where.months(where.factor_row)
    cells: list[tuple[str, float]] = [
        (f"SUM({where.months(where.one_time_row)})", o.one_time_cost),
        (f"SUM({where.months(where.recurring_row)})", o.recurring_cost),
        (f"SUM({where.months(where.total_row)})", o.total_cost),
        (f"SUMPRODUCT({where.months(where.total_row)},{factors})", o.npv),
        (f"SUM({where.months(where.risk_row)})", o.risk_cost),
        (f"F{r}+H{r}", o.risk_adjusted_total),
        (f"SUMPRODUCT({where.months(where.adjusted_row)},{factors})", o.risk_adjusted_npv)]
    for k, (formula, value) in enumerate(cells):
        sheet.write_formula(row, 3 + k, "=" + formula, styles.money, value)
    if base is not None and metric_col is not None:
        mine = f"{_col(metric_col)}{r}"
        sheet.write_formula(row, 10, f"={base}-{mine}", styles.money, o.savings_vs_baseline)
        sheet.write_formula(row, 11, f"=IF({base}=0,0,K{r}/{base})", styles.percent,
                            o.savings_pct)
    else:
        sheet.write_number(row, 10, o.savings_vs_baseline, styles.money)
        sheet.write_number(row, 11, o.savings_pct, styles.percent)
    hours = f"$B${_HOURS_ROW + 1}"
    sheet.write_formula(row, 12, f"=IF({hours}=0,0,F{r}/{hours})", styles.money,
                        o.cost_per_hour)
    sheet.write_string(row, 13, "yes" if recommended else "")
    sheet.write_url(row, 14, f"internal:{_sheet_ref(name)}!A1", string=name)
    if o.infeasible_reasons:
        sheet.write_string(row, 15, "; ".join(o.infeasible_reasons))


# --- Names and references ---------------------------------------------------------------


def sheet_name(index: int, name: str) -> str:
    """A valid, unique sheet name for the ``index``-th alternative: its number first (so
    names never clash with each other or with Summary and Inputs, and never start with
    an apostrophe), then the name without the characters sheet names forbid, at most 31
    characters."""
    clean = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in name)
    clean = " ".join(_SHEET_FORBIDDEN.sub(" ", clean).split())
    return f"{index} {clean}"[:31].rstrip(" '")


def _sheet_ref(name: str) -> str:
    """``name`` as a formula names a sheet: quoted, apostrophes doubled."""
    return "'" + name.replace("'", "''") + "'"


def _col(index: int) -> str:
    """The letters of a 0-based column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


__all__ = ["CREATED", "FUNCTIONS", "sheet_name", "workbook_bytes"]

