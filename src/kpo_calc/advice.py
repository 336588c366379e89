"""Warnings about valid scenarios that probably do not say what their author meant.

They never stop a computation (exit code stays 0); they point at the field to
look at, like the errors do.
"""

from __future__ import annotations

import math

from kpo_calc.scenario import (
    AnyOption,
    ContractorOption,
    InHouseOption,
    Issue,
    OutsourcedOption,
    Scenario,
)


def advise(s: Scenario) -> list[Issue]:
    """Every warning for ``s``, with the path of the field it is about."""
    return [*_unused_fx(s), *_hidden_costs(s), *_unpriced_lead_time(s), *_unpriced_unmet(s),
            *_scores_without_weights(s), *_implausible_costs(s)]


def _unused_fx(s: Scenario) -> list[Issue]:
    used = {o.currency for o in s.options}
    used |= {c.currency for o in s.options for c in o.other_costs}
    used |= {code for t in s.stress for code in t.fx}
    return [(("fx", code), f"no option is priced in {code}; remove the entry or set an "
             "option's currency") for code in s.fx if code not in used and code != s.currency]


def _hidden_costs(s: Scenario) -> list[Issue]:
    out: list[Issue] = []
    for i, o in enumerate(s.options):
        if (isinstance(o, OutsourcedOption) and o.vendor_selection_cost == 0
                and o.transition is None and o.governance_rate == 0):
            out.append((("options", i, "name"), f"{o.name} has no vendor selection, transition "
                        "or governance cost: these hidden costs of outsourcing (Barthelemy) "
                        "are often 10-30% of the contract, so the comparison flatters it"))
    return out


def _unpriced_lead_time(s: Scenario) -> list[Issue]:
    """In-house options that cannot hire in time, when the hours they miss have no price.

    Methodology 2 books no staff before month ``1 + ceil(time_to_hire_months)``
    beyond those already employed; the demand above them is unmet, and without
    ``unmet_hour_cost`` that costs nothing, which flatters the option.
    """
    if s.unmet_hour_cost is not None:
        return []
    import numpy as np  # only when there is a question

    from kpo_calc.engine.demand import hours_per_fte, work_hours
    from kpo_calc.engine.in_house import lead_time_cap, planned_headcount
    from kpo_calc.engine.values import POINT_VALUES as v

    out: list[Issue] = []
    for i, o in enumerate(s.options):
        if isinstance(o, ContractorOption) and o.lead_months > 0:
            start = 1 + math.ceil(o.lead_months - 1e-9)
            out.append((("options", i, "lead_months"),
                        f"{o.name} can start only in month {start}: the demand before then "
                        "goes unmet and costs nothing, which flatters it; set unmet_hour_cost "
                        "to price an hour of demand served late"))
            continue
        if not isinstance(o, InHouseOption):
            continue
        hpf = hours_per_fte(o, s, v)
        # A team hires only for the work it may do (`serves`), as when it does all of it.
        mine = [w for w in s.work if o.serves is None or w.name in o.serves]
        if not mine:
            continue
        # A warning never stops a run, not even on values past the bounds (overflow).
        with np.errstate(all="ignore"):
            demand = sum((work_hours(w, s, v) for w in mine), start=np.zeros((1, 1)))
            _, unmet = lead_time_cap(o, demand, planned_headcount(o, demand, hpf), hpf, v)
        hours = float(unmet.sum())
        if hours > 0.005:
            start = 1 + math.ceil(o.time_to_hire_months - 1e-9)
            out.append((("options", i, "time_to_hire_months"),
                        f"{o.name} can add staff only from month {start}: {hours:,.0f} hours "
                        "of demand before then go unmet and cost nothing, which flatters it; "
                        "set unmet_hour_cost to price an hour of demand served late"))
    return out


#: How far apart (either way) an option's loaded hourly cost may be from the others'
#: before it looks like a unit or exchange-rate mistake rather than a real price gap.
#: Onshore against offshore is about 3-8x; a monthly salary typed as annual is 12x.
IMPLAUSIBLE_RATIO = 10.0


def loaded_hourly_cost(o: AnyOption, s: Scenario) -> float:
    """The cost of one hour of delivered work, in the scenario currency.

    In-house: ``(annual_salary * (1 + benefits_rate) + overhead + training) / 12 /
    hours_per_fte_month * fx``; outsourced: ``hourly_rate * fx / productivity``, with
    ``fte_monthly_rate / hours_per_fte_month`` as the hourly rate when given.
    """
    fx = s.fx_rate(o.currency)
    if isinstance(o, InHouseOption):
        yearly = (o.annual_salary * (1 + o.benefits_rate) + o.overhead_per_fte_year
                  + o.annual_training_per_fte)
        return yearly / 12 / (o.hours_per_fte_month or s.hours_per_fte_month) * fx
    hpf = s.hours_per_fte_month
    if isinstance(o, ContractorOption):
        hpf = o.hours_per_fte_month or hpf
    rate = o.hourly_rate if o.hourly_rate is not None else (o.fte_monthly_rate or 0) / hpf
    return rate * fx / o.productivity


def _implausible_costs(s: Scenario) -> list[Issue]:
    """Options whose hourly cost is about 10x away from the median of the others."""
    costs = [loaded_hourly_cost(o, s) for o in s.options]
    out: list[Issue] = []
    for i, (o, cost) in enumerate(zip(s.options, costs, strict=True)):
        others = sorted(c for j, c in enumerate(costs) if j != i)
        if not others:
            continue
        middle = len(others) // 2
        reference = others[middle] if len(others) % 2 else (others[middle - 1]
                                                            + others[middle]) / 2
        ratio = cost / reference if reference > 0 else math.nan
        # out of range (no finite, positive ratio) or plausible: nothing to say
        if not 0 < ratio < math.inf or 1 / IMPLAUSIBLE_RATIO < ratio < IMPLAUSIBLE_RATIO:
            continue
        higher = ratio > 1
        factor = ratio if higher else 1 / ratio
        field, checks = _cost_checks(o, s, higher)
        times = f"{factor:,.0f}x" if factor < 1e6 else f"{factor:.1e}x"  # never 299 digits
        out.append((("options", i, field),
                    f"{o.name} costs {_amount(cost)} {s.currency} per delivered hour, "
                    f"{times} {'more' if higher else 'less'} than "
                    f"{_others(s, i, reference)}; check {'; '.join(checks)}"))
    return out


def _others(s: Scenario, index: int, reference: float) -> str:
    if len(s.options) == 2:
        return f"{s.options[1 - index].name} ({_amount(reference)})"
    return f"the median of the other options ({_amount(reference)})"


def _amount(value: float) -> str:
    if value >= 1e12:
        return f"{value:.3g}"
    if value >= 1e6:
        return f"{value:,.0f}"
    return f"{value:,.2f}" if value >= 1 else f"{value:.2g}"


def _cost_checks(o: AnyOption, s: Scenario,
                 higher: bool) -> tuple[str, list[str]]:
    """The field to point at and the likely mistakes, for a cost too high or too low."""
    checks: list[str] = []
    if isinstance(o, InHouseOption):
        field = "annual_salary"
        checks.append("annual_salary is per year (" + (
            "a monthly salary typed as annual?)" if not higher else
            "in the option's currency, not in cents or thousands?)"))
    elif o.hourly_rate is not None:
        field = "hourly_rate"
        checks.append("hourly_rate is per hour (" + (
            "a daily or monthly rate?)" if higher else "a rate in thousands?)")
                      + "; use fte_monthly_rate for a price per person a month")
    else:
        field = "fte_monthly_rate"
        checks.append("fte_monthly_rate is per person a month of hours_per_fte_month hours"
                      + (" (an hourly rate typed here?)" if not higher else " (an annual price?)"))
    if o.currency is not None and o.currency != s.currency:
        checks.append(f"fx.{o.currency} is {s.currency} per 1 {o.currency}; did you write "
                      f"{o.currency} per {s.currency}?")
    return field, checks


def _unpriced_unmet(s: Scenario) -> list[Issue]:
    if s.stress and s.unmet_hour_cost is None:
        return [(("stress",), "unmet hours in stress tests are counted but not costed; set "
                 "unmet_hour_cost to price an hour of demand served late")]
    return []


def _scores_without_weights(s: Scenario) -> list[Issue]:
    if s.decision.weights is None and any(o.scores is not None for o in s.options):
        first = next(i for i, o in enumerate(s.options) if o.scores is not None)
        return [(("options", first, "scores"), "options carry scores but decision.weights is "
                 "not set, so there is no scorecard")]
    return []
