"""The results of evaluating a scenario: frozen, typed, and named as in the JSON output.

Amounts are in the scenario currency and unrounded; renderers round.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

#: The cost methodology the engine implements (design section 11): reported in the JSON.
METHODOLOGY = 3


@dataclass(frozen=True)
class StressResult:
    """One option under one stress test."""

    name: str
    total_cost: float
    npv: float
    #: stressed total_cost minus the option's own planned total_cost
    delta_vs_base: float
    unmet_hours: float
    #: unmet_hours times unmet_hour_cost (0 when that is not set); included in total_cost
    unmet_cost: float


@dataclass(frozen=True)
class Flexibility:
    """How easily an option follows demand up and down."""

    scale_up_lead_months: float
    scale_down_lag_months: float
    cost_to_shed_fte: float
    #: cost to reverse the choice at the horizon (outsourced: exit_cost; in-house:
    #: severance of the final headcount)
    exit_cost: float
    stress: tuple[StressResult, ...]


@dataclass(frozen=True)
class PartResult:
    """One option's share of an alternative: its own lines, total and NPV."""

    lines: Mapping[str, float]
    total_cost: float
    npv: float


@dataclass(frozen=True)
class Move:
    """One work item an alternative moves, judged on its own margin (methodology 3, 2).

    ``incremental``: what the alternative saves by this move against the same
    alternative with the item kept as in the baseline (``A−i``), and what it
    must save (``min_savings`` of the cost the move avoids). ``standalone``:
    the same for the baseline with only this move.
    """

    work: str
    #: the baseline's assignment of the item, and the alternative's: {option: share}
    from_: Mapping[str, float]
    to: Mapping[str, float]
    incremental_savings: float
    incremental_required: float
    standalone_savings: float
    standalone_required: float
    #: does the move clear on its incremental margin
    clears: bool


@dataclass(frozen=True)
class OptionResult:
    """Everything computed for one alternative: an option doing all the work, or a plan."""

    name: str
    model: str
    provider: str | None
    location: str | None
    feasible: bool
    infeasible_reasons: tuple[str, ...]
    one_time_cost: float
    recurring_cost: float
    total_cost: float
    npv: float
    risk_cost: float
    risk_adjusted_total: float
    risk_adjusted_npv: float
    cost_per_hour: float
    savings_vs_baseline: float
    savings_pct: float
    breakeven_month: int | None
    lines: Mapping[str, float]
    monthly: tuple[float, ...]
    flexibility: Flexibility
    #: "option" (one option does all the work) or "plan" (design section 7)
    kind: str = "option"
    #: {work: {option: share}}
    assign: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    #: each option costed in this alternative (in-house teams with existing staff always are)
    by_option: Mapping[str, PartResult] = field(default_factory=dict)
    #: hours of planned demand not served
    unmet_hours: float = 0.0
    #: what min_savings is a fraction of for this alternative: the cost it avoids,
    #: ``Σ_o max(0, M_B(o) − M_A(o))`` (methodology 3); None for the baseline itself
    moved_base: float | None = None
    #: the savings it must reach: min_savings × moved_base (None for the baseline)
    required_savings: float | None = None
    #: the work items it assigns differently from the baseline
    moved: tuple[str, ...] = ()
    #: each move judged on its own margin, when it moves two or more items
    moves: tuple[Move, ...] = ()
    #: does it clear the whole test (savings, threshold, materiality) and every move
    clears: bool = False

    def metric(self, name: str) -> float:
        """The value of a decision metric: ``npv``, ``total`` or ``risk_adjusted_npv``."""
        return self.total_cost if name == "total" else float(getattr(self, name))


@dataclass(frozen=True)
class HeldBack:
    """An alternative cheaper than the recommendation that clears as a whole, held back by
    moves that do not pay their way."""

    name: str
    savings: float
    failing: tuple[Move, ...]
    #: is the recommendation this alternative without its failing move
    without_is_recommended: bool


#: Why the recommendation is what it is; the render layer words each kind.
VerdictKind = Literal[
    "baseline_infeasible",  # the baseline cannot do the work: the cheapest feasible option
    "no_alternative",       # no feasible alternative: the baseline stays
    "clears",               # the best alternative clears the threshold
    "baseline_cheapest",    # no alternative is cheaper than the baseline
    "short_of_threshold",   # the best alternative saves, but less than the threshold
    "short_of_amount",      # it clears the threshold but saves less than min_savings_amount
    "move_fails",           # it clears as a whole, but one of its moves does not pay its way
]


@dataclass(frozen=True)
class Recommendation:
    """What to do, and the numbers that say why (worded by ``render.wording``)."""

    option: str
    baseline: str
    #: the recommended option's savings against the baseline (0 when the baseline stays)
    savings: float
    savings_pct: float
    clears_threshold: bool
    kind: VerdictKind
    #: the decision metric (npv, total or risk_adjusted_npv) and the currency of the amounts
    metric: str
    currency: str
    #: the min_savings threshold, a fraction of the baseline's metric
    threshold: float
    #: the cheapest feasible alternative to the baseline, if any, with its metric and savings
    best: str | None = None
    best_metric: float = 0.0
    best_savings: float = 0.0
    best_savings_pct: float = 0.0
    #: threshold minus best_savings_pct: how far the best alternative falls short
    shortfall: float = 0.0
    #: why the baseline cannot do the work (kind baseline_infeasible)
    baseline_problem: str | None = None
    #: the savings the alternative worded (best) had to reach, and the base they are a
    #: share of, when that base is not the whole baseline metric (a partial move, or
    #: threshold_base personnel); None otherwise
    required_savings: float | None = None
    moved_base: float | None = None
    #: decision.min_savings_amount: the savings every alternative must also reach
    min_savings_amount: float = 0.0
    #: the moves of ``best`` that do not pay their way (kind move_fails)
    failing_moves: tuple[Move, ...] = ()
    #: alternatives cheaper than the recommendation that clear as a whole but are held
    #: back by a move that does not pay its way, cheapest first
    held_back: tuple[HeldBack, ...] = ()


@dataclass(frozen=True)
class ScoreRow:
    """One option on the weighted scorecard."""

    option: str
    cost_score: float
    scores: Mapping[str, float]
    weighted_score: float
    rank: int


@dataclass(frozen=True)
class Scorecard:
    """Options ranked on the weighted sum of cost and qualitative scores."""

    weights: Mapping[str, float]
    rows: tuple[ScoreRow, ...]


@dataclass(frozen=True)
class GateResult:
    """One declared expectation and whether it holds, as data (worded by the renderers).

    ``name`` is the kind: ``expect`` and ``unchanged`` compare the recommendation
    (``actual``) with an option name (``expected``); ``min_savings`` compares an
    option's savings share (``value``) with ``limit``; ``budget`` a plan's total cost, or an
    option's part of the recommended alternative (``within``).
    """

    name: str
    passed: bool
    #: the recommendation (expect, unchanged) or the option the gate is about
    subject: str
    #: expect: the option expected; unchanged: the earlier recommendation
    expected: str | None = None
    #: the measured figure (savings share, or total cost) and the limit it is held to
    value: float = 0.0
    limit: float = 0.0
    #: the metric the savings are measured on, and the currency of a budget
    metric: str = ""
    currency: str = ""
    #: min_savings: the cost avoided that the share is of (None: the whole baseline metric)
    base: float | None = None
    #: budget on an option: the recommended alternative whose part ``value`` is (None for
    #: a plan's budget, which holds the plan's own total)
    within: str | None = None


@dataclass(frozen=True)
class ScenarioResult:
    """The comparison of every option of one scenario."""

    name: str
    description: str | None
    currency: str
    horizon_months: int
    baseline: str
    metric: str
    min_savings: float
    total_hours: float
    options: tuple[OptionResult, ...]
    recommendation: Recommendation
    scorecard: Scorecard | None
    gates: tuple[GateResult, ...]
    #: the cost methodology the figures follow (design section 8)
    methodology: int = METHODOLOGY
    #: cost or personnel: what min_savings is a fraction of
    threshold_base: str = "cost"
    #: decision.min_savings_amount (materiality, in the scenario currency)
    min_savings_amount: float = 0.0

    @property
    def gates_passed(self) -> bool:
        """True when every gate holds (or there are none)."""
        return all(g.passed for g in self.gates)

    def option(self, name: str) -> OptionResult:
        """The result of the option called ``name``."""
        for result in self.options:
            if result.name == name:
                return result
        raise KeyError(name)
