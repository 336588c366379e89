"""The recommendation, the weighted scorecard and the gates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np

from kpo_calc.engine.plans import same_shares
from kpo_calc.engine.results import (
    GateResult,
    HeldBack,
    OptionResult,
    Recommendation,
    Scorecard,
    ScoreRow,
    VerdictKind,
)
from kpo_calc.scenario import CRITERIA, Gate, Scenario

METRIC_LABELS = {"npv": "NPV", "total": "total cost", "risk_adjusted_npv": "risk-adjusted NPV"}


def savings(baseline_metric: float, option_metric: float) -> tuple[float, float]:
    """``(baseline − option, that / baseline)``: positive means the option is cheaper."""
    amount = baseline_metric - option_metric
    share = amount / baseline_metric if baseline_metric else 0.0
    return amount, share


def tolerance(baseline_metric: Any) -> Any:
    """Float noise allowed at an exact threshold: relative to the baseline's metric (a
    float, or each trial's metric as an array)."""
    if isinstance(baseline_metric, np.ndarray):
        return 1e-9 * np.maximum(1.0, np.abs(baseline_metric))
    return 1e-9 * max(1.0, abs(baseline_metric))


def clears_test(saved: Any, required: Any, amount: Any, tol: Any) -> Any:
    """The one test of methodology 3, for floats or numpy arrays alike.

    Savings must be strictly positive (an equal cost is no reason to move the
    work), reach ``required`` (min_savings of the cost avoided) and reach
    ``amount`` (min_savings_amount; 0 for a single move). ``compare`` and the
    search of ``mix`` both call it, so they agree to the last bit.
    """
    return (saved > tol) & (saved >= required - tol) & (saved >= amount - tol)


def required_of(option: OptionResult, baseline_metric: float, min_savings: float) -> float:
    """The savings ``option`` must reach: its ``required_savings``, or for a result made
    without one (a library caller's), ``min_savings`` of the whole baseline metric."""
    if option.required_savings is not None:
        return option.required_savings
    return min_savings * baseline_metric


def whole_clears(option: OptionResult, baseline_metric: float, min_savings: float,
                 min_amount: float) -> bool:
    """Does ``option`` clear as a whole (savings, threshold on the cost avoided,
    materiality), leaving its moves aside?"""
    return bool(clears_test(option.savings_vs_baseline,
                            required_of(option, baseline_metric, min_savings), min_amount,
                            tolerance(baseline_metric)))


#: Why an alternative does not clear: the first of methodology 3's checks it fails.
Shortfall = Literal["no_saving", "threshold", "amount", "move"]
#: The verdict when the cheapest alternative fails that check and nothing else clears.
SHORTFALL_KINDS: dict[Shortfall, VerdictKind] = {
    "no_saving": "baseline_cheapest", "threshold": "short_of_threshold",
    "amount": "short_of_amount", "move": "move_fails"}


def shortfall(option: OptionResult, baseline_metric: float, min_savings: float,
              min_amount: float) -> Shortfall | None:
    """Why ``option`` does not clear, checked in order: a saving at all, the threshold on
    the cost it avoids, the minimum amount, then each move; None when it clears."""
    tol = tolerance(baseline_metric)
    saved = option.savings_vs_baseline
    if saved <= tol:
        return "no_saving"
    if not clears_test(saved, required_of(option, baseline_metric, min_savings), 0.0, tol):
        return "threshold"
    if not clears_test(saved, 0.0, min_amount, tol):
        return "amount"
    if any(not m.clears for m in option.moves):
        return "move"
    return None


def pick_trials(metrics: Any, clears: Any, feasible: Sequence[bool], base: int) -> Any:
    """Methodology 3's pick in each trial: the cheapest feasible alternative that clears
    (file order breaks a tie), else the baseline; when the baseline cannot do the work,
    the cheapest feasible alternative.

    ``metrics`` and ``clears`` are ``(alternatives, trials)``; returns ``(trials,)``
    indices. ``recommend`` makes its pick with it (one trial), so ``compare`` and the
    per-trial decision of ``simulate`` are one rule.
    """
    metrics = np.asarray(metrics, dtype=np.float64)
    able = np.array(feasible, dtype=bool)[:, None]
    others = able & (np.arange(len(feasible)) != base)[:, None]
    if not feasible[base]:
        chosen = np.where(others, metrics, np.inf)
        return np.argmin(chosen, axis=0)
    passing = others & np.asarray(clears, dtype=bool)
    chosen = np.where(passing, metrics, np.inf)
    best = np.argmin(chosen, axis=0)
    return np.where(passing.any(axis=0), best, base)


def recommend(options: Sequence[OptionResult], baseline: str, metric: str,
              min_savings: float, currency: str, min_amount: float = 0.0) -> Recommendation:
    """The cheapest feasible alternative that clears (``OptionResult.clears``: as a whole
    and move by move); else the baseline.

    Returns the verdict with its numbers; ``render.wording`` says it in words.
    """
    base = next(o for o in options if o.name == baseline)
    base_metric = base.metric(metric)
    alternatives = sorted((o for o in options if o.feasible and o.name != baseline),
                          key=lambda o: o.metric(metric))  # stable: file order breaks ties
    cheapest = alternatives[0] if alternatives else None
    stay = Recommendation(baseline, baseline, 0.0, 0.0, False, "no_alternative", metric,
                          currency, min_savings, min_savings_amount=min_amount)
    if cheapest is None:
        if not base.feasible:  # the scenario check forbids this; kept for library callers
            raise ValueError("no feasible option")
        return stay
    def passes(o: OptionResult) -> bool:
        # A result made without methodology 3's figures (a library caller's) is judged
        # as a whole against the baseline.
        if o.required_savings is None:
            return whole_clears(o, base_metric, min_savings, min_amount)
        return o.clears

    index = int(pick_trials([[o.metric(metric)] for o in options],
                            [[o.name != baseline and passes(o)] for o in options],
                            [o.feasible for o in options], options.index(base))[0])
    pick = options[index] if options[index] is not base else None
    best = pick or cheapest
    before = alternatives[:alternatives.index(pick)] if pick is not None else alternatives
    held_back = tuple(_held_back(o, pick) for o in before
                      if shortfall(o, base_metric, min_savings, min_amount) == "move")
    compared = replace(stay, best=best.name, best_metric=best.metric(metric),
                       best_savings=best.savings_vs_baseline,
                       best_savings_pct=best.savings_pct,
                       shortfall=min_savings - best.savings_pct,
                       required_savings=required_of(best, base_metric, min_savings),
                       moved_base=best.moved_base, held_back=held_back)
    if pick is not None:
        return replace(compared, option=pick.name, savings=pick.savings_vs_baseline,
                       savings_pct=pick.savings_pct, clears_threshold=passes(pick),
                       kind="clears" if base.feasible else "baseline_infeasible",
                       baseline_problem=None if base.feasible else base.infeasible_reasons[0])
    why = shortfall(best, base_metric, min_savings, min_amount) or "threshold"
    return replace(compared, kind=SHORTFALL_KINDS[why],
                   failing_moves=tuple(m for m in best.moves if not m.clears)
                   if why == "move" else ())


def avoided_share(option: OptionResult) -> float:
    """Savings as a share of the cost the option avoids (its ``moved_base``): the base the
    verdict uses; of the whole baseline metric for a result without one."""
    if option.moved_base is None:
        return option.savings_pct
    return option.savings_vs_baseline / option.moved_base if option.moved_base else 0.0


def _held_back(option: OptionResult, pick: OptionResult | None) -> HeldBack:
    failing = tuple(m for m in option.moves if not m.clears)
    without = dict(option.assign)
    if len(failing) == 1:
        without[failing[0].work] = failing[0].from_
    recommended = pick is not None and len(failing) == 1 and set(without) == set(pick.assign) \
        and all(same_shares(without[w], pick.assign[w]) for w in without)
    return HeldBack(option.name, option.savings_vs_baseline, failing, recommended)


def scorecard(scenario: Scenario, options: Sequence[OptionResult],
              plan_scores: Mapping[str, Mapping[str, float]] | None = None) -> Scorecard | None:
    """Rank feasible options on weighted scores; cost scores 5 for the cheapest.

    Cost score = 1 + 4 × (max − own) / (max − min) over the feasible options
    (5 each when all cost the same): an interval scale, so a cost common to
    every option changes nothing (methodology 2, point 8). Weights are
    normalised to sum to 1. Infeasible options are not ranked. A plan's
    scores come from ``plan_scores`` (the hour-weighted means of its parts').
    """
    weights = scenario.decision.weights
    if weights is None:
        return None
    metric = scenario.decision.metric
    total_weight = weights.total()
    normalised = {"cost": weights.cost / total_weight}
    normalised.update({c: getattr(weights, c) / total_weight for c in CRITERIA})
    feasible = [o for o in options if o.feasible]
    costs = [o.metric(metric) for o in feasible]
    cheapest, dearest = min(costs), max(costs)
    spread = dearest - cheapest
    # Float noise must not turn equal costs into a 1-to-5 spread.
    tied = spread <= 1e-9 * max(1.0, abs(dearest))
    by_name = {o.name: o for o in scenario.options}
    rows: list[tuple[str, float, dict[str, float], float]] = []
    for result in feasible:
        value = result.metric(metric)
        cost_score = 5.0 if tied else 1.0 + 4.0 * (dearest - value) / spread
        if plan_scores is not None and result.name in plan_scores:
            scores = dict(plan_scores[result.name])
        else:
            given = by_name[result.name].scores
            scores = {c: float(getattr(given, c)) for c in CRITERIA
                      if given is not None and getattr(given, c) is not None}
        weighted = normalised["cost"] * cost_score + sum(
            normalised[c] * scores.get(c, 0.0) for c in CRITERIA)
        rows.append((result.name, cost_score, scores, weighted))
    ranked = sorted(rows, key=lambda r: -r[3])
    return Scorecard(normalised, tuple(
        ScoreRow(name, cost_score, scores, weighted, rank)
        for rank, (name, cost_score, scores, weighted) in enumerate(ranked, start=1)))


@dataclass(frozen=True)
class ExtraGates:
    """Gates from outside the scenario file (the command line), for one scenario."""

    gates: tuple[Gate, ...] = ()
    #: the option that must be recommended
    expect: str | None = None
    #: the recommendation of a previous run, which must not change
    unchanged_from: str | None = None


def gates(scenario: Scenario, options: Sequence[OptionResult], recommendation: Recommendation,
          extra: ExtraGates | None = None) -> tuple[GateResult, ...]:
    """Every declared expectation, checked: the scenario's own, then the command line's."""
    extra = extra or ExtraGates()
    by_name = {o.name: o for o in options}
    chosen = recommendation.option
    results: list[GateResult] = []
    for expect in (scenario.decision.expect, extra.expect):
        if expect is not None:
            results.append(GateResult("expect", chosen == expect, chosen, expected=expect))
    for gate in (*scenario.decision.gates, *extra.gates):
        option = by_name.get(gate.option)
        if option is None:  # a command-line gate for an option this scenario does not have
            continue
        if gate.min_savings is not None:
            # On the verdict's base (methodology 3): the cost the option avoids.
            share = avoided_share(option)
            results.append(GateResult(
                "min_savings", share >= gate.min_savings - 1e-12, option.name,
                value=share, limit=gate.min_savings, metric=scenario.decision.metric,
                base=option.moved_base, currency=scenario.currency))
        if gate.max_total_cost is not None:
            spent, within = budget_spend(option, by_name[chosen])
            results.append(GateResult(
                "budget", spent <= gate.max_total_cost + 1e-6, option.name,
                value=spent, limit=gate.max_total_cost, currency=scenario.currency,
                within=within))
    if extra.unchanged_from is not None:
        results.append(GateResult("unchanged", chosen == extra.unchanged_from, chosen,
                                  expected=extra.unchanged_from))
    return tuple(results)


def budget_spend(subject: OptionResult, chosen: OptionResult) -> tuple[float, str | None]:
    """What a budget on ``subject`` holds, and the alternative it is measured in.

    A plan's budget holds the plan's total. An option's holds what it is paid in
    the recommended alternative ``chosen``: its part's total there (nothing when it
    has no part), not the all-work alternative, which may be one that cannot
    even do the work.
    """
    if subject.kind == "plan":
        return subject.total_cost, None
    part = chosen.by_option.get(subject.name)
    return (0.0 if part is None else part.total_cost), chosen.name
