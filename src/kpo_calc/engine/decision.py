"""The recommendation, the weighted scorecard and the gates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from kpo_calc.engine.results import (
    GateResult,
    OptionResult,
    Recommendation,
    Scorecard,
    ScoreRow,
)
from kpo_calc.scenario import CRITERIA, Gate, Scenario

METRIC_LABELS = {"npv": "NPV", "total": "total cost", "risk_adjusted_npv": "risk-adjusted NPV"}


def savings(baseline_metric: float, option_metric: float) -> tuple[float, float]:
    """``(baseline − option, that / baseline)``: positive means the option is cheaper."""
    amount = baseline_metric - option_metric
    share = amount / baseline_metric if baseline_metric else 0.0
    return amount, share


def clears(option: OptionResult, baseline_metric: float, min_savings: float) -> bool:
    """Does ``option`` beat the baseline by at least ``min_savings`` of its threshold base?

    The base is the baseline's metric, or ``option.moved_base`` when set (a plan
    is judged on the work it moves, design section 7). Savings must also be
    strictly positive: an equal cost is no reason to move the work. A relative
    tolerance absorbs float noise at the exact threshold.
    """
    tolerance = 1e-9 * max(1.0, abs(baseline_metric))
    return (option.savings_vs_baseline > tolerance
            and option.savings_vs_baseline >= required_savings(option, baseline_metric,
                                                                min_savings) - tolerance)


def required_savings(option: OptionResult, baseline_metric: float, min_savings: float) -> float:
    """The savings ``option`` must reach: ``min_savings`` of its threshold base."""
    base = baseline_metric if option.moved_base is None else option.moved_base
    return min_savings * base


def recommend(options: Sequence[OptionResult], baseline: str, metric: str,
              min_savings: float, currency: str) -> Recommendation:
    """The cheapest feasible alternative that clears its own threshold; else the baseline.

    Returns the verdict with its numbers; ``render.wording`` says it in words.
    """
    base = next(o for o in options if o.name == baseline)
    base_metric = base.metric(metric)
    alternatives = sorted((o for o in options if o.feasible and o.name != baseline),
                          key=lambda o: o.metric(metric))  # stable: file order breaks ties
    best = alternatives[0] if alternatives else None
    stay = Recommendation(baseline, baseline, 0.0, 0.0, False, "no_alternative", metric,
                          currency, min_savings)
    if best is None:
        if not base.feasible:  # the scenario check forbids this; kept for library callers
            raise ValueError("no feasible option")
        return stay
    if base.feasible:
        best = next((o for o in alternatives if clears(o, base_metric, min_savings)), best)
    compared = replace(stay, best=best.name, best_metric=best.metric(metric),
                       best_savings=best.savings_vs_baseline,
                       best_savings_pct=best.savings_pct,
                       shortfall=min_savings - best.savings_pct,
                       required_savings=None if best.moved_base is None else
                       required_savings(best, base_metric, min_savings),
                       moved_base=best.moved_base)
    if not base.feasible or clears(best, base_metric, min_savings):
        return replace(compared, option=best.name, savings=best.savings_vs_baseline,
                       savings_pct=best.savings_pct,
                       clears_threshold=clears(best, base_metric, min_savings),
                       kind="clears" if base.feasible else "baseline_infeasible",
                       baseline_problem=None if base.feasible else base.infeasible_reasons[0])
    if best.savings_vs_baseline <= 0:
        return replace(compared, kind="baseline_cheapest")
    return replace(compared, kind="short_of_threshold")


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
            results.append(GateResult(
                "min_savings", option.savings_pct >= gate.min_savings - 1e-12, option.name,
                value=option.savings_pct, limit=gate.min_savings,
                metric=scenario.decision.metric))
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
