"""Warnings about valid scenarios that probably do not say what their author meant.

They never stop a computation (exit code stays 0); they point at the field to
look at, like the errors do.
"""

from __future__ import annotations

import math

from kpo_calc.scenario import InHouseOption, Issue, OutsourcedOption, RecurringWork, Scenario


def advise(s: Scenario) -> list[Issue]:
    """Every warning for ``s``, with the path of the field it is about."""
    return [*_unused_fx(s), *_hidden_costs(s), *_hiring_lead_time(s), *_unpriced_unmet(s),
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


def _first_month_hours(s: Scenario, serves: list[str] | None = None) -> tuple[int, float]:
    """The first month with work and its hours (of the work in ``serves``, when given)."""
    work = [w for w in s.work if serves is None or w.name in serves]
    first = min(w.start_month for w in work)
    hours = 0.0
    for w in work:
        if w.start_month != first:
            continue
        if isinstance(w, RecurringWork):
            hours += w.hours_per_month or (w.fte or 0) * s.hours_per_fte_month
        else:
            hours += w.total_hours / w.duration_months
    return first, hours


def _hiring_lead_time(s: Scenario) -> list[Issue]:
    out: list[Issue] = []
    for i, o in enumerate(s.options):
        if not isinstance(o, InHouseOption):
            continue
        if o.serves is not None and not o.serves:
            continue
        first, hours = _first_month_hours(s, o.serves)  # a team only hires for its own work
        if o.existing_fte >= math.ceil(hours / s.hours_per_fte_month - 1e-9):
            continue
        lead = o.time_to_hire_months + o.ramp_up_months
        if lead > first - 1:
            out.append((("options", i, "time_to_hire_months"),
                        f"{o.name} needs {lead:g} months to hire and ramp up, but the work "
                        f"starts in month {first}: its costs assume the staff are in place on "
                        "time, which flatters it"))
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
