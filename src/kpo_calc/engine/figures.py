"""One option costed on a given demand, per trial; and the one step that summarises trials.

``cost_option`` is the entry point a plan needs (design section 7): it costs
an option on any demand path ``D_o,m`` (the scenario's total demand when the
option does all the work, or the share a plan gives it), so a plan is the sum
of its parts. Every figure keeps the trials axis; ``summarise`` reduces it
once, to the ``OptionResult`` that renderers read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from kpo_calc.engine.costing import Costing
from kpo_calc.engine.finance import add_up, discount_factors, npv
from kpo_calc.engine.flexibility import NO_FLEXIBILITY, FlexibilityFigures, flexibility
from kpo_calc.engine.lines import ONE_TIME_LINES
from kpo_calc.engine.models import AnyOption, cost_model
from kpo_calc.engine.outsourced import engaged_months, first_months
from kpo_calc.engine.results import Flexibility, OptionResult, StressResult
from kpo_calc.engine.values import Array, Values
from kpo_calc.scenario import OneOffWork, RecurringWork, Scenario, option_specialization_gap


@dataclass(frozen=True)
class OptionFigures:
    """One option's figures before summarising: ``(trials,)``, monthly ``(trials, horizon)``."""

    option: AnyOption
    costing: Costing
    #: hours of demand the option was costed on, per trial
    hours: Array
    #: hours of that demand the option could not serve in time, per trial
    unmet_hours: Array
    infeasible_reasons: tuple[str, ...]
    lines: dict[str, Array]
    monthly: Array
    one_time_cost: Array
    recurring_cost: Array
    total_cost: Array
    npv: Array
    risk_cost: Array
    risk_adjusted_total: Array
    risk_adjusted_npv: Array
    cost_per_hour: Array
    flexibility: FlexibilityFigures


def cost_option(option: AnyOption, scenario: Scenario, demand: Array, v: Values,
                work: Sequence[RecurringWork | OneOffWork] | None = None,
                factors: Array | None = None, affected: Sequence[Array | None] | None = None,
                with_stress: bool = True, lean: bool = False,
                metric: str | None = None) -> OptionFigures:
    """Cost ``option`` on ``demand`` (``(trials, horizon)`` hours it is given).

    ``work`` is the work those hours come from (default: all the scenario's
    work), for the feasibility check; ``factors`` the discount factors, when
    the caller already has them; ``affected`` the part of ``demand`` each
    stress test changes (None: all of it); ``with_stress`` False leaves the
    stress tests out. ``lean``: only what a decision reads (the metric's monthly cost,
    the risks and the monthly lines), for a run over many trials: no stress tests, no
    flexibility figures (zeros) and no line totals (the same cost models compute the
    same lines; their sums over months are left undone). ``metric`` with ``lean``: only
    that decision metric's figure is summed (the other sums are ``NOT_COSTED``); a
    decision over trials reads it and each part's threshold amount, nothing else.
    """
    if factors is None:
        factors = discount_factors(v(scenario, "discount_rate"), scenario.horizon_months)
    model = cost_model(option)
    costing = model.planned(option, scenario, demand, v)
    if lean:  # a decision reads the lines only: the drivers are not kept (memory per chunk)
        costing = replace(costing, drivers={})
    served = list(scenario.work) if work is None else list(work)
    if lean and metric is not None:
        return _decision_figures(option, costing, demand, v, factors, metric,
                                 tuple(option_specialization_gap(option, served)))
    lines = {} if lean else {name: add_up(costing.lines[name], 1) for name in costing.lines}
    monthly = costing.total
    one_time = np.asarray(sum((amount for name, amount in lines.items()
                               if name in ONE_TIME_LINES), start=np.zeros(1)))
    total = add_up(monthly, 1)
    risk_monthly = expected_losses(option, demand, v)
    risk_cost = add_up(risk_monthly, 1)
    present = npv(monthly, factors)
    hours = add_up(demand, 1)
    per_hour = np.divide(total, hours, out=np.zeros_like(total), where=hours != 0)
    return OptionFigures(
        option=option,
        costing=costing,
        hours=hours,
        unmet_hours=add_up(costing.unmet_hours, 1),
        infeasible_reasons=tuple(option_specialization_gap(option, served)),
        lines=lines,
        monthly=monthly,
        one_time_cost=one_time,
        recurring_cost=total - one_time,
        total_cost=total,
        npv=present,
        risk_cost=risk_cost,
        risk_adjusted_total=total + risk_cost,
        risk_adjusted_npv=present + npv(risk_monthly, factors),
        cost_per_hour=per_hour,
        flexibility=NO_FLEXIBILITY if lean else flexibility(
            option, costing, scenario, demand, factors, v, affected, with_stress),
    )


#: A figure a lean costing for one metric leaves out (``cost_option(metric=...)``).
NOT_COSTED = np.zeros(1)
NOT_COSTED.flags.writeable = False
#: No months: the monthly arrays of a costing whose lines are kept elsewhere (read-only).
NO_MONTHS = np.zeros((1, 1))
NO_MONTHS.flags.writeable = False
#: The lines of the personnel threshold base (``plans.part_amount``).
PERSONNEL_LINES = ("salaries", "benefits")


def _decision_figures(option: AnyOption, costing: Costing, demand: Array, v: Values,
                      factors: Array, metric: str, reasons: tuple[str, ...]) -> OptionFigures:
    """A lean costing's figures for ``metric`` alone: each a sum over months (a pass over
    every trial and month) that only another metric, or a report, would read is left
    out. The figures made are made as in a full costing."""
    monthly = costing.total
    total = add_up(monthly, 1) if metric == "total" else NOT_COSTED
    present = NOT_COSTED if metric == "total" else npv(monthly, factors)
    risk_npv = (present + npv(expected_losses(option, demand, v), factors)
                if metric == "risk_adjusted_npv" else NOT_COSTED)
    # Only the lines a threshold amount reads are kept: a chunk holds every part at once,
    # and memory freed is memory the next part reuses while it is still in cache.
    kept = Costing({n: costing.lines[n] for n in PERSONNEL_LINES if n in costing.lines},
                   NO_MONTHS.astype(bool), NO_MONTHS, NO_MONTHS)
    kept.__dict__["total"] = monthly  # its cached total is the part's, not the lines kept
    return OptionFigures(
        option=option, costing=kept, hours=NOT_COSTED, unmet_hours=NOT_COSTED,
        infeasible_reasons=reasons, lines={}, monthly=monthly, one_time_cost=NOT_COSTED,
        recurring_cost=NOT_COSTED, total_cost=total, npv=present, risk_cost=NOT_COSTED,
        risk_adjusted_total=NOT_COSTED, risk_adjusted_npv=risk_npv,
        cost_per_hour=NOT_COSTED, flexibility=NO_FLEXIBILITY)


def metric_of(f: OptionFigures, metric: str) -> Array:
    """The decision metric of costed figures, per trial: ``npv``, ``total`` (the total
    cost) or ``risk_adjusted_npv``."""
    if metric == "total":
        return f.total_cost
    return f.npv if metric == "npv" else f.risk_adjusted_npv


def expected_losses(option: AnyOption, demand: Array, v: Values) -> Array:
    """Each risk's expected loss by month, ``(trials, horizon)`` (methodology 2, point 7).

    A yearly risk accrues ``annual_probability · impact / 12`` from the first
    to the last month the option has demand; a one-off exposure
    (``probability``) is booked once, in its first month with demand.
    """
    zero = np.zeros((1, 1))
    yearly = [r for r in option.risks if r.annual_probability is not None]
    single = [r for r in option.risks if r.probability is not None]
    losses = np.zeros((1, demand.shape[1]))  # no risk: nothing to spread over months
    if yearly:
        annual = sum((v(r, "annual_probability") * v(r, "impact") for r in yearly), start=zero)
        losses = losses + np.where(engaged_months(demand), annual / 12, 0.0)
    if single:
        once = sum((v(r, "probability") * v(r, "impact") for r in single), start=zero)
        losses = losses + np.where(first_months(demand), once, 0.0)
    return np.asarray(losses)


def summary(per_trial: Array) -> Array:
    """The mean over trials (axis 0), anchored at the first trial.

    ``x_0 + mean(x − x_0)`` equals the plain mean up to rounding, and gives
    exactly ``x_0`` when every trial is the same: a run of N identical
    trials reports exactly the one-trial figures.
    """
    first = per_trial[0]
    if per_trial.shape[0] == 1:  # a point run: its one trial (and no numpy mean to pay for)
        return np.asarray(first, dtype=np.float64)
    return np.asarray(first + (per_trial - first).mean(axis=0), dtype=np.float64)


def scalar(per_trial: Array) -> float:
    """``summary`` of a ``(trials,)`` figure, as a float."""
    if per_trial.shape[0] == 1:  # a point run's one trial, as ``summary`` gives it
        return float(per_trial[0])
    return float(summary(per_trial))


def summarise(f: OptionFigures, **changes: Any) -> OptionResult:
    """The one summarising step: per-trial figures to the result renderers read.

    Savings and breakeven are left at their defaults: they need the baseline.
    ``changes``: fields given instead of the option's (a plan's name, kind and
    parts), as ``dataclasses.replace`` would give them, without a second result.
    """
    model = cost_model(f.option)
    flex = f.flexibility
    fields: dict[str, Any] = dict(
        name=f.option.name,
        model=f.option.model,
        provider=model.provider(f.option),
        location=model.location(f.option),
        feasible=not f.infeasible_reasons,
        infeasible_reasons=f.infeasible_reasons,
        one_time_cost=scalar(f.one_time_cost),
        recurring_cost=scalar(f.recurring_cost),
        total_cost=scalar(f.total_cost),
        npv=scalar(f.npv),
        risk_cost=scalar(f.risk_cost),
        risk_adjusted_total=scalar(f.risk_adjusted_total),
        risk_adjusted_npv=scalar(f.risk_adjusted_npv),
        cost_per_hour=scalar(f.cost_per_hour),
        unmet_hours=scalar(f.unmet_hours),
        savings_vs_baseline=0.0,
        savings_pct=0.0,
        breakeven_month=None,
        lines={name: scalar(amount) for name, amount in f.lines.items()},
        monthly=tuple(float(x) for x in summary(f.monthly)),
        flexibility=Flexibility(
            scale_up_lead_months=scalar(flex.scale_up_lead_months),
            scale_down_lag_months=scalar(flex.scale_down_lag_months),
            cost_to_shed_fte=scalar(flex.cost_to_shed_fte),
            exit_cost=scalar(flex.exit_cost),
            stress=tuple(StressResult(
                name=s.name,
                total_cost=scalar(s.total_cost),
                npv=scalar(s.npv),
                delta_vs_base=scalar(s.delta_vs_base),
                unmet_hours=scalar(s.unmet_hours),
                unmet_cost=scalar(s.unmet_cost),
            ) for s in flex.stress),
        ),
    )
    fields.update(changes)
    return OptionResult(**fields)
