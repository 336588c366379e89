"""The cost lines: one table that the engine, every renderer, the JSON/CSV and the tests read.

Each line has its formula here, once: a Python expression over the *drivers* a
cost model works out (headcount, hires, billed hours, the rate in the scenario
currency, fx, ...) and the option's inputs by their field names. The engine
computes every line by evaluating its formula (``book``), and ``explain`` and
the methodology show the same text (``shown``), so what is shown cannot differ
from what is computed. Adding a line means one row here and the drivers its
formula reads; the renderers, the one-time/recurring split and the JSON keys
follow from the table.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import CodeType
from typing import Any

import numpy as np

IN_HOUSE = frozenset({"in_house"})
OUTSOURCED = frozenset({"kpo", "bpo"})
CONTRACTOR = frozenset({"contractor"})
EVERY_KIND = IN_HOUSE | OUTSOURCED | CONTRACTOR


@dataclass(frozen=True)
class Line:
    """One cost line: its JSON name, its label, and which option kinds book it."""

    name: str
    label: str
    #: one-time lines make up one_time_cost; the others recurring_cost
    one_time: bool
    #: the ``model`` values whose options have this line
    kinds: frozenset[str]
    #: how the line is computed from the drivers, each month (a Python expression over
    #: driver names, ``where`` and ``maximum``)
    formula: str = ""
    _code: CodeType | None = field(default=None, repr=False, compare=False)
    #: the formula as a tree ``book`` evaluates with the other lines' (None: ``eval`` it)
    _tree: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_code", compile(self.formula, f"<line {self.name}>", "eval"))
        object.__setattr__(self, "_tree", _tree(ast.parse(self.formula, mode="eval").body))

    def compute(self, drivers: Mapping[str, Any]) -> Any:
        """The line's amounts from ``drivers`` (the names its formula reads)."""
        assert self._code is not None
        return eval(self._code, {"__builtins__": {}, **_FUNCTIONS}, dict(drivers))

    @property
    def shown(self) -> str:
        """The formula as a reader sees it (× for *, ÷ for /)."""
        return self.formula.replace(" * ", " × ").replace(" / ", " ÷ ")


#: What a cost model works out for the formulas: drivers and inputs, by name.
Drivers = dict[str, Any]
#: What a formula may call besides arithmetic.
_FUNCTIONS: dict[str, Any] = {"where": np.where, "maximum": np.maximum}


#: The operators a formula may use, as the functions Python calls for them.
_OPERATORS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Eq: operator.eq, ast.NotEq: operator.ne,
    ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge}

#: A formula as a tree: ``("name", n)``, ``("const", value)``, or ``(key, function,
#: operands)`` where ``key`` is the subexpression's text (equal text, equal value).
Tree = tuple[Any, ...]


def _tree(node: ast.expr) -> Tree | None:
    """``node`` as a tree ``_evaluate`` reads; None when it uses anything else."""
    if isinstance(node, ast.Name):
        return ("name", node.id)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return ("const", node.value)
    operands: list[ast.expr]
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        function, operands = _OPERATORS[type(node.op)], [node.left, node.right]
    elif (isinstance(node, ast.Compare) and len(node.ops) == 1
          and type(node.ops[0]) in _OPERATORS):
        function, operands = _OPERATORS[type(node.ops[0])], [node.left, node.comparators[0]]
    elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
          and node.func.id in _FUNCTIONS and not node.keywords):
        function, operands = _FUNCTIONS[node.func.id], list(node.args)
    else:
        return None
    trees = [_tree(x) for x in operands]
    if any(t is None for t in trees):
        return None
    return (ast.dump(node), function, tuple(trees))


def _evaluate(tree: Tree, drivers: Mapping[str, Any], shared: dict[str, Any]) -> Any:
    """The value of ``tree``; ``shared`` holds the subexpressions computed so far."""
    key = tree[0]
    if key == "name":
        if tree[1] not in drivers:
            raise NameError(f"name {tree[1]!r} is not defined")
        return drivers[tree[1]]
    if key == "const":
        return tree[1]
    found = shared.get(key)
    if found is None:
        found = shared[key] = tree[1](*(_evaluate(t, drivers, shared) for t in tree[2]))
    return found


#: In display and JSON order (design section 4, "Line names"; section 8: methodology 2;
#: section 11: methodology 3).
LINES: tuple[Line, ...] = (
    Line("salaries", "Salaries", False, IN_HOUSE, "headcount * salary"),
    Line("benefits", "Benefits", False, IN_HOUSE, "headcount * salary * benefits_rate"),
    Line("overhead", "Overhead", False, IN_HOUSE,
         "headcount * overhead_per_fte_year * fx / 12 * growth"),
    Line("training", "Training", False, IN_HOUSE,
         "headcount * annual_training_per_fte * fx / 12 * growth"),
    Line("hiring", "Hiring", True, IN_HOUSE, "hires * per_hire"),
    Line("attrition", "Attrition replacement", False, IN_HOUSE, "leavers * per_hire"),
    Line("severance", "Severance", True, IN_HOUSE, "owed * severance_months * salary"),
    Line("vendor_fees", "Vendor fees", False, OUTSOURCED, "billed * rate"),
    Line("governance", "Governance", False, OUTSOURCED, "billed * rate * governance_rate"),
    Line("communication", "Communication", False, OUTSOURCED,
         "billed * rate * communication_overhead"),
    Line("indirect_tax", "Indirect tax", False, OUTSOURCED,
         "billed * rate * indirect_tax_rate"),
    Line("withholding_tax", "Withholding tax", False, OUTSOURCED,
         "billed * rate * withholding_tax_rate / (1 - withholding_tax_rate)"),
    Line("retained", "Retained organisation", False, OUTSOURCED,
         "where(engaged, retained_cost_per_year / 12, 0.0)"),
    Line("vendor_selection", "Vendor selection", True, OUTSOURCED,
         "where(month == 1, vendor_selection_cost, 0.0)"),
    Line("transition", "Transition", True, OUTSOURCED,
         "where(month <= transition_months, transition_cost / transition_months, 0.0)"),
    Line("ramp_up", "Vendor ramp-up", True, OUTSOURCED,
         "where(first_billed, 0.5 * (ramp_up_weeks * 12 / 52) * (billed * rate), 0.0)"),
    # Methodology 3: contract staff booked by the hour, and named costs of any option.
    Line("contractor_fees", "Contractor fees", False, CONTRACTOR, "billed * rate"),
    Line("onboarding", "Contractor onboarding", True, CONTRACTOR,
         "maximum(people - people_before, 0.0) * onboarding_cost_per_person * fx"),
    Line("other_recurring", "Other recurring costs", False, EVERY_KIND,
         "other_recurring"),
    Line("other_one_time", "Other one-time costs", True, EVERY_KIND, "other_one_time"),
    # Demand that cannot be served in time, priced at unmet_hour_cost (0 when unpriced).
    Line("unmet_work", "Unmet work", False, EVERY_KIND, "unmet * unmet_hour_cost"),
)

LINE_NAMES: tuple[str, ...] = tuple(line.name for line in LINES)
ONE_TIME_LINES: frozenset[str] = frozenset(line.name for line in LINES if line.one_time)
LINE_LABELS: dict[str, str] = {line.name: line.label for line in LINES}


def lines_of(model: str) -> tuple[str, ...]:
    """The names of the lines an option of kind ``model`` books, in table order."""
    return tuple(line.name for line in LINES if model in line.kinds)


#: Lines booked only for an option that declares ``other_costs`` (so a file without them
#: shows exactly the lines of methodology 2).
OTHER_LINES: frozenset[str] = frozenset({"other_recurring", "other_one_time"})


LINE_BY_NAME: dict[str, Line] = {line.name: line for line in LINES}


def book(names: tuple[str, ...] | list[str], drivers: Mapping[str, Any]) -> dict[str, Any]:
    """The lines ``names``, each computed by its formula from ``drivers``.

    A term several formulas share (``billed * rate`` is in six of a vendor's lines) is
    computed once: the same operation on the same operands, so the same numbers as
    evaluating each formula alone, for fewer passes over ``(trials, horizon)`` arrays.
    """
    shared: dict[str, Any] = {}
    out: dict[str, Any] = {}
    for name in names:
        line = LINE_BY_NAME[name]
        out[name] = (line.compute(drivers) if line._tree is None
                     else _evaluate(line._tree, drivers, shared))
    return out

