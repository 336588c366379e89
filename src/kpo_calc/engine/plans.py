"""Alternatives as plans: every option alone, and every declared plan (design section 7).

An alternative assigns each work item to options by shares (an option alone
gives itself share 1 of everything). It is costed as the sum of its parts:
each option on its own demand ``D_o,m = Σ_w share(w,o) · D_w,m`` with
``cost_option``; lines, months and totals add up. An option with no demand
costs nothing, except an in-house option with ``existing_fte > 0``: today's
staff take part in every alternative, and the ones it does not need are
released with severance (costing it on zero demand does exactly that).

The threshold base (the cost an alternative avoids, methodology 3) and a
plan's scorecard scores are here too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar

import numpy as np

from kpo_calc.engine.costing import Costing
from kpo_calc.engine.demand import work_hours
from kpo_calc.engine.figures import (
    NO_MONTHS,
    NOT_COSTED,
    PERSONNEL_LINES,
    OptionFigures,
    cost_option,
    metric_of,
    scalar,
    summarise,
)
from kpo_calc.engine.finance import add_up, npv
from kpo_calc.engine.flexibility import FlexibilityFigures, StressFigures
from kpo_calc.engine.lines import LINE_NAMES
from kpo_calc.engine.models import AnyOption
from kpo_calc.engine.results import OptionResult, PartResult
from kpo_calc.engine.values import Array, Mask, Values
from kpo_calc.scenario import CRITERIA, Scenario, option_specialization_gap

#: {work: {option: share}}
Assign = Mapping[str, Mapping[str, float]]
ArrayT = TypeVar("ArrayT", Array, Mask)
#: Share vectors costed at a time without stress tests: small enough that a block of
#: hours stays in the processor's cache while each work item is added to it.
LIGHT_BLOCK = 64
#: The most stressed months (rows x tests x months) a pass may add for the light parts
#: costed beside the full ones (``Coster.prefetch_full``): about what a pass of their
#: own costs to set up.
BESIDE_CELLS = 16_384
#: A part costed without stress tests: (metric, threshold amount), as floats in a point run
#: and as ``(trials,)`` arrays in a run over trials (the per-trial decision reads those).
Light = tuple[Any, Any]
#: What one chunk of a simulation hands the next: parts and light parts no trial changed.
Reusable = tuple[dict[tuple[str, tuple[float, ...]], OptionFigures],
                 dict[tuple[str, tuple[float, ...]], Light]]


@dataclass(frozen=True)
class Alternative:
    """One thing the decision can pick: an option doing all the work, or a declared plan."""

    name: str
    #: "option" or "plan"
    kind: str
    assign: Assign
    #: the option itself, for an option alternative
    option: AnyOption | None = None


@dataclass(frozen=True)
class Part:
    """One option costed inside an alternative, on the hours the alternative gives it."""

    option: AnyOption
    figures: OptionFigures


@dataclass(frozen=True)
class AlternativeFigures:
    """An alternative's parts and their sums, per trial (before ``summarise``)."""

    alternative: Alternative
    parts: tuple[Part, ...]
    combined: OptionFigures
    unmet_hours: Array


def alternatives(scenario: Scenario) -> list[Alternative]:
    """Every option as the plan that gives it all the work, then every declared plan."""
    work = [w.name for w in scenario.work]
    out = [Alternative(o.name, "option", {w: {o.name: 1.0} for w in work}, o)
           for o in scenario.options]
    out += [Alternative(p.name, "plan", p.shares()) for p in scenario.plans]
    return out


class Coster:
    """Costs alternatives, each option on a given vector of shares once (a cache).

    ``compare`` costs every alternative, and methodology 3 costs more plans
    beside them (each alternative without one of its moves, the baseline with
    only one): the parts they share are costed once.
    """

    def __init__(self, scenario: Scenario, demand: Array, v: Values, factors: Array,
                 lean: bool = False) -> None:
        self.scenario = scenario
        #: True: parts carry only what a decision reads (``cost_option(lean=True)``): a
        #: simulation over many trials reports no stress tests, flexibility or lines
        self.lean = lean
        #: the figure a lean part sums (``cost_option(metric=...)``): the decision's metric
        self.metric = scenario.decision.metric
        self.demand = demand
        self.v = v
        self.factors = factors
        self.names = [w.name for w in scenario.work]
        self.per_work = [work_hours(w, scenario, v) for w in scenario.work]
        self._cache: dict[tuple[str, tuple[float, ...]], OptionFigures] = {}
        #: (metric, threshold amount) of parts costed without stress tests, many at a time
        self._light: dict[tuple[str, tuple[float, ...]], Light] = {}
        self._index = {o.name: i for i, o in enumerate(scenario.options)}
        self._vectors: dict[int, tuple[Assign, list[tuple[float, ...] | None]]] = {}
        #: light parts costed beside the full ones (``prefetch_full``'s ``extra``), by
        #: (option index, shares): read by ``prefetched`` only, so no count changes
        self._beside: dict[tuple[int, tuple[float, ...]], Light] = {}

    def counts(self) -> tuple[int, int]:
        """How many parts were costed in full, and how many light (without stress tests
        or flexibility: comparison plans; a light part read from a full one is none)."""
        return len(self._cache), len(self._light.keys() - self._cache.keys())

    def unchanged(self) -> Reusable:
        """The parts costed so far that no trial changed (one row that broadcasts): in
        another chunk of the same simulation they are the same figures."""
        parts = {key: f for key, f in self._cache.items()
                 if all(x.shape[0] == 1 for x in (f.total_cost, f.npv, f.risk_cost, f.hours,
                                                  f.risk_adjusted_npv, f.risk_adjusted_total))}
        lights = {key: (value, amount) for key, (value, amount) in self._light.items()
                  if np.shape(value)[:1] in ((), (1,)) and np.shape(amount)[:1] in ((), (1,))}
        return parts, lights

    def reuse(self, kept: Reusable) -> None:
        """Start from parts another chunk's ``unchanged`` kept."""
        self._cache.update(kept[0])
        self._light.update(kept[1])

    def part(self, option: AnyOption, shares: tuple[float, ...]) -> OptionFigures:
        """``option`` costed on ``D_o = Σ_w share_w · D_w``."""
        key = (option.name, shares)
        figures = self._cache.get(key)
        if figures is None:
            figures = cost_option(option, self.scenario, self.hours(shares), self.v,
                                  work=[w for w, s in zip(self.scenario.work, shares,
                                                          strict=True) if s > 0],
                                  factors=self.factors, affected=self.affected(shares),
                                  lean=self.lean, metric=self.metric)
            self._cache[key] = figures
        return figures

    def hours(self, shares: Sequence[float]) -> Array:
        """The demand a vector of shares gives an option (exactly the total for all 1s)."""
        if all(s == 1.0 for s in shares):
            return self.demand
        hours = np.zeros_like(self.demand)
        for share, item in zip(shares, self.per_work, strict=True):
            if share:
                hours = hours + share * item
        return hours

    def affected(self, shares: Sequence[float]) -> list[Array | None]:
        """Per stress test, the part of the option's demand it changes (None: all)."""
        return self._affected_rows(np.array([shares], dtype=np.float64))

    def vectors(self, assign: Assign) -> list[tuple[float, ...] | None]:
        """Each option's shares in ``assign`` (None for an option that has no part)."""
        found = self._vectors.get(id(assign))
        if found is not None and found[0] is assign:
            return found[1]
        rows = [[0.0] * len(self.names) for _ in self.scenario.options]
        for w, name in enumerate(self.names):
            for option, share in assign.get(name, {}).items():
                rows[self._index[option]][w] = float(share)
        out: list[tuple[float, ...] | None] = [
            tuple(row) if any(row) or _has_staff(option) else None
            for row, option in zip(rows, self.scenario.options, strict=True)]
        self._vectors[id(assign)] = (assign, out)  # the assignment is kept: ids stay unique
        return out

    def light_part(self, index: int, shares: tuple[float, ...] | None, metric: str,
                   threshold_base: str) -> Light | None:
        """Option ``index``'s metric and threshold amount on ``shares`` (None: no part),
        costed without stress tests (or read from a full costing already made)."""
        if shares is None:
            return None
        return self._light_part(self.scenario.options[index], shares, metric, threshold_base)

    def variant_hours(self, vector: Sequence[float] | None,
                      changes: Sequence[tuple[int, float]]) -> Array:
        """The demand of ``vector`` with item ``at`` given ``share``, for each change: one
        row each, the same sums as ``_rows`` (the non-zero terms in item order), with the
        terms before ``at`` added once for all the changes that share them."""
        base = [0.0] * len(self.per_work) if vector is None else list(vector)
        terms = [w for w, x in enumerate(base) if x]
        rows = np.empty((len(changes), self.demand.shape[1]))
        order = sorted(range(len(changes)), key=lambda i: changes[i][0])
        prefix = np.zeros(self.demand.shape[1])
        done = 0  # terms[:done] are in prefix
        for i in order:
            at, share = changes[i]
            while done < len(terms) and terms[done] < at:
                prefix = prefix + base[terms[done]] * self.per_work[terms[done]][0]
                done += 1
            hours = prefix + share * self.per_work[at][0] if share else prefix
            for w in terms[done:]:
                if w != at:
                    hours = hours + base[w] * self.per_work[w][0]
            rows[i] = hours
        return rows

    def light_rows(self, index: int, rows: Sequence[tuple[float, ...]], metric: str,
                   threshold_base: str, hours: Array | None = None) -> list[Light]:
        """``light_part`` for many share vectors of option ``index`` at once: the rows of
        one demand array, as ``mix`` costs them (a point run only: rows stand for
        trials; otherwise one at a time). ``hours``: their demand, when known."""
        option = self.scenario.options[index]
        if self.v.trials != 1:
            return [self._light_part(option, r, metric, threshold_base) for r in rows]
        out: list[Light] = []
        for lo in range(0, len(rows), LIGHT_BLOCK):
            block = (self._rows(np.array(rows[lo:lo + LIGHT_BLOCK], dtype=np.float64))
                     if hours is None else hours[lo:lo + LIGHT_BLOCK])
            figures = cost_option(option, self.scenario, block, self.v,
                                  factors=self.factors, lean=True, metric=metric)
            values = metric_of(figures, metric)
            amounts = part_amount(figures, metric, threshold_base, self.factors)
            out += zip(_each(values, len(block)).tolist(),  # floats, as float(x)
                       _each(amounts, len(block)).tolist(), strict=True)
        return out

    def _light_part(self, option: AnyOption, shares: tuple[float, ...], metric: str,
                    threshold_base: str) -> Light:
        key = (option.name, shares)
        found = self._light.get(key)
        if found is None:
            full = self._cache.get(key)
            figures = full if full is not None else cost_option(
                option, self.scenario, self.hours(shares), self.v, factors=self.factors,
                lean=True, metric=metric)
            value = metric_of(figures, metric)
            amount = part_amount(figures, metric, threshold_base, self.factors)
            # A point run keeps floats (the search and compare's moves add many of them);
            # a run over trials keeps each trial's figure, for the per-trial decision.
            found = ((scalar(value), scalar(amount)) if self.v.trials == 1
                     else (value, amount))
            self._light[key] = found
        return found

    def prefetch_full(self, alts: Sequence[Alternative], block: int = 256,
                      extra: Mapping[int, Sequence[tuple[float, ...]]] | None = None) -> None:
        """Cost every part ``alts`` need, stress tests included, as the rows of one demand
        array per option (a point run only: rows stand for trials), then keep each row as
        that part's figures. Each part costs what ``part`` would make of it, row by row.

        ``extra``: per option, share vectors of light parts (the comparison plans'),
        costed as more rows of the same pass where the option has a part to cost: one
        costing instead of two (their stress tests are not read). Each one's metric and
        threshold amount are what ``light_rows`` would make of it (``prefetched``)."""
        if self.v.trials != 1:
            return
        wanted: dict[int, dict[tuple[float, ...], None]] = {}
        for alt in alts:
            for o, shares in enumerate(self.vectors(alt.assign)):
                if shares is not None and (self.scenario.options[o].name, shares) not in \
                        self._cache:
                    wanted.setdefault(o, {})[shares] = None
        threshold_base = self.scenario.decision.threshold_base
        for o, unique in wanted.items():
            option = self.scenario.options[o]
            rows = list(unique)
            full = len(rows)
            lights = dict.fromkeys((extra or {}).get(o, ()))
            more = [r for r in lights if r not in unique]
            if len(more) * max(1, len(self.scenario.stress)) * self.demand.shape[1] > \
                    BESIDE_CELLS:
                lights, more = {}, []  # their stress tests would cost more than a pass
            rows += more
            if len(rows) < 2:
                continue  # one part: ``part`` costs it as it is
            for lo in range(0, len(rows), block):
                chunk = rows[lo:lo + block]
                table = np.array(chunk, dtype=np.float64)
                figures = cost_option(option, self.scenario, self._rows(table), self.v,
                                      factors=self.factors,
                                      affected=self._affected_rows(table),
                                      lean=self.lean, metric=self.metric)
                light: list[Light] = []
                if lights:  # a light part may be a full one too: each row's, as floats
                    light = list(zip(
                        _each(metric_of(figures, self.metric), len(chunk)).tolist(),
                        _each(part_amount(figures, self.metric, threshold_base,
                                          self.factors), len(chunk)).tolist(), strict=True))
                for i, row in enumerate(chunk):
                    if row in lights:
                        self._beside[(o, row)] = light[i]
                    if lo + i >= full:
                        continue
                    served = [w for w, s in zip(self.scenario.work, row, strict=True) if s > 0]
                    self._cache[(option.name, row)] = take_row(
                        figures, i, tuple(option_specialization_gap(option, served)))

    def prefetched(self, index: int, shares: tuple[float, ...], metric: str,
                   threshold_base: str) -> Light | None:
        """The light part of option ``index`` on ``shares`` costed beside the full parts
        (``prefetch_full``'s ``extra``), or None."""
        if metric != self.metric or threshold_base != self.scenario.decision.threshold_base:
            return None
        return self._beside.get((index, shares))

    def _rows(self, shares: Array) -> Array:
        """``hours`` for each row of ``shares``: the same additions in the same order."""
        hours = np.zeros((len(shares), self.demand.shape[1]))
        scaled = np.empty_like(hours)
        for w, item in enumerate(self.per_work):
            if shares[:, w].any():
                # In place, to spare an allocation a term; the same sums, bit for bit.
                np.multiply(shares[:, w:w + 1], item, out=scaled)
                hours += scaled
        return hours

    def _affected_rows(self, shares: Array) -> list[Array | None]:
        """``affected`` for each row of ``shares`` (of a point run; one row broadcasts
        over trials)."""
        out: list[Array | None] = []
        for test in self.scenario.stress:
            if test.work is None or set(test.work) >= set(self.names):
                out.append(None)
                continue
            hit = np.zeros((len(shares), self.demand.shape[1]))
            for w, (name, item) in enumerate(zip(self.names, self.per_work, strict=True)):
                if name in test.work and shares[:, w].any():
                    hit = hit + shares[:, w:w + 1] * item
            out.append(hit)
        return out

    def cost(self, alt: Alternative) -> AlternativeFigures:
        """An alternative's parts (every option with work, and every team with staff)."""
        parts = [Part(option, self.part(option, shares))
                 for option, shares in zip(self.scenario.options, self.vectors(alt.assign),
                                           strict=True) if shares is not None]
        return combine(alt, tuple(parts), self.demand, lean=self.lean)


def _row(x: ArrayT, i: int) -> ArrayT:
    """Row ``i`` of a figure costed for many parts (a figure common to all stays)."""
    return x if x.shape[0] == 1 else x[i:i + 1]


def take_row(f: OptionFigures, i: int, reasons: tuple[str, ...]) -> OptionFigures:
    """One part's figures out of figures costed for many (rows of the trials axis)."""
    c = f.costing
    flex = f.flexibility
    return OptionFigures(
        option=f.option,
        costing=Costing({n: _row(a, i) for n, a in c.lines.items()}, _row(c.active, i),
                        _row(c.unmet_hours, i), _row(c.activity, i)),
        hours=_row(f.hours, i), unmet_hours=_row(f.unmet_hours, i),
        infeasible_reasons=reasons,
        lines={n: _row(a, i) for n, a in f.lines.items()},
        monthly=_row(f.monthly, i), one_time_cost=_row(f.one_time_cost, i),
        recurring_cost=_row(f.recurring_cost, i), total_cost=_row(f.total_cost, i),
        npv=_row(f.npv, i), risk_cost=_row(f.risk_cost, i),
        risk_adjusted_total=_row(f.risk_adjusted_total, i),
        risk_adjusted_npv=_row(f.risk_adjusted_npv, i),
        cost_per_hour=_row(f.cost_per_hour, i),
        flexibility=FlexibilityFigures(
            scale_up_lead_months=_row(flex.scale_up_lead_months, i),
            scale_down_lag_months=_row(flex.scale_down_lag_months, i),
            cost_to_shed_fte=_row(flex.cost_to_shed_fte, i),
            exit_cost=_row(flex.exit_cost, i),
            stress=tuple(StressFigures(
                name=t.name, total_cost=_row(t.total_cost, i), npv=_row(t.npv, i),
                delta_vs_base=_row(t.delta_vs_base, i), unmet_hours=_row(t.unmet_hours, i),
                unmet_cost=_row(t.unmet_cost, i)) for t in flex.stress)))


def cost_alternatives(scenario: Scenario, demand: Array, v: Values,
                      factors: Array) -> list[AlternativeFigures]:
    """Cost every alternative; an option on the same hours is costed once and reused."""
    coster = Coster(scenario, demand, v, factors)
    alts = alternatives(scenario)
    coster.prefetch_full(alts)
    return [coster.cost(alt) for alt in alts]


def _each(x: Array, rows: int) -> Array:
    """``x`` with a value per row (``np.broadcast_to`` costs 6 µs, needed or not)."""
    return x if x.shape == (rows,) else np.broadcast_to(x, (rows,))


def _has_staff(option: AnyOption) -> bool:
    """Does the option employ people today (an in-house team's ``existing_fte``)?"""
    return float(getattr(option, "existing_fte", 0.0)) > 0


def _add(arrays: Sequence[Array]) -> Array:
    """The sum, starting from the first (one part gives exactly its own figures)."""
    total = arrays[0]
    for a in arrays[1:]:
        total = total + a
    return total


#: The costing of an alternative of several parts: its parts hold the monthly lines.
_NO_COSTING = Costing({}, NO_MONTHS.astype(bool), NO_MONTHS, NO_MONTHS)


def combine(alt: Alternative, parts: tuple[Part, ...], demand: Array,
            lean: bool = False) -> AlternativeFigures:
    """An alternative's figures: the sums of its parts' (and hour-weighted flexibility).

    ``lean``: the parts are lean (``cost_option(lean=True)``): only the sums a decision
    reads are made (the metrics and risks per trial, not the monthly lines).
    """
    figures = [p.figures for p in parts]
    total = _add([f.total_cost for f in figures])
    hours = NOT_COSTED if lean else add_up(demand, 1)  # a decision does not read it
    # What a decision reads: the same sums in a lean and in a full costing.
    sums: dict[str, Any] = {"option": alt.option if alt.option is not None else parts[0].option,
            "hours": hours,
            "infeasible_reasons": tuple(r for f in figures for r in f.infeasible_reasons),
            "total_cost": total,
            "npv": _add([f.npv for f in figures]),
            "risk_cost": _add([f.risk_cost for f in figures]),
            "risk_adjusted_total": _add([f.risk_adjusted_total for f in figures]),
            "risk_adjusted_npv": _add([f.risk_adjusted_npv for f in figures])}
    if lean:
        unmet_total = _add([f.unmet_hours for f in figures])
        zero, blank = np.zeros(1), np.zeros((1, demand.shape[1]))
        lean_figures = OptionFigures(
            **sums, costing=figures[0].costing if len(figures) == 1 else _NO_COSTING,
            unmet_hours=unmet_total, lines={}, monthly=blank, one_time_cost=zero,
            recurring_cost=total, cost_per_hour=zero, flexibility=figures[0].flexibility)
        return AlternativeFigures(alt, parts, lean_figures, unmet_total)
    # A team wound down with no work shows only what it costs (its severance), not a
    # row of zero salaries beside a vendor.
    shown = [set(f.lines) if (f.hours > 0).any() else {n for n, a in f.lines.items() if a.any()}
             for f in figures]
    names = [n for n in LINE_NAMES if any(n in s for s in shown)]
    lines = {n: _add([f.lines[n] for f in figures if n in f.lines]) for n in names}
    unmet_total = add_up(_add([f.costing.unmet_hours for f in figures]), 1)
    # Nothing reads an alternative's monthly lines, only its parts' (explain) and its
    # sums: as in a lean costing, several parts' costing is a placeholder.
    combined = OptionFigures(
        **sums,
        costing=figures[0].costing if len(figures) == 1 else _NO_COSTING,
        unmet_hours=unmet_total,
        lines=lines,
        monthly=_add([f.monthly for f in figures]),
        one_time_cost=_add([f.one_time_cost for f in figures]),
        recurring_cost=_add([f.recurring_cost for f in figures]),
        cost_per_hour=np.divide(total, hours, out=np.zeros_like(total), where=hours != 0),
        flexibility=_flexibility(figures),
    )
    return AlternativeFigures(alt, parts, combined, unmet_total)


def _flexibility(figures: Sequence[OptionFigures]) -> FlexibilityFigures:
    """Lead, lag and cost to shed: hour-weighted means; exit cost and stress tests: sums.

    Stress tests are exact: each part was re-costed under the stressed demand
    of its own work, and the shock multiplies every item alike.
    """
    if len(figures) == 1:
        return figures[0].flexibility
    hours = _add([f.hours for f in figures])
    weights = [np.divide(f.hours, hours, out=np.zeros_like(hours), where=hours != 0)
               for f in figures]

    def mean(get: str) -> Array:
        return _add([w * getattr(f.flexibility, get) for w, f in zip(weights, figures,
                                                                       strict=True)])

    flex = [f.flexibility for f in figures]
    stress = tuple(
        StressFigures(
            name=tests[0].name,
            total_cost=_add([t.total_cost for t in tests]),
            npv=_add([t.npv for t in tests]),
            delta_vs_base=_add([t.delta_vs_base for t in tests]),
            unmet_hours=_add([t.unmet_hours for t in tests]),
            unmet_cost=_add([t.unmet_cost for t in tests]),
        ) for tests in zip(*(f.stress for f in flex), strict=True))
    return FlexibilityFigures(
        scale_up_lead_months=mean("scale_up_lead_months"),
        scale_down_lag_months=mean("scale_down_lag_months"),
        cost_to_shed_fte=mean("cost_to_shed_fte"),
        exit_cost=_add([f.exit_cost for f in flex]),
        stress=stress,
    )


def summarise_alternative(f: AlternativeFigures) -> OptionResult:
    """The result renderers read: the sums, with the plan's assignment and its parts."""
    alt = f.alternative
    by_option = MappingProxyType({
        p.option.name: PartResult(
            lines=MappingProxyType({n: scalar(a) for n, a in p.figures.lines.items()}),
            total_cost=scalar(p.figures.total_cost), npv=scalar(p.figures.npv))
        for p in f.parts})
    assign = MappingProxyType({w: MappingProxyType(dict(to)) for w, to in alt.assign.items()})
    changes: dict[str, Any] = {"kind": alt.kind, "assign": assign, "by_option": by_option,
                               "unmet_hours": scalar(f.unmet_hours)}
    if alt.kind == "plan":
        changes.update(name=alt.name, model="plan", provider=None, location=None)
    return summarise(f.combined, **changes)


def part_amount(figures: OptionFigures, metric: str, threshold_base: str,
                factors: Array) -> Array:
    """A part's threshold base, per trial: its metric, or its salaries and benefits.

    Personnel cost is discounted like the metric (not at all for ``total``).
    """
    if threshold_base == "personnel":
        lines = figures.costing.lines
        pay = np.zeros_like(figures.monthly)
        for name in PERSONNEL_LINES:
            if name in lines:
                pay = pay + lines[name]
        return pay.sum(axis=1) if metric == "total" else npv(pay, factors)
    return metric_of(figures, metric)


def part_metrics(f: AlternativeFigures, options: Sequence[AnyOption], metric: str,
                 threshold_base: str, factors: Array) -> list[Array]:
    """``M_X(o)`` for every option, in file order: its part's threshold amount, 0 without one."""
    by_name = {p.option.name: p.figures for p in f.parts}
    zero = np.zeros_like(f.combined.total_cost)
    return [part_amount(by_name[o.name], metric, threshold_base, factors)
            if o.name in by_name else zero for o in options]


def avoidable(alternative: Sequence[Array], baseline: Sequence[Array]) -> Array:
    """``Σ_o max(0, M_B(o) − M_A(o))``: what ``B`` spends that ``A`` no longer spends.

    Methodology 3, point 1: the threshold base, measured exactly like the
    savings. Summed in file order from zero, the one order the search uses too.
    """
    total = np.zeros_like(alternative[0])
    for a, b in zip(alternative, baseline, strict=True):
        total = total + np.maximum(b - a, 0.0)
    return total


def moved_items(assign: Assign, base: Assign, work: Sequence[str]) -> list[str]:
    """The work items whose shares in ``assign`` differ from the baseline's."""
    return [w for w in work if not same_shares(assign[w], base[w])]


def same_shares(a: Mapping[str, float], b: Mapping[str, float]) -> bool:
    """Do two assignments of one item give every option the same share (up to noise)?"""
    return all(abs(float(a.get(o, 0.0)) - float(b.get(o, 0.0))) <= 1e-9
               for o in set(a) | set(b))


#: Scores a plan takes from its weakest working part (methodology 3, point 10): one
#: offshore part exposes the data; the others are hour-weighted means.
WEAKEST_LINK = frozenset({"control", "ip_security"})


def plan_scores(scenario: Scenario, figures: Sequence[AlternativeFigures]) -> dict[
        str, dict[str, float]]:
    """A plan's qualitative scores from its parts that hold work: control and IP security
    the minimum (the weakest link), quality and communication the hour-weighted mean."""
    out: dict[str, dict[str, float]] = {}
    for f in figures:
        if f.alternative.kind != "plan":
            continue
        working = [(p.option, scalar(p.figures.hours)) for p in f.parts]
        working = [(o, h) for o, h in working if h > 0]
        hours = sum(h for _, h in working)
        scores: dict[str, float] = {}
        for c in CRITERIA:
            given = [(getattr(o.scores, c, None) if o.scores else None, h) for o, h in working]
            if hours > 0 and all(s is not None for s, _ in given):
                values = [(float(s), h) for s, h in given if s is not None]
                scores[c] = (min(s for s, _ in values) if c in WEAKEST_LINK
                             else sum(s * h for s, h in values) / hours)
        out[f.alternative.name] = scores
    return out
