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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import CodeType
from typing import Any

import numpy as np

from kpo_calc.engine.values import KEEP_BYTES

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

    def __post_init__(self) -> None:
        object.__setattr__(self, "_code", compile(self.formula, f"<line {self.name}>", "eval"))

    def compute(self, drivers: Mapping[str, Any]) -> Any:
        """The line's amounts from ``drivers`` (the names its formula reads)."""
        assert self._code is not None
        return eval(self._code, {"__builtins__": {}, **_FUNCTIONS}, dict(drivers))

    @property
    def reads(self) -> tuple[str, ...]:
        """The drivers and inputs the formula reads, in the order it reads them."""
        assert self._code is not None
        return tuple(n for n in self._code.co_names if n not in _FUNCTIONS)

    @property
    def shown(self) -> str:
        """The formula as a reader sees it (× for *, ÷ for /)."""
        return self.formula.replace(" * ", " × ").replace(" / ", " ÷ ")


#: What a cost model works out for the formulas: drivers and inputs, by name.
Drivers = dict[str, Any]
#: What a formula may call besides arithmetic.
_FUNCTIONS: dict[str, Any] = {"where": np.where, "maximum": np.maximum}


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

#: Drivers that are the same for every part and stress test of an option in a reading:
#: its inputs (read-only columns of ``Values``, kept by value) and the month numbers. A
#: term that reads these alone (``where(month == 1, vendor_selection_cost, 0.0)``) is
#: computed once per operands (``_FIXED``), not in every costing. A cost model must give
#: them as objects it does not change.
FIXED_DRIVERS: frozenset[str] = frozenset({
    "month", "transition_months", "transition_cost", "vendor_selection_cost",
    "retained_cost_per_year", "ramp_up_weeks", "governance_rate", "communication_overhead",
    "indirect_tax_rate", "withholding_tax_rate", "unmet_hour_cost", "benefits_rate",
    "overhead_per_fte_year", "annual_training_per_fte", "severance_months",
    "onboarding_cost_per_person"})


def book(names: tuple[str, ...] | list[str], drivers: Mapping[str, Any]) -> dict[str, Any]:
    """The lines ``names``, each computed by its formula from ``drivers``.

    The formulas of ``names`` run as one function (``booker``): a term several of them
    share (``billed * rate`` is in six of a vendor's lines) is computed once, the same
    operation on the same operands, so the numbers are those of each formula alone.
    """
    return booker(tuple(names))(drivers)


#: Terms over fixed drivers, by their slot and the identities of their operands, each with
#: its operands (kept alive, so their identities are not reused meanwhile) and its value.
_FIXED: dict[tuple[int, ...], tuple[tuple[Any, ...], Any]] = {}
_SLOTS = [0]


def _keep(key: tuple[int, ...], operands: tuple[Any, ...], value: Any) -> Any:
    """Keep ``value``, the term of slot ``key[0]`` on ``operands`` (read-only: shared),
    unless it is larger than ``KEEP_BYTES``: a simulation's term over uncertain inputs has
    a row per trial and new draws in every chunk, so it would never be met again (kept,
    1,024 of them held 600 MB)."""
    if isinstance(value, np.ndarray):
        if value.nbytes > KEEP_BYTES:
            return value
        if value.flags.writeable:
            value.flags.writeable = False
    if len(_FIXED) >= 1024:
        _FIXED.clear()
    _FIXED[key] = (operands, value)
    return value


#: The functions ``booker`` made, by the tuple of line names they book.
_BOOKERS: dict[tuple[str, ...], Callable[[Mapping[str, Any]], dict[str, Any]]] = {}
#: The Python operator of each operation a formula may use.
_SYMBOLS: dict[type, str] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Eq: "==", ast.NotEq: "!=",
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}


def booker(names: tuple[str, ...]) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
    """One function computing the lines ``names`` from the drivers: their formulas in
    order as Python evaluates each alone, except that a subexpression several of them
    share is computed once, into a local variable (equal text, equal value: the formulas
    are pure), and a term over ``FIXED_DRIVERS`` alone is computed once per operands
    (kept in ``_FIXED``); a formula outside the grammar is ``eval``'d alone."""
    made = _BOOKERS.get(names)
    if made is not None:
        return made
    trees = [ast.parse(LINE_BY_NAME[n].formula, mode="eval").body for n in names]
    uses: dict[str, int] = {}  # subexpression (ast.dump) -> formulas or terms reading it
    for tree in trees:
        _count(tree, uses)
    body: list[str] = []
    known: dict[str, str] = {}  # shared subexpression -> local variable
    read: dict[str, str] = {}  # driver -> local variable

    def emit(node: ast.expr, plain: bool = False) -> str | None:
        """The code of ``node``; ``plain``: inside a fixed term (kept whole, not its parts)."""
        if isinstance(node, ast.Name):
            if node.id not in read:
                read[node.id] = f"d{len(read)}"
            return read[node.id]
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return repr(node.value)
        key = ast.dump(node)
        if key in known:
            return known[key]
        leaves = [] if plain else _fixed_leaves(node)
        if leaves:
            inner = emit_plain(node, True)
            if inner is None:
                return None
            names = [read[n] for n in leaves]
            slot, local = _SLOTS[0], f"t{len(known)}"
            _SLOTS[0] += 1
            ids = "".join(f", id({n})" for n in names)
            operands = "".join(f"{n}, " for n in names)
            known[key] = local
            body.extend([f"    k{local} = ({slot}{ids})",
                         f"    {local} = _FIXED.get(k{local})",
                         f"    {local} = (_keep(k{local}, ({operands}), {inner})"
                         f" if {local} is None else {local}[1])"])
            return local
        return emit_plain(node, plain)

    def emit_plain(node: ast.expr, plain: bool) -> str | None:
        key = ast.dump(node)
        if isinstance(node, ast.BinOp) and type(node.op) in _SYMBOLS:
            parts, text = [node.left, node.right], "({0} " + _SYMBOLS[type(node.op)] + " {1})"
        elif (isinstance(node, ast.Compare) and len(node.ops) == 1
              and type(node.ops[0]) in _SYMBOLS):
            parts = [node.left, node.comparators[0]]
            text = "({0} " + _SYMBOLS[type(node.ops[0])] + " {1})"
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in _FUNCTIONS and not node.keywords):
            parts = list(node.args)
            text = node.func.id + "(" + ", ".join(f"{{{i}}}" for i in range(len(parts))) + ")"
        else:
            return None
        operands = [emit(x, plain) for x in parts]
        if any(x is None for x in operands):
            return None
        expression = text.format(*operands)
        if uses[key] < 2:
            return expression  # inline: its temporaries are reused as Python reuses them
        known[key] = f"t{len(known)}"
        body.append(f"    {known[key]} = {expression}")
        return known[key]

    out = []
    for i, (name, tree) in enumerate(zip(names, trees, strict=True)):
        value = emit(tree)
        if value is None:
            value = f"LINE_BY_NAME[{name!r}].compute(drivers)"
        body.append(f"    x{i} = {value}")  # in order, as the lines were booked one by one
        out.append(f"{name!r}: x{i}")
    loads = [f"    {var} = drivers[{driver!r}]" for driver, var in read.items()]
    source = "\n".join(["def book(drivers):", "    try:", *("    " + x for x in loads),
                        "    except KeyError as missing:",
                        "        raise NameError(f'name {missing.args[0]!r} is not defined')"
                        " from None", *body, "    return {" + ", ".join(out) + "}"])
    scope: dict[str, Any] = {**_FUNCTIONS, "LINE_BY_NAME": LINE_BY_NAME, "_FIXED": _FIXED,
                             "_keep": _keep}
    exec(compile(source, f"<lines {', '.join(names)}>", "exec"), scope)  # our own formulas
    found: Callable[[Mapping[str, Any]], dict[str, Any]] = scope["book"]
    _BOOKERS[names] = found
    found.__doc__ = source  # what it runs, for a reader (``help`` shows it)
    return found


def _fixed_leaves(node: ast.expr) -> list[str]:
    """The driver names a compound term reads, in order, when all are ``FIXED_DRIVERS``
    (and it reads one at least); else none."""
    names = [n.id for n in ast.walk(node) if isinstance(n, ast.Name)
             and not (isinstance(node, ast.Call) and n is node.func)]
    names = [n for n in names if n not in _FUNCTIONS]
    if not names or any(n not in FIXED_DRIVERS for n in names):
        return []
    return list(dict.fromkeys(names))


def _count(node: ast.expr, uses: dict[str, int]) -> None:
    """Count the readers of each compound subexpression: a formula, or a term met for the
    first time (a shared term's own parts are read once, by it)."""
    if isinstance(node, ast.Name | ast.Constant):
        return
    key = ast.dump(node)
    uses[key] = uses.get(key, 0) + 1
    if uses[key] == 1:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                _count(child, uses)
