"""What changed between two versions of a scenario: inputs, figures and the decision.

Pure functions on already computed results and on the scenarios' plain data;
reading the versions (files, git revisions) is the api's job, printing is the
renderers'.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kpo_calc.distributions import is_distribution
from kpo_calc.engine.results import OptionResult, Recommendation, ScenarioResult

_ABSENT = object()


@dataclass(frozen=True)
class InputChange:
    """One input that differs: ``old`` or ``new`` is None when the key was added or removed."""

    path: str
    old: Any
    new: Any
    kind: str  # "changed", "added" or "removed"


@dataclass(frozen=True)
class Figure:
    """A result before and after; None where the option did not exist."""

    old: float | None
    new: float | None

    @property
    def delta(self) -> float | None:
        """new − old, when both exist."""
        if self.old is None or self.new is None:
            return None
        return self.new - self.old


@dataclass(frozen=True)
class OptionDiff:
    """One option's key results in both versions."""

    name: str
    status: str  # "changed", "unchanged", "added" or "removed"
    total_cost: Figure
    npv: Figure
    savings_pct: Figure
    breakeven_month: tuple[int | None, int | None]
    feasible: tuple[bool | None, bool | None]
    #: "option" or "plan" (the newer version's, when both exist)
    kind: str = "option"
    #: who does the work, before and after ({work: {option: share}}; None where absent)
    assign: tuple[Mapping[str, Mapping[str, float]] | None,
                  Mapping[str, Mapping[str, float]] | None] = (None, None)

    @property
    def assign_changed(self) -> bool:
        """Did the alternative give some work to other options (or other shares)?"""
        old, new = self.assign
        return old is not None and new is not None and _plain(old) != _plain(new)


@dataclass(frozen=True)
class ScenarioDiff:
    """Two versions of one scenario, side by side."""

    old_file: str
    new_file: str
    name: str
    currency: str
    old_currency: str
    baseline: str
    old_baseline: str
    old_recommendation: str
    new_recommendation: str
    #: the verdicts before and after, worded by render.wording
    old_verdict: Recommendation
    new_verdict: Recommendation
    options: tuple[OptionDiff, ...]
    inputs: tuple[InputChange, ...]

    @property
    def recommendation_changed(self) -> bool:
        """Did the decision change?"""
        return self.old_recommendation != self.new_recommendation


def diff_scenarios(old_file: str, old: ScenarioResult, old_data: Any,
                   new_file: str, new: ScenarioResult, new_data: Any) -> ScenarioDiff:
    """Compare two versions of a scenario (results and the data they came from)."""
    return ScenarioDiff(
        old_file=old_file, new_file=new_file, name=new.name, currency=new.currency,
        old_currency=old.currency, baseline=new.baseline, old_baseline=old.baseline,
        old_recommendation=old.recommendation.option,
        new_recommendation=new.recommendation.option,
        old_verdict=old.recommendation, new_verdict=new.recommendation,
        options=tuple(_option_diffs(old, new)),
        inputs=tuple(input_changes(old_data, new_data)),
    )


def _option_diffs(old: ScenarioResult, new: ScenarioResult) -> Iterator[OptionDiff]:
    before = {o.name: o for o in old.options}
    after = {o.name: o for o in new.options}
    for name in [*after, *(n for n in before if n not in after)]:
        a, b = before.get(name), after.get(name)
        yield OptionDiff(
            name=name,
            status=_status(a, b),
            total_cost=Figure(_get(a, "total_cost"), _get(b, "total_cost")),
            npv=Figure(_get(a, "npv"), _get(b, "npv")),
            savings_pct=Figure(_get(a, "savings_pct"), _get(b, "savings_pct")),
            breakeven_month=(a.breakeven_month if a else None,
                             b.breakeven_month if b else None),
            feasible=(a.feasible if a else None, b.feasible if b else None),
            kind=b.kind if b else a.kind if a else "option",
            assign=(a.assign if a else None, b.assign if b else None),
        )


def _status(a: OptionResult | None, b: OptionResult | None) -> str:
    if a is None:
        return "added"
    if b is None:
        return "removed"
    same = (round(a.total_cost, 2) == round(b.total_cost, 2) and round(a.npv, 2) == round(b.npv, 2)
            and a.feasible == b.feasible and a.breakeven_month == b.breakeven_month
            and round(a.savings_pct, 6) == round(b.savings_pct, 6)
            and _plain(a.assign) == _plain(b.assign))
    return "unchanged" if same else "changed"


def _plain(assign: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float]]:
    return {work: dict(shares) for work, shares in assign.items()}


def _get(option: OptionResult | None, key: str) -> float | None:
    return None if option is None else float(getattr(option, key))


def input_changes(old: Any, new: Any) -> list[InputChange]:
    """Every leaf that differs, with list items of named things keyed by their name."""
    before, after = dict(_flatten(old)), dict(_flatten(new))
    changes = []
    for path in [*after, *(p for p in before if p not in after)]:
        a, b = before.get(path, _ABSENT), after.get(path, _ABSENT)
        if a is _ABSENT:
            changes.append(InputChange(path, None, b, "added"))
        elif b is _ABSENT:
            changes.append(InputChange(path, a, None, "removed"))
        elif a != b or type(a) is not type(b):
            changes.append(InputChange(path, a, b, "changed"))
    return changes


def _flatten(node: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict) and prefix and is_distribution(node):
        yield prefix, node  # one input, written as a distribution: {pert: [...]}
    elif isinstance(node, dict):
        if not node and prefix:
            yield prefix, {}
        for key, value in node.items():
            yield from _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(node, list):
        names = [item.get("name") for item in node if isinstance(item, dict)]
        by_name = len(names) == len(node) and all(isinstance(n, str) for n in names) and (
            len(set(names)) == len(names))
        if not node:
            yield prefix, []
        for i, item in enumerate(node):
            key = f"[{item['name']}]" if by_name else f"[{i}]"
            yield from _flatten(item, prefix + key)
    else:
        yield prefix, node
