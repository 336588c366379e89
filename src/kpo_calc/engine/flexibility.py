"""Flexibility: lead and lag times, the cost of shedding capacity, and stress tests.

Every figure keeps its trials axis, ``(trials,)``; ``figures.summarise`` is
the one step that reduces it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kpo_calc.engine.costing import Costing
from kpo_calc.engine.finance import add_up, npv
from kpo_calc.engine.models import AnyOption, cost_model
from kpo_calc.engine.values import Array, Values
from kpo_calc.scenario import Scenario, StressTest


@dataclass(frozen=True)
class StressFigures:
    """One option under one stress test, per trial (see ``results.StressResult``)."""

    name: str
    total_cost: Array
    npv: Array
    delta_vs_base: Array
    unmet_hours: Array
    unmet_cost: Array


@dataclass(frozen=True)
class FlexibilityFigures:
    """How easily an option follows demand, per trial (see ``results.Flexibility``)."""

    scale_up_lead_months: Array
    scale_down_lag_months: Array
    cost_to_shed_fte: Array
    exit_cost: Array
    stress: tuple[StressFigures, ...]


_ZERO = np.zeros(1)
_ZERO.flags.writeable = False
#: The flexibility figures of a lean costing (``cost_option(lean=True)``): not computed.
NO_FLEXIBILITY = FlexibilityFigures(_ZERO, _ZERO, _ZERO, _ZERO, ())


def flexibility(option: AnyOption, planned: Costing, scenario: Scenario, demand: Array,
                factors: Array, v: Values, affected: Sequence[Array | None] | None = None,
                with_stress: bool = True) -> FlexibilityFigures:
    """Lead and lag times, cost to shed one FTE, exit cost and every stress test.

    ``demand`` is the option's own planned demand: the stress tests shock it
    (``affected[i]``: the part of it that test ``i`` changes, None for all).
    Without ``with_stress`` the tests are left out (``mix`` ranks plans on
    their planned costs and stresses only its finalists).
    """
    model = cost_model(option)
    planned_total = add_up(planned.total, 1)
    tests = scenario.stress if with_stress else []
    parts = affected if affected is not None and with_stress else [None] * len(tests)
    return FlexibilityFigures(
        scale_up_lead_months=model.scale_up_lead_months(option, v)[:, 0],
        scale_down_lag_months=model.scale_down_lag_months(option, v)[:, 0],
        cost_to_shed_fte=model.cost_to_shed_fte(option, scenario, v)[:, 0],
        exit_cost=model.exit_cost(option, planned, scenario, v)[:, 0],
        stress=_stresses(option, scenario, demand, list(tests), planned_total, factors, v,
                         list(parts)),
    )


def _stresses(option: AnyOption, scenario: Scenario, demand: Array, tests: list[StressTest],
              planned_total: Array, factors: Array, v: Values,
              affected: list[Array | None]) -> tuple[StressFigures, ...]:
    """Every stress test's figures, in order. In a point run the tests that move no
    exchange rate are costed together, as the rows of one costing
    (``CostModel.stressed_together``: the same numbers, one pass instead of one a test)."""
    together = [i for i, test in enumerate(tests) if not any(test.fx.values())]
    if v.trials != 1 or len(together) < 2:
        return tuple(_stress(option, scenario, demand, test, planned_total, factors, v, part)
                     for test, part in zip(tests, affected, strict=True))
    costing = cost_model(option).stressed_together(
        option, scenario, demand, [tests[i] for i in together], v,
        [affected[i] for i in together])
    rows = demand.shape[0]
    size = rows * len(together)

    def each(x: Array) -> Array:  # a row per test and part (as the stressed demand has)
        return x if x.shape == (size,) else np.broadcast_to(x, (size,))

    monthly = costing.total
    totals, present = each(add_up(monthly, 1)), each(npv(monthly, factors))
    unmet_hours = each(add_up(costing.unmet_hours, 1))
    unmet_cost = each(add_up(costing.lines["unmet_work"], 1))
    found = {}
    for k, i in enumerate(together):
        block = slice(k * rows, (k + 1) * rows)
        total = totals[block]
        found[i] = StressFigures(name=tests[i].name, total_cost=total, npv=present[block],
                                 delta_vs_base=total - planned_total,
                                 unmet_hours=unmet_hours[block],
                                 unmet_cost=unmet_cost[block])
    return tuple(found[i] if i in found else
                 _stress(option, scenario, demand, test, planned_total, factors, v, part)
                 for i, (test, part) in enumerate(zip(tests, affected, strict=True)))


def _stress(option: AnyOption, scenario: Scenario, demand: Array, test: StressTest,
            planned_total: Array, factors: Array, v: Values,
            affected: Array | None) -> StressFigures:
    costing = cost_model(option).stressed(option, scenario, demand, test, v, affected)
    # Unmet hours are priced by the model, in its unmet_work line.
    unmet_cost = costing.lines["unmet_work"]
    monthly = costing.total
    total = add_up(monthly, 1)
    return StressFigures(
        name=test.name,
        total_cost=total,
        npv=npv(monthly, factors),
        delta_vs_base=total - planned_total,
        unmet_hours=add_up(costing.unmet_hours, 1),
        unmet_cost=add_up(unmet_cost, 1),
    )
