"""Warnings about valid scenarios that probably do not say what their author meant.

They never stop a computation (exit code stays 0); they point at the field to
look at, like the errors do.
"""

from __future__ import annotations

import math

from kpo_calc.scenario import InHouseOption, Issue, OutsourcedOption, Scenario


def advise(s: Scenario) -> list[Issue]:
    """Every warning for ``s``, with the path of the field it is about."""
    return [*_unused_fx(s), *_hidden_costs(s), *_unpriced_lead_time(s), *_unpriced_unmet(s),
            *_scores_without_weights(s)]


def _unused_fx(s: Scenario) -> list[Issue]:
    used = {o.currency for o in s.options}
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
    from kpo_calc.engine.demand import total_demand  # numpy only when there is a question
    from kpo_calc.engine.in_house import lead_time_cap, planned_headcount
    from kpo_calc.engine.values import POINT_VALUES as v

    demand = total_demand(s, v)
    hpf = v(s.hours_per_fte_month)
    out: list[Issue] = []
    for i, o in enumerate(s.options):
        if not isinstance(o, InHouseOption):
            continue
        _, unmet = lead_time_cap(o, demand, planned_headcount(o, demand, hpf), hpf, v)
        hours = float(unmet.sum())
        if hours > 0.005:
            start = 1 + math.ceil(o.time_to_hire_months - 1e-9)
            out.append((("options", i, "time_to_hire_months"),
                        f"{o.name} can add staff only from month {start}: {hours:,.0f} hours "
                        "of demand before then go unmet and cost nothing, which flatters it; "
                        "set unmet_hour_cost to price an hour of demand served late"))
    return out


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
