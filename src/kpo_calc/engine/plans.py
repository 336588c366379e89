"""Alternatives as plans: every option alone, and every declared plan (design section 7).

An alternative assigns each work item to options by shares (an option alone
gives itself share 1 of everything). It is costed as the sum of its parts:
each option on its own demand ``D_o,m = Σ_w share(w,o) · D_w,m`` with
``cost_option``; lines, months and totals add up. An option with no demand
costs nothing, except an in-house option with ``existing_fte > 0``: today's
staff take part in every alternative, and the ones it does not need are
released with severance (costing it on zero demand does exactly that).

The threshold of a partial move (``moved_base``) and a plan's scorecard
scores are here too, so the rest of the engine stays as it was for options.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

import numpy as np

from kpo_calc.engine.costing import Costing
from kpo_calc.engine.demand import work_hours
from kpo_calc.engine.figures import OptionFigures, cost_option, scalar, summarise
from kpo_calc.engine.finance import npv
from kpo_calc.engine.flexibility import FlexibilityFigures, StressFigures
from kpo_calc.engine.lines import LINE_NAMES
from kpo_calc.engine.models import AnyOption
from kpo_calc.engine.results import OptionResult, PartResult
from kpo_calc.engine.values import Array, Values
from kpo_calc.scenario import CRITERIA, Scenario

#: {work: {option: share}}
Assign = Mapping[str, Mapping[str, float]]


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


def option_shares(assign: Assign, option: str, work: Sequence[str]) -> tuple[float, ...]:
    """The share of each work item (in file order) that ``assign`` gives ``option``."""
    return tuple(float(assign.get(w, {}).get(option, 0.0)) for w in work)


def cost_alternatives(scenario: Scenario, demand: Array, v: Values,
                      factors: Array) -> list[AlternativeFigures]:
    """Cost every alternative; an option on the same hours is costed once and reused."""
    names = [w.name for w in scenario.work]
    per_work = [work_hours(w, scenario, v) for w in scenario.work]
    cache: dict[tuple[str, tuple[float, ...]], OptionFigures] = {}

    def part(option: AnyOption, shares: tuple[float, ...]) -> OptionFigures:
        key = (option.name, shares)
        figures = cache.get(key)
        if figures is None:
            if all(s == 1.0 for s in shares):
                hours = demand  # all the work: exactly the scenario's total demand
            else:
                hours = np.zeros_like(demand)
                for share, item in zip(shares, per_work, strict=True):
                    if share:
                        hours = hours + share * item
            served = [w for w, s in zip(scenario.work, shares, strict=True) if s > 0]
            figures = cost_option(option, scenario, hours, v, work=served, factors=factors)
            cache[key] = figures
        return figures

    out = []
    for alt in alternatives(scenario):
        parts = []
        for option in scenario.options:
            shares = option_shares(alt.assign, option.name, names)
            if any(shares) or _has_staff(option):
                parts.append(Part(option, part(option, shares)))
        out.append(combine(alt, tuple(parts), demand))
    return out


def _has_staff(option: AnyOption) -> bool:
    """Does the option employ people today (an in-house team's ``existing_fte``)?"""
    return float(getattr(option, "existing_fte", 0.0)) > 0


def _add(arrays: Sequence[Array]) -> Array:
    """The sum, starting from the first (one part gives exactly its own figures)."""
    total = arrays[0]
    for a in arrays[1:]:
        total = total + a
    return total


def combine(alt: Alternative, parts: tuple[Part, ...], demand: Array) -> AlternativeFigures:
    """An alternative's figures: the sums of its parts' (and hour-weighted flexibility)."""
    figures = [p.figures for p in parts]
    # A team wound down with no work shows only what it costs (its severance), not a
    # row of zero salaries beside a vendor.
    shown = [{n for n, a in f.lines.items() if np.any(f.hours > 0) or np.any(a != 0)}
             for f in figures]
    names = [n for n in LINE_NAMES if any(n in s for s in shown)]
    lines = {n: _add([f.lines[n] for f in figures if n in f.lines]) for n in names}
    monthly_lines = {n: _add([f.costing.lines[n] for f in figures if n in f.costing.lines])
                     for n in names}
    total = _add([f.total_cost for f in figures])
    hours = demand.sum(axis=1)
    reasons = tuple(r for f in figures for r in f.infeasible_reasons)
    unmet = _add([f.costing.unmet_hours for f in figures])
    costing = Costing(monthly_lines, np.asarray(_add([f.costing.active.astype(np.float64)
                                                      for f in figures]) > 0),
                      unmet, np.zeros_like(demand))
    combined = OptionFigures(
        option=alt.option if alt.option is not None else parts[0].option,
        costing=costing,
        hours=hours,
        unmet_hours=unmet.sum(axis=1),
        infeasible_reasons=reasons,
        lines=lines,
        monthly=_add([f.monthly for f in figures]),
        one_time_cost=_add([f.one_time_cost for f in figures]),
        recurring_cost=_add([f.recurring_cost for f in figures]),
        total_cost=total,
        npv=_add([f.npv for f in figures]),
        risk_cost=_add([f.risk_cost for f in figures]),
        risk_adjusted_total=_add([f.risk_adjusted_total for f in figures]),
        risk_adjusted_npv=_add([f.risk_adjusted_npv for f in figures]),
        cost_per_hour=np.divide(total, hours, out=np.zeros_like(total), where=hours != 0),
        flexibility=_flexibility(figures),
    )
    return AlternativeFigures(alt, parts, combined, unmet.sum(axis=1))


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
    result = summarise(f.combined)
    alt = f.alternative
    by_option = MappingProxyType({
        p.option.name: PartResult(
            lines=MappingProxyType({n: scalar(a) for n, a in p.figures.lines.items()}),
            total_cost=scalar(p.figures.total_cost), npv=scalar(p.figures.npv))
        for p in f.parts})
    assign = MappingProxyType({w: MappingProxyType(dict(to)) for w, to in alt.assign.items()})
    result = replace(result, kind=alt.kind, assign=assign, by_option=by_option,
                     unmet_hours=scalar(f.unmet_hours))
    if alt.kind == "plan":
        result = replace(result, name=alt.name, model="plan", provider=None, location=None)
    return result


def part_amount(figures: OptionFigures, metric: str, threshold_base: str,
                factors: Array) -> Array:
    """A part's threshold base, per trial: its metric, or its salaries and benefits.

    Personnel cost is discounted like the metric (not at all for ``total``).
    """
    if threshold_base == "personnel":
        lines = figures.costing.lines
        pay = np.zeros_like(figures.monthly)
        for name in ("salaries", "benefits"):
            if name in lines:
                pay = pay + lines[name]
        return pay.sum(axis=1) if metric == "total" else npv(pay, factors)
    if metric == "total":
        return figures.total_cost
    return figures.npv if metric == "npv" else figures.risk_adjusted_npv


def moved_base(baseline: AlternativeFigures, alt: Assign, scenario: Scenario, metric: str,
               threshold_base: str, factors: Array, v: Values) -> float | None:
    """The baseline's metric (or personnel cost) of the work ``alt`` assigns differently.

    Each baseline part's amount is shared over its work by hours; a part with no
    work (today's staff released) is shared over all work by hours. Item ``w``
    moves ``1 − Σ_o min(share_A, share_B)`` of its hours. None when everything
    moves and the base is cost: the whole baseline metric, as in v1.
    """
    names = [w.name for w in scenario.work]
    base_assign = baseline.alternative.assign
    moved = [1.0 - sum(min(float(alt[w].get(o, 0.0)), float(s))
                       for o, s in base_assign[w].items()) for w in names]
    if threshold_base == "cost" and all(m >= 1.0 - 1e-12 for m in moved):
        return None
    item_hours = [work_hours(w, scenario, v).sum(axis=1) for w in scenario.work]
    all_hours = _add(item_hours)
    value = np.zeros(v.trials)
    for p in baseline.parts:
        amount = part_amount(p.figures, metric, threshold_base, factors)
        shares = option_shares(base_assign, p.option.name, names)
        part_hours = p.figures.hours
        for w, share in enumerate(shares):
            if not any(shares):  # no work: spread over all work by hours
                portion = np.divide(item_hours[w], all_hours, out=np.zeros_like(all_hours),
                                    where=all_hours != 0)
            else:
                portion = np.divide(share * item_hours[w], part_hours,
                                    out=np.zeros_like(part_hours), where=part_hours != 0)
            value = value + moved[w] * portion * amount
    return scalar(value)


def plan_scores(scenario: Scenario, figures: Sequence[AlternativeFigures]) -> dict[
        str, dict[str, float]]:
    """A plan's qualitative scores: the hour-weighted means of its working parts' scores."""
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
                scores[c] = sum(float(s) * h for s, h in given if s is not None) / hours
        out[f.alternative.name] = scores
    return out
