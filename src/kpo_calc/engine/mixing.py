"""``mix``: the search's finalists costed as plans by ``evaluate``, and the verdict.

The search (``engine.search``) scores every candidate; the few it keeps (the
ranking's head and the cheapest) are then added to the scenario as plans and
evaluated exactly as ``compare`` would, so every figure shown is compare's,
and the verdict is ``decision.recommend`` over the baseline and them.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from kpo_calc.engine.decision import clears, recommend, required_savings
from kpo_calc.engine.evaluate import evaluate
from kpo_calc.engine.results import OptionResult, Recommendation
from kpo_calc.engine.search import Candidate, search
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
    #: the option or declared plan of the file with the same assignment, if any
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
    """``Mix #rank``, made unique against the file's own option and plan names."""
    name = f"Mix #{rank}"
    while name in taken:
        name += "'"
    return name


def as_plan(name: str, assign: Mapping[str, Mapping[str, float]]) -> Plan:
    """A declared plan: an item wholly given to one option is written as its name."""
    return Plan(name=name, assign={
        w: (next(iter(to)) if len(to) == 1 else dict(to)) for w, to in assign.items()})


def mix(scenario: Scenario, top: int = 5) -> MixResult:
    """Search every plan ``scenario`` allows; the best, the cheapest and the top ``top``."""
    started = time.perf_counter()
    found = search(scenario, max(top, 1))
    taken = {o.name for o in scenario.options} | {p.name for p in scenario.plans}
    finalists: list[tuple[str, Candidate, int]] = [
        (plan_name(rank, taken), c, rank) for rank, c in enumerate(found.ranked, start=1)]
    cheapest_name = None
    if found.cheapest is not None:
        same = next((n for n, c, _ in finalists if c.index == found.cheapest.index), None)
        if same is None:
            name = "Mix (cheapest)"
            while name in taken:
                name += "'"
            finalists.append((name, found.cheapest, 0))
            same = name
        cheapest_name = same
    quiet = scenario.decision.model_copy(update={"expect": None, "gates": []})
    extended = scenario.model_copy(update={
        "plans": [*scenario.plans, *(as_plan(n, c.assign) for n, c, _ in finalists)],
        "decision": quiet})
    result = evaluate(extended)
    by_name = {o.name: o for o in result.options}
    base = by_name[scenario.baseline_name]
    metric = scenario.decision.metric
    base_metric = base.metric(metric)
    declared = [o for o in result.options if o.name not in {n for n, _, _ in finalists}]
    ranked: dict[str, RankedPlan] = {}
    for name, candidate, rank in finalists:
        costed = by_name[name]
        if abs(costed.metric(metric) - candidate.metric) > AGREEMENT * max(
                1.0, abs(candidate.metric)):  # the search and compare disagree: a bug
            raise AssertionError(f"mix: {name} costs {candidate.metric!r} in the search and "
                                 f"{costed.metric(metric)!r} in compare")
        if candidate.clears != clears(costed, base_metric, scenario.decision.min_savings):
            raise AssertionError(f"mix: the search and compare disagree on whether {name} "
                                 "clears its threshold")
        twin = next((o.name for o in declared if same_assign(o.assign, costed.assign)), None)
        ranked[name] = RankedPlan(rank, costed, candidate.clears,
                                  required_savings(costed, base_metric,
                                                   scenario.decision.min_savings), twin)
    heads = [ranked[n] for n, _, rank in finalists if rank > 0]
    verdict = recommend([base, *(r.result for r in ranked.values())],
                        scenario.baseline_name, metric, scenario.decision.min_savings,
                        scenario.currency)
    best = next((r for r in heads if r.clears), None)
    if verdict.option != (scenario.baseline_name if best is None else best.result.name):
        raise AssertionError("mix: the search and decision.recommend disagree on the verdict")
    cheapest = ranked[cheapest_name] if cheapest_name is not None else None
    if cheapest is not None and best is not None and cheapest.result.name == best.result.name:
        cheapest = None
    options = [o for o in result.options if o.kind == "option" and o.feasible]
    single = min(options, key=lambda o: o.metric(metric)) if options else None
    alternatives = {o.name: o.assign for o in declared}
    return MixResult(
        name=scenario.name, currency=scenario.currency, metric=metric,
        min_savings=scenario.decision.min_savings, baseline=base, best=best,
        cheapest=cheapest, top=tuple(heads[:top]), best_single_option=single,
        recommendation=verdict, candidates=found.candidates,
        seconds=time.perf_counter() - started,
        chosen_assign=best.result.assign if best is not None else base.assign,
        alternatives=alternatives)


def same_assign(a: Mapping[str, Mapping[str, float]],
                b: Mapping[str, Mapping[str, float]]) -> bool:
    """Do two assignments give every item the same shares (up to float noise)?"""
    if set(a) != set(b):
        return False
    for w, to in a.items():
        other = b[w]
        for o in set(to) | set(other):
            if abs(float(to.get(o, 0.0)) - float(other.get(o, 0.0))) > 1e-9:
                return False
    return True
