"""``mix``: the search's finalists costed as plans by ``evaluate``, and the verdict.

The search (``engine.search``) scores every enumerated candidate; the few it
keeps (the ranking's head and the cheapest) are then added to the scenario as
plans and evaluated exactly as ``compare`` would, beside every option and
declared plan of the file (methodology 3, point 4: ``mix`` searches what a user
can write). Every figure shown is compare's, and the verdict is compare's
recommendation over that union, so ``mix`` and ``compare`` cannot disagree on
a declared plan. Where the search and compare differ on whether a plan clears
(only by float noise at an exact threshold), compare's answer is taken.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from kpo_calc.engine.evaluate import evaluate
from kpo_calc.engine.plans import same_shares
from kpo_calc.engine.results import OptionResult, Recommendation
from kpo_calc.engine.search import Candidate, in_space, search
from kpo_calc.scenario import Plan, Scenario

#: Figures from the search and from ``evaluate`` may differ by float noise only.
AGREEMENT = 1e-6


@dataclass(frozen=True)
class RankedPlan:
    """A finalist: compare's figures for it, its rank and its threshold."""

    rank: int
    result: OptionResult
    clears: bool
    required_savings: float
    #: the option or declared plan of the file it is (a plan the search finds that
    #: equals one takes its name); None for a plan the search made
    same_as: str | None = None


@dataclass(frozen=True)
class MixResult:
    """Everything ``mix`` prints for one scenario."""

    name: str
    currency: str
    metric: str
    min_savings: float
    baseline: OptionResult
    #: the cheapest plan that clears its threshold; None when none does
    best: RankedPlan | None
    #: the cheapest plan overall, when it is not ``best``
    cheapest: RankedPlan | None
    top: tuple[RankedPlan, ...]
    best_single_option: OptionResult | None
    recommendation: Recommendation
    candidates: int
    seconds: float
    #: ``{work: {option: share}}`` of what the verdict picks (the baseline's when it stays)
    chosen_assign: Mapping[str, Mapping[str, float]]
    #: every option and declared plan, by name, with its assignment (for ``--expect``)
    alternatives: Mapping[str, Mapping[str, Mapping[str, float]]]
    exact: bool = True


def plan_name(rank: int, taken: set[str]) -> str:
    """``Mix #rank``, made unique against the file's own names (compared as the loader
    compares them: case and spacing ignored)."""
    from kpo_calc.scenario import name_key

    keys = {name_key(t) for t in taken}
    name = f"Mix #{rank}"
    while name_key(name) in keys:
        name += "'"
    return name


def as_plan(name: str, assign: Mapping[str, Mapping[str, float]]) -> Plan:
    """A declared plan: an item wholly given to one option is written as its name."""
    return Plan(name=name, assign={
        w: (next(iter(to)) if len(to) == 1 else dict(to)) for w, to in assign.items()})


def mix(scenario: Scenario, top: int = 5) -> MixResult:
    """Search every plan ``scenario`` allows, and every declared alternative; the best,
    the cheapest and the top ``top``."""
    started = time.perf_counter()
    found = search(scenario, max(top, 1))
    declared = [(o.name, {w.name: {o.name: 1.0} for w in scenario.work})
                for o in scenario.options] + [(p.name, p.shares()) for p in scenario.plans]
    taken = {n for n, _ in declared}
    pool = [*found.ranked, *([found.cheapest] if found.cheapest is not None else [])]
    finalists: dict[str, Candidate] = {}  # a declared twin keeps the declared name
    twins: dict[int, str] = {}
    rank = 0
    for c in pool:
        if c.index in twins:
            continue
        twin = next((n for n, a in declared if same_assign(a, c.assign)), None)
        if twin is None:
            rank += 1
            twin = plan_name(rank, taken | set(finalists))
            finalists[twin] = c
        twins[c.index] = twin
    quiet = scenario.decision.model_copy(update={"expect": None, "gates": []})
    extended = scenario.model_copy(update={
        "plans": [*scenario.plans, *(as_plan(n, c.assign) for n, c in finalists.items())],
        "decision": quiet})
    result = evaluate(extended)
    by_name = {o.name: o for o in result.options}
    metric = scenario.decision.metric
    for c in pool:
        costed = by_name[twins[c.index]]
        if abs(costed.metric(metric) - c.metric) > AGREEMENT * max(1.0, abs(c.metric)):
            raise AssertionError(f"mix: {costed.name} costs {c.metric!r} in the search and "
                                 f"{costed.metric(metric)!r} in compare")  # a bug
    base = by_name[scenario.baseline_name]
    # The candidates: what the search kept, and every feasible declared alternative.
    named = [n for n, _ in declared if by_name[n].feasible] + list(finalists)
    # Clearing plans first (compare's rule), cheapest first; with a baseline that cannot
    # do the work, compare takes the cheapest feasible plan: the ranking is by cost.
    gate = base.feasible
    ordered = sorted(dict.fromkeys([twins[c.index] for c in pool] + named),
                     key=lambda n: (gate and not by_name[n].clears,
                                    by_name[n].metric(metric)))
    ranked = {n: RankedPlan(i, by_name[n], by_name[n].clears,
                            by_name[n].required_savings or 0.0,
                            None if n in finalists else n)
              for i, n in enumerate(ordered, start=1)}
    verdict = result.recommendation
    best = ranked.get(verdict.option) if verdict.option != scenario.baseline_name else None
    cheapest_name = min(ordered, key=lambda n: by_name[n].metric(metric)) if ordered else None
    cheapest = ranked[cheapest_name] if cheapest_name is not None else None
    if cheapest is not None and (cheapest.result.name == verdict.option or
                                 cheapest.result.name == scenario.baseline_name):
        cheapest = None
    options = [o for o in result.options if o.kind == "option" and o.feasible]
    single = min(options, key=lambda o: o.metric(metric)) if options else None
    feasible = [a for n, a in declared if by_name[n].feasible]
    extra = sum(not found for found in in_space(scenario, feasible))
    return MixResult(
        name=scenario.name, currency=scenario.currency, metric=metric,
        min_savings=scenario.decision.min_savings, baseline=base, best=best,
        cheapest=cheapest, top=tuple(ranked[n] for n in ordered[:top]),
        best_single_option=single, recommendation=verdict,
        candidates=found.candidates + extra, seconds=time.perf_counter() - started,
        chosen_assign=by_name[verdict.option].assign,
        alternatives={n: by_name[n].assign for n, _ in declared})


def same_assign(a: Mapping[str, Mapping[str, float]],
                b: Mapping[str, Mapping[str, float]]) -> bool:
    """Do two assignments give every item the same shares (up to float noise)?"""
    return set(a) == set(b) and all(same_shares(to, b[w]) for w, to in a.items())
