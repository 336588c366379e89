"""``mix --trials`` in words and cells: the robust plan beside the point one (every format
says the same; callers escape)."""

from __future__ import annotations

from typing import Any

from kpo_calc.engine.robust import RobustPlan, RobustResult
from kpo_calc.formatting import money, percent
from kpo_calc.render.json_format import cents, fraction
from kpo_calc.render.sim_words import share
from kpo_calc.render.wording import metric_label

ROBUST_HEADS = ("Plan", "Expected", "P10", "P90", "Clears", "Cheapest", "Regret")
ROBUST_LEGEND = ("Expected: the mean of the metric over the trials, with P10 and P90; Clears: "
                 "the share of trials in which the plan clears (every move included); "
                 "Cheapest: the share in which it is the cheapest of the plans judged (these "
                 "and the next by expected metric, not all listed, so the column may add up "
                 "to less than 100%); Regret: how much more it costs than the cheapest judged "
                 "plan, on average (P90 in the JSON).")


def title(r: RobustResult, metric: str) -> str:
    """What the robust table shows."""
    return (f"Robust plans over {r.trials:,} trials (seed {r.seed}; {metric_label(metric)}; "
            f"must clear in {percent(r.confidence, 0)} of them)")


def mark(r: RobustResult, p: RobustPlan) -> str:
    """Whether a plan is the robust pick, the point pick, or both."""
    marks = [m for m, name in (("robust", r.best), ("point", r.point)) if p.name == name]
    return "robust and point" if len(marks) == 2 else "".join(marks)


def plan_row(r: RobustResult, p: RobustPlan) -> list[str]:
    """One plan's cells, in ``ROBUST_HEADS`` order."""
    picked = mark(r, p)
    return [p.name + (f" ({picked} pick)" if picked else ""), money(p.metric.mean),
            money(p.metric.p10), money(p.metric.p90),
            "baseline" if p.name == r.baseline else share(p.p_clears), share(p.p_cheapest),
            money(p.regret_mean)]


def sentence(r: RobustResult, metric: str) -> str:
    """The robust verdict, and why it differs from the point one when it does."""
    label = metric_label(metric)
    level = percent(r.confidence, 0)
    best = r.plan(r.best) if r.best != r.baseline else None
    point = r.plan(r.point)
    # The point pick is judged only when its expected metric ranks in the search's head
    # (or it is declared): when it does not, say so rather than that the baseline stays.
    unjudged = (f"At the means the best plan is {r.point}, but over the trials it is not "
                f"among the plans of lowest expected {label} (it was not judged)")
    if not r.baseline_feasible:
        if best is None:
            return f"The baseline {r.baseline} cannot do all the work, and no plan can."
        return (f"The baseline {r.baseline} cannot do all the work, so the robust plan is the "
                f"feasible one of lowest expected {label}: {best.name} "
                f"({money(best.metric.mean)}), as compare's rule takes the cheapest.")
    if best is None:
        stays = (f"No plan clears in at least {level} of the {r.trials:,} trials: "
                 f"{r.baseline} stays")
        if r.point == r.baseline:
            return stays + ", as at the means."
        if point is None:
            return f"{unjudged}. {stays}."
        return (f"At the means the best plan is {r.point}, but it clears in only "
                f"{share(point.p_clears)} of the trials{_weakest(point)}. " + stays + ".")
    robust = (f"{best.name} has the lowest expected {label} ({money(best.metric.mean)}) of the "
              f"plans that clear in at least {level} of the {r.trials:,} trials (it clears "
              f"in {share(best.p_clears)})")
    if r.best == r.point:
        return f"Under uncertainty too: {robust}."
    if r.point == r.baseline:
        return f"At the means {r.baseline} stays; over the trials, {robust}."
    if point is None:
        return f"{unjudged}; {robust}."
    return (f"At the means the best plan is {r.point}, but it clears in only "
            f"{share(point.p_clears)} of the trials{_weakest(point)}; {robust}.")


def _weakest(p: RobustPlan) -> str:
    """The move that clears least often, when one is below the plan's own share."""
    if not p.moves:
        return ""
    worst = min(p.moves, key=lambda m: m.p_clears)
    return f" (moving {worst.work} pays its way in {share(worst.p_clears)})"


def robust_dict(r: RobustResult) -> dict[str, Any]:
    """Design 9's ``robust`` entry of a ``mixes`` item."""
    return {"trials": r.trials, "seed": r.seed, "confidence": r.confidence, "best": r.best,
            "point": r.point, "candidates": r.candidates,
            "plans": [{"name": p.name, "assign": {w: dict(to) for w, to in p.assign.items()},
                       "declared": p.declared,
                       "metric": {"mean": cents(p.metric.mean), "p10": cents(p.metric.p10),
                                  "p50": cents(p.metric.p50), "p90": cents(p.metric.p90)},
                       "p_clears": fraction(p.p_clears), "p_cheapest": fraction(p.p_cheapest),
                       "regret": {"mean": cents(p.regret_mean), "p90": cents(p.regret_p90)},
                       "moves": [{"work": m.work, "p_clears": fraction(m.p_clears)}
                                 for m in p.moves]}
                      for p in r.plans]}
