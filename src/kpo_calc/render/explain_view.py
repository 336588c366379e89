"""``explain`` as a view: per alternative its parts, and per part every cost line with its
formula, the drivers the formula reads and the amounts, by year or month, or one month
with the inputs substituted (``--month``).

Every format (table, Markdown, CSV) lays out this one view (``view_formats``); the
entry points of the registry (``table``, ``markdown``, ``csv``) are at the end.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from kpo_calc.engine.explain import (
    AlternativeWork,
    Driver,
    Explanation,
    PartWork,
    driver_info,
)
from kpo_calc.engine.lines import LINE_BY_NAME, OTHER_LINES
from kpo_calc.formatting import percent
from kpo_calc.outcome import ExplainOutcome
from kpo_calc.render import RenderOptions, view_formats
from kpo_calc.render.markdown import LIMIT, error_lines
from kpo_calc.render.views import Cell, Col, Kind, Num, Say, Table, View
from kpo_calc.render.wording import uncertain_note

#: How a driver's unit reads in a table, and how its numbers are written.
UNIT_KINDS: dict[str, tuple[str, Kind]] = {
    "hours": ("hours", "hours"), "people": ("FTE / people", "people"),
    "money": ("{currency}", "money"), "rate": ("%", "rate"), "factor": ("factor", "factor"),
    "months": ("months", "number"), "flag": ("1 = yes", "number"),
    "number": ("", "number"),
}


@dataclass(frozen=True)
class Periods:
    """The columns amounts are shown in: each month, each year, or one month."""

    #: "month" or "year"
    by: str
    horizon: int
    #: one month only (``--month``): the formulas with the inputs substituted
    month: int | None = None

    @property
    def spans(self) -> list[tuple[str, int, int]]:
        """(header, first month, last month) of each column (months 1-based, inclusive)."""
        if self.month is not None:
            return [(f"Month {self.month}", self.month, self.month)]
        if self.by == "month":
            return [(f"M{m}", m, m) for m in range(1, self.horizon + 1)]
        years = math.ceil(self.horizon / 12)
        out = []
        for y in range(years):
            first, last = 12 * y + 1, min(12 * y + 12, self.horizon)
            months = last - first + 1
            out.append((f"Year {y + 1}" + ("" if months == 12 else f" ({months} mo)"),
                        first, last))
        return out

    def sums(self, monthly: Sequence[float]) -> list[float]:
        """A flow (an amount, hires, hours) in each column: the sum of its months."""
        return [float(np.sum(monthly[a - 1:b])) for _, a, b in self.spans]

    def levels(self, monthly: Sequence[float]) -> list[float]:
        """A level (headcount, a salary, fx) in each column: its monthly average."""
        return [float(np.mean(monthly[a - 1:b])) for _, a, b in self.spans]


def views(file: str, e: Explanation, periods: Periods) -> View:
    """The view of one file's explanation."""
    months = f"{e.horizon} month" + ("" if e.horizon == 1 else "s")
    lines = [f"Amounts in {e.currency} over {months}; each line is its formula "
             "evaluated on the drivers below it, the figures of compare to the cent.",
             f"Discount rate r = {percent(e.discount_rate, 2)} a year: "
             "df(m) = (1 + r)^(-m/12); NPV = Σ cost(m) × df(m)."]
    note = uncertain_note(e.uncertain_inputs)
    if note:
        lines.append(note)
    cannot = [a for a in e.alternatives if not a.feasible]
    if cannot:  # costed, but no choice: compare leaves them out of the decision
        lines.append("Not feasible (cannot do all the work; compare leaves them out of the "
                     "decision): " + "; ".join(f"{a.name} ({'; '.join(a.infeasible_reasons)})"
                                               for a in cannot) + ".")
    if periods.month is None and periods.by == "year":
        lines.append("A year column sums the months of costs and flows (hires, hours); "
                     "levels (headcount, salary, rates, fx) show the year's monthly average.")
    tables = [_alternatives(e)]
    if periods.by == "month" or periods.month is not None:  # a year has no one factor
        tables.append(Table("Discount factors df(m)", (Col("", "text", key=True), *(
            Col(h, "factor") for h, _, _ in periods.spans)),
            (("df(m)", *(e.factors[a - 1] for _, a, _ in periods.spans)),),
            name="Discount factors", fold=1))
    for alt in e.alternatives:
        tables.append(_parts(e, alt))
        tables.append(_totals(e, alt, periods))
        for part in alt.parts:
            tables.append(_lines(e, alt, part, periods))
            tables.append(_drivers(e, alt, part, periods))
            if part.other_costs:
                tables.append(_other_costs(alt, part, periods))
    return View(file, f"How the figures of {e.name} are built",
                (*(Say(line) for line in lines), *tables),
                section_names=("alternative", "part"), currency=e.currency)


def _alternatives(e: Explanation) -> Table:
    rows = tuple((a.name, a.kind, "yes" if a.feasible else "no", a.one_time_cost,
                  a.total_cost - a.one_time_cost, a.total_cost, e.npv(a.monthly), a.risk_cost)
                 for a in e.alternatives)
    return Table("Alternatives", (Col("Alternative", key=True), Col("Kind"), Col("Feasible"),
                                  Col("One-time cost", "money"), Col("Recurring cost", "money"),
                                  Col("Total cost", "money"), Col("NPV", "money"),
                                  Col("Expected risk losses", "money")), rows)


def _parts(e: Explanation, alt: AlternativeWork) -> Table:
    rows = tuple((p.option, p.model, p.currency, _shares(p), float(np.sum(p.hours)),
                  p.total_cost, e.npv(p.monthly)) for p in alt.parts)
    return Table(f"{alt.name}: parts", (
        Col("Part", key=True), Col("Model"), Col("Input currency"),
        Col("Share of each work item"),
        Col("Hours", "hours"), Col("Total cost", "money"), Col("NPV", "money")), rows,
        section=(alt.name, ""), name="Parts", fold=3)


def _shares(p: PartWork) -> str:
    return "; ".join(f"{work} {percent(share, 0 if share * 100 == round(share * 100) else 1)}"
                     for work, share in p.shares.items() if share)


def _period_cols(periods: Periods, kind: Kind, total: bool) -> tuple[Col, ...]:
    cols = tuple(Col(h, kind) for h, _, _ in periods.spans)
    return (*cols, Col("Total", kind)) if total and periods.month is None else cols


def _totals(e: Explanation, alt: AlternativeWork, periods: Periods) -> Table:
    present = [c * f for c, f in zip(alt.monthly, e.factors, strict=True)]
    rows: list[tuple[Cell, ...]] = [
        ("Cost", *periods.sums(alt.monthly), alt.total_cost),
        ("Present value: cost × df(m)", *periods.sums(present), e.npv(alt.monthly)),
        ("Expected risk losses", *periods.sums(alt.risk), alt.risk_cost)]
    if periods.month is not None:
        rows = [r[:-1] for r in rows]
    return Table(f"{alt.name}: totals", (Col("", key=True),
                                         *_period_cols(periods, "money", True)),
                 tuple(rows), section=(alt.name, ""), name="Totals", fold=3)


def _lines(e: Explanation, alt: AlternativeWork, part: PartWork, periods: Periods) -> Table:
    title = f"{alt.name} · {part.option}: cost lines"
    if periods.month is not None:
        m = periods.month
        values = {d.name: d.monthly[m - 1] for d in part.drivers}
        values["month"] = float(m)
        one = tuple((line.label, line.formula,
                     _named(part, line.name, m) if line.name in OTHER_LINES else
                     substituted(line.name, values), line.monthly[m - 1])
                    for line in part.lines)
        return Table(title, (Col("Line", key=True), Col("Formula"),
                             Col(f"Month {m}: with its values"), Col(f"Month {m}", "money")),
                     one, section=(alt.name, part.option), name="Cost lines", fold=2)
    rows: list[tuple[Cell, ...]] = [(line.label, line.formula, *periods.sums(line.monthly),
                                     line.total) for line in part.lines]
    rows.append(("Total", "", *periods.sums(part.monthly), part.total_cost))
    return Table(title, (Col("Line", key=True), Col("Formula"),
                         *_period_cols(periods, "money", True)), tuple(rows),
                 section=(alt.name, part.option), name="Cost lines", fold=2)


def _drivers(e: Explanation, alt: AlternativeWork, part: PartWork,
             periods: Periods) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for d in [_hours(part), *part.drivers]:
        info = driver_info(d.name)
        unit, kind = UNIT_KINDS.get(info.unit, ("", "number"))
        values = periods.sums(d.monthly) if info.flow else periods.levels(d.monthly)
        rows.append((d.name, info.label, unit.format(currency=e.currency),
                     *(Num(x, kind) for x in values)))
    return Table(f"{alt.name} · {part.option}: drivers",
                 (Col("Driver", key=True), Col("What it is"), Col("Unit"),
                  *_period_cols(periods, "number", False)),
                 tuple(rows), section=(alt.name, part.option), name="Drivers", fold=1)


def _named(part: PartWork, line: str, m: int) -> str:
    """An other-costs line in month ``m``: the sum of its named costs (``150 (Travel) +
    75 (Tooling)``), to the cent."""
    return " + ".join(f"{plain(round(d.monthly[m - 1], 2), 15)} ({d.name})"
                      for d in part.other_costs
                      if part.other_lines.get(d.name) == line and d.monthly[m - 1]) or "0"


def _hours(part: PartWork) -> Driver:
    return Driver("hours", part.hours)


def _other_costs(alt: AlternativeWork, part: PartWork, periods: Periods) -> Table:
    rows = tuple((d.name, *periods.sums(d.monthly),
                  *(() if periods.month is not None else (float(np.sum(d.monthly)),)))
                 for d in part.other_costs)
    return Table(f"{alt.name} · {part.option}: other costs by name",
                 (Col("Cost", key=True), *_period_cols(periods, "money", True)), rows,
                 section=(alt.name, part.option), name="Other costs by name", fold=1)


_NAME = re.compile(r"\b[a-z_][a-z_0-9]*\b")
#: Significant digits tried in turn: the fewest that recompute the line to the cent.
_DIGITS = (10, 12, 14, 17)


def substituted(line: str, values: Mapping[str, float]) -> str:
    """The line's formula with each driver replaced by its value in the month: what a
    reviewer types into a calculator (``12 × 8333.33``), with the fewest digits (ten at
    least) that give the line to the cent: a salary of 1e12 a year needs more."""
    rule = LINE_BY_NAME[line]
    shown = {name: plain(x) for name, x in values.items()}
    if all(name in values for name in rule.reads):
        with np.errstate(all="ignore"):  # as the engine: a zero divisor is inf, not a crash
            exact = float(rule.compute({n: np.float64(x) for n, x in values.items()}))
            for digits in _DIGITS:
                shown = {name: plain(x, digits) for name, x in values.items()}
                typed = float(rule.compute({n: np.float64(t) for n, t in shown.items()}))
                if not math.isfinite(exact) or abs(typed - exact) < 0.005:
                    break
    return _NAME.sub(lambda m: shown.get(m.group(), m.group()), rule.shown)


def plain(x: float, digits: int = 10) -> str:
    """A number as typed into a calculator: whole numbers bare, others to ``digits``
    significant digits (and two decimals at least), with no exponent from 1e-4 to 1e15."""
    if not math.isfinite(x):
        return str(x)
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    text = f"{x:.{digits}g}"
    if "e+" in text and abs(x) < 1e15:  # 8.333333333e+10: written out, cents at least
        decimals = max(digits - 1 - math.floor(math.log10(abs(x))), 2)
        text = f"{x:.{decimals}f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
    return text


# --- The formats --------------------------------------------------------------------


def _views(outcomes: Sequence[ExplainOutcome]) -> list[View]:
    return [views(o.file, o.result, Periods(o.by, o.result.horizon, o.month))
            for o in outcomes if o.result is not None]


def table(outcomes: Sequence[ExplainOutcome], options: RenderOptions) -> str:
    """Terminal tables."""
    return view_formats.table(_views(outcomes), options)


#: Said when the whole audit trail does not fit GitHub's limit (the drivers of a 36-month
#: file of ten alternatives are 69,000 characters; by month, a quarter of a million): the
#: tables fold, drivers first (``Table.fold``).
FOLD_NOTE = ("_Detail was folded to keep this report under {limit:,} characters (GitHub's "
             "limit for a comment): `kpo-calc explain --format table`, `--format csv` or "
             "`--format json` on the same files shows all of it, and so does this format "
             "for one alternative (`--alternative`), by year, or on fewer files at a time._")


def markdown(outcomes: Sequence[ExplainOutcome], options: RenderOptions) -> str:
    """GitHub Markdown, broken files' errors first: the whole audit trail when it fits in
    ``LIMIT`` characters (a pull-request comment, a step summary), else folded."""
    return view_formats.markdown(_views(outcomes), error_lines(outcomes), limit=LIMIT,
                                 note=FOLD_NOTE.format(limit=LIMIT))


def csv(outcomes: Sequence[ExplainOutcome], options: RenderOptions) -> str:
    """One tidy long table."""
    return view_formats.csv(_views(outcomes))
